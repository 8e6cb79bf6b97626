package dev.abstractions.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts every call by method and status code and times it, from its start to its close. The
 * method label is the full gRPC method name: bounded by the services the server hosts.
 *
 * <p>Every call passes through here, so the per-call cost is kept to a map lookup by method
 * descriptor and two lock-free increments: each method's data points are looked up by label once
 * and kept, the histogram is classic only (no native-histogram bucket map to maintain) and nothing
 * samples exemplars (there are no traces to link).
 */
final class RpcMetricsInterceptor implements ServerInterceptor {

  private static final Status.Code[] CODES = Status.Code.values();

  private final Counter handled;
  private final Histogram latency;
  private final ConcurrentHashMap<MethodDescriptor<?, ?>, MethodMetrics> byMethod = new ConcurrentHashMap<>();

  RpcMetricsInterceptor(PrometheusRegistry registry) {
    handled = Counter.builder()
        .name("grpc_server_handled_total")
        .help("Calls completed, by method and status code")
        .labelNames("method", "code")
        .withoutExemplars()
        .register(registry);
    latency = Histogram.builder()
        .name("grpc_server_handling_seconds")
        .help("Time from a call's start to its close, by method")
        .unit(Unit.SECONDS)
        .labelNames("method")
        .classicOnly()
        .classicExponentialUpperBounds(1e-5, 2, 22)
        .withoutExemplars()
        .register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    MethodMetrics metrics = byMethod.computeIfAbsent(call.getMethodDescriptor(), MethodMetrics::new);
    long started = System.nanoTime();
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        metrics.closed(status.getCode(), System.nanoTime() - started);
        super.close(status, trailers);
      }
    }, headers);
  }

  /** One method's data points. */
  private final class MethodMetrics {

    private final DistributionDataPoint seconds;
    /** By status code ordinal. */
    private final CounterPoints calls;

    MethodMetrics(MethodDescriptor<?, ?> descriptor) {
      String method = descriptor.getFullMethodName();
      this.seconds = latency.labelValues(method);
      this.calls = new CounterPoints(CODES.length, code -> handled.labelValues(method, CODES[code].name()));
    }

    void closed(Status.Code code, long nanos) {
      calls.inc(code.ordinal());
      seconds.observe(nanos / 1e9);
    }
  }
}
