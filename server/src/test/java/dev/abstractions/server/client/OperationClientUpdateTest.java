package dev.abstractions.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.ListOperationsResponse;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.GateHeldException;
import dev.abstractions.client.OperationClient;
import dev.abstractions.client.OperationOptions;
import dev.abstractions.client.OperationRejectedException;
import dev.abstractions.client.TargetBusyException;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code OperationClient.update}: the Begin, compute, Commit loop against a real server. */
class OperationClientUpdateTest {

  private static final Function<Struct, Struct> INCREMENT = data -> count(countOf(data) + 1);

  @Test
  void sixteenThreadsOfFiftyNormalUpdatesApplyEveryIncrementExactlyOnceAndNoneIsRejected() throws Exception {
    int threads = 16;
    int updatesPerThread = 50;
    try (TestServer server = TestServer.start("--history-limit", "10000");
        AbstractionsClient setup = AbstractionsClient.using(server.channel())) {
      String id = setup.entities().create("Counter", count(0)).getLineageId();
      AtomicInteger computed = new AtomicInteger();
      Function<Struct, Struct> countedIncrement = data -> {
        computed.incrementAndGet();
        return INCREMENT.apply(data);
      };
      List<ManagedChannel> channels = new ArrayList<>();
      List<AbstractionsClient> clients = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Integer>> rejections = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          ManagedChannel channel = server.newChannel();
          channels.add(channel);
          AbstractionsClient client = AbstractionsClient.using(channel);
          clients.add(client);
          rejections.add(pool.submit(() -> {
            int rejected = 0;
            for (int i = 0; i < updatesPerThread; i++) {
              try {
                client.operations().update(id, countedIncrement, PriorityClass.NORMAL);
              } catch (OperationRejectedException e) {
                rejected++;
              }
            }
            return rejected;
          }));
        }
        int rejected = 0;
        for (Future<Integer> f : rejections) {
          rejected += f.get(120, TimeUnit.SECONDS);
        }
        assertThat(rejected).as("updates rejected").isZero();
      } finally {
        pool.shutdownNow();
        for (AbstractionsClient client : clients) {
          client.close();
        }
        for (ManagedChannel channel : channels) {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }

      Entity latest = setup.entities().get(id);
      assertThat(countOf(latest.getData())).isEqualTo(threads * updatesPerThread);
      assertThat(latest.getVersion()).isEqualTo(threads * updatesPerThread + 1L);
      assertThat(computed.get()).as("every update computed").isGreaterThanOrEqualTo(threads * updatesPerThread);
      assertThat(overlapped(operations(setup.operations(), id, OperationStatus.SUCCEEDED)))
          .as("the entity was contended: operations in flight together").isTrue();
      assertThat(operations(setup.operations(), id, OperationStatus.REJECTED)).isEmpty();
      assertThat(operations(setup.operations(), id, OperationStatus.SUCCEEDED)).hasSize(threads * updatesPerThread);
    }
  }

  @Test
  void twoHundredAsyncUpdatesIssuedFromOneThreadRunConcurrentlyAndAllApply() throws Exception {
    int updates = 200;
    try (TestServer server = TestServer.start("--history-limit", "1000");
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      String id = client.entities().create("Counter", count(0)).getLineageId();
      AtomicInteger computed = new AtomicInteger();
      Set<Thread> computingThreads = ConcurrentHashMap.newKeySet();
      // All begin at once and the gate serves them oldest-first, so the last waits for every other
      // commit: a TTL well above the default 30 s keeps a loaded machine from expiring it.
      OperationOptions patient = OperationOptions.builder(PriorityClass.NORMAL).ttl(Duration.ofMinutes(5)).build();
      List<CompletableFuture<Entity>> futures = new ArrayList<>();
      for (int i = 0; i < updates; i++) {
        futures.add(client.operations().updateAsync(id, data -> {
          computed.incrementAndGet();
          computingThreads.add(Thread.currentThread());
          return INCREMENT.apply(data);
        }, patient));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      List<Long> versions = new ArrayList<>();
      for (CompletableFuture<Entity> future : futures) {
        versions.add(future.join().getVersion());
      }
      assertThat(versions).doesNotHaveDuplicates().allMatch(v -> v >= 2 && v <= updates + 1);
      Entity latest = client.entities().get(id);
      assertThat(countOf(latest.getData())).isEqualTo(updates);
      assertThat(latest.getVersion()).isEqualTo(updates + 1L);
      assertThat(computed.get()).as("every update computed").isGreaterThanOrEqualTo(updates);
      assertThat(overlapped(operations(client.operations(), id, OperationStatus.SUCCEEDED)))
          .as("the updates ran concurrently: operations in flight together").isTrue();
      assertThat(computingThreads).doesNotContain(Thread.currentThread());
      assertThat(operations(client.operations(), id, OperationStatus.REJECTED)).isEmpty();
    }
  }

  @Test
  void lowUpdateIsShedAtBeginBeforeComputingWhileAStructuralOperationHoldsTheGate() throws Exception {
    try (TestServer server = TestServer.start();
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      String id = client.entities().create("Counter", count(0)).getLineageId();
      String structural = structuralOperationOwningTheGate(server, client, id);

      AtomicInteger computed = new AtomicInteger();
      assertThatThrownBy(() -> client.operations().update(id, data -> {
        computed.incrementAndGet();
        return INCREMENT.apply(data);
      }, PriorityClass.LOW))
          .isInstanceOfSatisfying(TargetBusyException.class, e -> {
            assertThat(e.reason()).isEqualTo("TARGET_BUSY");
            assertThat(e.turnHolderOpId()).isEqualTo(structural);
            assertThat(e.retryAfter()).isPositive();
          });
      assertThat(computed.get()).isZero();
      assertThat(client.entities().get(id).getVersion()).isEqualTo(2);
      assertThat(client.operations().listOperations(id, List.of(), 100, "").getOperationsList())
          .extracting(OperationEntity::getOpId).containsExactly(structural);
    }
  }

  @Test
  void asyncLowUpdateIsShedTheSameWay() throws Exception {
    try (TestServer server = TestServer.start();
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      String id = client.entities().create("Counter", count(0)).getLineageId();
      String structural = structuralOperationOwningTheGate(server, client, id);

      CompletableFuture<Entity> update = client.operations().updateAsync(id, INCREMENT, PriorityClass.LOW);

      assertThat(update).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingCause()
          .isInstanceOfSatisfying(TargetBusyException.class,
              e -> assertThat(e.turnHolderOpId()).isEqualTo(structural));
    }
  }

  @Test
  void plainWriteMeetingAStructuralGateOwnerThrowsGateHeldNamingIt() throws Exception {
    try (TestServer server = TestServer.start();
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      String id = client.entities().create("Counter", count(0)).getLineageId();
      String structural = structuralOperationOwningTheGate(server, client, id);

      assertThatThrownBy(() -> client.entities().update(id, 2, count(7)))
          .isInstanceOfSatisfying(GateHeldException.class, e -> {
            assertThat(e.reason()).isEqualTo("PREEMPTED");
            assertThat(e.preempted()).isTrue();
            assertThat(e.gateOwnerOpId()).isEqualTo(structural);
          });
    }
  }

  @Test
  void updateWhoseFunctionThrowsAbortsItsOperationAndRethrows() throws Exception {
    try (TestServer server = TestServer.start();
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      String id = client.entities().create("Counter", count(0)).getLineageId();
      IllegalStateException boom = new IllegalStateException("boom");

      assertThatThrownBy(() -> client.operations().update(id, data -> {
        throw boom;
      }, PriorityClass.NORMAL)).isSameAs(boom);

      List<OperationEntity> cancelled = operations(client.operations(), id, OperationStatus.CANCELLED);
      assertThat(cancelled).hasSize(1);
      assertThat(operations(client.operations(), id, OperationStatus.PENDING)).isEmpty();
      assertThat(client.entities().get(id).getVersion()).isEqualTo(1);
    }
  }

  /**
   * Begins a STRUCTURAL operation, lets a plain write make its snapshot stale, and commits it once:
   * the conflict makes it RETRYING and so the owner of the target's gate. Leaves the target at
   * version 2.
   */
  @Test
  void aSlowFunctionKeepsTheGateItOwnsBecauseTheClientKeepsTheOperationAlive() throws Exception {
    try (TestServer server = TestServer.start("--gate-lease", "PT1.5S");
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      String id = client.entities().create("Counter", count(0)).getLineageId();
      AtomicInteger calls = new AtomicInteger();
      Entity written = client.operations().update(id, data -> {
        if (calls.incrementAndGet() == 1) {
          // Another writer lands first: this operation conflicts and owns the gate...
          client.entities().update(id, 1, count(100));
          return INCREMENT.apply(data);
        }
        try {
          Thread.sleep(3_500); // ...then computes for more than two leases before it commits.
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return INCREMENT.apply(data);
      }, PriorityClass.STRUCTURAL);

      assertThat(calls).hasValue(2);
      assertThat(written.getVersion()).isEqualTo(3);
      assertThat(countOf(written.getData())).isEqualTo(101);
    }
  }

  private static String structuralOperationOwningTheGate(TestServer server, AbstractionsClient client, String id) {
    OperationServiceGrpc.OperationServiceBlockingStub raw = OperationServiceGrpc.newBlockingStub(server.channel());
    BeginOperationResponse begun = raw.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(id)
        .setPriorityClass(PriorityClass.STRUCTURAL)
        .setOpType("migrate")
        .build());
    client.entities().update(id, 1, count(1));
    CommitOperationResponse conflict = raw.commit(CommitOperationRequest.newBuilder()
        .setOpId(begun.getOperation().getOpId())
        .setData(count(100))
        .build());
    assertThat(conflict.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(conflict.getOperation().getStatus()).isEqualTo(OperationStatus.RETRYING);
    return begun.getOperation().getOpId();
  }

  /**
   * Whether some operation began (its Begin arrived) before another that began earlier had
   * completed: run one after another, none would. (Whether they also recomputed depends on
   * timing: the server's turns make waiting Begins start after the holder commits.)
   */
  private static boolean overlapped(List<OperationEntity> operations) {
    List<OperationEntity> byCreation = new ArrayList<>(operations);
    byCreation.sort(java.util.Comparator.comparingLong(OperationEntity::getCreatedAtNs));
    for (int i = 1; i < byCreation.size(); i++) {
      long previousCompletedNs = com.google.protobuf.util.Timestamps.toNanos(byCreation.get(i - 1).getCompletedAt());
      if (byCreation.get(i).getCreatedAtNs() < previousCompletedNs) {
        return true;
      }
    }
    return false;
  }

  private static List<OperationEntity> operations(OperationClient operations, String id, OperationStatus status) {
    List<OperationEntity> all = new ArrayList<>();
    String token = "";
    do {
      ListOperationsResponse page = operations.listOperations(id, List.of(status), 1000, token);
      all.addAll(page.getOperationsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return all;
  }

  static Struct count(double n) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(n).build()).build();
  }

  static int countOf(Struct data) {
    return (int) data.getFieldsOrThrow("count").getNumberValue();
  }
}
