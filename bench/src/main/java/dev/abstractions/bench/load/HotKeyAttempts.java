package dev.abstractions.bench.load;

import java.util.concurrent.atomic.LongAdder;

/**
 * The write attempts and commits of a hot-key read-modify-write loop, and the attempts per commit
 * within the measured window. Thread-safe counting; the window marks are set by the closed loop.
 */
final class HotKeyAttempts {

  private final LongAdder attempts = new LongAdder();
  private final LongAdder commits = new LongAdder();
  private long attemptsAtStart;
  private long commitsAtStart;
  private long attemptsAtEnd;
  private long commitsAtEnd;

  /** One write attempt ended; {@code committed} if it landed. */
  void attempted(boolean committed) {
    attempts.increment();
    if (committed) {
      commits.increment();
    }
  }

  /** Commits since the start, warm-up included. */
  long commits() {
    return commits.sum();
  }

  void windowStarts() {
    attemptsAtStart = attempts.sum();
    commitsAtStart = commits.sum();
  }

  void windowEnds() {
    attemptsAtEnd = attempts.sum();
    commitsAtEnd = commits.sum();
  }

  double perCommitInWindow() {
    return Ratio.of(attemptsAtEnd - attemptsAtStart, commitsAtEnd - commitsAtStart);
  }
}
