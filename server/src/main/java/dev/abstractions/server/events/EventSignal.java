package dev.abstractions.server.events;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells the event dispatcher there is something to do (new events, a stream ready again). Firing
 * is a flag check and, only if the dispatcher sleeps, an unpark: writers call it inside their
 * atomic step and never wait. While nobody listens (no subscriptions), firing does nothing at all,
 * so writers pay no wake-up (a futex call and a context switch) for a feed nobody reads.
 * Thread-safe; one waiting thread.
 */
public final class EventSignal {

  private final AtomicBoolean fired = new AtomicBoolean();
  /** Subscriptions registered with {@link #listen}; fires are dropped while there are none. */
  private final AtomicInteger listeners = new AtomicInteger();
  /** Unparks done by {@link #fire}, for tests that check writers do not wake an idle dispatcher. */
  private final AtomicLong wakeUps = new AtomicLong();
  private volatile Thread waiter;

  public void fire() {
    if (listeners.get() > 0 && !fired.get() && fired.compareAndSet(false, true)) {
      Thread sleeping = waiter;
      if (sleeping != null) {
        wakeUps.incrementAndGet();
        LockSupport.unpark(sleeping);
      }
    }
  }

  /**
   * One more subscription wants to hear of new events. Called before it is visible to the
   * dispatcher, and followed by a {@link #fire}, so an event appended while it starts is not missed.
   */
  void listen() {
    listeners.incrementAndGet();
  }

  /** A subscription ended. */
  void unlisten() {
    listeners.decrementAndGet();
  }

  /** Clears the signal before the waiter looks for work, so a fire during the look is not lost. */
  void clear() {
    fired.set(false);
  }

  /** Sleeps up to {@code maxNanos} unless fired since the last {@link #clear}. */
  void await(long maxNanos) {
    waiter = Thread.currentThread();
    if (!fired.get()) {
      LockSupport.parkNanos(this, maxNanos);
    }
  }

  /**
   * Wakes the waiter even if nobody listens (to make it notice a new subscription or a shutdown);
   * if it is not asleep, its next {@link #await} returns at once.
   */
  void wake() {
    fired.set(true);
    Thread sleeping = waiter;
    if (sleeping != null) {
      LockSupport.unpark(sleeping);
    }
  }

  long wakeUps() {
    return wakeUps.get();
  }
}
