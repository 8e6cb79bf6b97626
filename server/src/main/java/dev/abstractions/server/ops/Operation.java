package dev.abstractions.server.ops;

import com.google.protobuf.Timestamp;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;
import java.util.Comparator;
import java.util.concurrent.ScheduledFuture;

/**
 * One operation's live state. Changed only inside its target's atomic step (see
 * {@link dev.abstractions.server.store.EntityStore#atomically}); {@link #view()} is an immutable
 * snapshot that anyone may read without a lock.
 */
final class Operation {

  /** Gate order: higher effective priority first, then older, then smaller id. */
  static final Comparator<Operation> RANK =
      Comparator.comparingInt((Operation op) -> -op.effectivePriority)
          .thenComparingLong(op -> op.createdAtNs)
          .thenComparing(op -> op.id);

  final String id;
  final String target;
  final String parentId;
  final PriorityClass priorityClass;
  final int effectivePriority;
  final long createdAtNs;
  final long deadlineNanos;
  final int depth;
  private volatile OperationEntity view;
  /** Cancelled when the operation ends; set once at begin. */
  ScheduledFuture<?> expiry;

  Operation(OperationEntity begun, int depth, long deadlineNanos) {
    this.id = begun.getOpId();
    this.target = begun.getTargetLineageId();
    this.parentId = begun.getParentOpId();
    this.priorityClass = begun.getPriorityClass();
    this.effectivePriority = begun.getEffectivePriority();
    this.createdAtNs = begun.getCreatedAtNs();
    this.depth = depth;
    this.deadlineNanos = deadlineNanos;
    this.view = begun;
  }

  OperationEntity view() {
    return view;
  }

  OperationStatus status() {
    return view.getStatus();
  }

  boolean terminal() {
    OperationStatus status = view.getStatus();
    return status != OperationStatus.PENDING && status != OperationStatus.RETRYING;
  }

  long snapshotVersion() {
    return view.getSnapshotVersion();
  }

  int retryCount() {
    return view.getRetryCount();
  }

  void retrying(long snapshotVersion, boolean charged) {
    OperationEntity.Builder next = view.toBuilder()
        .setStatus(OperationStatus.RETRYING)
        .setSnapshotVersion(snapshotVersion);
    if (charged) {
      next.setRetryCount(view.getRetryCount() + 1);
    }
    view = next.build();
  }

  void succeeded(long version, Timestamp now) {
    view = view.toBuilder()
        .setStatus(OperationStatus.SUCCEEDED)
        .setCommittedVersion(version)
        .setCompletedAt(now)
        .build();
  }

  void rejected(RejectionReason reason, String preemptedBy, Timestamp now, boolean charged) {
    OperationEntity.Builder next = view.toBuilder()
        .setStatus(OperationStatus.REJECTED)
        .setRejectionReason(reason)
        .setPreemptedByOpId(preemptedBy)
        .setCompletedAt(now);
    if (charged) {
      next.setRetryCount(view.getRetryCount() + 1);
    }
    view = next.build();
  }

  void failed(String message, Timestamp now) {
    view = view.toBuilder()
        .setStatus(OperationStatus.FAILED)
        .setFailureMessage(message)
        .setCompletedAt(now)
        .build();
  }

  void cancelled(Timestamp now) {
    view = view.toBuilder().setStatus(OperationStatus.CANCELLED).setCompletedAt(now).build();
  }

  void snapshotAt(long version) {
    if (version != view.getSnapshotVersion()) { // the common case, a first attempt, rebuilds nothing
      view = view.toBuilder().setSnapshotVersion(version).build();
    }
  }
}
