package dev.abstractions.server.tree;

import static dev.abstractions.server.tree.EntityTreeTest.info;
import static dev.abstractions.server.tree.EntityTreeTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.CreateMember;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.client.Structs;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Operations on a tree's root: the whole tree is their snapshot and their conflict domain. */
class TreeOperationTest {

  private static TestServer server;
  private static EntityServiceGrpc.EntityServiceBlockingStub entities;
  private static OperationServiceGrpc.OperationServiceBlockingStub operations;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    entities = EntityServiceGrpc.newBlockingStub(server.channel());
    operations = OperationServiceGrpc.newBlockingStub(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aChangeToAnyMemberMakesAnOperationOnTheRootConflictAndItsRetryCommitsTreeChanges() {
    Entity order = create("", "Order", "{\"total\":0}");
    Entity line = create(order.getLineageId(), "Line", "{\"qty\":1}");

    BeginOperationResponse begun = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(order.getLineageId()).setOpType("reprice").build());
    assertThat(begun.getSnapshotTreeVersion()).isEqualTo(2);
    assertThat(begun.getOperation().getSnapshotVersion()).isEqualTo(2);
    assertThat(begun.getSnapshot()).isEqualTo(order);
    String opId = begun.getOperation().getOpId();

    Entity line2 = entities.update(UpdateEntityRequest.newBuilder().setLineageId(line.getLineageId())
        .setExpectedVersion(1).setData(json("{\"qty\":3}")).build());
    CommitOperationResponse conflict = operations.commit(CommitOperationRequest.newBuilder().setOpId(opId)
        .setData(json("{\"total\":10}")).build());
    assertThat(conflict.getOutcome()).as("the root did not change, a member did").isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(conflict.getTreeVersion()).isEqualTo(3);
    assertThat(conflict.getEntity()).isEqualTo(order);
    assertThat(conflict.getOperation().getSnapshotVersion()).isEqualTo(3);

    CommitOperationResponse committed = operations.commit(CommitOperationRequest.newBuilder().setOpId(opId)
        .addTreeChanges(update(order.getLineageId(), "{\"total\":30}"))
        .addTreeChanges(TreeChange.newBuilder().setCreate(CreateMember.newBuilder()
            .setParentLineageId(line.getLineageId()).setEntityType("Note").setData(json("{\"text\":\"repriced\"}"))))
        .build());
    assertThat(committed.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(committed.getTreeVersion()).isEqualTo(4);
    assertThat(committed.getWrittenCount()).isEqualTo(2);
    assertThat(committed.getWrittenList()).extracting(Entity::getDerivedFromOpId).containsOnly(opId);
    assertThat(committed.getWrittenList()).extracting(Entity::getTreeVersion).containsOnly(4L);
    assertThat(committed.getEntity()).isEqualTo(committed.getWritten(0));
    assertThat(committed.getOperation().getStatus()).isEqualTo(OperationStatus.SUCCEEDED);
    assertThat(committed.getOperation().getCommittedTreeVersion()).isEqualTo(4);
    assertThat(committed.getOperation().getCommittedVersion()).isEqualTo(2);
    assertThat(entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(order.getLineageId()).build())
        .getMembersList()).contains(line2, committed.getWritten(0), committed.getWritten(1)).hasSize(3);
  }

