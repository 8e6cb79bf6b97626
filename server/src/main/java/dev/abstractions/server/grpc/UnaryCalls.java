package dev.abstractions.server.grpc;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Completes a unary call from a handler body that returns the response or throws a status. */
final class UnaryCalls {

  private static final Logger log = LoggerFactory.getLogger(UnaryCalls.class);

  private UnaryCalls() {}

  static <T> void respond(StreamObserver<T> observer, Supplier<T> handler) {
    T response;
    try {
      response = handler.get();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    } catch (RuntimeException e) {
      // A bug, not bad input: keep serving, tell the client, keep the trace for us.
      log.error("handler failed", e);
      observer.onError(Status.INTERNAL.withDescription("internal error").asRuntimeException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /** Throws INVALID_ARGUMENT if there are violations. */
  static void requireValid(List<FieldViolation> violations) {
    if (!violations.isEmpty()) {
      throw Statuses.invalidArgument(violations);
    }
  }
}
