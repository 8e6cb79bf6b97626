package dev.abstractions.server.core;

import dev.abstractions.api.v1.PriorityClass;

/**
 * The one place priority classes are defined: default priority, retry budget, the bound an
 * explicit priority must respect, and the backoff a conflicting operation is told to wait.
 * Pure: the randomness that spreads retries apart comes in as {@code jitter}, a number in [0, 1)
 * that the caller draws (a command carries it, so a decision replays exactly). Thread-safe.
 */
public final class RetryPolicy {

  /** Longest a parent chain may be (an operation at depth 1 has no parent). */
  public static final int MAX_PARENT_DEPTH = 8;

  private RetryPolicy() {}

  /** {@code priority_class} with UNSPECIFIED read as NORMAL. */
  public static PriorityClass effectiveClass(PriorityClass requested) {
    return requested == PriorityClass.PRIORITY_CLASS_UNSPECIFIED ? PriorityClass.NORMAL : requested;
  }

  public static int defaultPriority(PriorityClass cls) {
    return switch (effectiveClass(cls)) {
      case STRUCTURAL -> 10;
      case LOW -> 2;
      default -> 5;
    };
  }

  public static int defaultMaxRetries(PriorityClass cls) {
    return switch (effectiveClass(cls)) {
      case STRUCTURAL -> 20;
      case LOW -> 3;
      default -> 5;
    };
  }

  /** Lowest explicit priority the class allows. */
  public static int minPriority(PriorityClass cls) {
    return effectiveClass(cls) == PriorityClass.STRUCTURAL ? 8 : 1;
  }

  /** Highest explicit priority the class allows. */
  public static int maxPriority(PriorityClass cls) {
    return effectiveClass(cls) == PriorityClass.LOW ? 5 : 10;
  }

  /**
   * How long an operation waiting behind {@code ahead} equal-priority operations should wait before
   * it tries again. {@code turnInNanos} is when its turn at the gate is expected (see
   * {@link Arbitration#turnInNanos}); it waits that long and up to a quarter more, so that it
   * comes back once, after its turn came, rather than polling before. Without an estimate (0) its
   * turn is taken to be {@code ahead} class bases away, with the usual jitter. Capped per class.
   */
  public static long gateWaitNanos(PriorityClass cls, int ahead, long turnInNanos, double jitter) {
    long[] baseAndCap = baseAndCap(cls);
    double delay = turnInNanos > 0
        ? turnInNanos * (1 + 0.25 * jitter)
        : baseAndCap[0] * Math.max(ahead, 1) * (0.5 + jitter);
    return (long) Math.min(baseAndCap[1], delay);
  }

  /**
   * How long an operation that has been charged {@code retryCount} conflicts should wait:
   * {@code min(cap, base * 2^(retryCount - 1))}, scaled by a random factor in [0.5, 1.5) so that
   * writers that collided do not collide again in step. Structural operations wait least.
   */
  public static long retryAfterNanos(PriorityClass cls, int retryCount, double jitter) {
    long[] baseAndCap = baseAndCap(cls);
    int doublings = Math.min(Math.max(retryCount, 1) - 1, 20);
    long delay = Math.min(baseAndCap[1], baseAndCap[0] << doublings);
    return (long) (delay * (0.5 + jitter));
  }

  /**
   * How long an operation that acted (began, attempted, kept alive) holds its target's turn: while
   * it does, other Begins on the target wait, so that no one computes on a snapshot the holder's
   * commit is about to overwrite. Long enough for a client's round trip and a short computation
   * (a client that takes longer is no longer waited for, and competes by compare-and-set); short
   * enough that a client that vanished holds the others up only this long.
   */
  public static final long TURN_NANOS = 20_000_000L;

  /** What one priority level is worth in waiting time, when waiting Begins are admitted. */
  public static final long PRIORITY_STEP_NANOS = 2_500_000L;

  /**
   * How much later than it arrived a waiting Begin of {@code effectivePriority} is due for
   * admission: waiters are admitted in order of arrival plus this slack, so a higher priority goes
   * ahead of lower ones that arrived up to {@value #PRIORITY_STEP_NANOS} ns per level before it,
   * and nobody waits behind later arrivals for longer than its slack (priority 10: none).
   */
  public static long admissionSlackNanos(int effectivePriority) {
    return Math.max(0, 10 - effectivePriority) * PRIORITY_STEP_NANOS;
  }

  /** The longest backoff the class is ever told; also how long a Begin may wait for the gate. */
  public static long longestWaitNanos(PriorityClass cls) {
    return baseAndCap(cls)[1];
  }

  /** Backoff base and cap in nanoseconds: structural operations wait least. */
  private static long[] baseAndCap(PriorityClass cls) {
    return switch (effectiveClass(cls)) {
      case STRUCTURAL -> new long[] {1_000_000L, 16_000_000L};
      case LOW -> new long[] {10_000_000L, 250_000_000L};
      default -> new long[] {5_000_000L, 100_000_000L};
    };
  }
}
