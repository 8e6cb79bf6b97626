package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.abstractions.server.store.RequestKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The request ledger holds a replay while the first call with its {@code request_id} runs and
 * answers both with the first call's outcome; once that call is answered, the next call with the
 * id runs again with the same {@link RequestKey} (the store, which recorded what it decided,
 * answers it then). What the store does with the key is tested over real servers
 * ({@code DurableRequestLedgerTest}).
 */
class RequestLedgerTest {

  private static final StringValue REQUEST = StringValue.of("the request");

  private final RequestLedger ledger = new RequestLedger();
  private final List<RequestKey> runs = new ArrayList<>();

  @Test
  void aReplayWhileTheFirstCallRunsWaitsForItAndGetsItsOutcomeWithoutRunning() {
    CompletableFuture<String> first = new CompletableFuture<>();
    Answer firstAnswer = call(REQUEST, first);
    Answer replayAnswer = call(REQUEST, CompletableFuture.completedFuture("second"));
    assertThat(firstAnswer.done).isNotDone();
    assertThat(replayAnswer.done).isNotDone();

    first.complete("first");
    assertThat(firstAnswer.response.get()).isEqualTo("first");
    assertThat(replayAnswer.response.get()).isEqualTo("first");
    assertThat(runs).hasSize(1);
  }

  @Test
  void aReplayWhileTheFirstCallRunsGetsItsFailureToo() {
    CompletableFuture<String> first = new CompletableFuture<>();
    Answer firstAnswer = call(REQUEST, first);
    Answer replayAnswer = call(REQUEST, CompletableFuture.completedFuture("second"));

    first.completeExceptionally(Status.UNAVAILABLE.asRuntimeException());
    assertThat(code(firstAnswer)).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(replayAnswer)).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(runs).hasSize(1);
  }

  @Test
  void aCallAfterTheFirstWasAnsweredRunsWithTheSameKey() {
    call(REQUEST, CompletableFuture.completedFuture("first"));
    Answer again = call(REQUEST, CompletableFuture.completedFuture("again"));

    assertThat(again.response.get()).isEqualTo("again");
    assertThat(runs).hasSize(2);
    assertThat(runs.get(1)).isEqualTo(runs.get(0));
    assertThat(runs.get(0).method()).isEqualTo("Update");
    assertThat(runs.get(0).id()).isEqualTo("request-1");
    assertThat(runs.get(0).fingerprint().size()).isEqualTo(32);
  }

  @Test
  void aDifferentRequestUnderAnIdInFlightIsInvalidArgumentAndDoesNotRun() {
    call(REQUEST, new CompletableFuture<>());
    Answer other = call(StringValue.of("another request"), CompletableFuture.completedFuture("other"));

    assertThat(code(other)).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(runs).hasSize(1);
  }

  @Test
  void aCallWithoutARequestIdRunsEveryTimeWithNoKey() {
    ledger.once("Update", "", () -> REQUEST, new Answer(), key -> {
      runs.add(key);
      return new CompletableFuture<>();
    });
    ledger.once("Update", "", () -> REQUEST, new Answer(), key -> {
      runs.add(key);
      return new CompletableFuture<>();
    });
    assertThat(runs).containsExactly(RequestKey.NONE, RequestKey.NONE);
  }

  private Answer call(StringValue request, CompletableFuture<String> outcome) {
    Answer answer = new Answer();
    ledger.once("Update", "request-1", () -> request, answer, key -> {
      runs.add(key);
      return outcome;
    });
    return answer;
  }

  private static Status.Code code(Answer answer) {
    assertThat(answer.done).isDone();
    return ((StatusRuntimeException) answer.error.get()).getStatus().getCode();
  }

  /** What one call was answered. */
  private static final class Answer implements StreamObserver<String> {
    final AtomicReference<String> response = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onNext(String value) {
      response.set(value);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
      done.complete(null);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }
  }
}
