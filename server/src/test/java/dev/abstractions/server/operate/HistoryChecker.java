package dev.abstractions.server.operate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks a history of concurrent calls on counter entities (Create, compare-and-set Update, Get),
 * each logged with its start and end time, against the versions every member holds at the end.
 * It reports what a linearizable store could not have answered:
 *
 * <ul>
 *   <li>the members' final histories differ ({@link Rule#MEMBERS_DIFFER}), or one is not a
 *       gap-free chain where each version names the one before ({@link Rule#BROKEN_CHAIN});
 *   <li>an acknowledged write is not in the final history where it was acknowledged
 *       ({@link Rule#LOST_WRITE}); a call saw a version other than the one the history holds
 *       under its number, so one number named two versions ({@link Rule#FORK});
 *   <li>a version in the history was written by no call, by a call that was refused, or not
 *       where its call wrote it ({@link Rule#PHANTOM_WRITE}); a call's write is in it twice
 *       ({@link Rule#DUPLICATE_WRITE}); a call left unanswered may be in it once or not at all;
 *   <li>a version's counter is not one more than the one before, or the final counter is not the
 *       number of increments in the history ({@link Rule#WRONG_COUNTER});
 *   <li>no order of the versions in real time fits every call ({@link Rule#NOT_LINEARIZABLE}):
 *       each version must be created within its write's interval (an unanswered write's interval
 *       never ends), after the one before it, and be current at some instant within each call
 *       that saw it (a Get, the current version a conflict or ALREADY_EXISTS names, NOT_FOUND as
 *       version 0). A stale read is one whose version was replaced before the read began.
 * </ul>
 *
 * <p>The times are one clock's (the test's {@link System#nanoTime}). The real-time check places
 * each version at the earliest instant its constraints allow, in version order; since every
 * constraint is a bound on one version's instant or the order of two consecutive ones, a version
 * that cannot be placed so cannot be placed at all, and that is exactly a violation. A pure
 * function of its inputs.
 */
final class HistoryChecker {

  private HistoryChecker() {}

  /** What a call was. */
  enum Kind { CREATE, UPDATE, GET }

  /** How a call ended. */
  enum Outcome {
    /** Answered with a version. */
    OK,
    /** Refused with a definite answer (a version conflict, ALREADY_EXISTS, NOT_FOUND): nothing was written. */
    REFUSED,
    /** No answer (UNAVAILABLE, DEADLINE_EXCEEDED, connection lost): it may or may not have been applied. */
    INDEFINITE
  }

  /** The rule a violation breaks. */
  enum Rule { MEMBERS_DIFFER, BROKEN_CHAIN, FORK, LOST_WRITE, PHANTOM_WRITE, DUPLICATE_WRITE, WRONG_COUNTER,
    NOT_LINEARIZABLE }

  /**
   * One version of a counter entity: its number, ids, the tag of the call that wrote it and its
   * counter. A version known only from a refusal's metadata has null for what that does not say
   * ({@link #seen}); version 0 stands for "does not exist yet".
   */
  record Version(long number, String ecsId, String previousEcsId, String writer, Long counter) {
    static final Version ABSENT = new Version(0, null, null, null, null);

    /** A version as a refusal names it: its number, and its ecs id if the refusal says it (else null). */
    static Version seen(long number, String ecsId) {
      return new Version(number, ecsId, null, null, null);
    }

    boolean complete() {
      return ecsId != null && previousEcsId != null && writer != null && counter != null;
    }
  }

  /**
   * One call on {@code lineageId} by {@code client}: a write carries a unique {@code tag} (in the
   * data it writes) and, for an Update, the version it expected; {@code seen} is the version the
   * answer named (a Get's or a write's result, the current version of a refusal, {@link
   * Version#ABSENT} for NOT_FOUND), or null if it named none.
   */
  record Call(String client, String lineageId, Kind kind, String tag, long expectedVersion, long startNanos,
      long endNanos, Outcome outcome, Version seen) {

    boolean isWrite() {
      return kind != Kind.GET;
    }

    @Override
    public String toString() {
      return client + " " + kind + (isWrite() ? " " + tag : "")
          + (kind == Kind.UPDATE ? " expecting " + expectedVersion : "")
          + " [" + startNanos + ", " + endNanos + "] " + outcome
          + (seen == null ? "" : " seeing version " + seen.number());
    }
  }

  record Violation(Rule rule, String lineageId, long version, String detail) {
    @Override
    public String toString() {
      return rule + " " + lineageId + " version " + version + ": " + detail;
    }
  }

  /**
   * The violations found in {@code calls} against {@code finalHistories} (lineage id to each
   * member's history of it, oldest version first); empty if there are none. Every lineage a call
   * touched must have final histories.
   */
  static List<Violation> check(Collection<Call> calls, Map<String, List<List<Version>>> finalHistories) {
    Map<String, List<Call>> byLineage = new TreeMap<>();
    for (Call call : calls) {
      byLineage.computeIfAbsent(call.lineageId(), id -> new ArrayList<>()).add(call);
    }
    List<Violation> violations = new ArrayList<>();
    for (Map.Entry<String, List<Call>> lineage : byLineage.entrySet()) {
      List<List<Version>> histories = finalHistories.get(lineage.getKey());
      if (histories == null || histories.isEmpty()) {
        throw new IllegalArgumentException("no final history of " + lineage.getKey());
      }
      new Lineage(lineage.getKey(), lineage.getValue(), histories, violations).check();
    }
    return violations;
  }

  /** The checks of one lineage, reporting into a shared list. */
  private static final class Lineage {
    private final String id;
    private final List<Call> calls;
    private final List<List<Version>> histories;
    private final List<Version> history;
    private final List<Violation> violations;

    Lineage(String id, List<Call> calls, List<List<Version>> histories, List<Violation> violations) {
      this.id = id;
      this.calls = calls;
      this.histories = histories;
      this.history = histories.get(0);
      this.violations = violations;
    }

    void check() {
      for (int member = 1; member < histories.size(); member++) {
        if (!histories.get(member).equals(history)) {
          report(Rule.MEMBERS_DIFFER, firstDifference(history, histories.get(member)),
              "member 0 holds " + history.size() + " versions, member " + member + " " + histories.get(member).size());
        }
      }
      if (!chained()) {
        return; // the history itself is no order to check calls against
      }
      answersAgree();
      Map<String, Call> writers = writersInHistory();
      counters();
      if (violations.stream().noneMatch(violation -> violation.lineageId().equals(id))) {
        placeInRealTime(writers);
      }
    }

    /** Versions 1, 2, ... each naming the one before, each ecs id once. */
    private boolean chained() {
      boolean chained = true;
      Map<String, Long> ecsIds = new HashMap<>();
      for (int i = 0; i < history.size(); i++) {
        Version version = history.get(i);
        String previous = i == 0 ? "" : history.get(i - 1).ecsId();
        if (version.number() != i + 1 || !version.complete() || !previous.equals(version.previousEcsId())) {
          report(Rule.BROKEN_CHAIN, i + 1, "position " + (i + 1) + " holds " + version + ", after " + previous);
          chained = false;
        }
        Long again = ecsIds.put(version.ecsId(), version.number());
        if (again != null) {
          report(Rule.BROKEN_CHAIN, version.number(), "ecs id " + version.ecsId() + " also names version " + again);
          chained = false;
        }
      }
      return chained;
    }

    /**
     * Every version a call was answered with (or a refusal named) is the one the history holds
     * under that number: an acknowledged write that is not is lost; any other answer that is not
     * saw a version the group does not hold, a fork.
     */
    private void answersAgree() {
      for (Call call : calls) {
        Version seen = call.seen();
        if (seen == null || seen.number() == 0) {
          continue;
        }
        boolean acknowledgedWrite = call.outcome() == Outcome.OK && call.isWrite();
        if (acknowledgedWrite) {
          long expected = call.kind() == Kind.CREATE ? 1 : call.expectedVersion() + 1;
          if (seen.number() != expected || !call.tag().equals(seen.writer())) {
            report(Rule.PHANTOM_WRITE, seen.number(), call + " was answered with " + seen);
          }
        }
        if (seen.number() > history.size()) {
          report(Rule.LOST_WRITE, seen.number(), call + " saw " + seen + "; the history ends at version "
              + history.size());
        } else if (!agree(history.get((int) seen.number() - 1), seen)) {
          report(acknowledgedWrite ? Rule.LOST_WRITE : Rule.FORK, seen.number(), call + " saw " + seen
              + "; the history holds " + history.get((int) seen.number() - 1));
        }
      }
    }

    /** Whether two accounts of one version number agree in every field both know. */
    private static boolean agree(Version a, Version b) {
      return known(a.ecsId(), b.ecsId()) && known(a.previousEcsId(), b.previousEcsId())
          && known(a.writer(), b.writer()) && known(a.counter(), b.counter());
    }

    private static boolean known(Object a, Object b) {
      return a == null || b == null || a.equals(b);
    }

    /**
     * Each version in the history was written by a call that may have written it (answered or
     * unanswered, not refused), where that call wrote (after the version it expected), once.
     * Returns each version's writer by tag.
     */
    private Map<String, Call> writersInHistory() {
      Map<String, Call> byTag = new HashMap<>();
      for (Call call : calls) {
        if (call.isWrite()) {
          byTag.put(call.tag(), call);
        }
      }
      Map<String, Call> writers = new HashMap<>();
      for (Version version : history) {
        Call writer = byTag.get(version.writer());
        if (writer == null) {
          report(Rule.PHANTOM_WRITE, version.number(), "no call wrote " + version.writer());
          continue;
        }
        if (writers.put(version.writer(), writer) != null) {
          report(Rule.DUPLICATE_WRITE, version.number(), writer + " is in the history more than once");
        }
        long at = writer.kind() == Kind.CREATE ? 1 : writer.expectedVersion() + 1;
        if (writer.outcome() == Outcome.REFUSED) {
          report(Rule.PHANTOM_WRITE, version.number(), writer + " was refused, yet written");
        } else if (version.number() != at) {
          report(Rule.PHANTOM_WRITE, version.number(), writer + " is written as version " + version.number());
        }
      }
      return writers;
    }

    /** Version 1 counts 0, each later version one more; the last one counts every increment in the history. */
    private void counters() {
      for (Version version : history) {
        if (version.counter().longValue() != version.number() - 1) {
          report(Rule.WRONG_COUNTER, version.number(), "counter " + version.counter() + " after "
              + (version.number() - 1) + " increments");
        }
      }
    }

    /**
     * Places each version's creation at the earliest instant its constraints allow: no earlier than
     * its write began, than the version before it, or than just after the start of any call that
     * saw the version before it (that one was still current then); no later than its write was
     * answered or than the end of any call that saw it.
     */
    private void placeInRealTime(Map<String, Call> writers) {
      Map<Long, List<Call>> seenBy = new HashMap<>();
      for (Call call : calls) {
        if (call.seen() != null) {
          seenBy.computeIfAbsent(call.seen().number(), number -> new ArrayList<>()).add(call);
        }
      }
      long placed = Long.MIN_VALUE;
      for (Version version : history) {
        Call writer = writers.get(version.writer());
        long earliest = Math.max(writer.startNanos(), placed == Long.MIN_VALUE ? Long.MIN_VALUE : placed + 1);
        String after = writer.startNanos() == earliest ? "its write began" : "the version before";
        for (Call reader : seenBy.getOrDefault(version.number() - 1, List.of())) {
          if (reader.startNanos() + 1 > earliest) {
            earliest = reader.startNanos() + 1;
            after = reader + " began";
          }
        }
        long latest = writer.outcome() == Outcome.OK ? writer.endNanos() : Long.MAX_VALUE;
        String before = "its write was answered";
        for (Call reader : seenBy.getOrDefault(version.number(), List.of())) {
          if (reader.endNanos() < latest) {
            latest = reader.endNanos();
            before = reader + " ended";
          }
        }
        if (earliest > latest) {
          report(Rule.NOT_LINEARIZABLE, version.number(), "written by " + writer + ", it must be created after "
              + after + " (" + earliest + ") but before " + before + " (" + latest + ")");
          return;
        }
        placed = earliest;
      }
    }

    private void report(Rule rule, long version, String detail) {
      violations.add(new Violation(rule, id, version, detail));
    }

    private static long firstDifference(List<Version> a, List<Version> b) {
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        if (!Objects.equals(a.get(i), b.get(i))) {
          return i + 1;
        }
      }
      return Math.min(a.size(), b.size()) + 1;
    }
  }
}
