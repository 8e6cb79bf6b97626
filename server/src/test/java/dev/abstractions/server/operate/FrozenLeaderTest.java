package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.server.operate.HistoryChecker.Call;
import dev.abstractions.server.operate.HistoryChecker.Outcome;
import dev.abstractions.server.operate.HistoryChecker.Version;
import dev.abstractions.server.operate.HistoryChecker.Violation;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader frozen (SIGSTOP) under write load, then thawed (SIGCONT), round after round: each
 * time the others elect a leader and go on writing within seconds (the stall is measured), the
 * thawed member rejoins (its applied index reaches the leader's, its own clients' writes succeed
 * again), and at the end {@link HistoryChecker} finds every acknowledged write in every member's
 * history.
 *
 * <p>One 5 s freeze by default; the long run, five 20 s freezes (about three minutes), is:
 *
 * <pre>
 * mvn -B -o -pl server -am test-compile surefire:test@default-test -Dtest=FrozenLeaderTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dsigstop.rounds=5
 * </pre>
 *
 * ({@code -Dsigstop.seconds} sets the freeze: 20 s once {@code sigstop.rounds} is given, else 5 s.)
 */
class FrozenLeaderTest {

  private static final int ROUNDS = Integer.getInteger("sigstop.rounds", 1);
  private static final long FREEZE_SECONDS =
      Long.getLong("sigstop.seconds", System.getProperty("sigstop.rounds") == null ? 5 : 20);
  /** Writers per member, each on a lineage of its own. */
  private static final int WRITERS = 2;

  @TempDir
  Path scratch;

  @Test
  void aLeaderFrozenUnderLoadIsReplacedWithinSecondsAndCatchesUpWhenThawed() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch, "--history-limit", "1000000")) {
      ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
      Map<Status.Code, LongAdder> unanswered = new ConcurrentHashMap<>();
      List<String> lineages = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int member = 0; member < group.size(); member++) {
        for (int w = 0; w < WRITERS; w++) {
          int through = member;
          String name = "w" + w + "@" + group.id(member);
          String lineageId = UUID.randomUUID().toString();
          lineages.add(lineageId);
          CounterClient client = new CounterClient(name, () -> group.entities(through), calls, unanswered);
          Thread thread = new Thread(() -> increment(client, lineageId, stop), name);
          thread.start();
          writers.add(thread);
        }
      }

      try {
        for (int round = 1; round <= ROUNDS; round++) {
          Thread.sleep(3_000);
          int frozen = group.leader();
          long frozenAt = System.nanoTime();
          group.member(frozen).signal("STOP");
          int leader = group.leader();
          long thawAt = frozenAt + TimeUnit.SECONDS.toNanos(FREEZE_SECONDS);
          Thread.sleep(Math.max(0, millis(thawAt - System.nanoTime())));
          long thawedAt = System.nanoTime();
          group.member(frozen).signal("CONT");
          long target = group.metric(leader, "abstractions_raft_applied_index").orElseThrow();
          long caughtUpAt = awaitApplied(group, frozen, target);
          long rejoinedAt = awaitWrite(calls, group.id(frozen), thawedAt);

          long stall = longestWithoutAck(calls, group.id(frozen), frozenAt, thawedAt);
          long written = calls.stream().filter(call -> call.outcome() == Outcome.OK && call.isWrite()
              && call.endNanos() > frozenAt && call.endNanos() < thawedAt).count();
          String report = String.format("round %d: %s frozen %d s, %s leads; writes stalled %d ms,"
                  + " %d written meanwhile; thawed, applied index %d reached in %d ms, its clients' first write"
                  + " after %d ms", round, group.id(frozen), FREEZE_SECONDS, group.id(leader), millis(stall), written,
              target, millis(caughtUpAt - thawedAt), millis(rejoinedAt - thawedAt));
          System.out.println("frozen leader: " + report);
          assertThat(leader).as(report).isNotEqualTo(frozen);
          assertThat(stall).as(report).isLessThan(TimeUnit.SECONDS.toNanos(10));
          assertThat(written).as(report).isGreaterThan(0);
        }
      } finally {
        stop.set(true);
        for (Thread writer : writers) {
          writer.join(TimeUnit.SECONDS.toMillis(60));
        }
      }
      for (Thread writer : writers) {
        assertThat(writer.isAlive()).as(writer.getName()).isFalse();
      }

      Map<String, List<List<Version>>> histories = CounterClient.histories(lineages, group);
      List<Violation> violations = HistoryChecker.check(calls, histories);
      System.out.printf("frozen leader: %d calls checked, unanswered by code %s, %d versions%n", calls.size(),
          unanswered, histories.values().stream().mapToLong(each -> each.get(0).size()).sum());
      violations.forEach(violation -> System.out.println("frozen leader: " + violation));
      group.errors().forEach(System.out::println);
      assertThat(violations).isEmpty();
      assertThat(unanswered.keySet()).isSubsetOf(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
    }
  }

  /** Creates the lineage, then increments it until stopped, reading it again after any failure. */
  private static void increment(CounterClient client, String lineageId, AtomicBoolean stop) {
    Version latest = null;
    while (!stop.get()) {
      Call call;
      if (latest == null) {
        call = client.create(lineageId);
        if (call.seen() != null && call.seen().number() > 0) {
          call = client.get(lineageId); // a refusal names the version, not its counter
        }
      } else {
        call = client.increment(lineageId, latest);
        if (call.outcome() != Outcome.OK) {
          call = client.get(lineageId);
        }
      }
      latest = call.outcome() == Outcome.OK ? call.seen() : null;
      if (call.outcome() == Outcome.INDEFINITE) {
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** When {@code member}'s applied index reached {@code target}; fails after 60 s. */
  private static long awaitApplied(ReplicatedGroup group, int member, long target) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (group.metric(member, "abstractions_raft_applied_index").orElse(-1) < target) {
      assertThat(System.nanoTime()).as("%s applied index %d", group.id(member), target).isLessThan(deadline);
      Thread.sleep(50);
    }
    return System.nanoTime();
  }

  /** When the first write through {@code memberId} begun after {@code after} was acknowledged; fails after 60 s. */
  private static long awaitWrite(ConcurrentLinkedQueue<Call> calls, String memberId, long after)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      long first = calls.stream().filter(call -> call.client().endsWith("@" + memberId) && call.isWrite()
          && call.outcome() == Outcome.OK && call.startNanos() > after).mapToLong(Call::endNanos).min().orElse(0);
      if (first != 0) {
        return first;
      }
      assertThat(System.nanoTime()).as("a write through %s after the thaw", memberId).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /**
   * The longest time from {@code from} to {@code to} without an acknowledged write through a member
   * other than {@code frozenId}.
   */
  private static long longestWithoutAck(ConcurrentLinkedQueue<Call> calls, String frozenId, long from, long to) {
    List<Long> acks = new ArrayList<>(calls.stream().filter(call -> !call.client().endsWith("@" + frozenId)
        && call.isWrite() && call.outcome() == Outcome.OK && call.endNanos() > from && call.endNanos() < to)
        .map(Call::endNanos).sorted().toList());
    acks.add(to);
    long longest = 0;
    long previous = from;
    for (long ack : acks) {
      longest = Math.max(longest, ack - previous);
      previous = ack;
    }
    return longest;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
