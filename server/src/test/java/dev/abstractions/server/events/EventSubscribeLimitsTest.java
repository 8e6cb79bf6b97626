package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.count;
import static dev.abstractions.server.events.EventStreams.createCounter;
import static dev.abstractions.server.events.EventStreams.errorInfo;
import static dev.abstractions.server.events.EventStreams.fromSequence;
import static dev.abstractions.server.events.EventStreams.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Subscribe refuses bad requests with every field violation, refuses subscribers beyond the limit
 * without disturbing the others, and ends open streams with UNAVAILABLE when the server stops.
 */
class EventSubscribeLimitsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

  @Test
  void badSubscribeRequestsAreInvalidArgumentNamingEachBadField() throws Exception {
    try (TestServer server = TestServer.start()) {
      createCounter(server.channel(), "Counter");
      assertInvalid(server, fromSequence(1, EventFilter.newBuilder().addKindsValue(99).build()), "filter.kinds[0]");
      assertInvalid(server, fromSequence(1, EventFilter.newBuilder()
          .addKinds(EventKind.EVENT_ENTITY_CREATED).addKinds(EventKind.EVENT_KIND_UNSPECIFIED).build()), "filter.kinds[1]");
      assertInvalid(server, fromSequence(1, EventFilter.newBuilder().addLineageIds("not-a-uuid").build()),
          "filter.lineage_ids[0]");
      assertInvalid(server, fromSequence(1, EventFilter.newBuilder().addLineageIds(UUID).addLineageIds("").build()),
          "filter.lineage_ids[1]");
      assertInvalid(server, fromSequence(1, EventFilter.newBuilder().addOpIds("1-1-1-1-1").build()), "filter.op_ids[0]");
      assertInvalid(server, fromSequence(1, EventFilter.newBuilder().setMinPriority(11).build()), "filter.min_priority");
      assertInvalid(server, fromSequence(1, EventFilter.newBuilder().setMinPriority(-1).build()), "filter.min_priority");
      assertInvalid(server, fromSequence(-1), "from_sequence");
      assertInvalid(server, fromSequence(0), "from_sequence");
      assertInvalid(server, SubscribeRequest.newBuilder().setResumeToken("garbage!").build(), "resume_token");
      assertInvalid(server, SubscribeRequest.newBuilder().setResumeToken("").build(), "resume_token");
      assertInvalid(server, SubscribeRequest.newBuilder().setResumeToken(ResumeTokens.after(1).substring(1)).build(),
          "resume_token");
      assertInvalid(server,
          SubscribeRequest.newBuilder()
              .setFilter(EventFilter.newBuilder()
                  .addKindsValue(99)
                  .addLineageIds("x")
                  .addOpIds(UUID)
                  .addOpIds("y")
                  .setMinPriority(11))
              .setResumeToken("garbage!")
              .build(),
          "filter.kinds[0]", "filter.lineage_ids[0]", "filter.op_ids[1]", "filter.min_priority", "resume_token");
      assertThat(server.injector().getInstance(SubscriptionHub.class).subscriberCount()).isZero();

      // The same server still serves a good request from the start.
      EventStreams.Recorder good = EventStreams.subscribe(server.channel(), fromSequence(1)).awaitCount(1, WAIT);
      assertThat(good.events()).extracting(Event::getSequence).containsExactly(1L);
      good.cancel();
    }
  }

  @Test
  void aSubscriberBeyondTheLimitIsResourceExhaustedAndTheOthersKeepStreaming() throws Exception {
    try (TestServer server = TestServer.start("--max-subscribers", "2")) {
      Entity entity = createCounter(server.channel(), "Counter");
      EventStreams.Recorder first = EventStreams.subscribe(server.channel(), fromSequence(1));
      EventStreams.Recorder second = EventStreams.subscribe(server.channel(), fromSequence(1));
      EventStreams.awaitSubscribers(server, 2);

      StatusRuntimeException refused = EventStreams.subscribe(server.channel(), fromSequence(1)).awaitError(WAIT);
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      ErrorInfo info = errorInfo(refused);
      assertThat(info.getReason()).isEqualTo("SUBSCRIBER_LIMIT");
      assertThat(info.getMetadataMap()).isEqualTo(Map.of("max_subscribers", "2"));

      EntityServiceGrpc.EntityServiceBlockingStub stub = EntityServiceGrpc.newBlockingStub(server.channel());
      for (int version = 1; version <= 100; version++) {
        stub.update(UpdateEntityRequest.newBuilder()
            .setLineageId(entity.getLineageId()).setExpectedVersion(version).setData(count(version)).build());
      }
      first.awaitCount(101, WAIT);
      second.awaitCount(101, WAIT);
      assertThat(second.events()).isEqualTo(first.events());
      assertThat(first.events()).extracting(Event::getSequence).isSorted().doesNotHaveDuplicates().endsWith(101L);

      // A subscriber that leaves frees its place.
      first.cancel();
      EventStreams.awaitSubscribers(server, 1);
      EventStreams.Recorder third = EventStreams.subscribe(server.channel(), fromSequence(101)).awaitCount(1, WAIT);
      assertThat(third.events()).extracting(Event::getSequence).containsExactly(101L);
      second.cancel();
      third.cancel();
    }
  }

  @Test
  void subscribersArrivingTogetherOnManyConnectionsAreAdmittedExactlyUpToTheLimit() throws Exception {
    int connections = 16;
    try (TestServer server = TestServer.start("--max-subscribers", "4")) {
      List<ManagedChannel> channels = new ArrayList<>();
      try {
        for (int c = 0; c < connections; c++) {
          ManagedChannel channel = server.newChannel();
          channel.getState(true);
          channels.add(channel);
        }
        Awaitility.await().atMost(WAIT)
            .until(() -> channels.stream().allMatch(channel -> channel.getState(false) == ConnectivityState.READY));
        List<EventStreams.Recorder> recorders = new ArrayList<>();
        for (ManagedChannel channel : channels) {
          recorders.add(EventStreams.subscribe(channel, SubscribeRequest.newBuilder().setFromNow(true).build()));
        }
        Awaitility.await().atMost(WAIT).until(() -> recorders.stream().filter(EventStreams.Recorder::ended).count() >= 12);
        List<EventStreams.Recorder> refused = recorders.stream().filter(EventStreams.Recorder::ended).toList();
        assertThat(refused).hasSize(12);
        for (EventStreams.Recorder recorder : refused) {
          assertThat(recorder.awaitError(WAIT).getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        }
        assertThat(server.injector().getInstance(SubscriptionHub.class).subscriberCount()).isEqualTo(4);

        Entity created = createCounter(server.channel(), "Counter");
        for (EventStreams.Recorder recorder : recorders) {
          if (!refused.contains(recorder)) {
            recorder.awaitCount(1, WAIT);
            assertThat(recorder.events().get(0).getEntityCreated().getEntity()).isEqualTo(created);
            recorder.cancel();
          }
        }
      } finally {
        channels.forEach(ManagedChannel::shutdownNow);
      }
    }
  }

  @Test
  void shuttingDownEndsAnOpenStreamWithUnavailableShuttingDown() throws Exception {
    TestServer server = TestServer.start();
    // Its own connection: closing the server first closes the server's own channel.
    ManagedChannel channel = server.newChannel();
    boolean closed = false;
    try {
      createCounter(server.channel(), "Counter");
      EventStreams.Recorder open = EventStreams.subscribe(channel, fromSequence(1)).awaitCount(1, WAIT);
      server.close();
      closed = true;
      StatusRuntimeException ended = open.awaitError(WAIT);
      assertThat(ended.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      ErrorInfo info = errorInfo(ended);
      assertThat(info.getReason()).isEqualTo("SHUTTING_DOWN");
      assertThat(info.getDomain()).isEqualTo("abstractions.dev");
      assertThat(open.events()).extracting(Event::getSequence).containsExactly(1L);
    } finally {
      channel.shutdownNow();
      if (!closed) {
        server.close();
      }
    }
  }

  private static void assertInvalid(TestServer server, SubscribeRequest request, String... fields) throws Exception {
    StatusRuntimeException error = EventStreams.subscribe(server.channel(), request).awaitError(WAIT);
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(errorInfo(error).getReason()).isEqualTo("INVALID_REQUEST");
    assertThat(violatedFields(error)).containsExactlyElementsOf(List.of(fields));
  }
}
