package dev.abstractions.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.BadRequest.FieldViolation;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;

/** Turns a failed call's status and {@code google.rpc} details into a typed exception. */
final class ServerErrors {

  private ServerErrors() {}

  /** Translates what a stub threw or passed to {@code onError} (a status, or a cause it wraps). */
  static EntityServiceException translate(Throwable failure) {
    StatusRuntimeException e = failure instanceof StatusRuntimeException status
        ? status
        : Status.fromThrowable(failure).asRuntimeException(Status.trailersFromThrowable(failure));
    String reason = "";
    Map<String, String> metadata = Map.of();
    List<FieldViolation> violations = List.of();
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    if (details != null) {
      for (Any detail : details.getDetailsList()) {
        try {
          if (detail.is(ErrorInfo.class)) {
            ErrorInfo info = detail.unpack(ErrorInfo.class);
            reason = info.getReason();
            metadata = info.getMetadataMap();
          } else if (detail.is(BadRequest.class)) {
            violations = detail.unpack(BadRequest.class).getFieldViolationsList();
          }
        } catch (InvalidProtocolBufferException malformed) {
          // A detail we cannot read is no reason to hide the status itself.
        }
      }
    }
    return switch (reason) {
      case "VERSION_CONFLICT" -> new VersionConflictException(e, reason, metadata, violations);
      case "TREE_VERSION_CONFLICT" -> new TreeVersionConflictException(e, reason, metadata, violations);
      case "ENTITY_NOT_FOUND", "ENTITY_DELETED", "VERSION_NOT_FOUND" ->
          new EntityNotFoundException(e, reason, metadata, violations);
      case "PREEMPTED", "GATE_HELD" -> new GateHeldException(e, reason, metadata, violations);
      case "TARGET_BUSY" -> new TargetBusyException(e, reason, metadata, violations);
      case "EVENTS_NOT_RETAINED" -> new EventsLostException(e, reason, metadata, violations);
      default -> switch (e.getStatus().getCode()) {
        case UNAUTHENTICATED, PERMISSION_DENIED -> new AccessDeniedException(e, reason, metadata, violations);
        default -> new EntityServiceException(e, reason, metadata, violations);
      };
    };
  }
}
