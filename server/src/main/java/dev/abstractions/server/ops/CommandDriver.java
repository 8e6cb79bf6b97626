package dev.abstractions.server.ops;

import com.google.protobuf.Struct;
import com.google.protobuf.util.Durations;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.server.core.Actor;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.Decision;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.OpState;
import dev.abstractions.server.core.Refusal;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.RetryPolicy;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.core.Ticker;
import dev.abstractions.server.core.Time;
import dev.abstractions.server.memory.MemoryBudget;
import dev.abstractions.server.ops.functions.ServerFunction;
import dev.abstractions.server.store.DiskSpace;
import dev.abstractions.server.store.EntityStore;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.OperationRegistry;
import dev.abstractions.server.store.RequestKey;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The imperative shell around the decision function: every write (plain creates, updates and
 * deletes, and prioritized operations) enters here as a call, becomes a {@link Command} stamped
 * with the {@link Ticker}'s time, fresh ids and a random draw, and goes to the {@link EntityStore},
 * which applies it through the {@link dev.abstractions.server.core.Decider}. What the decision
 * answers comes back as an {@link Outcome} once the store reaches its durability point.
 *
 * <p>The driver owns what the decision function must not touch: futures, the timers that expire
 * client-driven operations at their deadline, the server-side retry loop of Execute, the Begins
 * waiting for a gate owner to leave, and metrics. Thread-safe. Nothing here blocks a caller:
 * waits are timers on the named {@code ops} scheduler, and no lock is held across a client round
 * trip.
 *
 * <p>It is also where writes meet the {@link MemoryBudget} and the {@link DiskSpace}: a create,
 * update, begin, commit or execute that would take the server past its memory budget, or that
 * arrives while the data directory is short of space, is refused (MEMORY_BUDGET, DISK_FULL) before
 * it becomes a command; deletes and aborts, which free memory and let a user make room, never are.
 *
 * <p>Every write belongs to a {@link RequestKey} (NONE without a request_id), which goes with each
 * of its commands to the store. A request the store already recorded as settled is answered from
 * that record before anything else is checked, so a replay gets the first answer even where a
 * check would now refuse it (the operation ended or is no longer retained, memory is short);
 * otherwise the store answers a replay when its command is applied.
 */
@Singleton
public final class CommandDriver implements AutoCloseable {

  private final EntityStore store;
  private final Ticker ticker;
  private final ScheduledExecutorService scheduler;
  private final Set<String> functions;
  private final OperationsObserver observer;
  private final MemoryBudget budget;
  private final DiskSpace diskSpace;
  /** Last creation stamp handed out: makes created_at_ns unique and increasing. */
  private final AtomicLong lastCreatedAtNs = new AtomicLong();
  /** The expiry timer of each live client-driven operation, cancelled when it ends. */
  private final ConcurrentHashMap<String, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();
  /** Begins waiting for their turn, by target. */
  private final ConcurrentHashMap<String, Waiters> waiting = new ConcurrentHashMap<>();
  /** How often the leader sweeps for overdue operations, and how overdue they must be. */
  static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  @Inject
  CommandDriver(EntityStore store, Ticker ticker, @Named("ops") ScheduledExecutorService scheduler,
      java.util.Map<String, ServerFunction> functions, OperationsObserver observer, MemoryBudget budget,
      DiskSpace diskSpace) {
    this.store = store;
    this.ticker = ticker;
    this.scheduler = scheduler;
    this.functions = functions.keySet();
    this.observer = observer;
    this.budget = budget;
    this.diskSpace = diskSpace;
  }

  // ---- plain writes ----

  /** Creates a new root, or a member of the tree {@code parentId} is in, under it ({@code parentId} ""). */
  public CompletableFuture<Outcome<EntityVersion>> create(RequestKey request, String lineageId, String parentId,
      String entityType, StructBytes data) {
    Reply recorded = recorded(request);
    if (recorded != null) {
      return CompletableFuture.completedFuture(writtenAnswer(recorded));
    }
    Refusal shortage = shortOf(versionBytes(data));
    if (shortage != null) {
      return CompletableFuture.completedFuture(Outcome.refused(shortage));
    }
    return written(new Command.Create(lineageId, parentId, entityType, data, Ids.newId(), ticker.now()), request);
  }

