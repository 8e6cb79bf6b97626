package dev.abstractions.bench.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The baselines: a gRPC service that does nothing but move bytes, to measure the transport's cost
 * on this machine. {@code bench.Bare/Echo} answers a unary call with its request;
 * {@code bench.Bare/Stream} sends {@link #PAYLOAD_BYTES}-byte messages for as long as the stream
 * is ready (the transport's flow control), each stamped with its send time (epoch nanoseconds in
 * its first 8 bytes) so the receiver can compute delivery latency. No .proto file: the messages are
 * {@link BytesValue}s and the methods are described here, once, for both sides.
 */
public final class BareService {

  public static final String SERVICE = "bench.Bare";
  /** Size of the baselines' payload. */
  public static final int PAYLOAD_BYTES = 200;

  public static final MethodDescriptor<BytesValue, BytesValue> ECHO = method("Echo", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<BytesValue, BytesValue> STREAM =
      method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);

  private BareService() {}

  private static MethodDescriptor<BytesValue, BytesValue> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<BytesValue, BytesValue>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(ProtoUtils.marshaller(BytesValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(BytesValue.getDefaultInstance()))
        .build();
  }

  /** A {@link #PAYLOAD_BYTES}-byte request. */
  public static BytesValue payload() {
    byte[] bytes = new byte[PAYLOAD_BYTES];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    return BytesValue.of(ByteString.copyFrom(bytes));
  }

  /** A payload whose first 8 bytes are {@code epochNanos}. */
  public static BytesValue stamped(long epochNanos) {
    byte[] bytes = new byte[PAYLOAD_BYTES];
    ByteBuffer.wrap(bytes).putLong(epochNanos);
    return BytesValue.of(UnsafeByteOperations.unsafeWrap(bytes));
  }

  /** The stamp {@link #stamped} wrote. */
  public static long stamp(BytesValue message) {
    return message.getValue().substring(0, Long.BYTES).asReadOnlyByteBuffer().getLong();
  }

  public static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** The server side of both methods; handlers never block (they run on the transport threads). */
  public static ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(ECHO, ServerCalls.asyncUnaryCall(BareService::echo))
        .addMethod(STREAM, ServerCalls.asyncServerStreamingCall(BareService::stream))
        .build();
  }

  private static void echo(BytesValue request, StreamObserver<BytesValue> response) {
    response.onNext(request);
    response.onCompleted();
  }

  private static void stream(BytesValue request, StreamObserver<BytesValue> response) {
    ServerCallStreamObserver<BytesValue> stream = (ServerCallStreamObserver<BytesValue>) response;
    Runnable drain = () -> {
      while (stream.isReady() && !stream.isCancelled()) {
        stream.onNext(stamped(epochNanos()));
      }
    };
    stream.setOnCancelHandler(() -> {});
    stream.setOnReadyHandler(drain);
    drain.run();
  }
}
