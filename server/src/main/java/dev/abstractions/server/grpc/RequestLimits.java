package dev.abstractions.server.grpc;

/** Bounds the transport layer checks on every request. */
final class RequestLimits {

  /** Page size used when a request leaves it 0. */
  static final int DEFAULT_PAGE_SIZE = 100;
  /** Largest page size a request may ask for. */
  static final int MAX_PAGE_SIZE = 1000;
  /** Longest entity type name. */
  static final int MAX_TYPE_LENGTH = 128;
  /** Longest idempotency key. */
  static final int MAX_REQUEST_ID_LENGTH = 128;
  /** Longest operation type. */
  static final int MAX_OP_TYPE_LENGTH = 64;
  /** Longest operation lifetime. */
  static final java.time.Duration MAX_TTL = java.time.Duration.ofHours(1);
  /** Lifetime of an operation that names none. */
  static final java.time.Duration DEFAULT_TTL = java.time.Duration.ofSeconds(30);
  /** Most kinds, lineage ids, entity types and op ids one event filter may list, together. */
  static final int MAX_FILTER_ENTRIES = 1000;
  /** Largest explicit retry budget. */
  static final int MAX_RETRIES = 100;

  private RequestLimits() {}
}
