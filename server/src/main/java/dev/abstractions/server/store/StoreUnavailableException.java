package dev.abstractions.server.store;

/**
 * The store could not make a command durable (it is closing, or its log refused the entry). The
 * command may or may not have been applied; the client sees UNAVAILABLE and may retry (with a
 * request id, a retry that arrives after the first attempt was applied is answered with its outcome).
 */
public final class StoreUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
