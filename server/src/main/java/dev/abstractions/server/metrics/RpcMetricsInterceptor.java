package dev.abstractions.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Counts every call by method and status code and times it, from its start to its close. The
 * method label is the full gRPC method name: bounded by the services the server hosts.
 */
final class RpcMetricsInterceptor implements ServerInterceptor {

  private final Counter handled;
  private final Histogram latency;

  RpcMetricsInterceptor(PrometheusRegistry registry) {
    handled = Counter.builder()
        .name("grpc_server_handled_total")
        .help("Calls completed, by method and status code")
        .labelNames("method", "code")
        .register(registry);
    latency = Histogram.builder()
        .name("grpc_server_handling_seconds")
        .help("Time from a call's start to its close, by method")
        .unit(Unit.SECONDS)
        .labelNames("method")
        .classicExponentialUpperBounds(1e-5, 2, 22)
        .register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    long started = System.nanoTime();
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        handled.labelValues(method, status.getCode().name()).inc();
        latency.labelValues(method).observe((System.nanoTime() - started) / 1e9);
        super.close(status, trailers);
      }
    }, headers);
  }
}
