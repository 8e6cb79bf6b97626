package dev.abstractions.server.events;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.memory.MemoryBudget;
import java.time.Clock;

/** Wires the event log and the subscription hub that delivers it. */
public final class EventsModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(EventSignal.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  EventLog eventLog(ServerConfig config, Clock clock, EventSignal signal, MemoryBudget budget) {
    return new EventLog(new EventLogSettings(config.eventRetention(), config.eventRetentionAge()), clock, signal,
        budget);
  }

  @Provides
  @Singleton
  SubscriptionHub hub(EventLog log, EventSignal signal, Clock clock, ServerConfig config, MemoryBudget budget) {
    return new SubscriptionHub(log, signal, clock, config.maxSubscribers(), config.maxSubscribersPerClient(),
        config.progressInterval(), budget);
  }
}
