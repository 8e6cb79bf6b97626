package dev.abstractions.cli;

import dev.abstractions.api.v1.RejectionReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the demo's writers did, per writer class: operations finished, how each ended, conflicts
 * met on the way, charged retries; and committed increments per target. Lock-free: writers record
 * concurrently, readers take {@link #snapshot()}s, each counter exact but the set not atomic.
 */
final class DemoTally {

  /** Counters of one writer class, indexed by {@link Count}. */
  enum Count {
    OPS,
    COMMITTED,
    SHED,
    EXHAUSTED,
    EXPIRED,
    REFUSED,
    CONFLICTS,
    CHARGED_KNOWN,
    CHARGED_SUM,
    CHARGED_MAX
  }

  private final Map<WriterClass, AtomicLongArray> counts = new EnumMap<>(WriterClass.class);
  private final Map<String, LongAdder> incrementsByTarget = new ConcurrentHashMap<>();

  DemoTally() {
    for (WriterClass writerClass : WriterClass.values()) {
      counts.put(writerClass, new AtomicLongArray(Count.values().length));
    }
  }

  /** An operation that wrote its increment to {@code target}; {@code charged} is -1 if unknown. */
  void committed(WriterClass writerClass, String target, int conflicts, int charged) {
    incrementsByTarget.computeIfAbsent(target, ignored -> new LongAdder()).increment();
    finished(writerClass, Count.COMMITTED, conflicts, charged);
  }

  /** An operation the server rejected for {@code reason}. */
  void rejected(WriterClass writerClass, RejectionReason reason, int conflicts, int charged) {
    finished(writerClass, reason == RejectionReason.RETRIES_EXHAUSTED ? Count.EXHAUSTED : Count.EXPIRED, conflicts,
        charged);
  }

  /** A LOW operation the server shed at Begin (TARGET_BUSY), before it computed anything. */
  void shed(WriterClass writerClass) {
    finished(writerClass, Count.SHED, 0, -1);
  }

  /** An operation the server would not begin for another reason (e.g. the target's operation limit). */
  void refused(WriterClass writerClass) {
    finished(writerClass, Count.REFUSED, 0, -1);
  }

  long committedTo(String target) {
    LongAdder increments = incrementsByTarget.get(target);
    return increments == null ? 0 : increments.sum();
  }

  /** Every counter of every class, as of now. */
  Map<WriterClass, long[]> snapshot() {
    Map<WriterClass, long[]> snapshot = new EnumMap<>(WriterClass.class);
    counts.forEach((writerClass, values) -> {
      long[] copy = new long[values.length()];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = values.get(i);
      }
      snapshot.put(writerClass, copy);
    });
    return snapshot;
  }

  private void finished(WriterClass writerClass, Count outcome, int conflicts, int charged) {
    AtomicLongArray values = counts.get(writerClass);
    values.incrementAndGet(Count.OPS.ordinal());
    values.incrementAndGet(outcome.ordinal());
    values.addAndGet(Count.CONFLICTS.ordinal(), conflicts);
    if (charged >= 0) {
      values.incrementAndGet(Count.CHARGED_KNOWN.ordinal());
      values.addAndGet(Count.CHARGED_SUM.ordinal(), charged);
      values.accumulateAndGet(Count.CHARGED_MAX.ordinal(), charged, Math::max);
    }
  }
}
