package dev.abstractions.bench.load;

import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.UpdateEntityRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * (d) Mixed priorities on 8 hot entities: per entity 1 STRUCTURAL, 5 NORMAL and 4 LOW writers
 * (10% / 90%), each writing read-modify-write increments closed-loop. Run once with operations
 * (Begin, then Commit until COMMITTED or REJECTED, waiting the server's {@code retry_after}; a
 * LOW Begin the server sheds with TARGET_BUSY ends that write uncommitted) and
 * once with plain compare-and-set loops (Get, Update, on ABORTED back off as the server would tell
 * the class to and retry, giving up after the class's retry budget), on the same workload. In
 * both modes a writer whose logical write did not land (REJECTED, or out of retries) waits its
 * class's first backoff before it starts the next one.
 */
final class PriorityScenarios {

  static final int ENTITIES = 8;
  static final int WRITERS_PER_ENTITY = 10;

  enum Mode {
    OPERATIONS("operations (Begin/Commit, retry_after)"),
    CAS("plain CAS loops (Get/Update, client backoff)");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /**
   * One class's figures over the measured window (logical writes that ended in it).
   *
   * @param finished logical writes that ended (committed or given up)
   * @param committed of which committed
   * @param chargedSum charged retries summed over finished writes
   * @param chargedMax largest charged retries of one write
   * @param attempts write attempts (Commit or Update calls)
   * @param wasted attempts that did not land
   * @param shed operations whose Begin was refused TARGET_BUSY (ended, not committed, not wasted:
   *     their client computed nothing)
   * @param latency time from the first call to the commit, committed writes only
   */
  record ClassStats(PriorityClass priorityClass, long finished, long committed, long chargedSum, long chargedMax,
      long attempts, long wasted, long shed, LatencySummary latency) {

    double successRate() {
      return Ratio.of(committed, finished);
    }

    double chargedMean() {
      return Ratio.of(chargedSum, finished);
    }

    double wastedPerCommit() {
      return Ratio.of(wasted, committed);
    }
  }

  /** The row for the main table and the per-class figures. */
  record Result(Mode mode, ResultRow row, List<ClassStats> classes) {

    double wastedPerCommit() {
      long wasted = classes.stream().mapToLong(ClassStats::wasted).sum();
      long committed = classes.stream().mapToLong(ClassStats::committed).sum();
      return Ratio.of(wasted, committed);
    }

    ClassStats of(PriorityClass priorityClass) {
      return classes.stream().filter(c -> c.priorityClass() == priorityClass).findFirst().orElseThrow();
    }
  }

  static final PriorityClass[] CLASSES = {PriorityClass.STRUCTURAL, PriorityClass.NORMAL, PriorityClass.LOW};

  private final Settings settings;

  PriorityScenarios(Settings settings) {
    this.settings = settings;
  }

  static PriorityClass classOf(int writer) {
    return classOf(writer, ENTITIES);
  }

  /**
   * The class of writer {@code writer} of {@code targets} targets (writer {@code w} writes target
   * {@code w % targets}): per target 1 STRUCTURAL, 5 NORMAL, then LOW.
   */
  static PriorityClass classOf(int writer, int targets) {
    int role = writer / targets;
    return role == 0 ? PriorityClass.STRUCTURAL : role <= 5 ? PriorityClass.NORMAL : PriorityClass.LOW;
  }

  Result run(ServerProcess server, Mode mode) throws InterruptedException {
    int writers = ENTITIES * WRITERS_PER_ENTITY;
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "retry-after");
      thread.setDaemon(true);
      return thread;
    });
    try (Channels channels = Channels.open(server.port(), settings.channels())) {
      List<String> entities = EntityData.create(channels, ENTITIES);
      Map<PriorityClass, Counters> counters = new EnumMap<>(PriorityClass.class);
      for (PriorityClass c : CLASSES) {
        counters.put(c, new Counters());
      }
      Writer[] all = new Writer[writers];
      for (int w = 0; w < writers; w++) {
        all[w] = new Writer(classOf(w), entities.get(w % ENTITIES), counters.get(classOf(w)),
            EntityServiceGrpc.newStub(channels.forSlot(w)), OperationServiceGrpc.newStub(channels.forSlot(w)), timer);
      }
      ClosedLoop.Result result = ClosedLoop.run(writers, settings.warmup(), settings.measure(), server.pid(),
          (slot, done) -> {
            if (mode == Mode.OPERATIONS) {
              all[slot].operation(done);
            } else {
              all[slot].compareAndSet(done);
            }
          },
          () -> counters.values().forEach(Counters::start),
          () -> counters.values().forEach(Counters::stop));
      List<ClassStats> classes = new ArrayList<>();
      for (PriorityClass c : CLASSES) {
        classes.add(counters.get(c).stats(c));
      }
      Result partial = new Result(mode, null, classes);
      ResultRow row = ResultRow.of("d-" + mode.name().toLowerCase(java.util.Locale.ROOT),
          "(d) mixed priorities, 8 hot entities, " + writers + " writers, " + mode.label, result,
          "wasted attempts per committed write " + Ratio.number(partial.wastedPerCommit()));
      return new Result(mode, row, classes);
    } finally {
      timer.shutdownNow();
    }
  }

  /** One class's counters; they count only between {@link #start} and {@link #stop}. (t3) counts with them too. */
  static final class Counters {
    private volatile boolean counting;
    private final LongAdder finished = new LongAdder();
    private final LongAdder committed = new LongAdder();
    private final LongAdder chargedSum = new LongAdder();
    private final AtomicLong chargedMax = new AtomicLong();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder wasted = new LongAdder();
    private final LongAdder shed = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private org.HdrHistogram.Histogram measured;

    void start() {
      latency.getIntervalHistogram();
      counting = true;
    }

    void stop() {
      counting = false;
      measured = latency.getIntervalHistogram();
    }

    void attempt(boolean landed) {
      if (counting) {
        attempts.increment();
        if (!landed) {
          wasted.increment();
        }
      }
    }

    void shed() {
      if (counting) {
        shed.increment();
      }
    }

    void ended(boolean committedWrite, long charged, long startedNanos) {
      if (!counting) {
        return;
      }
      finished.increment();
      chargedSum.add(charged);
      chargedMax.accumulateAndGet(charged, Math::max);
      if (committedWrite) {
        committed.increment();
        latency.recordValue(System.nanoTime() - startedNanos);
      }
    }

    ClassStats stats(PriorityClass c) {
      return new ClassStats(c, finished.sum(), committed.sum(), chargedSum.sum(), chargedMax.get(), attempts.sum(),
          wasted.sum(), shed.sum(), LatencySummary.ofNanos(measured));
    }
  }

  /** One writer: its class, its entity, its stubs. One logical write at a time. */
  private static final class Writer {
    private final PriorityClass priorityClass;
    private final String target;
    private final Counters counters;
    private final EntityServiceGrpc.EntityServiceStub entities;
    private final OperationServiceGrpc.OperationServiceStub operations;
    private final ClassBackoff backoff;

    Writer(PriorityClass priorityClass, String target, Counters counters, EntityServiceGrpc.EntityServiceStub entities,
        OperationServiceGrpc.OperationServiceStub operations, ScheduledExecutorService timer) {
      this.priorityClass = priorityClass;
      this.target = target;
      this.counters = counters;
      this.entities = entities;
      this.operations = operations;
      this.backoff = new ClassBackoff(priorityClass, counters, timer);
    }

    void operation(ClosedLoop.Completion done) {
      long started = System.nanoTime();
      BeginOperationRequest begin = BeginOperationRequest.newBuilder()
          .setTargetLineageId(target)
          .setPriorityClass(priorityClass)
          .setOpType("bench-mixed")
          .build();
      operations.begin(begin, Unary.of(
          begun -> commit(begun.getOperation().getOpId(), begun.getSnapshot(), started, done),
          error -> backoff.beginFailed(error, started, done)));
    }

    private void commit(String opId, Entity snapshot, long started, ClosedLoop.Completion done) {
      CommitOperationRequest commit = CommitOperationRequest.newBuilder()
          .setOpId(opId)
          .setData(EntityData.withCount(EntityData.count(snapshot) + 1))
          .build();
      operations.commit(commit, Unary.of(response -> committed(opId, response, started, done), done::failed));
    }

    private void committed(String opId, CommitOperationResponse response, long started, ClosedLoop.Completion done) {
      switch (response.getOutcome()) {
        case OUTCOME_COMMITTED -> {
          counters.attempt(true);
          counters.ended(true, response.getOperation().getRetryCount(), started);
          done.succeeded();
        }
        case OUTCOME_CONFLICT -> {
          counters.attempt(false);
          backoff.after(response.getRetryAfter(), () -> commit(opId, response.getEntity(), started, done));
        }
        case OUTCOME_REJECTED -> {
          counters.attempt(false);
          counters.ended(false, response.getOperation().getRetryCount(), started);
          backoff.pauseThenFinish(done);
        }
        default -> done.failed(new IllegalStateException("Commit answered " + response.getOutcome()));
      }
    }

    void compareAndSet(ClosedLoop.Completion done) {
      casAttempt(0, System.nanoTime(), done);
    }

    private void casAttempt(int failures, long started, ClosedLoop.Completion done) {
      entities.get(GetEntityRequest.newBuilder().setLineageId(target).build(), Unary.of(entity -> {
        UpdateEntityRequest update = UpdateEntityRequest.newBuilder()
            .setLineageId(target)
            .setExpectedVersion(entity.getVersion())
            .setData(EntityData.withCount(EntityData.count(entity) + 1))
            .build();
        entities.update(update, Unary.of(written -> {
          counters.attempt(true);
          counters.ended(true, failures, started);
          done.succeeded();
        }, error -> backoff.writeFailed(error, failures, started, done,
            charged -> casAttempt(charged, started, done))));
      }, done::failed));
    }
  }
}
