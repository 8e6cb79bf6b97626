package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scrapes /metrics after a known workload and checks the exact counts, and while slow clients hold
 * connections to it open.
 */
class MetricsEndpointTest {

  @Test
  void countersMatchAKnownWorkloadExactly() throws Exception {
    try (TestServer server = TestServer.start()) {
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      OperationServiceGrpc.OperationServiceBlockingStub operations = OperationServiceGrpc.newBlockingStub(server.channel());

      // 10 plain commits: 2 creates and 8 updates; 3 plain version conflicts.
      String a = entities.create(CreateEntityRequest.newBuilder().setEntityType("M").build()).getLineageId();
      String b = entities.create(CreateEntityRequest.newBuilder().setEntityType("M").build()).getLineageId();
      for (int v = 1; v <= 4; v++) {
        update(entities, a, v);
        update(entities, b, v);
      }
      for (int i = 0; i < 3; i++) {
        try {
          update(entities, a, 1);
        } catch (StatusRuntimeException expected) {
          // counted as a conflict
        }
      }
      // Priorities 2, 5, 8, 10: one commit by 2, one charged conflict by 10, 5 and 8 yield to it
      // (gate waits), 10 commits, then 5 and 8 are aborted.
      BeginOperationResponse p2 = begin(operations, b, PriorityClass.LOW, 2);
      BeginOperationResponse p5 = begin(operations, b, PriorityClass.NORMAL, 5);
      BeginOperationResponse p8 = begin(operations, b, PriorityClass.NORMAL, 8);
      BeginOperationResponse p10 = begin(operations, b, PriorityClass.STRUCTURAL, 10);
      commit(operations, p2);
      commit(operations, p10);
      commit(operations, p5);
      commit(operations, p8);
      commit(operations, p10);
      for (BeginOperationResponse yielded : List.of(p5, p8)) {
        operations.abort(AbortOperationRequest.newBuilder().setOpId(yielded.getOperation().getOpId()).build());
      }

      Map<String, Double> metrics = scrape(server.metricsPort());
      assertThat(metrics.get("abstractions_commits_total{writer=\"plain\"}")).isEqualTo(10.0);
      assertThat(metrics.get("abstractions_commits_total{writer=\"operation\"}")).isEqualTo(2.0);
      assertThat(metrics.get("abstractions_conflicts_total{charged=\"false\",class=\"plain\"}")).isEqualTo(3.0);
      assertThat(metrics.get("abstractions_conflicts_total{charged=\"true\",class=\"STRUCTURAL\"}")).isEqualTo(1.0);
      assertThat(metrics.get("abstractions_operation_retries_total{class=\"STRUCTURAL\"}")).isEqualTo(1.0);
      assertThat(metrics.get("abstractions_gate_waits_total{class=\"NORMAL\"}")).isEqualTo(2.0);
      assertThat(metrics.get(
          "abstractions_operations_ended_total{class=\"NORMAL\",reason=\"\",status=\"CANCELLED\"}"))
          .isEqualTo(2.0);
      assertThat(metrics.get("abstractions_operations_ended_total{class=\"LOW\",reason=\"\",status=\"SUCCEEDED\"}"))
          .isEqualTo(1.0);
      assertThat(metrics.get(
          "abstractions_operations_ended_total{class=\"STRUCTURAL\",reason=\"\",status=\"SUCCEEDED\"}"))
          .isEqualTo(1.0);
      assertThat(metrics.get("abstractions_operations_active")).isEqualTo(0.0);
      assertThat(metrics.get("abstractions_entities")).isEqualTo(2.0);
      // 12 writes, 4 OperationStarted, 2 OperationSucceeded, 3 Conflicts + 3 Retries, 2 Cancelled.
      assertThat(metrics.get("abstractions_event_head_sequence")).isEqualTo(26.0);
      String update = "grpc_method=\"Update\",grpc_service=\"abstractions.v1.EntityService\",grpc_type=\"unary\"";
      assertThat(metrics.get("grpc_server_handled_total{grpc_code=\"ABORTED\"," + update + "}")).isEqualTo(3.0);
      assertThat(metrics.get("grpc_server_handled_total{grpc_code=\"OK\"," + update + "}")).isEqualTo(8.0);
      assertThat(metrics).containsKey("jvm_memory_used_bytes{area=\"heap\"}");
      assertThat(p5.getOperation().getOpId()).isNotEqualTo(p8.getOperation().getOpId());
    }
  }

  @Test
  void aScrapeIsAnsweredWhileSlowClientsHoldConnectionsOpen() throws Exception {
    try (TestServer server = TestServer.start()) {
      List<Socket> slowClients = new ArrayList<>();
      try {
        for (int i = 0; i < 16; i++) {
          slowClients.add(connect(server.metricsPort())); // sends nothing
          Socket partial = connect(server.metricsPort());
          partial.getOutputStream().write("GET /metrics HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
          partial.getOutputStream().flush();
          slowClients.add(partial); // starts a request and never finishes it
        }

        long start = System.nanoTime();
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("abstractions_entities 0");
        // Slow clients are cut off after 3 seconds (checked each second); the scrape waits at most that long.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
      } finally {
        for (Socket client : slowClients) {
          client.close();
        }
      }
    }
  }

  /**
   * Scrapers that hang up (reset) right after asking are no error of the server's: nothing is
   * logged for them (the exporter used to log each as SEVERE with a stack trace), and the next
   * scrape is answered.
   */
  @Test
  void aScraperThatHangsUpEarlyIsNoError() throws Exception {
    java.util.logging.Logger exchangeLog =
        java.util.logging.Logger.getLogger("io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter");
    List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        logged.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    exchangeLog.addHandler(capture);
    try (TestServer server = TestServer.start()) {
      for (int i = 0; i < 20; i++) {
        try (Socket hangsUp = connect(server.metricsPort())) {
          hangsUp.getOutputStream().write(
              "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          hangsUp.setSoLinger(true, 0); // closing resets the connection
        }
      }
      assertThat(scrape(server.metricsPort())).containsKey("abstractions_entities");
      Thread.sleep(500); // the answers to the others were written, or failed, before this one
      assertThat(logged).isEmpty();
    } finally {
      exchangeLog.removeHandler(capture);
    }
  }

  /** A connection the server must accept promptly, as it would for a scraper. */
  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return socket;
  }

  private static void update(EntityServiceGrpc.EntityServiceBlockingStub entities, String id, long expected) {
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(id).setExpectedVersion(expected)
        .setData(Struct.newBuilder().putFields("v", Value.newBuilder().setNumberValue(expected).build())).build());
  }

  private static BeginOperationResponse begin(OperationServiceGrpc.OperationServiceBlockingStub operations,
      String target, PriorityClass cls, int priority) {
    return operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(cls).setPriority(priority).build());
  }

  private static void commit(OperationServiceGrpc.OperationServiceBlockingStub operations, BeginOperationResponse op) {
    operations.commit(CommitOperationRequest.newBuilder().setOpId(op.getOperation().getOpId()).build());
  }

  /** Sample name with labels (as exposed, labels sorted) to value; comments skipped. */
  static Map<String, Double> scrape(int port) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }
}
