package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityHistoryResponse;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.ListEntitiesResponse;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.memory.MemoryBudget;
import dev.abstractions.server.store.Ids;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The memory budget over a real server with a budget of 32 MiB: a writer of large versions is
 * carried by the event log and history giving way, writes of new state past the budget are refused
 * with RESOURCE_EXHAUSTED and a QuotaFailure while reads, deletes and health go on, pages stop
 * below the client's message limit whatever page_size asked, and filters are bounded per request.
 */
class MemoryBudgetTest {

  private static final String BUDGET = Long.toString(32L << 20);
  /** About 100 KB serialized. */
  private static final Struct LARGE = Struct.newBuilder()
      .putFields("blob", Value.newBuilder().setStringValue("x".repeat(100_000)).build())
      .build();

  @Test
  void oneWriterOfLargeVersionsWithFreshRequestIdsIsCarriedByEventsAndHistoryGivingWay() throws Exception {
    try (TestServer server = TestServer.start("--max-memory", BUDGET)) {
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      String id = entities.create(CreateEntityRequest.newBuilder().setEntityType("Blob").setData(LARGE).build())
          .getLineageId();
      // 40 MB of versions, each through the idempotency ledger, into a 32 MiB budget.
      for (long version = 1; version <= 400; version++) {
        Entity written = entities.update(UpdateEntityRequest.newBuilder()
            .setLineageId(id).setExpectedVersion(version).setData(LARGE).setRequestId(Ids.newId()).build());
        assertThat(written.getVersion()).isEqualTo(version + 1);
      }

      MemoryBudget budget = server.injector().getInstance(MemoryBudget.class);
      assertThat(budget.used()).isLessThanOrEqualTo(budget.limit());
      assertThat(server.injector().getInstance(EventLog.class).oldestRetained()).as("events given up").isGreaterThan(1);
      EntityHistoryResponse history =
          entities.history(EntityHistoryRequest.newBuilder().setLineageId(id).setPageSize(1000).build());
      assertThat(history.getOldestRetainedVersion()).as("history given up").isGreaterThan(401 - 100);
      assertThat(history.getVersions(0).getVersion()).isEqualTo(history.getOldestRetainedVersion());
      // 100 KB versions: the page stops below the client's 4 MiB limit and says where to go on.
      assertThat(history.getSerializedSize()).isLessThan(4 << 20);
      assertThat(history.getNextPageToken()).isNotEmpty();
      assertThat(entities.get(GetEntityRequest.newBuilder().setLineageId(id).build()).getData()).isEqualTo(LARGE);
    }
  }

  @Test
  void newStatePastTheBudgetIsRefusedWithAQuotaFailureWhileReadsDeletesAndHealthGoOn() throws Exception {
    try (TestServer server = TestServer.start("--max-memory", BUDGET)) {
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      List<String> created = new ArrayList<>();
      StatusRuntimeException refused = null;
      while (refused == null && created.size() < 1000) {
        try {
          created.add(entities.create(CreateEntityRequest.newBuilder().setEntityType("Blob").setData(LARGE).build())
              .getLineageId());
        } catch (StatusRuntimeException e) {
          refused = e;
        }
      }
      assertThat(refused).as("a create was refused").isNotNull();
      assertThat(created.size()).as("entities of 100 KB in 32 MiB").isBetween(100, 320);
      assertMemoryLimit(refused);
      MemoryBudget budget = server.injector().getInstance(MemoryBudget.class);
      assertThat(budget.used()).isLessThanOrEqualTo(budget.limit());

      // New operations (small: they fit longer) and subscriptions are refused the same way...
      OperationServiceGrpc.OperationServiceBlockingStub operations =
          OperationServiceGrpc.newBlockingStub(server.channel());
      StatusRuntimeException opRefused = null;
      for (int i = 0; opRefused == null && i < 100_000; i++) {
        try {
          operations.begin(BeginOperationRequest.newBuilder().setTargetLineageId(created.get(i % created.size()))
              .build());
        } catch (StatusRuntimeException e) {
          opRefused = e;
        }
      }
      assertMemoryLimit(opRefused);
      EventFilter manyIds = EventFilter.newBuilder().addAllLineageIds(created).build();
      Iterator<?> stream = EventServiceGrpc.newBlockingStub(server.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
          .subscribe(SubscribeRequest.newBuilder().setFilter(manyIds).build());
      assertMemoryLimit(catchThrowableOfType(StatusRuntimeException.class, stream::hasNext));

      // ...while reads, deletes and health go on.
      assertThat(entities.get(GetEntityRequest.newBuilder().setLineageId(created.get(0)).build()).getData())
          .isEqualTo(LARGE);
      assertThat(entities.delete(DeleteEntityRequest.newBuilder().setLineageId(created.get(1)).setExpectedVersion(1)
          .build()).getDeleted()).isTrue();
      assertThat(HealthGrpc.newBlockingStub(server.channel()).check(HealthCheckRequest.getDefaultInstance())
          .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      // A page stops below gRPC's default 4 MiB message limit, whatever page_size asked.
      ListEntitiesResponse page = entities.list(
          ListEntitiesRequest.newBuilder().setEntityType("Blob").setPageSize(1000).build());
      assertThat(page.getSerializedSize()).isLessThan(4 << 20);
      assertThat(page.getEntitiesCount()).isBetween(20, 40);
      assertThat(page.getNextPageToken()).isNotEmpty();
    }
  }

  @Test
  void aFilterListingMoreThanAThousandEntriesIsInvalid() throws Exception {
    try (TestServer server = TestServer.start()) {
      EventFilter.Builder filter = EventFilter.newBuilder();
      for (int i = 0; i < 1001; i++) {
        filter.addLineageIds(Ids.newId());
      }
      Iterator<?> stream = EventServiceGrpc.newBlockingStub(server.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
          .subscribe(SubscribeRequest.newBuilder().setFilter(filter).build());
      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, stream::hasNext);
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refused.getStatus().getDescription())
          .isEqualTo("filter: lists 1001 kinds, ids and types together, more than 1000");
    }
  }

  private static void assertMemoryLimit(StatusRuntimeException refused) throws Exception {
    assertThat(refused).isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    com.google.rpc.Status details = StatusProto.fromThrowable(refused);
    ErrorInfo info = null;
    QuotaFailure quota = null;
    for (Any detail : details.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        info = detail.unpack(ErrorInfo.class);
      } else if (detail.is(QuotaFailure.class)) {
        quota = detail.unpack(QuotaFailure.class);
      }
    }
    assertThat(info.getReason()).isEqualTo("MEMORY_LIMIT");
    assertThat(info.getMetadataMap()).containsEntry("limit_bytes", BUDGET).containsKey("used_bytes");
    assertThat(quota.getViolationsList()).singleElement().satisfies(violation -> {
      assertThat(violation.getSubject()).isEqualTo("server");
      assertThat(violation.getDescription()).isEqualTo("memory budget of " + BUDGET + " bytes (--max-memory)");
    });
  }
}
