package dev.abstractions.server.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.abstractions.api.v1.Event;
import dev.abstractions.server.core.EventRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One event in the {@link EventLog}: its sequence, time and {@link EventRecord}, and the
 * {@link Event} message with its wire forms, built from them ({@link EventMessages}) the first time
 * a reader asks.
 *
 * <p>It keeps the record's envelope fields and body itself, not the record. Under write load the
 * log holds each write's event (and through it the versions) past the next young collection,
 * which copies every object still alive. One object per event instead of three (event, record,
 * envelope) lowered GC's share of the server's CPU under (a) Update from 10.1% to 9.0%
 * (bench/RESULTS.md); the record and envelope a decision builds now die young.
 *
 * <p>Thread-safe and lock-free. Each form is computed at most a few times (by readers that race
 * for it before the first one publishes) and published once with a compare-and-set: every reader
 * then gets the same instance, so subscribers share one encoding per event however many there
 * are. Racing computations build equal values, since the event holds only immutable values.
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
  private final long timeNanos;
  private final long weight;
  private final int priority;
  private final String targetLineageId;
  private final String entityType;
  private final String opId;
  private final String parentOpId;
  private final String rootLineageId;
  private final EventRecord.Body body;
  @SuppressWarnings("unused") // through EVENT
  private volatile Event event;
  @SuppressWarnings("unused") // through ENCODED
  private volatile EncodedEvent encoded;
  @SuppressWarnings("unused") // through ENCODED_WITHOUT_ENTITY
  private volatile EncodedEvent encodedWithoutEntity;

  LoggedEvent(long sequence, long timeNanos, EventRecord record, long weight) {
    this.sequence = sequence;
    this.timeNanos = timeNanos;
    this.weight = weight;
    EventRecord.Envelope envelope = record.envelope();
    this.priority = envelope.priority();
    this.targetLineageId = envelope.targetLineageId();
    this.entityType = envelope.entityType();
    this.opId = envelope.opId();
    this.parentOpId = envelope.parentOpId();
    this.rootLineageId = envelope.rootLineageId();
    this.body = record.body();
  }

  /** What it counts in the memory budget while in the log ({@link EventLog#weight}). */
  long weight() {
    return weight;
  }

  public long sequence() {
    return sequence;
  }

  /** Nanoseconds since the epoch. */
  public long timeNanos() {
    return timeNanos;
  }

  /** The event as data, as the store decided it (what a snapshot keeps); built on each call. */
  public EventRecord record() {
    return new EventRecord(
        new EventRecord.Envelope(priority, targetLineageId, entityType, opId, parentOpId, rootLineageId), body);
  }

  // The envelope's fields and the body, for filters: reading them builds nothing.

  int priority() {
    return priority;
  }

  String targetLineageId() {
    return targetLineageId;
  }

  String entityType() {
    return entityType;
  }

  String opId() {
    return opId;
  }

  String rootLineageId() {
    return rootLineageId;
  }

  EventRecord.Body body() {
    return body;
  }

  Event.KindCase kind() {
    return body.kind();
  }

  /** The full event, as subscribers with {@code include_entities} receive it. */
  public Event event() {
    Event built = (Event) EVENT.getAcquire(this);
    return built != null ? built : publish(EVENT, parse(encoded(true)));
  }

  /**
   * The event's wire form: in full, or without the entity of an EntityVersioned event and the
   * members' entities of a tree event (what a subscriber gets unless it asks for entities; other
   * kinds are the same either way).
   */
  public EncodedEvent encoded(boolean includeEntities) {
    if (includeEntities || !(body instanceof EventRecord.EntityVersioned || body instanceof EventRecord.TreeBody)) {
      EncodedEvent full = (EncodedEvent) ENCODED.getAcquire(this);
      return full != null ? full : publish(ENCODED, encode(true));
    }
    EncodedEvent bare = (EncodedEvent) ENCODED_WITHOUT_ENTITY.getAcquire(this);
    return bare != null ? bare : publish(ENCODED_WITHOUT_ENTITY, encode(false));
  }

  private EncodedEvent encode(boolean includeEntity) {
    return EncodedEvent.ofBytes(EventMessages.encode(sequence, timeNanos, record(), includeEntity));
  }

  private static Event parse(EncodedEvent encoded) {
    try {
      return Event.parseFrom(encoded.bytes());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an encoded event does not parse", e);
    }
  }

  /** Publishes {@code computed} unless another reader got there first; returns the one published. */
  @SuppressWarnings("unchecked")
  private <T> T publish(VarHandle form, T computed) {
    Object first = form.compareAndExchange(this, null, computed);
    return first == null ? computed : (T) first;
  }
}
