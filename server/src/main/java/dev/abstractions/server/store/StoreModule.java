package dev.abstractions.server.store;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;

/** Chooses the store backend: the embedded in-memory store. */
public final class StoreModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(EntityStore.class).to(InMemoryEntityStore.class).in(Singleton.class);
  }
}
