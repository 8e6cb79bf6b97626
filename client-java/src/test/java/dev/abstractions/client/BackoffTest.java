package dev.abstractions.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The retry policy of {@code updateTree} and {@code updateTreeAsync}, which every client of the
 * server shares: 50 attempts, full-jitter waits capped at {@code min(100 ms, 2 ms * 2^(n-1))}.
 */
class BackoffTest {

  private static final Backoff TREE = Backoff.TREE_UPDATES;

  @Test
  void treeUpdatesMakeFiftyAttemptsWaitingUpToTwoMillisDoublingToOneHundred() {
    assertThat(TREE.maxAttempts()).isEqualTo(50);
    long[] ceilingsMillis = {2, 4, 8, 16, 32, 64, 100, 100};
    for (int retry = 1; retry <= 49; retry++) {
      Duration ceiling = Duration.ofMillis(ceilingsMillis[Math.min(retry, 8) - 1]);
      Duration longest = Duration.ZERO;
      for (int draw = 0; draw < 2_000; draw++) {
        Duration wait = TREE.beforeRetry(retry);
        assertThat(wait).isBetween(Duration.ZERO, ceiling);
        longest = wait.compareTo(longest) > 0 ? wait : longest;
      }
      // Full jitter: the draws reach the top half of the range, not only a fixed fraction of it.
      assertThat(longest).isGreaterThan(ceiling.dividedBy(2));
    }
  }
}
