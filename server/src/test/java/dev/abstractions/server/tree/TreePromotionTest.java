package dev.abstractions.server.tree;

import static dev.abstractions.server.tree.EntityTreeTest.info;
import static dev.abstractions.server.tree.EntityTreeTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.MemberVersion;
import dev.abstractions.api.v1.PromoteTreeMemberRequest;
import dev.abstractions.api.v1.PromoteTreeMemberResponse;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Promotion of a member, with its subtree, to a tree of its own. */
class TreePromotionTest {

  @Test
  void aPromotedMemberTakesItsSubtreeAlongAndBothTreesMoveToTheSameNextVersion() throws Exception {
    try (TestServer server = TestServer.start()) {
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      Entity order = create(entities, "", 0);
      Entity line = create(entities, order.getLineageId(), 1);
      Entity note = create(entities, line.getLineageId(), 2);
      Entity other = create(entities, order.getLineageId(), 3);

      PromoteTreeMemberResponse promoted = entities.promoteTreeMember(PromoteTreeMemberRequest.newBuilder()
          .setLineageId(line.getLineageId()).setExpectedTreeVersion(4).build());
      assertThat(promoted.getOldRootLineageId()).isEqualTo(order.getLineageId());
      assertThat(promoted.getTreeVersion()).isEqualTo(5);
      assertThat(promoted.getWrittenList()).extracting(Entity::getLineageId)
          .containsExactly(order.getLineageId(), line.getLineageId(), note.getLineageId());
      Entity order2 = promoted.getWritten(0);
      Entity line2 = promoted.getWritten(1);
      Entity note2 = promoted.getWritten(2);
      assertThat(order2.getVersion()).isEqualTo(2);
      assertThat(order2.getData()).as("it only lost a child").isEqualTo(order.getData());
      assertThat(line2.getRootLineageId()).isEqualTo(line.getLineageId());
      assertThat(line2.getParentLineageId()).isEmpty();
      assertThat(line2.getVersion()).isEqualTo(2);
      assertThat(line2.getPreviousEcsId()).isEqualTo(line.getEcsId());
      assertThat(note2.getRootLineageId()).isEqualTo(line.getLineageId());
      assertThat(note2.getParentLineageId()).isEqualTo(line.getLineageId());
      assertThat(promoted.getWrittenList()).extracting(Entity::getTreeVersion).containsOnly(5L);

      assertThat(tree(entities, order.getLineageId(), 0).getMembersList()).containsExactlyInAnyOrder(order2, other);
      assertThat(tree(entities, line.getLineageId(), 0).getMembersList()).containsExactlyInAnyOrder(line2, note2);
      assertThat(tree(entities, line.getLineageId(), 0).getTreeVersion()).isEqualTo(5);
      // The old tree's earlier versions read as they were; the new tree began at 5.
      assertThat(tree(entities, order.getLineageId(), 4).getMembersList())
          .containsExactlyInAnyOrder(order, line, note, other);
      StatusRuntimeException before = refusal(() -> tree(entities, line.getLineageId(), 4));
      assertThat(before.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(info(before).getReason()).isEqualTo("VERSION_NOT_FOUND");

      List<TreeVersion> oldHistory = entities.treeHistory(TreeHistoryRequest.newBuilder()
          .setRootLineageId(order.getLineageId()).build()).getVersionsList();
      assertThat(oldHistory).extracting(TreeVersion::getTreeVersion).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(oldHistory.get(4).getChangedList()).extracting(MemberVersion::getLineageId)
          .containsExactly(order.getLineageId());
      var newHistory = entities.treeHistory(TreeHistoryRequest.newBuilder().setRootLineageId(line.getLineageId())
          .build());
      assertThat(newHistory.getOldestRetainedTreeVersion()).isEqualTo(5);
      assertThat(newHistory.getVersionsList()).extracting(TreeVersion::getTreeVersion).containsExactly(5L);

      // Each tree goes on with its own versions.
      Entity note3 = entities.update(UpdateEntityRequest.newBuilder().setLineageId(note.getLineageId())
          .setExpectedVersion(2).setData(count(20)).build());
      assertThat(note3.getTreeVersion()).isEqualTo(6);
      assertThat(tree(entities, order.getLineageId(), 0).getTreeVersion()).isEqualTo(5);

      StatusRuntimeException root = refusal(() -> entities.promoteTreeMember(PromoteTreeMemberRequest.newBuilder()
          .setLineageId(line.getLineageId()).setExpectedTreeVersion(6).build()));
      assertThat(root.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(info(root).getReason()).isEqualTo("ALREADY_A_ROOT");
      StatusRuntimeException stale = refusal(() -> entities.promoteTreeMember(PromoteTreeMemberRequest.newBuilder()
          .setLineageId(other.getLineageId()).setExpectedTreeVersion(4).build()));
      assertThat(info(stale).getReason()).isEqualTo("TREE_VERSION_CONFLICT");
      assertThat(info(stale).getMetadataMap()).containsEntry("current_tree_version", "5")
          .as("the tree's root, not the member named").containsEntry("root_lineage_id", order.getLineageId());
    }
  }

  @Test
  void aPromotionUnderConcurrentMemberWritesLosesNothing() throws Exception {
    int writers = 4;
    int writesEach = 60;
    try (TestServer server = TestServer.start("--history-limit", "1000")) {
      EntityServiceGrpc.EntityServiceBlockingStub setup = EntityServiceGrpc.newBlockingStub(server.channel());
      Entity root = create(setup, "", 0);
      Entity branch = create(setup, root.getLineageId(), 0);
      List<String> counters = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        // Half under the branch that is promoted, half staying in the root's tree.
        counters.add(create(setup, i % 2 == 0 ? branch.getLineageId() : root.getLineageId(), 0).getLineageId());
      }
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<ManagedChannel> channels = new ArrayList<>();
      AtomicBoolean promotedWhileWriting = new AtomicBoolean();
      try {
        List<Future<?>> running = new ArrayList<>();
        for (String counter : counters) {
          ManagedChannel channel = server.newChannel();
          channels.add(channel);
          EntityServiceGrpc.EntityServiceBlockingStub stub = EntityServiceGrpc.newBlockingStub(channel);
          running.add(pool.submit(() -> {
            for (int done = 0; done < writesEach; ) {
              Entity current = stub.get(GetEntityRequest.newBuilder().setLineageId(counter).build());
              try {
                stub.update(UpdateEntityRequest.newBuilder().setLineageId(counter)
                    .setExpectedVersion(current.getVersion()).setData(count(value(current) + 1)).build());
                done++;
              } catch (StatusRuntimeException e) {
                assertThat(info(e).getReason()).isEqualTo("VERSION_CONFLICT");
              }
            }
            return null;
          }));
        }
        // Promote the branch while they write: retry the tree version until it holds.
        while (true) {
          long treeVersion = tree(setup, root.getLineageId(), 0).getTreeVersion();
          try {
            setup.promoteTreeMember(PromoteTreeMemberRequest.newBuilder().setLineageId(branch.getLineageId())
                .setExpectedTreeVersion(treeVersion).build());
            break;
          } catch (StatusRuntimeException e) {
            assertThat(info(e).getReason()).isEqualTo("TREE_VERSION_CONFLICT");
          }
        }
        promotedWhileWriting.set(running.stream().anyMatch(future -> !future.isDone()));
        for (Future<?> future : running) {
          future.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
        for (ManagedChannel channel : channels) {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
      assertThat(promotedWhileWriting.get()).as("the promotion happened while members were written").isTrue();
      GetTreeResponse oldTree = tree(setup, root.getLineageId(), 0);
      GetTreeResponse newTree = tree(setup, branch.getLineageId(), 0);
      for (int i = 0; i < writers; i++) {
        String counter = counters.get(i);
        GetTreeResponse holder = i % 2 == 0 ? newTree : oldTree;
        Entity latest = holder.getMembersList().stream().filter(m -> m.getLineageId().equals(counter)).findFirst()
            .orElseThrow();
        assertThat(value(latest)).as("every write of %s kept", counter).isEqualTo(writesEach);
        assertThat(latest.getRootLineageId()).isEqualTo(i % 2 == 0 ? branch.getLineageId() : root.getLineageId());
      }
      assertThat(oldTree.getMembersCount()).isEqualTo(1 + writers / 2);
      assertThat(newTree.getMembersCount()).isEqualTo(1 + writers / 2);
      // Gap-free: each tree's history names every version from its start to its latest.
      for (GetTreeResponse tree : List.of(oldTree, newTree)) {
        var history = setup.treeHistory(TreeHistoryRequest.newBuilder().setRootLineageId(tree.getRootLineageId())
            .setPageSize(1000).build());
        List<Long> versions = history.getVersionsList().stream().map(TreeVersion::getTreeVersion).toList();
        assertThat(versions).hasSize((int) (tree.getTreeVersion() - history.getOldestRetainedTreeVersion() + 1));
        assertThat(versions.get(versions.size() - 1)).isEqualTo(tree.getTreeVersion());
      }
    }
  }

  private static GetTreeResponse tree(EntityServiceGrpc.EntityServiceBlockingStub entities, String rootId,
      long treeVersion) {
    return entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(rootId).setTreeVersion(treeVersion).build());
  }

  private static Entity create(EntityServiceGrpc.EntityServiceBlockingStub entities, String parentId, int value) {
    return entities.create(CreateEntityRequest.newBuilder().setParentLineageId(parentId).setEntityType("Counter")
        .setData(count(value)).build());
  }

  private static Struct count(long value) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(value).build()).build();
  }

  private static long value(Entity entity) {
    return (long) entity.getData().getFieldsOrThrow("count").getNumberValue();
  }
}
