package dev.abstractions.server.store;

import dev.abstractions.server.core.EntityVersion;
import java.util.List;

/**
 * One page of a tree's history, oldest first: per tree version the member versions it wrote.
 * {@code nextTreeVersion} is where the next page starts, or 0 when this page reaches the latest.
 */
public record TreeHistoryPage(List<TreeVersion> versions, long nextTreeVersion, long oldestRetained) {

  /** One tree version: its stamp and the member versions it wrote, ordered by lineage id. */
  public record TreeVersion(long treeVersion, long stampNanos, List<EntityVersion> written) {}

  public TreeHistoryPage {
    versions = List.copyOf(versions);
  }
}
