package dev.abstractions.server.ops;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityCreated;
import dev.abstractions.api.v1.EntityDeleted;
import dev.abstractions.api.v1.EntityVersioned;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.OperationCancelled;
import dev.abstractions.api.v1.OperationConflict;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationFailed;
import dev.abstractions.api.v1.OperationRejected;
import dev.abstractions.api.v1.OperationRetry;
import dev.abstractions.api.v1.OperationStarted;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.OperationSucceeded;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;
import dev.abstractions.server.events.EventDraft;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.ops.functions.FunctionFailedException;
import dev.abstractions.server.ops.functions.ServerFunction;
import dev.abstractions.server.store.DataRules;
import dev.abstractions.server.store.EntityStore;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.LineageStep;
import dev.abstractions.server.store.LineageTx;
import dev.abstractions.server.store.Provenance;
import dev.abstractions.server.store.StoreSettings;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Every write to an entity goes through here: plain creates, updates and deletes, and prioritized
 * operations (DESIGN.md section 5). For one target, the compare-and-set, the arbitration decision
 * and the event that records it happen in one atomic step of the store, so they always agree.
 *
 * <p>Thread-safe. Nothing blocks: a step holds its target's lock for microseconds; waits (expiry,
 * server-side retry backoff) are scheduled on the {@code ops} scheduler. No lock is held across a
 * client round trip, and no call scans operations other than its own target's.
 */
@Singleton
public final class Arbiter {

  /** Plain writes are anonymous operations of this priority. */
  public static final int PLAIN_WRITE_PRIORITY = 5;

  private final EntityStore store;
  private final EventLog events;
  private final OperationRegistry registry;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final int maxEntityBytes;
  private final int maxOperationsPerTarget;
  private final OperationsObserver observer;
  /** Last creation stamp handed out: makes created_at_ns unique and increasing. */
  private final AtomicLong lastCreatedAtNs = new AtomicLong();

  @Inject
  Arbiter(EntityStore store, EventLog events, OperationRegistry registry, Clock clock,
      @Named("ops") ScheduledExecutorService scheduler, StoreSettings settings,
      @Named("maxOperationsPerTarget") int maxOperationsPerTarget, OperationsObserver observer) {
    this.store = store;
    this.events = events;
    this.registry = registry;
    this.clock = clock;
    this.scheduler = scheduler;
    this.maxEntityBytes = settings.maxEntityBytes();
    this.maxOperationsPerTarget = maxOperationsPerTarget;
    this.observer = observer;
  }

  // ---- plain writes ----

  /** Creates version 1 of a lineage. */
  public Outcome<Entity> create(String lineageId, String entityType, Struct data) {
    return store.atomically(lineageId, true, tx -> {
      if (tx.head() != null) {
        return Outcome.refused(Refusal.of(Refusal.Kind.ALREADY_EXISTS, lineageId, tx.head()));
      }
      long started = System.nanoTime();
      Entity created = tx.create(entityType, data, Provenance.NONE);
      events.append(plainEnvelope(created).draft(Event.KindCase.ENTITY_CREATED,
          event -> event.setEntityCreated(EntityCreated.newBuilder().setEntity(created))));
      observer.committed(false, System.nanoTime() - started);
      return Outcome.of(created);
    });
  }

  /** Replaces the data if {@code expectedVersion} is the latest and no operation holds the gate. */
  public Outcome<Entity> update(String lineageId, long expectedVersion, Struct data) {
    return plainWrite(lineageId, expectedVersion, data, false);
  }

  /** Writes the tombstone if {@code expectedVersion} is the latest; operations on it fail. */
  public Outcome<Entity> delete(String lineageId, long expectedVersion) {
    return plainWrite(lineageId, expectedVersion, null, true);
  }

