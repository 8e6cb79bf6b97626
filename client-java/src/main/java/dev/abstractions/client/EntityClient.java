package dev.abstractions.client;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityHistoryResponse;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.ListEntitiesResponse;
import dev.abstractions.api.v1.UpdateEntityRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A blocking client for {@code EntityService}. Refusals surface as {@link EntityServiceException}s
 * ({@link VersionConflictException} when a compare-and-set loses, {@link GateHeldException} when an
 * operation holds the target's gate). Thread-safe: share one client.
 */
public final class EntityClient implements AutoCloseable {

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final EntityServiceGrpc.EntityServiceBlockingStub entities;

  private EntityClient(ManagedChannel channel, boolean ownsChannel) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.entities = EntityServiceGrpc.newBlockingStub(channel);
  }

  /** Connects in plaintext to {@code target}, e.g. {@code localhost:8980}. */
  public static EntityClient connect(String target) {
    return new EntityClient(NettyChannelBuilder.forTarget(target).usePlaintext().build(), true);
  }

  /** Uses a channel the caller owns and closes. */
  public static EntityClient using(ManagedChannel channel) {
    return new EntityClient(channel, false);
  }

  /** Creates version 1 with a server-assigned lineage id. */
  public Entity create(String entityType, Struct data) {
    return create("", entityType, data);
  }

  /** Creates version 1 of {@code lineageId}. */
  public Entity create(String lineageId, String entityType, Struct data) {
    return call(() -> entities.create(
        CreateEntityRequest.newBuilder().setLineageId(lineageId).setEntityType(entityType).setData(data).build()));
  }

  /** The latest version. */
  public Entity get(String lineageId) {
    return get(lineageId, 0);
  }

  /** The given version (0 for the latest). */
  public Entity get(String lineageId, long version) {
    return call(() -> entities.get(GetEntityRequest.newBuilder().setLineageId(lineageId).setVersion(version).build()));
  }

  /**
   * Replaces the data if {@code expectedVersion} is still the latest.
   *
   * @throws VersionConflictException if it is not, carrying the latest version
   */
  public Entity update(String lineageId, long expectedVersion, Struct data) {
    return call(() -> entities.update(UpdateEntityRequest.newBuilder()
        .setLineageId(lineageId)
        .setExpectedVersion(expectedVersion)
        .setData(data)
        .build()));
  }

  /** Writes the tombstone if {@code expectedVersion} is still the latest. */
  public Entity delete(String lineageId, long expectedVersion) {
    return call(() -> entities.delete(
        DeleteEntityRequest.newBuilder().setLineageId(lineageId).setExpectedVersion(expectedVersion).build()));
  }

  /** One page of live entities of a type; pass "" as the first page token. */
  public ListEntitiesResponse list(String entityType, int pageSize, String pageToken) {
    return call(() -> entities.list(ListEntitiesRequest.newBuilder()
        .setEntityType(entityType)
        .setPageSize(pageSize)
        .setPageToken(pageToken)
        .build()));
  }

  /** One page of a lineage's retained versions, oldest first; pass "" as the first page token. */
  public EntityHistoryResponse history(String lineageId, int pageSize, String pageToken) {
    return call(() -> entities.history(EntityHistoryRequest.newBuilder()
        .setLineageId(lineageId)
        .setPageSize(pageSize)
        .setPageToken(pageToken)
        .build()));
  }

  private static <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw ServerErrors.translate(e);
    }
  }

  /** Closes the channel if this client opened it. */
  @Override
  public void close() throws InterruptedException {
    if (ownsChannel) {
      channel.shutdown();
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
  }
}
