package dev.abstractions.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A plain write (an anonymous NORMAL operation) met an operation holding the target's gate: one
 * of higher priority ({@link #preempted()}, reason {@code PREEMPTED}; waiting is unlikely to help
 * soon) or of equal priority (reason {@code GATE_HELD}; retry after {@link #retryAfter()}).
 * Immutable.
 */
public final class GateHeldException extends EntityServiceException {

  GateHeldException(StatusRuntimeException cause, String reason, Map<String, String> metadata,
      List<FieldViolation> violations) {
    super(cause, reason, metadata, violations);
  }

  /** True if the gate owner has a higher priority than a plain write. */
  public boolean preempted() {
    return "PREEMPTED".equals(reason());
  }

  /** The operation that holds the gate. */
  public String gateOwnerOpId() {
    return metadata().getOrDefault(preempted() ? "preempted_by_op_id" : "gate_owner_op_id", "");
  }

  /** How long the server asks an equal-priority writer to wait; zero when preempted. */
  public Duration retryAfter() {
    return retryAfterMillis();
  }
}
