package dev.abstractions.server.events;

import java.time.Duration;

/** Event log retention: the last {@code retainedEvents} events, none older than {@code maxAge}. */
public record EventLogSettings(int retainedEvents, Duration maxAge) {

  public EventLogSettings {
    if (retainedEvents < 1 || retainedEvents > (1 << 26)) {
      throw new IllegalArgumentException("retainedEvents must be 1.." + (1 << 26) + ", was " + retainedEvents);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
    }
  }
}
