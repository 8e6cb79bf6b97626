package dev.abstractions.server.store;

import dev.abstractions.api.v1.Entity;
import java.util.List;

/** One page of a listing; {@code hasMore} tells whether entities follow the last one. */
public record EntityPage(List<Entity> entities, boolean hasMore) {

  public EntityPage {
    entities = List.copyOf(entities);
  }
}
