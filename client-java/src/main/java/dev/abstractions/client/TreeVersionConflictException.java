package dev.abstractions.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/**
 * A tree write lost its compare-and-set (reason {@code TREE_VERSION_CONFLICT}, code ABORTED): the
 * tree version it expected was no longer the tree's, because some change to a member of the tree
 * landed after the read. Nothing of the write was applied; read the tree again and recompute (what
 * {@link EntityClient#updateTree} does). Immutable.
 */
public final class TreeVersionConflictException extends EntityServiceException {

  TreeVersionConflictException(StatusRuntimeException cause, String reason, Map<String, String> metadata,
      List<FieldViolation> violations) {
    super(cause, reason, metadata, violations);
  }

  /** The tree's root. */
  public String rootLineageId() {
    return metadata().get("root_lineage_id");
  }

  /** The tree's version at the time of the conflict. */
  public long currentTreeVersion() {
    return Long.parseLong(metadata().get("current_tree_version"));
  }
}
