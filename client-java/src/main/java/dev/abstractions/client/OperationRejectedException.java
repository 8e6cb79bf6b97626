package dev.abstractions.client;

import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.RejectionReason;

/**
 * The server refused an operation for good (outcome REJECTED): a higher-priority operation
 * preempted it, it ran out of retries, or it expired. Carries the operation as it ended.
 * Immutable.
 */
public final class OperationRejectedException extends RuntimeException {

  private final OperationEntity operation;

  OperationRejectedException(OperationEntity operation) {
    super("operation " + operation.getOpId() + " on " + operation.getTargetLineageId() + " was rejected: "
        + operation.getRejectionReason()
        + (operation.getPreemptedByOpId().isEmpty() ? "" : " by operation " + operation.getPreemptedByOpId()));
    this.operation = operation;
  }

  public RejectionReason reason() {
    return operation.getRejectionReason();
  }

  /** The operation that preempted this one (reason PREEMPTED), else "". */
  public String preemptedByOpId() {
    return operation.getPreemptedByOpId();
  }

  /** The operation in its final, REJECTED state. */
  public OperationEntity operation() {
    return operation;
  }
}