  /** Replaces the data if {@code expectedVersion} is the latest and no operation holds the gate. */
  public CompletableFuture<Outcome<EntityVersion>> update(RequestKey request, String lineageId, long expectedVersion,
      StructBytes data) {
    Reply recorded = recorded(request);
    if (recorded != null) {
      return CompletableFuture.completedFuture(writtenAnswer(recorded));
    }
    Refusal shortage = shortOf(versionBytes(data));
    if (shortage != null) {
      return CompletableFuture.completedFuture(Outcome.refused(shortage));
    }
    return written(new Command.Update(lineageId, expectedVersion, data, Ids.newId(), ticker.now()), request);
  }

  /** Writes the tombstone if {@code expectedVersion} is the latest; operations on it fail. */
  public CompletableFuture<Outcome<EntityVersion>> delete(RequestKey request, String lineageId, long expectedVersion) {
    Reply recorded = recorded(request);
    if (recorded != null) {
      return CompletableFuture.completedFuture(writtenAnswer(recorded));
    }
    return written(new Command.Delete(lineageId, expectedVersion, Ids.newId(), ticker.now()), request);
  }

  /**
   * Changes members of the tree rooted at {@code rootId} at once if its version is still
   * {@code expectedTreeVersion}; answers the tree's new version and the versions written.
   */
  public CompletableFuture<Outcome<Reply.TreeWritten>> writeTree(RequestKey request, String rootId,
      long expectedTreeVersion, List<Command.MemberChange> changes) {
    Reply recorded = recorded(request);
    if (recorded != null) {
      return CompletableFuture.completedFuture(treeWrittenAnswer(recorded));
    }
    long bytes = changeBytes(changes);
    // Like a Delete, a write that only deletes is never refused for space: it is how space is freed.
    Refusal shortage = bytes == 0 ? null : shortOf(bytes);
    if (shortage != null) {
      return CompletableFuture.completedFuture(Outcome.refused(shortage));
    }
    return apply(new Command.WriteTree(rootId, expectedTreeVersion, changes, ticker.now()), request)
        .thenApply(decision -> treeWrittenAnswer(decision.reply()));
  }

  /**
   * Makes a member a root with its live subtree, if its tree is still at {@code expectedTreeVersion};
   * arbitrated as an anonymous operation of {@code priority}.
   */
  public CompletableFuture<Outcome<Reply.Promoted>> promote(RequestKey request, String lineageId,
      long expectedTreeVersion, int priority) {
    Reply recorded = recorded(request);
    if (recorded != null) {
      return CompletableFuture.completedFuture(structuralAnswer(recorded, Reply.Promoted.class));
    }
    // Like a Delete, never refused for space: it writes versions of members that exist, once each.
    return apply(new Command.Promote(lineageId, expectedTreeVersion, priority, Ids.newId(), ticker.now()), request)
        .thenApply(decision -> structuralAnswer(decision.reply(), Reply.Promoted.class));
  }

  /**
   * Puts the root {@code lineageId} with its tree under {@code parentId} (in another tree), if the
   * two trees are still at the versions given; arbitrated on both as an anonymous operation of
   * {@code priority}.
   */
  public CompletableFuture<Outcome<Reply.Attached>> attach(RequestKey request, String lineageId,
      long expectedTreeVersion, String parentId, long expectedParentTreeVersion, int priority) {
    Reply recorded = recorded(request);
    if (recorded != null) {
      return CompletableFuture.completedFuture(structuralAnswer(recorded, Reply.Attached.class));
    }
    // Never refused for space either: one more version of each lineage it moves, as a promotion.
    return apply(new Command.Attach(lineageId, expectedTreeVersion, parentId, expectedParentTreeVersion, priority,
        Ids.newId(), ticker.now()), request)
        .thenApply(decision -> structuralAnswer(decision.reply(), Reply.Attached.class));
  }

  private static <T extends Reply> Outcome<T> structuralAnswer(Reply reply, Class<T> answered) {
    return answered.isInstance(reply)
        ? Outcome.of(answered.cast(reply))
        : Outcome.refused(((Reply.Refused) reply).refusal());
  }

  private static Outcome<Reply.TreeWritten> treeWrittenAnswer(Reply reply) {
    return reply instanceof Reply.TreeWritten written
        ? Outcome.of(written)
        : Outcome.refused(((Reply.Refused) reply).refusal());
  }

  /**
   * What a request with a key was answered already, if anything; reads no clock for a request
   * without one (most writes), as a clock read is a fair share of a write's cost.
   */
  private Reply recorded(RequestKey request) {
    return request.none() ? null : store.recorded(request, ticker.tickNanos());
  }

