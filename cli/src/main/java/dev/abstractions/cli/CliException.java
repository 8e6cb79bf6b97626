package dev.abstractions.cli;

/**
 * A failure the CLI itself detects rather than one the server reports, with the exit code it ends
 * with and, when it stands for one, a status code name (e.g. UNAVAILABLE). Immutable.
 */
final class CliException extends RuntimeException {

  private final int exitCode;
  private final String code;

  CliException(int exitCode, String code, String message) {
    super(message);
    this.exitCode = exitCode;
    this.code = code;
  }

  int exitCode() {
    return exitCode;
  }

  /** A status code name, or "" when the failure is none. */
  String code() {
    return code;
  }
}
