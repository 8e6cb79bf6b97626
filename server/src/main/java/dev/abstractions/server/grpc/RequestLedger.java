package dev.abstractions.server.grpc;

import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import dev.abstractions.server.store.RequestKey;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The in-flight half of idempotent calls: a call with a {@code request_id} becomes a
 * {@link RequestKey} (its method, the id and a fingerprint of the request) that goes with its
 * commands into the store, and while it runs on this server a replay with the same id waits for it
 * and gets its outcome; a different request under an id in flight is INVALID_ARGUMENT. What a
 * finished request decided is not kept here: the store records it in its state (the request
 * ledger, {@code store.RequestTable}), which answers a later replay on any member, also after a
 * restart, and which needs a request's commands never to run concurrently on one server.
 *
 * <p>Memory: one entry per call in flight with a request_id (its key, a 32-byte fingerprint and
 * the call's future), removed as the call is answered; less than the calls themselves hold.
 *
 * <p>Thread-safe; never blocks a caller.
 */
@Singleton
final class RequestLedger {

  /** A call running with a request_id: its request's fingerprint and its outcome once known. */
  private record InFlight(ByteString fingerprint, CompletableFuture<?> outcome) {}

  private final ConcurrentHashMap<String, InFlight> running = new ConcurrentHashMap<>();

  @Inject
  RequestLedger() {}

  /**
   * Answers {@code observer} with the outcome of {@code call}, run with the request's key (or
   * {@link RequestKey#NONE} if {@code requestId} is empty), or with the outcome of the call with
   * the same {@code method} and {@code requestId} still running here. {@code request} gives the
   * API message the client sent, asked for only to fingerprint a call with a request_id.
   */
  @SuppressWarnings("unchecked")
  <T> void once(String method, String requestId, Supplier<? extends Message> request, StreamObserver<T> observer,
      Function<RequestKey, CompletableFuture<T>> call) {
    if (requestId.isEmpty()) {
      UnaryCalls.reply(UnaryCalls.async(() -> call.apply(RequestKey.NONE)), observer);
      return;
    }
    RequestKey key = new RequestKey(method, requestId, fingerprint(request.get()));
    CompletableFuture<T> mine = new CompletableFuture<>();
    InFlight entry = new InFlight(key.fingerprint(), mine);
    InFlight first = running.putIfAbsent(key.key(), entry);
    if (first == null) {
      UnaryCalls.async(() -> call.apply(key)).whenComplete((value, error) -> {
        // Before answering: a replay sent once this answer is seen goes to the store, which holds
        // what the call decided (or nothing, if it said "not now").
        running.remove(key.key(), entry);
        if (error != null) {
          mine.completeExceptionally(error);
        } else {
          mine.complete(value);
        }
      });
      UnaryCalls.reply(mine, observer);
    } else if (!first.fingerprint().equals(key.fingerprint())) {
      observer.onError(Statuses.requestReused());
    } else {
      UnaryCalls.reply((CompletableFuture<T>) first.outcome(), observer);
    }
  }

  /**
   * A SHA-256 of the request's deterministic encoding (map entries in key order), so that the same
   * request sent again, by any client library, has the same fingerprint on every member.
   */
  static ByteString fingerprint(Message request) {
    byte[] encoded = new byte[request.getSerializedSize()];
    CodedOutputStream out = CodedOutputStream.newInstance(encoded);
    out.useDeterministicSerialization();
    try {
      request.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into an array of its own size", e);
    }
    out.checkNoSpaceLeft();
    return ByteString.copyFrom(Hashing.sha256().hashBytes(encoded).asBytes());
  }
}
