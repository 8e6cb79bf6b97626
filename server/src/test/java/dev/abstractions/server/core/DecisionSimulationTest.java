package dev.abstractions.server.core;

import static dev.abstractions.server.core.Counters.INCREMENT;
import static dev.abstractions.server.core.Counters.count;
import static dev.abstractions.server.core.Counters.countOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Deterministic simulation of the decision function (FoundationDB-style): from one seed, many
 * simulated clients of every class (client-driven operations with think time, parent chains,
 * aborts and crashes; server-side Executes; plain compare-and-set loops) contend on a few hot
 * targets on a simulated clock, with the wall clock stepping back now and then. The simulation
 * plays the driver's part (it re-issues waiting Begins, expires operations at their deadlines) and
 * checks the invariants after every decision:
 * <ul>
 *   <li>at most one gate owner per target, and it is the highest-ranked retrying operation;
 *   <li>no version is written by an operation that had already ended (preempted, expired, ...);
 *   <li>retry_count never exceeds max_retries;
 *   <li>per target, versions are gap-free, each names its predecessor, stamps strictly increase,
 *       and the counter equals the writes acknowledged;
 *   <li>events come in gap-free sequence, and per target in version order;
 *   <li>every operation ends: after the last client, expiry leaves nothing in flight.
 * </ul>
 * A failure names its seed; {@code -Dsimulation.seed=N} replays exactly that run, and
 * {@code -Dsimulation.seeds=N} runs a longer soak (see docs/architecture.md).
 */
class DecisionSimulationTest {

  private static final long MILLI = 1_000_000L;
  private static final int TARGETS = 3;
  private static final int CLIENTS = 40;

