package dev.abstractions.server.store;

import java.util.Optional;

/**
 * Holds versioned, immutable entities keyed by lineage id.
 *
 * <p>Contract shared by every backend: reads never block writers and never see a partial write;
 * writes to one lineage run one at a time inside {@link #atomically}, never serialized with writes
 * to other lineages; versions of a lineage are gap-free (1, 2, 3, ...), each names its
 * predecessor's ecs id, and {@code last_modified_ns} strictly increases. Outcomes are values
 * ({@link VersionRead}, pages), never exceptions. Implementations are thread-safe.
 */
public interface EntityStore {

  /** Reads the latest version ({@code version == 0}) or the given version of a lineage. */
  VersionRead read(String lineageId, long version);

  /**
   * Runs {@code step} as the one writer of a lineage: the entity's head version, its attachment
   * (the arbitration state of the layer above) and whatever {@code step} publishes change in one
   * atomic step. {@code step} must be quick and must not block: it runs under the lineage's lock.
   *
   * @param mayCreate whether {@code step} may write version 1 of a lineage that does not exist;
   *     when false and the lineage does not exist, {@code step} sees a null head and must not write
   */
  <R> R atomically(String lineageId, boolean mayCreate, LineageStep<R> step);

  /**
   * Lists up to {@code limit} live entities of a type whose lineage id sorts after
   * {@code afterLineageId} (empty string: from the start), in lineage id order.
   * Weakly consistent: an entity created or deleted during the call may or may not appear.
   */
  EntityPage list(String entityType, String afterLineageId, int limit);

  /**
   * Lists up to {@code limit} retained versions from {@code fromVersion} on (raised to the
   * oldest retained version), oldest first; empty if the lineage does not exist.
   */
  Optional<HistoryPage> history(String lineageId, long fromVersion, int limit);

  /** Number of lineages that exist (deleted ones included). */
  long lineageCount();
}
