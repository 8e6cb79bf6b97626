package dev.abstractions.server.ops;

import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;

/**
 * Told what the decisions the {@link CommandDriver} drives decided, for metrics. Called on the
 * thread that applied the command, after it: implementations must be a few non-blocking
 * instructions (e.g. counter increments).
 */
public interface OperationsObserver {

  /** A new version was written; {@code byOperation} is false for plain writes. */
  void committed(boolean byOperation, long stepNanos);

  /** A compare-and-set lost; {@code cls} is null for a plain write. */
  void conflicted(PriorityClass cls, boolean charged);

  /** A writer was told to wait behind an equal-priority gate owner; {@code cls} null for plain. */
  void gateWait(PriorityClass cls);

  /** An operation reached a terminal status ({@code reason} unspecified unless REJECTED). */
  void ended(PriorityClass cls, OperationStatus status, RejectionReason reason);
}
