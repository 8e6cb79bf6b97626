package dev.abstractions.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/**
 * The server did not accept the call's credentials: {@code UNAUTHENTICATED} when the call carried
 * no bearer token or one it does not know (reason {@code TOKEN_MISSING_OR_UNKNOWN}),
 * {@code PERMISSION_DENIED} when the token may not do this (e.g. {@code WRITE_NOT_PERMITTED} for a
 * read token, {@code OPERATION_NOT_OWNED}). Retrying with the same credentials fails the same way.
 * Immutable.
 */
public final class AccessDeniedException extends EntityServiceException {

  AccessDeniedException(StatusRuntimeException cause, String reason, Map<String, String> metadata,
      List<FieldViolation> fieldViolations) {
    super(cause, reason, metadata, fieldViolations);
  }
}
