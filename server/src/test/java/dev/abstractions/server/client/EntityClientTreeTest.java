package dev.abstractions.server.client;

import static dev.abstractions.server.client.OperationClientUpdateTest.count;
import static dev.abstractions.server.client.OperationClientUpdateTest.countOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.MemberVersion;
import dev.abstractions.api.v1.PromoteTreeMemberResponse;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.TreeHistoryResponse;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.api.v1.WriteTreeResponse;
import dev.abstractions.client.EntityClient;
import dev.abstractions.client.EntityNotFoundException;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.Structs;
import dev.abstractions.client.Tree;
import dev.abstractions.client.TreeChanges;
import dev.abstractions.client.TreeVersionConflictException;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tree calls of {@link EntityClient} against a real server: members, tree writes and whole-tree
 * reads at exact tree versions, paging, tree history, typed refusals, and {@code updateTree}'s
 * read-modify-write loop under contention.
 */
class EntityClientTreeTest {

  private static TestServer server;
  private static EntityClient client;

  @BeforeAll
  static void start() throws Exception {
    // Enough history that the contended tree keeps every tree version it reaches.
    server = TestServer.start("--history-limit", "1000");
    client = EntityClient.using(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void membersAndTreeWritesMoveTheTreeVersionByOneAndGetTreeReadsEachVersionBack() throws Exception {
    Entity order = client.create("Order", Structs.fromJson("{\"total\":0}"));
    String root = order.getLineageId();
    Entity line = client.createMember(root, "Line", Structs.fromJson("{\"qty\":1}"));
    Entity note = await(client.createMemberAsync(line.getLineageId(), "9a1d7c3e-2b4f-4e6a-8c0d-1f2e3a4b5c6d", "Note",
        Structs.fromJson("{\"text\":\"gift\"}")));
    assertThat(List.of(order.getTreeVersion(), line.getTreeVersion(), note.getTreeVersion()))
        .containsExactly(1L, 2L, 3L);
    assertThat(line.getParentLineageId()).isEqualTo(root);
    assertThat(note.getLineageId()).isEqualTo("9a1d7c3e-2b4f-4e6a-8c0d-1f2e3a4b5c6d");
    assertThat(note.getRootLineageId()).isEqualTo(root);
    Tree three = client.getTree(root);

    String boxId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
    WriteTreeResponse written = client.writeTree(root, 3, List.of(
        TreeChanges.update(root, Structs.fromJson("{\"total\":7}")),
        TreeChanges.create(root, boxId, "Box", Structs.fromJson("{}")),
        TreeChanges.create(boxId, "Item", Structs.fromJson("{\"sku\":\"a\"}")),
        TreeChanges.delete(note.getLineageId())));

    assertThat(written.getTreeVersion()).isEqualTo(4);
    assertThat(written.getWrittenList()).extracting(Entity::getTreeVersion).containsOnly(4L);
    Entity order2 = written.getWritten(0);
    Entity box = written.getWritten(1);
    Entity item = written.getWritten(2);
    assertThat(order2.getVersion()).isEqualTo(2);
    assertThat(item.getParentLineageId()).isEqualTo(boxId);
    assertThat(written.getWritten(3).getDeleted()).isTrue();

    Tree four = client.getTree(root);
    assertThat(four.rootLineageId()).isEqualTo(root);
    assertThat(four.treeVersion()).isEqualTo(4);
    assertThat(four.lastModifiedNs()).isEqualTo(order2.getLastModifiedNs());
    assertThat(four.members()).containsExactlyElementsOf(byLineageId(order2, line, box, item));
    assertThat(four.member(boxId)).contains(box);
    assertThat(four.member(note.getLineageId())).isEmpty();
    assertThat(four.children(root)).containsExactlyElementsOf(byLineageId(line, box));
    assertThat(four.children(boxId)).containsExactly(item);
    assertThat(four.children(item.getLineageId())).isEmpty();

    assertThat(client.getTree(root, 3)).isEqualTo(three);
    assertThat(three.treeVersion()).isEqualTo(3);
    assertThat(three.members()).containsExactlyElementsOf(byLineageId(order, line, note));
    assertThat(three.children(line.getLineageId())).containsExactly(note);
    assertThat(client.getTree(root, 1).members()).containsExactly(order);
    assertThat(await(client.getTreeAsync(root))).isEqualTo(four);
    assertThat(await(client.getTreeAsync(root, 3))).isEqualTo(three);
    assertThat(client.serializable().getTree(root)).isEqualTo(four);

    WriteTreeResponse again = await(client.writeTreeAsync(root, 4,
        List.of(TreeChanges.update(item.getLineageId(), Structs.fromJson("{\"sku\":\"b\"}")))));
    assertThat(again.getTreeVersion()).isEqualTo(5);
    assertThat(again.getWritten(0).getVersion()).isEqualTo(2);
  }

  @Test
  void getTreeReadsEveryPageOfATreeLargerThanOnePageAndPagesStayAtTheFirstPagesTreeVersion() throws Exception {
    String root = client.create("Catalog", Structs.fromJson("{}")).getLineageId();
    // Two writes of 600 members: 1,201 in all, more than one page of getTree's (1,000).
    for (int batch = 0; batch < 2; batch++) {
      List<TreeChange> creates = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        creates.add(TreeChanges.create(root, "Product", Structs.fromJson("{\"n\":" + (batch * 600 + i) + "}")));
      }
      client.writeTree(root, 1 + batch, creates);
    }

    Tree tree = client.getTree(root);

    assertThat(tree.treeVersion()).isEqualTo(3);
    assertThat(tree.members()).hasSize(1201);
    assertThat(tree.members()).isSortedAccordingTo(Comparator.comparing(Entity::getLineageId));
    assertThat(tree.children(root)).hasSize(1200);
    assertThat(await(client.getTreeAsync(root))).isEqualTo(tree);

    // A small page size, and a write between the first page and the rest: every page stays at tree version 3.
    GetTreeResponse first = client.getTreePage(root, 0, 7, "");
    Entity changed = tree.children(root).get(600);
    client.writeTree(root, 3, List.of(TreeChanges.update(changed.getLineageId(), Structs.fromJson("{\"n\":-1}"))));
    List<Entity> paged = new ArrayList<>(first.getMembersList());
    int pages = 1;
    String token = first.getNextPageToken();
    while (!token.isEmpty()) {
      GetTreeResponse page = await(client.getTreePageAsync(root, 0, 7, token));
      assertThat(page.getTreeVersion()).isEqualTo(3);
      assertThat(page.getMembersCount()).isLessThanOrEqualTo(7);
      paged.addAll(page.getMembersList());
      token = page.getNextPageToken();
      pages++;
    }
    assertThat(first.getTreeVersion()).isEqualTo(3);
    assertThat(pages).isEqualTo(172);
    assertThat(paged).isEqualTo(tree.members());
    assertThat(client.getTree(root).member(changed.getLineageId()).orElseThrow().getData())
        .isEqualTo(Structs.fromJson("{\"n\":-1}"));
  }

  @Test
  void treeHistoryListsEveryTreeVersionOldestFirstWithTheMemberVersionsItWrote() throws Exception {
    String root = client.create("Folder", Structs.fromJson("{}")).getLineageId();
    Entity doc = client.createMember(root, "Doc", Structs.fromJson("{\"v\":1}"));
    client.update(doc.getLineageId(), 1, Structs.fromJson("{\"v\":2}"));
    WriteTreeResponse both = client.writeTree(root, 3, List.of(
        TreeChanges.update(root, Structs.fromJson("{\"docs\":0}")), TreeChanges.delete(doc.getLineageId())));

    List<TreeVersion> versions = new ArrayList<>();
    String token = "";
    do {
      TreeHistoryResponse page = client.treeHistory(root, 3, token);
      assertThat(page.getOldestRetainedTreeVersion()).isEqualTo(1);
      assertThat(page.getVersionsCount()).isLessThanOrEqualTo(3);
      versions.addAll(page.getVersionsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    assertThat(versions).extracting(TreeVersion::getTreeVersion).containsExactly(1L, 2L, 3L, 4L);
    assertThat(versions.get(0).getChangedList()).extracting(MemberVersion::getLineageId, MemberVersion::getVersion)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(root, 1L));
    assertThat(versions.get(2).getChangedList()).extracting(MemberVersion::getLineageId, MemberVersion::getVersion)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(doc.getLineageId(), 2L));
    assertThat(versions.get(3).getLastModifiedNs()).isEqualTo(both.getWritten(0).getLastModifiedNs());
    assertThat(versions.get(3).getChangedList())
        .extracting(MemberVersion::getLineageId, MemberVersion::getVersion, MemberVersion::getDeleted)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(root, 2L, false),
            org.assertj.core.groups.Tuple.tuple(doc.getLineageId(), 3L, true));
    assertThat(await(client.treeHistoryAsync(root, 0, ""))).isEqualTo(client.treeHistory(root, 0, ""));
  }

