package dev.abstractions.server.grpc;

/** Bounds the transport layer checks on every request. */
public record RequestLimits(int maxEntityBytes) {

  /** Page size used when a request leaves it 0. */
  public static final int DEFAULT_PAGE_SIZE = 100;
  /** Largest page size a request may ask for. */
  public static final int MAX_PAGE_SIZE = 1000;
  /**
   * Deepest nesting of lists and structs accepted in entity data. Each level costs protobuf three
   * message levels (Struct, map entry, Value) of the 100 it parses, so 20 leaves headroom below the
   * transport's own limit.
   */
  public static final int MAX_DATA_DEPTH = 20;
  /** Longest entity type name. */
  public static final int MAX_TYPE_LENGTH = 128;
}
