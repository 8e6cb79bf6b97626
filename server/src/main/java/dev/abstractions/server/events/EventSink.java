package dev.abstractions.server.events;

/**
 * Where a subscription's events go: the transport's stream. Called only from the hub's dispatcher
 * thread, one call at a time per sink.
 */
public interface EventSink {

  /** Whether the stream can take another event now without buffering it. */
  boolean isReady();

  /** Sends one encoded {@code Event}. */
  void deliver(EncodedEvent event);

  /** Ends the stream: the subscriber fell off the log; it may resume at {@code resumeSequence}. */
  void endFellBehind(long resumeSequence, long oldestSequence);

  /** Ends the stream because the server is shutting down. */
  void endShutdown();

  /**
   * Ends the stream because sending to it failed (a bug, logged by the hub): the subscriber is
   * told to resubscribe instead of being left waiting. Tells it no more than that.
   */
  void endFailed();
}
