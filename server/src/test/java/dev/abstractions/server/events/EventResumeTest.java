package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.count;
import static dev.abstractions.server.events.EventStreams.createCounter;
import static dev.abstractions.server.events.EventStreams.errorInfo;
import static dev.abstractions.server.events.EventStreams.fromSequence;
import static dev.abstractions.server.events.EventStreams.increment;
import static dev.abstractions.server.events.EventStreams.resumingAfter;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Where a subscription starts: resuming after a token loses and repeats nothing, a sequence start
 * is inclusive, and a start outside the retained log is refused with where the log begins and ends.
 */
class EventResumeTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aSubscriberThatResumesAfterItsLastTokenSeesEveryEventExactlyOnceWhileWritersContinue() throws Exception {
    try (TestServer server = TestServer.start()) {
      List<String> ids = new ArrayList<>();
      for (int e = 0; e < 4; e++) {
        ids.add(createCounter(server.channel(), "Counter").getLineageId());
      }
      increment(server.channel(), ids, 300); // 4 + 900 events
      ManagedChannel subscriberChannel = server.newChannel();
      ManagedChannel writerChannel = server.newChannel();
      try {
        EventStreams.Recorder before = EventStreams.subscribeUntil(subscriberChannel, fromSequence(1), 500);
        before.awaitCount(500, WAIT);
        CompletableFuture<Void> writers = CompletableFuture.runAsync(() -> {
          try {
            increment(writerChannel, ids, 600);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        EventStreams.Recorder after = EventStreams.subscribe(subscriberChannel, resumingAfter(before.lastResumeToken()));
        writers.get(30, TimeUnit.SECONDS);

        long total = 4 + 3 * (300 + 600);
        assertThat(server.injector().getInstance(EventLog.class).lastSequence()).isEqualTo(total);
        after.awaitCount(total - 500, WAIT);
        List<Event> union = new ArrayList<>(before.events());
        union.addAll(after.events());
        assertThat(union).extracting(Event::getSequence)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(before.lastResumeToken()).isEqualTo(before.events().get(499).getResumeToken());
        after.cancel();

        EventStreams.Recorder everything = EventStreams.subscribe(subscriberChannel, fromSequence(1));
        everything.awaitCount(total, WAIT);
        assertThat(union).isEqualTo(everything.events());
        everything.cancel();
      } finally {
        subscriberChannel.shutdownNow();
        writerChannel.shutdownNow();
      }
    }
  }

  @Test
  void aSequenceStartIsInclusiveAndAResumeTokenStartsRightAfterItsEvent() throws Exception {
    try (TestServer server = TestServer.start()) {
      List<String> ids = List.of(createCounter(server.channel(), "Counter").getLineageId());
      increment(server.channel(), ids, 333); // 1 + 999 events
      EventStreams.Recorder all = EventStreams.subscribe(server.channel(), fromSequence(1)).awaitCount(1_000, WAIT);
      List<Event> full = all.events();
      all.cancel();

      EventStreams.Recorder fromMiddle = EventStreams.subscribe(server.channel(), fromSequence(777)).awaitCount(224, WAIT);
      assertThat(fromMiddle.events()).isEqualTo(full.subList(776, 1_000));
      fromMiddle.cancel();

      EventStreams.Recorder afterToken =
          EventStreams.subscribe(server.channel(), resumingAfter(full.get(776).getResumeToken())).awaitCount(223, WAIT);
      assertThat(afterToken.events()).isEqualTo(full.subList(777, 1_000));
      afterToken.cancel();

      EventStreams.Recorder fromLast = EventStreams.subscribe(server.channel(), fromSequence(1_000)).awaitCount(1, WAIT);
      assertThat(fromLast.events()).containsExactly(full.get(999));
      fromLast.cancel();
    }
  }

  @Test
  void aStartOutsideTheRetainedLogIsOutOfRangeWithTheOldestAndHeadSequences() throws Exception {
    try (TestServer server = TestServer.start("--event-retention", "1000")) {
      List<String> ids = new ArrayList<>();
      for (int e = 0; e < 5; e++) {
        ids.add(createCounter(server.channel(), "Counter").getLineageId());
      }
      increment(server.channel(), ids, 1_665); // 5 + 4,995 events
      EventLog log = server.injector().getInstance(EventLog.class);
      assertThat(log.lastSequence()).isEqualTo(5_000);
      // The last 1,000 of 5,000: 4,001..5,000.
      assertThat(log.oldestRetained()).isEqualTo(4_001);
      Map<String, String> range = Map.of("oldest_sequence", "4001", "head_sequence", "5000");

      assertOutOfRange(server, fromSequence(1), range);
      assertOutOfRange(server, fromSequence(4_000), range);
      assertOutOfRange(server, resumingAfter(ResumeTokens.after(3_999)), range);
      assertOutOfRange(server, fromSequence(5_002), range); // beyond the next sequence to be written
      assertOutOfRange(server, resumingAfter(ResumeTokens.after(5_001)), range);

      EventStreams.Recorder oldest = EventStreams.subscribe(server.channel(), fromSequence(4_001)).awaitCount(1_000, WAIT);
      assertThat(oldest.events()).extracting(Event::getSequence)
          .containsExactlyElementsOf(LongStream.rangeClosed(4_001, 5_000).boxed().toList());
      oldest.cancel();
      EventStreams.Recorder fromOldest = EventStreams.subscribe(server.channel(),
          SubscribeRequest.newBuilder().setFromOldest(true).build()).awaitCount(1_000, WAIT);
      assertThat(fromOldest.events()).isEqualTo(oldest.events());
      fromOldest.cancel();

      // The next sequence to be written is a valid start: the same as "from now".
      EventStreams.Recorder next = EventStreams.subscribe(server.channel(), fromSequence(5_001));
      EventStreams.Recorder now = EventStreams.subscribe(server.channel(), SubscribeRequest.newBuilder().setFromNow(true).build());
      EventStreams.awaitSubscribers(server, 2);
      Entity written = EntityServiceGrpc.newBlockingStub(server.channel()).update(UpdateEntityRequest.newBuilder()
          .setLineageId(ids.get(0)).setExpectedVersion(334).setData(count(-1)).build());
      next.awaitCount(1, WAIT);
      now.awaitCount(1, WAIT);
      assertThat(next.events()).singleElement().satisfies(event -> {
        assertThat(event.getSequence()).isEqualTo(5_001);
        assertThat(event.getEntityVersioned().getNewVersion()).isEqualTo(written.getVersion());
      });
      assertThat(now.events()).isEqualTo(next.events());
      next.cancel();
      now.cancel();
    }
  }

  @Test
  void eventsOlderThanTheRetentionAgeAreOutOfRangeAndTheOldestStartIsThenTheNextEvent() throws Exception {
    try (TestServer server = TestServer.start("--event-retention-age", "PT0.2S")) {
      List<String> ids = List.of(createCounter(server.channel(), "Counter").getLineageId());
      increment(server.channel(), ids, 3); // 1 + 9 events
      Thread.sleep(400); // all ten age out; nothing else is written, so this holds however slow the machine
      EventLog log = server.injector().getInstance(EventLog.class);
      assertThat(log.lastSequence()).isEqualTo(10);
      assertThat(log.oldestRetained()).isEqualTo(11);
      Map<String, String> range = Map.of("oldest_sequence", "11", "head_sequence", "10");
      assertOutOfRange(server, fromSequence(1), range);
      assertOutOfRange(server, fromSequence(10), range);

      EventStreams.Recorder oldest = EventStreams.subscribe(server.channel(),
          SubscribeRequest.newBuilder().setFromOldest(true).build());
      EventStreams.awaitSubscribers(server, 1);
      Entity written = EntityServiceGrpc.newBlockingStub(server.channel()).update(UpdateEntityRequest.newBuilder()
          .setLineageId(ids.get(0)).setExpectedVersion(4).setData(count(-1)).build());
      oldest.awaitCount(1, WAIT);
      assertThat(oldest.events()).singleElement().satisfies(event -> {
        assertThat(event.getSequence()).isEqualTo(11);
        assertThat(event.getEntityVersioned().getNewVersion()).isEqualTo(written.getVersion());
      });
      oldest.cancel();
    }
  }

  private static void assertOutOfRange(TestServer server, SubscribeRequest request, Map<String, String> metadata)
      throws Exception {
    StatusRuntimeException error = EventStreams.subscribe(server.channel(), request).awaitError(WAIT);
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
    ErrorInfo info = errorInfo(error);
    assertThat(info.getReason()).isEqualTo("EVENTS_NOT_RETAINED");
    assertThat(info.getDomain()).isEqualTo("abstractions.dev");
    assertThat(info.getMetadataMap()).isEqualTo(metadata);
  }
}
