package dev.abstractions.server.operate;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** Subscriptions a test opens and holds: their first message, or their refusal. */
final class OpeningStreams {

  private OpeningStreams() {}

  /**
   * Subscribes with {@code request} and completes with the stream's first message (a from-now
   * stream's opening bookmark) or exceptionally with its error; the stream stays open.
   */
  static CompletableFuture<Event> open(EventServiceGrpc.EventServiceStub events, SubscribeRequest request) {
    CompletableFuture<Event> first = new CompletableFuture<>();
    events.subscribe(request, new StreamObserver<>() {
      @Override
      public void onNext(Event event) {
        first.complete(event);
      }

      @Override
      public void onError(Throwable error) {
        first.completeExceptionally(error);
      }

      @Override
      public void onCompleted() {}
    });
    return first;
  }
}
