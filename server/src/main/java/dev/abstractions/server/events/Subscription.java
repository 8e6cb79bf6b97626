package dev.abstractions.server.events;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.Progress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One subscriber's position in the log. It holds no events of its own: it reads the shared log
 * from its cursor, so a slow subscriber costs no memory beyond the stream's own flow-control
 * window, and one that falls off the log is ended with the position to resume from. Driven only
 * by the hub's dispatcher thread.
 */
public final class Subscription {

  /** Events sent per turn, so one busy subscriber cannot starve the others. */
  private static final int BATCH = 256;

  private final EventLog log;
  private final EventSink sink;
  private final EventMatcher matcher;
  private final boolean includeEntities;
  private final long progressIntervalNanos;
  /** The next sequence to consider. */
  private long cursor;
  /** The last sequence the subscriber knows it has passed (delivered or bookmarked). */
  private long reported;
  private long lastSendNanos;
  /** Whether the stream still owes its subscriber a first bookmark of where it starts. */
  private boolean announce;
  /** Set once, by whichever path ends the subscription first; only that path ends the stream. */
  private final AtomicBoolean closed = new AtomicBoolean();

  Subscription(EventLog log, EventSink sink, EventMatcher matcher, boolean includeEntities, long startSequence,
      boolean announceStart, long progressIntervalNanos, long nowNanos) {
    this.log = log;
    this.sink = sink;
    this.matcher = matcher;
    this.includeEntities = includeEntities;
    this.cursor = startSequence;
    this.reported = startSequence - 1;
    this.progressIntervalNanos = progressIntervalNanos;
    this.lastSendNanos = nowNanos - progressIntervalNanos; // a bookmark may go out at once
    this.announce = announceStart;
  }

  /** Events behind the head. */
  long lag() {
    return Math.max(0, log.lastSequence() - (cursor - 1));
  }

  boolean closed() {
    return closed.get();
  }

  /** Closes the subscription; true if this call did, so its caller is the one to end the stream. */
  boolean close() {
    return !closed.get() && closed.compareAndSet(false, true);
  }

  /**
   * Sends what the stream can take now. Returns true if it used up its batch with the stream still
   * ready, so the dispatcher comes back at once; a stream that is not ready signals when it is.
   */
  boolean pump(long nowNanos) {
    if (closed.get()) {
      return false;
    }
    if (announce && sink.isReady()) {
      bookmark(cursor - 1, nowNanos);
      announce = false;
    }
    int sent = 0;
    while (sink.isReady()) {
      if (sent == BATCH) {
        return true;
      }
      LoggedEvent event;
      try {
        event = log.read(cursor);
      } catch (EventsLostException e) {
        if (close()) {
          sink.endFellBehind(cursor, e.oldestRetained());
        }
        return false;
      }
      if (event == null) {
        break; // caught up (or a writer is between claiming and storing; we are woken again)
      }
      cursor++;
      if (matcher.matches(event)) {
        // Encoded once per event and form, shared by every subscriber that receives it.
        sink.deliver(event.encoded(includeEntities));
        reported = event.sequence();
        lastSendNanos = nowNanos;
        sent++;
      }
    }
    long passed = cursor - 1;
    if (passed > reported && nowNanos - lastSendNanos >= progressIntervalNanos && sink.isReady()) {
      bookmark(passed, nowNanos);
    }
    return false;
  }

  private void bookmark(long passed, long nowNanos) {
    sink.deliver(EncodedEvent.of(Event.newBuilder()
        .setResumeToken(ResumeTokens.after(passed))
        .setProgress(Progress.newBuilder().setHeadSequence(passed))
        .build()));
    reported = passed;
    lastSendNanos = nowNanos;
  }

  void endShutdown() {
    if (close()) {
      sink.endShutdown();
    }
  }

  /** Ends the stream because sending to it failed, unless it was already ended. */
  void endFailed() {
    if (close()) {
      sink.endFailed();
    }
  }
}
