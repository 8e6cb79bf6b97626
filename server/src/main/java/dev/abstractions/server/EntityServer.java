package dev.abstractions.server;

import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.events.SubscriptionHub;
import dev.abstractions.server.grpc.BearerTokenInterceptor;
import dev.abstractions.server.grpc.CallGuard;
import dev.abstractions.server.grpc.Callers;
import dev.abstractions.server.grpc.HealthService;
import dev.abstractions.server.grpc.RefusalLog;
import dev.abstractions.server.metrics.MetricsEndpoint;
import dev.abstractions.server.ops.CommandDriver;
import dev.abstractions.server.store.DiskSpace;
import dev.abstractions.server.store.EntityStore;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one place the gRPC server is built, started and stopped: transport security, limits,
 * interceptors (metrics outermost, then the refusal log, then authentication) and services, each wrapped by {@link
 * CallGuard} (unparseable requests, out-of-memory errors). Handlers run on the transport's
 * event-loop threads ({@code directExecutor}): every bound service completes without blocking.
 * Not thread-safe for concurrent start/stop; {@link #stop} may run in a shutdown hook, {@link
 * #reportNotServing} on any thread.
 */
public final class EntityServer {

  private static final Logger log = LoggerFactory.getLogger(EntityServer.class);

  private final ServerConfig config;
  private final HealthStatusManager health;
  private final HealthService healthService;
  private final SubscriptionHub hub;
  private final MetricsEndpoint metrics;
  private final CommandDriver driver;
  private final EntityStore store;
  private final DiskSpace diskSpace;
  private final Server server;
  // grpc-java's health service logs a stack trace when told twice to enter its terminal state.
  private final AtomicBoolean notServing = new AtomicBoolean();
  /** Checks the store and its disk twice a second; health and the DISK_FULL refusal follow them. */
  private final ScheduledExecutorService storeWatch = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "store-health");
    thread.setDaemon(true);
    return thread;
  });
  /** What health last said of the store; on the storeWatch thread (and start) only. */
  private volatile boolean storeServing;
  private int metricsPort = -1;

  @Inject
  EntityServer(ServerConfig config, Set<BindableService> services, HealthStatusManager health, SubscriptionHub hub,
      MetricsEndpoint metrics, CommandDriver driver, Optional<BearerTokenInterceptor> authentication,
      @Named("rpcMetrics") ServerInterceptor rpcMetrics, RefusalLog refusals, CallGuard guard,
      HealthService healthService, EntityStore store, DiskSpace diskSpace) throws IOException {
    this.config = config;
    this.health = health;
    this.healthService = healthService;
    this.hub = hub;
    this.metrics = metrics;
    this.driver = driver;
    this.store = store;
    this.diskSpace = diskSpace;
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()), credentials(config))
            .directExecutor()
            .maxInboundMessageSize(config.maxMessageBytes())
            .maxConcurrentCallsPerConnection(config.maxCallsPerConnection())
            .keepAliveTime(config.keepaliveTime().toNanos(), TimeUnit.NANOSECONDS)
            .permitKeepAliveTime(config.permitKeepaliveTime().toNanos(), TimeUnit.NANOSECONDS)
            .maxRstFramesPerWindow(config.maxStreamResets(), (int) config.streamResetWindow().toSeconds())
            .addService(guard.guard(healthService.bindService()));
    for (BindableService service : services) {
      builder.addService(guard.guard(service.bindService()));
    }
    // The last interceptor added runs first: metrics see every call, refused ones included; the
    // refusal log sees what authentication and the services refuse; authentication names a
    // token's caller before Callers names the others by connection.
    Callers.install(builder);
    authentication.ifPresent(builder::intercept);
    builder.intercept(refusals);
    builder.intercept(rpcMetrics);
    this.server = builder.build();
  }

  private static ServerCredentials credentials(ServerConfig config) throws IOException {
    if (config.tlsCert() == null) {
      return InsecureServerCredentials.create();
    }
    TlsServerCredentials.Builder tls =
        TlsServerCredentials.newBuilder().keyManager(config.tlsCert().toFile(), config.tlsKey().toFile());
    if (config.tlsClientCa() != null) {
      tls.trustManager(config.tlsClientCa().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return tls.build();
  }

  /** Binds the ports and starts serving; health turns SERVING for every service. */
  public EntityServer start() throws IOException {
    try {
      store.start();
    } catch (IOException e) {
      throw new IOException("--data-dir " + config.dataDir() + ": " + e.getMessage(), e);
    }
    diskSpace.refresh();
    driver.start();
    server.start();
    hub.start();
    metricsPort = metrics.start();
    storeServing = true;
    setHealth(ServingStatus.SERVING);
    storeWatch.scheduleWithFixedDelay(this::watchStore, 500, 500, TimeUnit.MILLISECONDS);
    // The bound ports first (--port 0 picks one), then every setting as a field of its own.
    LoggingEventBuilder serving = log.atInfo()
        .addKeyValue("port", port())
        .addKeyValue("metrics-port", metricsPort)
        .addKeyValue("tls", config.tlsCert() != null);
    config.settings().forEach((setting, value) -> {
      if (!setting.equals("port") && !setting.equals("metrics-port")) {
        serving.addKeyValue(setting, value);
      }
    });
    serving.log("serving");
    return this;
  }

  /** The bound gRPC port (useful with {@code --port 0}). */
  public int port() {
    return server.getPort();
  }

  /** The bound metrics port, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsPort;
  }

  private void setHealth(ServingStatus status) {
    health.setStatus("", status);
    for (ServerServiceDefinition service : server.getServices()) {
      health.setStatus(service.getServiceDescriptor().getName(), status);
    }
  }

  /** The store watch's round: the data directory's free space, then the store's health. */
  private void watchStore() {
    diskSpace.refresh();
    followStore();
  }

  /**
   * Health follows whether the store can commit writes: a replicated member cut off from its
   * group's quorum turns NOT_SERVING (load balancers and probes take it out), and SERVING again
   * once it hears from a leader.
   */
  private void followStore() {
    boolean serving = store.serving();
    if (serving == storeServing || notServing.get()) {
      return;
    }
    storeServing = serving;
    setHealth(serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    log.atWarn().addKeyValue("serving", serving).log(serving
        ? "the store has a leader again: SERVING"
        : "the store cannot commit writes (no leader or no quorum): NOT_SERVING");
  }

  /**
   * Health turns NOT_SERVING for every service, for good: the server is stopping, or the process
   * is about to die. Idempotent and safe from any thread.
   */
  public void reportNotServing() {
    if (notServing.compareAndSet(false, true)) {
      storeWatch.shutdownNow();
      health.enterTerminalState();
    }
  }

  /**
   * Stops accepting calls, ends event streams and health watches with UNAVAILABLE (clients resume
   * elsewhere), waits up to the shutdown grace for in-flight calls, then cancels the rest. Health
   * reports NOT_SERVING first, so probes and watchers take the instance out of rotation.
   */
  public void stop() throws InterruptedException {
    long started = System.nanoTime();
    log.atInfo().addKeyValue("grace", config.shutdownGrace().toString())
        .log("draining: health NOT_SERVING, no new calls, event streams and health watches ended; "
            + "waiting for calls in flight");
    reportNotServing();
    server.shutdown();
    healthService.endWatches();
    hub.close();
    if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
      log.atWarn().addKeyValue("grace", config.shutdownGrace().toString())
          .log("cancelling calls still running after grace");
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    driver.close();
    try {
      store.close(); // after the calls: every write they were answered for is on disk by now
    } catch (IOException e) {
      log.atWarn().setCause(e).log("closing the store failed");
    }
    metrics.close();
    log.atInfo().addKeyValue("stopMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).log("stopped");
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }
}