  private CompletableFuture<Outcome<EntityVersion>> written(Command command, RequestKey request) {
    return apply(command, request).thenApply(decision -> writtenAnswer(decision.reply()));
  }

  private static Outcome<EntityVersion> writtenAnswer(Reply reply) {
    return reply instanceof Reply.Written written
        ? Outcome.of(written.version())
        : Outcome.refused(((Reply.Refused) reply).refusal());
  }

  // ---- operations ----

  /**
   * Begins an operation on a live target and answers it with the target's latest version. While a
   * gate owner of at least its priority holds the target, the answer waits (no thread does) until
   * that owner leaves, for at most the class's longest backoff (and the ttl): a snapshot taken
   * earlier would be overwritten by the owner's commit, so the client's work on it would be wasted.
   * An owner that stays longer does not hold the Begin: it starts, and arbitration rules its commit.
   * A Begin whose caller gave up ({@code awaited} turns false) leaves no operation: dropped if it
   * was still waiting, aborted if it had just started, and answered CALLER_GONE (which nobody
   * reads but a request ledger): an operation nobody will commit would only wait out its ttl and
   * count against the target's limit.
   */
  public CompletableFuture<Outcome<BeginOperationResponse>> begin(RequestKey request, OperationSpec spec,
      BooleanSupplier awaited, Actor actor) {
    Reply recorded = recorded(request);
    if (recorded != null) {
      return CompletableFuture.completedFuture(beginAnswer(recorded));
    }
    Refusal shortage = shortOf(OperationRegistry.HEAP_BYTES);
    if (shortage != null) {
      return CompletableFuture.completedFuture(Outcome.refused(shortage));
    }
    Outcome<Command.NewOperation> operation = newOperation(spec, actor);
    if (!operation.ok()) {
      return CompletableFuture.completedFuture(Outcome.refused(operation.refusal()));
    }
    Time now = ticker.now();
    long waitNanos = Math.min(spec.ttl().toNanos(), RetryPolicy.longestWaitNanos(spec.priorityClass()));
    WaitingBegin begin = new WaitingBegin(new Command.Begin(spec.target(), operation.value(),
        now.tickNanos() + waitNanos, now), request, now.tickNanos() + RetryPolicy.admissionSlackNanos(
            operation.value().effectivePriority()), awaited, new CompletableFuture<>());
    if (waiting.containsKey(spec.target())) {
      await(begin); // others wait already: it takes its place among them rather than ahead
    } else {
      issue(begin, now);
    }
    return begin.answer();
  }

  /** Issues a Begin at {@code now}; it is answered, or waits for the gate. */
  private void issue(WaitingBegin begin, Time now) {
    Command.Begin command = begin.command();
    Command.Begin stamped = new Command.Begin(command.target(), command.operation(), command.waitUntilTick(), now);
    apply(stamped, begin.request()).whenComplete((decision, failure) -> {
      if (failure != null) {
        begin.answer().completeExceptionally(failure);
      } else if (decision.reply() instanceof Reply.MustWait) {
        await(begin);
      } else if (decision.reply() instanceof Reply.Started started && !begin.awaited().getAsBoolean()) {
        // Its caller is gone: nobody will commit it, so it must not hold a slot until its ttl. The
        // abort withdraws the request, so that the caller's retry begins anew.
        apply(new Command.Abort(started.op().target(), started.op().id(), Actor.SERVER, ticker.now()),
            begin.request());
        begin.answer().complete(Outcome.refused(callerGone()));
      } else {
        begin.answer().complete(beginAnswer(decision.reply()));
      }
    });
  }

  private Outcome<BeginOperationResponse> beginAnswer(Reply reply) {
    if (reply instanceof Reply.Started started) {
      expireAtDeadline(started.op());
      return Outcome.of(BeginOperationResponse.newBuilder()
          .setOperation(started.op().view())
          .setSnapshot(started.snapshot().entity())
          .setSnapshotTreeVersion(started.op().snapshotVersion())
          .build());
    }
    return Outcome.refused(((Reply.Refused) reply).refusal());
  }

