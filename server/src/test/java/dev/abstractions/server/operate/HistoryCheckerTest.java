package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.abstractions.server.operate.HistoryChecker.Call;
import dev.abstractions.server.operate.HistoryChecker.Kind;
import dev.abstractions.server.operate.HistoryChecker.Outcome;
import dev.abstractions.server.operate.HistoryChecker.Rule;
import dev.abstractions.server.operate.HistoryChecker.Version;
import dev.abstractions.server.operate.HistoryChecker.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Hand-made histories of one lineage "L" the checker must reject, each for the one rule it breaks,
 * and one with everything a correct store may answer (overlapping calls, refusals, unanswered
 * writes both applied and not) that it must accept.
 */
class HistoryCheckerTest {

  private static final String L = "L";

  /** Versions 1.. written by the tags in order, chained, each counting one more. */
  private static List<Version> chain(String... writers) {
    List<Version> versions = new ArrayList<>();
    String previous = "";
    for (int i = 0; i < writers.length; i++) {
      Version version = version(i + 1, writers[i], previous, i);
      versions.add(version);
      previous = version.ecsId();
    }
    return versions;
  }

  private static Version version(long number, String writer, String previousEcsId, long counter) {
    return new Version(number, "e" + number + writer, previousEcsId, writer, counter);
  }

  private static Call create(String tag, long start, long end, Outcome outcome, Version seen) {
    return new Call("c-" + tag, L, Kind.CREATE, tag, 0, start, end, outcome, seen);
  }

  private static Call update(String tag, long expected, long start, long end, Outcome outcome, Version seen) {
    return new Call("c-" + tag, L, Kind.UPDATE, tag, expected, start, end, outcome, seen);
  }

  private static Call get(long start, long end, Version seen) {
    return new Call("reader", L, Kind.GET, null, 0, start, end, seen == Version.ABSENT ? Outcome.REFUSED : Outcome.OK,
        seen);
  }

  /** The violations of {@code calls} against {@code history} held by all three members. */
  private static AbstractListAssert<?, ?, Tuple, ?> check(List<Version> history, Call... calls) {
    return checkOnMembers(List.of(history, history, history), calls);
  }

  private static AbstractListAssert<?, ?, Tuple, ?> checkOnMembers(List<List<Version>> histories, Call... calls) {
    List<Violation> violations = HistoryChecker.check(List.of(calls), Map.of(L, histories));
    return assertThat(violations).as(violations.toString())
        .extracting(Violation::rule, Violation::lineageId, Violation::version);
  }

  @Test
  void aConcurrentHistoryAStoreMayAnswerPasses() {
    List<Version> history = chain("c1", "u1", "u3");
    check(history,
        get(1, 3, Version.ABSENT), // before the create took effect
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        create("c2", 2, 12, Outcome.REFUSED, Version.seen(1, null)), // ALREADY_EXISTS
        get(11, 13, history.get(0)),
        update("u1", 1, 14, 30, Outcome.OK, history.get(1)),
        // A conflict naming version 2 before u1 was answered: u1 took effect in between.
        update("u2", 1, 15, 25, Outcome.REFUSED, Version.seen(2, history.get(1).ecsId())),
        get(16, 31, history.get(0)), // overlaps u1: the old version is still a valid answer
        update("u3", 2, 32, 40, Outcome.INDEFINITE, null), // applied after all
        update("u4", 2, 33, 41, Outcome.INDEFINITE, null), // never applied
        get(42, 43, history.get(2)),
        update("u5", 3, 44, 50, Outcome.INDEFINITE, null), // never applied
        get(51, 52, history.get(2))).isEmpty();
  }

