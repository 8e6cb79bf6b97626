package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.WriteTreeResponse;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.Provenance;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.StructBytes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tree write's answer, spliced from stored bytes, is byte for byte what protobuf writes. */
class TreeWrittenMarshallerTest {

  @Test
  void theSplicedAnswerIsProtobufsEncodingAndParsesBack() throws Exception {
    EntityVersion root = EntityVersion.first("00000000-0000-4000-8000-000000000001",
        "00000000-0000-4000-8000-000000000001", "", "00000000-0000-4000-8000-0000000000e1", "Order",
        StructBytes.of(Struct.newBuilder().putFields("total", Value.newBuilder().setNumberValue(3).build()).build()),
        Provenance.NONE, 1, 1_000);
    EntityVersion member = EntityVersion.first("00000000-0000-4000-8000-000000000002", root.lineageId(),
        root.lineageId(), "00000000-0000-4000-8000-0000000000e2", "Line", StructBytes.of(Struct.getDefaultInstance()),
        Provenance.NONE, 300, 2_000);
    Reply.TreeWritten written = new Reply.TreeWritten(300, List.of(root, member));

    byte[] spliced = TreeWrittenMarshaller.INSTANCE.stream(written).readAllBytes();

    WriteTreeResponse expected = WriteTreeResponse.newBuilder().setTreeVersion(300)
        .addWritten(root.entity()).addWritten(member.entity()).build();
    assertThat(spliced).isEqualTo(expected.toByteArray());
    Reply.TreeWritten parsed = TreeWrittenMarshaller.INSTANCE.parse(new java.io.ByteArrayInputStream(spliced));
    assertThat(parsed.treeVersion()).isEqualTo(300);
    assertThat(parsed.written()).extracting(EntityVersion::encoded)
        .containsExactly(root.encoded(), member.encoded());
  }
}
