package dev.abstractions.cli;

import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.Tls;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One command's connection: a channel built from the global options (target, TLS, bearer token,
 * per-call timeout) and the {@link AbstractionsClient} on it. Closing closes both, waiting for the
 * channel to end. Thread-safe, as the client is.
 *
 * <p>The channel is grpc's OkHttp transport, not the Netty one the client library builds by
 * default: a command is a fresh JVM, and OkHttp's few classes make a command about 0.08 s quicker
 * (docs/cli.md, "Start-up time"). It runs on threads of its own rather than grpc's shared ones,
 * whose thread factory formats its name pattern once, which costs a command about 10 ms (the JDK's
 * locale data, loaded for that alone).
 */
final class Session implements AutoCloseable {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String target;
  private final ExecutorService executor;
  private final ScheduledExecutorService timer;
  private final ManagedChannel channel;
  private final AbstractionsClient client;

  private Session(String target, ExecutorService executor, ScheduledExecutorService timer, ManagedChannel channel) {
    this.target = target;
    this.executor = executor;
    this.timer = timer;
    this.channel = channel;
    this.client = AbstractionsClient.using(channel);
  }

  /**
   * Opens a channel to {@code target}: TLS when {@code tls} is given (see {@link Tls}), plaintext
   * when it is null; each call carries {@code token} as a bearer token if it is not empty; unary
   * calls time out after {@code timeout}.
   */
  static Session open(String target, Tls tls, String token, Duration timeout) throws IOException {
    ChannelCredentials credentials = tls != null ? tls.credentials() : InsecureChannelCredentials.create();
    List<ClientInterceptor> interceptors = new ArrayList<>();
    interceptors.add(unaryDeadline(timeout));
    if (!token.isEmpty()) {
      interceptors.add(bearer(token));
    }
    ThreadFactory threads = new DaemonThreads("abstractions-cli");
    ExecutorService executor = Executors.newCachedThreadPool(threads);
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads);
    // As grpc's own timer: a deadline or keepalive cancelled goes at once, not at its time.
    timer.setRemoveOnCancelPolicy(true);
    ManagedChannel channel = OkHttpChannelBuilder.forTarget(target, credentials)
        .intercept(interceptors)
        .executor(executor)
        .offloadExecutor(executor)
        .transportExecutor(executor)
        .scheduledExecutorService(timer)
        .build();
    return new Session(target, executor, timer, channel);
  }

  String target() {
    return target;
  }

  AbstractionsClient client() {
    return client;
  }

  /**
   * Waits until the channel has connected once. Streams wait for a connection instead of failing
   * (so a watch rides out a reconnect); this makes a server that cannot be reached at all an
   * error instead of a silent wait.
   *
   * @return false if the first connection attempt failed or {@code timeout} passed
   */
  boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ConnectivityState state = channel.getState(true);
    while (state != ConnectivityState.READY) {
      long left = deadline - System.nanoTime();
      if (state == ConnectivityState.TRANSIENT_FAILURE || state == ConnectivityState.SHUTDOWN || left <= 0) {
        return false;
      }
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      changed.await(left, TimeUnit.NANOSECONDS);
      state = channel.getState(true);
    }
    return true;
  }

  @Override
  public void close() throws InterruptedException {
    client.close();
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    executor.shutdownNow();
    timer.shutdownNow();
  }

  /** Bounds every unary call that has no deadline of its own; streams are left to run. */
  private static ClientInterceptor unaryDeadline(Duration timeout) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        boolean unary = method.getType() == MethodDescriptor.MethodType.UNARY;
        return next.newCall(method, unary && options.getDeadline() == null
            ? options.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
            : options);
      }
    };
  }

  private static ClientInterceptor bearer(String token) {
    String value = "Bearer " + token;
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            headers.put(AUTHORIZATION, value);
            super.start(listener, headers);
          }
        };
      }
    };
  }
}
