package dev.abstractions.bench.load;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One kind of logical write in a mixed read-modify-write load ((t2)'s tree writes and member
 * writes): its commits over the whole run (for a check against the data), and within the
 * measured window its commits, its conflicts (write attempts refused ABORTED and retried) and the
 * latency of its committed writes, first read to commit. Thread-safe counting; {@link #start} and
 * {@link #stop} are called by the closed loop at the window's edges.
 */
final class WriteKind {

  private final LongAdder commits = new LongAdder();
  private final LongAdder windowCommits = new LongAdder();
  private final LongAdder windowConflicts = new LongAdder();
  private final Recorder latency = new Recorder(3);
  private volatile boolean counting;
  private Histogram measured = new Histogram(3);

  void start() {
    latency.getIntervalHistogram();
    windowCommits.reset();
    windowConflicts.reset();
    counting = true;
  }

  void stop() {
    counting = false;
    measured = latency.getIntervalHistogram();
  }

  /** A write attempt was refused (a conflict) and will be retried. */
  void conflicted() {
    if (counting) {
      windowConflicts.increment();
    }
  }

  /** A logical write begun at {@code startedNanos} ({@link System#nanoTime}) committed now. */
  void committed(long startedNanos) {
    commits.increment();
    if (counting) {
      windowCommits.increment();
      latency.recordValue(System.nanoTime() - startedNanos);
    }
  }

  /** Commits since the start, warm-up and drain included. */
  long commits() {
    return commits.sum();
  }

  long commitsInWindow() {
    return windowCommits.sum();
  }

  long conflictsInWindow() {
    return windowConflicts.sum();
  }

  /** Conflicts per committed write within the window; NaN without commits. */
  double conflictsPerCommit() {
    return Ratio.of(conflictsInWindow(), commitsInWindow());
  }

  /** Latencies of the window's committed writes, in nanoseconds. */
  Histogram latencyNanos() {
    return measured;
  }

  /**
   * This kind's row for {@code window}: its commits per second and latencies; the CPU columns are
   * unknown (NaN), since the server's CPU is shared by the kinds.
   */
  ResultRow row(String id, String scenario, MeasuredWindow.Cpu window, String notes) {
    return new ResultRow(id, scenario, commitsInWindow() / window.seconds(), LatencySummary.ofNanos(measured),
        Double.NaN, Double.NaN, 0, "", notes);
  }
}
