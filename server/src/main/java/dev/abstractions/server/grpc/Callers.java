package dev.abstractions.server.grpc;

import dev.abstractions.server.core.Actor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;

/**
 * Names the caller of every call as an {@link Actor}, for the handlers to pass to the domain: the
 * principal of its bearer token when the server has tokens ({@link BearerTokenInterceptor} sets
 * it), otherwise its connection (the remote address), so "one client" means one token or one
 * connection. Installed on every server, inside authentication. Stateless and thread-safe.
 */
public final class Callers implements ServerInterceptor {

  /** The caller of the current call; set by authentication or by this interceptor. */
  static final Context.Key<Actor> CALLER = Context.key("abstractions-caller");

  /** The caller of the call this thread serves. */
  static Actor current() {
    Actor caller = CALLER.get();
    if (caller == null) {
      throw new IllegalStateException("no caller: the Callers interceptor is not installed");
    }
    return caller;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (CALLER.get() != null) {
      return next.startCall(call, headers); // authenticated: the token names the caller
    }
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    Actor connection = new Actor(String.valueOf(remote), false, false);
    return Contexts.interceptCall(Context.current().withValue(CALLER, connection), call, headers, next);
  }
}
