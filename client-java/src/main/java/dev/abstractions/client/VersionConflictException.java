package dev.abstractions.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/** A compare-and-set lost: the expected version was no longer the latest. Carries the latest. */
public final class VersionConflictException extends EntityServiceException {

  VersionConflictException(StatusRuntimeException cause, String reason, Map<String, String> metadata,
      List<FieldViolation> violations) {
    super(cause, reason, metadata, violations);
  }

  /** The entity's latest version at the time of the conflict. */
  public long currentVersion() {
    return Long.parseLong(metadata().get("current_version"));
  }

  /** The ecs id of the latest version at the time of the conflict. */
  public String currentEcsId() {
    return metadata().get("current_ecs_id");
  }
}
