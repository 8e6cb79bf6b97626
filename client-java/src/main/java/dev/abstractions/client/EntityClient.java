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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A client for {@code EntityService}, each call in a blocking form and an async form ({@code
 * ...Async}, a {@link CompletableFuture} completed on a gRPC callback thread). Refusals surface as
 * {@link EntityServiceException}s, thrown by the blocking forms and completing the async ones
 * exceptionally ({@link VersionConflictException} when a compare-and-set loses, {@link
 * EntityNotFoundException} for an unknown or deleted lineage, {@link AccessDeniedException} without
 * a valid token). Thread-safe: share one client.
 */
public final class EntityClient implements AutoCloseable {

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final EntityServiceGrpc.EntityServiceBlockingStub entities;
  private final EntityServiceGrpc.EntityServiceStub async;
  /** Whether get, list and history ask for serializable reads ({@link #serializable()}). */
  private final boolean serializable;

  private EntityClient(ManagedChannel channel, boolean ownsChannel, boolean serializable) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.serializable = serializable;
    this.entities = EntityServiceGrpc.newBlockingStub(channel);
    this.async = EntityServiceGrpc.newStub(channel);
  }

  /** Connects in plaintext to {@code target}, e.g. {@code localhost:8980}. */
  public static EntityClient connect(String target) {
    return new EntityClient(NettyChannelBuilder.forTarget(target).usePlaintext().build(), true, false);
  }

  /** Uses a channel the caller owns and closes. */
  public static EntityClient using(ManagedChannel channel) {
    return new EntityClient(channel, false, false);
  }

  /**
   * This client with serializable reads: its get, list and history are answered from the state
   * the server they reach has applied, without asking the leader of a replicated group (etcd's
   * serializable reads). Cheaper, and answered even by a member cut off from its quorum, but they
   * may miss writes that member has not applied yet; a single server applies every write it
   * acknowledges before answering, so there they read the same. Writes are unchanged. It shares
   * this client's channel: closing it closes nothing.
   */
  public EntityClient serializable() {
    return new EntityClient(channel, false, true);
  }

  /** Creates version 1 with a server-assigned lineage id. */
  public Entity create(String entityType, Struct data) {
    return create("", entityType, data);
  }

  /** Creates version 1 of {@code lineageId}. */
  public Entity create(String lineageId, String entityType, Struct data) {
    return call(() -> entities.create(createRequest(lineageId, entityType, data)));
  }

  /** {@link #create(String, Struct)} without blocking. */
  public CompletableFuture<Entity> createAsync(String entityType, Struct data) {
    return createAsync("", entityType, data);
  }

  /** {@link #create(String, String, Struct)} without blocking. */
  public CompletableFuture<Entity> createAsync(String lineageId, String entityType, Struct data) {
    return AsyncCalls.unary(async::create, createRequest(lineageId, entityType, data));
  }

  /** The latest version. */
  public Entity get(String lineageId) {
    return get(lineageId, 0);
  }

  /** The given version (0 for the latest). */
  public Entity get(String lineageId, long version) {
    return call(() -> entities.get(getRequest(lineageId, version)));
  }

  /** {@link #get(String)} without blocking. */
  public CompletableFuture<Entity> getAsync(String lineageId) {
    return getAsync(lineageId, 0);
  }

  /** {@link #get(String, long)} without blocking. */
  public CompletableFuture<Entity> getAsync(String lineageId, long version) {
    return AsyncCalls.unary(async::get, getRequest(lineageId, version));
  }

  /**
   * Replaces the data if {@code expectedVersion} is still the latest.
   *
   * @throws VersionConflictException if it is not, carrying the latest version
   */
  public Entity update(String lineageId, long expectedVersion, Struct data) {
    return call(() -> entities.update(updateRequest(lineageId, expectedVersion, data)));
  }

  /** {@link #update(String, long, Struct)} without blocking. */
  public CompletableFuture<Entity> updateAsync(String lineageId, long expectedVersion, Struct data) {
    return AsyncCalls.unary(async::update, updateRequest(lineageId, expectedVersion, data));
  }

  /** Writes the tombstone if {@code expectedVersion} is still the latest. */
  public Entity delete(String lineageId, long expectedVersion) {
    return call(() -> entities.delete(deleteRequest(lineageId, expectedVersion)));
  }

  /** {@link #delete(String, long)} without blocking. */
  public CompletableFuture<Entity> deleteAsync(String lineageId, long expectedVersion) {
    return AsyncCalls.unary(async::delete, deleteRequest(lineageId, expectedVersion));
  }

  /** One page of live entities of a type; pass "" as the first page token. */
  public ListEntitiesResponse list(String entityType, int pageSize, String pageToken) {
    return call(() -> entities.list(listRequest(entityType, pageSize, pageToken)));
  }

  /** {@link #list(String, int, String)} without blocking. */
  public CompletableFuture<ListEntitiesResponse> listAsync(String entityType, int pageSize, String pageToken) {
    return AsyncCalls.unary(async::list, listRequest(entityType, pageSize, pageToken));
  }

  /** One page of a lineage's retained versions, oldest first; pass "" as the first page token. */
  public EntityHistoryResponse history(String lineageId, int pageSize, String pageToken) {
    return call(() -> entities.history(historyRequest(lineageId, pageSize, pageToken)));
  }

  /** {@link #history(String, int, String)} without blocking. */
  public CompletableFuture<EntityHistoryResponse> historyAsync(String lineageId, int pageSize, String pageToken) {
    return AsyncCalls.unary(async::history, historyRequest(lineageId, pageSize, pageToken));
  }

  private static CreateEntityRequest createRequest(String lineageId, String entityType, Struct data) {
    return CreateEntityRequest.newBuilder().setLineageId(lineageId).setEntityType(entityType).setData(data).build();
  }

  private GetEntityRequest getRequest(String lineageId, long version) {
    return GetEntityRequest.newBuilder().setLineageId(lineageId).setVersion(version).setSerializable(serializable)
        .build();
  }

  private static UpdateEntityRequest updateRequest(String lineageId, long expectedVersion, Struct data) {
    return UpdateEntityRequest.newBuilder()
        .setLineageId(lineageId)
        .setExpectedVersion(expectedVersion)
        .setData(data)
        .build();
  }

  private static DeleteEntityRequest deleteRequest(String lineageId, long expectedVersion) {
    return DeleteEntityRequest.newBuilder().setLineageId(lineageId).setExpectedVersion(expectedVersion).build();
  }

  private ListEntitiesRequest listRequest(String entityType, int pageSize, String pageToken) {
    return ListEntitiesRequest.newBuilder()
        .setEntityType(entityType)
        .setPageSize(pageSize)
        .setPageToken(pageToken)
        .setSerializable(serializable)
        .build();
  }

  private EntityHistoryRequest historyRequest(String lineageId, int pageSize, String pageToken) {
    return EntityHistoryRequest.newBuilder()
        .setLineageId(lineageId)
        .setPageSize(pageSize)
        .setPageToken(pageToken)
        .setSerializable(serializable)
        .build();
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
