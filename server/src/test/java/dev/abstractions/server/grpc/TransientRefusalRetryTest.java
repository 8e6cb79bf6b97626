package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

/**
 * A plain write refused because an operation of equal priority holds the gate (ABORTED, reason
 * GATE_HELD, "retry later") is not remembered under its {@code request_id}: the client's retry
 * with the same id runs again, and succeeds once the gate is free. What succeeded is still replayed.
 * Over a real server and channel.
 */
class TransientRefusalRetryTest {

  private static final String REQUEST_ID = "update-1";

  @Test
  void aPlainUpdateRefusedWhileTheGateIsHeldRunsAgainWhenRetriedWithTheSameRequestId() throws Exception {
    try (TestServer server = TestServer.start()) {
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      OperationServiceGrpc.OperationServiceBlockingStub operations =
          OperationServiceGrpc.newBlockingStub(server.channel());
      String target = entities
          .create(CreateEntityRequest.newBuilder().setEntityType("Counter").setData(count(0)).build())
          .getLineageId();
      BeginOperationResponse owner = ownGate(entities, operations, target); // target is now at version 2
      UpdateEntityRequest update = UpdateEntityRequest.newBuilder()
          .setLineageId(target).setExpectedVersion(2).setData(count(7)).setRequestId(REQUEST_ID).build();

      StatusRuntimeException refused =
          catchThrowableOfType(StatusRuntimeException.class, () -> entities.update(update));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
      assertThat(errorInfo(refused).getReason()).isEqualTo("GATE_HELD");

      operations.abort(AbortOperationRequest.newBuilder().setOpId(owner.getOperation().getOpId()).build());
      Entity written = entities.update(update);
      assertThat(written.getVersion()).isEqualTo(3);
      assertThat(written.getData()).isEqualTo(count(7));

      // Now the outcome is for keeps: a replay gets it without writing again.
      assertThat(entities.update(update)).isEqualTo(written);
      assertThat(entities.get(GetEntityRequest.newBuilder().setLineageId(target).build())).isEqualTo(written);
    }
  }

  /** Begins a NORMAL operation (plain writes' priority) and makes it conflict once, so that it owns the gate. */
  private static BeginOperationResponse ownGate(EntityServiceGrpc.EntityServiceBlockingStub entities,
      OperationServiceGrpc.OperationServiceBlockingStub operations, String target) {
    BeginOperationResponse owner = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(PriorityClass.NORMAL).build());
    entities.update(
        UpdateEntityRequest.newBuilder().setLineageId(target).setExpectedVersion(1).setData(count(1)).build());
    assertThat(operations.commit(CommitOperationRequest.newBuilder()
            .setOpId(owner.getOperation().getOpId()).setData(count(2)).build()).getOutcome())
        .isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    return owner;
  }

  private static ErrorInfo errorInfo(StatusRuntimeException e) throws Exception {
    for (Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        return detail.unpack(ErrorInfo.class);
      }
    }
    throw new AssertionError("no ErrorInfo in " + e);
  }

  private static Struct count(double n) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(n).build()).build();
  }
}
