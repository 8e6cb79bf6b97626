package dev.abstractions.helm;

import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.EntityServer;
import dev.abstractions.server.ServerModules;
import dev.abstractions.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series a real server exposes on /metrics: a server started in this JVM on free ports, sent a
 * health check, a create, an update, a stale update (a conflict) and a get of a missing entity (so
 * that the per-method gRPC series, non-OK codes and the conflict counter exist), then scraped once. Maps each series name to the label names it carries.
 */
final class LiveMetrics {

  /** {@code name{labels} value}, or {@code name value}; comments are skipped. */
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+.*$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

  private LiveMetrics() {}

  /** Series name to the union of its label names. */
  static Map<String, Set<String>> scrape() throws IOException, InterruptedException {
    EntityServer server = ServerModules.server(
        ServerConfig.parse("--host", "127.0.0.1", "--port", "0", "--metrics-port", "0")).start();
    try {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
        EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(channel);
        Entity created = entities.create(CreateEntityRequest.newBuilder().setEntityType("chart_test").build());
        UpdateEntityRequest update = UpdateEntityRequest.newBuilder()
            .setLineageId(created.getLineageId()).setExpectedVersion(created.getVersion()).build();
        entities.update(update);
        try {
          entities.update(update);
          throw new AssertionError("an update of a version already replaced succeeded");
        } catch (StatusRuntimeException expected) {
          // ABORTED: a lost compare-and-set, which is what abstractions_conflicts_total counts.
        }
        try {
          entities.get(GetEntityRequest.newBuilder().setLineageId(UUID.randomUUID().toString()).build());
          throw new AssertionError("a get of a lineage never created succeeded");
        } catch (StatusRuntimeException expected) {
          // NOT_FOUND: the point is a handled call with a code other than OK.
        }
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new UncheckedIOException(new IOException("/metrics answered " + response.statusCode()));
      }
      return parse(response.body());
    } finally {
      server.stop();
    }
  }

  static Map<String, Set<String>> parse(String exposition) {
    Map<String, Set<String>> series = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (line.startsWith("#") || !sample.matches()) {
        continue;
      }
      Set<String> labels = series.computeIfAbsent(sample.group(1), name -> new TreeSet<>());
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.add(label.group(1));
        }
      }
    }
    return series;
  }
}
