package dev.abstractions.server.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the calls the server refuses to a caller (UNAUTHENTICATED, PERMISSION_DENIED: a missing,
 * unknown or read-only token, an operation another token owns) and at its limits
 * (RESOURCE_EXHAUSTED: subscribers, operations per target, a client's share, the memory budget),
 * as one WARN line with the method, the status, the {@code ErrorInfo} reason and the peer's
 * address. Each of the two kinds logs at most one line per {@link #WARNING_INTERVAL} and counts
 * the ones it held back, so a client refused in a loop costs the log a line a minute. Sees every
 * call the services and the authentication answer (not what the transport refuses on its own,
 * such as an oversized message). Lock-free and thread-safe: one instance serves a server.
 */
@Singleton
public final class RefusalLog implements ServerInterceptor {

  /** At most one warning per kind of refusal per this interval; the rest are counted. */
  static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);

  private final LogThrottle accessRefusals = new LogThrottle(WARNING_INTERVAL, System::nanoTime);
  private final LogThrottle limitRefusals = new LogThrottle(WARNING_INTERVAL, System::nanoTime);

  @Inject
  RefusalLog() {}

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        record(call, status, trailers);
        super.close(status, trailers);
      }
    }, headers);
  }

  private void record(ServerCall<?, ?> call, Status status, Metadata trailers) {
    String refused;
    LogThrottle throttle;
    switch (status.getCode()) {
      case UNAUTHENTICATED, PERMISSION_DENIED -> {
        refused = "refused a call for its credentials";
        throttle = accessRefusals;
      }
      case RESOURCE_EXHAUSTED -> {
        refused = "refused a call at a limit";
        throttle = limitRefusals;
      }
      default -> {
        return;
      }
    }
    long heldBack = throttle.admit();
    if (heldBack < 0) {
      return;
    }
    log.atWarn()
        .addKeyValue("method", call.getMethodDescriptor().getFullMethodName())
        .addKeyValue("code", status.getCode().name())
        .addKeyValue("reason", reason(status, trailers))
        .addKeyValue("remote", String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)))
        .addKeyValue("alsoRefusedSinceLastWarning", heldBack)
        .log("{}: {}; at most one such warning per {}", refused, status.getDescription(), WARNING_INTERVAL);
  }

  /** The {@code ErrorInfo} reason the answer carries, or "" without one. */
  private static String reason(Status status, Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    for (Any detail : details.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException e) {
          return "";
        }
      }
    }
    return "";
  }
}
