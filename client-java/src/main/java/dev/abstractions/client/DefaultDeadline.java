package dev.abstractions.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary call that has no deadline of its own one {@code timeout} from its start, so a
 * server that never answers ends the call with {@code DEADLINE_EXCEEDED} instead of blocking its
 * caller forever. Streams (event subscriptions) are left to run: they are meant to last. Immutable
 * and thread-safe.
 */
final class DefaultDeadline implements ClientInterceptor {

  private final long timeoutNanos;

  DefaultDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    boolean unary = method.getType() == MethodDescriptor.MethodType.UNARY;
    return next.newCall(method, unary && options.getDeadline() == null
        ? options.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
        : options);
  }
}
