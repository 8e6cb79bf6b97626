package dev.abstractions.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/**
 * Call credentials that send {@code authorization: Bearer <token>} with every call. Immutable and
 * thread-safe; the token never appears in {@link #toString()}.
 */
final class BearerToken extends CallCredentials {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String header;

  BearerToken(String token) {
    if (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("a bearer token is printable ASCII without spaces, and not empty");
    }
    this.header = "Bearer " + token;
  }

  @Override
  public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, header);
    applier.apply(headers);
  }

  @Override
  public String toString() {
    return "BearerToken[redacted]";
  }
}
