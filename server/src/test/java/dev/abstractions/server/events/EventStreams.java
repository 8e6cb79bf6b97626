package dev.abstractions.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.TestServer;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * Test plumbing for event streams over the generated stubs: a recording subscriber, requests,
 * status details, and fast ways to write many events.
 */
final class EventStreams {

  /** Runs stream callbacks on the transport thread: recording is cheap and never blocks. */
  static final Executor DIRECT = Runnable::run;

  private EventStreams() {}

  // ---- requests ----

  static SubscribeRequest fromSequence(long sequence) {
    return SubscribeRequest.newBuilder().setFromSequence(sequence).build();
  }

  static SubscribeRequest fromSequence(long sequence, EventFilter filter) {
    return SubscribeRequest.newBuilder().setFromSequence(sequence).setFilter(filter).build();
  }

  static SubscribeRequest resumingAfter(String resumeToken) {
    return SubscribeRequest.newBuilder().setResumeToken(resumeToken).build();
  }

  // ---- subscribing ----

  /** Subscribes with automatic flow control. */
  static Recorder subscribe(Channel channel, SubscribeRequest request) {
    Recorder recorder = new Recorder(0, true);
    EventServiceGrpc.newStub(channel).withExecutor(DIRECT).subscribe(request, recorder);
    return recorder;
  }

  /** Subscribes asking the transport for only {@code initial} events; more only via {@link Recorder#request}. */
  static Recorder subscribeManually(Channel channel, SubscribeRequest request, int initial) {
    Recorder recorder = new Recorder(initial, true);
    EventServiceGrpc.newStub(channel).withExecutor(DIRECT).subscribe(request, recorder);
    return recorder;
  }

  /** Subscribes and records the first {@code n} events only, then cancels the stream. */
  static Recorder subscribeUntil(Channel channel, SubscribeRequest request, long n) {
    Recorder recorder = new Recorder(0, true);
    recorder.cancelAfter = n;
    EventServiceGrpc.newStub(channel).withExecutor(DIRECT).subscribe(request, recorder);
    return recorder;
  }

  /** Subscribes, counting events and checking their sequences are consecutive, without keeping them. */
  static Recorder subscribeCounting(Channel channel, SubscribeRequest request) {
    Recorder recorder = new Recorder(0, false);
    EventServiceGrpc.newStub(channel).withExecutor(DIRECT).subscribe(request, recorder);
    return recorder;
  }

  /**
   * A subscriber that records what it receives. Events (not Progress) and bookmarks are kept
   * apart; a subscriber may be told to cancel after a number of events, recording none beyond it.
   * Callbacks arrive one at a time; readers get copies.
   */
  static final class Recorder implements ClientResponseObserver<SubscribeRequest, Event> {

    private final int initialRequest;
    private final boolean keep;
    private final List<Event> events = new ArrayList<>();
    private final List<Event> bookmarks = new ArrayList<>();
    /** Events and bookmarks, in the order they arrived. */
    private final List<Event> received = new ArrayList<>();
    /** How the stream ended: null for a normal completion, else the error. */
    private final CompletableFuture<Throwable> end = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<SubscribeRequest> call;
    private volatile long count;
    private volatile long lastSequence;
    private volatile long position;
    private volatile String lastResumeToken = "";
    private volatile String orderViolation;
    /** Set before the call starts. */
    private long cancelAfter = Long.MAX_VALUE;
    private volatile boolean cancelled;

    private Recorder(int initialRequest, boolean keep) {
      this.initialRequest = initialRequest;
      this.keep = keep;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
      this.call = requestStream;
      if (initialRequest > 0) {
        requestStream.disableAutoRequestWithInitial(initialRequest);
      }
    }

    @Override
    public synchronized void onNext(Event event) {
      if (cancelled) {
        return;
      }
      if (keep) {
        received.add(event);
      }
      if (event.hasProgress()) {
        bookmarks.add(event);
        position = Math.max(position, event.getProgress().getHeadSequence());
      } else {
        boolean inOrder = lastSequence == 0
            || (keep ? event.getSequence() > lastSequence : event.getSequence() == lastSequence + 1);
        if (!inOrder && orderViolation == null) {
          orderViolation = "sequence " + event.getSequence() + " after " + lastSequence;
        }
        if (keep) {
          events.add(event);
        }
        lastSequence = event.getSequence();
        position = Math.max(position, event.getSequence());
        count++;
      }
      lastResumeToken = event.getResumeToken();
      if (count >= cancelAfter) {
        cancel();
      }
    }

    @Override
    public void onError(Throwable t) {
      end.complete(t);
    }

    @Override
    public void onCompleted() {
      end.complete(null);
    }

    synchronized void cancel() {
      cancelled = true;
      call.cancel("test is done", null);
    }

    void request(int n) {
      call.request(n);
    }

    synchronized List<Event> events() {
      return List.copyOf(events);
    }

