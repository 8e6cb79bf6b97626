package dev.abstractions.server.store;

import com.google.protobuf.ByteString;

/**
 * One request of a mutating call that named a {@code request_id}: the call's method, the id, and
 * a fingerprint of the whole request (a SHA-256 of its deterministic encoding), so that the same
 * id sent with a different request is recognised. It travels beside the request's commands into
 * the store, which records under it what they decided ({@link RequestTable}). Immutable.
 */
public record RequestKey(String method, String id, ByteString fingerprint) {

  /** A call without a request_id: nothing is recorded, and it always runs. */
  public static final RequestKey NONE = new RequestKey("", "", ByteString.EMPTY);

  public boolean none() {
    return id.isEmpty();
  }

  /** The ledger's key: ids are per method (a Begin and a Commit may carry the same one). */
  public String key() {
    return method + '\n' + id;
  }
}
