package dev.abstractions.server.ops;

import static dev.abstractions.server.core.Counters.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.server.core.Actor;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.RetryPolicy;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.core.Ticker;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.events.EventLogSettings;
import dev.abstractions.server.events.EventSignal;
import dev.abstractions.server.memory.MemoryBudget;
import dev.abstractions.server.store.DiskSpace;
import dev.abstractions.server.store.InMemoryEntityStore;
import dev.abstractions.server.store.OperationRegistry;
import dev.abstractions.server.store.RequestKey;
import dev.abstractions.server.store.RequestTable;
import dev.abstractions.server.store.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's mixed-priority workload (d) on a simulated clock: 8 hot entities, each with 1
 * STRUCTURAL, 5 NORMAL and 4 LOW closed-loop writers of read-modify-write increments, once as
 * operations (Begin, Commit until committed or rejected, waiting the server's retry_after) and
 * once as plain compare-and-set loops (Get, Update, class backoff, the class's retry budget). The real {@link CommandDriver}, store and decision
 * function run; the simulation supplies time, timers, a network (a one-way delay with jitter and
 * rare multi-millisecond stalls) and a two-core server whose calls cost CPU, so wasted attempts
 * cost throughput as they do on the real server. Workload and network are seeded; the driver's
 * own retry jitter is not, so figures vary a little between runs.
 *
 * <p>It prints the table of mode x class (success, charged retries, waste, p99, goodput) kept in
 * bench/RESULTS.md, and holds the arbitration to its goals relative to the plain compare-and-set
 * loops of the same run. (Three policies were compared this way before one was kept; see
 * bench/RESULTS.md.)
 */
class MixedPrioritySimulationTest {

  private static final long MICRO = 1_000L;
  private static final long MILLI = 1_000_000L;
  private static final int ENTITIES = 8;
  private static final int WRITERS_PER_ENTITY = 10;
  /** The network's least one-way delay; a message takes up to three times as long. */
  private static final long ONE_WAY_MICROS = Long.getLong("simulation.oneWayMicros", 50);
  private static final long WARMUP = 300 * MILLI;
  private static final long MEASURE = 2_000 * MILLI;
  private static final PriorityClass[] CLASSES = {PriorityClass.STRUCTURAL, PriorityClass.NORMAL, PriorityClass.LOW};

  /** CPU per call (client and server together; the load generator shares the machine in (d)). */
  private static final long GET_COST = 40 * MICRO;
  private static final long UPDATE_COST = 50 * MICRO;
  private static final long OPERATION_CALL_COST = 60 * MICRO;

  @Test
  void operationsBeatPlainCompareAndSetLoopsForEveryClassOnTheMixedWorkload() {
    long seed = Long.getLong("simulation.seed", 7);
    Result cas = new Simulation(seed, false).run();
    Result turns = new Simulation(seed, true).run();
    StringBuilder table = new StringBuilder();
    table.append("| mode | class | writes ended | success | charged mean | max | shed at Begin | wasted / committed"
        + " | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|---|---|\n");
    cas.appendRows("plain CAS loops", table);
    turns.appendRows("operations", table);
    table.append("\n| mode | committed writes/s | wasted attempts per committed write |\n|---|---|---|\n");
    table.append(String.format(Locale.ROOT, "| plain CAS loops | %,.0f | %.2f |%n", cas.goodput(), cas.wastePerCommit()));
    table.append(String.format(Locale.ROOT, "| operations | %,.0f | %.2f |%n", turns.goodput(),
        turns.wastePerCommit()));
    System.out.println("(d) simulated, seed " + seed + "\n" + table);

    ClassResult structural = turns.of(PriorityClass.STRUCTURAL);
    assertThat(structural.success()).as("STRUCTURAL success").isEqualTo(1.0);
    assertThat(structural.chargedMax).as("STRUCTURAL charged retries").isLessThanOrEqualTo(2);
    assertThat(structural.p99()).as("STRUCTURAL p99 vs plain CAS loops'")
        .isLessThanOrEqualTo(cas.of(PriorityClass.STRUCTURAL).p99() / 4);
    assertThat(turns.goodput()).as("committed writes/s vs plain CAS loops'").isGreaterThanOrEqualTo(cas.goodput());
    assertThat(turns.wastePerCommit()).as("waste vs plain CAS loops'").isLessThanOrEqualTo(cas.wastePerCommit());
    assertThat(turns.of(PriorityClass.NORMAL).success()).as("NORMAL success").isGreaterThanOrEqualTo(0.95);
    assertThat(turns.of(PriorityClass.LOW).success()).as("LOW success").isGreaterThanOrEqualTo(0.80);
  }

  /** One class's figures over the measured window. */
  private static final class ClassResult {
    long finished;
    long committed;
    long chargedSum;
    long chargedMax;
    long shed;
    long wasted;
    final List<Long> latencies = new ArrayList<>();

    double success() {
      return finished == 0 ? 0 : (double) committed / finished;
    }

    long p99() {
      return percentile(0.99);
    }

    long percentile(double p) {
      if (latencies.isEmpty()) {
        return 0;
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }
  }

  private record Result(Map<PriorityClass, ClassResult> classes) {

    ClassResult of(PriorityClass cls) {
      return classes.get(cls);
    }

    double goodput() {
      long committed = classes.values().stream().mapToLong(c -> c.committed).sum();
      return committed / (MEASURE / 1e9);
    }

    double wastePerCommit() {
      long committed = classes.values().stream().mapToLong(c -> c.committed).sum();
      long wasted = classes.values().stream().mapToLong(c -> c.wasted).sum();
      return committed == 0 ? Double.POSITIVE_INFINITY : (double) wasted / committed;
    }

    void appendRows(String mode, StringBuilder table) {
      for (PriorityClass cls : CLASSES) {
        ClassResult c = classes.get(cls);
        table.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.1f%% | %.2f | %d | %,d | %.2f | %.2f | %.2f |%n",
            mode, cls, c.finished, 100 * c.success(), c.finished == 0 ? 0 : (double) c.chargedSum / c.finished,
            c.chargedMax, c.shed, c.committed == 0 ? 0 : (double) c.wasted / c.committed, c.percentile(0.5) / 1e6,
            c.p99() / 1e6));
      }
    }
  }

  /** One seeded run of the workload, as operations or as plain CAS loops. */
  private static final class Simulation implements Ticker {

    private final Random random;
    private final boolean operations;
    private final PriorityQueue<Step> agenda = new PriorityQueue<>();
    private final long[] coreFreeAt = new long[2];
    private final Map<PriorityClass, ClassResult> classes = new EnumMap<>(PriorityClass.class);
    private final InMemoryEntityStore store;
    private final CommandDriver driver;
    private final List<Throwable> failures = new ArrayList<>();
    private long tick;
    private long order;

    Simulation(long seed, boolean operations) {
      this.random = new Random(seed);
      this.operations = operations;
      for (PriorityClass cls : CLASSES) {
        classes.put(cls, new ClassResult());
      }
      Decider decider = new Decider(Map.of(),
          new Decider.Settings(1 << 16, 1000, 1000, 5_000 * MILLI, Decider.TreeLimits.NONE));
      store = new InMemoryEntityStore(decider,
          new EventLog(new EventLogSettings(1024, Duration.ofHours(1)), Clock.systemUTC(), new EventSignal(),
              MemoryBudget.unlimited()),
          new OperationRegistry(1024, Duration.ofMinutes(5).toNanos(), MemoryBudget.unlimited()),
          new RequestTable(1024, Duration.ofMinutes(5).toNanos(), MemoryBudget.unlimited()),
          new StoreSettings(4, 1 << 16), MemoryBudget.unlimited());
      driver = new CommandDriver(store, this, new Timers(), Map.of(), Unobserved.OBSERVER,
          MemoryBudget.unlimited(), DiskSpace.none());
    }

    Result run() {
      for (int e = 0; e < ENTITIES; e++) {
        String target = "entity-" + e;
        assertThat(driver.create(RequestKey.NONE, target, "", "Counter", StructBytes.of(count(0))).join().ok()).isTrue();
        for (int w = 0; w < WRITERS_PER_ENTITY; w++) {
          PriorityClass cls = w == 0 ? PriorityClass.STRUCTURAL : w <= 5 ? PriorityClass.NORMAL : PriorityClass.LOW;
          Writer writer = new Writer(target, cls, new Actor("writer-" + e + "-" + w, false, false));
          at(random.nextInt(1000) * MICRO, writer::next);
        }
      }
      long end = WARMUP + MEASURE;
      while (!agenda.isEmpty() && agenda.peek().tick <= end) {
        Step step = agenda.poll();
        tick = Math.max(tick, step.tick);
        step.action.run();
      }
      assertThat(failures).as("calls that failed").isEmpty();
      return new Result(classes);
    }

    @Override
    public long tickNanos() {
      return tick;
    }

    @Override
    public long wallNanos() {
      return 1_700_000_000_000L * MILLI + tick;
    }

    private boolean measuring() {
      return tick >= WARMUP && tick < WARMUP + MEASURE;
    }

    private void at(long delayNanos, Runnable action) {
      agenda.add(new Step(tick + Math.max(0, delayNanos), order++, action));
    }

    /** A message across the network: usually 1-3x the least one-way delay, now and then a stall of a few ms. */
    private void send(Runnable delivery) {
      long delay = ONE_WAY_MICROS * MICRO + random.nextInt((int) (2 * ONE_WAY_MICROS)) * MICRO;
      if (random.nextInt(1000) < 3) {
        delay += (2 + random.nextInt(7)) * MILLI;
      }
      at(delay, delivery);
    }

    /** A call arriving at the server: it runs once one of the two cores has spent {@code cost} on it. */
    private void serve(long cost, Runnable call) {
      int core = coreFreeAt[0] <= coreFreeAt[1] ? 0 : 1;
      long done = Math.max(tick, coreFreeAt[core]) + cost;
      coreFreeAt[core] = done;
      at(done - tick, call);
    }

    /** A closed-loop writer of one class on one entity; one logical write at a time. */
    private final class Writer {
      private final String target;
      private final PriorityClass cls;
      private final Actor actor;
      private final ClassResult counts;
      private long started;

      Writer(String target, PriorityClass cls, Actor actor) {
        this.target = target;
        this.cls = cls;
        this.actor = actor;
        this.counts = classes.get(cls);
      }

      void next() {
        started = tick;
        if (!operations) {
          casAttempt(0);
        } else {
          OperationSpec spec = new OperationSpec(target, "sim-mixed", cls, RetryPolicy.defaultPriority(cls),
              RetryPolicy.defaultMaxRetries(cls), "", Duration.ofSeconds(30));
          call(OPERATION_CALL_COST, () -> driver.begin(RequestKey.NONE, spec, () -> true, actor), this::begun);
        }
      }

      /** Sends a call, runs it on the server, and delivers its answer back to this writer. */
      private <T> void call(long cost, java.util.function.Supplier<CompletableFuture<T>> call,
          java.util.function.Consumer<T> answer) {
        send(() -> serve(cost, () -> call.get().whenComplete((value, failure) -> {
          if (failure != null) {
            failures.add(failure);
          } else {
            send(() -> answer.accept(value));
          }
        })));
      }

      private void begun(Outcome<BeginOperationResponse> begun) {
        if (!begun.ok()) {
          if (measuring()) {
            counts.shed++;
          }
          ended(false, 0);
          pauseThenNext(begun.refusal().retryAfterNanos());
          return;
        }
        commit(begun.value().getOperation().getOpId(), begun.value().getSnapshot());
      }

      private void commit(String opId, Entity snapshot) {
        call(OPERATION_CALL_COST, () -> driver.commit(RequestKey.NONE, opId, StructBytes.of(count(countOf(snapshot) + 1)), List.of(), actor),
            answer -> committed(opId, answer));
      }

      private void committed(String opId, Outcome<CommitOperationResponse> answer) {
        if (!answer.ok()) {
          wasted();
          ended(false, 0);
          pauseThenNext(0);
          return;
        }
        CommitOperationResponse response = answer.value();
        switch (response.getOutcome()) {
          case OUTCOME_COMMITTED -> {
            ended(true, response.getOperation().getRetryCount());
            next();
          }
          case OUTCOME_CONFLICT -> {
            wasted();
            long wait = response.getRetryAfter().getSeconds() * 1_000_000_000L + response.getRetryAfter().getNanos();
            Entity fresh = response.getEntity();
            at(wait, () -> commit(opId, fresh));
          }
          default -> {
            wasted();
            ended(false, response.getOperation().getRetryCount());
            pauseThenNext(0);
          }
        }
      }

      private void casAttempt(int failures) {
        call(GET_COST, () -> CompletableFuture.completedFuture(store.state(target).head()), head ->
            call(UPDATE_COST, () -> driver.update(RequestKey.NONE, target, head.version(), StructBytes.of(count(countOf(head.entity()) + 1))),
                written -> {
                  if (written.ok()) {
                    ended(true, failures);
                    next();
                    return;
                  }
                  wasted();
                  int charged = failures + 1;
                  if (charged > RetryPolicy.defaultMaxRetries(cls)) {
                    ended(false, charged);
                    pauseThenNext(0);
                  } else {
                    at(RetryPolicy.retryAfterNanos(cls, charged, random.nextDouble()), () -> casAttempt(charged));
                  }
                }));
      }

      private void wasted() {
        if (measuring()) {
          counts.wasted++;
        }
      }

      private void ended(boolean committed, long charged) {
        if (!measuring()) {
          return;
        }
        counts.finished++;
        counts.chargedSum += charged;
        counts.chargedMax = Math.max(counts.chargedMax, charged);
        if (committed) {
          counts.committed++;
          counts.latencies.add(tick - started);
        }
      }

      /** After a write that did not land: the server's retry_after, or the class's first backoff. */
      private void pauseThenNext(long retryAfterNanos) {
        at(retryAfterNanos > 0 ? retryAfterNanos : RetryPolicy.retryAfterNanos(cls, 1, random.nextDouble()),
            this::next);
      }
    }

    /** The driver's timers, on the simulated clock. Only the one-shot {@code schedule}s are used. */
    private final class Timers extends AbstractExecutorService implements ScheduledExecutorService {

      @Override
      public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Timer timer = new Timer(tick + unit.toNanos(delay));
        at(unit.toNanos(delay), () -> {
          if (!timer.cancelled) {
            command.run();
          }
        });
        return timer;
      }

      @Override
      @SuppressWarnings("unchecked")
      public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return (ScheduledFuture<V>) schedule(() -> {
          try {
            callable.call();
          } catch (Exception e) {
            failures.add(e);
          }
        }, delay, unit);
      }

      @Override
      public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
          TimeUnit unit) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void execute(Runnable command) {
        at(0, command);
      }

      @Override
      public void shutdown() {}

      @Override
      public List<Runnable> shutdownNow() {
        return List.of();
      }

      @Override
      public boolean isShutdown() {
        return false;
      }

      @Override
      public boolean isTerminated() {
        return false;
      }

      @Override
      public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
      }
    }

    /** A timer's handle: cancelling it makes it a no-op when its time comes. */
    private final class Timer implements ScheduledFuture<Object> {
      private final long dueTick;
      private boolean cancelled;

      Timer(long dueTick) {
        this.dueTick = dueTick;
      }

      @Override
      public long getDelay(TimeUnit unit) {
        return unit.convert(dueTick - tick, TimeUnit.NANOSECONDS);
      }

      @Override
      public int compareTo(Delayed other) {
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
      }

      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        cancelled = true;
        return true;
      }

      @Override
      public boolean isCancelled() {
        return cancelled;
      }

      @Override
      public boolean isDone() {
        return cancelled || dueTick <= tick;
      }

      @Override
      public Object get() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Object get(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException();
      }
    }
  }

  /** An action due at a tick; equal ticks run in the order they were scheduled. */
  private record Step(long tick, long order, Runnable action) implements Comparable<Step> {
    @Override
    public int compareTo(Step other) {
      int byTick = Long.compare(tick, other.tick);
      return byTick != 0 ? byTick : Long.compare(order, other.order);
    }
  }


  private static long countOf(Entity entity) {
    return (long) entity.getData().getFieldsOrThrow("count").getNumberValue();
  }
}
