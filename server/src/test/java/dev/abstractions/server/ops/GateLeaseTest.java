package dev.abstractions.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetOperationRequest;
import dev.abstractions.api.v1.KeepAliveRequest;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gate owner must be alive: one that goes silent loses the gate within its lease (here 0.5 s),
 * not at its ttl (here an hour), so a crashed client holds no target hostage; one that keeps
 * alive keeps it. Over a real server and channel.
 */
class GateLeaseTest {

  private static final Duration HOUR = Duration.newBuilder().setSeconds(3600).build();

  private static TestServer server;
  private static EntityServiceGrpc.EntityServiceBlockingStub entities;
  private static OperationServiceGrpc.OperationServiceBlockingStub operations;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--gate-lease", "PT0.5S");
    entities = EntityServiceGrpc.newBlockingStub(server.channel());
    operations = OperationServiceGrpc.newBlockingStub(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aSilentGateOwnerIsExpiredWithinItsLeaseAndPlainWritesProceed() {
    String target = create();
    BeginOperationResponse owner = ownGate(target);
    assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> update(target, 2)).getStatus().getCode())
        .as("the owner outranks plain writes").isEqualTo(Status.Code.ABORTED);
    long silentSince = System.nanoTime();

    Awaitility.await().atMost(5, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS).until(() ->
        operation(owner).getStatus() == OperationStatus.REJECTED);
    long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince);

    OperationEntity expired = operation(owner);
    assertThat(expired.getRejectionReason()).isEqualTo(RejectionReason.EXPIRED);
    assertThat(heldMillis).as("gone within its lease, far from its ttl").isBetween(300L, 3_000L);
    assertThat(update(target, 2).getVersion()).isEqualTo(3);
  }

  @Test
  void aGateOwnerThatKeepsAliveKeepsTheGateAndCommits() throws Exception {
    String target = create();
    BeginOperationResponse owner = ownGate(target);
    for (int i = 0; i < 8; i++) { // 1.6 s: three leases
      Thread.sleep(200);
      assertThat(operations.keepAlive(KeepAliveRequest.newBuilder().setOpId(owner.getOperation().getOpId()).build())
          .getStatus()).isEqualTo(OperationStatus.RETRYING);
    }
    assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> update(target, 2)).getStatus().getCode())
        .isEqualTo(Status.Code.ABORTED);
    CommitOperationResponse committed = commit(owner, 10);
    assertThat(committed.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(committed.getEntity().getVersion()).isEqualTo(3);

    StatusRuntimeException ended = catchThrowableOfType(StatusRuntimeException.class, () ->
        operations.keepAlive(KeepAliveRequest.newBuilder().setOpId(owner.getOperation().getOpId()).build()));
    assertThat(ended.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  /** A STRUCTURAL operation with an hour to live that conflicts once, so that it owns the gate. */
  private static BeginOperationResponse ownGate(String target) {
    BeginOperationResponse owner = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(PriorityClass.STRUCTURAL).setTtl(HOUR).build());
    update(target, 1);
    assertThat(commit(owner, 2).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    return owner;
  }

  private static Entity update(String target, long expectedVersion) {
    return entities.update(UpdateEntityRequest.newBuilder()
        .setLineageId(target).setExpectedVersion(expectedVersion).setData(count(expectedVersion)).build());
  }

  private static CommitOperationResponse commit(BeginOperationResponse op, double count) {
    return operations.commit(CommitOperationRequest.newBuilder()
        .setOpId(op.getOperation().getOpId()).setData(count(count)).build());
  }

  private static OperationEntity operation(BeginOperationResponse op) {
    return operations.get(GetOperationRequest.newBuilder().setOpId(op.getOperation().getOpId()).build());
  }

  private static String create() {
    return entities.create(CreateEntityRequest.newBuilder().setEntityType("Counter").setData(count(0)).build())
        .getLineageId();
  }

  private static Struct count(double n) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(n).build()).build();
  }
}
