package dev.abstractions.server.store;

import dev.abstractions.server.core.EntityVersion;
import java.util.List;

/**
 * One page of a lineage's history, oldest first. {@code nextVersion} is the version the next page
 * starts at, or 0 when this page reaches the latest version.
 */
public record HistoryPage(List<EntityVersion> versions, long nextVersion, long oldestRetained) {

  public HistoryPage {
    versions = List.copyOf(versions);
  }
}
