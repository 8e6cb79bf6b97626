package dev.abstractions.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.CreateMember;
import dev.abstractions.api.v1.DeleteMember;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.MemberVersion;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.TreeHistoryResponse;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.api.v1.WriteTreeResponse;
import dev.abstractions.client.Structs;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Entity trees end to end over a real channel: membership, atomic tree writes, consistent reads, errors. */
class EntityTreeTest {

  private static TestServer server;
  private static EntityServiceGrpc.EntityServiceBlockingStub entities;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--max-tree-members", "6", "--history-limit", "10");
    entities = EntityServiceGrpc.newBlockingStub(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void membersReportTheirTreeAndEveryChangeBumpsTheTreeVersionByOne() {
    Entity order = create("", "Order", "{\"total\":0}");
    assertThat(order.getRootLineageId()).isEqualTo(order.getLineageId());
    assertThat(order.getParentLineageId()).isEmpty();
    assertThat(order.getTreeVersion()).isEqualTo(1);

    Entity line = create(order.getLineageId(), "Line", "{\"qty\":1}");
    Entity note = create(line.getLineageId(), "Note", "{\"text\":\"gift\"}");
    assertThat(line.getRootLineageId()).isEqualTo(order.getLineageId());
    assertThat(line.getParentLineageId()).isEqualTo(order.getLineageId());
    assertThat(note.getRootLineageId()).isEqualTo(order.getLineageId());
    assertThat(note.getParentLineageId()).isEqualTo(line.getLineageId());
    assertThat(List.of(line.getTreeVersion(), note.getTreeVersion())).containsExactly(2L, 3L);
    assertThat(note.getLastModifiedNs()).isGreaterThan(line.getLastModifiedNs());

    // A single-member Update bumps the tree version: a holder of the tree snapshot sees the conflict.
    Entity line2 = entities.update(UpdateEntityRequest.newBuilder().setLineageId(line.getLineageId())
        .setExpectedVersion(1).setData(json("{\"qty\":2}")).build());
    assertThat(line2.getVersion()).isEqualTo(2);
    assertThat(line2.getTreeVersion()).isEqualTo(4);
    assertThat(line2.getRootLineageId()).isEqualTo(order.getLineageId());

    GetTreeResponse tree = getTree(order.getLineageId(), 0);
    assertThat(tree.getTreeVersion()).isEqualTo(4);
    assertThat(tree.getLastModifiedNs()).isEqualTo(line2.getLastModifiedNs());
    assertThat(tree.getMembersList()).containsExactlyElementsOf(sorted(List.of(order, line2, note)));

    StatusRuntimeException stale = refusal(() -> entities.writeTree(write(order.getLineageId(), 3,
        update(note.getLineageId(), 0, "{\"text\":\"late\"}"))));
    assertThat(stale.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(info(stale).getReason()).isEqualTo("TREE_VERSION_CONFLICT");
    assertThat(info(stale).getMetadataMap()).containsEntry("current_tree_version", "4")
        .containsEntry("root_lineage_id", order.getLineageId());
    assertThat(getTree(order.getLineageId(), 0)).isEqualTo(tree);
  }

  @Test
  void aTreeWriteChangesEveryMemberItNamesAtOneTreeVersionAndNoOther() {
    Entity order = create("", "Order", "{\"total\":0}");
    Entity a = create(order.getLineageId(), "Line", "{\"qty\":1}");
    Entity b = create(order.getLineageId(), "Line", "{\"qty\":5}");
    Entity c = create(order.getLineageId(), "Line", "{\"qty\":9}");

    WriteTreeResponse written = entities.writeTree(WriteTreeRequest.newBuilder()
        .setRootLineageId(order.getLineageId()).setExpectedTreeVersion(4)
        .addChanges(update(order.getLineageId(), 1, "{\"total\":3}"))
        .addChanges(update(a.getLineageId(), 1, "{\"qty\":2}"))
        .addChanges(TreeChange.newBuilder().setCreate(CreateMember.newBuilder()
            .setParentLineageId(a.getLineageId()).setEntityType("Note").setData(json("{\"text\":\"new\"}"))))
        .addChanges(TreeChange.newBuilder().setDelete(DeleteMember.newBuilder().setLineageId(c.getLineageId())))
        .build());

    assertThat(written.getTreeVersion()).isEqualTo(5);
    assertThat(written.getWrittenList()).extracting(Entity::getTreeVersion).containsOnly(5L);
    assertThat(written.getWrittenList()).extracting(Entity::getLastModifiedNs).containsOnly(
        written.getWritten(0).getLastModifiedNs());
    Entity order2 = written.getWritten(0);
    Entity a2 = written.getWritten(1);
    Entity note = written.getWritten(2);
    Entity cDeleted = written.getWritten(3);
    assertThat(order2.getVersion()).isEqualTo(2);
    assertThat(order2.getPreviousEcsId()).isEqualTo(order.getEcsId());
    assertThat(a2.getVersion()).isEqualTo(2);
    assertThat(a2.getData()).isEqualTo(json("{\"qty\":2}"));
    assertThat(note.getVersion()).isEqualTo(1);
    assertThat(note.getParentLineageId()).isEqualTo(a.getLineageId());
    assertThat(note.getRootLineageId()).isEqualTo(order.getLineageId());
    assertThat(cDeleted.getDeleted()).isTrue();
    assertThat(cDeleted.getVersion()).isEqualTo(2);
    assertThat(get(b.getLineageId())).as("a member the write did not name keeps its version").isEqualTo(b);

    assertThat(getTree(order.getLineageId(), 0).getMembersList())
        .containsExactlyElementsOf(sorted(List.of(order2, a2, b, note)));
    // The tree as it was before the write, read at its tree version.
    GetTreeResponse before = getTree(order.getLineageId(), 4);
    assertThat(before.getTreeVersion()).isEqualTo(4);
    assertThat(before.getLastModifiedNs()).isEqualTo(c.getLastModifiedNs());
    assertThat(before.getMembersList()).containsExactlyElementsOf(sorted(List.of(order, a, b, c)));
    assertThat(getTree(order.getLineageId(), 2).getMembersList()).containsExactlyElementsOf(sorted(List.of(order, a)));

    TreeHistoryResponse history = entities.treeHistory(TreeHistoryRequest.newBuilder()
        .setRootLineageId(order.getLineageId()).build());
    assertThat(history.getOldestRetainedTreeVersion()).isEqualTo(1);
    assertThat(history.getVersionsList()).extracting(TreeVersion::getTreeVersion).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(history.getVersions(4).getChangedList())
        .extracting(MemberVersion::getLineageId, MemberVersion::getVersion, MemberVersion::getDeleted)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(order.getLineageId(), 2L, false),
            org.assertj.core.groups.Tuple.tuple(a.getLineageId(), 2L, false),
            org.assertj.core.groups.Tuple.tuple(note.getLineageId(), 1L, false),
            org.assertj.core.groups.Tuple.tuple(c.getLineageId(), 2L, true));
    assertThat(history.getVersions(4).getLastModifiedNs()).isEqualTo(order2.getLastModifiedNs());
  }

  @Test
  void pagesOfOneTreeReadStayAtTheTreeVersionOfTheFirstPage() {
    Entity root = create("", "Order", "{}");
    List<Entity> members = new ArrayList<>(List.of(root));
    for (int i = 0; i < 4; i++) {
      members.add(create(root.getLineageId(), "Line", "{\"n\":" + i + "}"));
    }
    GetTreeResponse first = entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(root.getLineageId())
        .setPageSize(2).build());
    Entity changed = entities.update(UpdateEntityRequest.newBuilder().setLineageId(members.get(4).getLineageId())
        .setExpectedVersion(1).setData(json("{\"n\":99}")).build());
    List<Entity> read = new ArrayList<>(first.getMembersList());
    String token = first.getNextPageToken();
    while (!token.isEmpty()) {
      GetTreeResponse page = entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(root.getLineageId())
          .setPageSize(2).setPageToken(token).build());
      assertThat(page.getTreeVersion()).isEqualTo(first.getTreeVersion());
      read.addAll(page.getMembersList());
      token = page.getNextPageToken();
    }
    assertThat(first.getTreeVersion()).isEqualTo(5);
    assertThat(read).containsExactlyElementsOf(sorted(members));
    assertThat(getTree(root.getLineageId(), 0).getMembersList()).contains(changed).hasSize(5);
  }

  @Test
  void refusedTreeWritesSayExactlyWhyAndChangeNothing() {
    Entity order = create("", "Order", "{}");
    Entity line = create(order.getLineageId(), "Line", "{}");
    Entity note = create(line.getLineageId(), "Note", "{}");
    Entity other = create("", "Order", "{}");
    GetTreeResponse tree = getTree(order.getLineageId(), 0);

    StatusRuntimeException notARoot = refusal(() -> getTree(line.getLineageId(), 0));
    assertThat(notARoot.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(info(notARoot).getReason()).isEqualTo("NOT_A_ROOT");
    assertThat(info(notARoot).getMetadataMap()).containsEntry("root_lineage_id", order.getLineageId());
    assertThat(info(refusal(() -> entities.writeTree(write(line.getLineageId(), 1,
        update(line.getLineageId(), 0, "{}")))))).extracting(ErrorInfo::getReason).isEqualTo("NOT_A_ROOT");
    assertThat(info(refusal(() -> entities.treeHistory(TreeHistoryRequest.newBuilder()
        .setRootLineageId(note.getLineageId()).build())))).extracting(ErrorInfo::getReason).isEqualTo("NOT_A_ROOT");

    StatusRuntimeException foreign = refusal(() -> entities.writeTree(write(order.getLineageId(), 3,
        update(other.getLineageId(), 0, "{}"))));
    assertThat(foreign.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(info(foreign).getReason()).isEqualTo("NOT_IN_TREE");
    assertThat(info(foreign).getMetadataMap()).containsEntry("lineage_id", other.getLineageId())
        .containsEntry("root_lineage_id", other.getLineageId());

    StatusRuntimeException children = refusal(() -> entities.writeTree(write(order.getLineageId(), 3,
        TreeChange.newBuilder().setDelete(DeleteMember.newBuilder().setLineageId(line.getLineageId())).build())));
    assertThat(info(children).getReason()).isEqualTo("MEMBER_HAS_CHILDREN");
    assertThat(info(children).getMetadataMap()).containsEntry("lineage_id", line.getLineageId())
        .containsEntry("child_lineage_id", note.getLineageId());

    StatusRuntimeException memberConflict = refusal(() -> entities.writeTree(write(order.getLineageId(), 3,
        update(order.getLineageId(), 1, "{\"a\":1}"), update(line.getLineageId(), 7, "{}"))));
    assertThat(info(memberConflict).getReason()).isEqualTo("VERSION_CONFLICT");
    assertThat(info(memberConflict).getMetadataMap()).containsEntry("lineage_id", line.getLineageId())
        .containsEntry("current_version", "1");

    StatusRuntimeException taken = refusal(() -> entities.writeTree(write(order.getLineageId(), 3,
        TreeChange.newBuilder().setCreate(CreateMember.newBuilder().setLineageId(other.getLineageId())
            .setParentLineageId(order.getLineageId()).setEntityType("Line")).build())));
    assertThat(taken.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(info(taken).getMetadataMap()).containsEntry("lineage_id", other.getLineageId());

    // --max-tree-members 6: three more members fit, a fourth does not, and nothing of the write is kept.
    StatusRuntimeException tooBig = refusal(() -> entities.writeTree(write(order.getLineageId(), 3,
        createUnder(order.getLineageId()), createUnder(order.getLineageId()), createUnder(order.getLineageId()),
        createUnder(order.getLineageId()))));
    assertThat(tooBig.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(info(tooBig).getReason()).isEqualTo("TREE_LIMIT");
    assertThat(info(tooBig).getMetadataMap()).containsEntry("members", "7").containsEntry("max_members", "6");

    StatusRuntimeException twice = refusal(() -> entities.writeTree(write(order.getLineageId(), 3,
        update(line.getLineageId(), 0, "{}"), update(line.getLineageId(), 0, "{}"))));
    assertThat(twice.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(twice.getStatus().getDescription()).contains("changes[1].update.lineage_id");

    StatusRuntimeException missingParent = refusal(() -> entities.create(CreateEntityRequest.newBuilder()
        .setParentLineageId("00000000-0000-4000-8000-000000000001").setEntityType("Line").build()));
    assertThat(missingParent.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(info(missingParent).getMetadataMap())
        .containsEntry("lineage_id", "00000000-0000-4000-8000-000000000001");

    assertThat(getTree(order.getLineageId(), 0)).as("nothing changed").isEqualTo(tree);
    assertThat(get(other.getLineageId())).isEqualTo(other);
  }

  @Test
  void deletingATreeTakesEveryMemberInOneWrite() {
    Entity order = create("", "Order", "{}");
    Entity line = create(order.getLineageId(), "Line", "{}");
    StatusRuntimeException rootFirst = refusal(() -> entities.delete(
        dev.abstractions.api.v1.DeleteEntityRequest.newBuilder().setLineageId(order.getLineageId())
            .setExpectedVersion(1).build()));
    assertThat(info(rootFirst).getReason()).isEqualTo("MEMBER_HAS_CHILDREN");

    WriteTreeResponse gone = entities.writeTree(write(order.getLineageId(), 2,
        TreeChange.newBuilder().setDelete(DeleteMember.newBuilder().setLineageId(order.getLineageId())).build(),
        TreeChange.newBuilder().setDelete(DeleteMember.newBuilder().setLineageId(line.getLineageId())).build()));
    assertThat(gone.getTreeVersion()).isEqualTo(3);
    StatusRuntimeException deleted = refusal(() -> getTree(order.getLineageId(), 0));
    assertThat(info(deleted).getReason()).isEqualTo("ENTITY_DELETED");
    assertThat(getTree(order.getLineageId(), 2).getMembersCount()).isEqualTo(2);
  }

  private static TreeChange update(String lineageId, long expectedVersion, String json) {
    return TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(lineageId)
        .setExpectedVersion(expectedVersion).setData(json(json))).build();
  }

  private static TreeChange createUnder(String parentId) {
    return TreeChange.newBuilder().setCreate(CreateMember.newBuilder().setParentLineageId(parentId)
        .setEntityType("Line")).build();
  }

  private static WriteTreeRequest write(String rootId, long expectedTreeVersion, TreeChange... changes) {
    return WriteTreeRequest.newBuilder().setRootLineageId(rootId).setExpectedTreeVersion(expectedTreeVersion)
        .addAllChanges(List.of(changes)).build();
  }

  private static Entity create(String parentId, String type, String json) {
    return entities.create(CreateEntityRequest.newBuilder().setParentLineageId(parentId).setEntityType(type)
        .setData(json(json)).build());
  }

  private static Entity get(String lineageId) {
    return entities.get(GetEntityRequest.newBuilder().setLineageId(lineageId).build());
  }

  private static GetTreeResponse getTree(String rootId, long treeVersion) {
    return entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(rootId).setTreeVersion(treeVersion).build());
  }

  private static List<Entity> sorted(List<Entity> members) {
    return members.stream().sorted(Comparator.comparing(Entity::getLineageId)).collect(Collectors.toList());
  }

  private static Struct json(String json) {
    return Structs.fromJson(json);
  }

  static StatusRuntimeException refusal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }

  static ErrorInfo info(StatusRuntimeException e) {
    try {
      return StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
    } catch (InvalidProtocolBufferException broken) {
      throw new AssertionError(broken);
    }
  }
}
