package dev.abstractions.server.store;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.Entity;

/**
 * The write view of one lineage inside {@link EntityStore#atomically}. Valid only during that
 * step, on that thread. The caller decides whether a write is allowed (compare-and-set,
 * arbitration); the store stamps and appends it.
 */
public interface LineageTx {

  String lineageId();

  /** The latest version, or null if the lineage does not exist. */
  Entity head();

  /** Writes version 1. Only when {@link #head()} is null and the step may create. */
  Entity create(String entityType, Struct data, Provenance provenance);

  /**
   * Writes the next version after {@link #head()}: new data, or a tombstone (which keeps the data
   * of the version it replaces). Only when the head exists and is not a tombstone.
   */
  Entity append(Struct data, boolean tombstone, Provenance provenance);

  /** State the layer above keeps with this lineage (its arbitration), or null. */
  Object attachment();

  void attach(Object attachment);
}
