package dev.abstractions.server.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The calls whose requests carry entity data, read as the messages of {@code wire.proto}: data as
 * the bytes of its Struct, checked and stored as they are. Stateless.
 */
final class WireRequests {

  private WireRequests() {}

  /**
   * {@code method} reading its requests as {@code wire}'s type and writing its responses with
   * {@code responses}; name, schema (what reflection describes) and wire bytes unchanged.
   */
  static <W extends Message, R> MethodDescriptor<W, R> reading(MethodDescriptor<?, ?> method, W wire,
      MethodDescriptor.Marshaller<R> responses) {
    return method.toBuilder(ProtoUtils.marshaller(wire), responses).build();
  }

  /**
   * The API message a request read as {@code wire} was sent as, parsed from the same bytes: what
   * its request_id's fingerprint is of, on every member and for every client library.
   */
  static <M extends Message> M asSent(Message wire, Parser<M> api) {
    try {
      return api.parseFrom(wire.toByteString());
    } catch (InvalidProtocolBufferException e) {
      // Its data passed DataRules, which only lets in what protobuf parses as a Struct.
      throw new IllegalStateException("a checked request does not parse as its API message", e);
    }
  }
}
