package dev.abstractions.server.grpc;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.server.core.EntityVersion;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;

/**
 * Writes an {@link Entity} response from the bytes its {@link EntityVersion} was stored as, so a
 * read or a write answers without building or serializing a message. The bytes are exactly those
 * of the protobuf marshaller. Stateless.
 */
final class EntityVersionMarshaller implements MethodDescriptor.Marshaller<EntityVersion> {

  static final EntityVersionMarshaller INSTANCE = new EntityVersionMarshaller();

  private EntityVersionMarshaller() {}

  /** {@code method} with this marshaller for its responses; name, schema and wire bytes unchanged. */
  static <Q> MethodDescriptor<Q, EntityVersion> answering(MethodDescriptor<Q, Entity> method) {
    return method.toBuilder(method.getRequestMarshaller(), INSTANCE).build();
  }

  @Override
  public InputStream stream(EntityVersion version) {
    return new EncodedBytesStream(version.encoded());
  }

  /** The server only sends entities; a parsed one is checked to be an {@code Entity}. */
  @Override
  public EntityVersion parse(InputStream stream) {
    try {
      return EntityVersion.decode(stream.readAllBytes());
    } catch (IOException | IllegalStateException e) {
      throw Status.INTERNAL.withDescription("not an Entity").withCause(e).asRuntimeException();
    }
  }
}
