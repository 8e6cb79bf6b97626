package dev.abstractions.server.core;

import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;
import java.util.Comparator;

/**
 * One operation at one moment: what clients see ({@link #view()}, the {@link OperationEntity})
 * plus what arbitration needs beside it, on the monotonic tick: its depth in the parent chain, its
 * deadline, until when its client last showed it is alive ({@code leaseUntilTick}: a gate owner
 * past it is expired), and the {@link Actor} that began it. Immutable: every change is a new
 * value, made only by the decision function.
 */
public record OpState(OperationEntity view, int depth, long deadlineTick, long leaseUntilTick, Actor owner) {

  /** Gate order: higher effective priority first, then older, then smaller id. */
  public static final Comparator<OpState> RANK =
      Comparator.comparingInt((OpState op) -> -op.effectivePriority())
          .thenComparingLong(OpState::createdAtNs)
          .thenComparing(OpState::id);

  public String id() {
    return view.getOpId();
  }

  public String target() {
    return view.getTargetLineageId();
  }

  public String parentId() {
    return view.getParentOpId();
  }

  public PriorityClass priorityClass() {
    return view.getPriorityClass();
  }

  public int effectivePriority() {
    return view.getEffectivePriority();
  }

  public long createdAtNs() {
    return view.getCreatedAtNs();
  }

  public OperationStatus status() {
    return view.getStatus();
  }

  public int retryCount() {
    return view.getRetryCount();
  }

  public int maxRetries() {
    return view.getMaxRetries();
  }

  public long snapshotVersion() {
    return view.getSnapshotVersion();
  }

  public boolean terminal() {
    OperationStatus status = view.getStatus();
    return status != OperationStatus.PENDING && status != OperationStatus.RETRYING;
  }

  public boolean retrying() {
    return view.getStatus() == OperationStatus.RETRYING;
  }

  OpState retryingAt(long snapshotVersion, boolean charged) {
    OperationEntity.Builder next = view.toBuilder()
        .setStatus(OperationStatus.RETRYING)
        .setSnapshotVersion(snapshotVersion);
    if (charged) {
      next.setRetryCount(view.getRetryCount() + 1);
    }
    return with(next.build());
  }

  OpState snapshotAt(long version) {
    return version == view.getSnapshotVersion() ? this : with(view.toBuilder().setSnapshotVersion(version).build());
  }

  OpState succeeded(long version, long treeVersion, long wallNanos) {
    return with(view.toBuilder()
        .setStatus(OperationStatus.SUCCEEDED)
        .setCommittedVersion(version)
        .setCommittedTreeVersion(treeVersion)
        .setCompletedAt(Timestamps.fromNanos(wallNanos))
        .build());
  }

  OpState rejected(RejectionReason reason, String preemptedBy, long wallNanos) {
    return with(view.toBuilder()
        .setStatus(OperationStatus.REJECTED)
        .setRejectionReason(reason)
        .setPreemptedByOpId(preemptedBy)
        .setCompletedAt(Timestamps.fromNanos(wallNanos))
        .build());
  }

  OpState failed(String message, long wallNanos) {
    return with(view.toBuilder()
        .setStatus(OperationStatus.FAILED)
        .setFailureMessage(message)
        .setCompletedAt(Timestamps.fromNanos(wallNanos))
        .build());
  }

  OpState cancelled(long wallNanos) {
    return with(view.toBuilder()
        .setStatus(OperationStatus.CANCELLED)
        .setCompletedAt(Timestamps.fromNanos(wallNanos))
        .build());
  }

  OpState leasedUntil(long tick) {
    return new OpState(view, depth, deadlineTick, tick, owner);
  }

  private OpState with(OperationEntity next) {
    return new OpState(next, depth, deadlineTick, leaseUntilTick, owner);
  }
}
