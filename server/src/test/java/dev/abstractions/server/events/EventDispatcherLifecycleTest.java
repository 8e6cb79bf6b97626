package dev.abstractions.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.server.ServerModules;
import dev.abstractions.server.TestServer;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.memory.MemoryBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The event dispatcher thread ({@code events-dispatch}) lives from the server's start to its stop
 * and no longer: building a server starts none, stopping it leaves none. Streams are ended for the
 * shutdown by the dispatcher itself once it has stopped dispatching, never by the closing thread
 * while the dispatcher may still be sending to them.
 */
class EventDispatcherLifecycleTest {

  private static final String DISPATCHER = "events-dispatch";

  @Test
  void eachServerRunsOneDispatcherFromStartToStopAndLeavesNone() throws Exception {
    Set<Thread> before = dispatchers();
    for (int i = 0; i < 3; i++) {
      TestServer server = TestServer.start();
      try {
        assertThat(newDispatchers(before)).hasSize(1);
      } finally {
        server.close();
      }
      assertThat(newDispatchers(before)).isEmpty();
    }
  }

  @Test
  void buildingAServerWithoutStartingItStartsNoDispatcher() {
    Set<Thread> before = dispatchers();
    ServerModules.server(ServerConfig.parse("--host", "127.0.0.1", "--port", "0", "--metrics-port", "0"));
    assertThat(newDispatchers(before)).isEmpty();
  }

  @Test
  void closingEndsStreamsOnTheDispatcherAfterItsLastDeliveryNotOnTheClosingThread() throws Exception {
    EventSignal signal = new EventSignal();
    EventLog log = new EventLog(new EventLogSettings(16, Duration.ofHours(1)), Clock.systemUTC(), signal, MemoryBudget.unlimited());
    CountDownLatch delivering = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BlockingSink sink = new BlockingSink(delivering, release);
    SubscriptionHub hub = new SubscriptionHub(log, signal, Clock.systemUTC(), 1, 1,
        Duration.ofHours(1), MemoryBudget.unlimited());
    CompletableFuture<Void> closed = new CompletableFuture<>();
    try {
      hub.start();
      assertThat(hub.subscribe(EventFilter.getDefaultInstance(), false, SubscriptionStart.at(1),
          sink, "test-client").refusal())
          .isNull();
      TestEvents.append(log, 1, Instant.now());
      assertThat(delivering.await(10, TimeUnit.SECONDS)).isTrue();

      Thread closer = new Thread(() -> {
        hub.close();
        closed.complete(null);
      }, "closer");
      closer.start();
      Thread.sleep(300); // the closer is waiting for the dispatcher, which is still sending
      assertThat(sink.ends()).isEmpty();
      release.countDown();
      closed.get(10, TimeUnit.SECONDS);
      closer.join(10_000);
    } finally {
      release.countDown();
      hub.close();
    }
    assertThat(sink.ends()).containsExactly("shutdown by " + DISPATCHER + " after 1 deliveries");
    assertThat(sink.dispatcher.isAlive()).isFalse();
  }

  @Test
  void aSubscriptionAfterCloseIsRefusedAsShuttingDownAndOneBeforeStartIsEndedByClose() {
    EventSignal signal = new EventSignal();
    EventLog log = new EventLog(new EventLogSettings(16, Duration.ofHours(1)), Clock.systemUTC(), signal, MemoryBudget.unlimited());
    SubscriptionHub hub = new SubscriptionHub(log, signal, Clock.systemUTC(), 2, 2,
        Duration.ofHours(1), MemoryBudget.unlimited());
    RecordingSink early = new RecordingSink();
    assertThat(hub.subscribe(EventFilter.getDefaultInstance(), false, SubscriptionStart.now(),
        early, "test-client").refusal())
        .isNull();
    hub.close();
    assertThat(early.ends()).containsExactly("shutdown");
    assertThat(hub.subscriberCount()).isZero();

    SubscriptionHub.Started late =
        hub.subscribe(EventFilter.getDefaultInstance(), false, SubscriptionStart.now(), new RecordingSink(), "test-client");
    assertThat(late.refusal()).isEqualTo(SubscriptionHub.StartRefusal.SHUTTING_DOWN);
    assertThat(hub.subscriberCount()).isZero();
  }

  /** A ready stream whose first delivery blocks until released; records how it is ended, and by whom. */
  private static final class BlockingSink implements EventSink {
    private final CountDownLatch delivering;
    private final CountDownLatch release;
    private final List<String> ends = new CopyOnWriteArrayList<>();
    private volatile int deliveries;
    private volatile boolean inDelivery;
    private volatile Thread dispatcher;

    BlockingSink(CountDownLatch delivering, CountDownLatch release) {
      this.delivering = delivering;
      this.release = release;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void deliver(EncodedEvent event) {
      inDelivery = true;
      dispatcher = Thread.currentThread();
      delivering.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      deliveries++;
      inDelivery = false;
    }

    @Override
    public void endFellBehind(long resumeSequence, long oldestSequence) {
      ends.add("fell behind");
    }

    @Override
    public void endShutdown() {
      ends.add((inDelivery ? "shutdown during a delivery, by " : "shutdown by ") + Thread.currentThread().getName()
          + " after " + deliveries + " deliveries");
    }

    @Override
    public void endFailed() {
      ends.add("failed");
    }

    List<String> ends() {
      return List.copyOf(ends);
    }
  }

  private static Set<Thread> dispatchers() {
    Set<Thread> found = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(DISPATCHER) && thread.isAlive()) {
        found.add(thread);
      }
    }
    return found;
  }

  /** Dispatcher threads alive now that were not before (other test classes' are not ours to judge). */
  private static Set<Thread> newDispatchers(Set<Thread> before) {
    Set<Thread> now = dispatchers();
    now.removeAll(before);
    return now;
  }
}