  private Outcome<Entity> plainWrite(String lineageId, long expectedVersion, Struct data, boolean tombstone) {
    return step(lineageId, tx -> {
      Entity head = tx.head();
      Refusal refusal = unwritable(lineageId, head);
      if (refusal != null) {
        return Outcome.refused(refusal);
      }
      TargetArbitration arbitration = (TargetArbitration) tx.attachment();
      if (arbitration != null) {
        expireDue(tx, arbitration);
        settle(tx, arbitration);
        Operation owner = arbitration.owner();
        if (owner != null && owner.effectivePriority > PLAIN_WRITE_PRIORITY) {
          return Outcome.refused(new Refusal(Refusal.Kind.PREEMPTED, lineageId, head, owner.id, 0,
              OperationStatus.OPERATION_STATUS_UNSPECIFIED));
        }
        if (owner != null && owner.effectivePriority == PLAIN_WRITE_PRIORITY) {
          observer.gateWait(null);
          return Outcome.refused(new Refusal(Refusal.Kind.GATE_HELD, lineageId, head, owner.id,
              RetryPolicy.retryAfterNanos(PriorityClass.NORMAL, 1), OperationStatus.OPERATION_STATUS_UNSPECIFIED));
        }
      }
      if (head.getVersion() != expectedVersion) {
        observer.conflicted(null, false);
        return Outcome.refused(Refusal.of(Refusal.Kind.VERSION_CONFLICT, lineageId, head));
      }
      long started = System.nanoTime();
      Entity written = tx.append(data, tombstone, Provenance.NONE);
      publishWrite(head, written, plainEnvelope(written));
      observer.committed(false, System.nanoTime() - started);
      if (tombstone && arbitration != null && !arbitration.isEmpty()) {
        failAll(tx, arbitration, "target " + lineageId + " was deleted at version " + written.getVersion());
      }
      return Outcome.of(written);
    });
  }

  // ---- operations ----

  /**
   * Begins an operation on a live target and answers it with the target's latest version. While a
   * gate owner of at least its priority holds the target, the answer waits (no thread does) until
   * that owner leaves, for at most the class's longest backoff (and the ttl): a snapshot taken
   * earlier would be overwritten by the owner's commit, so the client's work on it would be wasted.
   * An owner that stays longer does not hold the Begin: it starts, and arbitration rules its commit.
   * A waiting Begin whose caller gave up ({@code awaited} turns false) is dropped, not started: an
   * operation nobody will commit would only wait out its ttl and count against the target's limit.
   */
  public CompletableFuture<Outcome<BeginOperationResponse>> begin(OperationSpec spec, BooleanSupplier awaited) {
    Outcome<Ancestry> ancestry = ancestry(spec);
    if (!ancestry.ok()) {
      return CompletableFuture.completedFuture(Outcome.refused(ancestry.refusal()));
    }
    return step(spec.target(), tx -> {
      TargetArbitration arbitration = (TargetArbitration) tx.attachment();
      if (arbitration != null && unwritable(spec.target(), tx.head()) == null) {
        expireDue(tx, arbitration);
        if (arbitration.gateHeldAgainst(ancestry.value().effectivePriority())) {
          if (arbitration.size() >= maxOperationsPerTarget) {
            return CompletableFuture.completedFuture(
                Outcome.refused(Refusal.of(Refusal.Kind.TOO_MANY_OPERATIONS, spec.target(), tx.head())));
          }
          long waitNanos = Math.min(spec.ttl().toNanos(), RetryPolicy.longestWaitNanos(spec.priorityClass()));
          // The scheduler's clock, so that the wake-up below finds it due.
          PendingBegin pending =
              new PendingBegin(spec, ancestry.value(), System.nanoTime() + waitNanos, awaited, new CompletableFuture<>());
          arbitration.await(pending);
          scheduler.schedule(() -> step(spec.target(), woken -> null), waitNanos, TimeUnit.NANOSECONDS);
          return pending.answer();
        }
      }
      return CompletableFuture.completedFuture(started(tx, spec, ancestry.value()));
    });
  }

  /** Opens a client-driven operation and answers its Begin, inside the target's atomic step. */
  private Outcome<BeginOperationResponse> started(LineageTx tx, OperationSpec spec, Ancestry ancestry) {
    Outcome<Operation> opened = open(tx, spec, ancestry);
    if (!opened.ok()) {
      return Outcome.refused(opened.refusal());
    }
    Operation op = opened.value();
    // A client drives this operation and may vanish: only a timer can end it at its deadline.
    op.expiry = scheduler.schedule(() -> expire(op), spec.ttl().toNanos(), TimeUnit.NANOSECONDS);
    return Outcome.of(BeginOperationResponse.newBuilder().setOperation(op.view()).setSnapshot(tx.head()).build());
  }

