package dev.abstractions.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.abstractions.api.v1.EntityCreated;
import dev.abstractions.api.v1.Event;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A ring slot holds the newest event that maps to it, whatever order writers store in. A writer
 * that claimed a sequence and was delayed (descheduled between claim and store) may store after a
 * writer that claimed the sequence one lap later; its older event must not replace the newer one,
 * or readers of the newer sequence would wait for it forever. Append's two halves are called apart
 * to place the delay exactly.
 */
class EventLogRingTest {

  /** Four slots: retaining four events gives a ring of four. */
  private final EventLog log = new EventLog(new EventLogSettings(4, Duration.ofHours(1)), Clock.systemUTC(),
      new EventSignal());

  @Test
  void aDelayedWriterDoesNotOverwriteTheEventOneLapNewerInItsSlot() throws Exception {
    LoggedEvent delayed = log.claim(draft()); // sequence 1, slot 1
    for (int i = 2; i <= 5; i++) {
      log.append(draft()); // 5 lands in slot 1 too
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
      log.append(draft());
    }
    LoggedEvent fifth = log.claim(draft());
    assertThat(log.read(5)).isNull(); // claimed, not stored: not there yet
    log.store(fifth);

    assertThat(log.read(5)).isSameAs(fifth);
    assertThat(catchThrowableOfType(EventsLostException.class, () -> log.read(1)).oldestRetained()).isEqualTo(2);
  }

  private static EventDraft draft() {
    return new EventDraft.Envelope(5, "", "", "", "").draft(Event.KindCase.ENTITY_CREATED,
        event -> event.setEntityCreated(EntityCreated.getDefaultInstance()));
  }
}