  @Test
  void treeChangesTheTreeCannotTakeFailTheOperationAndChangeNothing() {
    Entity order = create("", "Order", "{}");
    Entity other = create("", "Order", "{}");
    BeginOperationResponse begun = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(order.getLineageId()).build());
    CommitOperationResponse failed = operations.commit(CommitOperationRequest.newBuilder()
        .setOpId(begun.getOperation().getOpId()).addTreeChanges(update(other.getLineageId(), "{}")).build());
    assertThat(failed.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_FAILED);
    assertThat(failed.getOperation().getFailureMessage()).contains("NOT_IN_TREE").contains(other.getLineageId());
    assertThat(entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(order.getLineageId()).build())
        .getTreeVersion()).isEqualTo(1);
  }

  @Test
  void operationsTargetRootsAndAGateOwnerOnTheRootHoldsTheWholeTree() {
    Entity order = create("", "Order", "{}");
    Entity line = create(order.getLineageId(), "Line", "{}");

    StatusRuntimeException onMember = refusal(() -> operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(line.getLineageId()).build()));
    assertThat(onMember.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(info(onMember).getReason()).isEqualTo("NOT_A_ROOT");
    assertThat(info(onMember).getMetadataMap()).containsEntry("root_lineage_id", order.getLineageId());

    // A STRUCTURAL operation that conflicted once owns the root's gate ...
    BeginOperationResponse structural = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(order.getLineageId()).setPriorityClass(PriorityClass.STRUCTURAL).build());
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(line.getLineageId()).setExpectedVersion(1)
        .setData(json("{\"qty\":1}")).build());
    CommitOperationResponse conflict = operations.commit(CommitOperationRequest.newBuilder()
        .setOpId(structural.getOperation().getOpId()).setData(json("{}")).build());
    assertThat(conflict.getOperation().getStatus()).isEqualTo(OperationStatus.RETRYING);

    // ... so a plain write of any member is refused for it, naming it.
    StatusRuntimeException preempted = refusal(() -> entities.update(UpdateEntityRequest.newBuilder()
        .setLineageId(line.getLineageId()).setExpectedVersion(2).setData(json("{\"qty\":2}")).build()));
    assertThat(preempted.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(info(preempted).getReason()).isEqualTo("PREEMPTED");
    assertThat(info(preempted).getMetadataMap())
        .containsEntry("preempted_by_op_id", structural.getOperation().getOpId())
        .containsEntry("lineage_id", order.getLineageId());
  }

  @Test
  void aServerFunctionRunsOnAMemberOfTheTreeUnderTheTreesArbitrationAndLosesNothing() throws Exception {
    Entity order = create("", "Order", "{}");
    Entity a = create(order.getLineageId(), "Line", "{\"qty\":0}");
    Entity b = create(order.getLineageId(), "Line", "{\"qty\":0}");
    Entity other = create("", "Order", "{}");

    ExecuteResponse once = operations.execute(increment(order.getLineageId(), a.getLineageId()));
    assertThat(once.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(once.getEntity().getLineageId()).isEqualTo(a.getLineageId());
    assertThat(once.getEntity().getVersion()).isEqualTo(2);
    assertThat(once.getEntity().getData()).isEqualTo(json("{\"qty\":1}"));
    assertThat(once.getEntity().getDerivedFromFunction()).isEqualTo("increment");
    assertThat(once.getEntity().getDerivedFromOpId()).isEqualTo(once.getOperation().getOpId());
    assertThat(once.getEntity().getTreeVersion()).isEqualTo(4);
    assertThat(once.getOperation().getTargetLineageId()).isEqualTo(order.getLineageId());
    assertThat(once.getOperation().getCommittedTreeVersion()).isEqualTo(4);

    ExecuteResponse foreign = operations.execute(increment(order.getLineageId(), other.getLineageId()));
    assertThat(foreign.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_FAILED);
    assertThat(foreign.getOperation().getFailureMessage())
        .isEqualTo("member " + other.getLineageId() + " is not in the tree of " + order.getLineageId());

    // Many at once on two members of one tree: every increment lands, once.
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String member = (t % 2 == 0 ? a : b).getLineageId();
        running.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            assertThat(operations.execute(increment(order.getLineageId(), member)).getOutcome())
                .isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> future : running) {
        future.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    GetTreeResponse tree = entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(order.getLineageId()).build());
    assertThat(tree.getTreeVersion()).isEqualTo(4 + 100);
    assertThat(tree.getMembersList()).filteredOn(member -> member.getLineageId().equals(a.getLineageId()))
        .extracting(member -> member.getData()).containsExactly(json("{\"qty\":51}"));
    assertThat(tree.getMembersList()).filteredOn(member -> member.getLineageId().equals(b.getLineageId()))
        .extracting(member -> member.getData()).containsExactly(json("{\"qty\":50}"));
  }

  private static ExecuteRequest increment(String rootId, String memberId) {
    return ExecuteRequest.newBuilder().setTargetLineageId(rootId).setMemberLineageId(memberId).setFunction("increment")
        .setArgs(json("{\"path\":\"qty\"}")).build();
  }

  private static TreeChange update(String lineageId, String json) {
    return TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(lineageId).setData(json(json)))
        .build();
  }

  private static Entity create(String parentId, String type, String json) {
    return entities.create(CreateEntityRequest.newBuilder().setParentLineageId(parentId).setEntityType(type)
        .setData(json(json)).build());
  }

  private static Struct json(String json) {
    return Structs.fromJson(json);
  }
}
