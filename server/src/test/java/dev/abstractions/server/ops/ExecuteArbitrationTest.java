package dev.abstractions.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityHistoryResponse;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetOperationRequest;
import dev.abstractions.api.v1.ListOperationsRequest;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Execute under arbitration, over a real server and channel: its begin and first attempt share a
 * step, it needs no expiry timer, and hot keys lose nothing.
 */
class ExecuteArbitrationTest {

  private static TestServer server;
  private static EntityServiceGrpc.EntityServiceBlockingStub entities;
  private static OperationServiceGrpc.OperationServiceBlockingStub operations;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--history-limit", "100000", "--operation-retention", "100000");
    entities = EntityServiceGrpc.newBlockingStub(server.channel());
    operations = OperationServiceGrpc.newBlockingStub(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void anUncontendedExecuteSucceedsAndItsOperationIsReadableAndListedAfterwards() {
    String target = create().getLineageId();

    ExecuteResponse done = operations.execute(increment(target, PriorityClass.NORMAL).build());

    assertThat(done.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(done.getEntity().getVersion()).isEqualTo(2);
    OperationEntity op = done.getOperation();
    assertThat(op.getStatus()).isEqualTo(OperationStatus.SUCCEEDED);
    assertThat(op.getSnapshotVersion()).isEqualTo(1);
    assertThat(op.getCommittedVersion()).isEqualTo(2);
    assertThat(op.getRetryCount()).isZero();
    assertThat(operations.get(GetOperationRequest.newBuilder().setOpId(op.getOpId()).build())).isEqualTo(op);
    assertThat(operations.list(ListOperationsRequest.newBuilder().setTargetLineageId(target).build())
        .getOperationsList()).containsExactly(op);
  }

  @Test
  void anExecuteWaitingBehindAnEqualPriorityOwnerEndsExpiredAtItsDeadline() {
    String target = create().getLineageId();
    BeginOperationResponse owner = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(PriorityClass.NORMAL).build());
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(target).setExpectedVersion(1).setData(count(7)).build());
    assertThat(commit(owner, 8).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT); // it owns the gate now

    ExecuteResponse waited = operations.execute(increment(target, PriorityClass.NORMAL)
        .setTtl(Duration.newBuilder().setNanos(300_000_000)).build());

    OperationEntity expired = waited.getOperation();
    assertThat(waited.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_REJECTED);
    assertThat(expired.getStatus()).isEqualTo(OperationStatus.REJECTED);
    assertThat(expired.getRejectionReason()).isEqualTo(RejectionReason.EXPIRED);
    assertThat(expired.getRetryCount()).as("gate waits are not charged").isZero();
    long lateNanos = nanos(expired.getCompletedAt()) - nanos(expired.getDeadline());
    assertThat(lateNanos).as("ended this long after its deadline").isBetween(0L, 200_000_000L);
    assertThat(operations.get(GetOperationRequest.newBuilder().setOpId(expired.getOpId()).build())).isEqualTo(expired);

    assertThat(commit(owner, 8).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(latest(target).getData()).isEqualTo(count(8));
  }

  @Test
  void sixteenExecutorsAndTwoClientDrivenWritersOnOneKeyLoseNoIncrementAndLeaveNoGap() throws Exception {
    String target = create().getLineageId();
    int executors = 16;
    int executesEach = 150;
    int clientWrites = 40;
    ExecutorService pool = Executors.newFixedThreadPool(executors + 2);
    List<Future<Long>> writers = new ArrayList<>();
    try {
      for (int w = 0; w < executors; w++) {
        writers.add(pool.submit(() -> {
          long committed = 0;
          for (int i = 0; i < executesEach; i++) {
            ExecuteResponse done = operations.execute(increment(target, PriorityClass.NORMAL).build());
            assertThat(done.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
            committed++;
          }
          return committed;
        }));
      }
      // Begin/Commit writers of the same priority conflict and take the gate the executors wait behind.
      for (int w = 0; w < 2; w++) {
        writers.add(pool.submit(() -> {
          long committed = 0;
          while (committed < clientWrites) {
            BeginOperationResponse op = operations.begin(BeginOperationRequest.newBuilder()
                .setTargetLineageId(target).setPriorityClass(PriorityClass.NORMAL).setMaxRetries(100).build());
            CommitOperationResponse answer = commit(op, countOf(op.getSnapshot()) + 1);
            while (answer.getOutcome() == CommitOutcome.OUTCOME_CONFLICT) {
              TimeUnit.NANOSECONDS.sleep(nanos(answer.getRetryAfter()));
              answer = commit(op, countOf(answer.getEntity()) + 1);
            }
            if (answer.getOutcome() == CommitOutcome.OUTCOME_COMMITTED) {
              committed++;
            }
          }
          return committed;
        }));
      }
      long committed = 0;
      for (Future<Long> writer : writers) {
        committed += writer.get(120, TimeUnit.SECONDS);
      }

      assertThat(committed).isEqualTo((long) executors * executesEach + 2L * clientWrites);
      Entity last = latest(target);
      assertThat(countOf(last)).isEqualTo(committed);
      assertThat(last.getVersion()).isEqualTo(committed + 1);
      List<Entity> history = history(target);
      for (int i = 0; i < history.size(); i++) {
        Entity version = history.get(i);
        assertThat(version.getVersion()).isEqualTo(i + 1);
        assertThat(countOf(version)).isEqualTo(i);
        if (i > 0) {
          assertThat(version.getPreviousEcsId()).isEqualTo(history.get(i - 1).getEcsId());
        }
      }
      assertThat(history).hasSize((int) committed + 1);
      assertThat(operations.list(ListOperationsRequest.newBuilder().setTargetLineageId(target)
          .addStatuses(OperationStatus.PENDING).addStatuses(OperationStatus.RETRYING).build()).getOperationsList())
          .as("every operation ended").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  private static ExecuteRequest.Builder increment(String target, PriorityClass cls) {
    return ExecuteRequest.newBuilder()
        .setTargetLineageId(target)
        .setFunction("increment")
        .setPriorityClass(cls)
        .setArgs(Struct.newBuilder().putFields("path", Value.newBuilder().setStringValue("count").build()));
  }

  private static CommitOperationResponse commit(BeginOperationResponse op, double count) {
    return operations.commit(CommitOperationRequest.newBuilder()
        .setOpId(op.getOperation().getOpId()).setData(count(count)).build());
  }

  private static Entity create() {
    return entities.create(CreateEntityRequest.newBuilder().setEntityType("Counter").setData(count(0)).build());
  }

  private static Entity latest(String target) {
    return entities.get(GetEntityRequest.newBuilder().setLineageId(target).build());
  }

  private static List<Entity> history(String target) {
    List<Entity> versions = new ArrayList<>();
    String token = "";
    do {
      EntityHistoryResponse page = entities.history(EntityHistoryRequest.newBuilder()
          .setLineageId(target).setPageSize(1000).setPageToken(token).build());
      versions.addAll(page.getVersionsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return versions;
  }

  private static long countOf(Entity entity) {
    return (long) entity.getData().getFieldsOrThrow("count").getNumberValue();
  }

  private static Struct count(double n) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(n).build()).build();
  }

  private static long nanos(Timestamp t) {
    return t.getSeconds() * 1_000_000_000L + t.getNanos();
  }

  private static long nanos(Duration d) {
    return d.getSeconds() * 1_000_000_000L + d.getNanos();
  }
}
