package dev.abstractions.client;

import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The Java client of the Abstractions Entity Server: one channel, one scheduler, and a client per
 * service — {@link #entities()}, {@link #operations()} and {@link #subscribe event subscriptions}.
 * {@link #builder} sets up the channel (TLS, bearer token, default deadline, keepalive, retries).
 *
 * <p>It owns one daemon thread ({@code abstractions-client-scheduler}) that waits out the server's
 * {@code retry_after} for async operations, the backoff of {@link EntityClient#updateTreeAsync}
 * and that of resuming subscribers, so no caller thread sleeps for them. Thread-safe: share one instance; {@link #close()} ends its subscribers,
 * stops the scheduler and, if it opened the channel, closes it.
 */
public final class AbstractionsClient implements AutoCloseable {

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final ScheduledThreadPoolExecutor scheduler;
  private final EntityClient entities;
  private final OperationClient operations;
  private final Set<EventSubscriber> subscribers = ConcurrentHashMap.newKeySet();
  private boolean closed;

  private AbstractionsClient(ManagedChannel channel, boolean ownsChannel) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "abstractions-client-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    // Closed subscribers cancel their pending resume; do not keep it queued until its time.
    scheduler.setRemoveOnCancelPolicy(true);
    this.entities = EntityClient.using(channel, scheduler);
    this.operations = new OperationClient(channel, scheduler);
  }

  /** Starts a client to {@code target}, e.g. {@code entities.example.com:8980}; see {@link Builder}. */
  public static Builder builder(String target) {
    return new Builder(target);
  }

  /**
   * Connects in plaintext to {@code target}, e.g. {@code localhost:8980}, with the {@link Builder}'s
   * defaults.
   */
  public static AbstractionsClient connect(String target) {
    try {
      return builder(target).build();
    } catch (IOException e) {
      throw new UncheckedIOException("a plaintext channel reads no files", e);
    }
  }

  /**
   * Connects with TLS to {@code target}, e.g. {@code entities.example.com:8980}, trusting and
   * presenting the certificates {@code tls} names (see {@link Tls}; a client certificate for a
   * server that requires one), with the {@link Builder}'s other defaults.
   *
   * @throws IOException if a certificate or key file cannot be read or used
   */
  public static AbstractionsClient connect(String target, Tls tls) throws IOException {
    return builder(target).tls(tls).build();
  }

  /**
   * Uses a channel the caller owns and closes, as it is: none of the {@link Builder}'s settings
   * (token, default deadline, retries) are added to it.
   */
  public static AbstractionsClient using(ManagedChannel channel) {
    return new AbstractionsClient(Objects.requireNonNull(channel, "channel"), false);
  }

  /** Create, read and compare-and-set entities. */
  public EntityClient entities() {
    return entities;
  }

  /** Prioritized operations, server-side functions. */
  public OperationClient operations() {
    return operations;
  }

  /**
   * Starts a subscription that resumes by itself after disconnects (see {@link EventSubscriber}).
   * {@code request} says what to receive and where to start; on a resume its start is replaced by
   * the last position delivered.
   *
   * @throws IllegalStateException if this client is closed
   */
  public EventSubscriber subscribe(SubscribeRequest request, EventListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the client is closed");
      }
      EventSubscriber subscriber = new EventSubscriber(channel, request, listener, scheduler, subscribers::remove);
      subscribers.add(subscriber);
      subscriber.start();
      return subscriber;
    }
  }

  /**
   * Closes the subscribers, then stops the scheduler: async operations already waiting to retry
   * still make that attempt (which fails if the channel is closed), later ones fail with an
   * {@link IllegalStateException}, so every future completes. Closes the channel if this client
   * opened it.
   */
  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (EventSubscriber subscriber : List.copyOf(subscribers)) {
      subscriber.close();
    }
    if (ownsChannel) {
      channel.shutdown();
    }
    scheduler.shutdown();
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
    if (ownsChannel && !channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }

  /**
   * How to reach the server; {@link #build()} opens the channel. Unless told otherwise: plaintext,
   * no token, a {@link #DEFAULT_DEADLINE} on each unary call, gRPC's default keepalive (none) and
   * no retries beyond gRPC's transparent ones (a call that never left the client). Not
   * thread-safe; a builder can build several clients, each with its own channel.
   *
   * <pre>{@code
   * try (AbstractionsClient client = AbstractionsClient.builder("entities.example.com:8980")
   *     .tls(Tls.trusting(Path.of("ca.pem")))
   *     .bearerToken(System.getenv("ABSTRACTIONS_TOKEN"))
   *     .retryOnUnavailable(3)
   *     .build()) {
   *   Entity student = client.entities().create("Student", Structs.fromJson("{\"name\":\"Ada\"}"));
   * }
   * }</pre>
   */
  public static final class Builder {

    /** The deadline of a unary call that has none of its own, unless {@link #defaultDeadline} says otherwise. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    // Between attempts gRPC waits a random time up to initialBackoff, growing by the multiplier up to maxBackoff.
    private static final String INITIAL_BACKOFF = "0.1s";
    private static final String MAX_BACKOFF = "1s";
    private static final double BACKOFF_MULTIPLIER = 2.0;

    private final String target;
    private Tls tls;
    private BearerToken bearerToken;
    private Duration defaultDeadline = DEFAULT_DEADLINE;
    private Duration keepAliveTime;
    private Duration keepAliveTimeout;
    private int maxAttempts = 1;

    private Builder(String target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /** Connects with TLS as {@code tls} says instead of in plaintext. */
    public Builder tls(Tls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * Sends {@code authorization: Bearer <token>} with every call (the server's {@code
     * --auth-tokens}). Over plaintext the token travels in the clear: use {@link #tls} beyond
     * loopback.
     *
     * @throws IllegalArgumentException if the token is empty or not printable ASCII without spaces
     */
    public Builder bearerToken(String token) {
      this.bearerToken = new BearerToken(Objects.requireNonNull(token, "token"));
      return this;
    }

    /**
     * Ends each unary call that has no deadline of its own with {@code DEADLINE_EXCEEDED} (an
     * {@link EntityServiceException}) after {@code deadline}, retries included. Event
     * subscriptions are not bounded: they are meant to last.
     */
    public Builder defaultDeadline(Duration deadline) {
      this.defaultDeadline = positive(deadline, "deadline");
      return this;
    }

    /**
     * Pings the server after {@code time} without reads on a connection with calls in flight and
     * closes it (failing its calls with {@code UNAVAILABLE}, which subscribers resume from) if no
     * answer comes within {@code timeout}: a dead peer or a silent middlebox is noticed in
     * {@code time + timeout}. gRPC raises a {@code time} below 10 s to 10 s; it must be at least
     * the server's {@code --permit-keepalive-time} (default 20 s), or the server closes the
     * connection for pinging too often.
     */
    public Builder keepAlive(Duration time, Duration timeout) {
      this.keepAliveTime = positive(time, "time");
      this.keepAliveTimeout = positive(timeout, "timeout");
      return this;
    }

    /**
     * Makes each call of {@code EntityService} and {@code OperationService} up to {@code
     * maxAttempts} times while it fails with {@code UNAVAILABLE} (a server restarting, a
     * connection refused or lost), by gRPC's own retry policy with exponential backoff from 0.1 s
     * up to 1 s, within the call's deadline. {@code 1} turns retries off. Event subscriptions
     * resume by themselves instead.
     *
     * <p>A write whose reply was lost after the server applied it is sent again: an update or
     * delete then fails with {@link VersionConflictException}, a create of a given id with {@code
     * ALREADY_EXISTS}, and a create with a server-assigned id creates a second lineage.
     *
     * @throws IllegalArgumentException if {@code maxAttempts} is less than 1
     */
    public Builder retryOnUnavailable(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Opens the channel (lazily: it connects on the first call) and the client that owns it.
     *
     * @throws IOException if a TLS certificate or key file cannot be read or used
     */
    public AbstractionsClient build() throws IOException {
      ChannelCredentials credentials = tls != null ? tls.credentials() : InsecureChannelCredentials.create();
      if (bearerToken != null) {
        credentials = CompositeChannelCredentials.create(credentials, bearerToken);
      }
      NettyChannelBuilder channel = NettyChannelBuilder.forTarget(target, credentials)
          .intercept(new DefaultDeadline(defaultDeadline));
      if (keepAliveTime != null) {
        channel.keepAliveTime(keepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(keepAliveTimeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      if (maxAttempts > 1) {
        channel.defaultServiceConfig(retryConfig(maxAttempts)).maxRetryAttempts(maxAttempts).enableRetry();
      }
      return new AbstractionsClient(channel.build(), true);
    }

    /** A service config (gRPC's JSON shape, numbers as doubles) retrying UNAVAILABLE on the unary services. */
    private static Map<String, ?> retryConfig(int maxAttempts) {
      Map<String, ?> retryPolicy = Map.of(
          "maxAttempts", (double) maxAttempts,
          "initialBackoff", INITIAL_BACKOFF,
          "maxBackoff", MAX_BACKOFF,
          "backoffMultiplier", BACKOFF_MULTIPLIER,
          "retryableStatusCodes", List.of(Status.Code.UNAVAILABLE.name()));
      Map<String, ?> methodConfig = Map.of(
          "name", List.of(Map.of("service", EntityServiceGrpc.SERVICE_NAME),
              Map.of("service", OperationServiceGrpc.SERVICE_NAME)),
          "retryPolicy", retryPolicy);
      return Map.of("methodConfig", List.of(methodConfig));
    }

    private static Duration positive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + duration);
      }
      return duration;
    }
  }
}
