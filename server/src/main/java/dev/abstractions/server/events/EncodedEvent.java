package dev.abstractions.server.events;

import dev.abstractions.api.v1.Event;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * An {@link Event} in its protobuf wire form, encoded once and sent as is to every subscriber that
 * receives it. Immutable.
 */
public final class EncodedEvent {

  private final byte[] bytes;

  private EncodedEvent(byte[] bytes) {
    this.bytes = bytes;
  }

  public static EncodedEvent of(Event event) {
    return new EncodedEvent(event.toByteArray());
  }

  /** The encoded bytes, to read once; the stream shares them rather than copying. */
  public InputStream newInputStream() {
    return new ByteArrayInputStream(bytes);
  }

  public int size() {
    return bytes.length;
  }
}
