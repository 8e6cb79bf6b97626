package dev.abstractions.client;

import dev.abstractions.api.v1.OperationEntity;

/**
 * A server-side function failed on the target's data (outcome FAILED), e.g. {@code increment} on
 * a field that is not a number; nothing was written. Carries the operation as it ended. Immutable.
 */
public final class OperationFailedException extends RuntimeException {

  private final OperationEntity operation;

  OperationFailedException(OperationEntity operation) {
    super("operation " + operation.getOpId() + " on " + operation.getTargetLineageId() + " failed: "
        + operation.getFailureMessage());
    this.operation = operation;
  }

  /** The server's explanation, verbatim. */
  public String failureMessage() {
    return operation.getFailureMessage();
  }

  /** The operation in its final, FAILED state. */
  public OperationEntity operation() {
    return operation;
  }
}
