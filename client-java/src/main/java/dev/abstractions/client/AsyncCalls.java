package dev.abstractions.client;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Unary calls on an async stub as futures whose failures are already translated. */
final class AsyncCalls {

  private AsyncCalls() {}

  /**
   * Starts {@code method(request)}; the future completes on a gRPC callback thread, exceptionally
   * with an {@link EntityServiceException}.
   */
  static <Q, R> CompletableFuture<R> unary(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
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
    return result;
  }
}
