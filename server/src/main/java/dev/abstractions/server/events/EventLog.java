package dev.abstractions.server.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import dev.abstractions.server.core.EventRecord;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded, in-memory log of every event, in gap-free sequence order.
 *
 * <p>Lock-free for writers and readers. The store gives each event its sequence (the counter is
 * the store's state) inside the atomic step that made the change, and appends it here at once, so
 * per target the sequence order is the change order; the log stores a {@link LoggedEvent} (the
 * event's data, sequence and time) in the ring slot of that sequence, with a compare-and-set that
 * never replaces a newer event by an older one. The {@code Event} message is
 * built and encoded outside that step, once, by the first reader that needs it. Readers ask for a
 * sequence and learn whether it is there, not yet stored (a writer is between taking its sequence
 * and storing it, or it is in the future), or overwritten (older than the retained window). The
 * ring keeps the last {@code capacity} events; {@code maxAge} further hides older events from new
 * readers.
 */
public final class EventLog {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(LoggedEvent[].class);

  private final LoggedEvent[] ring;
  private final int mask;
  private final long retainedCount;
  private final long maxAgeNanos;
  private final Clock clock;
  /** The highest sequence appended; the first event is 1. */
  private final AtomicLong claimed = new AtomicLong();
  private final EventSignal signal;

  public EventLog(EventLogSettings settings, Clock clock, EventSignal signal) {
    int capacity = Integer.highestOneBit(Math.max(1, settings.retainedEvents() - 1)) << 1;
    this.ring = new LoggedEvent[capacity];
    this.mask = capacity - 1;
    this.retainedCount = settings.retainedEvents();
    this.maxAgeNanos = settings.maxAge().toNanos();
    this.clock = clock;
    this.signal = signal;
  }

  /**
   * Stores the event with {@code sequence}, which the store just took for it, stamped
   * {@code wallNanos} (the time of the command that caused it). Never blocks, and builds no
   * message: that is left to the first reader.
   */
  public LoggedEvent append(long sequence, long wallNanos, EventRecord record) {
    LoggedEvent logged = new LoggedEvent(sequence, wallNanos, record);
    store(logged);
    claimed.accumulateAndGet(sequence, Math::max);
    signal.fire();
    return logged;
  }

  /**
   * Puts an event in its ring slot, unless the slot already holds a newer one. A writer delayed
   * between taking its sequence and storing can come after the writer of the sequence one lap
   * later; a plain store would put the older event back, and readers of the newer sequence would
   * take it for "not stored yet" for ever.
   */
  void store(LoggedEvent logged) {
    int slot = (int) (logged.sequence() & mask);
    LoggedEvent current = (LoggedEvent) SLOT.getAcquire(ring, slot);
    while (current == null || current.sequence() < logged.sequence()) {
      LoggedEvent witness = (LoggedEvent) SLOT.compareAndExchange(ring, slot, current, logged);
      if (witness == current) {
        return;
      }
      current = witness;
    }
    // A newer event holds the slot: this one was overwritten before it was ever readable.
  }

  /** The highest sequence appended (an older one may still be being stored); 0 before any event. */
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
      LoggedEvent event = (LoggedEvent) SLOT.getAcquire(ring, (int) (oldest & mask));
      if (event == null || event.sequence() != oldest || event.timeNanos() >= cutoff) {
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
  public LoggedEvent read(long sequence) throws EventsLostException {
    LoggedEvent event = (LoggedEvent) SLOT.getAcquire(ring, (int) (sequence & mask));
    if (event == null || event.sequence() < sequence) {
      return null;
    }
    if (event.sequence() > sequence) {
      throw new EventsLostException(sequence, oldestRetained());
    }
    return event;
  }

  /**
   * Whether the event with {@code sequence} (or a newer one in its slot) is stored. A volatile read,
   * ordered with a writer's store and its {@link EventSignal#fire}: for the dispatcher's last look
   * before it sleeps, after it started listening.
   */
  boolean stored(long sequence) {
    LoggedEvent event = (LoggedEvent) SLOT.getVolatile(ring, (int) (sequence & mask));
    return event != null && event.sequence() >= sequence;
  }

  private long nowNanos() {
    return epochNanos(clock.instant());
  }

  private static long epochNanos(Instant time) {
    return time.getEpochSecond() * 1_000_000_000L + time.getNano();
  }
}
