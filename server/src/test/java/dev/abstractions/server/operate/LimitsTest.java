package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each limit answers with its exact status when exceeded, and the server keeps serving others. */
class LimitsTest {

  @Test
  void operationsInFlightPerTargetAreBounded() throws Exception {
    try (TestServer server = TestServer.start("--max-operations-per-target", "3")) {
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      OperationServiceGrpc.OperationServiceBlockingStub operations = OperationServiceGrpc.newBlockingStub(server.channel());
      String full = entities.create(CreateEntityRequest.newBuilder().setEntityType("T").build()).getLineageId();
      String other = entities.create(CreateEntityRequest.newBuilder().setEntityType("T").build()).getLineageId();
      for (int i = 0; i < 3; i++) {
        operations.begin(BeginOperationRequest.newBuilder().setTargetLineageId(full).build());
      }
      assertThatThrownBy(() -> operations.begin(BeginOperationRequest.newBuilder().setTargetLineageId(full).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains(full);
          });
      assertThat(operations.begin(BeginOperationRequest.newBuilder().setTargetLineageId(other).build())
          .getSnapshot().getLineageId()).isEqualTo(other);
    }
  }

  @Test
  void callsPerConnectionAreBoundedAndOtherConnectionsKeepWorking() throws Exception {
    try (TestServer server = TestServer.start("--max-calls-per-connection", "2")) {
      ManagedChannel crowded = server.newChannel();
      try {
        // Connect first, so the client knows the server's stream limit before it opens streams.
        EntityServiceGrpc.newBlockingStub(crowded).create(CreateEntityRequest.newBuilder().setEntityType("T").build());
        EventServiceGrpc.EventServiceStub events = EventServiceGrpc.newStub(crowded);
        CompletableFuture<Event> firstOpened = OpeningStreams.open(events, SubscribeRequest.getDefaultInstance());
        CompletableFuture<Event> secondOpened = OpeningStreams.open(events, SubscribeRequest.getDefaultInstance());
        // A from-now stream opens with a bookmark: both streams are up and hold their slots.
        assertThat(firstOpened.get(10, TimeUnit.SECONDS).hasProgress()).isTrue();
        assertThat(secondOpened.get(10, TimeUnit.SECONDS).hasProgress()).isTrue();

        // The third call on this connection waits for a free stream: it cannot start in time.
        assertThatThrownBy(() -> EntityServiceGrpc.newBlockingStub(crowded).withDeadlineAfter(500, TimeUnit.MILLISECONDS)
            .create(CreateEntityRequest.newBuilder().setEntityType("T").build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(EntityServiceGrpc.newBlockingStub(server.channel())
            .create(CreateEntityRequest.newBuilder().setEntityType("T").build()).getVersion()).isEqualTo(1);
      } finally {
        crowded.shutdownNow();
      }
    }
  }
}
