package dev.abstractions.server.core;

import java.time.Clock;
import java.time.Instant;

/**
 * The one source of {@link Time} for commands: a monotonic tick and the wall clock, read together.
 * Injectable (as Caffeine's {@code Ticker} is), so tests and the simulation drive time by hand.
 * Implementations are thread-safe.
 */
public interface Ticker {

  /** Monotonic nanoseconds, comparable only with other ticks of this ticker. */
  long tickNanos();

  /** Nanoseconds since the epoch, as users read time. */
  long wallNanos();

  default Time now() {
    return new Time(tickNanos(), wallNanos());
  }

  /** {@link System#nanoTime} and {@code clock}. */
  static Ticker system(Clock clock) {
    return after(Long.MIN_VALUE, clock);
  }

  /**
   * {@link System#nanoTime}, moved so that its first tick comes after {@code lastTick}, and
   * {@code clock}: a restarted server's ticks continue from the last tick its store applied
   * (nanoTime's origin is per process), so deadlines and leases in the store keep their meaning.
   * The time the server was down is not counted.
   */
  static Ticker after(long lastTick, Clock clock) {
    long offset = lastTick == Long.MIN_VALUE ? 0 : Math.max(0, lastTick + 1 - System.nanoTime());
    return new Ticker() {
      @Override
      public long tickNanos() {
        return System.nanoTime() + offset;
      }

      @Override
      public long wallNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }
    };
  }
}
