package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One client cannot take what others need: its share of a target's operation slots and of the
 * subscriber slots is bounded (a connection is a client on a server without tokens), and with
 * tokens an operation answers only to the token that began it, or an admin's.
 */
class ClientShareTest {

  @Test
  void oneConnectionHoldsOnlyItsShareOfATargetsOperationsAndOfTheSubscribers() throws Exception {
    try (TestServer server = TestServer.start("--max-operations-per-target", "4", "--max-subscribers", "4",
        "--max-client-share", "0.5")) {
      String target = EntityServiceGrpc.newBlockingStub(server.channel())
          .create(CreateEntityRequest.newBuilder().setEntityType("T").build()).getLineageId();
      ManagedChannel other = server.newChannel();
      try {
        OperationServiceGrpc.OperationServiceBlockingStub mine = OperationServiceGrpc.newBlockingStub(server.channel());
        BeginOperationRequest begin = BeginOperationRequest.newBuilder().setTargetLineageId(target).build();
        mine.begin(begin);
        mine.begin(begin);
        StatusRuntimeException third = catchThrowableOfType(StatusRuntimeException.class, () -> mine.begin(begin));
        assertThat(third.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(errorInfo(third).getReason()).isEqualTo("OPERATION_LIMIT");
        assertThat(errorInfo(third).getMetadataMap()).containsEntry("client_share", "true");
        assertThat(OperationServiceGrpc.newBlockingStub(other).begin(begin).getOperation().getStatus())
            .as("another connection has its own share").isEqualTo(OperationStatus.PENDING);

        EventServiceGrpc.EventServiceStub events = EventServiceGrpc.newStub(server.channel());
        assertThat(opened(events).get(10, TimeUnit.SECONDS).hasProgress()).isTrue();
        assertThat(opened(events).get(10, TimeUnit.SECONDS).hasProgress()).isTrue();
        CompletableFuture<Event> refused = opened(events);
        StatusRuntimeException full = catchThrowableOfType(StatusRuntimeException.class, () -> {
          try {
            refused.get(10, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause();
          }
        });
        assertThat(full.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(errorInfo(full).getReason()).isEqualTo("SUBSCRIBER_LIMIT");
        assertThat(opened(EventServiceGrpc.newStub(other)).get(10, TimeUnit.SECONDS).hasProgress()).isTrue();
      } finally {
        other.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void anOperationAnswersOnlyToTheTokenThatBeganItOrAnAdmin() throws Exception {
    try (TestServer server = TestServer.start("--auth-tokens", "write:alice-secret,write:bob-secret,admin:root-secret")) {
      EntityServiceGrpc.EntityServiceBlockingStub alice = EntityServiceGrpc.newBlockingStub(server.channel())
          .withInterceptors(bearer("alice-secret"));
      String target = alice.create(CreateEntityRequest.newBuilder().setEntityType("T").build()).getLineageId();
      OperationServiceGrpc.OperationServiceBlockingStub aliceOps = ops(server, "alice-secret");
      BeginOperationRequest begin = BeginOperationRequest.newBuilder().setTargetLineageId(target).build();
      BeginOperationResponse first = aliceOps.begin(begin);
      BeginOperationResponse second = aliceOps.begin(begin);

      StatusRuntimeException denied = catchThrowableOfType(StatusRuntimeException.class,
          () -> ops(server, "bob-secret").abort(abort(first)));
      assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(errorInfo(denied).getReason()).isEqualTo("OPERATION_NOT_OWNED");
      assertThat(errorInfo(denied).getMetadataMap()).containsEntry("op_id", first.getOperation().getOpId());
      assertThat(aliceOps.abort(abort(first)).getStatus()).isEqualTo(OperationStatus.CANCELLED);
      assertThat(ops(server, "root-secret").abort(abort(second)).getStatus()).isEqualTo(OperationStatus.CANCELLED);
    }
  }

  private static OperationServiceGrpc.OperationServiceBlockingStub ops(TestServer server, String token) {
    return OperationServiceGrpc.newBlockingStub(server.channel()).withInterceptors(bearer(token));
  }

  private static io.grpc.ClientInterceptor bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private static AbortOperationRequest abort(BeginOperationResponse op) {
    return AbortOperationRequest.newBuilder().setOpId(op.getOperation().getOpId()).build();
  }

  /** Opens a from-now stream; its first message (the opening bookmark) or its error. */
  private static CompletableFuture<Event> opened(EventServiceGrpc.EventServiceStub events) {
    return OpeningStreams.open(events, SubscribeRequest.getDefaultInstance());
  }

  private static ErrorInfo errorInfo(StatusRuntimeException error) throws Exception {
    for (com.google.protobuf.Any detail : StatusProto.fromThrowable(error).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        return detail.unpack(ErrorInfo.class);
      }
    }
    throw new AssertionError("no ErrorInfo in " + error);
  }
}
