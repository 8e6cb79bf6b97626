package dev.abstractions.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The standard gRPC server metrics, under the names and labels of go-grpc-prometheus (the
 * grpc-ecosystem convention stock dashboards and alerts query): {@code grpc_server_started_total},
 * {@code grpc_server_handled_total}, {@code grpc_server_msg_received_total}, {@code
 * grpc_server_msg_sent_total} and the histogram {@code grpc_server_handling_seconds}, labelled
 * {@code grpc_service}, {@code grpc_method}, {@code grpc_type} ({@code unary}, {@code
 * client_stream}, {@code server_stream}, {@code bidi_stream}) and, on handled calls, {@code
 * grpc_code} (the status code's name). The labels are bounded by the methods the server hosts
 * and the 17 status codes.
 *
 * <p>Every started call is counted as handled exactly once, however it ends, and timed from its
 * start to that moment: with the code the server closes it with; with {@code CANCELLED} when it is
 * cancelled (by the client, its deadline or its connection) before the server closed it, which a
 * server stream nobody ends always is; with the status grpc-java closes it with when the handler
 * throws while starting; and {@code UNKNOWN} when it completes without any interceptor seeing its
 * status, which happens when a handler throws later and grpc-java closes the stream beneath them.
 *
 * <p>Every call and message passes through here, so the hot path is kept cheap: a map lookup by
 * method descriptor per call, then lock-free increments of data points each method looked up by
 * label once and kept; the histogram is classic only (no native-histogram bucket map to maintain)
 * and nothing samples exemplars (there are no traces to link). Its buckets start at 10 µs because
 * most calls here take microseconds, below the 5 ms of the usual default buckets. Thread-safe: a
 * call may be closed, cancelled and sent messages on different threads.
 */
final class RpcMetricsInterceptor implements ServerInterceptor {

  private static final Status.Code[] CODES = Status.Code.values();

  private final Counter started;
  private final Counter handled;
  private final Counter received;
  private final Counter sent;
  private final Histogram handling;
  private final ConcurrentHashMap<MethodDescriptor<?, ?>, MethodMetrics> byMethod = new ConcurrentHashMap<>();

  RpcMetricsInterceptor(PrometheusRegistry registry) {
    started = Counter.builder()
        .name("grpc_server_started_total")
        .help("Calls started, by method")
        .labelNames("grpc_service", "grpc_method", "grpc_type")
        .withoutExemplars()
        .register(registry);
    handled = Counter.builder()
        .name("grpc_server_handled_total")
        .help("Calls ended, by method and status code: each started call once, however it ended")
        .labelNames("grpc_service", "grpc_method", "grpc_type", "grpc_code")
        .withoutExemplars()
        .register(registry);
    received = Counter.builder()
        .name("grpc_server_msg_received_total")
        .help("Request messages received, by method")
        .labelNames("grpc_service", "grpc_method", "grpc_type")
        .withoutExemplars()
        .register(registry);
    sent = Counter.builder()
        .name("grpc_server_msg_sent_total")
        .help("Response messages sent, by method")
        .labelNames("grpc_service", "grpc_method", "grpc_type")
        .withoutExemplars()
        .register(registry);
    handling = Histogram.builder()
        .name("grpc_server_handling_seconds")
        .help("Time from a call's start to its end, by method")
        .unit(Unit.SECONDS)
        .labelNames("grpc_service", "grpc_method", "grpc_type")
        .classicOnly()
        .classicExponentialUpperBounds(1e-5, 2, 22)
        .withoutExemplars()
        .register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    MethodMetrics metrics = byMethod.computeIfAbsent(call.getMethodDescriptor(), MethodMetrics::new);
    metrics.started.inc();
    MeteredCall<Q, R> metered = new MeteredCall<>(call, metrics);
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(metered, headers);
    } catch (RuntimeException | Error e) {
      // grpc-java closes the stream itself with this status, and no listener of ours will hear of it.
      metered.handled(Status.fromThrowable(e).getCode());
      throw e;
    }
    return new MeteredListener<>(listener, metered);
  }

  /** The {@code grpc_type} label of a method type. */
  static String type(MethodDescriptor.MethodType type) {
    return switch (type) {
      case UNARY -> "unary";
      case CLIENT_STREAMING -> "client_stream";
      case SERVER_STREAMING -> "server_stream";
      // UNKNOWN allows any number of messages each way, which only bidi_stream describes.
      case BIDI_STREAMING, UNKNOWN -> "bidi_stream";
    };
  }

  /** One method's data points. */
  private final class MethodMetrics {

    private final CounterDataPoint started;
    private final CounterDataPoint received;
    private final CounterDataPoint sent;
    private final DistributionDataPoint seconds;
    /** By status code ordinal. */
    private final CounterPoints handledByCode;

    MethodMetrics(MethodDescriptor<?, ?> descriptor) {
      String service = Objects.requireNonNullElse(descriptor.getServiceName(), "");
      String method = Objects.requireNonNullElse(descriptor.getBareMethodName(), descriptor.getFullMethodName());
      String type = type(descriptor.getType());
      this.started = RpcMetricsInterceptor.this.started.labelValues(service, method, type);
      this.received = RpcMetricsInterceptor.this.received.labelValues(service, method, type);
      this.sent = RpcMetricsInterceptor.this.sent.labelValues(service, method, type);
      this.seconds = handling.labelValues(service, method, type);
      this.handledByCode = new CounterPoints(CODES.length,
          code -> handled.labelValues(service, method, type, CODES[code].name()));
    }

    void handled(Status.Code code, long nanos) {
      handledByCode.inc(code.ordinal());
      seconds.observe(nanos / 1e9);
    }
  }

  /** A call that counts what it sends and the one way it ends. */
  private static final class MeteredCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<MeteredCall> ENDED =
        AtomicIntegerFieldUpdater.newUpdater(MeteredCall.class, "ended");

    private final MethodMetrics metrics;
    private final long startNanos = System.nanoTime();
    /** 1 once the call's end has been counted; close and cancellation may race on two threads. */
    private volatile int ended;

    MeteredCall(ServerCall<Q, R> call, MethodMetrics metrics) {
      super(call);
      this.metrics = metrics;
    }

    @Override
    public void sendMessage(R message) {
      // Counted before it is sent, so a client that has read a message finds it counted.
      metrics.sent.inc();
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      // Counted before the status goes out, for the same reason.
      handled(status.getCode());
      super.close(status, trailers);
    }

    /** Counts the call as handled with {@code code}, unless its end was counted already. */
    void handled(Status.Code code) {
      if (ENDED.compareAndSet(this, 0, 1)) {
        metrics.handled(code, System.nanoTime() - startNanos);
      }
    }
  }

  /** A listener that counts what the call receives and ends it when grpc-java does. */
  private static final class MeteredListener<Q> extends SimpleForwardingServerCallListener<Q> {

    private final MeteredCall<Q, ?> call;

    MeteredListener(ServerCall.Listener<Q> listener, MeteredCall<Q, ?> call) {
      super(listener);
      this.call = call;
    }

    @Override
    public void onMessage(Q message) {
      call.metrics.received.inc();
      super.onMessage(message);
    }

    @Override
    public void onCancel() {
      call.handled(Status.Code.CANCELLED);
      super.onCancel();
    }

    @Override
    public void onComplete() {
      // Only reached uncounted when grpc-java closed the stream itself after a handler threw.
      call.handled(Status.Code.UNKNOWN);
      super.onComplete();
    }
  }
}