  /** Parks a Begin until nothing holds the target against it or its wait ends, whichever is first. */
  private void await(WaitingBegin begin) {
    String target = begin.command().target();
    int inFlight = store.state(target).arbitration().inFlight().size();
    boolean[] queued = new boolean[1];
    // Queued inside the map's atomic step, so that a queue is never dropped as empty while a
    // Begin is being added to it (admitWaiting removes empty queues the same way).
    waiting.compute(target, (t, present) -> {
      Waiters waiters = present != null ? present : new Waiters();
      // The group's limit, as the decision applies it, not this member's flag.
      if (waiters.begins.size() + inFlight < store.decider().settings().maxOperationsPerTarget()) {
        waiters.begins.add(begin);
        queued[0] = true;
      }
      return waiters.begins.isEmpty() ? null : waiters;
    });
    if (!queued[0]) {
      begin.answer().complete(Outcome.refused(
          Refusal.of(Refusal.Kind.TOO_MANY_OPERATIONS, target, store.state(target).head())));
      return;
    }
    // The holder may have left between the decision and the queueing: look now (which also
    // arranges the next look).
    admitWaiting(target);
  }

  /**
   * Issues again the Begins on {@code target} that waited their longest wait (they start anyway,
   * or are shed), then, if nothing holds the target against it, the first in admission order: one
   * at a time, for the Begin it starts holds the target against the rest. A decision on the target
   * (the holder commits, ends or acts) brings the driver here again; so does one timer per target,
   * armed for when a waiter's wait or the holder's turn ends by time alone.
   */
  private void admitWaiting(String target) {
    Waiters waiters = waiting.get(target);
    if (waiters == null) {
      return;
    }
    Time now = ticker.now();
    WaitingBegin first = null;
    long nextLookTick = Long.MAX_VALUE;
    for (WaitingBegin begin : waiters.begins) {
      if (now.tickNanos() >= begin.command().waitUntilTick()) {
        if (waiters.begins.remove(begin)) {
          issueIfAwaited(begin, now);
        }
      } else {
        nextLookTick = Math.min(nextLookTick, begin.command().waitUntilTick());
        if (first == null || WaitingBegin.ADMISSION.compare(begin, first) < 0) {
          first = begin;
        }
      }
    }
    if (first != null) {
      Decider.Hold hold = store.decider().holding(store.state(target).arbitration(),
          first.command().operation().effectivePriority(), now.tickNanos());
      if (hold == null) {
        if (waiters.begins.remove(first)) {
          issueIfAwaited(first, now);
        }
      } else {
        nextLookTick = Math.min(nextLookTick, hold.untilTick());
      }
    }
    waiting.computeIfPresent(target, (t, w) -> w.begins.isEmpty() ? null : w);
    if (nextLookTick != Long.MAX_VALUE) {
      lookAgain(target, waiters, nextLookTick);
    }
  }

  /**
   * Arms the target's look at {@code tick} unless one is armed no later. One timer per target
   * rather than one per waiter: timers that wake the scheduler thousands of times a second cost
   * more CPU than the operations they serve (bench (d) in bench/RESULTS.md).
   */
  private void lookAgain(String target, Waiters waiters, long tick) {
    long armed;
    do {
      armed = waiters.lookTick.get();
      if (armed <= tick) {
        return;
      }
    } while (!waiters.lookTick.compareAndSet(armed, tick));
    scheduler.schedule(() -> {
      waiters.lookTick.compareAndSet(tick, Long.MAX_VALUE);
      admitWaiting(target);
    }, Math.max(0, tick - ticker.tickNanos()), TimeUnit.NANOSECONDS);
  }

  /** The Begins waiting on one target, and the tick of its armed look (MAX_VALUE: none). */
  private static final class Waiters {
    final ConcurrentLinkedQueue<WaitingBegin> begins = new ConcurrentLinkedQueue<>();
    final AtomicLong lookTick = new AtomicLong(Long.MAX_VALUE);
  }

  private void issueIfAwaited(WaitingBegin begin, Time now) {
    if (begin.awaited().getAsBoolean()) {
      issue(begin, now);
    } else {
      begin.answer().complete(Outcome.refused(callerGone())); // dropped before it started
    }
  }

  /**
   * A Begin waiting for the target, the request it belongs to, and its caller's answer.
   * {@code admitByTick} orders the waiters: when it arrived plus its priority's slack
   * ({@link RetryPolicy#admissionSlackNanos}), so that higher priorities go first without
   * starving anyone, equal ones oldest first.
   */
  private record WaitingBegin(Command.Begin command, RequestKey request, long admitByTick, BooleanSupplier awaited,
      CompletableFuture<Outcome<BeginOperationResponse>> answer) {

    static final Comparator<WaitingBegin> ADMISSION = Comparator.comparingLong(WaitingBegin::admitByTick)
        .thenComparingLong(begin -> begin.command().operation().createdAtNs());
  }