  /**
   * One atomic step on an operation's target. Whatever the step did, Begins that waited for the
   * gate and may now proceed are begun before the lock is released, and answered after.
   */
  private <R> R step(String target, LineageStep<R> body) {
    return store.atomically(target, false, tx -> {
      R result = body.apply(tx);
      TargetArbitration arbitration = (TargetArbitration) tx.attachment();
      if (arbitration != null) {
        for (PendingBegin pending : arbitration.admissible(System.nanoTime())) {
          if (!pending.awaited().getAsBoolean()) {
            continue; // nobody is waiting for this answer any more
          }
          Outcome<BeginOperationResponse> started = started(tx, pending.spec(), pending.ancestry());
          // Completing the answer sends the reply: never under the target's lock.
          scheduler.execute(() -> pending.answer().complete(started));
        }
        settle(tx, arbitration);
      }
      return result;
    });
  }

  /** Where a new operation sits in its parent chain. */
  record Ancestry(int effectivePriority, int depth) {}

  /** The effective priority and depth of a new operation, or why its parent does not allow it. */
  private Outcome<Ancestry> ancestry(OperationSpec spec) {
    if (spec.parentOpId().isEmpty()) {
      return Outcome.of(new Ancestry(spec.priority(), 1));
    }
    Operation parent = registry.get(spec.parentOpId());
    if (parent == null) {
      return Outcome.refused(Refusal.ofOperation(Refusal.Kind.NO_PARENT, spec.parentOpId(),
          OperationStatus.OPERATION_STATUS_UNSPECIFIED));
    }
    if (parent.depth >= RetryPolicy.MAX_PARENT_DEPTH) {
      return Outcome.refused(Refusal.ofOperation(Refusal.Kind.PARENT_CHAIN_TOO_DEEP, parent.id,
          OperationStatus.OPERATION_STATUS_UNSPECIFIED));
    }
    return Outcome.of(new Ancestry(Math.max(spec.priority(), parent.effectivePriority), parent.depth + 1));
  }

  /**
   * Puts a new operation in flight on the target (arbitration, registry, OperationStarted), inside
   * the target's atomic step. Its deadline is the caller's to enforce.
   */
  private Outcome<Operation> open(LineageTx tx, OperationSpec spec, Ancestry ancestry) {
    Entity head = tx.head();
    Refusal refusal = unwritable(spec.target(), head);
    if (refusal != null) {
      return Outcome.refused(refusal);
    }
    TargetArbitration arbitration = (TargetArbitration) tx.attachment();
    if (arbitration == null) {
      arbitration = new TargetArbitration();
      tx.attach(arbitration);
    } else if (arbitration.size() >= maxOperationsPerTarget) {
      return Outcome.refused(Refusal.of(Refusal.Kind.TOO_MANY_OPERATIONS, spec.target(), head));
    }
    long now = nowNanos();
    long deadline = now + spec.ttl().toNanos();
    OperationEntity begun =
        OperationEntity.newBuilder()
            .setOpId(Ids.newId())
            .setOpType(spec.opType())
            .setPriorityClass(RetryPolicy.effectiveClass(spec.priorityClass()))
            .setPriority(spec.priority())
            .setEffectivePriority(ancestry.effectivePriority())
            .setTargetLineageId(spec.target())
            .setMaxRetries(spec.maxRetries())
            .setParentOpId(spec.parentOpId())
            .setStatus(OperationStatus.PENDING)
            .setCreatedAtNs(nextCreatedAtNs(now))
            .setStartedAt(Timestamps.fromNanos(now))
            .setDeadline(Timestamps.fromNanos(deadline))
            .setSnapshotVersion(head.getVersion())
            .build();
    Operation op = new Operation(begun, ancestry.depth(), deadline);
    arbitration.add(op);
    registry.add(op);
    events.append(envelope(op, head).draft(Event.KindCase.OPERATION_STARTED,
        event -> event.setOperationStarted(OperationStarted.newBuilder().setOperation(begun))));
    return Outcome.of(op);
  }

