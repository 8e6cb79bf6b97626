package dev.abstractions.server.grpc;

import dev.abstractions.server.core.Actor;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import java.net.SocketAddress;

/**
 * Names the caller of every call as an {@link Actor}, for the handlers to pass to the domain: the
 * principal of its bearer token when the server has tokens ({@link BearerTokenInterceptor} sets
 * it), otherwise its connection (the remote address), so "one client" means one token or one
 * connection. A connection's actor is made once, when it is ready (as a transport filter), not for
 * every call. Installed on every server as a transport filter and an interceptor, inside
 * authentication. Stateless and thread-safe.
 */
public final class Callers extends ServerTransportFilter implements ServerInterceptor {

  /** The caller of the current call; set by authentication or by this interceptor. */
  static final Context.Key<Actor> CALLER = Context.key("abstractions-caller");

  /** The actor of a connection's calls when no token names one: the connection itself. */
  private static final Attributes.Key<Actor> CONNECTION = Attributes.Key.create("abstractions-connection");

  /** Installs a new instance on {@code server}, as a transport filter and as the interceptor added next. */
  public static <T extends ServerBuilder<T>> T install(T server) {
    Callers callers = new Callers();
    return server.addTransportFilter(callers).intercept(callers);
  }

  private Callers() {}

  /** The caller of the call this thread serves. */
  static Actor current() {
    Actor caller = CALLER.get();
    if (caller == null) {
      throw new IllegalStateException("no caller: the Callers interceptor is not installed");
    }
    return caller;
  }

  @Override
  public Attributes transportReady(Attributes transport) {
    SocketAddress remote = transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return transport.toBuilder().set(CONNECTION, new Actor(String.valueOf(remote), false, false)).build();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (CALLER.get() != null) {
      return next.startCall(call, headers); // authenticated: the token names the caller
    }
    Actor connection = call.getAttributes().get(CONNECTION);
    if (connection == null) {
      throw new IllegalStateException("no connection actor: Callers is not installed as a transport filter");
    }
    return Contexts.interceptCall(Context.current().withValue(CALLER, connection), call, headers, next);
  }
}
