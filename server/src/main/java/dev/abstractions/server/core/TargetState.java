package dev.abstractions.server.core;

/**
 * Everything about one target that must change together, in one value: the entity's latest
 * version ({@code head}, null before it is created) and its {@link Arbitration}. The decision
 * function maps one of these and a command to the next; a backend keeps the latest per target and
 * swaps it in one atomic step. Immutable, and free of futures, timers and callbacks, so a backend
 * can snapshot, replicate or replay it.
 */
public record TargetState(EntityVersion head, Arbitration arbitration) {

  /** A target that does not exist yet. */
  public static final TargetState ABSENT = new TargetState(null, Arbitration.NONE);
}
