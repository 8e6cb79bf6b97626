package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import com.google.rpc.Code;
import dev.abstractions.api.v1.ErrorReason;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.memory.MemoryBudget;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request ledger replays what a request decided (a response, or a refusal that a retry would
 * get again) and forgets what only says "not now": a transient outcome is not kept, so a retry
 * with the same {@code request_id} runs again.
 */
class RequestLedgerTest {

  private static final StringValue REQUEST = StringValue.of("the request");

  private final RequestLedger ledger = new RequestLedger(ServerConfig.parse(), MemoryBudget.unlimited());
  private final AtomicInteger runs = new AtomicInteger();

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"RESOURCE_EXHAUSTED", "UNAVAILABLE", "CANCELLED",
      "DEADLINE_EXCEEDED", "INTERNAL"})
  void aTransientFailureIsNotReplayedTheRetryRunsAgain(Status.Code code) {
    Throwable first = call(() -> CompletableFuture.failedFuture(Status.fromCode(code).asRuntimeException()));
    assertThat(((StatusRuntimeException) first).getStatus().getCode()).isEqualTo(code);

    assertThat(call(() -> CompletableFuture.completedFuture("done"))).isNull();
    assertThat(runs.get()).isEqualTo(2);
  }

  @Test
  void aGateHeldRefusalIsNotReplayedTheRetryRunsAgain() {
    StatusRuntimeException gateHeld = Statuses.error(Code.ABORTED, ErrorReason.GATE_HELD.name(), "retry later",
        Map.of("retry_after_ms", "5"));
    assertThat(call(() -> CompletableFuture.failedFuture(gateHeld))).isSameAs(gateHeld);

    assertThat(call(() -> CompletableFuture.completedFuture("done"))).isNull();
    assertThat(runs.get()).isEqualTo(2);
  }

  @Test
  void aHandlerThatThrowsSomethingElseIsAnInternalErrorAndNotReplayed() {
    Throwable first = call(() -> {
      throw new IllegalStateException("a bug");
    });
    assertThat(((StatusRuntimeException) first).getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);

    assertThat(call(() -> CompletableFuture.completedFuture("done"))).isNull();
    assertThat(runs.get()).isEqualTo(2);
  }

  @Test
  void aDecidedRefusalIsReplayedWithoutRunningAgain() {
    StatusRuntimeException conflict = Statuses.error(Code.ABORTED, ErrorReason.VERSION_CONFLICT.name(),
        "version conflict", Map.of());
    assertThat(call(() -> CompletableFuture.failedFuture(conflict))).isSameAs(conflict);

    assertThat(call(() -> CompletableFuture.completedFuture("done"))).isSameAs(conflict);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void aResponseIsReplayedWithoutRunningAgain() {
    AtomicReference<String> replayed = new AtomicReference<>();
    assertThat(call(() -> CompletableFuture.completedFuture("first"))).isNull();
    assertThat(call(() -> CompletableFuture.completedFuture("second"), replayed)).isNull();
    assertThat(replayed.get()).isEqualTo("first");
    assertThat(runs.get()).isEqualTo(1);
  }

  /** Calls the ledger with the same request id; returns the error answered, or null for a response. */
  private Throwable call(Supplier<CompletableFuture<String>> handler) {
    return call(handler, new AtomicReference<>());
  }

  private Throwable call(Supplier<CompletableFuture<String>> handler, AtomicReference<String> response) {
    AtomicReference<Throwable> error = new AtomicReference<>();
    CompletableFuture<Void> answered = new CompletableFuture<>();
    ledger.once("Update", "request-1", REQUEST, new StreamObserver<String>() {
      @Override
      public void onNext(String value) {
        response.set(value);
      }

      @Override
      public void onError(Throwable t) {
        error.set(t);
        answered.complete(null);
      }

      @Override
      public void onCompleted() {
        answered.complete(null);
      }
    }, () -> {
      runs.incrementAndGet();
      return handler.get();
    });
    assertThat(answered).as("answered at once").isDone();
    return error.get();
  }
}
