package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.server.operate.HistoryChecker.Call;
import dev.abstractions.server.operate.HistoryChecker.Outcome;
import dev.abstractions.server.operate.HistoryChecker.Version;
import dev.abstractions.server.operate.HistoryChecker.Violation;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent clients on every member of a 3-member group do Creates, Gets and compare-and-set
 * increments on a few hot counters while the leader is killed (SIGKILL) and restarted, stopped
 * (SIGTERM) and restarted, and frozen (SIGSTOP) for 3 s; every call is logged with its interval
 * and outcome, and {@link HistoryChecker} checks the log against every member's final history:
 * one chain, nothing acknowledged lost, reads linearizable.
 *
 * <p>One round of the three faults by default (about a minute with the group's start). A failure
 * names its seed (it chooses the clients' calls and the lineage ids; the timing is the machine's).
 * Soak longer, or repeat a seed, with:
 *
 * <pre>
 * mvn -B -o -pl server -am test-compile surefire:test@default-test -Dtest=LinearizableHistoryTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dhistory.seconds=600 [-Dhistory.seed=42]
 * </pre>
 */
class LinearizableHistoryTest {

  private static final long SEED = Long.getLong("history.seed", System.nanoTime());
  /** Rounds of faults go on until this many seconds have passed; at least one round. */
  private static final long SECONDS = Long.getLong("history.seconds", 0);
  private static final int CLIENTS = 6;
  /** The clients work on the newest few lineages; a new one joins every few seconds, created by whoever comes first. */
  private static final int HOT = 3;
  private static final Duration NEW_LINEAGE_EVERY = Duration.ofSeconds(4);

  @TempDir
  Path scratch;

  @Test
  void callsAcrossLeaderChangesAreLinearizable() throws Exception {
    long began = System.nanoTime();
    try (ReplicatedGroup group = new ReplicatedGroup(scratch, "--history-limit", "1000000")) {
      System.out.printf("history check: seed %d, the group serves after %d ms%n", SEED,
          millis(System.nanoTime() - began));
      ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
      Map<Status.Code, LongAdder> unanswered = new ConcurrentHashMap<>();
      List<String> lineages = new CopyOnWriteArrayList<>();
      for (int i = 0; i < HOT; i++) {
        lineages.add(lineageId(i));
      }
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        int member = i % group.size();
        String name = "c" + i + "@" + group.id(member);
        CounterClient client = new CounterClient(name, () -> group.entities(member), calls, unanswered);
        Random random = new Random(SEED + i);
        Thread thread = new Thread(() -> work(client, random, lineages, stop), name);
        thread.start();
        clients.add(thread);
      }

      List<String> leaderChanges = new ArrayList<>();
      int round = 0;
      try {
        long started = System.nanoTime();
        long nextLineage = started + NEW_LINEAGE_EVERY.toNanos();
        do {
          round++;
          for (Fault fault : Fault.values()) {
            Thread.sleep(1_500);
            int leader = group.leader();
            long inflicted = System.nanoTime();
            fault.inflict(group, leader);
            int next = group.leader();
            assertThat(next).as("a leader other than the one that %s", fault).isNotEqualTo(leader);
            leaderChanges.add(group.id(leader) + "->" + group.id(next) + " (" + fault.name().toLowerCase() + ")");
            fault.recover(group, leader);
            System.out.printf("history check: %s of %s, %s leads, %s back after %d ms; %d calls so far%n", fault,
                group.id(leader), group.id(next), group.id(leader), millis(System.nanoTime() - inflicted),
                calls.size());
            while (System.nanoTime() > nextLineage) {
              lineages.add(lineageId(lineages.size()));
              nextLineage += NEW_LINEAGE_EVERY.toNanos();
            }
          }
        } while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(SECONDS));
        Thread.sleep(1_500);
      } finally {
        stop.set(true);
        for (Thread client : clients) {
          client.join(TimeUnit.SECONDS.toMillis(60));
        }
      }
      for (Thread client : clients) {
        assertThat(client.isAlive()).as(client.getName()).isFalse();
      }

      Map<String, List<List<Version>>> histories = CounterClient.histories(lineages, group);
      List<Violation> violations = HistoryChecker.check(calls, histories);

      Map<Outcome, Long> outcomes = calls.stream().collect(Collectors.groupingBy(Call::outcome, Collectors.counting()));
      long versions = histories.values().stream().mapToLong(each -> each.get(0).size()).sum();
      System.out.printf("history check: seed %d, %d rounds, %d calls checked %s, unanswered by code %s, %d lineages,"
              + " %d versions, %d leader changes %s, final term %s%n", SEED, round, calls.size(), outcomes, unanswered,
          lineages.size(), versions, leaderChanges.size(), leaderChanges,
          group.metric(group.leader(), "abstractions_raft_term").orElse(-1));
      violations.forEach(violation -> System.out.println("history check: " + violation));
      group.errors().forEach(System.out::println);
      assertThat(violations).as("seed " + SEED).isEmpty();
      assertThat(unanswered.keySet()).as("calls left unanswered only by the faults")
          .isSubsetOf(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
      assertThat(outcomes.get(Outcome.OK)).as("calls answered").isGreaterThan(100L);
      assertThat(versions).as("versions written").isGreaterThan(50L);
    }
  }

  /** What each client does until stopped: Creates what it has not seen yet, Gets, and read-then-increment. */
  private static void work(CounterClient client, Random random, List<String> lineages, AtomicBoolean stop) {
    Set<String> existing = new HashSet<>();
    while (!stop.get()) {
      String lineageId = lineages.get(lineages.size() - 1 - random.nextInt(HOT));
      Call last;
      if (!existing.contains(lineageId)) {
        last = random.nextInt(4) == 0 ? client.get(lineageId) : client.create(lineageId);
        if (last.seen() != null && last.seen().number() > 0) {
          existing.add(lineageId);
        }
      } else if (random.nextInt(3) == 0) {
        last = client.get(lineageId);
      } else {
        last = client.get(lineageId);
        if (last.outcome() == Outcome.OK) {
          last = client.increment(lineageId, last.seen());
        }
      }
      if (last.outcome() == Outcome.INDEFINITE) {
        try {
          Thread.sleep(100); // its member is down, or the group has no leader: no need to spin
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static String lineageId(int index) {
    return UUID.nameUUIDFromBytes((SEED + "/" + index).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** What happens to the leader, and how it comes back. */
  private enum Fault {
    /** SIGKILL: a crash. */
    KILL {
      @Override
      void inflict(ReplicatedGroup group, int leader) throws Exception {
        group.stop(leader);
      }

      @Override
      void recover(ReplicatedGroup group, int leader) throws Exception {
        group.start(leader);
      }
    },
    /** SIGTERM: a rolling update; it hands leadership over first. */
    TERM {
      @Override
      void inflict(ReplicatedGroup group, int leader) throws Exception {
        assertThat(group.terminate(leader, Duration.ofSeconds(30))).as("exit status after SIGTERM").isEqualTo(143);
      }

      @Override
      void recover(ReplicatedGroup group, int leader) throws Exception {
        group.start(leader);
      }
    },
    /** SIGSTOP for 3 s: a long pause (GC, a VM stall); it thaws still believing it leads. */
    STOP {
      @Override
      void inflict(ReplicatedGroup group, int leader) throws Exception {
        group.member(leader).signal("STOP");
      }

      @Override
      void recover(ReplicatedGroup group, int leader) throws Exception {
        Thread.sleep(1_000); // group.leader() waited for the others to elect one: about 2 s frozen so far
        group.member(leader).signal("CONT");
      }
    };

    abstract void inflict(ReplicatedGroup group, int leader) throws Exception;

    abstract void recover(ReplicatedGroup group, int leader) throws Exception;
  }
}
