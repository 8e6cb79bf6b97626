package dev.abstractions.server.config;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.abstractions.server.memory.MemoryBudget;
import dev.abstractions.server.store.StoreSettings;
import java.time.Clock;

/** Binds the parsed {@link ServerConfig} and the settings each layer derives from it. */
public final class ConfigModule extends AbstractModule {

  private final ServerConfig config;

  public ConfigModule(ServerConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(ServerConfig.class).toInstance(config);
    bind(Clock.class).toInstance(Clock.systemUTC());
  }

  /** One memory budget for the whole server. */
  @Provides
  @Singleton
  MemoryBudget memoryBudget() {
    return new MemoryBudget(config.maxMemoryBytes());
  }

  @Provides
  StoreSettings storeSettings() {
    return new StoreSettings(config.historyLimit(), config.maxEntityBytes());
  }
}
