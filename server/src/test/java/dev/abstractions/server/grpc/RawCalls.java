package dev.abstractions.server.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Calls a server method with bytes we choose instead of a message a stub would encode, so a test
 * can send what no well-behaved client sends: invalid UTF-8, truncated fields, nesting past
 * protobuf's limits. Answers come back as raw bytes too.
 */
public final class RawCalls {

  /** Bytes as they are, both ways: for a method whose requests or answers a test reads raw. */
  public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private RawCalls() {}

  /** The same method as {@code method}, with bytes for its request and response. */
  static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
    return MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
        .setType(method.getType())
        .setFullMethodName(method.getFullMethodName())
        .build();
  }

  /** One unary call with {@code request} as its message, within five seconds. */
  static byte[] unary(Channel channel, MethodDescriptor<?, ?> method, byte[] request) {
    return ClientCalls.blockingUnaryCall(
        channel, raw(method), CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request);
  }

  /** The first response of a server-streaming call with {@code request} as its message. */
  static byte[] firstOfStream(Channel channel, MethodDescriptor<?, ?> method, byte[] request) {
    Iterator<byte[]> responses = ClientCalls.blockingServerStreamingCall(
        channel, raw(method), CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request);
    return responses.next();
  }
}
