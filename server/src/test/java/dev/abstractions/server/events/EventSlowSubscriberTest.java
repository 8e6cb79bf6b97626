package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.createCounter;
import static dev.abstractions.server.events.EventStreams.errorInfo;
import static dev.abstractions.server.events.EventStreams.fromSequence;
import static dev.abstractions.server.events.EventStreams.increment;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.Event;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading costs the server no buffering: the hub stops at the stream's
 * flow-control window and keeps only a cursor into the shared log. When the subscriber reads
 * again it catches up from the log, or, if what it needs left the log, it is ended with where to
 * resume.
 */
class EventSlowSubscriberTest {

  /** Server-side increments written while the subscriber stalls: three events each. */
  private static final int EXECUTIONS = 4_000;
  /**
   * Increments written per step until the subscriber's window is full: 600 events, fewer than the
   * small log of 1,000 holds, so a subscriber whose stream is still ready cannot fall off it.
   */
  private static final int FILL_STEP = 200;
  private static final int TARGETS = 8;
  /** How long the subscriber reads nothing (counted from its first event). */
  private static final Duration STALL = Duration.ofSeconds(3);
  /**
   * The subscriber's HTTP/2 flow-control window, fixed (no auto-tuning) so the bound below is exact,
   * and small so that it fills after a few hundred events.
   */
  private static final int WINDOW = 64 * 1024;
  /**
   * gRPC's default "ready" threshold: a stream is not ready once this much is queued for sending.
   * The server may hand a stalled stream at most the window plus this plus one message.
   */
  private static final int READY_THRESHOLD = 32 * 1024;
  /** A bound on one event's size on the wire in these tests (they are about 100-300 bytes). */
  private static final int MAX_EVENT_BYTES = 1024;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aStalledSubscriberHoldsOnlyACursorAndThenCatchesUpCompletelyFromTheLog() throws Exception {
    try (TestServer server = TestServer.start("--event-retention", "400000")) {
      ManagedChannel subscriberChannel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext().flowControlWindow(WINDOW).build();
      try {
        EventStreams.Recorder slow = EventStreams.subscribeManually(subscriberChannel, fromSequence(1), 1);
        long total = writeWhileStalled(server, slow);
        long lag = stalledLag(server, total);

        slow.request(Integer.MAX_VALUE);
        slow.awaitCount(total, WAIT);
        List<Event> events = slow.events();
        assertThat(events).extracting(Event::getSequence)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertTheWindowAndNoMoreWasSent(events.subList(1, (int) (total - lag)));
        assertThat(server.injector().getInstance(SubscriptionHub.class).totalLag()).isZero();
        slow.cancel();
      } finally {
        subscriberChannel.shutdownNow();
      }
    }
  }

  @Test
  void aStalledSubscriberWhoseNextEventLeftTheLogIsEndedWithTheSequenceToResumeAt() throws Exception {
    try (TestServer server = TestServer.start("--event-retention", "1000")) {
      ManagedChannel subscriberChannel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext().flowControlWindow(WINDOW).build();
      try {
        EventStreams.Recorder slow = EventStreams.subscribeManually(subscriberChannel, fromSequence(1), 1);
        long total = writeWhileStalled(server, slow);
        long firstMissed = total - stalledLag(server, total) + 1;
        assertThat(firstMissed).isLessThan(total - 999);

        slow.request(Integer.MAX_VALUE);
        StatusRuntimeException error = slow.awaitError(WAIT);
        // Everything the server had sent arrives first, in order and without a gap; then the end,
        // naming the first sequence the subscriber missed.
        List<Event> events = slow.events();
        assertThat(events).extracting(Event::getSequence)
            .containsExactlyElementsOf(LongStream.range(1, firstMissed).boxed().toList());
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        ErrorInfo info = errorInfo(error);
        assertThat(info.getReason()).isEqualTo("EVENTS_NOT_RETAINED");
        assertThat(info.getMetadataMap()).isEqualTo(Map.of(
            "resume_sequence", Long.toString(firstMissed),
            "oldest_sequence", Long.toString(total - 999)));
        assertTheWindowAndNoMoreWasSent(events.subList(1, events.size()));
        Awaitility.await().atMost(WAIT)
            .until(() -> server.injector().getInstance(SubscriptionHub.class).subscriberCount() == 0);
      } finally {
        subscriberChannel.shutdownNow();
      }
    }
  }

  /**
   * Waits for the subscriber's first event, then writes {@link #EXECUTIONS} increments (which the
   * stalled subscriber must not slow down): in small steps until the subscription stops advancing
   * (its window is full, its stream not ready), so it cannot fall off a small log while the
   * dispatcher still sends to it, then the rest at full speed. Lets the stall last at least
   * {@link #STALL}. Returns the events in the log.
   */
  private static long writeWhileStalled(TestServer server, EventStreams.Recorder slow) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int e = 0; e < TARGETS; e++) {
      ids.add(createCounter(server.channel(), "Counter").getLineageId());
    }
    slow.awaitCount(1, WAIT);
    long stalledAt = System.nanoTime();
    SubscriptionHub hub = server.injector().getInstance(SubscriptionHub.class);
    int written = 0;
    do {
      increment(server.channel(), ids, FILL_STEP);
      written += FILL_STEP;
    } while (steadyLag(hub) == 0);
    increment(server.channel(), ids, EXECUTIONS - written);
    long remaining = STALL.toNanos() - (System.nanoTime() - stalledAt);
    if (remaining > 0) {
      Thread.sleep(remaining / 1_000_000);
    }
    long total = TARGETS + 3L * EXECUTIONS;
    assertThat(server.injector().getInstance(EventLog.class).lastSequence()).isEqualTo(total);
    assertThat(slow.count()).isEqualTo(1);
    return total;
  }

  /**
   * The stalled subscription's lag once it is steady: the server sends nothing while the stream is
   * not ready, so the subscription stays behind by nearly everything written.
   */
  private static long stalledLag(TestServer server, long total) throws InterruptedException {
    SubscriptionHub hub = server.injector().getInstance(SubscriptionHub.class);
    assertThat(hub.subscriberCount()).isEqualTo(1);
    long lag = steadyLag(hub);
    assertThat(lag).isGreaterThan(total / 2);
    return lag;
  }

  /** The subscribers' lag once it has not changed for 300 ms: the dispatcher did all it could. */
  private static long steadyLag(SubscriptionHub hub) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
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

  /**
   * The events sent after the one the subscriber asked for (while it read nothing) fill the
   * stream's flow-control window and no more: the server buffered nothing of its own.
   */
  private static void assertTheWindowAndNoMoreWasSent(List<Event> sentWhileStalled) {
    assertThat(wireBytes(sentWhileStalled))
        .isBetween((long) WINDOW - MAX_EVENT_BYTES, (long) WINDOW + READY_THRESHOLD + MAX_EVENT_BYTES);
  }

  private static long wireBytes(List<Event> events) {
    long bytes = 0;
    for (Event event : events) {
      bytes += event.getSerializedSize() + 5; // gRPC's length-prefixed framing
    }
    return bytes;
  }
}
