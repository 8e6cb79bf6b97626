package dev.abstractions.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A LOW operation's Begin was shed (reason {@code TARGET_BUSY}, code RESOURCE_EXHAUSTED): it waited
 * its class's longest wait and the target was still busy with other operations, so the server
 * refused it before {@code fn} computed anything. No operation was left behind; begin again after
 * {@link #retryAfter()}, or less often. Immutable.
 */
public final class TargetBusyException extends EntityServiceException {

  TargetBusyException(StatusRuntimeException cause, String reason, Map<String, String> metadata,
      List<FieldViolation> violations) {
    super(cause, reason, metadata, violations);
  }

  /** The operation that held the target when the Begin was shed. */
  public String turnHolderOpId() {
    return metadata().getOrDefault("turn_holder_op_id", "");
  }

  /** How long the server asks the client to wait before it begins again. */
  public Duration retryAfter() {
    return retryAfterMillis();
  }
}
