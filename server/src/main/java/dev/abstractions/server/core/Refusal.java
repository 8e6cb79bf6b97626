package dev.abstractions.server.core;

import dev.abstractions.api.v1.OperationStatus;

/**
 * Why a call to the operations layer was refused, as a value; the transport turns it into a status
 * once. {@code current} is the target's latest version where one is relevant, {@code opId} the
 * operation concerned (the preemptor for PREEMPTED, the gate owner for GATE_HELD), {@code quota}
 * the resource that refused a write (MEMORY_BUDGET, DISK_FULL and TREE_LIMIT only, else null),
 * {@code tree} what a refusal about a tree names (the tree refusals only, else null).
 */
public record Refusal(Kind kind, String lineageId, EntityVersion current, String opId, long retryAfterNanos,
    OperationStatus status, Quota quota, TreeFacts tree) {

  /**
   * A resource and where it stood when it refused: for the memory budget the bytes in use and the
   * limit; for the disk the free bytes and the minimum free.
   */
  public record Quota(long bytes, long limitBytes) {}

  /**
   * What a tree refusal names beside {@code lineageId}: the root of the tree concerned (for
   * NOT_IN_TREE and NOT_A_ROOT the root of the tree the entity is in), another member (the live
   * child for HAS_LIVE_CHILDREN, the parent for TREE_CYCLE), the tree's current version (TREE_VERSION_CONFLICT) and, for
   * TREE_LIMIT, the live members the write would leave and the most allowed.
   */
  public record TreeFacts(String rootLineageId, String relatedLineageId, long treeVersion, long members,
      long maxMembers) {}

  public Refusal(Kind kind, String lineageId, EntityVersion current, String opId, long retryAfterNanos,
      OperationStatus status) {
    this(kind, lineageId, current, opId, retryAfterNanos, status, null, null);
  }

  /** The refusals. */
  public enum Kind {
    /** No such lineage. */
    NO_LINEAGE,
    /** The lineage was deleted. */
    DELETED,
    /** Create of an existing lineage. */
    ALREADY_EXISTS,
    /** The expected version is not the latest. */
    VERSION_CONFLICT,
    /** A plain write met a gate owner of higher priority. */
    PREEMPTED,
    /** A plain write met a gate owner of equal priority. */
    GATE_HELD,
    /** No such operation. */
    NO_OPERATION,
    /** The operation already ended (and not by rejection, which Commit reports in-band). */
    OPERATION_FINISHED,
    /** The parent operation does not exist. */
    NO_PARENT,
    /** The parent chain would be deeper than {@link RetryPolicy#MAX_PARENT_DEPTH}. */
    PARENT_CHAIN_TOO_DEEP,
    /** The target has as many operations in flight as --max-operations-per-target allows. */
    TOO_MANY_OPERATIONS,
    /** The write would take the server past its memory budget (--max-memory). */
    MEMORY_BUDGET,
    /** The durable store's data directory has less free space than --min-free-disk. */
    DISK_FULL,
    /** The caller of a Begin cancelled before it was answered; its operation, if started, was aborted. */
    CALLER_GONE,
    /** The operation was begun by another principal, and the caller's token is not an admin's. */
    NOT_OWNER,
    /** The caller already holds its share (--max-client-share) of the target's operation slots. */
    CLIENT_SHARE,
    /** A LOW Begin waited its class's longest wait and the target is still busy: shed before it computes. */
    TARGET_BUSY,
    /** The call's request_id was recorded for a different request. */
    REQUEST_REUSED,
    /** A tree write's expected tree version is not the tree's version. */
    TREE_VERSION_CONFLICT,
    /** A call that needs a tree's root named a member. */
    NOT_A_ROOT,
    /** A tree write named an entity (or a parent) of another tree. */
    NOT_IN_TREE,
    /** A delete would leave a live member under a deleted one. */
    HAS_LIVE_CHILDREN,
    /** The write would take the tree past --max-tree-members or --max-tree-bytes. */
    TREE_LIMIT,
    /** A promotion named an entity that is already a root. */
    ALREADY_A_ROOT,
    /** An attachment named a parent in the tree it attaches. */
    TREE_CYCLE
  }

  /**
   * Whether this refusal says "not now" rather than what the request decided: the same request
   * may succeed later (a gate, a slot or memory frees up; the caller came back). Such an answer is
   * not recorded under the call's request_id, so a retry with the same id runs again.
   */
  public boolean notNow() {
    return switch (kind) {
      case GATE_HELD, TARGET_BUSY, TOO_MANY_OPERATIONS, CLIENT_SHARE, MEMORY_BUDGET, DISK_FULL, CALLER_GONE -> true;
      default -> false;
    };
  }

  public static Refusal of(Kind kind, String lineageId, EntityVersion current) {
    return new Refusal(kind, lineageId, current, "", 0, OperationStatus.OPERATION_STATUS_UNSPECIFIED);
  }

  public static Refusal memory(long usedBytes, long limitBytes) {
    return new Refusal(Kind.MEMORY_BUDGET, "", null, "", 0, OperationStatus.OPERATION_STATUS_UNSPECIFIED,
        new Quota(usedBytes, limitBytes), null);
  }

  public static Refusal disk(long freeBytes, long minFreeBytes) {
    return new Refusal(Kind.DISK_FULL, "", null, "", 0, OperationStatus.OPERATION_STATUS_UNSPECIFIED,
        new Quota(freeBytes, minFreeBytes), null);
  }

  /** A tree refusal about {@code lineageId}; {@code quota} for TREE_LIMIT only (bytes and the most allowed). */
  public static Refusal ofTree(Kind kind, String lineageId, EntityVersion current, TreeFacts tree, Quota quota) {
    return new Refusal(kind, lineageId, current, "", 0, OperationStatus.OPERATION_STATUS_UNSPECIFIED, quota, tree);
  }

  public static Refusal ofOperation(Kind kind, String opId, OperationStatus status) {
    return new Refusal(kind, "", null, opId, 0, status);
  }
}
