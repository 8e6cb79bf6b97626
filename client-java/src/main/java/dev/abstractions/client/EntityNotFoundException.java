package dev.abstractions.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/**
 * NOT_FOUND: no such lineage ({@code ENTITY_NOT_FOUND}), a deleted one ({@code ENTITY_DELETED}),
 * or a version never written ({@code VERSION_NOT_FOUND}); {@link #reason()} tells which.
 */
public final class EntityNotFoundException extends EntityServiceException {

  EntityNotFoundException(StatusRuntimeException cause, String reason, Map<String, String> metadata,
      List<FieldViolation> violations) {
    super(cause, reason, metadata, violations);
  }

  /** True if the lineage existed and was deleted. */
  public boolean deleted() {
    return "ENTITY_DELETED".equals(reason());
  }
}
