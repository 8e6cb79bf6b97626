package dev.abstractions.client;

import com.google.protobuf.Struct;
import com.google.protobuf.util.Durations;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.GetOperationRequest;
import dev.abstractions.api.v1.KeepAliveRequest;
import dev.abstractions.api.v1.ListOperationsRequest;
import dev.abstractions.api.v1.ListOperationsResponse;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client for {@code OperationService}: prioritized read-modify-write operations arbitrated by the
 * server (DESIGN.md section 5), server-side functions, and thin typed wrappers of each RPC.
 *
 * <p>{@link #update} runs Begin, then {@code fn} on the snapshot, then Commit; on a CONFLICT it waits
 * the {@code retry_after} the server chose and calls {@code fn} again on the fresh snapshot the
 * server returned, so the server's backoff is the only retry policy. Outcomes come back as values
 * (the new {@link Entity}) or as {@link OperationRejectedException} / {@link
 * OperationFailedException}; failed RPCs as {@link EntityServiceException}s.
 *
 * <p>Thread-safe: share one client. The blocking forms wait on the caller's thread. The async forms
 * never block a thread: they wait for {@code retry_after} on the owning {@link AbstractionsClient}'s
 * scheduler, and call {@code fn} on a gRPC callback thread or that scheduler's thread, so there
 * {@code fn} should be quick and must not block.
 */
public final class OperationClient {

  /**
   * How often {@code update} tells the server its client is alive while {@code fn} computes: well
   * inside the server's default gate lease (5 s), so a slow {@code fn} does not lose the gate.
   */
  static final java.time.Duration KEEP_ALIVE_INTERVAL = java.time.Duration.ofSeconds(1);

  private final OperationServiceGrpc.OperationServiceBlockingStub blocking;
  private final OperationServiceGrpc.OperationServiceStub async;
  private final ScheduledExecutorService scheduler;

  OperationClient(Channel channel, ScheduledExecutorService scheduler) {
    this.blocking = OperationServiceGrpc.newBlockingStub(channel);
    this.async = OperationServiceGrpc.newStub(channel);
    this.scheduler = scheduler;
  }

  // ---- read-modify-write ----

  /** {@link #update(String, Function, OperationOptions)} with the class's defaults. */
  public Entity update(String lineageId, Function<Struct, Struct> fn, PriorityClass priorityClass) {
    return update(lineageId, fn, OperationOptions.of(priorityClass));
  }

  /**
   * Replaces the target's data with {@code fn(data)} under an operation, recomputing on each
   * conflict until the write lands or the server refuses the operation.
   *
   * @return the version the operation wrote
   * @throws OperationRejectedException if the server rejected the operation (out of retries,
   *     expired)
   * @throws TargetBusyException if the server shed a LOW operation at Begin, before {@code fn} ran
   * @throws EntityServiceException if a call failed (e.g. {@link EntityNotFoundException} at Begin);
   *     an interrupt while waiting to retry aborts the operation and throws one with code CANCELLED
   * @throws RuntimeException whatever {@code fn} throws, after the operation is aborted
   */
  public Entity update(String lineageId, Function<Struct, Struct> fn, OperationOptions options) {
    Objects.requireNonNull(fn, "fn");
    BeginOperationResponse begun = begin(lineageId, options);
    String opId = begun.getOperation().getOpId();
    Entity snapshot = begun.getSnapshot();
    while (true) {
      Struct data = applyOrAbort(fn, snapshot, opId);
      CommitOperationResponse response = commit(opId, data);
      if (response.getOutcome() != CommitOutcome.OUTCOME_CONFLICT) {
        return settled(response.getOutcome(), response.getOperation(), response.getEntity());
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Durations.toNanos(response.getRetryAfter()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        EntityServiceException cancelled = ServerErrors.translate(Status.CANCELLED
            .withDescription("interrupted while waiting to retry operation " + opId).withCause(e).asRuntimeException());
        abortQuietly(opId, cancelled);
        throw cancelled;
      }
      snapshot = response.getEntity();
    }
  }

  /** {@link #updateAsync(String, Function, OperationOptions)} with the class's defaults. */
  public CompletableFuture<Entity> updateAsync(String lineageId, Function<Struct, Struct> fn,
      PriorityClass priorityClass) {
    return updateAsync(lineageId, fn, OperationOptions.of(priorityClass));
  }

  /**
   * {@link #update(String, Function, OperationOptions)} without blocking: the future completes with
   * the version written, or exceptionally with what the blocking form throws. Cancelling the future
   * does not abort the operation; the server expires it after its TTL.
   */
  public CompletableFuture<Entity> updateAsync(String lineageId, Function<Struct, Struct> fn,
      OperationOptions options) {
    Objects.requireNonNull(fn, "fn");
    return AsyncCalls.unaryThenCompose(async::begin, options.beginRequest(lineageId),
        begun -> attempt(begun.getOperation().getOpId(), begun.getSnapshot(), fn));
  }

  private CompletableFuture<Entity> attempt(String opId, Entity snapshot, Function<Struct, Struct> fn) {
    Struct data;
    try {
      data = computeKeptAlive(fn, snapshot, opId);
    } catch (RuntimeException e) {
      // Abort so the operation stops counting as in flight; the caller learns of fn's failure.
      return AsyncCalls.unary(async::abort, AbortOperationRequest.newBuilder().setOpId(opId).build())
          .handle((aborted, abortFailure) -> {
            if (abortFailure != null) {
              e.addSuppressed(abortFailure);
            }
            throw e;
          });
    }
    return AsyncCalls.unaryThenCompose(async::commit, commitRequest(opId, data), response -> {
      if (response.getOutcome() != CommitOutcome.OUTCOME_CONFLICT) {
        return settledAsync(response.getOutcome(), response.getOperation(), response.getEntity());
      }
      return AsyncCalls.after(scheduler, Durations.toNanos(response.getRetryAfter())).thenCompose(ignored -> attempt(opId, response.getEntity(), fn));
    });
  }

  // ---- server-side functions ----

  /** {@link #execute(String, String, Struct, OperationOptions)} with the class's defaults. */
  public Entity execute(String lineageId, String function, Struct args, PriorityClass priorityClass) {
    return execute(lineageId, function, args, OperationOptions.of(priorityClass));
  }

  /**
   * Runs the server function {@code function} (e.g. {@code increment} with {@code {"path": "count"}})
   * on the target under a new operation; the server computes, commits and retries by itself.
   *
   * @return the version the function wrote
   * @throws OperationRejectedException if the server rejected the operation
   * @throws OperationFailedException if the function failed on the target's data
   * @throws EntityServiceException if the call failed (e.g. INVALID_ARGUMENT for an unknown function)
   */
  public Entity execute(String lineageId, String function, Struct args, OperationOptions options) {
    ExecuteResponse response = call(() -> blocking.execute(options.executeRequest(lineageId, function, args)));
    return settled(response.getOutcome(), response.getOperation(), response.getEntity());
  }

  /** {@link #executeAsync(String, String, Struct, OperationOptions)} with the class's defaults. */
  public CompletableFuture<Entity> executeAsync(String lineageId, String function, Struct args,
      PriorityClass priorityClass) {
    return executeAsync(lineageId, function, args, OperationOptions.of(priorityClass));
  }

  /** {@link #execute(String, String, Struct, OperationOptions)} without blocking. */
  public CompletableFuture<Entity> executeAsync(String lineageId, String function, Struct args,
      OperationOptions options) {
    return AsyncCalls.unaryThenCompose(async::execute, options.executeRequest(lineageId, function, args),
        response -> settledAsync(response.getOutcome(), response.getOperation(), response.getEntity()));
  }

  // ---- the RPCs, typed ----

  /** Begins an operation on the target; the response carries it and the target's latest version. */
  public BeginOperationResponse begin(String lineageId, OperationOptions options) {
    return call(() -> blocking.begin(options.beginRequest(lineageId)));
  }

  /** Offers an operation's new data; the outcome (committed, conflict, rejected) is in-band. */
  public CommitOperationResponse commit(String opId, Struct data) {
    return call(() -> blocking.commit(commitRequest(opId, data)));
  }

  /** Cancels a live operation and returns it, CANCELLED. */
  public OperationEntity abort(String opId) {
    return call(() -> blocking.abort(AbortOperationRequest.newBuilder().setOpId(opId).build()));
  }

  /** Reads an operation, live or recently ended. */
  public OperationEntity getOperation(String opId) {
    return call(() -> blocking.get(GetOperationRequest.newBuilder().setOpId(opId).build()));
  }

  /**
   * One page of a target's operations, oldest first, with any of {@code statuses} (all when empty);
   * pass "" as the first page token and 0 for the default page size.
   */
  public ListOperationsResponse listOperations(String lineageId, Collection<OperationStatus> statuses,
      int pageSize, String pageToken) {
    return call(() -> blocking.list(ListOperationsRequest.newBuilder()
        .setTargetLineageId(lineageId)
        .addAllStatuses(statuses)
        .setPageSize(pageSize)
        .setPageToken(pageToken)
        .build()));
  }

  // ---- shared ----

  private Struct applyOrAbort(Function<Struct, Struct> fn, Entity snapshot, String opId) {
    try {
      return computeKeptAlive(fn, snapshot, opId);
    } catch (RuntimeException e) {
      abortQuietly(opId, e);
      throw e;
    }
  }

  /**
   * Runs {@code fn} on the snapshot while telling the server every {@link #KEEP_ALIVE_INTERVAL}
   * that this client is alive, so an operation that owns its target's gate keeps it however long
   * {@code fn} takes (a client that vanished loses it within the server's gate lease).
   */
  private Struct computeKeptAlive(Function<Struct, Struct> fn, Entity snapshot, String opId) {
    KeepAliveRequest keepAlive = KeepAliveRequest.newBuilder().setOpId(opId).build();
    long every = KEEP_ALIVE_INTERVAL.toNanos();
    ScheduledFuture<?> beat = scheduler.scheduleAtFixedRate(
        () -> AsyncCalls.unary(async::keepAlive, keepAlive), every, every, TimeUnit.NANOSECONDS);
    try {
      return Objects.requireNonNull(fn.apply(snapshot.getData()), "fn returned null");
    } finally {
      beat.cancel(false);
    }
  }

  /** Tells the server this operation's client is alive (see {@code OperationService.KeepAlive}). */
  public OperationEntity keepAlive(String opId) {
    return call(() -> blocking.keepAlive(KeepAliveRequest.newBuilder().setOpId(opId).build()));
  }

  /** Aborts so the operation stops counting as in flight; a failure to abort rides on {@code cause}. */
  private void abortQuietly(String opId, RuntimeException cause) {
    try {
      abort(opId);
    } catch (EntityServiceException abortFailure) {
      cause.addSuppressed(abortFailure);
    }
  }

  /** The entity an attempt that did not conflict wrote, or the exception that says why it wrote none. */
  private static Entity settled(CommitOutcome outcome, OperationEntity operation, Entity entity) {
    return switch (outcome) {
      case OUTCOME_COMMITTED -> entity;
      case OUTCOME_REJECTED -> throw new OperationRejectedException(operation);
      case OUTCOME_FAILED -> throw new OperationFailedException(operation);
      default -> throw new IllegalStateException(
          "the server answered operation " + operation.getOpId() + " with outcome " + outcome);
    };
  }

  private static CompletableFuture<Entity> settledAsync(CommitOutcome outcome, OperationEntity operation,
      Entity entity) {
    try {
      return CompletableFuture.completedFuture(settled(outcome, operation, entity));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static CommitOperationRequest commitRequest(String opId, Struct data) {
    return CommitOperationRequest.newBuilder().setOpId(opId).setData(data).build();
  }


  private static <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw ServerErrors.translate(e);
    }
  }
}
