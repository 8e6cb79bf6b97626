package dev.abstractions.server.core;

import java.util.List;

/**
 * The members of one tree as the store holds them, lent read-only to a decision on the tree's root
 * (whose own head is in its {@link TargetState}). The store changes members only while it applies a
 * command on their root, so during a decision this view is as fixed as the root's state, and
 * replicas that applied the same commands lend the same view: the decision stays deterministic.
 */
public interface TreeView {

  /** The tree's root. */
  String rootId();

  /** The latest version of a member of this tree other than the root; null if it is not one. */
  EntityVersion member(String lineageId);

  /** The root of the tree {@code lineageId} belongs to (any tree); null if no such entity exists. */
  String rootOf(String lineageId);

  /** The latest versions of the live members created directly under {@code lineageId}. */
  List<EntityVersion> liveChildren(String lineageId);

  /** The view of a tree that has no members besides its root (or of a root not created yet). */
  static TreeView alone(String rootId) {
    return new TreeView() {
      @Override
      public String rootId() {
        return rootId;
      }

      @Override
      public EntityVersion member(String lineageId) {
        return null;
      }

      @Override
      public String rootOf(String lineageId) {
        return null;
      }

      @Override
      public List<EntityVersion> liveChildren(String lineageId) {
        return List.of();
      }
    };
  }
}
