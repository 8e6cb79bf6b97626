package dev.abstractions.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the client retries a write it recomputes itself after losing a compare-and-set ({@link
 * EntityClient#updateTree}, {@link EntityClient#updateTreeAsync}): at most {@link #maxAttempts()}
 * attempts, and before retry {@code n} a wait drawn uniformly from zero to {@code min(cap, base *
 * 2^(n-1))} ("full jitter"), so writers that collided spread out instead of colliding again in
 * step. The server gives no {@code retry_after} for the lost compare-and-set these retry, so the
 * client's own draw is the wait. Immutable and thread-safe.
 */
record Backoff(int maxAttempts, Duration base, Duration cap) {

  /**
   * {@link EntityClient#updateTree}'s: 50 attempts, waits of up to 2 ms, 4 ms, ... 64 ms, then
   * 100 ms (4.4 s in all at most). A writer that lost waits
   * while the others go on, so a few lose many times in a row: 8 threads incrementing members of
   * one tree on a loaded 2-core machine needed up to 16 attempts in 4,000 calls, each attempt
   * after the 5th losing with a probability of about 0.6; 50 puts giving up below 1e-10 per call
   * there.
   */
  static final Backoff TREE_UPDATES = new Backoff(50, Duration.ofMillis(2), Duration.ofMillis(100));

  /** The wait before retry {@code retry} (1 for the second attempt). */
  Duration beforeRetry(int retry) {
    long ceiling = Math.min(cap.toNanos(), base.toNanos() << Math.min(retry - 1, 30));
    return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }
}
