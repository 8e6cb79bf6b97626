package dev.abstractions.cli;

import io.grpc.Status;

/**
 * The exit codes scripts can rely on, and the one place a server status becomes one. The help
 * footer of {@link AbstractionsCli} documents them; keep the two in step.
 */
final class ExitCodes {

  static final int OK = 0;
  static final int UNEXPECTED = 1;
  /** picocli's own code for a command line it cannot parse. */
  static final int USAGE = 2;
  static final int NOT_FOUND = 3;
  static final int CONFLICT = 4;
  static final int INVALID_ARGUMENT = 5;
  static final int UNAVAILABLE = 6;
  static final int EVENTS_LOST = 7;
  static final int DENIED = 8;

  private ExitCodes() {}

  /** The exit code for a call the server (or the transport) ended with {@code code} and {@code reason}. */
  static int of(Status.Code code, String reason) {
    if ("EVENTS_NOT_RETAINED".equals(reason)) {
      return EVENTS_LOST;
    }
    if ("VERSION_NOT_RETAINED".equals(reason)) {
      return NOT_FOUND;
    }
    return switch (code) {
      case NOT_FOUND -> NOT_FOUND;
      case ABORTED, ALREADY_EXISTS -> CONFLICT;
      case INVALID_ARGUMENT, FAILED_PRECONDITION -> INVALID_ARGUMENT;
      case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED -> UNAVAILABLE;
      case OUT_OF_RANGE -> EVENTS_LOST;
      case PERMISSION_DENIED, UNAUTHENTICATED -> DENIED;
      default -> UNEXPECTED;
    };
  }
}
