package dev.abstractions.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.AttachTreeResponse;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.MemberVersion;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.PromoteTreeMemberResponse;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.EntityClient;
import dev.abstractions.client.EntityNotFoundException;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.GateHeldException;
import dev.abstractions.client.Structs;
import dev.abstractions.client.Tree;
import dev.abstractions.client.TreeVersionConflictException;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code EntityClient.attachTree} against a real server: the versions it writes (the parent, the
 * attached root, each member that moved) and the tree version both trees end at, whichever of the
 * two was ahead; its refusals, typed as the other tree calls' are; and the priority that
 * promotions and attaches are arbitrated at.
 */
class EntityClientAttachTreeTest {

  private static TestServer server;
  private static AbstractionsClient client;
  private static EntityClient entities;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    client = AbstractionsClient.using(server.channel());
    entities = client.entities();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void attachingATreeAheadOfTheParentsWritesParentRootAndMembersAtOneMoreThanTheLargerTreeVersion() {
    Entity b = entities.create("Order", json("{\"customer\":\"Ada\"}"));
    Entity p = entities.createMember(b.getLineageId(), "Line", json("{\"sku\":\"pen\"}"));
    Entity a = entities.create("Box", json("{\"size\":1}"));
    Entity m1 = entities.createMember(a.getLineageId(), "Item", json("{\"n\":1}"));
    Entity m2 = entities.createMember(m1.getLineageId(), "Item", json("{\"n\":2}"));
    Entity m1v2 = entities.update(m1.getLineageId(), 1, json("{\"n\":10}"));
    Entity av2 = entities.update(a.getLineageId(), 1, json("{\"size\":2}"));
    assertThat(entities.getTree(b.getLineageId()).treeVersion()).isEqualTo(2);
    assertThat(entities.getTree(a.getLineageId()).treeVersion()).isEqualTo(5);

    AttachTreeResponse attached = entities.attachTree(a.getLineageId(), 5, p.getLineageId(), 2);

    String root = b.getLineageId();
    assertThat(attached.getRootLineageId()).isEqualTo(root);
    assertThat(attached.getTreeVersion()).isEqualTo(6);
    List<Entity> written = attached.getWrittenList();
    assertThat(written).hasSize(4);
    assertThat(written.subList(0, 2)).extracting(Entity::getLineageId, Entity::getVersion, Entity::getRootLineageId,
            Entity::getParentLineageId, Entity::getTreeVersion, Entity::getPreviousEcsId, Entity::getData)
        .containsExactly(
            tuple(p.getLineageId(), 2L, root, root, 6L, p.getEcsId(), p.getData()),
            tuple(a.getLineageId(), 3L, root, p.getLineageId(), 6L, av2.getEcsId(), av2.getData()));
    assertThat(written.subList(2, 4)).extracting(Entity::getLineageId, Entity::getVersion, Entity::getRootLineageId,
            Entity::getParentLineageId, Entity::getTreeVersion, Entity::getPreviousEcsId, Entity::getData)
        .containsExactlyInAnyOrder(
            tuple(m1.getLineageId(), 3L, root, a.getLineageId(), 6L, m1v2.getEcsId(), m1v2.getData()),
            tuple(m2.getLineageId(), 2L, root, m1.getLineageId(), 6L, m2.getEcsId(), m2.getData()));
    assertThat(written).extracting(Entity::getLastModifiedNs).containsOnly(written.get(0).getLastModifiedNs());

    Tree joined = entities.getTree(root);
    assertThat(joined.treeVersion()).isEqualTo(6);
    assertThat(joined.members()).containsExactlyElementsOf(byLineageId(Stream.concat(Stream.of(b), written.stream())));
    assertThat(joined.children(p.getLineageId())).containsExactly(written.get(1));
    assertThat(joined.children(a.getLineageId())).extracting(Entity::getLineageId).containsExactly(m1.getLineageId());
    assertThat(entities.getTree(root, 2).members()).containsExactlyElementsOf(byLineageId(Stream.of(b, p)));
    assertThat(catchThrowableOfType(() -> entities.getTree(a.getLineageId()), EntityServiceException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo("NOT_A_ROOT");
          assertThat(e.metadata()).containsEntry("root_lineage_id", root);
        });
    List<TreeVersion> history = entities.treeHistory(root, 0, "").getVersionsList();
    assertThat(history).extracting(TreeVersion::getTreeVersion).containsExactly(1L, 2L, 6L);
    assertThat(history.get(2).getChangedList()).extracting(MemberVersion::getLineageId, MemberVersion::getVersion)
        .containsExactlyElementsOf(written.stream().sorted(Comparator.comparing(Entity::getLineageId))
            .map(version -> tuple(version.getLineageId(), version.getVersion())).toList());

    // The joined tree goes on from there, one per change, whichever member changes.
    Entity m2v3 = entities.update(m2.getLineageId(), 2, json("{\"n\":3}"));
    assertThat(m2v3.getTreeVersion()).isEqualTo(7);
    assertThat(m2v3.getRootLineageId()).isEqualTo(root);
  }

