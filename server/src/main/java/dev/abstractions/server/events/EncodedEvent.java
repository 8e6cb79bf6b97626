package dev.abstractions.server.events;

import dev.abstractions.api.v1.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

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

  /**
   * The encoded bytes, to read once by one thread; the stream shares them rather than copying, and
   * {@link InputStream#transferTo} writes them in one call.
   */
  public InputStream newInputStream() {
    return new Reader(bytes);
  }

  /**
   * {@code ByteArrayInputStream} without its locks: every one of its methods is synchronized, and
   * the transport calls several per message, once per subscriber, on the dispatcher thread.
   */
  private static final class Reader extends InputStream {

    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, target.length);
      if (length == 0) {
        return 0;
      }
      int n = Math.min(length, bytes.length - position);
      if (n <= 0) {
        return -1;
      }
      System.arraycopy(bytes, position, target, offset, n);
      position += n;
      return n;
    }

    @Override
    public int available() {
      return bytes.length - position;
    }

    @Override
    public long transferTo(OutputStream target) throws IOException {
      int n = bytes.length - position;
      target.write(bytes, position, n);
      position = bytes.length;
      return n;
    }
  }
}