  @Test
  void aReadOfAVersionReplacedBeforeItBeganIsStale() {
    List<Version> history = chain("c1", "u1");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.OK, history.get(1)),
        get(21, 22, history.get(0)))
        .containsExactly(tuple(Rule.NOT_LINEARIZABLE, L, 2L));
  }

  @Test
  void notFoundAfterTheCreateWasAnsweredIsStale() {
    List<Version> history = chain("c1");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        get(11, 12, Version.ABSENT))
        .containsExactly(tuple(Rule.NOT_LINEARIZABLE, L, 1L));
  }

  @Test
  void aConflictNamingAReplacedVersionIsStale() {
    List<Version> history = chain("c1", "u1");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.OK, history.get(1)),
        update("u2", 3, 21, 22, Outcome.REFUSED, Version.seen(1, history.get(0).ecsId())))
        .containsExactly(tuple(Rule.NOT_LINEARIZABLE, L, 2L));
  }

  @Test
  void aReadOfAVersionWhoseWriteBeganAfterItEndedIsFromTheFuture() {
    List<Version> history = chain("c1", "u1");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        get(11, 12, history.get(1)),
        update("u1", 1, 13, 20, Outcome.OK, history.get(1)))
        .containsExactly(tuple(Rule.NOT_LINEARIZABLE, L, 2L));
  }

  @Test
  void readsThatSawVersionsInOppositeOrdersAreNotLinearizable() {
    // Each read alone fits; together version 2 must exist before 20 and version 1 still after 21.
    List<Version> history = chain("c1", "u1");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 40, Outcome.INDEFINITE, null),
        get(12, 20, history.get(1)),
        get(21, 30, history.get(0)))
        .containsExactly(tuple(Rule.NOT_LINEARIZABLE, L, 2L));
  }

  @Test
  void anAcknowledgedWriteMissingFromTheHistoryIsLost() {
    List<Version> history = chain("c1");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.OK, chain("c1", "u1").get(1)))
        .containsExactly(tuple(Rule.LOST_WRITE, L, 2L));
  }

  @Test
  void anAcknowledgedWriteReplacedByAnotherIsLost() {
    List<Version> history = chain("c1", "u2");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.OK, chain("c1", "u1").get(1)),
        update("u2", 1, 11, 20, Outcome.INDEFINITE, null))
        .containsExactly(tuple(Rule.LOST_WRITE, L, 2L));
  }

  @Test
  void twoVersionsAnsweredUnderOneNumberAreAFork() {
    List<Version> history = chain("c1", "u1");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.OK, history.get(1)),
        update("u2", 1, 11, 20, Outcome.INDEFINITE, null),
        get(21, 22, chain("c1", "u2").get(1)))
        .containsExactly(tuple(Rule.FORK, L, 2L));
  }

  @Test
  void aRefusedWriteInTheHistoryIsAPhantom() {
    List<Version> history = chain("c1", "u1");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.REFUSED, null))
        .containsExactly(tuple(Rule.PHANTOM_WRITE, L, 2L));
  }

  @Test
  void aVersionNoCallWroteIsAPhantom() {
    List<Version> history = chain("c1", "nobody");
    check(history, create("c1", 0, 10, Outcome.OK, history.get(0)))
        .containsExactly(tuple(Rule.PHANTOM_WRITE, L, 2L));
  }

  @Test
  void anUnansweredWriteAppliedTwiceIsADuplicate() {
    List<Version> history = chain("c1", "u1", "u1");
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.INDEFINITE, null))
        .containsExactly(tuple(Rule.DUPLICATE_WRITE, L, 3L), tuple(Rule.PHANTOM_WRITE, L, 3L));
  }

  @Test
  void membersHoldingDifferentHistoriesDiffer() {
    List<Version> history = chain("c1", "u1");
    checkOnMembers(List.of(history, history, chain("c1")),
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.INDEFINITE, null))
        .containsExactly(tuple(Rule.MEMBERS_DIFFER, L, 2L));
  }

  @Test
  void aVersionNotNamingTheOneBeforeBreaksTheChain() {
    List<Version> history = List.of(chain("c1").get(0), version(2, "u1", "elsewhere", 1));
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.INDEFINITE, null))
        .containsExactly(tuple(Rule.BROKEN_CHAIN, L, 2L));
  }

  @Test
  void aCounterThatSkippedAnIncrementIsWrong() {
    List<Version> history = List.of(chain("c1").get(0), version(2, "u1", chain("c1").get(0).ecsId(), 2));
    check(history,
        create("c1", 0, 10, Outcome.OK, history.get(0)),
        update("u1", 1, 11, 20, Outcome.OK, history.get(1)))
        .containsExactly(tuple(Rule.WRONG_COUNTER, L, 2L));
  }
}