  @Test
  void attachingATreeBehindTheParentsWritesAtOneMoreThanTheParentsTreeVersion() throws Exception {
    Entity b = entities.create("Order", json("{}"));
    Entity p = entities.createMember(b.getLineageId(), "Line", json("{\"qty\":1}"));
    Entity pv2 = entities.update(p.getLineageId(), 1, json("{\"qty\":2}"));
    entities.update(b.getLineageId(), 1, json("{\"total\":2}"));
    Entity pv3 = entities.update(p.getLineageId(), 2, json("{\"qty\":3}"));
    Entity a = entities.create("Box", json("{}"));
    Entity m = entities.createMember(a.getLineageId(), "Item", json("{}"));
    assertThat(pv3.getTreeVersion()).isEqualTo(5);
    assertThat(m.getTreeVersion()).isEqualTo(2);

    AttachTreeResponse attached =
        entities.attachTreeAsync(a.getLineageId(), 2, p.getLineageId(), 5).get(10, TimeUnit.SECONDS);

    assertThat(attached.getRootLineageId()).isEqualTo(b.getLineageId());
    assertThat(attached.getTreeVersion()).isEqualTo(6);
    assertThat(attached.getWrittenList())
        .extracting(Entity::getLineageId, Entity::getVersion, Entity::getParentLineageId, Entity::getTreeVersion)
        .containsExactly(
            tuple(p.getLineageId(), 4L, b.getLineageId(), 6L),
            tuple(a.getLineageId(), 2L, p.getLineageId(), 6L),
            tuple(m.getLineageId(), 2L, a.getLineageId(), 6L));
    assertThat(attached.getWritten(0).getData()).isEqualTo(pv3.getData()).isNotEqualTo(pv2.getData());
    assertThat(entities.treeHistory(b.getLineageId(), 0, "").getVersionsList())
        .extracting(TreeVersion::getTreeVersion).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(entities.getTree(b.getLineageId()).members()).extracting(Entity::getLineageId)
        .containsExactlyInAnyOrder(b.getLineageId(), p.getLineageId(), a.getLineageId(), m.getLineageId());
  }

