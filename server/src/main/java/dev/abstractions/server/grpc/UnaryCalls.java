package dev.abstractions.server.grpc;

import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.ops.Outcome;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import dev.abstractions.server.store.StoreUnavailableException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes unary calls from handler bodies that return the response (or a future of it) or throw
 * a status. The one place a handler's outcome reaches the client.
 */
final class UnaryCalls {

  private static final Logger log = LoggerFactory.getLogger(UnaryCalls.class);

  private UnaryCalls() {}

  /** Runs a synchronous handler body and answers the call; no future on this hot path. */
  static <T> void respond(StreamObserver<T> observer, Supplier<T> handler) {
    T response;
    try {
      response = handler.get();
    } catch (RuntimeException e) {
      fail(observer, e);
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /**
   * {@link #respond}, once {@code barrier} completes (a read barrier: at once unless the store
   * must first catch up with its group); a failed barrier fails the call with its status.
   */
  static <T> void respondAfter(CompletableFuture<Void> barrier, StreamObserver<T> observer, Supplier<T> handler) {
    if (barrier.isDone() && !barrier.isCompletedExceptionally()) {
      respond(observer, handler);
      return;
    }
    barrier.whenComplete((ignored, error) -> {
      if (error != null) {
        fail(observer, unwrapped(error));
      } else {
        respond(observer, handler);
      }
    });
  }

  /** Runs a handler body, turning a throw into a failed future. */
  static <T> CompletableFuture<T> async(Supplier<CompletableFuture<T>> handler) {
    try {
      return handler.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Answers the call when {@code outcome} completes. */
  static <T> void reply(CompletableFuture<T> outcome, StreamObserver<T> observer) {
    outcome.whenComplete((value, error) -> {
      if (error == null) {
        observer.onNext(value);
        observer.onCompleted();
        return;
      }
      fail(observer, unwrapped(error));
    });
  }

  /** The failure a future's CompletionException wraps. */
  private static Throwable unwrapped(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  /** Answers a failed call: its status, or INTERNAL for anything that is not one. */
  private static void fail(StreamObserver<?> observer, Throwable cause) {
    if (cause instanceof StatusRuntimeException status) {
      observer.onError(status);
    } else if (cause instanceof StoreUnavailableException unavailable) {
      observer.onError(Status.UNAVAILABLE.withDescription(unavailable.getMessage()).asRuntimeException());
    } else {
      // A bug, not bad input: keep serving, tell the client, keep the trace for us.
      log.error("handler failed", cause);
      observer.onError(Status.INTERNAL.withDescription("internal error").asRuntimeException());
    }
  }

  /** Throws INVALID_ARGUMENT if there are violations. */
  static void requireValid(List<FieldViolation> violations) {
    if (!violations.isEmpty()) {
      throw Statuses.invalidArgument(violations);
    }
  }

  /** Answers INVALID_ARGUMENT and returns true if there are violations. */
  static boolean rejectInvalid(List<FieldViolation> violations, StreamObserver<?> response) {
    if (violations.isEmpty()) {
      return false;
    }
    response.onError(Statuses.invalidArgument(violations));
    return true;
  }

  /** The version a write's outcome holds, or a future failed with the refusal's status. */
  static CompletableFuture<EntityVersion> written(CompletableFuture<Outcome<EntityVersion>> outcome) {
    return outcome.thenCompose(UnaryCalls::completed);
  }

  /** A completed future of an outcome's value, or failed with the refusal's status. */
  static <T> CompletableFuture<T> completed(Outcome<T> outcome) {
    return outcome.ok()
        ? CompletableFuture.completedFuture(outcome.value())
        : CompletableFuture.failedFuture(Statuses.refused(outcome.refusal()));
  }
}
