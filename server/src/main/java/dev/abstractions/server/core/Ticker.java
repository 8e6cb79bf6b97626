package dev.abstractions.server.core;

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
}