  @Test
  void aStaleTreeWriteFailsWithTreeVersionConflictAndOtherRefusalsKeepTheirReasonAndMetadata() throws Exception {
    String root = client.create("Order", Structs.fromJson("{}")).getLineageId();
    Entity line = client.createMember(root, "Line", Structs.fromJson("{}"));
    Entity note = client.createMember(line.getLineageId(), "Note", Structs.fromJson("{}"));
    Tree read = client.getTree(root);
    client.update(note.getLineageId(), 1, Structs.fromJson("{\"text\":\"moved on\"}"));
    List<TreeChange> late = List.of(TreeChanges.update(line.getLineageId(), Structs.fromJson("{\"qty\":9}")));

    TreeVersionConflictException stale = catchThrowableOfType(
        () -> client.writeTree(root, read.treeVersion(), late), TreeVersionConflictException.class);
    Throwable staleAsync = failureOf(client.writeTreeAsync(root, read.treeVersion(), late));

    assertThat(stale.code()).isEqualTo(Status.Code.ABORTED);
    assertThat(stale.reason()).isEqualTo("TREE_VERSION_CONFLICT");
    assertThat(stale.currentTreeVersion()).isEqualTo(4);
    assertThat(stale.rootLineageId()).isEqualTo(root);
    assertThat(staleAsync).isInstanceOf(TreeVersionConflictException.class);
    assertThat(((TreeVersionConflictException) staleAsync).currentTreeVersion()).isEqualTo(4);
    assertThat(client.get(line.getLineageId())).isEqualTo(line);

    EntityServiceException notARoot = catchThrowableOfType(() -> client.getTree(line.getLineageId()),
        EntityServiceException.class);
    assertThat(notARoot.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(notARoot.reason()).isEqualTo("NOT_A_ROOT");
    assertThat(notARoot.metadata()).containsEntry("root_lineage_id", root);
    assertThat(((EntityServiceException) failureOf(client.getTreeAsync(line.getLineageId()))).reason())
        .isEqualTo("NOT_A_ROOT");
    EntityServiceException hasChildren = catchThrowableOfType(
        () -> client.writeTree(root, 4, List.of(TreeChanges.delete(line.getLineageId()))),
        EntityServiceException.class);
    assertThat(hasChildren.reason()).isEqualTo("MEMBER_HAS_CHILDREN");
    assertThat(hasChildren.metadata()).containsEntry("lineage_id", line.getLineageId())
        .containsEntry("child_lineage_id", note.getLineageId());
    assertThat(catchThrowable(() -> client.getTree(root, 99))).isInstanceOf(EntityNotFoundException.class);
    assertThatThrownBy(() -> client.createMember("", "Line", Structs.fromJson("{}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void promoteTreeMemberMakesAMemberARootAndAStaleOneThrowsTreeVersionConflict() throws Exception {
    Entity order = client.create("Order", Structs.fromJson("{}"));
    Entity line = client.createMember(order.getLineageId(), "Line", Structs.fromJson("{}"));
    Entity note = client.createMember(line.getLineageId(), "Note", Structs.fromJson("{}"));

    PromoteTreeMemberResponse promoted =
        client.promoteTreeMemberAsync(line.getLineageId(), 3).get(10, TimeUnit.SECONDS);
    assertThat(promoted.getOldRootLineageId()).isEqualTo(order.getLineageId());
    assertThat(promoted.getTreeVersion()).isEqualTo(4);
    Tree split = client.getTree(line.getLineageId());
    assertThat(split.treeVersion()).isEqualTo(4);
    assertThat(split.members()).extracting(Entity::getLineageId)
        .containsExactlyInAnyOrder(line.getLineageId(), note.getLineageId());
    assertThat(client.getTree(order.getLineageId()).members()).extracting(Entity::getLineageId)
        .containsExactly(order.getLineageId());

    assertThatThrownBy(() -> client.promoteTreeMember(note.getLineageId(), 3))
        .isInstanceOfSatisfying(TreeVersionConflictException.class,
            e -> assertThat(e.currentTreeVersion()).isEqualTo(4));
    assertThatThrownBy(() -> client.promoteTreeMember(line.getLineageId(), 4))
        .isInstanceOfSatisfying(EntityServiceException.class, e -> {
          assertThat(e.reason()).isEqualTo("ALREADY_A_ROOT");
          assertThat(e.metadata()).containsEntry("lineage_id", line.getLineageId());
        });
  }

  @Test
  void updateTreeWritesWhatFnComputesAndReturnsTheTreeAsWrittenOrAsReadWhenFnChangesNothing() {
    String root = client.create("Cart", Structs.fromJson("{\"items\":0}")).getLineageId();
    Entity first = client.createMember(root, "Item", Structs.fromJson("{\"sku\":\"a\"}"));

    Tree written = client.updateTree(root, tree -> List.of(
        TreeChanges.update(root, Structs.fromJson("{\"items\":2}")),
        TreeChanges.create(root, "Item", Structs.fromJson("{\"sku\":\"b\"}"))));
    Tree unchanged = client.updateTree(root, tree -> List.of());

    assertThat(written.treeVersion()).isEqualTo(3);
    assertThat(written).isEqualTo(client.getTree(root, 3));
    assertThat(written.children(root)).hasSize(2).contains(first);
    assertThat(unchanged).isEqualTo(written);
    assertThat(client.getTree(root).treeVersion()).isEqualTo(3);

    Tree emptied = client.updateTree(root, tree -> tree.members().stream()
        .filter(member -> !member.getLineageId().equals(root))
        .map(member -> TreeChanges.delete(member.getLineageId()))
        .toList());
    assertThat(emptied.members()).extracting(Entity::getLineageId).containsExactly(root);
    assertThat(emptied).isEqualTo(client.getTree(root));
  }

  @Test
  void updateTreeStopsAtOnceOnARefusalThatIsNoConflictAndGivesUpAfterFiftyConflicts() {
    String root = client.create("Cart", Structs.fromJson("{}")).getLineageId();
    String stranger = client.create("Cart", Structs.fromJson("{}")).getLineageId();
    Entity item = client.createMember(root, "Item", count(0));
    AtomicInteger calls = new AtomicInteger();

    EntityServiceException foreign = catchThrowableOfType(() -> client.updateTree(root, tree -> {
      calls.incrementAndGet();
      return List.of(TreeChanges.update(stranger, Structs.fromJson("{}")));
    }), EntityServiceException.class);
    assertThat(foreign.reason()).isEqualTo("NOT_IN_TREE");
    assertThat(calls).hasValue(1);

    // fn itself moves the tree on before returning, so every attempt loses.
    calls.set(0);
    TreeVersionConflictException exhausted = catchThrowableOfType(() -> client.updateTree(root, tree -> {
      int call = calls.incrementAndGet();
      client.update(item.getLineageId(), call, count(call));
      return List.of(TreeChanges.update(root, Structs.fromJson("{\"lost\":true}")));
    }), TreeVersionConflictException.class);
    assertThat(calls).hasValue(50);
    assertThat(exhausted.currentTreeVersion()).isEqualTo(52);
    assertThat(client.get(root).getVersion()).isEqualTo(1);

    RuntimeException failure = new IllegalStateException("fn failed");
    assertThat(catchThrowable(() -> client.updateTree(root, tree -> {
      throw failure;
    }))).isSameAs(failure);
    assertThat(client.getTree(root).treeVersion()).isEqualTo(52);
  }

  @Test
  void updateTreeUnderContentionAppliesEveryIncrementOnceAtGapFreeTreeVersions() throws Exception {
    String root = client.create("Ledger", Structs.fromJson("{}")).getLineageId();
    List<String> counters = List.of(client.createMember(root, "Counter", count(0)).getLineageId(),
        client.createMember(root, "Counter", count(0)).getLineageId());
    int threads = 8;
    int increments = 25;
    AtomicInteger fnCalls = new AtomicInteger();
    Set<Long> treeVersionsWritten = ConcurrentHashMap.newKeySet();
    ExecutorService writers = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(writers.submit(() -> {
          for (int i = 0; i < increments; i++) {
            String counter = counters.get((thread + i) % 2);
            Tree written = client.updateTree(root, tree -> {
              fnCalls.incrementAndGet();
              int n = countOf(tree.member(counter).orElseThrow().getData());
              return List.of(TreeChanges.update(counter, count(n + 1)));
            });
            treeVersionsWritten.add(written.treeVersion());
          }
        }));
      }
      for (Future<?> writer : done) {
        writer.get(120, TimeUnit.SECONDS);
      }
    } finally {
      writers.shutdownNow();
      writers.awaitTermination(10, TimeUnit.SECONDS);
    }

    Tree end = client.getTree(root);
    assertThat(end.treeVersion()).isEqualTo(3 + 200);
    assertThat(counters).allSatisfy(counter ->
        assertThat(countOf(end.member(counter).orElseThrow().getData())).isEqualTo(100));
    assertThat(new TreeSet<>(treeVersionsWritten)).containsExactlyElementsOf(
        LongStream.rangeClosed(4, 203).boxed().toList());
    assertThat(fnCalls.get()).isGreaterThanOrEqualTo(200);

    List<TreeVersion> history = new ArrayList<>();
    String token = "";
    do {
      TreeHistoryResponse page = client.treeHistory(root, 0, token);
      assertThat(page.getOldestRetainedTreeVersion()).isEqualTo(1);
      history.addAll(page.getVersionsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    assertThat(history).extracting(TreeVersion::getTreeVersion)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 203).boxed().toList());
    assertThat(history.subList(3, 203)).allSatisfy(version -> assertThat(version.getChangedList()).hasSize(1));
    for (String counter : counters) {
      assertThat(history.stream().flatMap(version -> version.getChangedList().stream())
          .filter(member -> member.getLineageId().equals(counter)).map(MemberVersion::getVersion))
          .containsExactlyElementsOf(IntStream.rangeClosed(1, 101).mapToObj(Long::valueOf).toList());
    }
  }

  private static List<Entity> byLineageId(Entity... members) {
    return java.util.Arrays.stream(members).sorted(Comparator.comparing(Entity::getLineageId)).toList();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }
}
