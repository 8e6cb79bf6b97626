package dev.abstractions.server.events;

import dev.abstractions.api.v1.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link EventSink} for tests that drive a {@link SubscriptionHub} directly: it records what it
 * is sent and how it was ended, and can be told to be not ready or to fail on delivery.
 * Thread-safe: the hub's dispatcher calls it, the test reads it.
 */
final class RecordingSink implements EventSink {

  private final List<Event> delivered = new CopyOnWriteArrayList<>();
  /** How the stream was ended, in order ("fell behind", "shutdown", "failed"). */
  private final List<String> ends = new CopyOnWriteArrayList<>();
  private final AtomicInteger deliveries = new AtomicInteger();
  private volatile boolean ready = true;
  private volatile boolean failing;

  /** A sink whose every delivery throws, as a broken stream would. */
  static RecordingSink failing() {
    RecordingSink sink = new RecordingSink();
    sink.failing = true;
    return sink;
  }

  void ready(boolean ready) {
    this.ready = ready;
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void deliver(EncodedEvent event) {
    deliveries.incrementAndGet();
    if (failing) {
      throw new IllegalStateException("this stream is broken");
    }
    try {
      delivered.add(Event.parseFrom(event.bytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void endFellBehind(long resumeSequence, long oldestSequence) {
    ends.add("fell behind");
  }

  @Override
  public void endShutdown() {
    ends.add("shutdown");
  }

  @Override
  public void endFailed() {
    ends.add("failed");
  }

  /** The events (not Progress bookmarks) delivered, by sequence. */
  List<Long> sequences() {
    return delivered.stream().filter(e -> !e.hasProgress()).map(Event::getSequence).toList();
  }

  /** Every delivery attempt, bookmarks and failed ones included. */
  int deliveries() {
    return deliveries.get();
  }

  List<String> ends() {
    return List.copyOf(ends);
  }
}
