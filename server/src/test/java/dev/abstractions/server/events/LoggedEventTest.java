package dev.abstractions.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityVersioned;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.OperationRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The log stores drafts and builds each event on first read: whichever reader (and thread) gets
 * there first, every reader must see the same event, stamped as the log stamped it, and the same
 * encodings, byte for byte those of protobuf.
 */
class LoggedEventTest {

  private static final Instant NOW = Instant.parse("2026-11-28T09:00:00.123456789Z");
  private static final Entity ENTITY = Entity.newBuilder()
      .setLineageId("0123456789abcdef0123456789abcdef")
      .setEntityType("Thing")
      .setVersion(8)
      .setData(Struct.newBuilder().putFields("k", Value.newBuilder().setStringValue("v").build()))
      .build();

  private final EventLog log =
      new EventLog(new EventLogSettings(1024, Duration.ofHours(1)), Clock.fixed(NOW, ZoneOffset.UTC), new EventSignal());

  @Test
  void racingReadersOfEachEventGetOneInstanceOfEachFormAndTheBytesProtobufWouldWrite() throws Exception {
    int threads = 4;
    int events = 500;
    AtomicInteger bodyRuns = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int i = 0; i < events; i++) {
        LoggedEvent logged = log.append(versioned(bodyRuns));
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Object[]>> reads = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int order = t;
          reads.add(pool.submit(() -> {
            start.await();
            // Each thread asks for the forms in another order, so each form is raced from every side.
            return switch (order % 3) {
              case 0 -> new Object[] {logged.event(), logged.encoded(true), logged.encoded(false)};
              case 1 -> {
                EncodedEvent bare = logged.encoded(false);
                EncodedEvent full = logged.encoded(true);
                yield new Object[] {logged.event(), full, bare};
              }
              default -> {
                EncodedEvent full = logged.encoded(true);
                EncodedEvent bare = logged.encoded(false);
                yield new Object[] {logged.event(), full, bare};
              }
            };
          }));
        }
        Object[] first = reads.get(0).get(10, TimeUnit.SECONDS);
        for (Future<Object[]> read : reads) {
          Object[] forms = read.get(10, TimeUnit.SECONDS);
          for (int f = 0; f < forms.length; f++) {
            assertThat(forms[f]).isSameAs(first[f]);
          }
        }
        Event expected = expected(logged.sequence());
        assertThat(first[0]).isEqualTo(expected);
        assertThat(bytes((EncodedEvent) first[1])).isEqualTo(expected.toByteArray());
        assertThat(bytes((EncodedEvent) first[2])).isEqualTo(expected.toBuilder()
            .setEntityVersioned(expected.getEntityVersioned().toBuilder().clearEntity()).build().toByteArray());
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    // Built on demand only: at least once per event, and never by appending.
    assertThat(bodyRuns.get()).isBetween(events, events * threads);
  }

  @Test
  void appendingBuildsNothingAndKindsOtherThanVersionedShareOneEncoding() throws Exception {
    AtomicInteger bodyRuns = new AtomicInteger();
    LoggedEvent logged = log.append(new EventDraft.Envelope(7, ENTITY.getLineageId(), "Thing", "op", "parent")
        .draft(Event.KindCase.OPERATION_RETRY, event -> {
          bodyRuns.incrementAndGet();
          event.setOperationRetry(OperationRetry.newBuilder().setRetryCount(2).setMaxRetries(5));
        }));
    assertThat(bodyRuns).hasValue(0);
    assertThat(log.read(logged.sequence())).isSameAs(logged);

    assertThat(logged.encoded(false)).isSameAs(logged.encoded(true));
    assertThat(bodyRuns).hasValue(1);
    assertThat(bytes(logged.encoded(false))).isEqualTo(Event.newBuilder()
        .setSequence(logged.sequence())
        .setTime(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(NOW.getNano()))
        .setPriority(7)
        .setTargetLineageId(ENTITY.getLineageId())
        .setOpId("op")
        .setParentOpId("parent")
        .setResumeToken(ResumeTokens.after(logged.sequence()))
        .setEntityType("Thing")
        .setOperationRetry(OperationRetry.newBuilder().setRetryCount(2).setMaxRetries(5))
        .build()
        .toByteArray());
  }

  @Test
  void aBodyThatWritesAnotherKindThanDraftedIsRefusedWhenBuilt() {
    LoggedEvent logged = log.append(new EventDraft.Envelope(5, ENTITY.getLineageId(), "Thing", "", "")
        .draft(Event.KindCase.ENTITY_DELETED,
            event -> event.setOperationRetry(OperationRetry.getDefaultInstance())));
    assertThatThrownBy(logged::event)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("event 1 was drafted as ENTITY_DELETED but its body set OPERATION_RETRY");
  }

  private static EventDraft versioned(AtomicInteger bodyRuns) {
    return new EventDraft.Envelope(5, ENTITY.getLineageId(), "Thing", "", "")
        .draft(Event.KindCase.ENTITY_VERSIONED, event -> {
          bodyRuns.incrementAndGet();
          event.setEntityVersioned(versionedBody());
        });
  }

  private static EntityVersioned versionedBody() {
    return EntityVersioned.newBuilder()
        .setOldVersion(7)
        .setNewVersion(8)
        .addChangedPaths("k")
        .setEntity(ENTITY)
        .build();
  }

  private static Event expected(long sequence) {
    return Event.newBuilder()
        .setSequence(sequence)
        .setTime(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(NOW.getNano()))
        .setPriority(5)
        .setTargetLineageId(ENTITY.getLineageId())
        .setResumeToken(ResumeTokens.after(sequence))
        .setEntityType("Thing")
        .setEntityVersioned(versionedBody())
        .build();
  }

  private static byte[] bytes(EncodedEvent event) throws Exception {
    try (var in = event.newInputStream()) {
      return in.readAllBytes();
    }
  }
}
