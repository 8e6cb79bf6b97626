package dev.abstractions.server.grpc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the ones it held back, so that a client
 * repeating the same mistake in a loop costs the log one line per interval instead of one per
 * request. Lock-free and thread-safe; time comes from the given nanosecond ticker.
 */
final class LogThrottle {

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextAllowed;
  private final AtomicLong heldBack = new AtomicLong();

  LogThrottle(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
  }

  /**
   * Whether a line may be logged now.
   *
   * @return -1 if not (the line is counted as held back), else how many were held back since the
   *     last line let through
   */
  long admit() {
    long now = nanoTime.getAsLong();
    long next = nextAllowed.get();
    if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
      return heldBack.getAndSet(0);
    }
    heldBack.incrementAndGet();
    return -1;
  }
}
