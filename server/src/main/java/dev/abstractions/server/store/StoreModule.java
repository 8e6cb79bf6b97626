package dev.abstractions.server.store;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.AdvancingTicker;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.Ticker;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.memory.MemoryBudget;
import dev.abstractions.server.ops.functions.ServerFunction;
import java.time.Clock;
import java.util.Map;

/**
 * Chooses the store backend (--store: durable, a Raft log on disk that applies to an in-memory
 * store, or that in-memory store alone) and the decision function it applies.
 */
public final class StoreModule extends AbstractModule {

  /** The backend --store names. */
  @Provides
  @Singleton
  EntityStore store(ServerConfig config, Provider<InMemoryEntityStore> memory, Provider<RaftEntityStore> durable) {
    return config.store() == ServerConfig.Store.durable ? durable.get() : memory.get();
  }

  /** The data directory's free space for a durable store; nothing to watch for the in-memory one. */
  @Provides
  @Singleton
  DiskSpace diskSpace(ServerConfig config) {
    return config.store() == ServerConfig.Store.durable
        ? DiskSpace.of(config.dataDir(), config.minFreeDiskBytes())
        : DiskSpace.none();
  }

  @Provides
  @Singleton
  RaftEntityStore durableStore(InMemoryEntityStore applied, EventLog events, AdvancingTicker ticker,
      ServerConfig config) {
    return new RaftEntityStore(applied, events, ticker, config.dataDir(), config.snapshotEvery(),
        config.logSegmentBytes(), config.nodeId(), config.peers());
  }

  /**
   * The one source of command time: the monotonic tick, which a durable store keeps ahead of the
   * ticks it applies (they outlive the process), and the wall clock.
   */
  @Provides
  @Singleton
  AdvancingTicker advancingTicker(Clock clock) {
    return new AdvancingTicker(clock);
  }

  @Provides
  Ticker ticker(AdvancingTicker ticker) {
    return ticker;
  }

  @Provides
  @Singleton
  Decider decider(Map<String, ServerFunction> functions, StoreSettings settings, ServerConfig config) {
    return new Decider(functions, new Decider.Settings(settings.maxEntityBytes(), config.maxOperationsPerTarget(),
        config.maxOperationsPerClient(), config.gateLease().toNanos(),
        new Decider.TreeLimits(config.maxTreeMembers(), config.maxTreeBytes())));
  }

  @Provides
  @Singleton
  OperationRegistry operations(ServerConfig config, MemoryBudget budget) {
    return new OperationRegistry(config.operationRetention(), config.operationRetentionAge().toNanos(), budget);
  }

  @Provides
  @Singleton
  RequestTable requests(ServerConfig config, MemoryBudget budget) {
    return new RequestTable(config.requestRetention(), config.requestRetentionAge().toNanos(), budget);
  }

  @Provides
  @Singleton
  InMemoryEntityStore memoryStore(Decider decider, EventLog events, OperationRegistry operations,
      RequestTable requests, StoreSettings settings, MemoryBudget budget) {
    return new InMemoryEntityStore(decider, events, operations, requests, settings, budget);
  }
}
