package dev.abstractions.server.events;

import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.server.memory.MemoryBudget;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the event log to subscribers on one named dispatcher thread ({@code events-dispatch}),
 * which {@link #start} starts and {@link #close} stops: the hub's owner (the server) calls each
 * once. Subscriptions made before the start wait for it; from the moment {@code close} is called
 * new ones are refused, and the dispatcher, once it has stopped dispatching, ends every open stream
 * with a shutdown status, so no stream is ended while it may still be sent to.
 *
 * <p>Writers only fire the {@link EventSignal} after each append, so they never wait for
 * subscribers; unless some subscription is caught up and waits for new events, the signal does not
 * even wake the dispatcher, so subscribers that read nothing cost writers nothing. The dispatcher
 * pumps every subscription whose stream is ready; a stream that is not ready is skipped until its
 * transport says it is ready again ({@link #streamReady}). Every subscription reads the shared,
 * bounded log, so memory does not grow with slow subscribers, and sends the event's shared
 * encoding ({@link LoggedEvent#encoded}), so an event is built and serialized once however many
 * receive it. A subscription whose stream fails is ended with an error, not dropped in silence.
 * Thread-safe.
 */
public final class SubscriptionHub implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionHub.class);
  private static final long STOP_WAIT_MILLIS = 5_000;

  /** Why a subscription could not start. */
  public enum StartRefusal {
    /** The start sequence is older than the oldest retained event, or beyond the next one. */
    OUT_OF_RANGE,
    /** The server has as many subscribers as it allows. */
    TOO_MANY_SUBSCRIBERS,
    /** The hub is closing: the server is shutting down. */
    SHUTTING_DOWN,
    /** The subscription's state would take the server past its memory budget. */
    MEMORY_BUDGET,
    /** Its client already holds its share of the subscriber slots. */
    CLIENT_SHARE
  }

  /**
   * A started subscription, or why it did not start; with the start it resolved to and the log's
   * oldest and head sequences it was checked against.
   */
  public record Started(Subscription subscription, StartRefusal refusal, long startSequence, long oldestSequence,
      long headSequence) {}

  private final EventLog events;
  private final EventSignal signal;
  private final Clock clock;
  private final int maxSubscribers;
  private final long progressIntervalNanos;
  private final MemoryBudget budget;
  private final int maxPerClient;
  /** Each subscription, with its client and what it counts in the memory budget. */
  private final ConcurrentHashMap<Subscription, Held> subscriptions = new ConcurrentHashMap<>();
  /** Subscriptions per client; a client with none has no entry. */
  private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();

  /** What a subscription holds: a place of its client's and memory. */
  private record Held(String client, long weight) {}
  /**
   * Places taken, counted apart from the map so admission is one atomic step: transport threads
   * subscribe concurrently, and a size check followed by an insert let them overshoot the limit.
   */
  private final AtomicInteger admitted = new AtomicInteger();
  /** Set by {@link #start}; null before. */
  private Thread dispatcher;
  private volatile boolean closing;

  /**
   * A hub over {@code events}, woken by {@code signal}, serving at most {@code maxSubscribers},
   * at most {@code maxPerClient} of them for one client, each of which gets a Progress bookmark,
   * stamped by {@code clock}, after a quiet {@code progressInterval}, and counts its
   * {@link #weight} in {@code budget}.
   */
  public SubscriptionHub(EventLog events, EventSignal signal, Clock clock, int maxSubscribers, int maxPerClient,
      Duration progressInterval, MemoryBudget budget) {
    this.events = events;
    this.budget = budget;
    this.maxPerClient = maxPerClient;
    this.signal = signal;
    this.clock = clock;
    this.maxSubscribers = maxSubscribers;
    this.progressIntervalNanos = progressInterval.toNanos();
  }

  /** Starts the dispatcher thread. Once, before {@link #close}. */
  public synchronized void start() {
    if (dispatcher != null || closing) {
      throw new IllegalStateException(closing ? "the hub is closed" : "the hub is already started");
    }
    dispatcher = new Thread(this::dispatch, "events-dispatch");
    // A hub whose owner never stops it must not keep the process alive.
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  /**
   * Starts delivering events from {@code start} to {@code sink} for {@code client} (a token's
   * principal, or a connection). The start is resolved and checked
   * against one read of the log's oldest and head sequences, so the oldest retained event is a
   * valid start however the log moves meanwhile. A stream started "from now" opens with a Progress
   * bookmark of its start, so its subscriber has a position to resume from before any event
   * arrives.
   */
  public Started subscribe(EventFilter filter, boolean includeEntities, SubscriptionStart start, EventSink sink,
      String client) {
    if (closing) {
      return new Started(null, StartRefusal.SHUTTING_DOWN, 0, 0, 0);
    }
    long oldest = events.oldestRetained();
    // Read after the oldest: the head only grows, so oldest <= head + 1 holds between the two.
    long head = events.lastSequence();
    long startSequence = switch (start.kind()) {
      case SEQUENCE -> start.sequence();
      case OLDEST -> oldest;
      case NOW -> head + 1;
    };
    if (startSequence < oldest || startSequence > head + 1) {
      return new Started(null, StartRefusal.OUT_OF_RANGE, startSequence, oldest, head);
    }
    if (!admit()) {
      return new Started(null, StartRefusal.TOO_MANY_SUBSCRIBERS, startSequence, oldest, head);
    }
    if (!admitClient(client)) {
      admitted.decrementAndGet();
      return new Started(null, StartRefusal.CLIENT_SHARE, startSequence, oldest, head);
    }
    long weight = weight(filter);
    if (!budget.admits(weight)) {
      admitted.decrementAndGet();
      releaseClient(client);
      return new Started(null, StartRefusal.MEMORY_BUDGET, startSequence, oldest, head);
    }
    budget.add(MemoryBudget.Account.SUBSCRIPTIONS, weight);
    Subscription subscription = new Subscription(events, sink, new EventMatcher(filter), includeEntities,
        startSequence, start.kind() == SubscriptionStart.Kind.NOW, clock, progressIntervalNanos, System.nanoTime());
    signal.subscribed();
    subscriptions.put(subscription, new Held(client, weight));
    // Checked again after the put: the dispatcher's last sweep may have missed it. Whoever closes
    // it first ends it: this refusal, or the sweep's shutdown status.
    if (closing && subscription.close()) {
      release(subscription);
      return new Started(null, StartRefusal.SHUTTING_DOWN, startSequence, oldest, head);
    }
    signal.wake();
    return new Started(subscription, null, startSequence, oldest, head);
  }

  /** Stops delivering to a subscription whose stream was cancelled or ended. */
  public void unsubscribe(Subscription subscription) {
    subscription.close();
    release(subscription);
  }

  /** The next sequence a "from now" subscription starts at. */
  public long nextSequence() {
    return events.lastSequence() + 1;
  }

  public int subscriberCount() {
    return subscriptions.size();
  }

  /** The sum of all subscribers' lag behind the head, in events. */
  public long totalLag() {
    long lag = 0;
    for (Subscription subscription : subscriptions.keySet()) {
      lag += subscription.lag();
    }
    return lag;
  }

  /** Wakes the dispatcher because a stream became ready. Never blocks. */
  public void streamReady() {
    signal.wake();
  }

  /**
   * Refuses new subscriptions, stops the dispatcher and has it end every stream with a shutdown
   * status; waits up to {@value #STOP_WAIT_MILLIS} ms for that. A dispatcher that takes longer (a
   * stream blocked it) still ends the streams when it gets out. A hub never started ends them
   * here. Idempotent.
   */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      closing = true;
      running = dispatcher;
    }
    if (running == null) {
      endAll(); // nothing dispatches: nothing to race
      return;
    }
    signal.wake();
    try {
      running.join(STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (running.isAlive()) {
      log.warn("the event dispatcher did not stop within {} ms; it ends its streams when it does", STOP_WAIT_MILLIS);
    }
  }

  /** Takes a place if one is free. */
  private boolean admit() {
    int taken;
    do {
      taken = admitted.get();
      if (taken >= maxSubscribers) {
        return false;
      }
    } while (!admitted.compareAndSet(taken, taken + 1));
    return true;
  }

  /** Removes a subscription and gives back its place and memory, once however many paths end it. */
  private void release(Subscription subscription) {
    Held held = subscriptions.remove(subscription);
    if (held != null) {
      signal.unsubscribed();
      releaseClient(held.client()); // before the server-wide place, so a client's count never exceeds it
      admitted.decrementAndGet();
      budget.release(MemoryBudget.Account.SUBSCRIPTIONS, held.weight());
    }
  }

  /** Takes one of {@code client}'s places if it has one left. */
  private boolean admitClient(String client) {
    boolean[] admitted = new boolean[1];
    perClient.compute(client, (c, held) -> {
      int count = held == null ? 0 : held;
      if (count >= maxPerClient) {
        return held;
      }
      admitted[0] = true;
      return count + 1;
    });
    return admitted[0];
  }

  private void releaseClient(String client) {
    perClient.computeIfPresent(client, (c, held) -> held <= 1 ? null : held - 1);
  }

  /**
   * What a subscription counts in the memory budget: its stream's state and cursor, and its filter
   * as the matcher holds it (a set entry per id or type).
   */
  static long weight(EventFilter filter) {
    int entries = filter.getKindsCount() + filter.getLineageIdsCount() + filter.getEntityTypesCount()
        + filter.getOpIdsCount() + filter.getRootLineageIdsCount();
    return 2048 + 128L * entries + filter.getSerializedSize();
  }

  /**
   * Ends a subscription whose pump threw: one broken stream must not stop delivery to the others,
   * and its subscriber must not be left waiting for events that will never come.
   */
  private void fail(Subscription subscription, RuntimeException failure) {
    try {
      subscription.endFailed();
    } catch (RuntimeException ending) {
      failure.addSuppressed(ending); // the stream is likely closed already: one log line says all
    }
    release(subscription);
    log.error("ended a subscription whose stream failed", failure);
  }

  /** Ends every stream for the shutdown. Only when nothing dispatches any more. */
  private void endAll() {
    for (Subscription subscription : subscriptions.keySet()) {
      try {
        subscription.endShutdown();
      } catch (RuntimeException e) {
        log.warn("a stream failed to end for the shutdown", e); // the others still must
      }
      release(subscription);
    }
  }

  private void dispatch() {
    try {
      dispatchUntilClosed();
    } finally {
      endAll();
    }
  }

  private void dispatchUntilClosed() {
    while (!closing) {
      signal.clear();
      long now = System.nanoTime();
      boolean busy = false;
      // The lowest sequence a caught-up subscription waits for; none waits while MAX_VALUE.
      long awaited = Long.MAX_VALUE;
      long nextBookmarkNanos = now + progressIntervalNanos;
      for (Subscription subscription : subscriptions.keySet()) {
        Subscription.Turn turn;
        try {
          turn = subscription.pump(now);
        } catch (RuntimeException e) {
          fail(subscription, e);
          continue;
        }
        switch (turn) {
          case BUSY -> busy = true;
          case WAITING -> {
            awaited = Math.min(awaited, subscription.cursor());
            nextBookmarkNanos = Math.min(nextBookmarkNanos, subscription.bookmarkDueNanos());
          }
          case STALLED -> { } // its transport calls streamReady when it can take more
          case CLOSED -> release(subscription);
        }
      }
      // Writers wake us only if someone waits for their events: a stalled subscriber must not
      // cost each write a wake-up.
      boolean listening = awaited != Long.MAX_VALUE;
      signal.listen(listening);
      if (busy || (listening && events.stored(awaited))) {
        continue; // more to send, or an event stored before we listened: its fire was not heard
      }
      // Sleep until signalled, or until a quiet stream is due a bookmark.
      signal.await(nextBookmarkNanos - System.nanoTime());
    }
  }
}
