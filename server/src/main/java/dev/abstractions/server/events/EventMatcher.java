package dev.abstractions.server.events;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.server.core.EventRecord;
import java.util.EnumSet;
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

  /**
   * Whether the event is a tree write, promotion or attachment that wrote one of the lineages the
   * filter names.
   */
  private boolean writesAny(LoggedEvent event) {
    if (!(event.body() instanceof EventRecord.TreeBody tree)) {
      return false;
    }
    for (EventRecord.MemberWrite write : tree.members()) {
      if (lineageIds.contains(write.written().lineageId())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the event is a promotion or attachment of a tree the filter names: its target is the
   * new root or the attached one, whose tree the change made or ended.
   */
  private boolean structuralOf(LoggedEvent event) {
    return (event.kind() == Event.KindCase.TREE_PROMOTED || event.kind() == Event.KindCase.TREE_ATTACHED)
        && rootLineageIds.contains(event.targetLineageId());
  }

  /**
   * Reads only the event's kind and envelope (and a tree write's members), so events a subscriber
   * does not want are never built.
   */
  boolean matches(LoggedEvent event) {
    return (kinds.isEmpty() || kinds.contains(event.kind()))
        && (lineageIds.isEmpty() || lineageIds.contains(event.targetLineageId()) || writesAny(event))
        && (rootLineageIds.isEmpty() || rootLineageIds.contains(event.rootLineageId()) || structuralOf(event))
        && (entityTypes.isEmpty() || entityTypes.contains(event.entityType()))
        && (opIds.isEmpty() || opIds.contains(event.opId()))
        && event.priority() >= minPriority;
  }
}
