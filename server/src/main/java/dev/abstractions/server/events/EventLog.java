package dev.abstractions.server.events;

import com.google.protobuf.Timestamp;
import dev.abstractions.api.v1.Event;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded, in-memory log of every event, in gap-free sequence order.
 *
 * <p>Lock-free for writers and readers. A writer claims the next sequence with one atomic
 * increment and stores the event in the ring slot of that sequence; writers call {@link #append}
 * from inside the atomic step that made the change (holding the lineage's lock), so per lineage
 * the sequence order is the change order. Readers ask for a sequence and learn whether it is
 * there, not yet stored (a writer is between claim and store, or it is in the future), or
 * overwritten (older than the retained window). The ring keeps the last {@code capacity} events;
 * {@code maxAge} further hides older events from new readers.
 */
public final class EventLog {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Event[].class);

  private final Event[] ring;
  private final int mask;
  private final long retainedCount;
  private final long maxAgeNanos;
  private final Clock clock;
  /** The last sequence claimed; the first event is 1. */
  private final AtomicLong claimed = new AtomicLong();
  private final EventSignal signal;

  public EventLog(EventLogSettings settings, Clock clock, EventSignal signal) {
    int capacity = Integer.highestOneBit(Math.max(1, settings.retainedEvents() - 1)) << 1;
    this.ring = new Event[capacity];
    this.mask = capacity - 1;
    this.retainedCount = settings.retainedEvents();
    this.maxAgeNanos = settings.maxAge().toNanos();
    this.clock = clock;
    this.signal = signal;
  }

  /**
   * Stamps {@code event} with the next sequence, its resume token and the time, stores it and
   * returns it. Never blocks.
   */
  public Event append(Event.Builder event) {
    long sequence = claimed.incrementAndGet();
    Instant now = clock.instant();
    Event stamped =
        event
            .setSequence(sequence)
            .setResumeToken(ResumeTokens.after(sequence))
            .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .build();
    SLOT.setRelease(ring, (int) (sequence & mask), stamped);
    signal.fire();
    return stamped;
  }

  /** The last sequence handed out (its event may still be being stored); 0 before any event. */
  public long lastSequence() {
    return claimed.get();
  }

  /**
   * The oldest sequence a new reader may start at: within the last {@code retainedEvents} and no
   * older than {@code maxAge}. Equals {@code lastSequence() + 1} when nothing is retained.
   */
  public long oldestRetained() {
    long last = claimed.get();
    long oldest = Math.max(1, last - retainedCount + 1);
    long cutoff = nowNanos() - maxAgeNanos;
    // Events are stored in time order per sequence, so the first young enough one bounds the rest.
    while (oldest <= last) {
      Event event = (Event) SLOT.getAcquire(ring, (int) (oldest & mask));
      if (event == null || event.getSequence() != oldest || epochNanos(event) >= cutoff) {
        break;
      }
      oldest++;
    }
    return oldest;
  }

  /**
   * Reads the event with {@code sequence}: the event, or null if it is not stored yet. Throws
   * {@link EventsLostException} if it was already overwritten.
   */
  public Event read(long sequence) throws EventsLostException {
    Event event = (Event) SLOT.getAcquire(ring, (int) (sequence & mask));
    if (event == null || event.getSequence() < sequence) {
      return null;
    }
    if (event.getSequence() > sequence) {
      throw new EventsLostException(sequence, oldestRetained());
    }
    return event;
  }

  private long nowNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static long epochNanos(Event event) {
    return event.getTime().getSeconds() * 1_000_000_000L + event.getTime().getNanos();
  }
}
