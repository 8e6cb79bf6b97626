package dev.abstractions.server.events;

import dev.abstractions.api.v1.Event;

/**
 * An {@link Event} in its protobuf wire form, encoded once and sent as is to every subscriber that
 * receives it. Immutable: the bytes are shared, never changed.
 */
public final class EncodedEvent {

  private final byte[] bytes;

  private EncodedEvent(byte[] bytes) {
    this.bytes = bytes;
  }

  public static EncodedEvent of(Event event) {
    return new EncodedEvent(event.toByteArray());
  }

  /** An event already encoded (e.g. spliced from stored entity bytes); the array is taken, not copied. */
  static EncodedEvent ofBytes(byte[] bytes) {
    return new EncodedEvent(bytes);
  }

  /** The encoded {@code Event}, shared: callers must not change it. */
  public byte[] bytes() {
    return bytes;
  }
}
