package dev.abstractions.server.events;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells the event dispatcher there is something to do. Writers {@link #fire} after each append:
 * a flag check and, only if the dispatcher listens and has not been fired since it last looked, an
 * unpark; they never wait. The dispatcher listens only while some subscription waits for new
 * events (caught up, its stream ready), and never while there is no subscription at all: with no
 * subscription, or only subscriptions whose streams are full, firing does nothing at all, so
 * writers pay no wake-up (a futex call and a context switch) for a feed nobody can take. What else
 * needs the dispatcher (a new subscription, a stream ready again, a shutdown) {@link #wake}s it
 * whether it listens or not. Thread-safe; one waiting thread.
 */
public final class EventSignal {

  private final AtomicBoolean fired = new AtomicBoolean();
  /**
   * Subscriptions registered with {@link #subscribed}: fires are dropped while there are none, at
   * once when the last one leaves, without waiting for the dispatcher to stop {@link #listen}ing.
   */
  private final AtomicInteger subscriptions = new AtomicInteger();
  /** Whether a subscription waits for new events; written by the dispatcher only. */
  private volatile boolean listening;
  /** Unparks done by {@link #fire}, for tests that check writers do not wake an idle dispatcher. */
  private final AtomicLong wakeUps = new AtomicLong();
  private volatile Thread waiter;

  public void fire() {
    if (listening && subscriptions.get() > 0 && !fired.get() && fired.compareAndSet(false, true)) {
      Thread sleeping = waiter;
      if (sleeping != null) {
        wakeUps.incrementAndGet();
        LockSupport.unpark(sleeping);
      }
    }
  }

  /** One more subscription; called before the dispatcher can see it. */
  void subscribed() {
    subscriptions.incrementAndGet();
  }

  /** A subscription ended. */
  void unsubscribed() {
    subscriptions.decrementAndGet();
  }

  /**
   * Whether writers' fires should reach the dispatcher from now on. After {@code listen(true)} the
   * dispatcher must look at the log once more before it sleeps: a write stored before it listened
   * fired into the void.
   */
  void listen(boolean listen) {
    listening = listen;
  }

  /** Clears the signal before the waiter looks for work, so a fire during the look is not lost. */
  void clear() {
    fired.set(false);
  }

  /** Sleeps up to {@code maxNanos} unless fired or woken since the last {@link #clear}. */
  void await(long maxNanos) {
    waiter = Thread.currentThread();
    if (!fired.get()) {
      LockSupport.parkNanos(this, maxNanos);
    }
  }

  /**
   * Wakes the waiter even if it does not listen (to make it notice a new subscription, a stream
   * ready again or a shutdown); if it is not asleep, its next {@link #await} returns at once.
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
