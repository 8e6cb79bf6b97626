package dev.abstractions.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.server.memory.MemoryBudget;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The subscriber limit holds under concurrent subscribes: transport threads call
 * {@link SubscriptionHub#subscribe} at the same time (one per connection), so admission must be
 * one atomic step, not a size check followed by an insert. Hammers the hub directly, because over
 * the network the window is too narrow to hit often.
 */
class EventSubscriberLimitRaceTest {

  private static final int MAX = 2;
  private static final int THREADS = 8;
  private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);

  @Test
  void concurrentSubscribersNeverExceedTheLimit() throws Exception {
    EventSignal signal = new EventSignal();
    EventLog log = new EventLog(new EventLogSettings(16, Duration.ofHours(1)), Clock.systemUTC(), signal, MemoryBudget.unlimited());
    try (SubscriptionHub hub = new SubscriptionHub(log, signal, Clock.systemUTC(), MAX, MAX,
        Duration.ofSeconds(1), MemoryBudget.unlimited())) {
      hub.start();
      AtomicInteger live = new AtomicInteger();
      AtomicInteger mostLive = new AtomicInteger();
      AtomicInteger mostHeld = new AtomicInteger();
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          done.add(pool.submit(() -> {
            start.await();
            long end = System.nanoTime() + RUN_NANOS;
            while (System.nanoTime() < end) {
              SubscriptionHub.Started started = hub.subscribe(EventFilter.getDefaultInstance(), false,
                  SubscriptionStart.at(hub.nextSequence()), new StalledSink(), "test-client");
              if (started.subscription() == null) {
                assertThat(started.refusal()).isEqualTo(SubscriptionHub.StartRefusal.TOO_MANY_SUBSCRIBERS);
                refused.incrementAndGet();
                continue;
              }
              admitted.incrementAndGet();
              // Counted after admission and uncounted before release: never more than the hub holds.
              mostLive.accumulateAndGet(live.incrementAndGet(), Math::max);
              mostHeld.accumulateAndGet(hub.subscriberCount(), Math::max);
              live.decrementAndGet();
              hub.unsubscribe(started.subscription());
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> thread : done) {
          thread.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(admitted.get()).isPositive();
      assertThat(refused.get()).isPositive();
      assertThat(mostLive.get()).isLessThanOrEqualTo(MAX);
      assertThat(mostHeld.get()).isLessThanOrEqualTo(MAX);
      assertThat(hub.subscriberCount()).isZero();
      // Every place was given back: the limit admits exactly MAX again.
      List<SubscriptionHub.Started> last = new ArrayList<>();
      for (int i = 0; i <= MAX; i++) {
        last.add(hub.subscribe(EventFilter.getDefaultInstance(), false, SubscriptionStart.at(hub.nextSequence()),
            new StalledSink(), "test-client"));
      }
      assertThat(last).extracting(SubscriptionHub.Started::refusal)
          .containsExactly(null, null, SubscriptionHub.StartRefusal.TOO_MANY_SUBSCRIBERS);
    }
  }

  /** A stream that never becomes ready, so the dispatcher never sends to it. */
  private static final class StalledSink implements EventSink {
    @Override
    public boolean isReady() {
      return false;
    }

    @Override
    public void deliver(EncodedEvent event) {
      throw new AssertionError("a stalled stream gets nothing");
    }

    @Override
    public void endFellBehind(long resumeSequence, long oldestSequence) {
      throw new AssertionError("nothing was written");
    }

    @Override
    public void endShutdown() {}

    @Override
    public void endFailed() {
      throw new AssertionError("nothing was sent");
    }
  }
}
