package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.server.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable store's log as /metrics shows it, on a real server. */
class DurableStoreMetricsTest {

  @TempDir
  Path dataDir;

  @Test
  void theLogIsVisibleInTheMetrics() throws Exception {
    try (TestServer server = TestServer.start("--store", "durable", "--data-dir", dataDir.toString())) {
      var entities = EntityServiceGrpc.newBlockingStub(server.channel());
      for (int i = 0; i < 3; i++) {
        entities.create(CreateEntityRequest.newBuilder().setEntityType("Thing")
            .setData(Struct.newBuilder().putFields("i", Value.newBuilder().setNumberValue(i).build())).build());
      }
      Map<String, Double> metrics = MetricsEndpointTest.scrape(server.metricsPort());
      assertThat(metrics).containsEntry("abstractions_raft_leader", 1.0);
      assertThat(metrics.get("abstractions_raft_term")).isGreaterThanOrEqualTo(1.0);
      // Each create waited for its own entry (one at a time), after the one that opened the store and
      // the Settle that recorded its settings in the new log.
      assertThat(metrics).containsEntry("abstractions_raft_entries_proposed_total", 4.0)
          .containsEntry("abstractions_raft_commands_proposed_total", 4.0);
      assertThat(metrics.get("abstractions_raft_applied_index")).isEqualTo(metrics.get("abstractions_raft_commit_index"));
      assertThat(metrics.get("abstractions_raft_commit_index")).isGreaterThanOrEqualTo(5.0);
      assertThat(metrics).containsEntry("abstractions_raft_snapshot_index", -1.0)
          .containsEntry("abstractions_raft_snapshot_age_seconds", -1.0);
      assertThat(metrics.get("abstractions_raft_disk_bytes")).isPositive();
    }
  }
}
