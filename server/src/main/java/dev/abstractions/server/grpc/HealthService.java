package dev.abstractions.server.grpc;

import com.google.rpc.Code;
import dev.abstractions.api.v1.ErrorReason;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * grpc-java's health service, with its Watch streams ended at shutdown. When the {@link
 * HealthStatusManager} enters its terminal state, grpc-java sends every watcher NOT_SERVING but
 * leaves the stream open, so one client watching health (a load balancer, a sidecar) would hold
 * a graceful shutdown for its whole grace period. Here every Watch call is tracked, and {@link
 * #endWatches} ends each one UNAVAILABLE (reason SHUTTING_DOWN, as event streams end) after
 * whatever it was sent; a Watch that starts later is ended right after its first answer.
 *
 * <p>Thread-safe. grpc-java's service sends to watchers from whichever thread changes a status;
 * each tracked call serializes those sends with its ending under its own lock.
 */
@Singleton
public final class HealthService {

  private final HealthStatusManager health;
  private final Set<WatchCall<?, ?>> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean ending;

  @Inject
  HealthService(HealthStatusManager health) {
    this.health = health;
  }

  /** The health service to host, Check as grpc-java serves it, Watch tracked. */
  public ServerServiceDefinition bindService() {
    ServerServiceDefinition service = health.getHealthService().bindService();
    ServerServiceDefinition.Builder tracked = ServerServiceDefinition.builder(service.getServiceDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      tracked.addMethod(trackedIfWatch(method));
    }
    return tracked.build();
  }

  /**
   * Ends every Watch with UNAVAILABLE, and every Watch that starts from now on after its first
   * answer. Call it once health has turned NOT_SERVING, so that watchers hear that first.
   */
  public void endWatches() {
    ending = true;
    for (WatchCall<?, ?> call : List.copyOf(watches)) {
      call.end();
    }
  }

  private <Q, R> ServerMethodDefinition<Q, R> trackedIfWatch(ServerMethodDefinition<Q, R> method) {
    if (!method.getMethodDescriptor().getFullMethodName().equals(HealthGrpc.getWatchMethod().getFullMethodName())) {
      return method;
    }
    ServerCallHandler<Q, R> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(method.getMethodDescriptor(), (call, headers) -> {
      WatchCall<Q, R> watch = new WatchCall<>(call);
      watches.add(watch);
      return new Untracking<>(handler.startCall(watch, headers), watch);
    });
  }

  /** Forgets a Watch call when it ends. */
  private final class Untracking<Q> extends SimpleForwardingServerCallListener<Q> {

    private final WatchCall<Q, ?> watch;

    Untracking(ServerCall.Listener<Q> delegate, WatchCall<Q, ?> watch) {
      super(delegate);
      this.watch = watch;
    }

    @Override
    public void onCancel() {
      watches.remove(watch);
      super.onCancel();
    }

    @Override
    public void onComplete() {
      watches.remove(watch);
      super.onComplete();
    }
  }

  /** One Watch call, which the server can end while grpc-java's service may still send to it. */
  private final class WatchCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

    private boolean closed; // guarded by this

    WatchCall(ServerCall<Q, R> call) {
      super(call);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (closed) {
        return;
      }
      super.sendMessage(message);
      if (ending) {
        end();
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }

    synchronized void end() {
      StatusRuntimeException shuttingDown = Statuses.error(
          Code.UNAVAILABLE, ErrorReason.SHUTTING_DOWN.name(), "the server is shutting down", Map.of());
      close(shuttingDown.getStatus(), shuttingDown.getTrailers());
    }
  }
}
