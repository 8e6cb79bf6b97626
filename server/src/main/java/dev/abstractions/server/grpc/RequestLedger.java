package dev.abstractions.server.grpc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.server.config.ServerConfig;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Makes mutating calls idempotent: the first call with a {@code request_id} runs and its outcome
 * (response or status) is remembered for a bounded count and age; a replay of the same request
 * gets that outcome without running again, also while the first is still running. Reusing an id
 * for a different request is INVALID_ARGUMENT. Thread-safe; never blocks a caller.
 */
@Singleton
final class RequestLedger {

  /** The first call's request fingerprint and its outcome. */
  private record Recorded(HashCode request, CompletableFuture<?> outcome) {}

  private final Cache<String, Recorded> recorded;

  @Inject
  RequestLedger(ServerConfig config) {
    this.recorded = Caffeine.newBuilder()
        .maximumSize(config.requestRetention())
        .expireAfterWrite(config.requestRetentionAge())
        .build();
  }

  /**
   * Answers {@code observer} with the outcome of {@code call}, run at most once per
   * {@code method} and {@code requestId} ("" means no idempotency).
   */
  @SuppressWarnings("unchecked")
  <T> void once(String method, String requestId, Message request, StreamObserver<T> observer,
      Supplier<CompletableFuture<T>> call) {
    if (requestId.isEmpty()) {
      UnaryCalls.reply(UnaryCalls.async(call), observer);
      return;
    }
    HashCode fingerprint = Hashing.sha256().hashBytes(request.toByteArray());
    CompletableFuture<T> mine = new CompletableFuture<>();
    Recorded first = recorded.asMap().putIfAbsent(method + '\n' + requestId, new Recorded(fingerprint, mine));
    if (first == null) {
      UnaryCalls.async(call).whenComplete((value, error) -> {
        if (error != null) {
          mine.completeExceptionally(error);
        } else {
          mine.complete(value);
        }
      });
      UnaryCalls.reply(mine, observer);
    } else if (!first.request().equals(fingerprint)) {
      observer.onError(Statuses.invalidArgument(List.of(FieldViolation.newBuilder()
          .setField("request_id")
          .setDescription("was already used for a different " + method + " request")
          .build())));
    } else {
      UnaryCalls.reply((CompletableFuture<T>) first.outcome(), observer);
    }
  }
}
