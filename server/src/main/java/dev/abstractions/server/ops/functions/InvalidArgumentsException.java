package dev.abstractions.server.ops.functions;

/** A server function's arguments are malformed; the field names the argument at fault. */
public final class InvalidArgumentsException extends Exception {

  private final String field;

  public InvalidArgumentsException(String field, String description) {
    super(description);
    this.field = field;
  }

  /** The argument at fault, e.g. {@code "by"}. */
  public String field() {
    return field;
  }
}
