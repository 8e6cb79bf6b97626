package dev.abstractions.server.store;

import dev.abstractions.server.core.EntityVersion;
import java.util.List;

/**
 * The outcome of reading a tree: with {@link Kind#FOUND}, one page of its live members at
 * {@code treeVersion} (stamped {@code stampNanos}), ordered by lineage id, and whether more follow.
 * For the other kinds, what the refusal names: the root of the tree a member is in
 * ({@link Kind#NOT_A_ROOT}), the tree's current version ({@link Kind#NO_VERSION}), the oldest tree
 * version still readable ({@link Kind#NOT_RETAINED}).
 */
public record TreeRead(Kind kind, String rootLineageId, long treeVersion, long stampNanos, List<EntityVersion> members,
    boolean more, long oldestRetained) {

  /** What was found. */
  public enum Kind {
    FOUND,
    /** No lineage has this id. */
    NO_LINEAGE,
    /** The root was deleted (with every member). */
    DELETED,
    /** The id names a member, not a root. */
    NOT_A_ROOT,
    /** The tree version asked for is newer than the tree's. */
    NO_VERSION,
    /** The tree version asked for needs a member version dropped from the bounded history. */
    NOT_RETAINED
  }

  public TreeRead {
    members = List.copyOf(members);
  }

  static TreeRead of(Kind kind, String rootLineageId, long treeVersion, long oldestRetained) {
    return new TreeRead(kind, rootLineageId, treeVersion, 0, List.of(), false, oldestRetained);
  }
}
