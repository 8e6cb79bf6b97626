package dev.abstractions.server.events;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.server.core.EventRecord;
import dev.abstractions.api.v1.EventKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Decides whether an event passes a subscription's {@link EventFilter}. Immutable. */
final class EventMatcher {

  private final Set<Event.KindCase> kinds;
  private final Set<String> lineageIds;
  private final Set<String> entityTypes;
  private final Set<String> opIds;
  private final Set<String> rootLineageIds;
  private final int minPriority;

  EventMatcher(EventFilter filter) {
    Set<Event.KindCase> wanted = EnumSet.noneOf(Event.KindCase.class);
    for (EventKind kind : filter.getKindsList()) {
      wanted.add(Event.KindCase.forNumber(kind.getNumber()));
    }
    this.kinds = wanted;
    this.lineageIds = Set.copyOf(filter.getLineageIdsList());
    this.entityTypes = Set.copyOf(filter.getEntityTypesList());
    this.opIds = Set.copyOf(filter.getOpIdsList());
    this.rootLineageIds = Set.copyOf(filter.getRootLineageIdsList());
    this.minPriority = filter.getMinPriority();
  }

  /** Whether the event is a tree write or promotion that wrote one of the lineages the filter names. */
  private boolean writesAny(LoggedEvent event) {
    List<EventRecord.MemberWrite> writes = event.record().body() instanceof EventRecord.TreeChanged tree
        ? tree.members()
        : event.record().body() instanceof EventRecord.TreePromoted promoted ? promoted.members() : List.of();
    for (EventRecord.MemberWrite write : writes) {
      if (lineageIds.contains(write.written().lineageId())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads only the event's kind and envelope (and a tree write's members), so events a subscriber
   * does not want are never built.
   */
  boolean matches(LoggedEvent event) {
    EventRecord.Envelope envelope = event.envelope();
    return (kinds.isEmpty() || kinds.contains(event.kind()))
        && (lineageIds.isEmpty() || lineageIds.contains(envelope.targetLineageId()) || writesAny(event))
        && (rootLineageIds.isEmpty() || rootLineageIds.contains(envelope.rootLineageId()))
        && (entityTypes.isEmpty() || entityTypes.contains(envelope.entityType()))
        && (opIds.isEmpty() || opIds.contains(envelope.opId()))
        && envelope.priority() >= minPriority;
  }
}
