package dev.abstractions.server.grpc;

import dev.abstractions.api.v1.Event;
import dev.abstractions.server.events.EncodedEvent;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;

/**
 * Writes an already encoded {@link Event} to the wire as it is, so an event is serialized once
 * however many subscribers receive it. The bytes are exactly those of the protobuf marshaller.
 * Stateless.
 */
final class EncodedEventMarshaller implements MethodDescriptor.Marshaller<EncodedEvent> {

  static final EncodedEventMarshaller INSTANCE = new EncodedEventMarshaller();

  private EncodedEventMarshaller() {}

  @Override
  public InputStream stream(EncodedEvent event) {
    return new EncodedBytesStream(event.bytes());
  }

  /** The server only sends events; a parsed one is checked to be an {@code Event}. */
  @Override
  public EncodedEvent parse(InputStream stream) {
    try {
      return EncodedEvent.of(Event.parseFrom(stream));
    } catch (IOException e) {
      throw Status.INTERNAL.withDescription("not an Event").withCause(e).asRuntimeException();
    }
  }
}
