package dev.abstractions.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The retry policy of {@code updateTree} and {@code updateTreeAsync}, which every client of the
 * server shares: 50 attempts, full-jitter waits capped at {@code min(100 ms, 2 ms * 2^(n-1))}, and
 * a longer server {@code retry_after_ms} taken as it is.
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
        Duration wait = TREE.beforeRetry(retry, refusal(Map.of()));
        assertThat(wait).isBetween(Duration.ZERO, ceiling);
        longest = wait.compareTo(longest) > 0 ? wait : longest;
      }
      // Full jitter: the draws reach the top half of the range, not only a fixed fraction of it.
      assertThat(longest).isGreaterThan(ceiling.dividedBy(2));
    }
  }

  @Test
  void aServerRetryAfterLongerThanTheDrawIsTakenAsItIsAndAShorterOneChangesNothing() {
    for (int retry = 1; retry <= 49; retry++) {
      assertThat(TREE.beforeRetry(retry, refusal(Map.of("retry_after_ms", "250")))).isEqualTo(Duration.ofMillis(250));
    }
    for (int draw = 0; draw < 2_000; draw++) {
      Duration wait = TREE.beforeRetry(10, refusal(Map.of("retry_after_ms", "1")));
      assertThat(wait).isBetween(Duration.ofMillis(1), Duration.ofMillis(100));
    }
  }

  private static EntityServiceException refusal(Map<String, String> metadata) {
    return new TreeVersionConflictException(Status.ABORTED.asRuntimeException(), "TREE_VERSION_CONFLICT", metadata,
        List.of());
  }
}
