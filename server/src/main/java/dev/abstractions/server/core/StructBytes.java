package dev.abstractions.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import java.util.List;

/**
 * Entity data as the wire bytes of a {@link Struct}: what a request carried, checked by
 * {@link DataRules} on the bytes and written into the stored version as it is. The Struct's
 * objects (about two per field, more per nested value) are built only when something reads the
 * values: a server function, a diff of changed paths. Any encoding that parses to the same Struct
 * reads the same, so the bytes need not be protobuf's own. Immutable; equal when the bytes are.
 */
public record StructBytes(ByteString bytes) {

  public static final StructBytes EMPTY = new StructBytes(ByteString.EMPTY);

  public static StructBytes of(Struct data) {
    return new StructBytes(data.toByteString());
  }

  /**
   * The data of a message field that occurred {@code occurrences.size()} times (once, as a rule):
   * protobuf merges the occurrences, which for a Struct is their bytes one after another.
   */
  public static StructBytes merged(List<ByteString> occurrences) {
    return occurrences.isEmpty() ? EMPTY : new StructBytes(ByteString.copyFrom(occurrences));
  }

  /** The encoded size, what {@code --max-entity-bytes} bounds. */
  public int size() {
    return bytes.size();
  }
}