  /** The new operation a spec begins, with its parent chain resolved, or why its parent forbids it. */
  private Outcome<Command.NewOperation> newOperation(OperationSpec spec, Actor actor) {
    int effectivePriority = spec.priority();
    int depth = 1;
    if (!spec.parentOpId().isEmpty()) {
      OpState parent = store.operation(spec.parentOpId());
      if (parent == null) {
        return Outcome.refused(Refusal.ofOperation(Refusal.Kind.NO_PARENT, spec.parentOpId(),
            OperationStatus.OPERATION_STATUS_UNSPECIFIED));
      }
      if (parent.depth() >= RetryPolicy.MAX_PARENT_DEPTH) {
        return Outcome.refused(Refusal.ofOperation(Refusal.Kind.PARENT_CHAIN_TOO_DEEP, parent.id(),
            OperationStatus.OPERATION_STATUS_UNSPECIFIED));
      }
      effectivePriority = Math.max(spec.priority(), parent.effectivePriority());
      depth = parent.depth() + 1;
    }
    long wall = ticker.wallNanos();
    long createdAtNs = lastCreatedAtNs.updateAndGet(last -> Math.max(wall, last + 1));
    return Outcome.of(new Command.NewOperation(Ids.newId(), spec.opType(), spec.priorityClass(), spec.priority(),
        spec.maxRetries(), spec.parentOpId(), effectivePriority, depth, spec.ttl().toNanos(), createdAtNs, actor));
  }

  /**
   * Offers an operation's new data, or changes to members of its target's tree
   * ({@code treeChanges} not empty); the outcome (committed, conflict, rejected) is in-band.
   */
  public CompletableFuture<Outcome<CommitOperationResponse>> commit(RequestKey request, String opId, StructBytes data,
      List<Command.MemberChange> treeChanges, Actor actor) {
    Reply recorded = recorded(request);
    if (recorded != null) {
      return CompletableFuture.completedFuture(commitAnswer(recorded));
    }
    Refusal shortage = shortOf(treeChanges.isEmpty() ? versionBytes(data) : changeBytes(treeChanges));
    if (shortage != null) {
      return CompletableFuture.completedFuture(Outcome.refused(shortage));
    }
    OpState op = store.operation(opId);
    if (op == null) {
      return CompletableFuture.completedFuture(noOperation(opId));
    }
    Command.Commit command = new Command.Commit(op.target(), opId, data, treeChanges, Ids.newId(),
        ThreadLocalRandom.current().nextDouble(), actor, ticker.now());
    return apply(command, request).thenApply(decision -> commitAnswer(decision.reply()));
  }

  private Outcome<CommitOperationResponse> commitAnswer(Reply reply) {
    if (reply instanceof Reply.NotInFlight notInFlight) {
      return ended(notInFlight.opId());
    }
    if (reply instanceof Reply.Refused refused) {
      return Outcome.refused(refused.refusal());
    }
    Reply.Attempted attempted = (Reply.Attempted) reply;
    CommitOperationResponse.Builder response = CommitOperationResponse.newBuilder()
        .setOutcome(attempted.outcome())
        .setOperation(attempted.op().view())
        .setCharged(attempted.charged());
    if (attempted.entity() != null) {
      response.setEntity(attempted.entity().entity());
    }
    attempted.written().forEach(version -> response.addWritten(version.entity()));
    if (attempted.outcome() == CommitOutcome.OUTCOME_CONFLICT) {
      response.setRetryAfter(Durations.fromNanos(attempted.retryAfterNanos()))
          .setTreeVersion(attempted.op().snapshotVersion());
    } else if (attempted.outcome() == CommitOutcome.OUTCOME_COMMITTED) {
      response.setTreeVersion(attempted.op().view().getCommittedTreeVersion());
    }
    return Outcome.of(response.build());
  }

  /**
   * The answer for an operation that already ended: in-band REJECTED (the client learns why), or
   * FAILED_PRECONDITION for one that succeeded, failed or was cancelled, or NOT_FOUND for one
   * already dropped past its retention (between the decision and now, under a small one).
   */
  private Outcome<CommitOperationResponse> ended(String opId) {
    OpState op = store.operation(opId);
    if (op == null) {
      return noOperation(opId);
    }
    if (op.status() != OperationStatus.REJECTED) {
      return Outcome.refused(Refusal.ofOperation(Refusal.Kind.OPERATION_FINISHED, op.id(), op.status()));
    }
    return Outcome.of(CommitOperationResponse.newBuilder()
        .setOutcome(CommitOutcome.OUTCOME_REJECTED)
        .setOperation(op.view())
        .build());
  }