  /** Offers an operation's new data; the outcome (committed, conflict, rejected) is in-band. */
  public Outcome<CommitOperationResponse> commit(String opId, Struct data) {
    Operation op = registry.get(opId);
    if (op == null) {
      return Outcome.refused(Refusal.ofOperation(Refusal.Kind.NO_OPERATION, opId,
          OperationStatus.OPERATION_STATUS_UNSPECIFIED));
    }
    return step(op.target, tx -> attempt(tx, op, NewData.given(data)));
  }

  /** Cancels a live operation. */
  public Outcome<OperationEntity> abort(String opId) {
    Operation op = registry.get(opId);
    if (op == null) {
      return Outcome.refused(Refusal.ofOperation(Refusal.Kind.NO_OPERATION, opId,
          OperationStatus.OPERATION_STATUS_UNSPECIFIED));
    }
    return step(op.target, tx -> {
      if (op.terminal()) {
        return Outcome.refused(Refusal.ofOperation(Refusal.Kind.OPERATION_FINISHED, op.id, op.status()));
      }
      TargetArbitration arbitration = (TargetArbitration) tx.attachment();
      op.cancelled(Timestamps.fromNanos(nowNanos()));
      end(tx, arbitration, op);
      events.append(envelope(op, tx.head()).draft(Event.KindCase.OPERATION_CANCELLED,
          event -> event.setOperationCancelled(OperationCancelled.getDefaultInstance())));
      settle(tx, arbitration);
      return Outcome.of(op.view());
    });
  }

  /** Reads an operation, live or recently ended. */
  public Outcome<OperationEntity> get(String opId) {
    Operation op = registry.get(opId);
    return op == null
        ? Outcome.refused(Refusal.ofOperation(Refusal.Kind.NO_OPERATION, opId, OperationStatus.OPERATION_STATUS_UNSPECIFIED))
        : Outcome.of(op.view());
  }

  /** Operations in flight (begun, not yet terminal). */
  public int activeOperations() {
    return registry.liveCount();
  }

  /** A page of a target's operations in creation order, after {@code after} (null: from the first). */
  public OperationRegistry.Page list(String target, OperationRegistry.Position after,
      Set<OperationStatus> statuses, int limit) {
    return registry.list(target, after, statuses, limit);
  }

  /**
   * Runs {@code function} on the target under a new operation. Each attempt computes on the latest
   * version inside the target's atomic step, so it never loses a compare-and-set; it waits (on the
   * scheduler, never a sleeping thread) only while an operation of equal priority holds the gate.
   * The begin and the first attempt share one atomic step, so an uncontended Execute locks its
   * target once; the server drives every attempt and wakes it by its deadline at the latest, so it
   * needs no expiry timer.
   */
  public CompletableFuture<Outcome<ExecuteResponse>> execute(OperationSpec spec, ServerFunction function,
      Struct args) {
    Outcome<Ancestry> ancestry = ancestry(spec);
    if (!ancestry.ok()) {
      return CompletableFuture.completedFuture(Outcome.refused(ancestry.refusal()));
    }
    NewData computed = NewData.computed(function, args);
    FirstAttempt first = step(spec.target(), tx -> {
      Outcome<Operation> opened = open(tx, spec, ancestry.value());
      return opened.ok()
          ? new FirstAttempt(opened.value(), attempt(tx, opened.value(), computed))
          : new FirstAttempt(null, Outcome.refused(opened.refusal()));
    });
    CompletableFuture<Outcome<ExecuteResponse>> result = new CompletableFuture<>();
    proceed(first.op(), computed, first.outcome(), result);
    return result;
  }

  /** An Execute's operation (null if it could not begin) and the outcome of its first attempt. */
  private record FirstAttempt(Operation op, Outcome<CommitOperationResponse> outcome) {}

  private void runAttempts(Operation op, NewData data, CompletableFuture<Outcome<ExecuteResponse>> result) {
    Outcome<CommitOperationResponse> attempt;
    try {
      attempt = step(op.target, tx -> attempt(tx, op, data));
    } catch (RuntimeException e) {
      // Nothing drives this operation any more: a timer must end it at its deadline.
      op.expiry = scheduler.schedule(() -> expire(op), Math.max(0, op.deadlineNanos - nowNanos()),
          TimeUnit.NANOSECONDS);
      result.completeExceptionally(e);
      return;
    }
    proceed(op, data, attempt, result);
  }

