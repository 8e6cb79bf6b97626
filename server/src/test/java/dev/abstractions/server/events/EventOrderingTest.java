package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.count;
import static dev.abstractions.server.events.EventStreams.createCounter;
import static dev.abstractions.server.events.EventStreams.fromSequence;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import dev.abstractions.server.core.Decider;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Every subscriber sees every change exactly once, in one gap-free global order that agrees with
 * each entity's version order, however many writers and subscribers there are.
 */
class EventOrderingTest {

  @Test
  void threeSubscribersFromTheStartSeeEveryUpdateOfEightRacingWritersInOneGapFreeOrder() throws Exception {
    int writers = 8;
    int updatesPerWriter = 1_000;
    int entities = 10;
    try (TestServer server = TestServer.start()) {
      List<ManagedChannel> channels = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<EventStreams.Recorder> subscribers = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
          ManagedChannel channel = server.newChannel();
          channels.add(channel);
          subscribers.add(EventStreams.subscribe(channel, fromSequence(1)));
        }
        List<String> ids = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
          ids.add(createCounter(server.channel(), "Counter").getLineageId());
        }

        // The newest version any writer saw: a hint for the first attempt; the server decides.
        Map<String, Long> lastSeen = new ConcurrentHashMap<>();
        AtomicLong conflicts = new AtomicLong();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          ManagedChannel channel = server.newChannel();
          channels.add(channel);
          EntityServiceGrpc.EntityServiceBlockingStub stub = EntityServiceGrpc.newBlockingStub(channel);
          int writer = w;
          done.add(pool.submit(() -> {
            for (int i = 0; i < updatesPerWriter; i++) {
              updateUntilApplied(stub, ids.get((writer + i) % entities), lastSeen, conflicts);
            }
            return null;
          }));
        }
        for (Future<?> writer : done) {
          writer.get(60, TimeUnit.SECONDS);
        }

        assertThat(conflicts.get()).as("the writers raced").isPositive();
        long total = entities + (long) writers * updatesPerWriter;
        assertThat(server.injector().getInstance(EventLog.class).lastSequence()).isEqualTo(total);
        List<Event> first = null;
        for (EventStreams.Recorder subscriber : subscribers) {
          subscriber.awaitCount(total, Duration.ofSeconds(30));
          List<Event> events = subscriber.events();
          assertThat(events).extracting(Event::getSequence)
              .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
          assertThat(events).filteredOn(Event::hasEntityCreated).hasSize(entities);
          assertThat(events).filteredOn(Event::hasEntityVersioned).hasSize(writers * updatesPerWriter);
          assertVersionChains(events, ids, EntityServiceGrpc.newBlockingStub(server.channel()));
          if (first == null) {
            first = events;
          } else {
            assertThat(events).isEqualTo(first);
          }
          assertBookmarksOnlyRepeatTheLastEvent(subscriber.received());
          subscriber.cancel();
        }
      } finally {
        pool.shutdownNow();
        channels.forEach(ManagedChannel::shutdownNow);
      }
    }
  }

  @Test
  void aHundredConcurrentSubscribersEachReceiveEveryEventOfTenThousandUpdates() throws Exception {
    int subscribers = 100;
    int connections = 4; // 25 streams multiplexed on each
    int writers = 4;
    int entitiesPerWriter = 2;
    int updatesPerEntity = 1_250;
    try (TestServer server = TestServer.start()) {
      List<ManagedChannel> channels = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        for (int c = 0; c < connections; c++) {
          channels.add(server.newChannel());
        }
        List<EventStreams.Recorder> recorders = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
          recorders.add(EventStreams.subscribeCounting(channels.get(s % connections), fromSequence(1)));
        }

        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          EntityServiceGrpc.EntityServiceBlockingStub stub = EntityServiceGrpc.newBlockingStub(server.channel());
          done.add(pool.submit(() -> {
            // Each writer owns its entities, so it knows every expected version: no conflicts.
            List<Entity> owned = new ArrayList<>();
            for (int e = 0; e < entitiesPerWriter; e++) {
              owned.add(createCounter(server.channel(), "Counter"));
            }
            for (int i = 0; i < updatesPerEntity; i++) {
              for (Entity entity : owned) {
                stub.update(UpdateEntityRequest.newBuilder()
                    .setLineageId(entity.getLineageId())
                    .setExpectedVersion(i + 1)
                    .setData(count(i + 1))
                    .build());
              }
            }
            return null;
          }));
        }
        for (Future<?> writer : done) {
          writer.get(60, TimeUnit.SECONDS);
        }

        long updates = (long) writers * entitiesPerWriter * updatesPerEntity;
        assertThat(updates).isEqualTo(10_000);
        long total = writers * entitiesPerWriter + updates;
        assertThat(server.injector().getInstance(EventLog.class).lastSequence()).isEqualTo(total);
        for (EventStreams.Recorder recorder : recorders) {
          recorder.awaitCount(total, Duration.ofSeconds(30));
          assertThat(recorder.orderViolation()).isNull();
          assertThat(recorder.lastSequence()).isEqualTo(total);
        }
        assertThat(server.injector().getInstance(SubscriptionHub.class).subscriberCount()).isEqualTo(subscribers);
        recorders.forEach(EventStreams.Recorder::cancel);
      } finally {
        pool.shutdownNow();
        channels.forEach(ManagedChannel::shutdownNow);
      }
    }
  }

  /**
   * One compare-and-set loop: offers the newest version any writer saw; on a version conflict it
   * retries with the current version the conflict reports. The data is a function of the version it
   * replaces (count = new version - 1), so every write changes exactly "count".
   */
  private static void updateUntilApplied(EntityServiceGrpc.EntityServiceBlockingStub stub, String id,
      Map<String, Long> lastSeen, AtomicLong conflicts) {
    long expected = lastSeen.getOrDefault(id, 1L);
    while (true) {
      try {
        Entity written = stub.update(UpdateEntityRequest.newBuilder()
            .setLineageId(id)
            .setExpectedVersion(expected)
            .setData(count(expected))
            .build());
        lastSeen.merge(id, written.getVersion(), Math::max);
        return;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ABORTED) {
          throw e;
        }
        ErrorInfo info = EventStreams.errorInfo(e);
        assertThat(info.getReason()).isEqualTo("VERSION_CONFLICT");
        expected = Long.parseLong(info.getMetadataOrThrow("current_version"));
        conflicts.incrementAndGet();
      }
    }
  }

  /**
   * Per entity: created at version 1, then versioned old to new in steps of one, up to the
   * entity's latest version; every event is a plain write's.
   */
  private static void assertVersionChains(List<Event> events, List<String> ids,
      EntityServiceGrpc.EntityServiceBlockingStub stub) {
    Map<String, Long> latest = new HashMap<>();
    for (Event event : events) {
      String id = event.getTargetLineageId();
      assertThat(event.getPriority()).isEqualTo(Decider.PLAIN_WRITE_PRIORITY);
      assertThat(event.getOpId()).isEmpty();
      assertThat(event.getEntityType()).isEqualTo("Counter");
      if (event.hasEntityCreated()) {
        assertThat(latest).doesNotContainKey(id);
        assertThat(event.getEntityCreated().getEntity().getVersion()).isEqualTo(1);
        latest.put(id, 1L);
      } else {
        assertThat(latest).as("event %d is about a created entity", event.getSequence()).containsKey(id);
        assertThat(event.getEntityVersioned().getOldVersion()).isEqualTo(latest.get(id));
        assertThat(event.getEntityVersioned().getNewVersion()).isEqualTo(latest.get(id) + 1);
        assertThat(event.getEntityVersioned().getChangedPathsList()).containsExactly("count");
        assertThat(event.getEntityVersioned().hasEntity()).isFalse();
        latest.put(id, event.getEntityVersioned().getNewVersion());
      }
    }
    assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    for (String id : ids) {
      Entity head = stub.get(GetEntityRequest.newBuilder().setLineageId(id).build());
      assertThat(latest.get(id)).isEqualTo(head.getVersion());
      assertThat(head.getData()).isEqualTo(count(head.getVersion() - 1));
    }
  }

  /**
   * An unfiltered stream is bookmarked only when it has been quiet for a progress interval (at its
   * start, or after the last write), and then at the last event it delivered: a bookmark never
   * passes over an event.
   */
  private static void assertBookmarksOnlyRepeatTheLastEvent(List<Event> received) {
    long last = 0;
    for (Event event : received) {
      if (event.hasProgress()) {
        assertThat(event.getProgress().getHeadSequence()).as("a bookmark after event %d", last).isEqualTo(last);
      } else {
        last = event.getSequence();
      }
    }
  }
}
