package dev.abstractions.server.core;

import dev.abstractions.api.v1.CommitOutcome;
import java.util.List;

/** What a decision answers the caller of its command. Immutable. */
public sealed interface Reply {

  /** The command was refused; nothing changed but what the refusal implies (e.g. expiries). */
  record Refused(Refusal refusal) implements Reply {}

  /** Create, Update or Delete wrote {@code version}. */
  record Written(EntityVersion version) implements Reply {}

  /** A tree write made {@code treeVersion}, writing {@code written} (in the order of its changes). */
  record TreeWritten(long treeVersion, List<EntityVersion> written) implements Reply {}

  /**
   * A promotion took its member out of the tree rooted at {@code oldRootId}; both trees are at
   * {@code treeVersion}; {@code written}: the member it was under, the new root, the members that moved.
   */
  record Promoted(String oldRootId, long treeVersion, List<EntityVersion> written) implements Reply {}

  /**
   * An attachment put its root, with its tree, into the tree rooted at {@code rootId}; both trees
   * are at {@code treeVersion}. {@code written}: the member it went under, the attached root, then
   * the members that moved with it.
   */
  record Attached(String rootId, long treeVersion, List<EntityVersion> written) implements Reply {}

  /** The store applies every later command with {@code settings}. */
  record Settled(SharedSettings settings) implements Reply {}

  /** A Begin started {@code op} on {@code snapshot}. */
  record Started(OpState op, EntityVersion snapshot) implements Reply {}

  /**
   * A Begin met a gate owner of at least its priority: it should be issued again when the owner
   * leaves, or at its {@code waitUntilTick}, whichever is first. Nothing was started.
   */
  record MustWait(String ownerOpId) implements Reply {}

  /**
   * The outcome of a Commit, Execute or Attempt (the operation's state after it, in {@code op});
   * {@code written} the member versions a commit of tree changes wrote (else empty).
   */
  record Attempted(CommitOutcome outcome, OpState op, EntityVersion entity, long retryAfterNanos, boolean charged,
      List<EntityVersion> written) implements Reply {

    public Attempted {
      written = List.copyOf(written);
    }

    public Attempted(CommitOutcome outcome, OpState op, EntityVersion entity, long retryAfterNanos, boolean charged) {
      this(outcome, op, entity, retryAfterNanos, charged, List.of());
    }
  }

  /** The operation named is not in flight on the target (it ended, or never was there). */
  record NotInFlight(String opId) implements Reply {}

  /** An Abort cancelled {@code op}. */
  record Cancelled(OpState op) implements Reply {}

  /** A KeepAlive renewed {@code op}'s lease. */
  record KeptAlive(OpState op) implements Reply {}

  /** An Expire ran. */
  record Expired() implements Reply {}
}
