package dev.abstractions.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.abstractions.server.memory.MemoryBudget;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A ring slot holds the newest event that maps to it, whatever order writers store in. A writer
 * that took a sequence and was delayed (descheduled before it stored) may store after a writer
 * that took the sequence one lap later; its older event must not replace the newer one, or readers
 * of the newer sequence would wait for it forever. The delayed store is called on its own to place
 * the delay exactly.
 */
class EventLogRingTest {

  /** Young enough for the log's age limit. */
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;

  /** Four slots: retaining four events gives a ring of four. */
  private final EventLog log = new EventLog(new EventLogSettings(4, Duration.ofHours(1)), Clock.systemUTC(),
      new EventSignal(), MemoryBudget.unlimited());

  @Test
  void aDelayedWriterDoesNotOverwriteTheEventOneLapNewerInItsSlot() throws Exception {
    LoggedEvent delayed = event(1); // slot 1
    for (int i = 2; i <= 5; i++) {
      append(i); // 5 lands in slot 1 too
    }
    log.store(delayed);

    assertThat(log.read(5)).isNotNull();
    assertThat(log.read(5).sequence()).isEqualTo(5);
    EventsLostException lost = catchThrowableOfType(EventsLostException.class, () -> log.read(1));
    assertThat(lost.requested()).isEqualTo(1);
    assertThat(lost.oldestRetained()).isEqualTo(2);
  }

  @Test
  void aWriterStoresIntoTheSlotItsPredecessorOneLapEarlierLeft() throws Exception {
    for (int i = 1; i <= 4; i++) {
      append(i);
    }
    assertThat(log.read(5)).isNull(); // not appended yet: not there yet
    append(5);

    assertThat(log.read(5).sequence()).isEqualTo(5);
    assertThat(catchThrowableOfType(EventsLostException.class, () -> log.read(1)).oldestRetained()).isEqualTo(2);
  }

  private void append(long sequence) {
    log.append(sequence, NOW, TestEvents.record());
  }

  private static LoggedEvent event(long sequence) {
    return new LoggedEvent(sequence, NOW, TestEvents.record(), 0);
  }
}
