package dev.abstractions.server.store;

import dev.abstractions.server.core.EntityVersion;
import java.util.List;

/** One page of a listing; {@code hasMore} tells whether entities follow the last one. */
public record EntityPage(List<EntityVersion> entities, boolean hasMore) {

  public EntityPage {
    entities = List.copyOf(entities);
  }
}
