package dev.abstractions.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.Entity;
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
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The arbitration rules of DESIGN.md section 5, each shown over a real server and channel. */
class OperationArbitrationTest {

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
  void priorityTenWinsTheGateAndFiveAndEightYieldToItUnchargedThenCommitInPriorityOrder() {
    String target = create(count(0)).getLineageId();
    // Begun one after another with no commit between: each waits out the turn of the one before
    // (RetryPolicy.TURN_NANOS), whose client stays silent, and begins on the same snapshot.
    BeginOperationResponse p2 = begin(target, PriorityClass.LOW, 2);
    BeginOperationResponse p5 = begin(target, PriorityClass.NORMAL, 5);
    BeginOperationResponse p8 = begin(target, PriorityClass.NORMAL, 8);
    BeginOperationResponse p10 = begin(target, PriorityClass.STRUCTURAL, 10);
    assertThat(List.of(p2, p5, p8, p10)).allSatisfy(b -> assertThat(b.getSnapshot().getVersion()).isEqualTo(1));

    CommitOperationResponse first = commit(p2, count(2));
    assertThat(first.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(first.getEntity().getVersion()).isEqualTo(2);
    assertThat(first.getEntity().getDerivedFromOpId()).isEqualTo(id(p2));

    CommitOperationResponse tenConflicts = commit(p10, count(10));
    assertThat(tenConflicts.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(tenConflicts.getCharged()).isTrue();
    assertThat(tenConflicts.getRetryAfter()).isEqualTo(Duration.getDefaultInstance());
    assertThat(tenConflicts.getEntity().getVersion()).isEqualTo(2);
    assertThat(tenConflicts.getOperation().getStatus()).isEqualTo(OperationStatus.RETRYING);
    assertThat(tenConflicts.getOperation().getRetryCount()).isEqualTo(1);

    // 5 and 8 lose to 10: they yield (wait behind it, uncharged), they are not rejected.
    for (BeginOperationResponse lower : List.of(p5, p8)) {
      CommitOperationResponse yields = commit(lower, count(99));
      assertThat(yields.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
      assertThat(yields.getCharged()).isFalse();
      assertThat(yields.getOperation().getRetryCount()).isZero();
      assertThat(yields.getOperation().getStatus()).isEqualTo(OperationStatus.RETRYING);
      assertThat(yields.getRetryAfter().getSeconds() * 1_000_000_000L + yields.getRetryAfter().getNanos()).isPositive();
      assertThat(yields.getEntity().getVersion()).isEqualTo(2);
    }

    CommitOperationResponse tenCommits = commit(p10, count(10));
    assertThat(tenCommits.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(tenCommits.getEntity().getVersion()).isEqualTo(3);

    // The gate passes to 8, then to 5; each owner's snapshot predates its ownership: a fresh one,
    // uncharged and at once, then its commit lands.
    long version = 3;
    for (BeginOperationResponse next : List.of(p8, p5)) {
      CommitOperationResponse refreshed = commit(next, count(99));
      assertThat(refreshed.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
      assertThat(refreshed.getCharged()).isFalse();
      assertThat(refreshed.getRetryAfter()).isEqualTo(Duration.getDefaultInstance());
      assertThat(refreshed.getEntity().getVersion()).isEqualTo(version);
      CommitOperationResponse lands = commit(next, count(version + 1));
      assertThat(lands.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
      assertThat(lands.getEntity().getVersion()).isEqualTo(++version);
      assertThat(lands.getOperation().getRetryCount()).isZero();
    }

    assertThat(List.of(p2, p5, p8, p10)).allSatisfy(op -> assertThat(status(op)).isEqualTo(OperationStatus.SUCCEEDED));
    assertThat(latest(target).getData()).isEqualTo(count(5));
  }

  @Test
  void aLowPriorityChildOfAStructuralParentInheritsItsPriorityAndAnEightYieldsToIt() {
    String target = create(count(0)).getLineageId();
    String other = create(count(0)).getLineageId();
    BeginOperationResponse parent = begin(other, PriorityClass.STRUCTURAL, 10);
    BeginOperationResponse child = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(PriorityClass.LOW).setPriority(2)
        .setParentOpId(id(parent)).build());
    assertThat(child.getOperation().getPriority()).isEqualTo(2);
    assertThat(child.getOperation().getEffectivePriority()).isEqualTo(10);
    assertThat(child.getOperation().getParentOpId()).isEqualTo(id(parent));

    BeginOperationResponse eight = begin(target, PriorityClass.NORMAL, 8);
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(target).setExpectedVersion(1).setData(count(1)).build());

    CommitOperationResponse childConflicts = commit(child, count(5));
    assertThat(childConflicts.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    CommitOperationResponse eightYields = commit(eight, count(8));
    assertThat(eightYields.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(eightYields.getCharged()).isFalse();
    assertThat(commit(child, count(5)).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
  }

  @Test
  void equalPriorityWaitsBehindTheGateOwnerWithoutBeingCharged() {
    String target = create(count(0)).getLineageId();
    BeginOperationResponse owner = begin(target, PriorityClass.NORMAL, 5);
    BeginOperationResponse later = begin(target, PriorityClass.NORMAL, 5);
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(target).setExpectedVersion(1).setData(count(1)).build());
    assertThat(commit(owner, count(2)).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);

    CommitOperationResponse waits = commit(later, count(3));
    assertThat(waits.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(waits.getCharged()).isFalse();
    assertThat(waits.getOperation().getRetryCount()).isZero();
    assertThat(waits.getRetryAfter().getNanos() + waits.getRetryAfter().getSeconds()).isPositive();

    // A plain update is an anonymous NORMAL operation: it too waits behind the owner.
    StatusRuntimeException gated = catchStatus(() -> entities.update(UpdateEntityRequest.newBuilder()
        .setLineageId(target).setExpectedVersion(2).setData(count(9)).build()));
    assertThat(gated.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(gated.getStatus().getDescription()).contains(id(owner));

    assertThat(commit(owner, count(2)).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    // The gate passed to the waiting operation; its snapshot predates its ownership: fresh, uncharged.
    CommitOperationResponse refreshed = commit(later, count(3));
    assertThat(refreshed.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(refreshed.getCharged()).isFalse();
    assertThat(refreshed.getRetryAfter()).isEqualTo(Duration.getDefaultInstance());
    assertThat(refreshed.getEntity().getVersion()).isEqualTo(3);
    CommitOperationResponse done = commit(later, count(3));
    assertThat(done.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(done.getOperation().getRetryCount()).isZero();
  }

  @Test
  void retriesBeyondTheBudgetAreRejectedAsExhausted() {
    String target = create(count(0)).getLineageId();
    BeginOperationResponse op = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(PriorityClass.LOW).setMaxRetries(2).build());
    // Plain writes (priority 5) outrank the LOW operation even once it owns the gate.
    for (int attempt = 1; attempt <= 2; attempt++) {
      entities.update(UpdateEntityRequest.newBuilder().setLineageId(target)
          .setExpectedVersion(attempt).setData(count(attempt)).build());
      CommitOperationResponse conflict = commit(op, count(-1));
      assertThat(conflict.getOutcome()).as("attempt %d", attempt).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
      assertThat(conflict.getCharged()).isTrue();
      assertThat(conflict.getOperation().getRetryCount()).isEqualTo(attempt);
    }
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(target).setExpectedVersion(3).setData(count(3)).build());
    CommitOperationResponse exhausted = commit(op, count(-1));
    assertThat(exhausted.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_REJECTED);
    assertThat(exhausted.getOperation().getRejectionReason()).isEqualTo(RejectionReason.RETRIES_EXHAUSTED);
    // The third conflict is charged by ending the operation: the count never passes the budget.
    assertThat(exhausted.getCharged()).isTrue();
    assertThat(exhausted.getOperation().getRetryCount()).isEqualTo(2);
    assertThat(exhausted.getOperation().getMaxRetries()).isEqualTo(2);
    assertThat(latest(target).getData()).isEqualTo(count(3));
  }

  @Test
  void aGateOwnerWhoseClientVanishedExpiresAndNormalWritersProceed() throws Exception {
    String target = create(count(0)).getLineageId();
    BeginOperationResponse abandoned = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(PriorityClass.STRUCTURAL)
        .setTtl(Duration.newBuilder().setNanos(300_000_000)).build());
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(target).setExpectedVersion(1).setData(count(1)).build());
    assertThat(commit(abandoned, count(7)).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    StatusRuntimeException blocked = catchStatus(() -> entities.update(UpdateEntityRequest.newBuilder()
        .setLineageId(target).setExpectedVersion(2).setData(count(2)).build()));
    assertThat(blocked.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);

    Thread.sleep(600); // the client vanished; its deadline passes

    OperationEntity expired = operations.get(GetOperationRequest.newBuilder().setOpId(id(abandoned)).build());
    assertThat(expired.getStatus()).isEqualTo(OperationStatus.REJECTED);
    assertThat(expired.getRejectionReason()).isEqualTo(RejectionReason.EXPIRED);
    Entity written = entities.update(UpdateEntityRequest.newBuilder()
        .setLineageId(target).setExpectedVersion(2).setData(count(2)).build());
    assertThat(written.getVersion()).isEqualTo(3);
    BeginOperationResponse normal = begin(target, PriorityClass.NORMAL, 5);
    assertThat(commit(normal, count(3)).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
  }

  @Test
  void concurrentAccountOperationsEndAtTheExactBalance() throws Exception {
    String account = create(Struct.newBuilder().putFields("balance", num(1000)).build()).getLineageId();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      List<Future<ExecuteResponse>> results = new ArrayList<>();
      for (int delta : new int[] {100, 50, -75, 200, -25}) {
        results.add(pool.submit(() -> operations.execute(ExecuteRequest.newBuilder()
            .setTargetLineageId(account).setFunction("increment").setOpType("transfer")
            .setArgs(Struct.newBuilder().putFields("path", str("balance")).putFields("by", num(delta)))
            .build())));
      }
      for (Future<ExecuteResponse> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
      }
    } finally {
      pool.shutdownNow();
    }
    Entity balance = latest(account);
    assertThat(balance.getData().getFieldsOrThrow("balance").getNumberValue()).isEqualTo(1250);
    assertThat(balance.getVersion()).isEqualTo(6);
    assertThat(balance.getDerivedFromFunction()).isEqualTo("increment");
  }

  @Test
  void aFunctionThatFailsLeavesTheEntityUnchanged() {
    Entity entity = create(Struct.newBuilder().putFields("name", str("Ada")).build());
    ExecuteResponse failed = operations.execute(ExecuteRequest.newBuilder()
        .setTargetLineageId(entity.getLineageId()).setFunction("increment")
        .setArgs(Struct.newBuilder().putFields("path", str("name"))).build());
    assertThat(failed.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_FAILED);
    assertThat(failed.getOperation().getStatus()).isEqualTo(OperationStatus.FAILED);
    assertThat(failed.getOperation().getFailureMessage()).contains("name");
    assertThat(latest(entity.getLineageId())).isEqualTo(entity);
  }

  @Test
  void replayingACommitOrAnExecuteWithItsRequestIdAppliesOnce() {
    String target = create(count(0)).getLineageId();
    BeginOperationResponse op = begin(target, PriorityClass.NORMAL, 5);
    CommitOperationRequest commit = CommitOperationRequest.newBuilder()
        .setOpId(id(op)).setData(count(1)).setRequestId("commit-1").build();
    CommitOperationResponse first = operations.commit(commit);
    CommitOperationResponse replay = operations.commit(commit);
    assertThat(replay).isEqualTo(first);
    assertThat(latest(target).getVersion()).isEqualTo(2);

    ExecuteRequest execute = ExecuteRequest.newBuilder()
        .setTargetLineageId(target).setFunction("increment").setRequestId("execute-1")
        .setArgs(Struct.newBuilder().putFields("path", str("count"))).build();
    ExecuteResponse once = operations.execute(execute);
    assertThat(operations.execute(execute)).isEqualTo(once);
    assertThat(latest(target).getData()).isEqualTo(count(2));
    assertThat(latest(target).getVersion()).isEqualTo(3);

    StatusRuntimeException reused = catchStatus(() -> operations.execute(execute.toBuilder()
        .setArgs(Struct.newBuilder().putFields("path", str("other"))).build()));
    assertThat(reused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(latest(target).getVersion()).isEqualTo(3);
  }

  @Test
  void deletingATargetFailsItsOperationsAndListShowsThem() {
    String target = create(count(0)).getLineageId();
    BeginOperationResponse op = begin(target, PriorityClass.LOW, 2);
    entities.delete(DeleteEntityRequest.newBuilder().setLineageId(target).setExpectedVersion(1).build());
    OperationEntity failed = operations.get(GetOperationRequest.newBuilder().setOpId(id(op)).build());
    assertThat(failed.getStatus()).isEqualTo(OperationStatus.FAILED);
    assertThat(failed.getFailureMessage()).contains("deleted");
    assertThat(operations.list(ListOperationsRequest.newBuilder().setTargetLineageId(target)
        .addStatuses(OperationStatus.FAILED).build()).getOperationsList())
        .extracting(OperationEntity::getOpId).containsExactly(id(op));
    StatusRuntimeException finished = catchStatus(() -> operations.commit(
        CommitOperationRequest.newBuilder().setOpId(id(op)).setData(count(1)).build()));
    assertThat(finished.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  private static Entity create(Struct data) {
    return entities.create(CreateEntityRequest.newBuilder().setEntityType("Account").setData(data).build());
  }

  private static Entity latest(String target) {
    return entities.get(GetEntityRequest.newBuilder().setLineageId(target).build());
  }

  private static BeginOperationResponse begin(String target, PriorityClass cls, int priority) {
    return operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(cls).setPriority(priority).build());
  }

  private static CommitOperationResponse commit(BeginOperationResponse op, Struct data) {
    return operations.commit(CommitOperationRequest.newBuilder().setOpId(id(op)).setData(data).build());
  }

  private static OperationStatus status(BeginOperationResponse op) {
    return operations.get(GetOperationRequest.newBuilder().setOpId(id(op)).build()).getStatus();
  }

  private static String id(BeginOperationResponse op) {
    return op.getOperation().getOpId();
  }

  private static StatusRuntimeException catchStatus(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  private static Struct count(double n) {
    return Struct.newBuilder().putFields("count", num(n)).build();
  }

  private static Value num(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
