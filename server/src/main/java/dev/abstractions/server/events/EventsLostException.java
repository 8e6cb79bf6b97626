package dev.abstractions.server.events;

/** A reader asked for events the log no longer holds. */
public final class EventsLostException extends Exception {

  private final long requested;
  private final long oldestRetained;

  public EventsLostException(long requested, long oldestRetained) {
    super("event " + requested + " is no longer retained; the oldest is " + oldestRetained, null, false, false);
    this.requested = requested;
    this.oldestRetained = oldestRetained;
  }

  public long requested() {
    return requested;
  }

  public long oldestRetained() {
    return oldestRetained;
  }
}