  @Test
  void attachRefusalsAreTypedAsTheOtherTreeCallsAndWriteNothing() throws Exception {
    Entity b = entities.create("Order", json("{}"));
    Entity p = entities.createMember(b.getLineageId(), "Line", json("{}"));
    Entity gone = entities.createMember(b.getLineageId(), "Line", json("{}"));
    entities.delete(gone.getLineageId(), 1);
    Entity a = entities.create("Box", json("{}"));
    Entity m = entities.createMember(a.getLineageId(), "Item", json("{}"));
    Entity deletedRoot = entities.create("Box", json("{}"));
    entities.delete(deletedRoot.getLineageId(), 1);
    String ai = a.getLineageId();
    String pi = p.getLineageId();

    EntityServiceException member = catchThrowableOfType(() -> entities.attachTree(m.getLineageId(), 2, pi, 4),
        EntityServiceException.class);
    assertThat(member.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(member.reason()).isEqualTo("NOT_A_ROOT");
    assertThat(member.metadata()).containsEntry("root_lineage_id", ai);

    EntityServiceException cycle = catchThrowableOfType(() -> entities.attachTree(ai, 2, m.getLineageId(), 2),
        EntityServiceException.class);
    assertThat(cycle.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(cycle.reason()).isEqualTo("TREE_CYCLE");
    assertThat(cycle.metadata()).containsEntry("lineage_id", ai).containsEntry("parent_lineage_id", m.getLineageId());
    assertThat(catchThrowableOfType(() -> entities.attachTree(ai, 2, ai, 2), EntityServiceException.class).reason())
        .isEqualTo("TREE_CYCLE");

    TreeVersionConflictException staleOwn = catchThrowableOfType(() -> entities.attachTree(ai, 1, pi, 4),
        TreeVersionConflictException.class);
    assertThat(staleOwn.code()).isEqualTo(Status.Code.ABORTED);
    assertThat(staleOwn.rootLineageId()).isEqualTo(ai);
    assertThat(staleOwn.currentTreeVersion()).isEqualTo(2);
    TreeVersionConflictException staleParent = catchThrowableOfType(() -> entities.attachTree(ai, 2, pi, 3),
        TreeVersionConflictException.class);
    assertThat(staleParent.rootLineageId()).isEqualTo(b.getLineageId());
    assertThat(staleParent.currentTreeVersion()).isEqualTo(4);
    assertThat(failureOf(entities.attachTreeAsync(ai, 2, pi, 3))).isInstanceOfSatisfying(
        TreeVersionConflictException.class, e -> assertThat(e.currentTreeVersion()).isEqualTo(4));

    assertThat(catchThrowableOfType(() -> entities.attachTree(ai, 2, "5f0e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f", 1),
        EntityNotFoundException.class).reason()).isEqualTo("ENTITY_NOT_FOUND");
    assertThat(catchThrowableOfType(() -> entities.attachTree(ai, 2, gone.getLineageId(), 4),
        EntityNotFoundException.class).reason()).isEqualTo("ENTITY_DELETED");
    assertThat(catchThrowableOfType(() -> entities.attachTree(deletedRoot.getLineageId(), 2, pi, 4),
        EntityNotFoundException.class).reason()).isEqualTo("ENTITY_DELETED");

    for (int priority : new int[] {0, 11, -1}) {
      assertThatThrownBy(() -> entities.attachTree(ai, 2, pi, 4, priority))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("priority must be 1 to 10, was " + priority);
      assertThatThrownBy(() -> entities.promoteTreeMemberAsync(m.getLineageId(), 2, priority))
          .isInstanceOf(IllegalArgumentException.class);
    }

    assertThat(entities.getTree(ai).treeVersion()).isEqualTo(2);
    assertThat(entities.getTree(b.getLineageId()).treeVersion()).isEqualTo(4);
    assertThat(entities.get(pi)).isEqualTo(p);
    assertThat(entities.get(ai)).isEqualTo(a);
  }

  @Test
  void promoteAndAttachAreArbitratedAtStructuralPriorityUnlessTheyNameAnother() throws Exception {
    try (TestServer local = TestServer.start();
        AbstractionsClient localClient = AbstractionsClient.using(local.channel())) {
      EntityClient trees = localClient.entities();
      String root = trees.create("Order", json("{}")).getLineageId();
      String line = trees.createMember(root, "Line", json("{}")).getLineageId();
      String structural = gateOwner(local, trees, root, PriorityClass.STRUCTURAL, 1);
      long treeVersion = trees.getTree(root).treeVersion();

      assertThatThrownBy(() -> trees.promoteTreeMember(line, treeVersion, 5))
          .isInstanceOfSatisfying(GateHeldException.class, e -> {
            assertThat(e.preempted()).isTrue();
            assertThat(e.gateOwnerOpId()).isEqualTo(structural);
          });
      assertThatThrownBy(() -> trees.promoteTreeMember(line, treeVersion))
          .isInstanceOfSatisfying(GateHeldException.class, e -> {
            assertThat(e.reason()).isEqualTo("GATE_HELD");
            assertThat(e.gateOwnerOpId()).isEqualTo(structural);
            assertThat(e.retryAfter()).isPositive();
          });
      String other = trees.create("Box", json("{}")).getLineageId();
      assertThatThrownBy(() -> trees.attachTree(other, 1, line, treeVersion, 9))
          .isInstanceOfSatisfying(GateHeldException.class, e -> assertThat(e.preempted()).isTrue());
      assertThatThrownBy(() -> trees.attachTree(other, 1, line, treeVersion))
          .isInstanceOfSatisfying(GateHeldException.class, e -> assertThat(e.reason()).isEqualTo("GATE_HELD"));

      // Against a NORMAL gate owner, the default priority (10) is the higher one and goes ahead.
      String box = trees.create("Box", json("{}")).getLineageId();
      String item = trees.createMember(box, "Item", json("{}")).getLineageId();
      gateOwner(local, trees, box, PriorityClass.NORMAL, 1);
      long boxVersion = trees.getTree(box).treeVersion();
      PromoteTreeMemberResponse promoted = trees.promoteTreeMember(item, boxVersion);
      assertThat(promoted.getTreeVersion()).isEqualTo(boxVersion + 1);
      assertThat(trees.getTree(item).treeVersion()).isEqualTo(boxVersion + 1);
    }
  }

  /**
   * Makes an operation of {@code priorityClass} the gate owner of {@code id}: it begins, a plain
   * write moves {@code id} on from {@code version}, and its commit conflicts (RETRYING).
   */
  private static String gateOwner(TestServer server, EntityClient trees, String id, PriorityClass priorityClass,
      long version) {
    OperationServiceGrpc.OperationServiceBlockingStub raw = OperationServiceGrpc.newBlockingStub(server.channel());
    BeginOperationResponse begun = raw.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(id)
        .setPriorityClass(priorityClass)
        .setOpType("migrate")
        .build());
    trees.update(id, version, json("{\"moved\":true}"));
    CommitOperationResponse conflict = raw.commit(CommitOperationRequest.newBuilder()
        .setOpId(begun.getOperation().getOpId())
        .setData(json("{\"migrated\":true}"))
        .build());
    assertThat(conflict.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(conflict.getOperation().getStatus()).isEqualTo(OperationStatus.RETRYING);
    return begun.getOperation().getOpId();
  }

  private static List<Entity> byLineageId(Stream<Entity> members) {
    return new ArrayList<>(members.sorted(Comparator.comparing(Entity::getLineageId)).toList());
  }

  private static Struct json(String json) {
    return Structs.fromJson(json);
  }

  private static Throwable failureOf(java.util.concurrent.CompletableFuture<?> future) throws Exception {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }
}
