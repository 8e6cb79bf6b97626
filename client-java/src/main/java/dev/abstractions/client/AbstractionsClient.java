package dev.abstractions.client;

import dev.abstractions.api.v1.SubscribeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The Java client of the Abstractions Entity Server: one channel, one scheduler, and a client per
 * service — {@link #entities()}, {@link #operations()} and {@link #subscribe event subscriptions}.
 *
 * <p>It owns one daemon thread ({@code abstractions-client-scheduler}) that waits out the server's
 * {@code retry_after} for async operations and the backoff of resuming subscribers, so no caller
 * thread sleeps for them. Thread-safe: share one instance; {@link #close()} ends its subscribers,
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
    this.entities = EntityClient.using(channel);
    this.operations = new OperationClient(channel, scheduler);
  }

  /** Connects in plaintext to {@code target}, e.g. {@code localhost:8980}. */
  public static AbstractionsClient connect(String target) {
    return new AbstractionsClient(NettyChannelBuilder.forTarget(target).usePlaintext().build(), true);
  }

  /**
   * Connects with TLS to {@code target}, e.g. {@code entities.example.com:8980}, trusting and
   * presenting the certificates {@code tls} names (see {@link Tls}; a client certificate for a
   * server that requires one).
   *
   * @throws IOException if a certificate or key file cannot be read or used
   */
  public static AbstractionsClient connect(String target, Tls tls) throws IOException {
    return new AbstractionsClient(NettyChannelBuilder.forTarget(target, tls.credentials()).build(), true);
  }

  /** Uses a channel the caller owns and closes. */
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
}
