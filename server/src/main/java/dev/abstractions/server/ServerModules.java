package dev.abstractions.server;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.abstractions.server.config.ConfigModule;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.events.EventsModule;
import dev.abstractions.server.grpc.GrpcModule;
import dev.abstractions.server.metrics.MetricsModule;
import dev.abstractions.server.ops.OpsModule;
import dev.abstractions.server.store.StoreModule;

/** Assembles the server from its Guice modules: the same wiring for {@code main} and for tests. */
public final class ServerModules {

  private ServerModules() {}

  public static Injector injector(ServerConfig config) {
    return Guice.createInjector(
        new ConfigModule(config), new StoreModule(), new EventsModule(), new OpsModule(), new MetricsModule(),
        new GrpcModule());
  }

  public static EntityServer server(ServerConfig config) {
    return injector(config).getInstance(EntityServer.class);
  }
}
