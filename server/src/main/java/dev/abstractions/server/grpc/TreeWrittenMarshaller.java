package dev.abstractions.server.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.WriteTreeResponse;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.Reply;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link WriteTreeResponse} from the tree version and the bytes each written version was
 * stored as, spliced in, as {@link EntityVersionMarshaller} does for one entity: a tree write of
 * ten members answers without parsing and re-encoding ten messages. The bytes are exactly those of
 * the protobuf marshaller. Stateless.
 */
final class TreeWrittenMarshaller implements MethodDescriptor.Marshaller<Reply.TreeWritten> {

  static final TreeWrittenMarshaller INSTANCE = new TreeWrittenMarshaller();

  private TreeWrittenMarshaller() {}

  @Override
  public InputStream stream(Reply.TreeWritten written) {
    int size = written.treeVersion() == 0 ? 0 : CodedOutputStream.computeInt64Size(
        WriteTreeResponse.TREE_VERSION_FIELD_NUMBER, written.treeVersion());
    for (EntityVersion version : written.written()) {
      size += CodedOutputStream.computeTagSize(WriteTreeResponse.WRITTEN_FIELD_NUMBER)
          + CodedOutputStream.computeUInt32SizeNoTag(version.encodedSize()) + version.encodedSize();
    }
    byte[] out = new byte[size];
    CodedOutputStream writer = CodedOutputStream.newInstance(out);
    try {
      if (written.treeVersion() != 0) {
        writer.writeInt64(WriteTreeResponse.TREE_VERSION_FIELD_NUMBER, written.treeVersion());
      }
      for (EntityVersion version : written.written()) {
        writer.writeTag(WriteTreeResponse.WRITTEN_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        writer.writeUInt32NoTag(version.encodedSize());
        writer.writeRawBytes(version.encoded());
      }
      writer.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("a tree write's answer does not fit its computed size", e);
    }
    return new EncodedBytesStream(out);
  }

  /** The server only sends these; a parsed one is rebuilt from the message. */
  @Override
  public Reply.TreeWritten parse(InputStream stream) {
    try {
      WriteTreeResponse response = WriteTreeResponse.parseFrom(stream);
      List<EntityVersion> written = new ArrayList<>(response.getWrittenCount());
      for (Entity entity : response.getWrittenList()) {
        written.add(EntityVersion.decode(entity.toByteArray()));
      }
      return new Reply.TreeWritten(response.getTreeVersion(), written);
    } catch (InvalidProtocolBufferException e) {
      throw Status.INTERNAL.withDescription("not a WriteTreeResponse").withCause(e).asRuntimeException();
    } catch (IOException e) {
      throw Status.INTERNAL.withDescription("could not read a WriteTreeResponse").withCause(e).asRuntimeException();
    }
  }
}