    synchronized List<Event> bookmarks() {
      return List.copyOf(bookmarks);
    }

    /** Events and bookmarks in the order they arrived. */
    synchronized List<Event> received() {
      return List.copyOf(received);
    }

    long count() {
      return count;
    }

    long lastSequence() {
      return lastSequence;
    }

    /** The furthest sequence this stream has passed: delivered or bookmarked. */
    long position() {
      return position;
    }

    String lastResumeToken() {
      return lastResumeToken;
    }

    /** The first out-of-order (or, when not keeping events, non-consecutive) sequence seen, or null. */
    String orderViolation() {
      return orderViolation;
    }

    boolean ended() {
      return end.isDone();
    }

    /** Waits until {@code n} events arrived and asserts no more than that did. */
    Recorder awaitCount(long n, Duration timeout) {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(5))
          .until(() -> count >= n || endedByServer());
      assertThat(endedByServer()).as("stream ended early with %s", end.getNow(null)).isFalse();
      assertThat(count).isEqualTo(n);
      return this;
    }

    /** Waits until the stream passed {@code sequence} (an event or a bookmark) and asserts not beyond. */
    Recorder awaitPosition(long sequence, Duration timeout) {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(5))
          .until(() -> position >= sequence || endedByServer());
      assertThat(endedByServer()).as("stream ended early with %s", end.getNow(null)).isFalse();
      assertThat(position).isEqualTo(sequence);
      return this;
    }

    private boolean endedByServer() {
      return end.isDone() && !cancelled;
    }

    /** Waits for the stream to end with an error and returns it. */
    StatusRuntimeException awaitError(Duration timeout) throws Exception {
      Throwable error = end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(error).as("the stream ended with an error").isInstanceOf(StatusRuntimeException.class);
      return (StatusRuntimeException) error;
    }
  }

  /** Waits until the server has registered exactly {@code n} subscriptions (so "from now" starts precede the next write). */
  static void awaitSubscribers(TestServer server, int n) {
    SubscriptionHub hub = server.injector().getInstance(SubscriptionHub.class);
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
        .until(() -> hub.subscriberCount() == n);
  }

  // ---- status details ----

  static ErrorInfo errorInfo(StatusRuntimeException e) {
    return detail(e, ErrorInfo.class);
  }

  static List<String> violatedFields(StatusRuntimeException e) {
    return detail(e, BadRequest.class).getFieldViolationsList().stream()
        .map(BadRequest.FieldViolation::getField)
        .toList();
  }

  private static <T extends com.google.protobuf.Message> T detail(StatusRuntimeException e, Class<T> type) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(e);
    assertThat(rich).as("%s carries google.rpc.Status details", e.getStatus()).isNotNull();
    for (Any any : rich.getDetailsList()) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (InvalidProtocolBufferException bad) {
          throw new AssertionError(bad);
        }
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + rich);
  }

  // ---- writing ----

  static Struct count(double value) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(value).build()).build();
  }

  static Entity createCounter(Channel channel, String type) {
    return EntityServiceGrpc.newBlockingStub(channel)
        .create(CreateEntityRequest.newBuilder().setEntityType(type).setData(count(0)).build());
  }

  /**
   * Runs {@code executions} server-side increments spread over {@code targets}, up to 64 at a time;
   * each writes three events (OperationStarted, EntityVersioned, OperationSucceeded). Returns when
   * all committed.
   */
  static void increment(Channel channel, List<String> targets, int executions) throws InterruptedException {
    OperationServiceGrpc.OperationServiceStub stub = OperationServiceGrpc.newStub(channel).withExecutor(DIRECT);
    Semaphore inFlight = new Semaphore(64);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Struct args = Struct.newBuilder().putFields("path", Value.newBuilder().setStringValue("count").build()).build();
    for (int i = 0; i < executions && failure.get() == null; i++) {
      inFlight.acquire();
      ExecuteRequest request = ExecuteRequest.newBuilder()
          .setTargetLineageId(targets.get(i % targets.size()))
          .setFunction("increment")
          .setArgs(args)
          .build();
      stub.execute(request, new StreamObserver<>() {
        @Override
        public void onNext(ExecuteResponse response) {
          if (response.getOutcome() != CommitOutcome.OUTCOME_COMMITTED) {
            failure.compareAndSet(null, new AssertionError("increment did not commit: " + response));
          }
        }

        @Override
        public void onError(Throwable t) {
          failure.compareAndSet(null, t);
          inFlight.release();
        }

        @Override
        public void onCompleted() {
          inFlight.release();
        }
      });
    }
    if (!inFlight.tryAcquire(64, 60, TimeUnit.SECONDS)) {
      throw new AssertionError("increments did not finish");
    }
    inFlight.release(64);
    if (failure.get() != null) {
      throw new AssertionError("an increment failed", failure.get());
    }
  }
}
