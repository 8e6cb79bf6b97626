package dev.abstractions.server.operate;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A bare HTTP/2 client connection (RFC 9113, prior knowledge, plaintext) that writes frames by
 * hand. gRPC clients will not ping more often than every 10 seconds, nor reset streams without
 * cause, so testing the server's ping and reset policies needs a client that sends exactly the
 * frames we choose. Answers the server's SETTINGS and PINGs as a well-behaved peer would. Not
 * thread-safe.
 */
final class RawHttp2Connection implements AutoCloseable {

  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int HEADERS = 0x1;
  static final int DATA = 0x0;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  /** HTTP/2 error code the server uses to refuse an abusive peer. */
  static final int ENHANCE_YOUR_CALM = 0xb;
  /** HTTP/2 error code a client resets a stream with when it no longer wants the answer. */
  static final int CANCEL = 0x8;

  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One frame as read from the server. */
  record Frame(int type, int flags, int streamId, byte[] payload) {

    boolean isAck() {
      return (flags & FLAG_ACK) != 0;
    }

    long pingData() {
      return ByteBuffer.wrap(payload).getLong();
    }

    /** GOAWAY's error code. */
    int errorCode() {
      return ByteBuffer.wrap(payload, 4, 4).getInt();
    }

    /** GOAWAY's debug data as text. */
    String debugData() {
      return new String(payload, 8, payload.length - 8, StandardCharsets.US_ASCII);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawHttp2Connection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    out.write(PREFACE);
    writeFrame(SETTINGS, 0, 0, new byte[0]);
  }

  void ping(long data) throws IOException {
    writeFrame(PING, 0, 0, ByteBuffer.allocate(8).putLong(data).array());
  }

  /** Opens a gRPC call on {@code streamId} (odd, increasing) without sending a message yet. */
  void startCall(int streamId, String path) throws IOException {
    writeFrame(HEADERS, FLAG_END_HEADERS, streamId, requestHeaders(path));
  }

  /** Resets stream {@code streamId}, as a client does when it cancels a call. */
  void resetStream(int streamId, int errorCode) throws IOException {
    writeFrame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
  }

  /**
   * Opens a server-streaming gRPC call on {@code streamId} (odd, increasing) and sends its one
   * request message, ending its half of the stream (the server starts the call then); the
   * server's half stays open for its responses.
   */
  void startServerStreamingCall(int streamId, String path, byte[] request) throws IOException {
    startCall(streamId, path);
    ByteBuffer message = ByteBuffer.allocate(5 + request.length).put((byte) 0).putInt(request.length).put(request);
    writeFrame(DATA, FLAG_END_STREAM, streamId, message.array());
  }

  /**
   * The next frame of {@code type} (and ACK flag as given, for SETTINGS and PING) within
   * {@code timeout}, answering the server's own SETTINGS and PINGs on the way; null if the server
   * closed the connection first. Throws {@link SocketTimeoutException} when nothing matching came.
   */
  Frame next(int type, boolean ack, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("no frame of type " + type + " within " + timeout);
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      Frame frame;
      try {
        frame = read();
      } catch (EOFException closed) {
        return null;
      }
      boolean flagged = frame.type() == SETTINGS || frame.type() == PING;
      if (frame.type() == type && (!flagged || frame.isAck() == ack)) {
        return frame;
      }
      if (frame.type() == SETTINGS && !frame.isAck()) {
        writeFrame(SETTINGS, FLAG_ACK, 0, new byte[0]);
      } else if (frame.type() == PING && !frame.isAck()) {
        writeFrame(PING, FLAG_ACK, 0, frame.payload());
      }
    }
  }

  /** True once the server has closed the connection (reads end), within {@code timeout}. */
  boolean closedWithin(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      while (true) {
        read();
      }
    } catch (EOFException closed) {
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true; // a reset also ends the connection
    }
  }

  private Frame read() throws IOException {
    int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int streamId = in.readInt() & 0x7fffffff;
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(type, flags, streamId, payload);
  }

  private void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(9 + payload.length)
        .put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length)
        .put((byte) type).put((byte) flags).putInt(streamId).put(payload);
    out.write(frame.array());
    out.flush();
  }

  private static byte[] requestHeaders(String path) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    header(block, ":method", "POST");
    header(block, ":scheme", "http");
    header(block, ":path", path);
    header(block, ":authority", "127.0.0.1");
    header(block, "content-type", "application/grpc");
    header(block, "te", "trailers");
    return block.toByteArray();
  }

  /** An HPACK literal header field without indexing, new name, no Huffman (RFC 7541 6.2.2). */
  private static void header(ByteArrayOutputStream block, String name, String value) {
    block.write(0x00);
    string(block, name);
    string(block, value);
  }

  private static void string(ByteArrayOutputStream block, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length >= 127) {
      throw new IllegalArgumentException("header strings here are short: " + text);
    }
    block.write(bytes.length);
    block.writeBytes(bytes);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