  /** Cancels a live operation. */
  public CompletableFuture<Outcome<OperationEntity>> abort(RequestKey request, String opId, Actor actor) {
    Reply recorded = recorded(request);
    if (recorded != null) {
      return CompletableFuture.completedFuture(abortAnswer(opId, recorded));
    }
    OpState op = store.operation(opId);
    if (op == null) {
      return CompletableFuture.completedFuture(noOperation(opId));
    }
    if (op.terminal()) {
      return CompletableFuture.completedFuture(finished(op));
    }
    return apply(new Command.Abort(op.target(), opId, actor, ticker.now()), request)
        .thenApply(decision -> abortAnswer(opId, decision.reply()));
  }

  private Outcome<OperationEntity> abortAnswer(String opId, Reply reply) {
    if (reply instanceof Reply.Cancelled cancelled) {
      return Outcome.of(cancelled.op().view());
    }
    return reply instanceof Reply.Refused refused
        ? Outcome.refused(refused.refusal())
        : finished(store.operation(opId));
  }

  /** Renews a live operation's gate lease: its client is alive. */
  public CompletableFuture<Outcome<OperationEntity>> keepAlive(String opId, Actor actor) {
    OpState op = store.operation(opId);
    if (op == null) {
      return CompletableFuture.completedFuture(noOperation(opId));
    }
    if (op.terminal()) {
      return CompletableFuture.completedFuture(finished(op));
    }
    Command keepAlive = new Command.KeepAlive(op.target(), opId, actor, ticker.now());
    return apply(keepAlive, RequestKey.NONE).thenApply(decision -> {
      if (decision.reply() instanceof Reply.KeptAlive kept) {
        return Outcome.of(kept.op().view());
      }
      return decision.reply() instanceof Reply.Refused refused
          ? Outcome.refused(refused.refusal())
          : finished(store.operation(opId));
    });
  }

  /** Reads an operation, live or recently ended. */
  /** The store's read barrier: a read after it is linearizable ({@link EntityStore#readBarrier}). */
  public CompletableFuture<Void> readBarrier() {
    return store.readBarrier();
  }

  public Outcome<OperationEntity> get(String opId) {
    OpState op = store.operation(opId);
    return op == null ? noOperation(opId) : Outcome.of(op.view());
  }

  /** Operations in flight (begun, not yet terminal). */
  public int activeOperations() {
    return store.liveOperations();
  }

  /** A page of a target's operations in creation order, after {@code after} (null: from the first). */
  public OperationRegistry.Page list(String target, OperationRegistry.Position after, Set<OperationStatus> statuses,
      int limit) {
    return store.operations(target, after, statuses, limit);
  }

