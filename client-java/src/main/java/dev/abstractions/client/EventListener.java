package dev.abstractions.client;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.Progress;

/**
 * Receives one {@link EventSubscriber}'s events. Calls for one subscriber never overlap and come in
 * sequence order on a gRPC callback thread; the next event is requested only when a call returns,
 * so a slow listener slows its own stream and nothing else.
 */
public interface EventListener {

  /** An event, delivered once, in sequence order. Throwing ends the subscription (see onError). */
  void onEvent(Event event);

  /** A bookmark: the stream has considered everything up to {@code progress.head_sequence}. */
  default void onProgress(Progress progress) {}

  /**
   * The subscription ended for good and will call nothing more: an {@link EventsLostException}
   * when the events it needed left the server's log, another {@link EntityServiceException} the
   * server will not take back by itself (e.g. INVALID_ARGUMENT), or what {@link #onEvent} threw.
   * Not called after {@link EventSubscriber#close()}.
   */
  void onError(RuntimeException error);
}
