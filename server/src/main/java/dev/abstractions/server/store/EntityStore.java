package dev.abstractions.server.store;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.Entity;
import java.util.Optional;

/**
 * Holds versioned, immutable entities keyed by lineage id.
 *
 * <p>Contract shared by every backend: reads never block writers; a write is a
 * compare-and-set on one lineage, atomic per lineage and never serialized with
 * writes to other lineages; versions of a lineage are gap-free (1, 2, 3, ...),
 * each names its predecessor's ecs id, and {@code last_modified_ns} strictly
 * increases. Outcomes are values ({@link WriteResult}, {@link VersionRead}),
 * never exceptions. Implementations are thread-safe.
 */
public interface EntityStore {

  /** Reads the latest version ({@code version == 0}) or the given version of a lineage. */
  VersionRead read(String lineageId, long version);

  /** Creates version 1 of a new lineage; {@link WriteResult.Kind#ALREADY_EXISTS} if the id is taken. */
  WriteResult create(String lineageId, String entityType, Struct data, Provenance provenance);

  /** Replaces the data if {@code expectedVersion} is the latest version. */
  WriteResult update(String lineageId, long expectedVersion, Struct data, Provenance provenance);

  /** Writes the final tombstone version if {@code expectedVersion} is the latest version. */
  WriteResult delete(String lineageId, long expectedVersion, Provenance provenance);

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
}
