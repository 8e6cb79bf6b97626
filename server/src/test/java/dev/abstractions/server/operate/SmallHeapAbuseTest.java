package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.ListEntitiesResponse;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.Main;
import dev.abstractions.server.store.Ids;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real server process with a 96 MiB heap and its default memory budget (70% of it), abused the
 * ways that used to run it out of memory: one writer of large versions on one entity with a fresh
 * request id on every write, large entities until nothing fits, pages asked far larger than a
 * message may be, many live operations, and subscriptions with huge filters. Every abuse ends in
 * RESOURCE_EXHAUSTED (or a capped page), never in an OutOfMemoryError, and the server still
 * serves reads with health SERVING.
 */
class SmallHeapAbuseTest {

  /** About 200 KB serialized. */
  private static final Struct LARGE = Struct.newBuilder()
      .putFields("blob", Value.newBuilder().setStringValue("y".repeat(200_000)).build())
      .build();

  @Test
  void everyAbuseEndsInResourceExhaustedAndTheServerKeepsServing() throws Exception {
    try (ServerProcess process = ServerProcess.start(Main.class, List.of("-Xmx96m", "-XX:-ExitOnOutOfMemoryError"),
        "--metrics-port", "-1")) {
      int port = process.awaitPort(Duration.ofSeconds(60));
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(channel);

        // One writer, one entity, 80 MB of versions, a fresh request id each time.
        String id = entities.create(CreateEntityRequest.newBuilder().setEntityType("Blob").setData(LARGE).build())
            .getLineageId();
        long version = 1;
        for (int i = 0; i < 400; i++) {
          try {
            version = entities.update(UpdateEntityRequest.newBuilder().setLineageId(id).setExpectedVersion(version)
                .setData(LARGE).setRequestId(Ids.newId()).build()).getVersion();
          } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          }
        }
        assertServing(process, channel, id);

        // Large entities until nothing fits: the refusal, then pages capped below 4 MiB.
        List<String> created = new ArrayList<>();
        StatusRuntimeException full = null;
        while (full == null && created.size() < 2_000) {
          try {
            created.add(entities.create(CreateEntityRequest.newBuilder().setEntityType("Blob").setData(LARGE).build())
                .getLineageId());
          } catch (StatusRuntimeException e) {
            full = e;
          }
        }
        assertThat(full).as("creates of 200 KB stop being accepted").isNotNull();
        assertThat(full.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        ListEntitiesResponse page =
            entities.list(ListEntitiesRequest.newBuilder().setEntityType("Blob").setPageSize(1000).build());
        assertThat(page.getSerializedSize()).isLessThan(4 << 20);
        assertThat(page.getNextPageToken()).isNotEmpty();
        assertServing(process, channel, id);

        // Many live operations, spread over the targets so that no per-target limit stops them first.
        OperationServiceGrpc.OperationServiceBlockingStub operations = OperationServiceGrpc.newBlockingStub(channel);
        StatusRuntimeException noMoreOperations = null;
        for (int i = 0; noMoreOperations == null && i < 100_000; i++) {
          try {
            operations.begin(
                BeginOperationRequest.newBuilder().setTargetLineageId(created.get(i % created.size())).build());
          } catch (StatusRuntimeException e) {
            noMoreOperations = e;
          }
        }
        assertThat(noMoreOperations).isNotNull();
        assertThat(noMoreOperations.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(noMoreOperations.getStatus().getDescription()).contains("memory budget");
        assertServing(process, channel, id);

        // Subscriptions with huge filters: bounded per request, and by the budget.
        EventFilter.Builder huge = EventFilter.newBuilder();
        for (int i = 0; i < 1000; i++) {
          huge.addLineageIds(Ids.newId());
        }
        List<CompletableFuture<Event>> streams = new ArrayList<>();
        StatusRuntimeException noMoreStreams = null;
        for (int i = 0; noMoreStreams == null && i < 900; i++) {
          CompletableFuture<Event> opened = OpeningStreams.open(EventServiceGrpc.newStub(channel),
              SubscribeRequest.newBuilder().setFilter(huge.build()).build());
          streams.add(opened);
          try {
            opened.get(10, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            noMoreStreams = (StatusRuntimeException) e.getCause();
          }
        }
        assertThat(noMoreStreams).as("subscriptions stop being accepted").isNotNull();
        assertThat(noMoreStreams.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertServing(process, channel, id);
        assertThat(process.output()).doesNotContain("OutOfMemoryError");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void assertServing(ServerProcess process, ManagedChannel channel, String id) {
    assertThat(process.isAlive()).as("the server process is alive:\n%s", process.output()).isTrue();
    assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(EntityServiceGrpc.newBlockingStub(channel).get(GetEntityRequest.newBuilder().setLineageId(id).build())
        .getData()).isEqualTo(LARGE);
  }
}
