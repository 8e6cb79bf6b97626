package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.count;
import static dev.abstractions.server.events.EventStreams.createCounter;
import static dev.abstractions.server.events.EventStreams.fromSequence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Writers pay for waking the event dispatcher only while someone subscribes: with no
 * subscription, appends leave it asleep (counted by the signal's wake-ups, not by timing).
 */
class EventDispatcherWakeUpTest {

  @Test
  void writesWakeTheDispatcherOnlyWhileThereIsASubscriber() throws Exception {
    try (TestServer server = TestServer.start()) {
      EventSignal signal = server.injector().getInstance(EventSignal.class);
      SubscriptionHub hub = server.injector().getInstance(SubscriptionHub.class);
      String id = createCounter(server.channel(), "Counter").getLineageId();
      long version = update(server, id, 1, 200);
      assertThat(signal.wakeUps()).isZero();

      ManagedChannel channel = server.newChannel();
      try {
        EventStreams.Recorder subscriber = EventStreams.subscribe(channel, fromSequence(hub.nextSequence()));
        EventStreams.awaitSubscribers(server, 1);
        long next = hub.nextSequence();
        version = update(server, id, version, 1);
        subscriber.awaitPosition(next, Duration.ofSeconds(10));
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
