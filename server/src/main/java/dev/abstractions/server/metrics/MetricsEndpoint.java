package dev.abstractions.server.metrics;

import com.sun.net.httpserver.HttpServer;
import dev.abstractions.server.config.ServerConfig;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP endpoint Prometheus scrapes ({@code /metrics} on {@code --metrics-port}; off when the
 * port is -1), made to survive slow and half-open clients. Started and stopped with the server;
 * {@link #start} and {@link #close} are synchronized, so either may run on any thread.
 *
 * <p>The JDK's HTTP server hands a connection to its executor as soon as its first byte arrives,
 * and the thread then blocks reading the rest of the request. Prometheus' own {@code HTTPServer}
 * gives it a backlog of 3 and up to 10 threads, and makes the accepting thread wait when all are
 * busy: sixteen clients that start a request and never finish it stop every scrape, and the
 * connections queued behind them. So this endpoint builds the server itself:
 *
 * <ul>
 *   <li>a backlog of {@value #BACKLOG} connections;
 *   <li>{@value #THREADS} threads ({@code metrics-http-N}) behind a queue of {@value #QUEUE}
 *       requests; past that a connection is closed at once instead of stalling the others;
 *   <li>a request must arrive within {@value #REQUEST_SECONDS} seconds, or its connection is
 *       closed, so slow clients hold a thread that long at most. The JDK has this only as the
 *       JVM-wide system property {@code sun.net.httpserver.maxReqTime}, read when its first HTTP
 *       server is made; it is set here unless it is set already (then the setting wins).
 * </ul>
 */
@Singleton
public final class MetricsEndpoint implements AutoCloseable {

  static final int BACKLOG = 64;
  static final int THREADS = 4;
  static final int QUEUE = 64;
  static final int REQUEST_SECONDS = 3;

  private static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";

  /**
   * The exporter's logger for failures while it sends an answer. It logs every one as SEVERE with
   * a stack trace, a scraper that hung up before its answer was sent (an IOException: connection
   * reset, broken pipe) included, which is the client's doing and no error of this server; its
   * filter lets the others through. Held here because JUL holds its loggers weakly, and a logger
   * collected would take its filter with it.
   */
  static final java.util.logging.Logger EXCHANGE_LOG =
      java.util.logging.Logger.getLogger("io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter");

  private final ServerConfig config;
  private final PrometheusRegistry registry;
  private HttpServer http;
  private ThreadPoolExecutor executor;

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
    if (System.getProperty(MAX_REQUEST_TIME) == null) {
      System.setProperty(MAX_REQUEST_TIME, Integer.toString(REQUEST_SECONDS));
    }
    EXCHANGE_LOG.setFilter(record -> !(record.getThrown() instanceof IOException));
    try {
      http = HttpServer.create(new InetSocketAddress(config.host(), config.metricsPort()), BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + config.metricsPort(), e);
    }
    AtomicInteger threads = new AtomicInteger();
    executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
        runnable -> {
          Thread thread = new Thread(runnable, "metrics-http-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        // The JDK's server closes a connection its executor refuses.
        new ThreadPoolExecutor.AbortPolicy());
    http.setExecutor(executor);
    http.createContext("/metrics", new MetricsHandler(registry));
    http.start();
    return http.getAddress().getPort();
  }

  @Override
  public synchronized void close() {
    if (http != null) {
      http.stop(0);
      executor.shutdownNow();
      http = null;
      executor = null;
    }
  }
}