  /** Answers the Execute, or schedules its next attempt no later than its deadline. */
  private void proceed(Operation op, NewData data, Outcome<CommitOperationResponse> attempt,
      CompletableFuture<Outcome<ExecuteResponse>> result) {
    if (!attempt.ok()) {
      result.complete(Outcome.refused(attempt.refusal()));
      return;
    }
    CommitOperationResponse response = attempt.value();
    if (response.getOutcome() != CommitOutcome.OUTCOME_CONFLICT) {
      result.complete(Outcome.of(ExecuteResponse.newBuilder()
          .setOutcome(response.getOutcome())
          .setOperation(response.getOperation())
          .setEntity(response.getEntity())
          .build()));
      return;
    }
    // The attempt at the deadline finds the operation due and rejects it (EXPIRED) on time.
    long waitNanos = Math.min(Durations.toNanos(response.getRetryAfter()), Math.max(0, op.deadlineNanos - nowNanos()));
    if (waitNanos > 0) {
      scheduler.schedule(() -> runAttempts(op, data, result), waitNanos, TimeUnit.NANOSECONDS);
    } else {
      runAttempts(op, data, result);
    }
  }

  /** One commit attempt, inside the target's atomic step. */
  private Outcome<CommitOperationResponse> attempt(LineageTx tx, Operation op, NewData newData) {
    if (op.terminal()) {
      return ended(op);
    }
    Entity head = tx.head();
    TargetArbitration arbitration = (TargetArbitration) tx.attachment();
    expireDue(tx, arbitration);
    if (op.terminal()) {
      settle(tx, arbitration);
      return ended(op);
    }

    Operation owner = arbitration.owner();
    if (owner != null && owner != op && op.effectivePriority <= owner.effectivePriority) {
      if (op.effectivePriority < owner.effectivePriority) {
        reject(tx, arbitration, op, RejectionReason.PREEMPTED, owner.id, false);
        settle(tx, arbitration);
        return ended(op);
      }
      // Equal priority waits behind the owner, uncharged; if it is older it takes the gate.
      observer.gateWait(op.priorityClass);
      long snapshot = op.snapshotVersion();
      op.retrying(head.getVersion(), false);
      arbitration.retrying(op, head.getVersion());
      long retryAfter = arbitration.owner() == op
          ? 0
          : RetryPolicy.gateWaitNanos(op.priorityClass, arbitration.ahead(op), arbitration.turnInNanos(op));
      publishConflict(op, head, snapshot, owner.id, false);
      publishRetry(op, head, retryAfter);
      return conflict(op, head, retryAfter, false);
    }

    if (newData.computedOnLatest()) {
      op.snapshotAt(head.getVersion());
    }
    if (op.snapshotVersion() == head.getVersion()) {
      Struct data;
      String failure;
      try {
        data = Objects.requireNonNull(newData.from(head.getData()), "a function returned null");
        List<DataRules.Violation> broken = DataRules.check(data, "result", maxEntityBytes);
        failure = broken.isEmpty() ? null : broken.get(0).path() + " " + broken.get(0).description();
      } catch (FunctionFailedException e) {
        data = null;
        failure = e.getMessage();
      }
      if (failure != null) {
        op.failed(failure, Timestamps.fromNanos(nowNanos()));
        end(tx, arbitration, op);
        String message = failure;
        events.append(envelope(op, head).draft(Event.KindCase.OPERATION_FAILED,
            event -> event.setOperationFailed(OperationFailed.newBuilder().setMessage(message))));
        settle(tx, arbitration);
        return Outcome.of(CommitOperationResponse.newBuilder()
            .setOutcome(CommitOutcome.OUTCOME_FAILED)
            .setOperation(op.view())
            .build());
      }
      long started = System.nanoTime();
      Entity written = tx.append(data, false, new Provenance(op.id, newData.functionName()));
      op.succeeded(written.getVersion(), Timestamps.fromNanos(nowNanos()));
      end(tx, arbitration, op);
      publishWrite(head, written, envelope(op, written));
      events.append(envelope(op, written).draft(Event.KindCase.OPERATION_SUCCEEDED,
          event -> event.setOperationSucceeded(
              OperationSucceeded.newBuilder().setVersion(written.getVersion()).setEcsId(written.getEcsId()))));
      observer.committed(true, System.nanoTime() - started);
      settle(tx, arbitration);
      return Outcome.of(CommitOperationResponse.newBuilder()
          .setOutcome(CommitOutcome.OUTCOME_COMMITTED)
          .setOperation(op.view())
          .setEntity(written)
          .build());
    }

    long snapshot = op.snapshotVersion();
    if (arbitration.owner() == op && snapshot < arbitration.ownerSinceVersion()) {
      // The owner's snapshot predates its ownership: a fresh one, uncharged, retry at once.
      op.retrying(head.getVersion(), false);
      observer.conflicted(op.priorityClass, false);
      publishConflict(op, head, snapshot, head.getDerivedFromOpId(), false);
      publishRetry(op, head, 0);
      return conflict(op, head, 0, false);
    }
    if (op.retryCount() >= op.view().getMaxRetries()) {
      observer.conflicted(op.priorityClass, true);
      reject(tx, arbitration, op, RejectionReason.RETRIES_EXHAUSTED, "", true);
      settle(tx, arbitration);
      return ended(op);
    }
    op.retrying(head.getVersion(), true);
    observer.conflicted(op.priorityClass, true);
    arbitration.retrying(op, head.getVersion());
    // Events in cause order: the conflict, the preemptions it causes, then when to retry.
    publishConflict(op, head, snapshot, head.getDerivedFromOpId(), true);
    for (Operation lower : arbitration.below(op.effectivePriority)) {
      reject(tx, arbitration, lower, RejectionReason.PREEMPTED, op.id, false);
    }
    long retryAfter = arbitration.owner() == op ? 0 : RetryPolicy.retryAfterNanos(op.priorityClass, op.retryCount());
    publishRetry(op, head, retryAfter);
    return conflict(op, head, retryAfter, true);
  }

