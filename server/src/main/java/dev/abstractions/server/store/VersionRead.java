package dev.abstractions.server.store;

import dev.abstractions.server.core.EntityVersion;

/**
 * The outcome of a store read. {@code entity} is the version read ({@link Kind#FOUND}) or the
 * lineage's latest version (every other kind but {@link Kind#NO_LINEAGE}, where it is null);
 * {@code oldestRetained} is the oldest version still in the lineage's history (0 for
 * {@link Kind#NO_LINEAGE}).
 */
public record VersionRead(Kind kind, EntityVersion entity, long oldestRetained) {

  /** What was found. */
  public enum Kind {
    /** The version asked for (or the latest, when none was named and it is not a tombstone). */
    FOUND,
    /** No lineage has this id. */
    NO_LINEAGE,
    /** The latest version was asked for and it is a tombstone. */
    DELETED,
    /** The version asked for is newer than the latest. */
    NO_VERSION,
    /** The version asked for was dropped from the bounded history. */
    NOT_RETAINED
  }

  public static final VersionRead NO_LINEAGE = new VersionRead(Kind.NO_LINEAGE, null, 0);
}
