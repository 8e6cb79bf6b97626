package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetOperationRequest;
import dev.abstractions.api.v1.ListOperationsRequest;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad OperationService request gets its exact status, reason and field violations,
 * and changes nothing: the target keeps its version and no operation is begun.
 */
class OperationBadInputTest {

  private static final String UNKNOWN = "00000000-0000-4000-8000-000000000000";
  private static TestServer server;
  private static EntityServiceGrpc.EntityServiceBlockingStub entities;
  private static OperationServiceGrpc.OperationServiceBlockingStub operations;
  private static Entity target;
  private static String liveOp;
  private static String finishedOp;
  private static String deepestOp;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--max-entity-bytes", "1024");
    entities = EntityServiceGrpc.newBlockingStub(server.channel());
    operations = OperationServiceGrpc.newBlockingStub(server.channel());
    Entity other = entities.create(CreateEntityRequest.newBuilder().setEntityType("Other").build());
    liveOp = begin(other.getLineageId(), "").getOperation().getOpId();
    finishedOp = begin(other.getLineageId(), "").getOperation().getOpId();
    operations.abort(AbortOperationRequest.newBuilder().setOpId(finishedOp).build());
    String parent = "";
    for (int depth = 1; depth <= 8; depth++) {
      parent = begin(other.getLineageId(), parent).getOperation().getOpId();
    }
    deepestOp = parent;
    target = entities.create(CreateEntityRequest.newBuilder().setEntityType("Target")
        .setData(Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(1).build())).build());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Stream<Arguments> cases() {
    String t = target.getLineageId();
    List<BadCall<OperationServiceGrpc.OperationServiceBlockingStub>> cases = new ArrayList<>();
    cases.add(BadCall.invalid("begin with priority 0", s -> s.begin(beginOn(t).setPriority(0).build()), "priority"));
    cases.add(BadCall.invalid("begin with priority 11", s -> s.begin(beginOn(t).setPriority(11).build()), "priority"));
    cases.add(BadCall.invalid("begin LOW with priority 9",
        s -> s.begin(beginOn(t).setPriorityClass(PriorityClass.LOW).setPriority(9).build()), "priority"));
    cases.add(BadCall.invalid("begin STRUCTURAL with priority 7",
        s -> s.begin(beginOn(t).setPriorityClass(PriorityClass.STRUCTURAL).setPriority(7).build()), "priority"));
    cases.add(BadCall.invalid("begin with an unknown class", s -> s.begin(beginOn(t).setPriorityClassValue(42).build()),
        "priority_class"));
    cases.add(BadCall.invalid("begin with max_retries 101", s -> s.begin(beginOn(t).setMaxRetries(101).build()), "max_retries"));
    cases.add(BadCall.invalid("begin with a negative ttl",
        s -> s.begin(beginOn(t).setTtl(Duration.newBuilder().setSeconds(-1)).build()), "ttl"));
    cases.add(BadCall.invalid("begin with a two-hour ttl",
        s -> s.begin(beginOn(t).setTtl(Duration.newBuilder().setSeconds(7200)).build()), "ttl"));
    cases.add(BadCall.invalid("begin with a 65-character op type", s -> s.begin(beginOn(t).setOpType("x".repeat(65)).build()),
        "op_type"));
    cases.add(BadCall.invalid("begin with a malformed target", s -> s.begin(beginOn("target").build()), "target_lineage_id"));
    cases.add(BadCall.invalid("begin with a malformed parent", s -> s.begin(beginOn(t).setParentOpId("parent").build()),
        "parent_op_id"));
    cases.add(new BadCall<>("begin with an unknown parent", s -> s.begin(beginOn(t).setParentOpId(UNKNOWN).build()),
        Status.Code.NOT_FOUND, "OPERATION_NOT_FOUND", Map.of("op_id", UNKNOWN, "field", "parent_op_id"), List.of()));
    cases.add(BadCall.invalid("begin under a parent chain already 8 deep",
        s -> s.begin(beginOn(t).setParentOpId(deepestOp).build()), "parent_op_id"));
    cases.add(new BadCall<>("begin on an unknown target", s -> s.begin(beginOn(UNKNOWN).build()),
        Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    cases.add(BadCall.invalid("commit without an op id", s -> s.commit(CommitOperationRequest.getDefaultInstance()), "op_id"));
    cases.add(BadCall.invalid("commit oversized data", s -> s.commit(CommitOperationRequest.newBuilder().setOpId(liveOp)
        .setData(Struct.newBuilder().putFields("x", Value.newBuilder().setStringValue("y".repeat(2000)).build()))
        .build()), "data"));
    cases.add(new BadCall<>("commit of an unknown op", s -> s.commit(CommitOperationRequest.newBuilder().setOpId(UNKNOWN).build()),
        Status.Code.NOT_FOUND, "OPERATION_NOT_FOUND", Map.of("op_id", UNKNOWN), List.of()));
    cases.add(new BadCall<>("commit after the op was cancelled",
        s -> s.commit(CommitOperationRequest.newBuilder().setOpId(finishedOp).build()),
        Status.Code.FAILED_PRECONDITION, "OPERATION_FINISHED", Map.of("op_id", finishedOp, "status", "CANCELLED"),
        List.of()));
    cases.add(new BadCall<>("abort after the op was cancelled",
        s -> s.abort(AbortOperationRequest.newBuilder().setOpId(finishedOp).build()),
        Status.Code.FAILED_PRECONDITION, "OPERATION_FINISHED", Map.of("op_id", finishedOp, "status", "CANCELLED"),
        List.of()));
    cases.add(BadCall.invalid("get with a malformed op id", s -> s.get(GetOperationRequest.newBuilder().setOpId("42").build()),
        "op_id"));
    cases.add(BadCall.invalid("list with an unknown status",
        s -> s.list(ListOperationsRequest.newBuilder().setTargetLineageId(t).addStatusesValue(77).build()),
        "statuses[0]"));
    cases.add(BadCall.invalid("list with a foreign page token",
        s -> s.list(ListOperationsRequest.newBuilder().setTargetLineageId(t).setPageToken(PageTokens.forHistory(3)).build()),
        "page_token"));
    cases.add(BadCall.invalid("execute an unknown function",
        s -> s.execute(ExecuteRequest.newBuilder().setTargetLineageId(t).setFunction("explode").build()), "function"));
    cases.add(BadCall.invalid("execute increment with a text amount", s -> s.execute(ExecuteRequest.newBuilder()
        .setTargetLineageId(t).setFunction("increment")
        .setArgs(Struct.newBuilder().putFields("path", str("n")).putFields("by", str("one"))).build()), "args.by"));
    cases.add(BadCall.invalid("execute with priority 11", s -> s.execute(ExecuteRequest.newBuilder()
        .setTargetLineageId(t).setFunction("increment").setPriority(11)
        .setArgs(Struct.newBuilder().putFields("path", str("n"))).build()), "priority"));
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badRequestGetsItsExactStatusAndChangesNothing(BadCall<OperationServiceGrpc.OperationServiceBlockingStub> bad)
      throws InvalidProtocolBufferException {
    bad.assertRefusedBy(operations);

    assertThat(entities.get(GetEntityRequest.newBuilder().setLineageId(target.getLineageId()).build()))
        .isEqualTo(target);
    assertThat(operations.list(ListOperationsRequest.newBuilder().setTargetLineageId(target.getLineageId()).build())
        .getOperationsList()).extracting(OperationEntity::getOpId).isEmpty();
  }

  private static BeginOperationResponse begin(String on, String parent) {
    return operations.begin(beginOn(on).setParentOpId(parent).build());
  }

  private static BeginOperationRequest.Builder beginOn(String on) {
    return BeginOperationRequest.newBuilder().setTargetLineageId(on);
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
