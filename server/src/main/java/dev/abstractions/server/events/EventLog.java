package dev.abstractions.server.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import dev.abstractions.server.core.EventRecord;
import dev.abstractions.server.memory.MemoryBudget;
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
 *
 * <p>Memory: each event counts its {@link #weight} in the {@link MemoryBudget} while it is in the
 * ring. The log is the budget's first {@link MemoryBudget.Reliever}: under pressure it drops its
 * oldest events (raising {@link #oldestRetained} past them), so event retention shrinks before any
 * write is refused; a subscriber behind the dropped events falls off the log as it would by count
 * or age, and is told where to resume.
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
  /** Events below this sequence were dropped to give memory back; raised before their slots are cleared. */
  private volatile long floor = 1;
  private final Object dropping = new Object();
  private final EventSignal signal;
  private final MemoryBudget budget;

  public EventLog(EventLogSettings settings, Clock clock, EventSignal signal, MemoryBudget budget) {
    int capacity = Integer.highestOneBit(Math.max(1, settings.retainedEvents() - 1)) << 1;
    this.ring = new LoggedEvent[capacity];
    this.mask = capacity - 1;
    this.retainedCount = settings.retainedEvents();
    this.maxAgeNanos = settings.maxAge().toNanos();
    this.clock = clock;
    this.signal = signal;
    this.budget = budget;
    budget.relieveWith(this::dropOldest);
  }

  /**
   * The heap an event holds while it is in the log, as the budget counts it: the event and its
   * envelope, the versions it refers to, and the full encoding a subscriber may make of it.
   */
  static long weight(EventRecord record) {
    long weight = 256;
    if (record.body() instanceof EventRecord.EntityCreated created) {
      weight += created.entity().heapBytes() + created.entity().encodedSize();
    } else if (record.body() instanceof EventRecord.EntityVersioned versioned) {
      weight += versioned.previous().heapBytes() + versioned.written().heapBytes() + versioned.written().encodedSize();
    } else if (record.body() instanceof EventRecord.TreeBody tree) {
      for (EventRecord.MemberWrite write : tree.members()) {
        weight += 64 + write.written().heapBytes() + write.written().encodedSize()
            + (write.previous() == null ? 0 : write.previous().heapBytes());
      }
    } else {
      weight += 128;
    }
    return weight;
  }

  /**
   * Stores the event with {@code sequence}, which the store just took for it, stamped
   * {@code wallNanos} (the time of the command that caused it). Never blocks, and builds no
   * message: that is left to the first reader.
   */
  public LoggedEvent append(long sequence, long wallNanos, EventRecord record) {
    LoggedEvent logged = new LoggedEvent(sequence, wallNanos, record, weight(record));
    budget.add(MemoryBudget.Account.EVENTS, logged.weight());
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
        if (current != null) {
          budget.release(MemoryBudget.Account.EVENTS, current.weight()); // one lap older: out of the log
        }
        return;
      }
      current = witness;
    }
    // A newer event holds the slot: this one was overwritten before it was ever readable.
    budget.release(MemoryBudget.Account.EVENTS, logged.weight());
  }

  /**
   * Drops the oldest events until about {@code bytes} are given back or none is left: the budget's
   * relief. Raises the floor before clearing each slot, so a reader that finds a cleared slot also
   * finds the floor above it and learns the event is lost, not "not stored yet". One caller at a
   * time; a cleared slot is released once (the compare-and-set that clears it).
   */
  private long dropOldest(long bytes) {
    long freed = 0;
    synchronized (dropping) {
      long last = claimed.get();
      long next = floor;
      while (freed < bytes && next <= last) {
        floor = next + 1;
        int slot = (int) (next & mask);
        LoggedEvent event = (LoggedEvent) SLOT.getAcquire(ring, slot);
        if (event != null && event.sequence() == next && SLOT.compareAndSet(ring, slot, event, null)) {
          budget.release(MemoryBudget.Account.EVENTS, event.weight());
          freed += event.weight();
        }
        next++;
      }
    }
    return freed;
  }

  /**
   * Continues a history restored from a snapshot: events below {@code firstSequence} are gone
   * (readers asking for them learn so), and the next one appended is {@code firstSequence}.
   * Called before the log serves any reader.
   */
  public void resumeAt(long firstSequence) {
    floor = firstSequence;
    claimed.accumulateAndGet(firstSequence - 1, Math::max);
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
    long oldest = Math.max(floor, Math.max(1, last - retainedCount + 1));
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
      if (sequence < floor) {
        throw new EventsLostException(sequence, oldestRetained()); // dropped to give memory back
      }
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
