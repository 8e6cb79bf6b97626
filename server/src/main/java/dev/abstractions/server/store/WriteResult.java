package dev.abstractions.server.store;

import dev.abstractions.api.v1.Entity;

/**
 * The outcome of a store write. {@link #entity()} is the new version for {@link Kind#WRITTEN}, the
 * lineage's current latest version for {@link Kind#VERSION_CONFLICT}, {@link Kind#DELETED} and
 * {@link Kind#ALREADY_EXISTS}, and null for {@link Kind#NO_LINEAGE}.
 */
public record WriteResult(Kind kind, Entity entity) {

  /** What happened. */
  public enum Kind {
    WRITTEN,
    VERSION_CONFLICT,
    NO_LINEAGE,
    DELETED,
    ALREADY_EXISTS
  }

  static final WriteResult NO_LINEAGE = new WriteResult(Kind.NO_LINEAGE, null);

  static WriteResult written(Entity entity) {
    return new WriteResult(Kind.WRITTEN, entity);
  }

  static WriteResult of(Kind kind, Entity current) {
    return new WriteResult(kind, current);
  }
}