  @Test
  void everyInvariantHoldsAfterEveryDecisionForThousandsOfSeeds() {
    String one = System.getProperty("simulation.seed");
    if (one != null) {
      new Simulation(Long.parseLong(one)).run();
      return;
    }
    int seeds = Integer.getInteger("simulation.seeds", 5_000);
    long decisions = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      decisions += new Simulation(seed).run();
    }
    assertThat(decisions).as("decisions made").isGreaterThan(seeds * 100L);
  }

  @Test
  void aSeedReplaysToTheSameDecisions() {
    Simulation first = new Simulation(42);
    Simulation second = new Simulation(42);
    assertThat(first.run()).isEqualTo(second.run());
    assertThat(second.trace.toString()).isNotEmpty().isEqualTo(first.trace.toString());
  }

  /** One seeded run: its clock, its clients, its targets and the checks. */
  private static final class Simulation {

    private final long seed;
    private final Random random;
    private final Decider decider = new Decider(Map.of("increment", INCREMENT),
        new Decider.Settings(1 << 16, 1000, 1000, 5_000 * MILLI, Decider.TreeLimits.NONE));
    private final Map<String, TargetState> states = new HashMap<>();
    private final Map<String, OpState> operations = new HashMap<>();
    private final Set<String> ended = new HashSet<>();
    private final Map<String, Long> acknowledged = new HashMap<>();
    private final Map<String, Long> lastEventVersion = new HashMap<>();
    private final PriorityQueue<Step> agenda = new PriorityQueue<>();
    private final List<String> targets = new ArrayList<>();
    /** One line per decision: what was applied and answered, to compare replays. */
    private final StringBuilder trace = new StringBuilder();
    private long tick = 1_000 * MILLI;
    private long wallOffset = 1_700_000_000_000L * MILLI;
    private long sequence;
    private long ids;
    private long lastCreatedAtNs;
    private long order;
    private long decisions;

    Simulation(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
    }

    /** Runs to the end and returns how many decisions were made. */
    long run() {
      try {
        for (int t = 0; t < TARGETS; t++) {
          String target = "target-" + t;
          targets.add(target);
          Reply created = apply(new Command.Create(target, "", "Counter", StructBytes.of(count(0)), nextId("ecs"), now()));
          assertThat(created).isInstanceOf(Reply.Written.class);
          acknowledged.put(target, 0L);
        }
        for (int c = 0; c < CLIENTS; c++) {
          Client client = new Client(c);
          at(random.nextInt(20) * MILLI, client::next);
        }
        while (!agenda.isEmpty()) {
          Step step = agenda.poll();
          tick = Math.max(tick, step.tick);
          step.action.run();
        }
        // Every operation ends: past every deadline, expiry leaves nothing in flight.
        tick += 3_600_000 * MILLI;
        for (String target : targets) {
          apply(new Command.Expire(target, now()));
          assertThat(states.get(target).arbitration().isEmpty()).as("in flight on %s", target).isTrue();
        }
        for (OpState op : operations.values()) {
          assertThat(op.terminal()).as("operation %s ended", op.id()).isTrue();
        }
        for (String target : targets) {
          EntityVersion head = states.get(target).head();
          assertThat(head.version() - 1).as("writes acknowledged on %s", target).isEqualTo(acknowledged.get(target));
          assertThat(countOf(head)).isEqualTo(head.version() - 1);
        }
        return decisions;
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("simulation seed " + seed + " failed at decision " + decisions
            + " (replay: -Dsimulation.seed=" + seed + "): " + e.getMessage(), e);
      }
    }

    // ---- the backend's and the driver's part ----

    private Reply apply(Command command) {
      TargetState before = states.getOrDefault(command.target(), TargetState.ABSENT);
      Decision decision = decider.decide(before, command);
      decisions++;
      check(before, command, decision);
      states.put(command.target(), decision.state());
      for (OpState op : decision.changed()) {
        operations.put(op.id(), op);
        if (op.terminal()) {
          ended.add(op.id());
        } else if (op.status() == OperationStatus.PENDING && !before.arbitration().inFlight().contains(op)
            && before.arbitration().find(op.id()) == null) {
          // A new operation: the driver's timer expires it at its deadline.
          at(op.deadlineTick() - tick, () -> apply(new Command.Expire(op.target(), now())));
        }
      }
      trace.append(command.getClass().getSimpleName()).append(' ').append(command.target()).append(" -> ")
          .append(describe(decision.reply())).append(" events ").append(decision.events().size()).append('\n');
      return decision.reply();
    }

    private void check(TargetState before, Command command, Decision decision) {
      Arbitration arbitration = decision.state().arbitration();
      OpState firstRetrying = arbitration.inFlight().stream().filter(OpState::retrying).findFirst().orElse(null);
      if (firstRetrying == null) {
        assertThat(arbitration.owner()).as("no retrying operation, no owner").isNull();
      } else {
        assertThat(arbitration.owner()).as("the owner").isNotNull();
        assertThat(arbitration.owner().id()).as("the owner is the highest-ranked retrying").isEqualTo(firstRetrying.id());
      }
      for (int i = 1; i < arbitration.inFlight().size(); i++) {
        assertThat(OpState.RANK.compare(arbitration.inFlight().get(i - 1), arbitration.inFlight().get(i)))
            .as("in flight in gate order").isNegative();
      }
      for (OpState op : decision.changed()) {
        assertThat(op.retryCount()).as("retry_count of %s", op.id()).isLessThanOrEqualTo(op.maxRetries());
        assertThat(ended).as("an ended operation changes no more").doesNotContain(op.id());
      }
      assertThat(decision.written()).as("a lone target writes at most itself").hasSizeLessThanOrEqualTo(1);
      EntityVersion written = decision.written().isEmpty() ? null : decision.written().get(0);
      if (written != null) {
        EntityVersion previous = before.head();
        if (previous == null) {
          assertThat(written.version()).isEqualTo(1);
        } else {
          assertThat(written.version()).as("gap-free versions").isEqualTo(previous.version() + 1);
          assertThat(written.entity().getPreviousEcsId()).isEqualTo(previous.ecsId());
          assertThat(written.lastModifiedNs()).as("stamps increase").isGreaterThan(previous.lastModifiedNs());
          if (!written.deleted()) {
            assertThat(countOf(written)).as("each write adds one").isEqualTo(countOf(previous) + 1);
          }
        }
        String writer = written.derivedFromOpId();
        assertThat(ended).as("a write by an operation that had ended").doesNotContain(writer);
        assertThat(decision.state().head()).isSameAs(written);
      } else {
        assertThat(decision.state().head()).isSameAs(before.head());
      }
      for (EventRecord event : decision.events()) {
        sequence++;
        assertThat(event.envelope().targetLineageId()).isEqualTo(command.target());
        long version = switch (event.body().kind()) {
          case ENTITY_CREATED -> ((EventRecord.EntityCreated) event.body()).entity().version();
          case ENTITY_VERSIONED -> {
            EventRecord.EntityVersioned versioned = (EventRecord.EntityVersioned) event.body();
            assertThat(versioned.written().version()).isEqualTo(versioned.previous().version() + 1);
            yield versioned.written().version();
          }
          case ENTITY_DELETED -> ((EventRecord.EntityDeleted) event.body()).version();
          default -> 0;
        };
        if (version > 0) {
          long last = lastEventVersion.getOrDefault(command.target(), 0L);
          assertThat(version).as("entity events in version order, event %d", sequence).isEqualTo(last + 1);
          lastEventVersion.put(command.target(), version);
        }
      }
    }

    // ---- clients ----

    /** A simulated client: a few units of work of one kind, then it leaves (or crashes). */
    private final class Client {

      private final int kind;
      private final PriorityClass cls;
      private final Actor actor;
      private int work;

      Client(int id) {
        this.actor = new Actor("client-" + id, false, false);
        this.kind = random.nextInt(10);
        int c = random.nextInt(10);
        this.cls = c < 2 ? PriorityClass.STRUCTURAL : c < 6 ? PriorityClass.NORMAL : PriorityClass.LOW;
        this.work = 1 + random.nextInt(4);
      }

      void next() {
        if (work-- == 0) {
          return;
        }
        String target = targets.get(random.nextInt(targets.size()));
        if (kind < 5) {
          begin(target);
        } else if (kind < 8) {
          execute(target);
        } else {
          plainUpdate(target, 0);
        }
      }

      private void begin(String target) {
        String parent = "";
        if (random.nextInt(5) == 0) {
          List<String> live = operations.values().stream().filter(op -> !op.terminal()).map(OpState::id).sorted().toList();
          if (!live.isEmpty()) {
            parent = live.get(random.nextInt(live.size()));
          }
        }
        Command.NewOperation spec = newOperation(parent);
        if (spec == null) {
          next();
          return;
        }
        long waitUntil = tick + Math.min(spec.ttlNanos(), RetryPolicy.longestWaitNanos(cls));
        issueBegin(target, spec, waitUntil);
      }

      private void issueBegin(String target, Command.NewOperation spec, long waitUntil) {
        Reply reply = apply(new Command.Begin(target, spec, waitUntil, now()));
        if (reply instanceof Reply.MustWait) {
          // The driver re-issues it when the owner leaves or the wait ends; polling finds both.
          at(Math.min(waitUntil - tick, (1 + random.nextInt(5)) * MILLI), () -> issueBegin(target, spec, waitUntil));
        } else if (reply instanceof Reply.Started started) {
          think(started.op(), started.snapshot());
        } else {
          at(MILLI, this::next);
        }
      }

      /** Computes on the snapshot, then commits, aborts, or crashes (never comes back). */
      private void think(OpState op, EntityVersion snapshot) {
        int fate = random.nextInt(100);
        if (fate < 3) {
          return; // crashed: only expiry ends its operation
        }
        long thinking = random.nextInt(15) * MILLI;
        if (fate < 8) {
          at(thinking, () -> {
            apply(new Command.Abort(op.target(), op.id(), actor, now()));
            next();
          });
          return;
        }
        at(thinking, () -> commit(op, snapshot));
      }

      private void commit(OpState op, EntityVersion snapshot) {
        Reply reply = apply(new Command.Commit(op.target(), op.id(), StructBytes.of(count(countOf(snapshot) + 1)), List.of(), nextId("ecs"),
            random.nextDouble(), actor, now()));
        if (reply instanceof Reply.Attempted attempted) {
          if (attempted.outcome() == CommitOutcome.OUTCOME_COMMITTED) {
            acknowledged.merge(op.target(), 1L, Long::sum);
            assertThat(attempted.entity().version()).isEqualTo(snapshot.version() + 1);
          } else if (attempted.outcome() == CommitOutcome.OUTCOME_CONFLICT) {
            at(attempted.retryAfterNanos(), () -> think(attempted.op(), attempted.entity()));
            return;
          }
        }
        at(random.nextInt(5) * MILLI, this::next);
      }

      private void execute(String target) {
        Command.NewOperation spec = newOperation("");
        Reply reply = apply(new Command.Execute(target, spec, "increment", Struct.getDefaultInstance(), "", nextId("ecs"),
            random.nextDouble(), now()));
        executed(reply);
      }

      private void executed(Reply reply) {
        if (reply instanceof Reply.Attempted attempted) {
          if (attempted.outcome() == CommitOutcome.OUTCOME_COMMITTED) {
            acknowledged.merge(attempted.op().target(), 1L, Long::sum);
          } else if (attempted.outcome() == CommitOutcome.OUTCOME_CONFLICT) {
            OpState op = attempted.op();
            long wait = Math.min(attempted.retryAfterNanos(), Math.max(0, op.deadlineTick() - tick));
            at(wait, () -> executed(apply(new Command.Attempt(op.target(), op.id(), "increment",
                Struct.getDefaultInstance(), "", nextId("ecs"), random.nextDouble(), now()))));
            return;
          }
        }
        at(random.nextInt(5) * MILLI, this::next);
      }

      private void plainUpdate(String target, int attempt) {
        EntityVersion head = states.get(target).head();
        Reply reply = apply(new Command.Update(target, head.version(), StructBytes.of(count(countOf(head) + 1)), nextId("ecs"), now()));
        if (reply instanceof Reply.Written) {
          acknowledged.merge(target, 1L, Long::sum);
        } else if (attempt < 10) {
          at((1 + random.nextInt(10)) * MILLI, () -> plainUpdate(target, attempt + 1));
          return;
        }
        at(random.nextInt(5) * MILLI, this::next);
      }

      private Command.NewOperation newOperation(String parentId) {
        int effective = RetryPolicy.defaultPriority(cls);
        int depth = 1;
        if (!parentId.isEmpty()) {
          OpState parent = operations.get(parentId);
          if (parent.depth() >= RetryPolicy.MAX_PARENT_DEPTH) {
            return null;
          }
          effective = Math.max(effective, parent.effectivePriority());
          depth = parent.depth() + 1;
        }
        long ttl = (50 + random.nextInt(2_000)) * MILLI;
        lastCreatedAtNs = Math.max(wall(), lastCreatedAtNs + 1);
        return new Command.NewOperation(nextId("op"), "sim", cls, RetryPolicy.defaultPriority(cls),
            RetryPolicy.defaultMaxRetries(cls), parentId, effective, depth, ttl, lastCreatedAtNs, actor);
      }
    }

    // ---- time ----

    private Time now() {
      if (random.nextInt(200) == 0) {
        wallOffset -= random.nextInt(5) * MILLI; // the wall clock steps back now and then
      }
      return new Time(tick, wall());
    }

    private long wall() {
      return tick + wallOffset;
    }

    private void at(long delayNanos, Runnable action) {
      agenda.add(new Step(tick + Math.max(0, delayNanos), order++, action));
    }

    private String nextId(String prefix) {
      return prefix + "-" + (++ids);
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

  private static String describe(Reply reply) {
    if (reply instanceof Reply.Attempted attempted) {
      return attempted.outcome() + " retry " + attempted.op().retryCount() + " after " + attempted.retryAfterNanos();
    }
    if (reply instanceof Reply.Refused refused) {
      return "refused " + refused.refusal().kind();
    }
    return reply.getClass().getSimpleName();
  }
}
