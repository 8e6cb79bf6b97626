package dev.abstractions.server.ops;

import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;

/** Records nothing: for tests that drive a {@link CommandDriver} whose metrics are not under test. */
final class Unobserved implements OperationsObserver {

  static final OperationsObserver OBSERVER = new Unobserved();

  private Unobserved() {}

  @Override
  public void committed(boolean byOperation, long stepNanos) {}

  @Override
  public void conflicted(PriorityClass cls, boolean charged) {}

  @Override
  public void gateWait(PriorityClass cls) {}

  @Override
  public void ended(PriorityClass cls, OperationStatus status, RejectionReason reason) {}
}
