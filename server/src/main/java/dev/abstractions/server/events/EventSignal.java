package dev.abstractions.server.events;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells the event dispatcher there is something to do (new events, a stream ready again). Firing
 * is a flag check and, only if the dispatcher sleeps, an unpark: writers call it inside their
 * atomic step and never wait. Thread-safe; one waiting thread.
 */
public final class EventSignal {

  private final AtomicBoolean fired = new AtomicBoolean();
  private volatile Thread waiter;

  public void fire() {
    if (!fired.get() && fired.compareAndSet(false, true)) {
      Thread sleeping = waiter;
      if (sleeping != null) {
        LockSupport.unpark(sleeping);
      }
    }
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

  /** Wakes the waiter even if nothing fired (to make it notice a shutdown). */
  void wake() {
    Thread sleeping = waiter;
    if (sleeping != null) {
      LockSupport.unpark(sleeping);
    }
  }
}
