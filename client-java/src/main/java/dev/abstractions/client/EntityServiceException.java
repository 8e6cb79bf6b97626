package dev.abstractions.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A call the server refused, with what its {@code google.rpc} details said: the status code, the
 * {@code ErrorInfo} reason (an {@code abstractions.v1.ErrorReason} name, or "" when the status had
 * none, e.g. a transport failure) and metadata, and any field violations. Subclasses name the
 * cases callers usually handle. Immutable.
 */
public class EntityServiceException extends RuntimeException {

  private final Status.Code code;
  private final String reason;
  private final Map<String, String> metadata;
  private final List<FieldViolation> fieldViolations;

  EntityServiceException(StatusRuntimeException cause, String reason, Map<String, String> metadata,
      List<FieldViolation> fieldViolations) {
    super(cause.getStatus().getCode() + ": " + cause.getStatus().getDescription(), cause);
    this.code = cause.getStatus().getCode();
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
    this.fieldViolations = List.copyOf(fieldViolations);
  }

  public Status.Code code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** The server's {@code retry_after_ms} advice, or zero without one. */
  Duration retryAfterMillis() {
    String millis = metadata.get("retry_after_ms");
    return millis == null ? Duration.ZERO : Duration.ofMillis(Long.parseLong(millis));
  }

  public List<FieldViolation> fieldViolations() {
    return fieldViolations;
  }
}
