package dev.abstractions.server.core;

import java.time.Clock;
import java.time.Instant;

/**
 * {@link System#nanoTime}, moved forward whenever the store applies a command with a later tick
 * ({@link #notBefore}), and {@code clock} for wall time. {@code nanoTime}'s origin is per process,
 * while the ticks in a durable store's commands (deadlines, gate leases) outlive the process and,
 * in a replicated group, come from other members: moved forward this way, a restarted server's
 * ticks continue after the last it applied (the time it was down is not counted), and a member's
 * ticks never fall behind those of the commands it has seen. Ticks only ever increase. Thread-safe.
 */
public final class AdvancingTicker implements Ticker {

  private final Clock clock;
  /** Added to nanoTime; only raised. */
  private volatile long offset;

  public AdvancingTicker(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long tickNanos() {
    return System.nanoTime() + offset;
  }

  @Override
  public long wallNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Ticks read from now on are later than {@code tick}. */
  public void notBefore(long tick) {
    long needed = tick + 1 - System.nanoTime();
    if (needed > offset) {
      synchronized (this) {
        if (needed > offset) {
          offset = needed;
        }
      }
    }
  }
}
