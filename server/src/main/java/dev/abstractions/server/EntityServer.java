package dev.abstractions.server;

import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.events.SubscriptionHub;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the gRPC server is built, started and stopped. Handlers run on the transport's
 * event-loop threads ({@code directExecutor}): every bound service completes without blocking.
 * Not thread-safe for concurrent start/stop; {@link #stop} may be called from a shutdown hook.
 */
public final class EntityServer {

  private static final Logger log = LoggerFactory.getLogger(EntityServer.class);

  private final ServerConfig config;
  private final HealthStatusManager health;
  private final SubscriptionHub hub;
  private final Server server;

  @Inject
  EntityServer(ServerConfig config, Set<BindableService> services, HealthStatusManager health, SubscriptionHub hub) {
    this.config = config;
    this.health = health;
    this.hub = hub;
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
            .directExecutor()
            .maxInboundMessageSize(config.maxMessageBytes())
            .addService(health.getHealthService());
    for (BindableService service : services) {
      builder.addService(service);
    }
    this.server = builder.build();
  }

  /** Binds the port and starts serving; health turns SERVING for every service. */
  public EntityServer start() throws IOException {
    server.start();
    health.setStatus("", ServingStatus.SERVING);
    for (ServerServiceDefinition service : server.getServices()) {
      health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    log.atInfo().addKeyValue("port", port()).addKeyValue("config", config).log("serving");
    return this;
  }

  /** The bound port (useful with {@code --port 0}). */
  public int port() {
    return server.getPort();
  }

  /**
   * Stops accepting calls, ends event streams with UNAVAILABLE (subscribers resume elsewhere),
   * waits up to the shutdown grace for in-flight calls, then cancels the rest. Health reports
   * NOT_SERVING first, so probes take the instance out of rotation.
   */
  public void stop() throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    hub.close();
    if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
      log.atWarn().addKeyValue("grace", config.shutdownGrace()).log("cancelling calls still running after grace");
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    log.info("stopped");
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }
}
