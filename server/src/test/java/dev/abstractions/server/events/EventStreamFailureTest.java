package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.count;
import static dev.abstractions.server.events.EventStreams.createCounter;
import static dev.abstractions.server.events.EventStreams.fromSequence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.EntityCreated;
import dev.abstractions.api.v1.EntityDeleted;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A stream the server fails to deliver to is ended with INTERNAL, so its subscriber learns it must
 * resubscribe instead of waiting for ever, and gives back its place; other streams go on. Over a
 * real server, the failure is an event whose message cannot be built (its body sets another kind
 * than the one it was drafted as): building happens in the dispatcher, for the streams that want
 * it. On the hub alone, it is a sink whose every delivery throws.
 */
class EventStreamFailureTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final EventFilter ALL = EventFilter.getDefaultInstance();

  @Test
  void aStreamWhoseEventCannotBeSentIsEndedWithInternalAndTheOthersKeepReceiving() throws Exception {
    try (TestServer server = TestServer.start("--max-subscribers", "2")) {
      String id = createCounter(server.channel(), "Counter").getLineageId(); // event 1
      EventStreams.Recorder everything = EventStreams.subscribe(server.channel(), fromSequence(1));
      // Wants versions only, so the broken EntityCreated is never built for it.
      EventStreams.Recorder versions = EventStreams.subscribe(server.channel(),
          fromSequence(1, EventFilter.newBuilder().addKinds(EventKind.EVENT_ENTITY_VERSIONED).build()));
      everything.awaitCount(1, WAIT);
      EventStreams.awaitSubscribers(server, 2);

      server.injector().getInstance(EventLog.class).append(new EventDraft.Envelope(5, id, "Counter", "", "")
          .draft(Event.KindCase.ENTITY_CREATED, event -> event.setEntityDeleted(EntityDeleted.getDefaultInstance())));

      StatusRuntimeException error = everything.awaitError(WAIT);
      assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
      assertThat(error.getStatus().getDescription())
          .isEqualTo("the server failed to send this stream an event; resubscribe from the last resume_token");
      assertThat(everything.events()).extracting(Event::getSequence).containsExactly(1L);
      EventStreams.awaitSubscribers(server, 1);

      EntityServiceGrpc.newBlockingStub(server.channel()).update(UpdateEntityRequest.newBuilder()
          .setLineageId(id).setExpectedVersion(1).setData(count(1)).build()); // event 3
      versions.awaitCount(1, WAIT);
      assertThat(versions.events()).extracting(Event::getSequence).containsExactly(3L);
      // The failed stream's place was given back: a new subscriber fits under the limit of two.
      EventStreams.Recorder another = EventStreams.subscribe(server.channel(), fromSequence(3));
      another.awaitCount(1, WAIT);
      versions.cancel();
      another.cancel();
    }
  }

  @Test
  void aSinkWhoseDeliverThrowsIsEndedOnceAsFailedAndGivesBackItsPlaceWhileTheOthersKeepReceiving() throws Exception {
    EventSignal signal = new EventSignal();
    EventLog log = new EventLog(new EventLogSettings(64, Duration.ofHours(1)), Clock.systemUTC(), signal);
    RecordingSink broken = RecordingSink.failing();
    RecordingSink healthy = new RecordingSink();
    RecordingSink later = new RecordingSink();
    try (SubscriptionHub hub = new SubscriptionHub(log, signal, Clock.systemUTC(), 2, Duration.ofHours(1))) {
      hub.start();
      assertThat(hub.subscribe(ALL, false, SubscriptionStart.at(1), broken).refusal()).isNull();
      assertThat(hub.subscribe(ALL, false, SubscriptionStart.at(1), healthy).refusal()).isNull();
      append(log, 3);
      Awaitility.await().atMost(WAIT).until(() -> healthy.sequences().size() == 3 && hub.subscriberCount() == 1);
      assertThat(broken.ends()).containsExactly("failed");
      assertThat(broken.deliveries()).isEqualTo(1);

      assertThat(hub.subscribe(ALL, false, SubscriptionStart.at(4), later).refusal()).isNull();
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
    for (int i = 0; i < n; i++) {
      log.append(new EventDraft.Envelope(5, "", "", "", "").draft(Event.KindCase.ENTITY_CREATED,
          event -> event.setEntityCreated(EntityCreated.getDefaultInstance())));
    }
  }
}
