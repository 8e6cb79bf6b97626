package dev.abstractions.server.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every method of a service against two failures grpc-java mishandles inside a call:
 *
 * <ul>
 *   <li>A request the server cannot parse (nesting past protobuf's recursion limit, invalid UTF-8
 *       in a string, a truncated message) is answered INVALID_ARGUMENT "request could not be
 *       parsed: ..." and costs the log one WARN line without a stack trace per {@link
 *       #WARNING_INTERVAL}. grpc-java parses a request with its method's request marshaller, in
 *       {@code ServerCallImpl}, before any interceptor or handler sees it; a parse failure escapes
 *       to {@code ServerImpl}, which closes the call UNKNOWN "Application error processing RPC" and
 *       logs the whole stack trace at SEVERE, for every such request. So the guard replaces the
 *       request marshaller with one that returns a parse failure as a value, and wraps each call's
 *       listener to answer it.
 *   <li>An {@link OutOfMemoryError} while parsing or handling a call, which grpc-java would log
 *       and carry on after, is handed to the thread's uncaught-exception handler as if the thread
 *       had died of it; in the server process that handler ends it ({@code FatalErrorHandler}).
 * </ul>
 *
 * <p>Responses and well-formed requests pass untouched, and service names and schema descriptors
 * stay as they are, so server reflection and health are unaffected. Thread-safe: one instance
 * guards every service of a server.
 */
@Singleton
public final class CallGuard {

  /** At most one warning about unparseable requests per this interval; the rest are counted. */
  static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(CallGuard.class);

  private final LogThrottle warnings = new LogThrottle(WARNING_INTERVAL, System::nanoTime);

  @Inject
  CallGuard() {}

  /** {@code service} with every method guarded. */
  public ServerServiceDefinition guard(ServerServiceDefinition service) {
    ServiceDescriptor descriptor = service.getServiceDescriptor();
    ServiceDescriptor.Builder guardedDescriptor =
        ServiceDescriptor.newBuilder(descriptor.getName()).setSchemaDescriptor(descriptor.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> guarded = guard(method);
      methods.add(guarded);
      guardedDescriptor.addMethod(guarded.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder guardedService = ServerServiceDefinition.builder(guardedDescriptor.build());
    methods.forEach(guardedService::addMethod);
    return guardedService.build();
  }

  private <Q, R> ServerMethodDefinition<Object, R> guard(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> original = method.getMethodDescriptor();
    MethodDescriptor<Object, R> guarded =
        original.toBuilder(new Requests<>(original.getRequestMarshaller()), original.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(guarded, (call, headers) -> {
      // Only getMethodDescriptor() mentions the request type, and handlers read its name and
      // type from it, which the guarded descriptor keeps.
      @SuppressWarnings("unchecked")
      ServerCall<Q, R> asOriginal = (ServerCall<Q, R>) (ServerCall<?, R>) call;
      try {
        return new Listener<>(call, handler.startCall(asOriginal, headers));
      } catch (OutOfMemoryError e) {
        throw fatal(e);
      }
    });
  }

  /**
   * Hands {@code error} to the current thread's uncaught-exception handler, as if the thread had
   * died of it, and returns it for the caller to rethrow.
   */
  private static OutOfMemoryError fatal(OutOfMemoryError error) {
    Thread thread = Thread.currentThread();
    thread.getUncaughtExceptionHandler().uncaughtException(thread, error);
    return error;
  }

  /** Why a request could not be parsed: protobuf's first sentence, without its advice to the server. */
  private record Unparseable(String reason) {

    static Unparseable of(InvalidProtocolBufferException e) {
      String message = String.valueOf(e.getMessage());
      int end = message.indexOf('.');
      return new Unparseable(end < 0 ? message : message.substring(0, end));
    }
  }

  /** The method's own request marshaller, returning an {@link Unparseable} instead of throwing. */
  private static final class Requests<Q> implements MethodDescriptor.Marshaller<Object> {

    private final MethodDescriptor.Marshaller<Q> original;

    Requests(MethodDescriptor.Marshaller<Q> original) {
      this.original = original;
    }

    @Override
    @SuppressWarnings("unchecked") // a server only streams requests it parsed itself
    public InputStream stream(Object request) {
      return original.stream((Q) request);
    }

    @Override
    public Object parse(InputStream stream) {
      try {
        return original.parse(stream);
      } catch (OutOfMemoryError e) {
        throw fatal(e);
      } catch (RuntimeException e) {
        // grpc-java's protobuf marshaller wraps protobuf's exception in an INTERNAL status.
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
          if (cause instanceof InvalidProtocolBufferException invalid) {
            return Unparseable.of(invalid);
          }
        }
        throw e;
      }
    }
  }

  /**
   * Answers an unparseable request and hides it from the handler, which from then on hears only
   * that its call was cancelled. Callbacks are serialized by grpc-java, so {@code refused} needs no
   * synchronization.
   */
  private final class Listener<Q, R> extends ServerCall.Listener<Object> {

    private final ServerCall<Object, R> call;
    private final ServerCall.Listener<Q> delegate;
    private boolean refused;

    Listener(ServerCall<Object, R> call, ServerCall.Listener<Q> delegate) {
      this.call = call;
      this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("unchecked") // anything but an Unparseable came from the method's own marshaller
    public void onMessage(Object message) {
      if (refused) {
        return;
      }
      if (message instanceof Unparseable unparseable) {
        refuse(unparseable);
        return;
      }
      try {
        delegate.onMessage((Q) message);
      } catch (OutOfMemoryError e) {
        throw fatal(e);
      }
    }

    @Override
    public void onHalfClose() {
      if (refused) {
        return;
      }
      try {
        delegate.onHalfClose();
      } catch (OutOfMemoryError e) {
        throw fatal(e);
      }
    }

    @Override
    public void onReady() {
      if (refused) {
        return;
      }
      try {
        delegate.onReady();
      } catch (OutOfMemoryError e) {
        throw fatal(e);
      }
    }

    @Override
    public void onCancel() {
      if (refused) {
        return;
      }
      try {
        delegate.onCancel();
      } catch (OutOfMemoryError e) {
        throw fatal(e);
      }
    }

    @Override
    public void onComplete() {
      if (refused) {
        return;
      }
      try {
        delegate.onComplete();
      } catch (OutOfMemoryError e) {
        throw fatal(e);
      }
    }

    private void refuse(Unparseable unparseable) {
      refused = true;
      StatusRuntimeException answer = Statuses.unparseable(unparseable.reason());
      call.close(answer.getStatus(), answer.getTrailers() != null ? answer.getTrailers() : new Metadata());
      // The handler gets exactly one end of its call, as grpc-java promises it.
      delegate.onCancel();
      long heldBack = warnings.admit();
      if (heldBack >= 0) {
        log.atWarn()
            .addKeyValue("method", call.getMethodDescriptor().getFullMethodName())
            .addKeyValue("remote", call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR))
            .addKeyValue("reason", unparseable.reason())
            .addKeyValue("alsoRefusedSinceLastWarning", heldBack)
            .log("refused a request that could not be parsed; at most one such warning per {}", WARNING_INTERVAL);
      }
    }
  }
}
