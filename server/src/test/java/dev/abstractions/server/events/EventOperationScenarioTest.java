package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.count;
import static dev.abstractions.server.events.EventStreams.errorInfo;
import static dev.abstractions.server.events.EventStreams.fromSequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The events of one arbitration scenario (DESIGN.md section 5) on one target, in the exact order
 * the server's atomic steps publish them.
 */
class EventOperationScenarioTest {

  @Test
  void operationsOfPriority2And5And8And10OnOneTargetPublishEveryArbitrationDecisionInOrder()
      throws Exception {
    try (TestServer server = TestServer.start()) {
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      OperationServiceGrpc.OperationServiceBlockingStub operations = OperationServiceGrpc.newBlockingStub(server.channel());
      Entity target = entities.create(CreateEntityRequest.newBuilder().setEntityType("Course").setData(count(0)).build());
      String id = target.getLineageId();
      EventStreams.Recorder stream = EventStreams.subscribe(server.channel(),
          fromSequence(1, EventFilter.newBuilder().addLineageIds(id).build()));

      BeginOperationResponse p2 = begin(operations, id, PriorityClass.LOW, 2);
      BeginOperationResponse p5 = begin(operations, id, PriorityClass.NORMAL, 5);
      BeginOperationResponse p8 = begin(operations, id, PriorityClass.NORMAL, 8);
      BeginOperationResponse p10 = begin(operations, id, PriorityClass.STRUCTURAL, 10);
      for (BeginOperationResponse begun : List.of(p2, p5, p8, p10)) {
        assertThat(begun.getSnapshot()).isEqualTo(target);
      }
      String op2 = p2.getOperation().getOpId();
      String op5 = p5.getOperation().getOpId();
      String op8 = p8.getOperation().getOpId();
      String op10 = p10.getOperation().getOpId();

      CommitOperationResponse won = commit(operations, op2, 2);
      assertThat(won.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
      Entity version2 = won.getEntity();
      assertThat(version2.getVersion()).isEqualTo(2);

      CommitOperationResponse conflict = commit(operations, op10, 10);
      assertThat(conflict.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
      assertThat(conflict.getCharged()).isTrue();
      assertThat(conflict.getRetryAfter()).isEqualTo(Duration.getDefaultInstance());
      assertThat(conflict.getEntity()).isEqualTo(version2);
      assertThat(conflict.getOperation().getStatus()).isEqualTo(OperationStatus.RETRYING);
      assertThat(conflict.getOperation().getRetryCount()).isEqualTo(1);
      assertThat(conflict.getOperation().getSnapshotVersion()).isEqualTo(2);
      // It owns the gate: a plain write (priority 5) is refused, and the refusal publishes nothing.
      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () -> entities.update(
          UpdateEntityRequest.newBuilder().setLineageId(id).setExpectedVersion(2).setData(count(-1)).build()));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
      ErrorInfo gate = errorInfo(refused);
      assertThat(gate.getReason()).isEqualTo("PREEMPTED");
      assertThat(gate.getMetadataMap()).containsEntry("preempted_by_op_id", op10);

      for (String lower : List.of(op5, op8)) {
        CommitOperationResponse yields = commit(operations, lower, 99);
        assertThat(yields.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
        assertThat(yields.getCharged()).isFalse();
        assertThat(yields.getOperation().getStatus()).isEqualTo(OperationStatus.RETRYING);
        assertThat(yields.getOperation().getRetryCount()).isZero();
      }

      CommitOperationResponse structural = commit(operations, op10, 10);
      assertThat(structural.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
      Entity version3 = structural.getEntity();
      assertThat(version3.getVersion()).isEqualTo(3);
      assertThat(version3.getDerivedFromOpId()).isEqualTo(op10);

      long head = server.injector().getInstance(EventLog.class).lastSequence();
      assertThat(head).isEqualTo(15);
      stream.awaitCount(head, java.time.Duration.ofSeconds(20));
      List<Event> events = stream.events();
      assertThat(events).extracting(Event::getSequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
      assertThat(events).extracting(EventOperationScenarioTest::describe).containsExactly(
          "5 - EntityCreated v1",
          "2 " + op2 + " OperationStarted",
          "5 " + op5 + " OperationStarted",
          "8 " + op8 + " OperationStarted",
          "10 " + op10 + " OperationStarted",
          "2 " + op2 + " EntityVersioned 1->2",
          "2 " + op2 + " OperationSucceeded v2",
          // In cause order, each in one atomic step: op 10's conflict, then its retry.
          "10 " + op10 + " OperationConflict snapshot 1 current 2 winner " + op2 + " charged",
          "10 " + op10 + " OperationRetry 1/20 after 0s",
          // The lower ones lose to op 10, which owns the gate: they yield, uncharged, and wait.
          "5 " + op5 + " OperationConflict snapshot 1 current 2 winner " + op10 + " uncharged",
          "5 " + op5 + " OperationRetry 0/5 after 0s+ns",
          "8 " + op8 + " OperationConflict snapshot 1 current 2 winner " + op10 + " uncharged",
          "8 " + op8 + " OperationRetry 0/5 after 0s+ns",
          "10 " + op10 + " EntityVersioned 2->3",
          "10 " + op10 + " OperationSucceeded v3");

      assertThat(events.get(0).getEntityCreated().getEntity()).isEqualTo(target);
      Map<String, BeginOperationResponse> begun = Map.of(op2, p2, op5, p5, op8, p8, op10, p10);
      for (Event started : events.subList(1, 5)) {
        OperationEntity operation = started.getOperationStarted().getOperation();
        assertThat(operation).isEqualTo(begun.get(started.getOpId()).getOperation());
        assertThat(operation.getStatus()).isEqualTo(OperationStatus.PENDING);
        assertThat(operation.getSnapshotVersion()).isEqualTo(1);
      }
      assertThat(events.get(6).getOperationSucceeded().getEcsId()).isEqualTo(version2.getEcsId());
      assertThat(events.get(14).getOperationSucceeded().getEcsId()).isEqualTo(version3.getEcsId());
      assertThat(events).allSatisfy(event -> {
        assertThat(event.getTargetLineageId()).isEqualTo(id);
        assertThat(event.getEntityType()).isEqualTo("Course");
        assertThat(event.getParentOpId()).isEmpty();
      });
      stream.cancel();
    }
  }

  @Test
  void anExecuteBeginsWritesAndSucceedsInOneStepWithItsEventsInOrder() throws Exception {
    try (TestServer server = TestServer.start()) {
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      OperationServiceGrpc.OperationServiceBlockingStub operations = OperationServiceGrpc.newBlockingStub(server.channel());
      String id = entities.create(CreateEntityRequest.newBuilder().setEntityType("Course").setData(count(0)).build())
          .getLineageId();
      EventStreams.Recorder stream = EventStreams.subscribe(server.channel(),
          fromSequence(1, EventFilter.newBuilder().addLineageIds(id).build()));

      ExecuteResponse done = operations.execute(ExecuteRequest.newBuilder().setTargetLineageId(id)
          .setFunction("increment").setArgs(Struct.newBuilder().putFields("path",
              com.google.protobuf.Value.newBuilder().setStringValue("count").build())).build());

      assertThat(done.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
      String op = done.getOperation().getOpId();
      stream.awaitCount(4, java.time.Duration.ofSeconds(20));
      List<Event> events = stream.events();
      assertThat(events).extracting(Event::getSequence).containsExactly(1L, 2L, 3L, 4L);
      assertThat(events).extracting(EventOperationScenarioTest::describe).containsExactly(
          "5 - EntityCreated v1",
          "5 " + op + " OperationStarted",
          "5 " + op + " EntityVersioned 1->2",
          "5 " + op + " OperationSucceeded v2");
      assertThat(events.get(1).getOperationStarted().getOperation().getStatus()).isEqualTo(OperationStatus.PENDING);
      stream.cancel();
    }
  }

  private static String describe(Event event) {
    String prefix = event.getPriority() + " " + (event.getOpId().isEmpty() ? "-" : event.getOpId()) + " ";
    return prefix + switch (event.getKindCase()) {
      case ENTITY_CREATED -> "EntityCreated v" + event.getEntityCreated().getEntity().getVersion();
      case ENTITY_VERSIONED -> "EntityVersioned " + event.getEntityVersioned().getOldVersion() + "->"
          + event.getEntityVersioned().getNewVersion();
      case OPERATION_STARTED -> "OperationStarted";
      case OPERATION_SUCCEEDED -> "OperationSucceeded v" + event.getOperationSucceeded().getVersion();
      case OPERATION_REJECTED -> "OperationRejected " + event.getOperationRejected().getReason() + " by "
          + event.getOperationRejected().getPreemptedByOpId();
      case OPERATION_CONFLICT -> "OperationConflict snapshot " + event.getOperationConflict().getSnapshotVersion()
          + " current " + event.getOperationConflict().getCurrentVersion()
          + " winner " + event.getOperationConflict().getWinnerOpId()
          + (event.getOperationConflict().getCharged() ? " charged" : " uncharged");
      case OPERATION_RETRY -> "OperationRetry " + event.getOperationRetry().getRetryCount() + "/"
          + event.getOperationRetry().getMaxRetries() + " after "
          + event.getOperationRetry().getRetryAfter().getSeconds() + "s"
          + (event.getOperationRetry().getRetryAfter().getNanos() == 0 ? "" : "+ns");
      default -> event.getKindCase().name();
    };
  }

  private static BeginOperationResponse begin(OperationServiceGrpc.OperationServiceBlockingStub operations,
      String target, PriorityClass priorityClass, int priority) {
    return operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(priorityClass).setPriority(priority).build());
  }

  private static CommitOperationResponse commit(OperationServiceGrpc.OperationServiceBlockingStub operations,
      String opId, int value) {
    return operations.commit(CommitOperationRequest.newBuilder().setOpId(opId).setData(count(value)).build());
  }
}
