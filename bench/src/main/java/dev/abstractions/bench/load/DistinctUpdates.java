package dev.abstractions.bench.load;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import java.util.List;

/**
 * Uncontended compare-and-set: slot {@code i} updates only entity {@code i}, with the version it
 * wrote last, so every Update should commit. After a failure the slot reads the entity again
 * before its next write. Each slot's state is touched by one call at a time.
 */
final class DistinctUpdates implements ClosedLoop.Call {

  private final EntityServiceGrpc.EntityServiceStub[] stubs;
  private final String[] ids;
  private final long[] versions;
  private final Struct data = EntityData.withCount(0);

  DistinctUpdates(Channels channels, List<String> ids) {
    this.ids = ids.toArray(String[]::new);
    this.versions = new long[ids.size()];
    this.stubs = new EntityServiceGrpc.EntityServiceStub[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      stubs[i] = EntityServiceGrpc.newStub(channels.forSlot(i));
      versions[i] = 0; // unknown: read first
    }
  }

  @Override
  public void start(int slot, ClosedLoop.Completion done) {
    if (versions[slot] == 0) {
      stubs[slot].get(GetEntityRequest.newBuilder().setLineageId(ids[slot]).build(),
          Unary.of(entity -> {
            versions[slot] = entity.getVersion();
            write(slot, done);
          }, done::failed));
    } else {
      write(slot, done);
    }
  }

  private void write(int slot, ClosedLoop.Completion done) {
    UpdateEntityRequest request = UpdateEntityRequest.newBuilder()
        .setLineageId(ids[slot])
        .setExpectedVersion(versions[slot])
        .setData(data)
        .build();
    stubs[slot].update(request, Unary.of(entity -> {
      versions[slot] = entity.getVersion();
      done.succeeded();
    }, error -> {
      versions[slot] = 0;
      done.failed(error);
    }));
  }
}
