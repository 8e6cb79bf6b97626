package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.AttachTreeRequest;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.CreateMember;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.DeleteMember;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.PromoteTreeMemberRequest;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
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
 * Every kind of bad request gets its exact status, ErrorInfo reason, metadata and field
 * violations, and changes nothing.
 */
class BadInputTest {

  private static final String UNKNOWN = "00000000-0000-4000-8000-000000000000";
  private static TestServer server;
  private static EntityServiceGrpc.EntityServiceBlockingStub stub;
  private static Entity seed;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--max-entity-bytes", "1024", "--max-message-bytes", "4096");
    stub = EntityServiceGrpc.newBlockingStub(server.channel());
    seed = stub.create(CreateEntityRequest.newBuilder().setEntityType("Seed").setData(data("n", num(1))).build());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Stream<Arguments> cases() {
    String seedId = seed.getLineageId();
    List<BadCall<EntityServiceGrpc.EntityServiceBlockingStub>> cases = new ArrayList<>();
    // Create
    cases.add(BadCall.invalid("create without a type", s -> s.create(create("", "", Struct.getDefaultInstance())), "entity_type"));
    cases.add(BadCall.invalid("create with a type starting with a digit", s -> s.create(create("", "9Student", Struct.getDefaultInstance())), "entity_type"));
    cases.add(BadCall.invalid("create with a 129-character type", s -> s.create(create("", "S".repeat(129), Struct.getDefaultInstance())), "entity_type"));
    cases.add(BadCall.invalid("create with a malformed lineage id", s -> s.create(create("not-a-uuid", "Student", Struct.getDefaultInstance())), "lineage_id"));
    cases.add(BadCall.invalid("create with short UUID groups", s -> s.create(create("1-1-1-1-1", "Student", Struct.getDefaultInstance())), "lineage_id"));
    cases.add(BadCall.invalid("create with oversized data", s -> s.create(create("", "Student", data("blob", str("x".repeat(2000))))), "data"));
    cases.add(BadCall.invalid("create with a NaN number", s -> s.create(create("", "Student", data("gpa", num(Double.NaN)))), "data.gpa"));
    cases.add(BadCall.invalid("create with an infinite number in a list", s -> s.create(create("", "Student",
        data("xs", Value.newBuilder().setListValue(ListValue.newBuilder().addValues(num(1)).addValues(num(Double.POSITIVE_INFINITY))).build()))),
        "data.xs[1]"));
    cases.add(BadCall.invalid("create with an unset value", s -> s.create(create("", "Student", data("name", Value.getDefaultInstance()))), "data.name"));
    cases.add(BadCall.invalid("create with data nested 25 deep", s -> s.create(create("", "Student", nested(25))), "data" + ".a".repeat(20)));
    cases.add(BadCall.invalid("create with two bad fields", s -> s.create(create("xyz", "", Struct.getDefaultInstance())), "lineage_id", "entity_type"));
    cases.add(new BadCall<>("create of an existing id", s -> s.create(create(seedId, "Student", Struct.getDefaultInstance())),
        Status.Code.ALREADY_EXISTS, "ENTITY_ALREADY_EXISTS", Map.of("lineage_id", seedId, "current_version", "1"), List.of()));
    cases.add(new BadCall<>("create larger than the message limit", s -> s.create(create("", "Student", data("blob", str("x".repeat(8000))))),
        Status.Code.RESOURCE_EXHAUSTED, "", Map.of(), List.of()));
    // Get
    cases.add(BadCall.invalid("get without an id", s -> s.get(GetEntityRequest.getDefaultInstance()), "lineage_id"));
    cases.add(BadCall.invalid("get with a malformed id", s -> s.get(get("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", 0)), "lineage_id"));
    cases.add(BadCall.invalid("get with a negative version", s -> s.get(get(seedId, -1)), "version"));
    cases.add(new BadCall<>("get of an unknown id", s -> s.get(get(UNKNOWN, 0)),
        Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    cases.add(new BadCall<>("get of a version never written", s -> s.get(get(seedId, 2)),
        Status.Code.NOT_FOUND, "VERSION_NOT_FOUND", Map.of("lineage_id", seedId, "current_version", "1"), List.of()));
    // Update
    cases.add(BadCall.invalid("update with expected version 0", s -> s.update(update(seedId, 0, Struct.getDefaultInstance())), "expected_version"));
    cases.add(BadCall.invalid("update with a negative expected version", s -> s.update(update(seedId, -5, Struct.getDefaultInstance())), "expected_version"));
    cases.add(BadCall.invalid("update with a malformed id", s -> s.update(update("seed", 1, Struct.getDefaultInstance())), "lineage_id"));
    cases.add(BadCall.invalid("update with oversized data", s -> s.update(update(seedId, 1, data("blob", str("x".repeat(2000))))), "data"));
    cases.add(new BadCall<>("update of an unknown id", s -> s.update(update(UNKNOWN, 1, Struct.getDefaultInstance())),
        Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    cases.add(new BadCall<>("update with a stale version", s -> s.update(update(seedId, 7, Struct.getDefaultInstance())),
        Status.Code.ABORTED, "VERSION_CONFLICT",
        Map.of("lineage_id", seedId, "current_version", "1", "current_ecs_id", seed.getEcsId()), List.of()));
    // Delete
    cases.add(BadCall.invalid("delete with expected version 0", s -> s.delete(delete(seedId, 0)), "expected_version"));
    cases.add(BadCall.invalid("delete with a malformed id", s -> s.delete(delete("", 1)), "lineage_id"));
    cases.add(new BadCall<>("delete of an unknown id", s -> s.delete(delete(UNKNOWN, 1)),
        Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    cases.add(new BadCall<>("delete with a stale version", s -> s.delete(delete(seedId, 2)),
        Status.Code.ABORTED, "VERSION_CONFLICT",
        Map.of("lineage_id", seedId, "current_version", "1", "current_ecs_id", seed.getEcsId()), List.of()));
    // List
    cases.add(BadCall.invalid("list without a type", s -> s.list(ListEntitiesRequest.getDefaultInstance()), "entity_type"));
    cases.add(BadCall.invalid("list with a negative page size", s -> s.list(list("Seed", -1, "")), "page_size"));
    cases.add(BadCall.invalid("list with a page size over 1000", s -> s.list(list("Seed", 1001, "")), "page_size"));
    cases.add(BadCall.invalid("list with a garbage token", s -> s.list(list("Seed", 10, "%%%not-base64")), "page_token"));
    cases.add(BadCall.invalid("list with a history token", s -> s.list(list("Seed", 10, PageTokens.forHistory(2))), "page_token"));
    // History
    cases.add(BadCall.invalid("history with a page size of 5000", s -> s.history(history(seedId, 5000, "")), "page_size"));
    cases.add(BadCall.invalid("history with a list token", s -> s.history(history(seedId, 10, PageTokens.forList(seedId))), "page_token"));
    cases.add(BadCall.invalid("history with a malformed id", s -> s.history(history("12345", 10, "")), "lineage_id"));
    cases.add(new BadCall<>("history of an unknown id", s -> s.history(history(UNKNOWN, 10, "")),
        Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    // WriteTree
    cases.add(BadCall.invalid("tree write without a root", s -> s.writeTree(writeTree("", 1, updateMember(seedId, 0))),
        "root_lineage_id"));
    cases.add(BadCall.invalid("tree write with expected tree version 0", s -> s.writeTree(writeTree(seedId, 0,
        updateMember(seedId, 0))), "expected_tree_version"));
    cases.add(BadCall.invalid("tree write without changes", s -> s.writeTree(writeTree(seedId, 1)), "changes"));
    cases.add(BadCall.invalid("tree write with an empty change", s -> s.writeTree(writeTree(seedId, 1,
        TreeChange.getDefaultInstance())), "changes[0]"));
    cases.add(BadCall.invalid("tree write creating under a malformed parent and with a bad type", s -> s.writeTree(
        writeTree(seedId, 1, TreeChange.newBuilder().setCreate(CreateMember.newBuilder().setParentLineageId("p")
            .setEntityType("9x")).build())), "changes[0].create.parent_lineage_id", "changes[0].create.entity_type"));
    cases.add(BadCall.invalid("tree write with a negative member version", s -> s.writeTree(writeTree(seedId, 1,
        updateMember(seedId, -1))), "changes[0].update.expected_version"));
    cases.add(BadCall.invalid("tree write with oversized member data", s -> s.writeTree(writeTree(seedId, 1,
        TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(seedId)
            .setData(data("blob", str("x".repeat(2000))))).build())), "changes[0].update.data"));
    cases.add(BadCall.invalid("tree write with a NaN in a member's list and a malformed member id", s -> s.writeTree(
        writeTree(seedId, 1, TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(seedId)
            .setData(data("scores", Value.newBuilder().setListValue(ListValue.newBuilder().addValues(num(1))
                .addValues(num(Double.NaN))).build()))).build(), updateMember("12345", 0))),
        "changes[0].update.data.scores[1]", "changes[1].update.lineage_id"));
    cases.add(BadCall.invalid("tree write deleting a member at a negative version", s -> s.writeTree(writeTree(seedId, 1,
        TreeChange.newBuilder().setDelete(DeleteMember.newBuilder().setLineageId(seedId).setExpectedVersion(-1))
            .build())), "changes[0].delete.expected_version"));
    cases.add(BadCall.invalid("tree write naming one member twice", s -> s.writeTree(writeTree(seedId, 1,
        updateMember(seedId, 0), TreeChange.newBuilder().setDelete(DeleteMember.newBuilder().setLineageId(seedId))
            .build())), "changes[1].delete.lineage_id"));
    cases.add(new BadCall<>("tree write on a stale tree version", s -> s.writeTree(writeTree(seedId, 5,
        updateMember(seedId, 0))), Status.Code.ABORTED, "TREE_VERSION_CONFLICT",
        Map.of("root_lineage_id", seedId, "current_tree_version", "1"), List.of()));
    cases.add(new BadCall<>("tree write of an unknown root", s -> s.writeTree(writeTree(UNKNOWN, 1,
        updateMember(UNKNOWN, 0))), Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    cases.add(new BadCall<>("tree write of an unknown member", s -> s.writeTree(writeTree(seedId, 1,
        updateMember(UNKNOWN, 0))), Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    cases.add(new BadCall<>("create under an unknown parent", s -> s.create(create("", "Student",
        Struct.getDefaultInstance()).toBuilder().setParentLineageId(UNKNOWN).build()),
        Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    cases.add(BadCall.invalid("create under a malformed parent", s -> s.create(create("", "Student",
        Struct.getDefaultInstance()).toBuilder().setParentLineageId("parent").build()), "parent_lineage_id"));
    // GetTree and TreeHistory
    cases.add(BadCall.invalid("tree read at a negative tree version", s -> s.getTree(GetTreeRequest.newBuilder()
        .setRootLineageId(seedId).setTreeVersion(-1).build()), "tree_version"));
    cases.add(BadCall.invalid("tree read with a list token", s -> s.getTree(GetTreeRequest.newBuilder()
        .setRootLineageId(seedId).setPageToken(PageTokens.forList(seedId)).build()), "page_token"));
    cases.add(new BadCall<>("tree read of an unknown root", s -> s.getTree(GetTreeRequest.newBuilder()
        .setRootLineageId(UNKNOWN).build()), Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN),
        List.of()));
    cases.add(new BadCall<>("tree read at a tree version never reached", s -> s.getTree(GetTreeRequest.newBuilder()
        .setRootLineageId(seedId).setTreeVersion(2).build()), Status.Code.NOT_FOUND, "VERSION_NOT_FOUND",
        Map.of("root_lineage_id", seedId, "current_tree_version", "1"), List.of()));
    cases.add(BadCall.invalid("tree history with a history token", s -> s.treeHistory(TreeHistoryRequest.newBuilder()
        .setRootLineageId(seedId).setPageToken(PageTokens.forHistory(2)).build()), "page_token"));
    cases.add(new BadCall<>("tree history of an unknown root", s -> s.treeHistory(TreeHistoryRequest.newBuilder()
        .setRootLineageId(UNKNOWN).build()), Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN),
        List.of()));
    // PromoteTreeMember
    cases.add(BadCall.invalid("promotion with expected tree version 0", s -> s.promoteTreeMember(
        PromoteTreeMemberRequest.newBuilder().setLineageId(seedId).build()), "expected_tree_version"));
    cases.add(new BadCall<>("promotion of a root", s -> s.promoteTreeMember(PromoteTreeMemberRequest.newBuilder()
        .setLineageId(seedId).setExpectedTreeVersion(1).build()), Status.Code.FAILED_PRECONDITION, "ALREADY_A_ROOT",
        Map.of("lineage_id", seedId), List.of()));
    cases.add(new BadCall<>("promotion of an unknown entity", s -> s.promoteTreeMember(
        PromoteTreeMemberRequest.newBuilder().setLineageId(UNKNOWN).setExpectedTreeVersion(1).build()),
        Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    cases.add(BadCall.invalid("promotion at priority 11", s -> s.promoteTreeMember(
        PromoteTreeMemberRequest.newBuilder().setLineageId(seedId).setExpectedTreeVersion(1).setPriority(11).build()),
        "priority"));
    // AttachTree
    cases.add(BadCall.invalid("attachment with nothing set", s -> s.attachTree(AttachTreeRequest.getDefaultInstance()),
        "lineage_id", "expected_tree_version", "parent_lineage_id", "expected_parent_tree_version"));
    cases.add(BadCall.invalid("attachment with malformed ids, a negative priority and a long request id",
        s -> s.attachTree(AttachTreeRequest.newBuilder().setLineageId("root").setExpectedTreeVersion(1)
            .setParentLineageId("parent").setExpectedParentTreeVersion(1).setPriority(-1)
            .setRequestId("r".repeat(129)).build()),
        "lineage_id", "parent_lineage_id", "request_id", "priority"));
    cases.add(new BadCall<>("attachment of a tree under itself", s -> s.attachTree(AttachTreeRequest.newBuilder()
        .setLineageId(seedId).setExpectedTreeVersion(1).setParentLineageId(seedId).setExpectedParentTreeVersion(1)
        .build()), Status.Code.FAILED_PRECONDITION, "TREE_CYCLE",
        Map.of("lineage_id", seedId, "parent_lineage_id", seedId), List.of()));
    cases.add(new BadCall<>("attachment under an unknown parent", s -> s.attachTree(AttachTreeRequest.newBuilder()
        .setLineageId(seedId).setExpectedTreeVersion(1).setParentLineageId(UNKNOWN).setExpectedParentTreeVersion(1)
        .build()), Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    cases.add(new BadCall<>("attachment of an unknown root", s -> s.attachTree(AttachTreeRequest.newBuilder()
        .setLineageId(UNKNOWN).setExpectedTreeVersion(1).setParentLineageId(seedId).setExpectedParentTreeVersion(1)
        .build()), Status.Code.NOT_FOUND, "ENTITY_NOT_FOUND", Map.of("lineage_id", UNKNOWN), List.of()));
    return cases.stream().map(Arguments::of);
  }

  private static WriteTreeRequest writeTree(String rootId, long expectedTreeVersion, TreeChange... changes) {
    return WriteTreeRequest.newBuilder().setRootLineageId(rootId).setExpectedTreeVersion(expectedTreeVersion)
        .addAllChanges(List.of(changes)).build();
  }

  private static TreeChange updateMember(String lineageId, long expectedVersion) {
    return TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(lineageId)
        .setExpectedVersion(expectedVersion)).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badRequestGetsItsExactStatusAndChangesNothing(BadCall<EntityServiceGrpc.EntityServiceBlockingStub> bad)
      throws InvalidProtocolBufferException {
    bad.assertRefusedBy(stub);

    assertThat(stub.get(get(seed.getLineageId(), 0))).isEqualTo(seed);
    assertThat(stub.history(history(seed.getLineageId(), 0, "")).getVersionsList()).containsExactly(seed);
    assertThat(stub.list(list("Student", 0, "")).getEntitiesList()).isEmpty();
    assertThat(stub.list(list("Seed", 0, "")).getEntitiesList()).containsExactly(seed);
  }

  private static CreateEntityRequest create(String id, String type, Struct data) {
    return CreateEntityRequest.newBuilder().setLineageId(id).setEntityType(type).setData(data).build();
  }

  private static GetEntityRequest get(String id, long version) {
    return GetEntityRequest.newBuilder().setLineageId(id).setVersion(version).build();
  }

  private static UpdateEntityRequest update(String id, long expected, Struct data) {
    return UpdateEntityRequest.newBuilder().setLineageId(id).setExpectedVersion(expected).setData(data).build();
  }

  private static DeleteEntityRequest delete(String id, long expected) {
    return DeleteEntityRequest.newBuilder().setLineageId(id).setExpectedVersion(expected).build();
  }

  private static ListEntitiesRequest list(String type, int pageSize, String token) {
    return ListEntitiesRequest.newBuilder().setEntityType(type).setPageSize(pageSize).setPageToken(token).build();
  }

  private static EntityHistoryRequest history(String id, int pageSize, String token) {
    return EntityHistoryRequest.newBuilder().setLineageId(id).setPageSize(pageSize).setPageToken(token).build();
  }

  private static Struct data(String key, Value value) {
    return Struct.newBuilder().putFields(key, value).build();
  }

  private static Struct nested(int depth) {
    Struct inner = data("leaf", num(1));
    for (int i = 0; i < depth; i++) {
      inner = data("a", Value.newBuilder().setStructValue(inner).build());
    }
    return inner;
  }

  private static Value num(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
