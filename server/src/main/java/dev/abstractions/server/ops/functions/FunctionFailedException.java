package dev.abstractions.server.ops.functions;

/** A server function could not apply to the entity's current data. */
public final class FunctionFailedException extends Exception {

  public FunctionFailedException(String message) {
    super(message);
  }
}
