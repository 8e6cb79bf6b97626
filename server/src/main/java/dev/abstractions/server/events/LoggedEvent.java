package dev.abstractions.server.events;

import com.google.protobuf.Timestamp;
import dev.abstractions.api.v1.Event;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;

/**
 * One event in the {@link EventLog}: its sequence, time and {@link EventDraft}, and the
 * {@link Event} message with its wire forms, built from them the first time a reader asks.
 *
 * <p>Thread-safe and lock-free. Each form is computed at most a few times (by readers that race
 * for it before the first one publishes) and published once with a compare-and-set: every reader
 * then gets the same instance, so subscribers share one encoding per event however many there
 * are. Racing computations build equal values, since the draft holds only immutable values.
 */
public final class LoggedEvent {

  private static final VarHandle EVENT;
  private static final VarHandle ENCODED;
  private static final VarHandle ENCODED_WITHOUT_ENTITY;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      EVENT = lookup.findVarHandle(LoggedEvent.class, "event", Event.class);
      ENCODED = lookup.findVarHandle(LoggedEvent.class, "encoded", EncodedEvent.class);
      ENCODED_WITHOUT_ENTITY = lookup.findVarHandle(LoggedEvent.class, "encodedWithoutEntity", EncodedEvent.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long sequence;
  private final Instant time;
  private final EventDraft draft;
  @SuppressWarnings("unused") // through EVENT
  private volatile Event event;
  @SuppressWarnings("unused") // through ENCODED
  private volatile EncodedEvent encoded;
  @SuppressWarnings("unused") // through ENCODED_WITHOUT_ENTITY
  private volatile EncodedEvent encodedWithoutEntity;

  LoggedEvent(long sequence, Instant time, EventDraft draft) {
    this.sequence = sequence;
    this.time = time;
    this.draft = draft;
  }

  public long sequence() {
    return sequence;
  }

  Instant time() {
    return time;
  }

  /** The envelope fields, for filters: reading them builds nothing. */
  EventDraft.Envelope envelope() {
    return draft.envelope();
  }

  Event.KindCase kind() {
    return draft.kind();
  }

  /** The full event, as subscribers with {@code include_entities} receive it. */
  public Event event() {
    Event built = (Event) EVENT.getAcquire(this);
    return built != null ? built : publish(EVENT, build());
  }

  /**
   * The event's wire form: in full, or without the entity of an EntityVersioned event (what a
   * subscriber gets unless it asks for entities; other kinds are the same either way).
   */
  public EncodedEvent encoded(boolean includeEntities) {
    if (includeEntities || draft.kind() != Event.KindCase.ENTITY_VERSIONED) {
      EncodedEvent full = (EncodedEvent) ENCODED.getAcquire(this);
      return full != null ? full : publish(ENCODED, EncodedEvent.of(event()));
    }
    EncodedEvent bare = (EncodedEvent) ENCODED_WITHOUT_ENTITY.getAcquire(this);
    return bare != null ? bare : publish(ENCODED_WITHOUT_ENTITY, EncodedEvent.of(withoutEntity(event())));
  }

  private Event build() {
    EventDraft.Envelope envelope = draft.envelope();
    Event.Builder builder = Event.newBuilder()
        .setSequence(sequence)
        .setResumeToken(ResumeTokens.after(sequence))
        .setTime(Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()))
        .setPriority(envelope.priority())
        .setTargetLineageId(envelope.targetLineageId())
        .setEntityType(envelope.entityType())
        .setOpId(envelope.opId())
        .setParentOpId(envelope.parentOpId());
    draft.body().writeTo(builder);
    Event built = builder.build();
    if (built.getKindCase() != draft.kind()) {
      throw new IllegalStateException("event " + sequence + " was drafted as " + draft.kind() + " but its body set "
          + built.getKindCase());
    }
    return built;
  }

  private static Event withoutEntity(Event event) {
    return event.toBuilder().setEntityVersioned(event.getEntityVersioned().toBuilder().clearEntity()).build();
  }

  /** Publishes {@code computed} unless another reader got there first; returns the one published. */
  @SuppressWarnings("unchecked")
  private <T> T publish(VarHandle form, T computed) {
    Object first = form.compareAndExchange(this, null, computed);
    return first == null ? computed : (T) first;
  }
}
