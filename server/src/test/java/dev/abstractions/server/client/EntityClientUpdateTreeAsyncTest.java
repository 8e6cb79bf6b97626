package dev.abstractions.server.client;

import static dev.abstractions.server.client.OperationClientUpdateTest.count;
import static dev.abstractions.server.client.OperationClientUpdateTest.countOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.EntityClient;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.Structs;
import dev.abstractions.client.Tree;
import dev.abstractions.client.TreeChanges;
import dev.abstractions.client.TreeVersionConflictException;
import dev.abstractions.server.TestServer;
import java.util.ArrayList;
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
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code EntityClient.updateTreeAsync} against a real server: the tree as written, contention from
 * many writers at once without a lost or doubled increment, {@code fn} never on the calling
 * thread, and the same give-up and refusal rules as the blocking {@code updateTree}.
 */
class EntityClientUpdateTreeAsyncTest {

  private static TestServer server;
  private static AbstractionsClient client;
  private static EntityClient entities;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--history-limit", "1000");
    client = AbstractionsClient.using(server.channel());
    entities = client.entities();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void updateTreeAsyncCompletesWithTheTreeAsWrittenOrAsReadWhenFnChangesNothing() throws Exception {
    String root = entities.create("Cart", Structs.fromJson("{\"items\":0}")).getLineageId();
    Entity first = entities.createMember(root, "Item", Structs.fromJson("{\"sku\":\"a\"}"));

    Tree written = await(entities.updateTreeAsync(root, tree -> List.of(
        TreeChanges.update(root, Structs.fromJson("{\"items\":2}")),
        TreeChanges.create(root, "Item", Structs.fromJson("{\"sku\":\"b\"}")))));
    Tree unchanged = await(entities.updateTreeAsync(root, tree -> List.of()));

    assertThat(written.treeVersion()).isEqualTo(3);
    assertThat(written).isEqualTo(entities.getTree(root, 3));
    assertThat(written.children(root)).hasSize(2).contains(first);
    assertThat(unchanged).isEqualTo(written);
    assertThat(entities.getTree(root).treeVersion()).isEqualTo(3);
  }

  @Test
  void updateTreeAsyncUnderContentionAppliesEveryIncrementOnceAndNeverRunsFnOnACallingThread() throws Exception {
    int threads = 8;
    int increments = 25;
    String root = entities.create("Ledger", Structs.fromJson("{}")).getLineageId();
    List<String> counters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      counters.add(entities.createMember(root, "Counter", count(0)).getLineageId());
    }
    Set<Thread> callers = ConcurrentHashMap.newKeySet();
    Set<Thread> fnThreads = ConcurrentHashMap.newKeySet();
    Set<Long> treeVersionsWritten = ConcurrentHashMap.newKeySet();
    AtomicInteger fnCalls = new AtomicInteger();
    ExecutorService writers = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String counter = counters.get(t);
        done.add(writers.submit(() -> {
          callers.add(Thread.currentThread());
          for (int i = 0; i < increments; i++) {
            Tree written = entities.updateTreeAsync(root, tree -> {
              fnThreads.add(Thread.currentThread());
              fnCalls.incrementAndGet();
              int n = countOf(tree.member(counter).orElseThrow().getData());
              return List.of(TreeChanges.update(counter, count(n + 1)));
            }).get(60, TimeUnit.SECONDS);
            treeVersionsWritten.add(written.treeVersion());
          }
          return null;
        }));
      }
      for (Future<?> writer : done) {
        writer.get(120, TimeUnit.SECONDS);
      }
    } finally {
      writers.shutdownNow();
      writers.awaitTermination(10, TimeUnit.SECONDS);
    }

    long created = 1 + threads;
    Tree end = entities.getTree(root);
    assertThat(end.treeVersion()).isEqualTo(created + threads * increments);
    assertThat(counters).allSatisfy(counter ->
        assertThat(countOf(end.member(counter).orElseThrow().getData())).isEqualTo(increments));
    assertThat(new TreeSet<>(treeVersionsWritten)).containsExactlyElementsOf(
        LongStream.rangeClosed(created + 1, created + threads * increments).boxed().toList());
    assertThat(fnCalls.get()).isGreaterThan(threads * increments);
    assertThat(callers).hasSize(threads);
    assertThat(fnThreads).isNotEmpty().doesNotContainAnyElementsOf(callers);
  }

  @Test
  void updateTreeAsyncGivesUpAfterFiftyConflictsAndFailsAtOnceOnAnyOtherRefusalOrWhatFnThrows() throws Exception {
    String root = entities.create("Cart", Structs.fromJson("{}")).getLineageId();
    String stranger = entities.create("Cart", Structs.fromJson("{}")).getLineageId();
    Entity item = entities.createMember(root, "Item", count(0));
    AtomicInteger calls = new AtomicInteger();

    Throwable foreign = failureOf(entities.updateTreeAsync(root, tree -> {
      calls.incrementAndGet();
      return List.of(TreeChanges.update(stranger, Structs.fromJson("{}")));
    }));
    assertThat(foreign).isInstanceOfSatisfying(EntityServiceException.class,
        e -> assertThat(e.reason()).isEqualTo("NOT_IN_TREE"));
    assertThat(calls).hasValue(1);

    // fn itself moves the tree on before returning (a blocking call: fn runs on grpc's executor), so every
    // attempt loses.
    calls.set(0);
    Throwable exhausted = failureOf(entities.updateTreeAsync(root, tree -> {
      int call = calls.incrementAndGet();
      entities.update(item.getLineageId(), call, count(call));
      return List.of(TreeChanges.update(root, Structs.fromJson("{\"lost\":true}")));
    }));
    assertThat(calls).hasValue(50);
    assertThat(exhausted).isInstanceOfSatisfying(TreeVersionConflictException.class,
        e -> assertThat(e.currentTreeVersion()).isEqualTo(52));
    assertThat(entities.get(root).getVersion()).isEqualTo(1);

    RuntimeException failure = new IllegalStateException("fn failed");
    assertThat(failureOf(entities.updateTreeAsync(root, tree -> {
      throw failure;
    }))).isSameAs(failure);
    assertThat(entities.getTree(root).treeVersion()).isEqualTo(52);
  }

  @Test
  void anEntityClientOfItsOwnHasNoThreadToWaitOnAndRefusesUpdateTreeAsync() throws Exception {
    try (EntityClient alone = EntityClient.using(server.channel())) {
      String root = alone.create("Cart", Structs.fromJson("{}")).getLineageId();

      assertThatThrownBy(() -> alone.updateTreeAsync(root, tree -> List.of()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("AbstractionsClient.entities()");
      assertThat(entities.serializable().updateTreeAsync(root, tree -> List.of()).get(10, TimeUnit.SECONDS)
          .treeVersion()).isEqualTo(1);
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }
}
