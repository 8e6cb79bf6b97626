package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.fromSequence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.EventRecord;
import dev.abstractions.server.grpc.Callers;
import dev.abstractions.server.grpc.EventGrpcService;
import dev.abstractions.server.memory.MemoryBudget;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A stream the server fails to deliver to is ended with INTERNAL, so its subscriber learns it must
 * resubscribe instead of waiting for ever, and gives back its place; other streams go on. Over a
 * real channel (the service on a log the test writes), the failure is an event whose message
 * cannot be built: building happens in the dispatcher, for the streams that want it. On the hub
 * alone, it is a sink whose every delivery throws.
 */
class EventStreamFailureTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final EventFilter ALL = EventFilter.getDefaultInstance();

  @Test
  void aStreamWhoseEventCannotBeSentIsEndedWithInternalAndTheOthersKeepReceiving() throws Exception {
    EventSignal signal = new EventSignal();
    EventLog log = new EventLog(new EventLogSettings(64, Duration.ofHours(1)), Clock.systemUTC(), signal, MemoryBudget.unlimited());
    try (SubscriptionHub hub = new SubscriptionHub(log, signal, Clock.systemUTC(), 2, 2,
        Duration.ofHours(1), MemoryBudget.unlimited())) {
      hub.start();
      Server server = Callers.install(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .directExecutor()
              .addService(new EventGrpcService(hub, ServerConfig.parse("--max-subscribers", "2"), MemoryBudget.unlimited())))
          .build()
          .start();
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
      try {
        TestEvents.append(log, 1, Instant.now()); // event 1
        EventStreams.Recorder everything = EventStreams.subscribe(channel, fromSequence(1));
        // Wants versions only, so the broken event is never built for it.
        EventStreams.Recorder versions = EventStreams.subscribe(channel,
            fromSequence(1, EventFilter.newBuilder().addKinds(EventKind.EVENT_ENTITY_DELETED).build()));
        everything.awaitCount(1, WAIT);
        versions.awaitCount(1, WAIT);
        Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount() == 2);

        // Event 2 cannot be built: its envelope names no target (a bug, as no real writer makes).
        TestEvents.append(log, new EventRecord(new EventRecord.Envelope(5, null, "Counter", "", "", null),
            new EventRecord.OperationCancelled()), Instant.now());

        StatusRuntimeException error = everything.awaitError(WAIT);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(error.getStatus().getDescription())
            .isEqualTo("the server failed to send this stream an event; resubscribe from the last resume_token");
        assertThat(everything.events()).extracting(Event::getSequence).containsExactly(1L);
        Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount() == 1);

        TestEvents.append(log, 1, Instant.now()); // event 3
        versions.awaitCount(2, WAIT);
        assertThat(versions.events()).extracting(Event::getSequence).containsExactly(1L, 3L);
        // The failed stream's place was given back: a new subscriber fits under the limit of two.
        EventStreams.Recorder another = EventStreams.subscribe(channel, fromSequence(3));
        another.awaitCount(1, WAIT);
        versions.cancel();
        another.cancel();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aSinkWhoseDeliverThrowsIsEndedOnceAsFailedAndGivesBackItsPlaceWhileTheOthersKeepReceiving() throws Exception {
    EventSignal signal = new EventSignal();
    EventLog log = new EventLog(new EventLogSettings(64, Duration.ofHours(1)), Clock.systemUTC(), signal, MemoryBudget.unlimited());
    RecordingSink broken = RecordingSink.failing();
    RecordingSink healthy = new RecordingSink();
    RecordingSink later = new RecordingSink();
    try (SubscriptionHub hub = new SubscriptionHub(log, signal, Clock.systemUTC(), 2, 2,
        Duration.ofHours(1), MemoryBudget.unlimited())) {
      hub.start();
      assertThat(hub.subscribe(ALL, false, SubscriptionStart.at(1), broken, "test-client").refusal()).isNull();
      assertThat(hub.subscribe(ALL, false, SubscriptionStart.at(1), healthy, "test-client").refusal()).isNull();
      append(log, 3);
      Awaitility.await().atMost(WAIT).until(() -> healthy.sequences().size() == 3 && hub.subscriberCount() == 1);
      assertThat(broken.ends()).containsExactly("failed");
      assertThat(broken.deliveries()).isEqualTo(1);

      assertThat(hub.subscribe(ALL, false, SubscriptionStart.at(4), later, "test-client").refusal()).isNull();
      append(log, 2);
      Awaitility.await().atMost(WAIT).until(() -> healthy.sequences().size() == 5 && later.sequences().size() == 2);
      assertThat(healthy.sequences()).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(later.sequences()).containsExactly(4L, 5L);
    }
    assertThat(broken.deliveries()).isEqualTo(1);
    assertThat(broken.ends()).containsExactly("failed");
    assertThat(healthy.ends()).containsExactly("shutdown");
    assertThat(later.ends()).containsExactly("shutdown");
  }

  private static void append(EventLog log, int n) {
    TestEvents.append(log, n, Instant.now());
  }
}
