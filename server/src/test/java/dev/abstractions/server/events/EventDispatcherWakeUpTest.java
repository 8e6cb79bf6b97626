package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.count;
import static dev.abstractions.server.events.EventStreams.createCounter;
import static dev.abstractions.server.events.EventStreams.fromSequence;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Writers pay for waking the event dispatcher only while some subscriber waits for their events:
 * with no subscription, or only subscribers whose streams are full (they read nothing), appends
 * leave it asleep (counted by the signal's wake-ups, not by timing). A stalled subscriber must not
 * slow writers down.
 */
class EventDispatcherWakeUpTest {

  /** The stalled subscriber's HTTP/2 window: small, so a few large events fill it. */
  private static final int WINDOW = 16 * 1024;
  private static final int LARGE_BYTES = 8 * 1024;
  /** Large events enough to fill the window plus the server's ready threshold (32 KiB) twice over. */
  private static final int FILL_WRITES = 16;

  @Test
  void writesWakeTheDispatcherOnlyWhileThereIsASubscriber() throws Exception {
    try (TestServer server = TestServer.start("--progress-interval", "PT1M")) {
      EventSignal signal = server.injector().getInstance(EventSignal.class);
      SubscriptionHub hub = server.injector().getInstance(SubscriptionHub.class);
      String id = createCounter(server.channel(), "Counter").getLineageId();
      long version = update(server, id, 1, 200);
      assertThat(signal.wakeUps()).isZero();

      ManagedChannel channel = server.newChannel();
      try {
        EventStreams.Recorder subscriber = EventStreams.subscribe(channel, fromSequence(hub.nextSequence()));
        EventStreams.awaitSubscribers(server, 1);
        // The first writes may find the dispatcher still awake from the subscription's start (it
        // sees them without being woken); once it sleeps listening, a write must wake it.
        for (int i = 0; i < 20; i++) {
          long next = hub.nextSequence();
          version = update(server, id, version, 1);
          subscriber.awaitPosition(next, Duration.ofSeconds(10));
        }
        assertThat(signal.wakeUps()).isPositive();
        subscriber.cancel();
        EventStreams.awaitSubscribers(server, 0);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }

      long afterLastSubscriber = signal.wakeUps();
      update(server, id, version, 200);
      assertThat(signal.wakeUps()).isEqualTo(afterLastSubscriber);
    }
  }

  @Test
  void writesLeaveTheDispatcherAsleepWhileTheOnlySubscriberReadsNothingAndWakeItForOneThatReads() throws Exception {
    // A long progress interval: only a wake-up, not the dispatcher's timed sleep, can deliver promptly.
    try (TestServer server = TestServer.start("--progress-interval", "PT1M")) {
      EventSignal signal = server.injector().getInstance(EventSignal.class);
      SubscriptionHub hub = server.injector().getInstance(SubscriptionHub.class);
      String id = createCounter(server.channel(), "Counter").getLineageId();
      ManagedChannel stalledChannel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext().flowControlWindow(WINDOW).build();
      ManagedChannel readerChannel = server.newChannel();
      try {
        // Asks for one event and never for more: its flow-control window fills and stays full.
        EventStreams.Recorder stalled = EventStreams.subscribeManually(stalledChannel,
            fromSequence(hub.nextSequence()).toBuilder().setIncludeEntities(true).build(), 1);
        EventStreams.awaitSubscribers(server, 1);
        long version = updateLarge(server, id, 1, FILL_WRITES);
        long lag = steadyLag(hub);
        assertThat(lag).as("the stalled stream stopped taking events").isPositive();
        assertThat(stalled.count()).isEqualTo(1);

        long beforeWrites = signal.wakeUps();
        version = update(server, id, version, 200);
        assertThat(steadyLag(hub)).isEqualTo(lag + 200);
        assertThat(signal.wakeUps() - beforeWrites).as("wake-ups for 200 writes").isLessThanOrEqualTo(2);

        EventStreams.Recorder reader = EventStreams.subscribe(readerChannel, fromSequence(hub.nextSequence()));
        EventStreams.awaitSubscribers(server, 2);
        long beforeReader = signal.wakeUps();
        for (int i = 0; i < 20; i++) {
          long next = hub.nextSequence();
          version = update(server, id, version, 1);
          reader.awaitPosition(next, Duration.ofSeconds(5));
        }
        assertThat(signal.wakeUps() - beforeReader).isPositive();
        assertThat(stalled.count()).isEqualTo(1);
        reader.cancel();
        stalled.cancel();
      } finally {
        stalledChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        readerChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The subscribers' lag once it has not changed for 300 ms: the dispatcher sent all the streams
   * would take.
   */
  private static long steadyLag(SubscriptionHub hub) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long lag = hub.totalLag();
    while (true) {
      Thread.sleep(300);
      long now = hub.totalLag();
      if (now == lag) {
        return lag;
      }
      assertThat(System.nanoTime()).as("the lag settles").isLessThan(deadline);
      lag = now;
    }
  }

  /** Writes {@code n} versions of about {@value #LARGE_BYTES} bytes after {@code version}; returns the last. */
  private static long updateLarge(TestServer server, String id, long version, int n) {
    EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
    for (int i = 0; i < n; i++) {
      entities.update(UpdateEntityRequest.newBuilder()
          .setLineageId(id)
          .setExpectedVersion(version)
          .setData(Struct.newBuilder()
              .putFields("padding", Value.newBuilder().setStringValue("x".repeat(LARGE_BYTES) + version).build()))
          .build());
      version++;
    }
    return version;
  }

  /** Writes {@code n} versions after {@code version}; returns the last. */
  private static long update(TestServer server, String id, long version, int n) {
    EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
    for (int i = 0; i < n; i++) {
      entities.update(UpdateEntityRequest.newBuilder()
          .setLineageId(id)
          .setExpectedVersion(version)
          .setData(count(version))
          .build());
      version++;
    }
    return version;
  }
}
