package dev.abstractions.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.abstractions.server.core.EventRecord;
import dev.abstractions.server.memory.MemoryBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The log's retention by count and by age, on a clock the test moves: what a new reader may start
 * at, and what a reader of an overwritten slot is told. (Over a real server only a whole log aging
 * out is deterministic; the boundary between old and young events needs a clock of our own.)
 */
class EventLogRetentionTest {

  /** A clock that moves only when told to. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();

  @Test
  void theOldestRetainedIsTheFirstEventYoungerThanTheAgeWithinTheLastRetainedCount() {
    EventLog log = new EventLog(new EventLogSettings(10, Duration.ofSeconds(60)), clock, new EventSignal(), MemoryBudget.unlimited());
    assertThat(log.oldestRetained()).isEqualTo(1); // empty: the next event
    for (int i = 1; i <= 5; i++) {
      append(log);
    }
    clock.advance(Duration.ofSeconds(30));
    for (int i = 6; i <= 8; i++) {
      append(log);
    }
    assertThat(log.oldestRetained()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(31)); // events 1..5 are 61 s old, 6..8 are 31 s old
    assertThat(log.oldestRetained()).isEqualTo(6);
    clock.advance(Duration.ofSeconds(30)); // all older than 60 s
    assertThat(log.oldestRetained()).isEqualTo(9);
    for (int i = 9; i <= 25; i++) {
      append(log);
    }
    assertThat(log.oldestRetained()).isEqualTo(16); // the last ten: 16..25
  }

  @Test
  void aReaderOfAnOverwrittenSlotLearnsTheOldestRetainedAndAReaderAheadOfTheLogGetsNothing() throws Exception {
    EventLog log = new EventLog(new EventLogSettings(10, Duration.ofSeconds(60)), clock, new EventSignal(), MemoryBudget.unlimited());
    for (int i = 1; i <= 40; i++) {
      append(log);
    }
    assertThat(log.read(40).event().getSequence()).isEqualTo(40);
    assertThat(log.read(31).event().getSequence()).isEqualTo(31);
    assertThat(log.read(41)).isNull();
    EventsLostException lost = catchThrowableOfType(EventsLostException.class, () -> log.read(20));
    assertThat(lost.requested()).isEqualTo(20);
    assertThat(lost.oldestRetained()).isEqualTo(31);
  }

  /** Appends the next event, stamped with the clock's time, as the store does. */
  private void append(EventLog log) {
    Instant now = clock.instant();
    log.append(log.lastSequence() + 1, now.getEpochSecond() * 1_000_000_000L + now.getNano(),
        new EventRecord(new EventRecord.Envelope(5, "", "", "", "", ""), new EventRecord.EntityDeleted(1)));
  }
}
