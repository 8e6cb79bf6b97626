package dev.abstractions.server.grpc;

import com.google.rpc.Code;
import dev.abstractions.api.v1.ErrorReason;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.server.core.Actor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthGrpc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bearer-token authentication with three roles: a {@code read} token may call the read-only
 * methods (gets, lists, history, subscriptions, reflection), a {@code write} token everything, and
 * an {@code admin} token also acts on operations other tokens began (abort, commit, keep alive).
 * Health stays open so probes need no token. No token or an unknown one is UNAUTHENTICATED; a read
 * token on a write method is PERMISSION_DENIED. The caller is named for the domain as the token's
 * principal, {@code token-N} (its place in the configuration), never the secret. Tokens are
 * compared in constant time and never logged. Immutable and thread-safe.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {

  /** What a token may do. */
  public enum Role {
    READ,
    WRITE,
    ADMIN
  }

  /** A token and its role. */
  public record Token(Role role, byte[] secret) {}

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private static final Set<String> READ_METHODS = Set.of(
      EntityServiceGrpc.getGetMethod().getFullMethodName(),
      EntityServiceGrpc.getListMethod().getFullMethodName(),
      EntityServiceGrpc.getHistoryMethod().getFullMethodName(),
      EntityServiceGrpc.getGetTreeMethod().getFullMethodName(),
      EntityServiceGrpc.getTreeHistoryMethod().getFullMethodName(),
      OperationServiceGrpc.getGetMethod().getFullMethodName(),
      OperationServiceGrpc.getListMethod().getFullMethodName(),
      EventServiceGrpc.getSubscribeMethod().getFullMethodName());
  private static final Set<String> READ_SERVICES =
      Set.of("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

  private final List<Token> tokens;

  public BearerTokenInterceptor(List<Token> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  /**
   * Parses tokens written as {@code read:TOKEN}, {@code write:TOKEN} or {@code admin:TOKEN},
   * separated by commas, spaces or line breaks; lines starting with '#' are comments.
   *
   * @throws IllegalArgumentException naming the malformed entry's position (never its secret)
   */
  public static List<Token> parse(String text) {
    List<Token> parsed = new java.util.ArrayList<>();
    int position = 0;
    for (String line : text.split("\\R")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      for (String entry : line.split("[,\\s]+")) {
        if (entry.isEmpty()) {
          continue;
        }
        position++;
        int colon = entry.indexOf(':');
        String role = colon < 0 ? "" : entry.substring(0, colon);
        String secret = colon < 0 ? "" : entry.substring(colon + 1);
        if (!(role.equals("read") || role.equals("write") || role.equals("admin")) || secret.isEmpty()) {
          throw new IllegalArgumentException(
              "token entry " + position + " must be read:TOKEN, write:TOKEN or admin:TOKEN");
        }
        parsed.add(new Token(Role.valueOf(role.toUpperCase(java.util.Locale.ROOT)),
            secret.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return parsed;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    String service = call.getMethodDescriptor().getServiceName();
    if (HealthGrpc.SERVICE_NAME.equals(service)) {
      return next.startCall(call, headers);
    }
    int matched = match(headers.get(AUTHORIZATION));
    if (matched < 0) {
      return refuse(call, Code.UNAUTHENTICATED, ErrorReason.TOKEN_MISSING_OR_UNKNOWN,
          "a bearer token is required: send 'authorization: Bearer <token>'");
    }
    Role role = tokens.get(matched).role();
    boolean read = READ_METHODS.contains(method) || READ_SERVICES.contains(service);
    if (role == Role.READ && !read) {
      return refuse(call, Code.PERMISSION_DENIED, ErrorReason.WRITE_NOT_PERMITTED,
          "this token may only read; " + method + " needs a write token");
    }
    Actor caller = new Actor("token-" + (matched + 1), true, role == Role.ADMIN);
    return Contexts.interceptCall(Context.current().withValue(Callers.CALLER, caller), call, headers, next);
  }

  /**
   * The index of the token {@code authorization} presents, or -1. Every token is compared, so
   * timing does not tell which matched; a secret listed twice counts as its first entry.
   */
  private int match(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return -1;
    }
    byte[] presented = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
    int found = -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (MessageDigest.isEqual(tokens.get(i).secret(), presented) && found < 0) {
        found = i;
      }
    }
    return found;
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Code code, ErrorReason reason,
      String message) {
    StatusRuntimeException error = Statuses.error(code, reason.name(), message, Map.of());
    call.close(error.getStatus(), error.getTrailers() != null ? error.getTrailers() : new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
