package dev.abstractions.server.store;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.memory.MemoryBudget;
import dev.abstractions.server.ops.functions.ServerFunction;
import java.util.Map;

/** Chooses the store backend (the embedded in-memory store) and the decision function it applies. */
public final class StoreModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(EntityStore.class).to(InMemoryEntityStore.class);
  }

  @Provides
  @Singleton
  Decider decider(Map<String, ServerFunction> functions, StoreSettings settings, ServerConfig config) {
    return new Decider(functions, settings.maxEntityBytes(), config.maxOperationsPerTarget(),
        config.maxOperationsPerClient(), config.gateLease().toNanos());
  }

  @Provides
  @Singleton
  OperationRegistry operations(ServerConfig config, MemoryBudget budget) {
    return new OperationRegistry(config.operationRetention(), config.operationRetentionAge().toNanos(), budget);
  }

  @Provides
  @Singleton
  InMemoryEntityStore memoryStore(Decider decider, EventLog events, OperationRegistry operations,
      StoreSettings settings, MemoryBudget budget) {
    return new InMemoryEntityStore(decider, events, operations, settings, budget);
  }
}
