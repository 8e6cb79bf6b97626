package dev.abstractions.server.events;

import dev.abstractions.server.core.EventRecord;
import java.time.Instant;

/**
 * Appends events to a log that stands alone (no store gives it sequences): each gets the next
 * sequence after the log's last, as the store would give it.
 */
public final class TestEvents {

  private TestEvents() {}

  /** A plain EntityDeleted event of no particular entity. */
  public static EventRecord record() {
    return new EventRecord(new EventRecord.Envelope(5, "", "", "", "", ""), new EventRecord.EntityDeleted(1));
  }

  /** Appends {@code n} plain events stamped {@code at}. */
  public static void append(EventLog log, int n, Instant at) {
    for (int i = 0; i < n; i++) {
      append(log, record(), at);
    }
  }

  public static LoggedEvent append(EventLog log, EventRecord record, Instant at) {
    return log.append(log.lastSequence() + 1, at.getEpochSecond() * 1_000_000_000L + at.getNano(), record);
  }
}
