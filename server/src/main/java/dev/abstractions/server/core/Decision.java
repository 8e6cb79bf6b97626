package dev.abstractions.server.core;

import dev.abstractions.api.v1.PriorityClass;
import java.util.List;

/**
 * The result of applying one command to one target's state: the next state, the versions written
 * (none, one, or a tree write's several; of the target or of members of its tree), the events in
 * the order they happened, the operations whose state changed (in the order they changed; terminal
 * ones have ended), the reply, and what metrics count. A backend
 * stores the state and the version, logs the events and records the operations atomically, then
 * completes the reply at its durability point. Immutable.
 *
 * @param conflict the compare-and-set that lost in this step, or null
 * @param gateWait whether a writer was told to wait behind an equal-priority gate owner
 * @param promoted the state of the root a promotion made, or null
 */
public record Decision(TargetState state, List<EntityVersion> written, List<EventRecord> events, List<OpState> changed,
    Reply reply, Conflict conflict, boolean gateWait, PriorityClass writerClass, TargetState promoted) {

  /** A lost compare-and-set: by an operation ({@code charged} or not) or a plain write. */
  public record Conflict(boolean byOperation, boolean charged) {}
}