  /**
   * The answer for an operation that already ended: in-band REJECTED (the client learns why and
   * who preempted it), or FAILED_PRECONDITION for one that succeeded, failed or was cancelled.
   */
  private static Outcome<CommitOperationResponse> ended(Operation op) {
    if (op.status() != OperationStatus.REJECTED) {
      return Outcome.refused(Refusal.ofOperation(Refusal.Kind.OPERATION_FINISHED, op.id, op.status()));
    }
    return Outcome.of(CommitOperationResponse.newBuilder()
        .setOutcome(CommitOutcome.OUTCOME_REJECTED)
        .setOperation(op.view())
        .build());
  }

  private static Outcome<CommitOperationResponse> conflict(Operation op, Entity head, long retryAfterNanos,
      boolean charged) {
    return Outcome.of(CommitOperationResponse.newBuilder()
        .setOutcome(CommitOutcome.OUTCOME_CONFLICT)
        .setOperation(op.view())
        .setEntity(head)
        .setRetryAfter(Durations.fromNanos(retryAfterNanos))
        .setCharged(charged)
        .build());
  }

  /** Expires {@code op} if its deadline passed and it is still live (run by the scheduler). */
  private void expire(Operation op) {
    step(op.target, tx -> {
      TargetArbitration arbitration = (TargetArbitration) tx.attachment();
      if (arbitration != null) {
        expireDue(tx, arbitration);
        settle(tx, arbitration);
      }
      return null;
    });
  }

  private void expireDue(LineageTx tx, TargetArbitration arbitration) {
    for (Operation op : arbitration.expired(nowNanos())) {
      reject(tx, arbitration, op, RejectionReason.EXPIRED, "", false);
    }
  }

  private void reject(LineageTx tx, TargetArbitration arbitration, Operation op, RejectionReason reason,
      String preemptedBy, boolean charged) {
    op.rejected(reason, preemptedBy, Timestamps.fromNanos(nowNanos()), charged);
    end(tx, arbitration, op);
    events.append(envelope(op, tx.head()).draft(Event.KindCase.OPERATION_REJECTED,
        event -> event.setOperationRejected(
            OperationRejected.newBuilder().setReason(reason).setPreemptedByOpId(preemptedBy))));
  }

  private void failAll(LineageTx tx, TargetArbitration arbitration, String message) {
    for (Operation op : arbitration.all()) {
      op.failed(message, Timestamps.fromNanos(nowNanos()));
      end(tx, arbitration, op);
      events.append(envelope(op, tx.head()).draft(Event.KindCase.OPERATION_FAILED,
          event -> event.setOperationFailed(OperationFailed.newBuilder().setMessage(message))));
    }
    settle(tx, arbitration);
  }

