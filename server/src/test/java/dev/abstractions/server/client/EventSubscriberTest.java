package dev.abstractions.server.client;

import static dev.abstractions.server.client.OperationClientUpdateTest.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.EntityClient;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.EventListener;
import dev.abstractions.client.EventSubscriber;
import dev.abstractions.client.EventsLostException;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** {@code EventSubscriber}: exactly-once delivery across disconnects, and lost events surfaced. */
class EventSubscriberTest {

  @Test
  void subscriberResumesByItselfAcrossDroppedConnectionsAndDeliversEverySequenceExactlyOnce() throws Exception {
    int batches = 4;
    int writesPerBatch = 150;
    long total = 1 + (long) batches * writesPerBatch;
    try (TestServer server = TestServer.start();
        TcpProxy proxy = new TcpProxy(server.port())) {
      EntityClient writer = EntityClient.using(server.channel());
      String id = writer.create("Counter", count(0)).getLineageId();
      ManagedChannel viaProxy = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
      Recorder recorder = new Recorder();
      try (AbstractionsClient client = AbstractionsClient.using(viaProxy)) {
        EventSubscriber subscriber =
            client.subscribe(SubscribeRequest.newBuilder().setFromSequence(1).build(), recorder);
        await().atMost(10, TimeUnit.SECONDS).until(() -> recorder.sequences().size() == 1);

        long version = 1;
        for (int batch = 0; batch < batches; batch++) {
          // Hold the listener so the drop cuts a stream with a whole batch still to deliver.
          recorder.pause();
          for (int i = 0; i < writesPerBatch; i++) {
            writer.update(id, version, count(version));
            version++;
          }
          long written = version;
          assertThat(recorder.sequences()).hasSizeLessThanOrEqualTo((int) written - writesPerBatch);
          int connectionsBefore = proxy.accepted();
          proxy.dropConnections();
          recorder.unpause();
          await().atMost(10, TimeUnit.SECONDS).until(() -> proxy.accepted() > connectionsBefore
              && recorder.sequences().size() == written);
        }

        assertThat(recorder.sequences()).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(recorder.errors()).isEmpty();
        assertThat(proxy.accepted()).isEqualTo(1 + batches);
        assertThat(subscriber.lastSequence()).isEqualTo(total);
      } finally {
        recorder.unpause();
        viaProxy.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void subscriptionStartingBeforeTheRetainedEventsEndsWithEventsLostAndDoesNotResume() throws Exception {
    try (TestServer server = TestServer.start("--event-retention", "100");
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      String id = client.entities().create("Counter", count(0)).getLineageId();
      for (long version = 1; version < 500; version++) {
        client.entities().update(id, version, count(version));
      }
      Recorder recorder = new Recorder();

      EventSubscriber subscriber = client.subscribe(SubscribeRequest.newBuilder().setFromSequence(1).build(), recorder);

      await().atMost(10, TimeUnit.SECONDS).until(() -> !recorder.errors().isEmpty());
      assertThat(recorder.errors()).singleElement().isInstanceOfSatisfying(EventsLostException.class, e -> {
        assertThat(e.code()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(e.reason()).isEqualTo("EVENTS_NOT_RETAINED");
        assertThat(e.oldestSequence()).isEqualTo(401);
        assertThat(e.headSequence()).hasValue(500);
        assertThat(e.resumeSequence()).isEmpty();
      });
      // It stays ended: a resume would have delivered the retained events 401..500.
      client.entities().update(id, 500, count(500));
      TimeUnit.MILLISECONDS.sleep(300);
      assertThat(recorder.sequences()).isEmpty();
      assertThat(recorder.errors()).hasSize(1);
      assertThat(subscriber.lastSequence()).isZero();
    }
  }

  @Test
  void subscriberThatFallsOffTheLogLearnsWhereItStoppedAndWhatIsOldest() throws Exception {
    try (TestServer server = TestServer.start("--event-retention", "100")) {
      EntityClient writer = EntityClient.using(server.channel());
      String id = writer.create("Counter", count(0)).getLineageId();
      // A small window, so the server cannot push the whole backlog into the client's buffers.
      ManagedChannel small = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext().flowControlWindow(8 * 1024).build();
      Recorder recorder = new Recorder();
      recorder.pause();
      try (AbstractionsClient client = AbstractionsClient.using(small)) {
        client.subscribe(SubscribeRequest.newBuilder().setFromSequence(1).build(), recorder);
        await().atMost(10, TimeUnit.SECONDS).until(() -> recorder.arrived() == 1);
        for (long version = 1; version < 1000; version++) {
          writer.update(id, version, count(version));
        }
        recorder.unpause();

        await().atMost(10, TimeUnit.SECONDS).until(() -> !recorder.errors().isEmpty());
        List<Long> delivered = recorder.sequences();
        assertThat(delivered).isNotEmpty()
            .containsExactlyElementsOf(LongStream.rangeClosed(1, delivered.size()).boxed().toList());
        assertThat(recorder.errors()).singleElement().isInstanceOfSatisfying(EventsLostException.class, e -> {
          assertThat(e.resumeSequence()).hasValue(delivered.size() + 1L);
          // The oldest retained when the server noticed: 901 if that was after the last write;
          // earlier if a starved dispatcher fell 100 events behind while the writes went on.
          assertThat(e.oldestSequence()).isBetween(delivered.size() + 2L, 901L);
          assertThat(e.headSequence()).isEmpty();
        });
      } finally {
        recorder.unpause();
        small.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void blockedListenerHoldsBackOnlyItsOwnSubscription() throws Exception {
    try (TestServer server = TestServer.start();
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      Recorder blocked = new Recorder();
      blocked.pause();
      Recorder free = new Recorder();
      SubscribeRequest fromFirst = SubscribeRequest.newBuilder().setFromSequence(1).build();
      String id = client.entities().create("Counter", count(0)).getLineageId();
      client.subscribe(fromFirst, blocked);
      client.subscribe(fromFirst, free);
      try {
        for (long version = 1; version < 300; version++) {
          client.entities().update(id, version, count(version));
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> free.sequences().size() == 300);
        assertThat(blocked.arrived()).isEqualTo(1);
        assertThat(blocked.sequences()).isEmpty();
      } finally {
        blocked.unpause();
      }
      await().atMost(10, TimeUnit.SECONDS).until(() -> blocked.sequences().size() == 300);
      assertThat(blocked.sequences()).isEqualTo(free.sequences());
    }
  }

  @Test
  void subscriberWhoseChannelIsShutDownEndsInsteadOfResumingForever() throws Exception {
    try (TestServer server = TestServer.start()) {
      EntityClient writer = EntityClient.using(server.channel());
      writer.create("Counter", count(0));
      ManagedChannel channel = server.newChannel();
      Recorder recorder = new Recorder();
      try (AbstractionsClient client = AbstractionsClient.using(channel)) {
        client.subscribe(SubscribeRequest.newBuilder().setFromSequence(1).build(), recorder);
        await().atMost(10, TimeUnit.SECONDS).until(() -> recorder.sequences().size() == 1);

        channel.shutdownNow();

        await().atMost(10, TimeUnit.SECONDS).until(() -> !recorder.errors().isEmpty());
        // The stream ends CANCELLED or UNAVAILABLE, as the channel or its transport gets there first.
        assertThat(recorder.errors()).singleElement().isInstanceOfSatisfying(EntityServiceException.class,
            e -> assertThat(e.code()).isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE));
      } finally {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Records what a subscriber delivers; can hold its listener, as a slow application would. */
  private static final class Recorder implements EventListener {

    private final AtomicInteger arrived = new AtomicInteger();
    private final List<Long> sequences = Collections.synchronizedList(new ArrayList<>());
    private final List<RuntimeException> errors = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public void onEvent(Event event) {
      arrived.incrementAndGet();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while paused", e);
      }
      sequences.add(event.getSequence());
    }

    @Override
    public void onError(RuntimeException error) {
      errors.add(error);
    }

    /** Holds the next event in onEvent, unrecorded, until {@link #unpause()}. */
    void pause() {
      gate = new CountDownLatch(1);
    }

    void unpause() {
      gate.countDown();
    }

    /** Events that reached onEvent, recorded or held. */
    int arrived() {
      return arrived.get();
    }

    List<Long> sequences() {
      synchronized (sequences) {
        return List.copyOf(sequences);
      }
    }

    List<RuntimeException> errors() {
      return List.copyOf(errors);
    }
  }
}
