package dev.abstractions.server.tree;

import static dev.abstractions.server.tree.EntityTreeTest.info;
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
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.TreeHistoryResponse;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many clients change one tree at once, some through tree writes of two members, some through plain
 * Updates of a third, while readers read the tree page by page: the totals are exact, the tree's
 * versions have no gap, and no reader ever sees one of a tree write's members changed and the other
 * not.
 */
class TreeConcurrencyTest {

  private static final int TREE_WRITERS = 6;
  private static final int MEMBER_WRITERS = 4;
  private static final int WRITES_EACH = 40;

  @Test
  void treeWritesAndMemberWritesOnOneTreeLoseNothingAndReadersNeverSeeHalfAWrite() throws Exception {
    try (TestServer server = TestServer.start("--history-limit", "1000")) {
      EntityServiceGrpc.EntityServiceBlockingStub setup = EntityServiceGrpc.newBlockingStub(server.channel());
      Entity root = setup.create(CreateEntityRequest.newBuilder().setEntityType("Order").build());
      String a = member(setup, root, "A");
      String b = member(setup, root, "B");
      String c = member(setup, root, "C");
      String rootId = root.getLineageId();

      ExecutorService pool = Executors.newFixedThreadPool(TREE_WRITERS + MEMBER_WRITERS + 2);
      List<ManagedChannel> channels = new ArrayList<>();
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger treeConflicts = new AtomicInteger();
      AtomicInteger reads = new AtomicInteger();
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < TREE_WRITERS; w++) {
          EntityServiceGrpc.EntityServiceBlockingStub stub = stub(server, channels);
          writers.add(pool.submit(() -> {
            for (int done = 0; done < WRITES_EACH; ) {
              GetTreeResponse tree = stub.getTree(GetTreeRequest.newBuilder().setRootLineageId(rootId).build());
              Map<String, Long> counts = counts(tree);
              try {
                stub.writeTree(WriteTreeRequest.newBuilder().setRootLineageId(rootId)
                    .setExpectedTreeVersion(tree.getTreeVersion())
                    .addChanges(increment(a, counts.get(a)))
                    .addChanges(increment(b, counts.get(b)))
                    .build());
                done++;
              } catch (StatusRuntimeException e) {
                assertThat(info(e).getReason()).isEqualTo("TREE_VERSION_CONFLICT");
                treeConflicts.incrementAndGet();
              }
            }
            return null;
          }));
        }
        for (int w = 0; w < MEMBER_WRITERS; w++) {
          EntityServiceGrpc.EntityServiceBlockingStub stub = stub(server, channels);
          writers.add(pool.submit(() -> {
            for (int done = 0; done < WRITES_EACH; ) {
              Entity current = stub.get(GetEntityRequest.newBuilder().setLineageId(c).build());
              try {
                stub.update(UpdateEntityRequest.newBuilder().setLineageId(c).setExpectedVersion(current.getVersion())
                    .setData(count(count(current.getData()) + 1)).build());
                done++;
              } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                assertThat(info(e).getReason()).isEqualTo("VERSION_CONFLICT");
              }
            }
            return null;
          }));
        }
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
          EntityServiceGrpc.EntityServiceBlockingStub stub = stub(server, channels);
          readers.add(pool.submit(() -> {
            long lastTreeVersion = 0;
            while (writing.get()) {
              // One member per page: the pages of one read must still be one tree version.
              Map<String, Long> counts = new HashMap<>();
              String token = "";
              long treeVersion = 0;
              do {
                GetTreeResponse page = stub.getTree(GetTreeRequest.newBuilder().setRootLineageId(rootId)
                    .setPageSize(1).setPageToken(token).build());
                assertThat(treeVersion == 0 || page.getTreeVersion() == treeVersion).isTrue();
                treeVersion = page.getTreeVersion();
                counts.putAll(counts(page));
                token = page.getNextPageToken();
              } while (!token.isEmpty());
              assertThat(counts.get(a)).as("A and B change together, at tree version %d", treeVersion)
                  .isEqualTo(counts.get(b));
              assertThat(treeVersion).isGreaterThanOrEqualTo(lastTreeVersion);
              lastTreeVersion = treeVersion;
              reads.incrementAndGet();
            }
            return null;
          }));
        }
        for (Future<?> writer : writers) {
          writer.get(120, TimeUnit.SECONDS);
        }
        writing.set(false);
        for (Future<?> reader : readers) {
          reader.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
        for (ManagedChannel channel : channels) {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }

      int treeWrites = TREE_WRITERS * WRITES_EACH;
      int memberWrites = MEMBER_WRITERS * WRITES_EACH;
      GetTreeResponse last = setup.getTree(GetTreeRequest.newBuilder().setRootLineageId(rootId).build());
      Map<String, Long> counts = counts(last);
      assertThat(counts).containsEntry(a, (long) treeWrites).containsEntry(b, (long) treeWrites)
          .containsEntry(c, (long) memberWrites);
      long setupVersions = 4; // the root and its three members
      assertThat(last.getTreeVersion()).isEqualTo(setupVersions + treeWrites + memberWrites);
      assertThat(reads.get()).as("the readers read while the writers wrote").isPositive();

      // The tree's history: every tree version once, in order, each naming exactly what it wrote.
      List<TreeVersion> history = new ArrayList<>();
      String token = "";
      do {
        TreeHistoryResponse page = setup.treeHistory(TreeHistoryRequest.newBuilder().setRootLineageId(rootId)
            .setPageSize(100).setPageToken(token).build());
        assertThat(page.getOldestRetainedTreeVersion()).isEqualTo(1);
        history.addAll(page.getVersionsList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      assertThat(history).extracting(TreeVersion::getTreeVersion)
          .containsExactlyElementsOf(range(1, last.getTreeVersion()));
      int pairs = 0;
      int singles = 0;
      long stamp = 0;
      for (TreeVersion version : history.subList(4, history.size())) {
        List<String> changed = version.getChangedList().stream().map(MemberVersion::getLineageId).toList();
        if (changed.size() == 2) {
          assertThat(changed).containsExactlyInAnyOrder(a, b);
          pairs++;
        } else {
          assertThat(changed).containsExactly(c);
          singles++;
        }
        assertThat(version.getLastModifiedNs()).as("tree stamps strictly increase").isGreaterThan(stamp);
        stamp = version.getLastModifiedNs();
      }
      assertThat(pairs).isEqualTo(treeWrites);
      assertThat(singles).isEqualTo(memberWrites);
    }
  }

  private static EntityServiceGrpc.EntityServiceBlockingStub stub(TestServer server, List<ManagedChannel> channels) {
    ManagedChannel channel = server.newChannel();
    channels.add(channel);
    return EntityServiceGrpc.newBlockingStub(channel);
  }

  private static String member(EntityServiceGrpc.EntityServiceBlockingStub stub, Entity root, String name) {
    return stub.create(CreateEntityRequest.newBuilder().setParentLineageId(root.getLineageId())
        .setEntityType("Counter").setData(count(0)).build()).getLineageId();
  }

  private static TreeChange increment(String lineageId, long current) {
    return TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(lineageId)
        .setData(count(current + 1))).build();
  }

  private static Map<String, Long> counts(GetTreeResponse tree) {
    Map<String, Long> counts = new HashMap<>();
    for (Entity member : tree.getMembersList()) {
      if (member.getEntityType().equals("Counter")) {
        counts.put(member.getLineageId(), count(member.getData()));
      }
    }
    return counts;
  }

  private static Struct count(long value) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(value).build()).build();
  }

  private static long count(Struct data) {
    return (long) data.getFieldsOrThrow("count").getNumberValue();
  }

  private static List<Long> range(long from, long to) {
    List<Long> all = new ArrayList<>();
    for (long v = from; v <= to; v++) {
      all.add(v);
    }
    return all;
  }
}
