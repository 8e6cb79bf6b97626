package dev.abstractions.server.core;

/**
 * Which operation and which server-side function produced a version; empty strings when none.
 */
public record Provenance(String opId, String function) {

  /** A write made directly by a client, outside any operation. */
  public static final Provenance NONE = new Provenance("", "");

  public Provenance {
    if (opId == null || function == null) {
      throw new IllegalArgumentException("provenance fields must not be null (use \"\")");
    }
  }
}
