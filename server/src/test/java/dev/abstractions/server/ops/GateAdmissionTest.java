package dev.abstractions.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.ListOperationsRequest;
import dev.abstractions.api.v1.ListOperationsResponse;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import dev.abstractions.server.core.RetryPolicy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import com.google.common.util.concurrent.ListenableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Begin that arrives while a gate owner of at least its priority holds the target waits for that
 * owner to leave, so the snapshot it answers with is not one the owner's commit is bound to
 * overwrite; over a real server and channel.
 */
class GateAdmissionTest {

  private static TestServer server;
  private static EntityServiceGrpc.EntityServiceBlockingStub entities;
  private static OperationServiceGrpc.OperationServiceBlockingStub operations;
  private static OperationServiceGrpc.OperationServiceFutureStub pending;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    entities = EntityServiceGrpc.newBlockingStub(server.channel());
    operations = OperationServiceGrpc.newBlockingStub(server.channel());
    pending = OperationServiceGrpc.newFutureStub(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aLowBeginWhileAStructuralOwnerHoldsTheGateIsAnsweredWithTheOwnersVersionAndThenCommitsAtOnce()
      throws Exception {
    String target = create();
    BeginOperationResponse structural = ownGate(target, PriorityClass.STRUCTURAL);

    // LOW waits for the gate at most 250 ms, its longest backoff.
    ListenableFuture<BeginOperationResponse> low = pending.begin(begin(target, PriorityClass.LOW).build());
    Thread.sleep(50);
    assertThat(low.isDone()).as("answered while the owner still held the gate").isFalse();

    CommitOperationResponse owner = commit(structural, 10);
    assertThat(owner.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    BeginOperationResponse begun = low.get(10, TimeUnit.SECONDS);
    assertThat(begun.getSnapshot()).isEqualTo(owner.getEntity());
    assertThat(begun.getOperation().getStatus()).isEqualTo(OperationStatus.PENDING);
    assertThat(begun.getOperation().getSnapshotVersion()).isEqualTo(3);
    CommitOperationResponse committed = commit(begun, 11);
    assertThat(committed.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(committed.getOperation().getRetryCount()).isZero();
  }

  @Test
  void anEqualPriorityBeginWaitsUntilTheOwnerIsAborted() throws Exception {
    String target = create();
    BeginOperationResponse owner = ownGate(target, PriorityClass.LOW);

    ListenableFuture<BeginOperationResponse> equal = pending.begin(begin(target, PriorityClass.LOW).build());
    Thread.sleep(50);
    assertThat(equal.isDone()).isFalse();

    operations.abort(AbortOperationRequest.newBuilder().setOpId(owner.getOperation().getOpId()).build());
    BeginOperationResponse begun = equal.get(10, TimeUnit.SECONDS);
    assertThat(begun.getSnapshot().getVersion()).isEqualTo(2);
    assertThat(commit(begun, 5).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
  }

  @Test
  void aBeginThatWaitedItsClassesLongestBackoffIsBegunAnywayAndItsCommitYieldsToTheOwner() {
    String target = create();
    BeginOperationResponse structural = ownGate(target, PriorityClass.STRUCTURAL);

    long started = System.nanoTime();
    BeginOperationResponse late = operations.begin(begin(target, PriorityClass.NORMAL).build());
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(waitedMillis).as("NORMAL's longest backoff").isGreaterThanOrEqualTo(100);
    assertThat(late.getOperation().getStatus()).isEqualTo(OperationStatus.PENDING);
    assertThat(late.getSnapshot().getVersion()).isEqualTo(2);
    CommitOperationResponse yields = commit(late, 1);
    assertThat(yields.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(yields.getCharged()).isFalse();
    assertThat(yields.getOperation().getStatus()).isEqualTo(OperationStatus.RETRYING);
    assertThat(commit(structural, 10).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    // The gate passed to it: a fresh snapshot, then its commit lands.
    CommitOperationResponse refreshed = commit(late, 1);
    assertThat(refreshed.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(refreshed.getEntity().getVersion()).isEqualTo(3);
    assertThat(commit(late, 11).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
  }

  @Test
  void aHigherPriorityBeginWaitsNoLongerThanItsClassesLongestWaitWhileALowerOwnerHoldsTheGate() {
    String target = create();
    ownGate(target, PriorityClass.LOW);

    long started = System.nanoTime();
    BeginOperationResponse structural = operations.withDeadlineAfter(2, TimeUnit.SECONDS)
        .begin(begin(target, PriorityClass.STRUCTURAL).build());
    long waitedNanos = System.nanoTime() - started;

    assertThat(waitedNanos).isLessThan(RetryPolicy.longestWaitNanos(PriorityClass.STRUCTURAL) + TimeUnit.SECONDS.toNanos(1));
    assertThat(structural.getSnapshot().getVersion()).isEqualTo(2);
    assertThat(commit(structural, 10).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
  }

  @Test
  void aWaitingBeginWhoseCallerGaveUpIsNeverStarted() {
    String target = create();
    BeginOperationResponse structural = ownGate(target, PriorityClass.STRUCTURAL);

    assertThatThrownBy(() -> operations.withDeadlineAfter(50, TimeUnit.MILLISECONDS)
        .begin(begin(target, PriorityClass.LOW).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    // Same connection: the server has seen the cancellation before this commit frees the gate.
    assertThat(commit(structural, 10).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);

    ListOperationsResponse listed =
        operations.list(ListOperationsRequest.newBuilder().setTargetLineageId(target).build());
    assertThat(listed.getOperationsList()).extracting(OperationEntity::getOpId)
        .containsExactly(structural.getOperation().getOpId());
  }

  @Test
  void aWaitingBeginWithARequestIdWhoseCallerGaveUpLeavesNoOperationAndItsRetryBeginsAnew() {
    String target = create();
    BeginOperationResponse structural = ownGate(target, PriorityClass.STRUCTURAL);
    BeginOperationRequest request = begin(target, PriorityClass.LOW).setRequestId("retried-begin").build();

    assertThatThrownBy(() -> operations.withDeadlineAfter(50, TimeUnit.MILLISECONDS).begin(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(commit(structural, 10).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(operations.list(ListOperationsRequest.newBuilder().setTargetLineageId(target).build())
        .getOperationsList()).extracting(OperationEntity::getOpId)
        .containsExactly(structural.getOperation().getOpId());

    // The cancelled call's answer was not remembered: the retry begins an operation of its own.
    BeginOperationResponse retried = operations.begin(request);
    assertThat(retried.getOperation().getStatus()).isEqualTo(OperationStatus.PENDING);
    assertThat(retried.getSnapshot().getVersion()).isEqualTo(3);
    assertThat(operations.begin(request).getOperation().getOpId()).isEqualTo(retried.getOperation().getOpId());
  }

  /** Begins an operation of {@code cls} and makes it conflict once, so that it owns the gate. */
  private static BeginOperationResponse ownGate(String target, PriorityClass cls) {
    BeginOperationResponse owner = operations.begin(begin(target, cls).build());
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(target).setExpectedVersion(1).setData(count(1)).build());
    CommitOperationResponse conflict = commit(owner, 2);
    assertThat(conflict.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(conflict.getRetryAfter()).as("the owner retries at once").isEqualTo(Duration.getDefaultInstance());
    return owner;
  }

  private static BeginOperationRequest.Builder begin(String target, PriorityClass cls) {
    return BeginOperationRequest.newBuilder().setTargetLineageId(target).setPriorityClass(cls);
  }

  private static CommitOperationResponse commit(BeginOperationResponse op, double count) {
    return operations.commit(CommitOperationRequest.newBuilder()
        .setOpId(op.getOperation().getOpId()).setData(count(count)).build());
  }

  private static String create() {
    Entity created = entities.create(CreateEntityRequest.newBuilder().setEntityType("Counter").setData(count(0)).build());
    return created.getLineageId();
  }

  private static Struct count(double n) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(n).build()).build();
  }
}
