package dev.abstractions.client;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Unary calls on an async stub as futures whose failures are already translated, and the waits
 * between the attempts of the async retry loops, timed on the client's scheduler.
 */
final class AsyncCalls {

  private AsyncCalls() {}

  /**
   * Starts {@code method(request)}; the future completes on a gRPC callback thread, exceptionally
   * with an {@link EntityServiceException}.
   */
  static <Q, R> CompletableFuture<R> unary(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
    start(method, request, result);
    return result;
  }

  /**
   * Starts {@code method(request)} and runs {@code next} on its response on the gRPC callback
   * thread, never on the caller's: {@code next} is attached before the call starts, so a response
   * that arrives before this method returns cannot make the caller's thread run it.
   */
  static <Q, R, T> CompletableFuture<T> unaryThenCompose(BiConsumer<Q, StreamObserver<R>> method, Q request,
      Function<? super R, ? extends CompletionStage<T>> next) {
    CompletableFuture<R> response = new CompletableFuture<>();
    CompletableFuture<T> result = response.thenCompose(next);
    start(method, request, response);
    return result;
  }

  /**
   * Completes after {@code nanos} on {@code scheduler}'s thread, so no thread sleeps for it; at once
   * (on this thread) when {@code nanos} is not positive; exceptionally with an {@link
   * IllegalStateException} once the scheduler no longer takes tasks (its client is closed).
   */
  static CompletableFuture<Void> after(ScheduledExecutorService scheduler, long nanos) {
    if (nanos <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> elapsed = new CompletableFuture<>();
    try {
      scheduler.schedule(() -> elapsed.complete(null), nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      elapsed.completeExceptionally(new IllegalStateException("the client is closed", e));
    }
    return elapsed;
  }

  private static <Q, R> void start(BiConsumer<Q, StreamObserver<R>> method, Q request, CompletableFuture<R> result) {
    method.accept(request, new StreamObserver<>() {
      @Override
      public void onNext(R response) {
        result.complete(response);
      }

      @Override
      public void onError(Throwable failure) {
        result.completeExceptionally(ServerErrors.translate(failure));
      }

      @Override
      public void onCompleted() {
        // A unary call completes after its one response, which already completed the future.
      }
    });
  }
}
