package dev.abstractions.client;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One event subscription that survives disconnects. It remembers the last event (or Progress
 * bookmark) it passed to its {@link EventListener}; when the stream breaks (UNAVAILABLE, e.g. a
 * server shutting down or a dropped connection, or CANCELLED / UNKNOWN from the transport) it
 * subscribes again after a short backoff with that position's {@code resume_token}, and drops any
 * event at or below the last delivered sequence, so the listener sees each event exactly once, in
 * order. Until the first event or bookmark arrives it resumes with the original start, which for
 * {@code from_now} cannot cover events written while it was disconnected.
 *
 * <p>Events the server no longer holds are never skipped silently: OUT_OF_RANGE ends the
 * subscription with an {@link EventsLostException} via {@link EventListener#onError}, as does any
 * other error the server will not take back by itself.
 *
 * <p>Flow control is manual: the next event is requested only after the listener returns, so a
 * slow listener slows its own stream and the server holds the rest in its log. Thread-safe; create
 * with {@link AbstractionsClient#subscribe}.
 */
public final class EventSubscriber implements AutoCloseable {

  /** Stream ends a resume can cure: the server or the connection went away. */
  private static final Set<Status.Code> RESUMABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.CANCELLED,
      Status.Code.UNKNOWN);
  private static final long FIRST_RESUME_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_RESUME_DELAY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final ManagedChannel channel;
  private final EventServiceGrpc.EventServiceStub stub;
  private final SubscribeRequest request;
  private final EventListener listener;
  private final ScheduledExecutorService scheduler;
  /** Told once, when the subscription ends for good. */
  private final Consumer<EventSubscriber> onEnd;

  private final Object lock = new Object();
  /** Written under {@link #lock}; read without it to drop messages that race with the end. */
  private volatile boolean ended;
  /** The stream being served; guarded by {@link #lock}. */
  private ClientCallStreamObserver<SubscribeRequest> current;
  /** The scheduled resume, if one is waiting; guarded by {@link #lock}. */
  private ScheduledFuture<?> pendingResume;
  /** Resumes since a stream last delivered anything: drives the backoff. */
  private volatile int failedResumes;
  // Written only by the callbacks of the stream being served (one stream at a time).
  private volatile long lastSequence;
  private volatile String resumeToken = "";

  EventSubscriber(ManagedChannel channel, SubscribeRequest request, EventListener listener,
      ScheduledExecutorService scheduler, Consumer<EventSubscriber> onEnd) {
    this.channel = channel;
    // Wait for a connection instead of failing fast, so a resume rides out a reconnect.
    this.stub = EventServiceGrpc.newStub(channel).withWaitForReady();
    this.request = request;
    this.listener = listener;
    this.scheduler = scheduler;
    this.onEnd = onEnd;
  }

  void start() {
    synchronized (lock) {
      open();
    }
  }

  /** The sequence of the last event delivered or bookmark passed; 0 before any. */
  public long lastSequence() {
    return lastSequence;
  }

  /** The token that resumes right after {@link #lastSequence()}; "" before any event or bookmark. */
  public String resumeToken() {
    return resumeToken;
  }

  /** Stops the subscription; the listener is called no more once a call in progress returns. */
  @Override
  public void close() {
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      if (current != null) {
        current.cancel("the subscriber was closed", null);
        current = null;
      }
      if (pendingResume != null) {
        pendingResume.cancel(false);
      }
    }
    onEnd.accept(this);
  }

  /** Starts a stream from the last position passed, or the original start before any. Holds the lock. */
  private void open() {
    SubscribeRequest next = resumeToken.isEmpty() ? request : request.toBuilder().setResumeToken(resumeToken).build();
    stub.subscribe(next, new Stream());
  }

  private void resume() {
    synchronized (lock) {
      if (ended) {
        return;
      }
      pendingResume = null;
      open();
    }
  }

  private void resumeLater(ClientCallStreamObserver<SubscribeRequest> broken) {
    RuntimeException closedClient;
    synchronized (lock) {
      if (ended || current != broken) {
        return;
      }
      current = null;
      int failures = failedResumes++;
      long delay = Math.min(MAX_RESUME_DELAY_NANOS, FIRST_RESUME_DELAY_NANOS << Math.min(failures, 10));
      try {
        pendingResume = scheduler.schedule(this::resume, delay, TimeUnit.NANOSECONDS);
        return;
      } catch (RejectedExecutionException e) {
        closedClient = new IllegalStateException("the client is closed; the subscription cannot resume", e);
      }
    }
    end(closedClient, null);
  }

  /** Ends for good and tells the listener, unless {@code stream} is no longer the one being served. */
  private void end(RuntimeException error, ClientCallStreamObserver<SubscribeRequest> stream) {
    synchronized (lock) {
      if (ended || current != stream) {
        return;
      }
      ended = true;
      if (current != null) {
        current.cancel("the subscription ended", error);
        current = null;
      }
    }
    onEnd.accept(this);
    listener.onError(error);
  }

  /** The callbacks of one stream; gRPC never runs two of them at once. */
  private final class Stream implements ClientResponseObserver<SubscribeRequest, Event> {

    private ClientCallStreamObserver<SubscribeRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
      // Runs inside open(), under the lock, before the call starts: even a callback on the
      // starting thread finds this stream current.
      call = requestStream;
      current = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(Event event) {
      if (ended) {
        return;
      }
      try {
        if (event.hasProgress()) {
          listener.onProgress(event.getProgress());
          pass(Math.max(lastSequence, event.getProgress().getHeadSequence()), event.getResumeToken());
        } else if (event.getSequence() > lastSequence) {
          listener.onEvent(event);
          pass(event.getSequence(), event.getResumeToken());
        }
      } catch (RuntimeException listenerFailure) {
        end(listenerFailure, call);
        return;
      }
      failedResumes = 0;
      call.request(1);
    }

    @Override
    public void onError(Throwable failure) {
      // A channel its owner shut down answers every call UNAVAILABLE: resuming would never end.
      if (RESUMABLE.contains(Status.fromThrowable(failure).getCode()) && !channel.isShutdown()) {
        resumeLater(call);
      } else {
        end(ServerErrors.translate(failure), call);
      }
    }

    @Override
    public void onCompleted() {
      // The contract's streams never end by themselves; an orderly end is a disconnect like any other.
      resumeLater(call);
    }

    private void pass(long sequence, String token) {
      lastSequence = sequence;
      resumeToken = token;
    }
  }
}