  /** Takes an operation that just reached a terminal status out of arbitration. */
  private void end(LineageTx tx, TargetArbitration arbitration, Operation op) {
    arbitration.remove(op, tx.head().getVersion());
    if (op.expiry != null) {
      op.expiry.cancel(false);
    }
    observer.ended(op.priorityClass, op.status(), op.view().getRejectionReason());
    registry.ended(op, System.nanoTime());
  }

  /** Drops the arbitration state of a target with nothing in flight. */
  private static void settle(LineageTx tx, TargetArbitration arbitration) {
    if (arbitration.isEmpty()) {
      tx.attach(null);
    }
  }

  private static Refusal unwritable(String lineageId, Entity head) {
    if (head == null) {
      return Refusal.of(Refusal.Kind.NO_LINEAGE, lineageId, null);
    }
    if (head.getDeleted()) {
      return Refusal.of(Refusal.Kind.DELETED, lineageId, head);
    }
    return null;
  }

  // ---- events ----

  // Event bodies run later, on a reader's thread (EventDraft): they capture only immutable values,
  // never an Operation, whose state moves on.

  /** The change's diff and message are built by the first reader, outside the write step. */
  private void publishWrite(Entity previous, Entity written, EventDraft.Envelope envelope) {
    if (written.getDeleted()) {
      events.append(envelope.draft(Event.KindCase.ENTITY_DELETED,
          event -> event.setEntityDeleted(EntityDeleted.newBuilder().setVersion(written.getVersion()))));
    } else {
      events.append(envelope.draft(Event.KindCase.ENTITY_VERSIONED,
          event -> event.setEntityVersioned(EntityVersioned.newBuilder()
              .setOldVersion(previous.getVersion())
              .setNewVersion(written.getVersion())
              .addAllChangedPaths(changedKeys(previous.getData(), written.getData()))
              .setEntity(written))));
    }
  }

  private void publishConflict(Operation op, Entity head, long snapshotVersion, String winner, boolean charged) {
    events.append(envelope(op, head).draft(Event.KindCase.OPERATION_CONFLICT,
        event -> event.setOperationConflict(OperationConflict.newBuilder()
            .setSnapshotVersion(snapshotVersion)
            .setCurrentVersion(head.getVersion())
            .setWinnerOpId(winner)
            .setCharged(charged))));
  }

  private void publishRetry(Operation op, Entity head, long retryAfterNanos) {
    int retryCount = op.retryCount();
    int maxRetries = op.view().getMaxRetries();
    events.append(envelope(op, head).draft(Event.KindCase.OPERATION_RETRY,
        event -> event.setOperationRetry(OperationRetry.newBuilder()
            .setRetryCount(retryCount)
            .setMaxRetries(maxRetries)
            .setRetryAfter(Durations.fromNanos(retryAfterNanos)))));
  }

  private static EventDraft.Envelope envelope(Operation op, Entity target) {
    return new EventDraft.Envelope(op.effectivePriority, op.target, target.getEntityType(), op.id, op.parentId);
  }

  private static EventDraft.Envelope plainEnvelope(Entity entity) {
    return new EventDraft.Envelope(PLAIN_WRITE_PRIORITY, entity.getLineageId(), entity.getEntityType(), "", "");
  }

  /** Top-level keys added, removed or given another value, in key order. */
  private static List<String> changedKeys(Struct before, Struct after) {
    Map<String, Value> old = before.getFieldsMap();
    Map<String, Value> now = after.getFieldsMap();
    TreeSet<String> changed = new TreeSet<>();
    for (Map.Entry<String, Value> field : now.entrySet()) {
      if (!field.getValue().equals(old.get(field.getKey()))) {
        changed.add(field.getKey());
      }
    }
    for (String key : old.keySet()) {
      if (!now.containsKey(key)) {
        changed.add(key);
      }
    }
    return new ArrayList<>(changed);
  }

  // ---- time ----

  private long nowNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private long nextCreatedAtNs(long now) {
    return lastCreatedAtNs.updateAndGet(last -> Math.max(now, last + 1));
  }
}
