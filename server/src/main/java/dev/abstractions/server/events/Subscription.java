package dev.abstractions.server.events;

import com.google.protobuf.Timestamp;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.Progress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One subscriber's position in the log. It holds no events of its own: it reads the shared log
 * from its cursor, so a slow subscriber costs no memory beyond the stream's own flow-control
 * window, and one that falls off the log is ended with the position to resume from. A stream that
 * was sent nothing for the progress interval gets a Progress bookmark of its position. Pumped only
 * by the hub's dispatcher thread; closed by whichever thread ends it first (the dispatcher, the
 * transport's cancellation, a subscribe that lost the race with the shutdown), and only that one
 * ends its stream.
 */
public final class Subscription {

  /** Events sent per turn, so one busy subscriber cannot starve the others. */
  private static final int BATCH = 256;

  private final EventLog log;
  private final EventSink sink;
  private final EventMatcher matcher;
  private final boolean includeEntities;
  /** Stamps bookmarks with their time, as the log stamps events. */
  private final Clock clock;
  private final long progressIntervalNanos;
  /** The next sequence to consider. */
  private long cursor;
  /** When the stream was last sent anything (or started): a bookmark is due an interval later. */
  private long lastSendNanos;
  /** Whether the stream still owes its subscriber a first bookmark of where it starts. */
  private boolean announce;
  /** Set once, by whichever path ends the subscription first; only that path ends the stream. */
  private final AtomicBoolean closed = new AtomicBoolean();

  Subscription(EventLog log, EventSink sink, EventMatcher matcher, boolean includeEntities, long startSequence,
      boolean announceStart, Clock clock, long progressIntervalNanos, long nowNanos) {
    this.log = log;
    this.sink = sink;
    this.matcher = matcher;
    this.includeEntities = includeEntities;
    this.cursor = startSequence;
    this.clock = clock;
    this.progressIntervalNanos = progressIntervalNanos;
    this.lastSendNanos = nowNanos;
    this.announce = announceStart;
  }

  /** Events behind the head. */
  long lag() {
    return Math.max(0, log.lastSequence() - (cursor - 1));
  }

  /** Closes the subscription; true if this call did, so its caller is the one to end the stream. */
  boolean close() {
    return !closed.get() && closed.compareAndSet(false, true);
  }

  /** What a {@link #pump} left the subscription doing, which tells the dispatcher when to come back. */
  enum Turn {
    /** It used up its batch with the stream still ready: come back at once. */
    BUSY,
    /** It is caught up and its stream ready: come back when an event is appended or a bookmark due. */
    WAITING,
    /** Its stream takes no more for now: come back when the transport says it is ready again. */
    STALLED,
    /** It ended: forget it. */
    CLOSED
  }

  /** Sends what the stream can take now. */
  Turn pump(long nowNanos) {
    if (closed.get()) {
      return Turn.CLOSED;
    }
    if (announce && sink.isReady()) {
      bookmark(cursor - 1, nowNanos);
      announce = false;
    }
    int sent = 0;
    while (sink.isReady()) {
      if (sent == BATCH) {
        return Turn.BUSY;
      }
      LoggedEvent event;
      try {
        event = log.read(cursor);
      } catch (EventsLostException e) {
        if (close()) {
          sink.endFellBehind(cursor, e.oldestRetained());
        }
        return Turn.CLOSED;
      }
      if (event == null) {
        // Caught up (or a writer is between claiming and storing; it signals once stored). A
        // stream quiet for an interval, filtered or idle, is told where it is even if that did
        // not move: its subscriber can then tell a quiet stream from a dead one.
        if (nowNanos - lastSendNanos >= progressIntervalNanos) {
          bookmark(cursor - 1, nowNanos);
        }
        return sink.isReady() ? Turn.WAITING : Turn.STALLED;
      }
      cursor++;
      if (matcher.matches(event)) {
        // Encoded once per event and form, shared by every subscriber that receives it.
        sink.deliver(event.encoded(includeEntities));
        lastSendNanos = nowNanos;
        sent++;
      }
    }
    return Turn.STALLED;
  }

  /** The next sequence it reads; a {@link Turn#WAITING} subscription waits for this one. */
  long cursor() {
    return cursor;
  }

  /** When a {@link Turn#WAITING} subscription is due a bookmark if nothing is sent before. */
  long bookmarkDueNanos() {
    return lastSendNanos + progressIntervalNanos;
  }

  private void bookmark(long passed, long nowNanos) {
    Instant time = clock.instant();
    sink.deliver(EncodedEvent.of(Event.newBuilder()
        .setTime(Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()))
        .setResumeToken(ResumeTokens.after(passed))
        .setProgress(Progress.newBuilder().setHeadSequence(passed))
        .build()));
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
