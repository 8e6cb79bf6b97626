package dev.abstractions.server.core;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.PriorityClass;
import java.util.List;

/**
 * A request to change one target, as a value that carries everything its decision needs: the
 * target, the time it happens ({@link Time}), the ids it will hand out and the random draw that
 * spreads retries ({@code jitter}, in [0, 1)). Whoever issues a command draws these once, so every
 * replica that applies it, and every replay, decides the same. Immutable.
 */
public sealed interface Command {

  /**
   * The lineage the command is about: the entity it writes or creates, the root a tree write or an
   * operation targets. The store decides it on the state of the tree that lineage is in (for a
   * member created under a parent, the parent's tree).
   */
  String target();

  Time time();

  /** Creates version 1 of {@code target}: a new root, or a member under {@code parentId} ("" for a root). */
  record Create(String target, String parentId, String entityType, StructBytes data, String ecsId, Time time)
      implements Command {}

  /** A plain compare-and-set write (an anonymous NORMAL operation for arbitration); or its tombstone. */
  record Update(String target, long expectedVersion, StructBytes data, String ecsId, Time time) implements Command {}

  record Delete(String target, long expectedVersion, String ecsId, Time time) implements Command {}

  /**
   * Makes the member {@code target} a root with its live subtree, if its tree is still at
   * {@code expectedTreeVersion}; arbitrated as an anonymous operation of {@code priority}. The
   * ecs_ids of the versions it writes are derived from {@code ecsSeed} and each lineage id, since
   * how many there are is known only when it applies.
   */
  record Promote(String target, long expectedTreeVersion, int priority, String ecsSeed, Time time)
      implements Command {}

  /**
   * Puts the root {@code target}, with its live tree, under {@code parentId}, a member (or the root)
   * of another tree, if the two trees are still at {@code expectedTreeVersion} and
   * {@code expectedParentTreeVersion}; arbitrated on both as an anonymous operation of
   * {@code priority}. The store decides it on both trees' states at once. Ecs_ids as for
   * {@link Promote}.
   */
  record Attach(String target, long expectedTreeVersion, String parentId, long expectedParentTreeVersion,
      int priority, String ecsSeed, Time time) implements Command {}

  /**
   * Changes members of the tree rooted at {@code target} at once, if its version is still
   * {@code expectedTreeVersion}: all or nothing, in order.
   */
  record WriteTree(String target, long expectedTreeVersion, List<MemberChange> changes, Time time)
      implements Command {

    public WriteTree {
      changes = List.copyOf(changes);
    }
  }

  /** One member change of a {@link WriteTree}; each carries the ecs_id its new version gets. */
  sealed interface MemberChange {

    String lineageId();

    String ecsId();

    record Create(String lineageId, String parentId, String entityType, StructBytes data, String ecsId)
        implements MemberChange {}

    /** {@code expectedVersion} 0: not checked (the tree version is). */
    record Update(String lineageId, long expectedVersion, StructBytes data, String ecsId) implements MemberChange {}

    record Delete(String lineageId, long expectedVersion, String ecsId) implements MemberChange {}
  }

  /**
   * Begins an operation. While a gate owner of at least its priority holds the target, the answer
   * is to wait ({@link Reply.MustWait}) until {@code waitUntilTick}; after that it starts anyway.
   */
  record Begin(String target, NewOperation operation, long waitUntilTick, Time time) implements Command {}

  /**
   * Offers an operation's new data, computed by the client on its snapshot; or, when
   * {@code treeChanges} is not empty, changes to members of the tree its target roots.
   */
  record Commit(String target, String opId, StructBytes data, List<MemberChange> treeChanges, String ecsId,
      double jitter, Actor actor, Time time) implements Command {

    public Commit {
      treeChanges = List.copyOf(treeChanges);
    }
  }

  /**
   * Begins an operation and makes its first attempt with a server function, in one step; on the
   * target, or on the member {@code memberId} of the tree the target roots ("" for the target).
   */
  record Execute(String target, NewOperation operation, String function, Struct args, String memberId, String ecsId,
      double jitter, Time time) implements Command {}

  /** One more attempt of an Execute's function on the latest version (of its member, if it names one). */
  record Attempt(String target, String opId, String function, Struct args, String memberId, String ecsId,
      double jitter, Time time) implements Command {}

  record Abort(String target, String opId, Actor actor, Time time) implements Command {}

  /** The operation's client is alive: its gate lease is renewed. */
  record KeepAlive(String target, String opId, Actor actor, Time time) implements Command {}

  /**
   * Rejects (EXPIRED) every operation on the target whose deadline has passed, and a gate owner
   * whose lease has.
   */
  record Expire(String target, Time time) implements Command {}

  /**
   * Makes {@code settings} the ones every later command is applied with (a replicated store's
   * leader proposes its own when it starts to lead). It has no target and changes no entity.
   */
  record Settle(SharedSettings settings, Time time) implements Command {

    @Override
    public String target() {
      return "";
    }
  }

  /**
   * What a Begin or Execute starts: the checked request with class defaults applied, the parent
   * chain already resolved (effective priority, depth), the new operation's id, its creation
   * stamp (unique and increasing across operations, the tie-break of equal priorities) and the
   * actor that begins it.
   */
  record NewOperation(String opId, String opType, PriorityClass priorityClass, int priority, int maxRetries,
      String parentOpId, int effectivePriority, int depth, long ttlNanos, long createdAtNs, Actor owner) {}
}
