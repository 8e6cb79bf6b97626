package dev.abstractions.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityVersioned;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.OperationRetry;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.EventRecord;
import dev.abstractions.server.memory.MemoryBudget;
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
import org.junit.jupiter.api.Test;

/**
 * The log stores event records and builds each event on first read: whichever reader (and
 * thread) gets there first, every reader must see the same event, stamped with the time it was
 * appended with, and the same encodings, byte for byte those of protobuf.
 */
class LoggedEventTest {

  private static final Instant NOW = Instant.parse("2026-11-28T09:00:00.123456789Z");
  private static final long NOW_NANOS = NOW.getEpochSecond() * 1_000_000_000L + NOW.getNano();
  private static final Entity ENTITY = Entity.newBuilder()
      .setLineageId("0123456789abcdef0123456789abcdef")
      .setEntityType("Thing")
      .setVersion(8)
      .setData(Struct.newBuilder().putFields("k", Value.newBuilder().setStringValue("v").build()))
      .build();
  private static final Entity PREVIOUS = ENTITY.toBuilder().setVersion(7).setData(Struct.getDefaultInstance()).build();

  private final EventLog log =
      new EventLog(new EventLogSettings(1024, Duration.ofHours(1)), Clock.fixed(NOW, ZoneOffset.UTC), new EventSignal(), MemoryBudget.unlimited());

  @Test
  void racingReadersOfEachEventGetOneInstanceOfEachFormAndTheBytesProtobufWouldWrite() throws Exception {
    int threads = 4;
    int events = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int i = 0; i < events; i++) {
        LoggedEvent logged = append(versioned());
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
  }

  @Test
  void kindsOtherThanVersionedShareOneEncoding() throws Exception {
    LoggedEvent logged = append(new EventRecord(new EventRecord.Envelope(7, ENTITY.getLineageId(), "Thing", "op", "parent", ENTITY.getLineageId()),
        new EventRecord.OperationRetry(2, 5, 0)));
    assertThat(log.read(logged.sequence())).isSameAs(logged);

    assertThat(logged.encoded(false)).isSameAs(logged.encoded(true));
    assertThat(bytes(logged.encoded(false))).isEqualTo(Event.newBuilder()
        .setSequence(logged.sequence())
        .setTime(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(NOW.getNano()))
        .setPriority(7)
        .setTargetLineageId(ENTITY.getLineageId())
        .setRootLineageId(ENTITY.getLineageId())
        .setOpId("op")
        .setParentOpId("parent")
        .setResumeToken(ResumeTokens.after(logged.sequence()))
        .setEntityType("Thing")
        .setOperationRetry(OperationRetry.newBuilder().setRetryCount(2).setMaxRetries(5)
            .setRetryAfter(com.google.protobuf.Duration.getDefaultInstance()))
        .build()
        .toByteArray());
  }

  private LoggedEvent append(EventRecord record) {
    return log.append(log.lastSequence() + 1, NOW_NANOS, record);
  }

  private static EventRecord versioned() {
    return new EventRecord(new EventRecord.Envelope(5, ENTITY.getLineageId(), "Thing", "", "", ENTITY.getLineageId()),
        new EventRecord.EntityVersioned(EntityVersion.decode(PREVIOUS.toByteArray()),
            EntityVersion.decode(ENTITY.toByteArray())));
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
        .setRootLineageId(ENTITY.getLineageId())
        .setResumeToken(ResumeTokens.after(sequence))
        .setEntityType("Thing")
        .setEntityVersioned(versionedBody())
        .build();
  }

  private static byte[] bytes(EncodedEvent event) throws Exception {
    return event.bytes();
  }
}
