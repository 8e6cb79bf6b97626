package dev.abstractions.server.metrics;

import dev.abstractions.server.config.ServerConfig;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The HTTP endpoint Prometheus scrapes ({@code /metrics} on {@code --metrics-port}; off when the
 * port is -1). Started and stopped with the server.
 */
@Singleton
public final class MetricsEndpoint implements AutoCloseable {

  private final ServerConfig config;
  private final PrometheusRegistry registry;
  private HTTPServer http;

  @Inject
  MetricsEndpoint(ServerConfig config, PrometheusRegistry registry, MetricsModule.StateGauges gauges) {
    this.config = config;
    this.registry = registry;
  }

  /** Starts serving; returns the bound port, or -1 when metrics are off. */
  public synchronized int start() {
    if (config.metricsPort() < 0) {
      return -1;
    }
    try {
      http = HTTPServer.builder().hostname(config.host()).port(config.metricsPort()).registry(registry).buildAndStart();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + config.metricsPort(), e);
    }
    return http.getPort();
  }

  @Override
  public synchronized void close() {
    if (http != null) {
      http.close();
      http = null;
    }
  }
}
