package dev.abstractions.server.grpc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest.FieldViolation;
import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.ErrorReason;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.memory.MemoryBudget;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Makes mutating calls idempotent: the first call with a {@code request_id} runs and its outcome
 * (response or status) is remembered for a bounded count and age; a replay of the same request
 * gets that outcome without running again, also while the first is still running. A transient
 * outcome, one that says "not now" rather than what the request decided (GATE_HELD,
 * RESOURCE_EXHAUSTED, UNAVAILABLE, CANCELLED, DEADLINE_EXCEEDED, INTERNAL), is forgotten as it is
 * answered, so the client's retry runs again instead of being told "not now" for the whole
 * retention. Reusing an id for a different request is INVALID_ARGUMENT. Thread-safe; never blocks
 * a caller.
 *
 * <p>Memory: bounded in bytes, not only in count. Each entry weighs what its outcome holds (an
 * entity version's bytes, a response's size), at least {@code 1/--request-retention} of the
 * ledger's share, so the count bound still holds; the least recently used entries go first. The
 * share, {@value #MAX_BYTES} bytes or a tenth of the memory budget if that is less, is set aside
 * in the {@link MemoryBudget} (REQUESTS) for the server's life.
 */
@Singleton
final class RequestLedger {

  /** Codes that say "not now" whatever their reason. */
  private static final Set<Status.Code> TRANSIENT_CODES = EnumSet.of(Status.Code.RESOURCE_EXHAUSTED,
      Status.Code.UNAVAILABLE, Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED, Status.Code.INTERNAL);

  /** The most the ledger holds, in bytes, however large the memory budget. */
  static final long MAX_BYTES = 64L << 20;

  /** The first call's request fingerprint, its outcome, and what it weighs once known. */
  private record Recorded(HashCode request, CompletableFuture<?> outcome, long weight) {}

  private final Cache<String, Recorded> recorded;
  /** The least an entry weighs: the count bound expressed as a weight. */
  private final long minWeight;

  @Inject
  RequestLedger(ServerConfig config, MemoryBudget budget) {
    long maxBytes = Math.min(MAX_BYTES, budget.limit() / 10);
    this.minWeight = Math.max(1, maxBytes / config.requestRetention());
    budget.add(MemoryBudget.Account.REQUESTS, maxBytes);
    this.recorded = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String key, Recorded entry) -> (int) Math.min(Integer.MAX_VALUE, Math.max(minWeight, entry.weight())))
        .expireAfterWrite(config.requestRetentionAge())
        .build();
  }

  /**
   * Answers {@code observer} with the outcome of {@code call}, run at most once per
   * {@code method} and {@code requestId} ("" means no idempotency) unless that outcome was
   * transient.
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
    String key = method + '\n' + requestId;
    Recorded entry = new Recorded(fingerprint, mine, minWeight);
    Recorded first = recorded.asMap().putIfAbsent(key, entry);
    if (first == null) {
      UnaryCalls.async(call).whenComplete((value, error) -> {
        if (error != null) {
          if (isTransient(error)) {
            // Before answering: a retry sent once this answer is seen must find the id unused.
            recorded.asMap().remove(key, entry);
          }
          mine.completeExceptionally(error);
        } else {
          // Weighed again now that what it holds is known (a replace re-weighs the entry).
          recorded.asMap().replace(key, entry, new Recorded(fingerprint, mine, 256 + heapBytes(value)));
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

  /** What a remembered response holds: a stored version's bytes, or a message's, generously. */
  private static long heapBytes(Object response) {
    if (response instanceof EntityVersion version) {
      return version.heapBytes();
    }
    return response instanceof Message message ? 3L * message.getSerializedSize() : 0;
  }

  /**
   * Whether {@code error} says "not now" rather than what the request decided: a retry of the same
   * request may succeed. Anything that is not a status is a bug, which the client sees as INTERNAL.
   */
  private static boolean isTransient(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (!(cause instanceof StatusRuntimeException status)) {
      return true;
    }
    if (TRANSIENT_CODES.contains(status.getStatus().getCode())) {
      return true;
    }
    com.google.rpc.Status details = StatusProto.fromThrowable(status);
    if (details == null) {
      return false;
    }
    for (Any detail : details.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason().equals(ErrorReason.GATE_HELD.name());
        } catch (InvalidProtocolBufferException e) {
          return false;
        }
      }
    }
    return false;
  }
}
