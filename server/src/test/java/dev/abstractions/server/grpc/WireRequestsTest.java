package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.CreateMember;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.server.TestServer;
import dev.abstractions.server.grpc.wire.CommitOperationWire;
import dev.abstractions.server.grpc.wire.CreateEntityWire;
import dev.abstractions.server.grpc.wire.CreateMemberWire;
import dev.abstractions.server.grpc.wire.TreeChangeWire;
import dev.abstractions.server.grpc.wire.UpdateEntityWire;
import dev.abstractions.server.grpc.wire.UpdateMemberWire;
import dev.abstractions.server.grpc.wire.WriteTreeWire;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server reads requests that carry entity data as the messages of {@code wire.proto}, data as
 * bytes: each must read every field its API message has, and the answers must be those of the
 * parsed messages.
 */
class WireRequestsTest {

  /** Each wire message and the API message it reads. */
  private static final Map<Descriptor, Descriptor> READS = Map.of(
      CreateEntityWire.getDescriptor(), CreateEntityRequest.getDescriptor(),
      UpdateEntityWire.getDescriptor(), UpdateEntityRequest.getDescriptor(),
      WriteTreeWire.getDescriptor(), WriteTreeRequest.getDescriptor(),
      TreeChangeWire.getDescriptor(), TreeChange.getDescriptor(),
      CreateMemberWire.getDescriptor(), CreateMember.getDescriptor(),
      UpdateMemberWire.getDescriptor(), UpdateMember.getDescriptor(),
      CommitOperationWire.getDescriptor(), CommitOperationRequest.getDescriptor());

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void eachWireMessageHasItsApiMessagesFieldsWithDataAsBytes() {
    READS.forEach((wire, api) -> {
      assertThat(wire.getFields()).as(wire.getName()).hasSameSizeAs(api.getFields());
      for (FieldDescriptor field : api.getFields()) {
        FieldDescriptor read = wire.findFieldByNumber(field.getNumber());
        assertThat(read).as(api.getName() + "." + field.getName()).isNotNull();
        assertThat(read.getName()).isEqualTo(field.getName());
        assertThat(read.getRealContainingOneof() == null ? "" : read.getRealContainingOneof().getName())
            .as(api.getName() + "." + field.getName())
            .isEqualTo(field.getRealContainingOneof() == null ? "" : field.getRealContainingOneof().getName());
        if (field.getType() == FieldDescriptor.Type.MESSAGE && field.getMessageType().equals(Struct.getDescriptor())) {
          assertThat(read.getType()).as(api.getName() + "." + field.getName()).isEqualTo(FieldDescriptor.Type.BYTES);
          assertThat(read.isRepeated()).as("every occurrence kept").isTrue();
        } else if (field.getType() == FieldDescriptor.Type.MESSAGE) {
          Descriptor type = read.getMessageType();
          assertThat(READS.getOrDefault(type, type)).as(api.getName() + "." + field.getName())
              .isEqualTo(field.getMessageType());
          assertThat(read.isRepeated()).isEqualTo(field.isRepeated());
        } else {
          assertThat(read.getType()).as(api.getName() + "." + field.getName()).isEqualTo(field.getType());
          assertThat(read.isRepeated()).isEqualTo(field.isRepeated());
        }
      }
    });
  }

  @Test
  void dataSentInTwoPiecesIsStoredAsProtobufMergesIt() {
    Struct first = Struct.newBuilder().putFields("a", number(1)).putFields("b", number(2)).build();
    Struct second = Struct.newBuilder().putFields("b", number(3)).build();
    ByteString request = CreateEntityRequest.newBuilder().setEntityType("Split").setData(first).build().toByteString()
        .concat(CreateEntityRequest.newBuilder().setData(second).build().toByteString());

    Entity created = parse(RawCalls.unary(server.channel(), EntityServiceGrpc.getCreateMethod(), request.toByteArray()));

    Struct merged = Struct.newBuilder().putFields("a", number(1)).putFields("b", number(3)).build();
    assertThat(created.getData()).isEqualTo(merged);
    assertThat(stub().get(GetEntityRequest.newBuilder().setLineageId(created.getLineageId()).build()).getData())
        .isEqualTo(merged);
  }

  @Test
  void invalidUtf8InsideDataIsAViolationOfDataAndChangesNothing() {
    Entity created = stub().create(CreateEntityRequest.newBuilder().setEntityType("Utf8")
        .setData(Struct.newBuilder().putFields("name", Value.newBuilder().setStringValue("Ada").build())).build());
    // A Struct {"name": <0xC3 0x28>}: a two-byte sequence cut short, which protobuf will not write.
    byte[] badName = {0x0a, 0x0c, 0x0a, 0x04, 'n', 'a', 'm', 'e', 0x12, 0x04, 0x1a, 0x02, (byte) 0xC3, 0x28};
    byte[] update = UpdateEntityWire.newBuilder().setLineageId(created.getLineageId()).setExpectedVersion(1)
        .addData(ByteString.copyFrom(badName)).build().toByteArray();

    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
        () -> RawCalls.unary(server.channel(), EntityServiceGrpc.getUpdateMethod(), update));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(StatusProto.fromThrowable(refused).getDetailsList())
        .filteredOn(detail -> detail.is(BadRequest.class))
        .extracting(detail -> detail.unpack(BadRequest.class).getFieldViolationsList())
        .containsExactly(List.of(BadRequest.FieldViolation.newBuilder().setField("data")
            .setDescription("is not a google.protobuf.Struct: Protocol message had invalid UTF-8.").build()));
    assertThat(stub().get(GetEntityRequest.newBuilder().setLineageId(created.getLineageId()).build()))
        .isEqualTo(created);
  }

  /**
   * A request_id's fingerprint is of the API message in protobuf's deterministic encoding (map
   * entries in key order), so a replay whose library wrote the fields in another order is the same
   * request.
   */
  @Test
  void aReplayWithTheDataFieldsInAnotherOrderIsTheSameRequest() {
    Entity created = stub().create(CreateEntityRequest.newBuilder().setEntityType("Replay").build());
    Struct ab = Struct.newBuilder().putFields("a", number(1)).putFields("b", number(2)).build();
    Struct ba = Struct.newBuilder().putFields("b", number(2)).putFields("a", number(1)).build();
    assertThat(ab.toByteString()).isNotEqualTo(ba.toByteString());

    Entity first = stub().update(update(created, ab, "replay-1"));
    Entity replayed = stub().update(update(created, ba, "replay-1"));
    StatusRuntimeException different = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().update(update(created, Struct.newBuilder().putFields("a", number(9)).build(), "replay-1")));

    assertThat(first.getVersion()).isEqualTo(2);
    assertThat(replayed).isEqualTo(first);
    assertThat(different.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(stub().get(GetEntityRequest.newBuilder().setLineageId(created.getLineageId()).build()))
        .isEqualTo(first);
  }

  private static UpdateEntityRequest update(Entity entity, Struct data, String requestId) {
    return UpdateEntityRequest.newBuilder().setLineageId(entity.getLineageId()).setExpectedVersion(entity.getVersion())
        .setData(data).setRequestId(requestId).build();
  }

  private EntityServiceGrpc.EntityServiceBlockingStub stub() {
    return EntityServiceGrpc.newBlockingStub(server.channel());
  }

  private static Entity parse(byte[] bytes) {
    try {
      return Entity.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static Value number(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }
}