  /**
   * Runs {@code function} on the target under a new operation. Each attempt computes on the latest
   * version inside the target's atomic step, so it never loses a compare-and-set; it waits (on the
   * scheduler, never a sleeping thread) only while an operation of equal priority holds the gate.
   * The begin and the first attempt are one command, so an uncontended Execute is one step; the
   * server drives every attempt and makes one by the deadline at the latest, so it needs no expiry
   * timer.
   */
  public CompletableFuture<Outcome<ExecuteResponse>> execute(RequestKey request, OperationSpec spec, String function,
      Struct args, String memberId, Actor actor) {
    if (!functions.contains(function)) {
      throw new IllegalArgumentException("no server function " + function);
    }
    CompletableFuture<Outcome<ExecuteResponse>> result = new CompletableFuture<>();
    Reply recorded = recorded(request);
    if (recorded != null) {
      proceed(recorded, request, function, args, memberId, result);
      return result;
    }
    EntityVersion head = store.state(spec.target()).head();
    Refusal shortage = shortOf(OperationRegistry.HEAP_BYTES + (head == null ? 0 : versionBytes(head.encodedSize())));
    if (shortage != null) {
      return CompletableFuture.completedFuture(Outcome.refused(shortage));
    }
    Outcome<Command.NewOperation> operation = newOperation(spec, actor);
    if (!operation.ok()) {
      return CompletableFuture.completedFuture(Outcome.refused(operation.refusal()));
    }
    Command.Execute first = new Command.Execute(spec.target(), operation.value(), function, args, memberId,
        Ids.newId(), ThreadLocalRandom.current().nextDouble(), ticker.now());
    apply(first, request).whenComplete((decision, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure);
      } else {
        proceed(decision.reply(), request, function, args, memberId, result);
      }
    });
    return result;
  }

  /** Answers the Execute, or makes its next attempt when told, no later than its deadline. */
  private void proceed(Reply reply, RequestKey request, String function, Struct args, String memberId,
      CompletableFuture<Outcome<ExecuteResponse>> result) {
    if (reply instanceof Reply.Refused refused) {
      result.complete(Outcome.refused(refused.refusal()));
      return;
    }
    if (reply instanceof Reply.NotInFlight notInFlight) {
      Outcome<CommitOperationResponse> ended = ended(notInFlight.opId());
      result.complete(ended.ok()
          ? Outcome.of(ExecuteResponse.newBuilder()
              .setOutcome(CommitOutcome.OUTCOME_REJECTED).setOperation(ended.value().getOperation()).build())
          : Outcome.refused(ended.refusal()));
      return;
    }
    Reply.Attempted attempted = (Reply.Attempted) reply;
    if (attempted.outcome() != CommitOutcome.OUTCOME_CONFLICT) {
      ExecuteResponse.Builder response = ExecuteResponse.newBuilder()
          .setOutcome(attempted.outcome())
          .setOperation(attempted.op().view());
      if (attempted.entity() != null) {
        response.setEntity(attempted.entity().entity());
      }
      result.complete(Outcome.of(response.build()));
      return;
    }
    OpState op = attempted.op();
    // The attempt at the deadline finds the operation due and rejects it (EXPIRED) on time.
    long waitNanos = Math.min(attempted.retryAfterNanos(), Math.max(0, op.deadlineTick() - ticker.tickNanos()));
    Runnable next = () -> attempt(op, request, function, args, memberId, result);
    if (waitNanos > 0) {
      scheduler.schedule(next, waitNanos, TimeUnit.NANOSECONDS);
    } else {
      next.run();
    }
  }

  private void attempt(OpState op, RequestKey request, String function, Struct args, String memberId,
      CompletableFuture<Outcome<ExecuteResponse>> result) {
    Command.Attempt command = new Command.Attempt(op.target(), op.id(), function, args, memberId, Ids.newId(),
        ThreadLocalRandom.current().nextDouble(), ticker.now());
    apply(command, request).whenComplete((decision, failure) -> {
      if (failure != null) {
        // Nothing drives this operation any more: a timer must end it at its deadline.
        expireAtDeadline(op);
        result.completeExceptionally(failure);
      } else {
        proceed(decision.reply(), request, function, args, memberId, result);
      }
    });
  }

  // ---- the store, time and metrics ----

  /** Applies a command, then does what its decision asks of the shell: metrics, timers, waiters. */
  private CompletableFuture<Decision> apply(Command command, RequestKey request) {
    long started = System.nanoTime();
    return store.apply(command, request).thenApply(decision -> {
      observe(decision, System.nanoTime() - started);
      watchGateLease(command, decision);
      if (!waiting.isEmpty() && waiting.containsKey(command.target())) {
        admitWaiting(command.target());
      }
      return decision;
    });
  }

  /**
   * Arms the gate lease of the target's owner if this decision made it owner or renewed it: at
   * the lease's end an Expire finds it silent (and rejects it) or renewed (and does nothing).
   */
  private void watchGateLease(Command command, Decision decision) {
    OpState owner = decision.state().arbitration().owner();
    if (owner != null && changed(decision, owner.id())) {
      long delay = Math.max(0, owner.leaseUntilTick() - ticker.tickNanos());
      // The root the decision was on: an attachment's target is the root that joined it.
      String root = decision.state().head().lineageId();
      scheduler.schedule(() -> apply(new Command.Expire(root, ticker.now()), RequestKey.NONE), delay,
          TimeUnit.NANOSECONDS);
    }
  }

  /** Whether the decision changed the operation with this id (by id: a record's equals compares the whole view). */
  private static boolean changed(Decision decision, String opId) {
    for (OpState op : decision.changed()) {
      if (op.id().equals(opId)) {
        return true;
      }
    }
    return false;
  }

  private void observe(Decision decision, long stepNanos) {
    if (!decision.written().isEmpty()) {
      observer.committed(decision.writerClass() != null, stepNanos);
    }
    if (decision.conflict() != null) {
      observer.conflicted(decision.conflict().byOperation() ? decision.writerClass() : null,
          decision.conflict().charged());
    }
    if (decision.gateWait()) {
      observer.gateWait(decision.writerClass());
    }
    for (OpState op : decision.changed()) {
      if (op.terminal()) {
        observer.ended(op.priorityClass(), op.status(), op.view().getRejectionReason());
        ScheduledFuture<?> expiry = expiries.remove(op.id());
        if (expiry != null) {
          expiry.cancel(false);
        }
      }
    }
  }

  /** A client drives this operation and may vanish: only a timer can end it at its deadline. */
  private void expireAtDeadline(OpState op) {
    long delay = Math.max(0, op.deadlineTick() - ticker.tickNanos());
    ScheduledFuture<?> expiry = scheduler.schedule(
        () -> apply(new Command.Expire(op.target(), ticker.now()), RequestKey.NONE), delay, TimeUnit.NANOSECONDS);
    expiries.put(op.id(), expiry);
    if (store.operation(op.id()) == null || store.operation(op.id()).terminal()) {
      // It ended before its timer was filed: nothing will cancel the timer but this.
      expiries.remove(op.id());
      expiry.cancel(false);
    }
  }

  /** What member changes keep in memory: their new versions (a delete keeps the tombstone it replaces with). */
  private static long changeBytes(List<Command.MemberChange> changes) {
    long bytes = 0;
    for (Command.MemberChange change : changes) {
      if (change instanceof Command.MemberChange.Create create) {
        bytes += versionBytes(create.data());
      } else if (change instanceof Command.MemberChange.Update update) {
        bytes += versionBytes(update.data());
      }
    }
    return bytes;
  }

  private static long versionBytes(StructBytes data) {
    return versionBytes(data.size());
  }

  /**
   * What a new version of {@code dataBytes} of data is expected to add to the budget: the version
   * in the history and, held by its event, the version and its encoding in the event log.
   */
  private static long versionBytes(int dataBytes) {
    return 3L * (dataBytes + 256);
  }

  /**
   * Why a write that keeps about {@code bytes} more in memory must not become a command now: the
   * disk is short (DISK_FULL), or the memory budget is (MEMORY_BUDGET); null if neither.
   */
  private Refusal shortOf(long bytes) {
    Refusal disk = diskSpace.shortage();
    if (disk != null) {
      return disk;
    }
    return budget.admits(bytes) ? null : Refusal.memory(budget.used(), budget.limit());
  }

  private static Refusal callerGone() {
    return Refusal.ofOperation(Refusal.Kind.CALLER_GONE, "", OperationStatus.OPERATION_STATUS_UNSPECIFIED);
  }

  private static <T> Outcome<T> noOperation(String opId) {
    return Outcome.refused(Refusal.ofOperation(Refusal.Kind.NO_OPERATION, opId,
        OperationStatus.OPERATION_STATUS_UNSPECIFIED));
  }

  private static <T> Outcome<T> finished(OpState op) {
    return Outcome.refused(Refusal.ofOperation(Refusal.Kind.OPERATION_FINISHED, op.id(), op.status()));
  }

  /**
   * Starts the sweep: once a {@link #SWEEP_NANOS period}, the member that {@link EntityStore#leads
   * leads} expires what is overdue by more than a period on the targets with operations in flight.
   * The timers above expire an operation on time on the member that began it; the sweep is for
   * when that member died (and its timers with it) or lost its timer to a failed attempt, and for
   * a store restored from a snapshot or log, whose operations no timer here was armed for.
   */
  public void start() {
    scheduler.schedule(this::sweep, SWEEP_NANOS, TimeUnit.NANOSECONDS);
  }

  private void sweep() {
    try {
      if (store.leads()) {
        long overdue = ticker.tickNanos() - SWEEP_NANOS;
        for (String target : store.targetsWithOperationsInFlight()) {
          if (store.decider().nextExpiryTick(store.state(target).arbitration()) <= overdue) {
            apply(new Command.Expire(target, ticker.now()), RequestKey.NONE);
          }
        }
      }
    } finally {
      try {
        scheduler.schedule(this::sweep, SWEEP_NANOS, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // The driver is closing: no more sweeps.
      }
    }
  }

  /** Stops the timers; operations still in flight end at their deadline no more (nothing is served). */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
