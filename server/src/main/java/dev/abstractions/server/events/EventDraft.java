package dev.abstractions.server.events;

import dev.abstractions.api.v1.Event;

/**
 * An event as its writer hands it to the {@link EventLog}: the envelope fields that filters read,
 * and its kind's message as a {@link Body} that is built only when a reader first needs the event
 * (see {@link LoggedEvent}). The log adds the sequence, time and resume token. Immutable.
 *
 * <p>Writers append from inside their atomic step, so building the message (for a new version, a
 * diff of the data) is kept out of it. A body must therefore capture only immutable values, read
 * at the time of the change: it runs later, on another thread, possibly more than once.
 *
 * <p>Plain classes rather than records: the log holds drafts, and Lincheck (in
 * {@code WriteLinearizabilityTest}) cannot walk the fields of records.
 */
public final class EventDraft {

  /** Sets the event's kind (the oneof field named by {@link #kind}) on the builder. */
  @FunctionalInterface
  public interface Body {
    void writeTo(Event.Builder event);
  }

  /** Who and what the event is about: the fields subscription filters match on. Immutable. */
  public static final class Envelope {

    private final int priority;
    private final String targetLineageId;
    private final String entityType;
    private final String opId;
    private final String parentOpId;

    public Envelope(int priority, String targetLineageId, String entityType, String opId, String parentOpId) {
      this.priority = priority;
      this.targetLineageId = targetLineageId;
      this.entityType = entityType;
      this.opId = opId;
      this.parentOpId = parentOpId;
    }

    public EventDraft draft(Event.KindCase kind, Body body) {
      return new EventDraft(this, kind, body);
    }

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

    String parentOpId() {
      return parentOpId;
    }
  }

  private final Envelope envelope;
  private final Event.KindCase kind;
  private final Body body;

  private EventDraft(Envelope envelope, Event.KindCase kind, Body body) {
    this.envelope = envelope;
    this.kind = kind;
    this.body = body;
  }

  Envelope envelope() {
    return envelope;
  }

  Event.KindCase kind() {
    return kind;
  }

  Body body() {
    return body;
  }
}
