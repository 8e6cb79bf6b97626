package dev.abstractions.bench.load;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * (t1) Uncontended tree writes: slot {@code i} writes only tree {@code i}, one WriteTree updating
 * every member (the root included) with {@link EntityData#withCount}'s data, as (a) writes one
 * entity, member versions unchecked (0) and the expected tree version the previous write answered,
 * so every write should commit. Before its first write, and after a failure, the slot reads the
 * tree's version with GetTree (one member per page). Each slot's state is touched by one call at a
 * time.
 */
final class TreeWrites implements ClosedLoop.Call {

  private final EntityServiceGrpc.EntityServiceStub[] stubs;
  private final String[] roots;
  private final List<List<TreeChange>> changes;
  private final long[] treeVersions;

  TreeWrites(Channels channels, List<TreeScenarios.Tree> trees) {
    int count = trees.size();
    this.stubs = new EntityServiceGrpc.EntityServiceStub[count];
    this.roots = new String[count];
    this.changes = new ArrayList<>(count);
    this.treeVersions = new long[count]; // 0: unknown, read first
    Struct data = EntityData.withCount(0);
    for (int i = 0; i < count; i++) {
      TreeScenarios.Tree tree = trees.get(i);
      stubs[i] = EntityServiceGrpc.newStub(channels.forSlot(i));
      roots[i] = tree.root();
      changes.add(updates(tree.members(), data));
    }
  }

  /** One unchecked update of each member to {@code data}, in the members' order. */
  static List<TreeChange> updates(List<String> members, Struct data) {
    List<TreeChange> updates = new ArrayList<>(members.size());
    for (String member : members) {
      updates.add(TreeChange.newBuilder()
          .setUpdate(UpdateMember.newBuilder().setLineageId(member).setData(data))
          .build());
    }
    return List.copyOf(updates);
  }

  @Override
  public void start(int slot, ClosedLoop.Completion done) {
    if (treeVersions[slot] == 0) {
      stubs[slot].getTree(GetTreeRequest.newBuilder().setRootLineageId(roots[slot]).setPageSize(1).build(),
          Unary.of(tree -> {
            treeVersions[slot] = tree.getTreeVersion();
            write(slot, done);
          }, done::failed));
    } else {
      write(slot, done);
    }
  }

  private void write(int slot, ClosedLoop.Completion done) {
    WriteTreeRequest request = WriteTreeRequest.newBuilder()
        .setRootLineageId(roots[slot])
        .setExpectedTreeVersion(treeVersions[slot])
        .addAllChanges(changes.get(slot))
        .build();
    stubs[slot].writeTree(request, Unary.of(written -> {
      treeVersions[slot] = written.getTreeVersion();
      done.succeeded();
    }, error -> {
      treeVersions[slot] = 0;
      done.failed(error);
    }));
  }
}
