package dev.abstractions.server.core;

/**
 * Everything about one target that must change together, in one value: the entity's latest
 * version ({@code head}, null before it is created), its {@link Arbitration} and, for a root, its
 * {@link Tree}. The decision function maps one of these and a command to the next; a backend keeps
 * the latest per target and swaps it in one atomic step. Immutable, and free of futures, timers and
 * callbacks, so a backend can snapshot, replicate or replay it.
 *
 * <p>A tree's target is its root: every command on any member is decided on the root's state
 * (with the members' heads lent by the store, {@link TreeView}), so the tree is one conflict
 * domain. A member's own state holds only its head (no arbitration, no tree).
 */
public record TargetState(EntityVersion head, Arbitration arbitration, Tree tree) {

  /** A target that does not exist yet. */
  public static final TargetState ABSENT = new TargetState(null, Arbitration.NONE, null);

  /**
   * The counters of the tree a root heads: its version (bumped by 1 by every change in the tree),
   * the stamp of that change (strictly increasing; every member written by it carries it), the
   * live members (the root included) with their latest versions' encoded bytes, for the limits,
   * and the tree version it began at (1, or the version of the promotion that made it).
   */
  public record Tree(long version, long stampNanos, int members, long bytes, long since) {}

  /** A member's state: its head alone. */
  public static TargetState member(EntityVersion head) {
    return new TargetState(head, Arbitration.NONE, null);
  }
}
