package dev.abstractions.server.grpc;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Bytes already in protobuf wire form, as a response marshaller hands them to the transport:
 * known length (the frame is sized up front) and drainable (copied into the transport's buffer in
 * one write), like protobuf's own stream, but without serializing anything. The bytes are shared,
 * never copied or changed; one stream is read once, by one thread.
 */
final class EncodedBytesStream extends InputStream implements Drainable, KnownLength {

  private final byte[] bytes;
  private int position;

  EncodedBytesStream(byte[] bytes) {
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
  public int drainTo(OutputStream target) throws java.io.IOException {
    int n = bytes.length - position;
    target.write(bytes, position, n);
    position = bytes.length;
    return n;
  }
}
