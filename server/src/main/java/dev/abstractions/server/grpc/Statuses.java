package dev.abstractions.server.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.BadRequest.FieldViolation;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import dev.abstractions.api.v1.ErrorReason;
import dev.abstractions.api.v1.RejectionReason;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.Refusal;
import dev.abstractions.server.core.RetryPolicy;
import dev.abstractions.server.store.TreeRead;
import dev.abstractions.server.store.VersionRead;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;

/**
 * The one place domain outcomes become gRPC statuses. Every error carries a {@code google.rpc}
 * {@link ErrorInfo} (reason = an {@link ErrorReason} or, for a plain write refused by arbitration, a
 * {@link RejectionReason} name; domain {@value #DOMAIN}), invalid input
 * also a {@link BadRequest}, so clients in any language can read them.
 */
public final class Statuses {

  public static final String DOMAIN = "abstractions.dev";

  /** Where a status's details travel, the key {@link StatusProto} and clients use. */
  private static final Metadata.Key<com.google.rpc.Status> DETAILS =
      Metadata.Key.of("grpc-status-details-bin", ProtoUtils.metadataMarshaller(com.google.rpc.Status.getDefaultInstance()));

  private Statuses() {}

  /** INVALID_ARGUMENT listing every violation. */
  public static StatusRuntimeException invalidArgument(List<FieldViolation> violations) {
    String message =
        violations.size() == 1
            ? violations.get(0).getField() + ": " + violations.get(0).getDescription()
            : violations.size() + " invalid fields, first " + violations.get(0).getField() + ": "
                + violations.get(0).getDescription();
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage(message)
            .addDetails(Any.pack(errorInfo(ErrorReason.INVALID_REQUEST.name(), Map.of())))
            .addDetails(Any.pack(BadRequest.newBuilder().addAllFieldViolations(violations).build()))
            .build();
    return answer(status);
  }

  /**
   * INVALID_ARGUMENT for a request that is not a valid encoding of its message at all. Nothing in
   * it could be read, so there is no field to name and no BadRequest, only the ErrorInfo.
   */
  public static StatusRuntimeException unparseable(String reason) {
    return error(Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST.name(), "request could not be parsed: " + reason,
        Map.of());
  }

  /** INVALID_ARGUMENT: the call's request_id was already used for a different request of its method. */
  static StatusRuntimeException requestReused() {
    return invalidArgument(List.of(FieldViolation.newBuilder()
        .setField("request_id")
        .setDescription("was already used for a different request")
        .build()));
  }

  /** The status for a refused call to the operations layer. */
  public static StatusRuntimeException refused(Refusal refusal) {
    String lineageId = refusal.lineageId();
    EntityVersion current = refusal.current();
    return switch (refusal.kind()) {
      case NO_LINEAGE -> notFound(lineageId);
      case DELETED -> deleted(lineageId, current);
      case ALREADY_EXISTS -> error(
          Code.ALREADY_EXISTS,
          ErrorReason.ENTITY_ALREADY_EXISTS.name(),
          "entity " + lineageId + " already exists",
          // An id taken in another tree is not this tree's to describe: only its existence is told.
          current == null
              ? Map.of("lineage_id", lineageId)
              : Map.of("lineage_id", lineageId, "current_version", Long.toString(current.version())));
      case VERSION_CONFLICT -> error(
          Code.ABORTED,
          ErrorReason.VERSION_CONFLICT.name(),
          "version conflict on " + lineageId + ": current version is " + current.version(),
          Map.of(
              "lineage_id", lineageId,
              "current_version", Long.toString(current.version()),
              "current_ecs_id", current.ecsId()));
      case PREEMPTED -> error(
          Code.ABORTED,
          RejectionReason.PREEMPTED.name(),
          "operation " + refusal.opId() + " of higher priority holds the gate of " + lineageId,
          Map.of("lineage_id", lineageId, "preempted_by_op_id", refusal.opId()));
      case GATE_HELD -> error(
          Code.ABORTED,
          ErrorReason.GATE_HELD.name(),
          "operation " + refusal.opId() + " of equal priority holds the gate of " + lineageId + "; retry later",
          Map.of(
              "lineage_id", lineageId,
              "gate_owner_op_id", refusal.opId(),
              "retry_after_ms", Long.toString(Math.max(1, refusal.retryAfterNanos() / 1_000_000))));
      case NO_OPERATION -> error(
          Code.NOT_FOUND,
          ErrorReason.OPERATION_NOT_FOUND.name(),
          "operation " + refusal.opId() + " not found",
          Map.of("op_id", refusal.opId()));
      case OPERATION_FINISHED -> error(
          Code.FAILED_PRECONDITION,
          ErrorReason.OPERATION_FINISHED.name(),
          "operation " + refusal.opId() + " already ended: " + refusal.status(),
          Map.of("op_id", refusal.opId(), "status", refusal.status().name()));
      case NO_PARENT -> error(
          Code.NOT_FOUND,
          ErrorReason.OPERATION_NOT_FOUND.name(),
          "parent operation " + refusal.opId() + " not found (it must exist and be retained)",
          Map.of("op_id", refusal.opId(), "field", "parent_op_id"));
      case MEMORY_BUDGET -> memoryExhausted(refusal.quota());
      case DISK_FULL -> diskFull(refusal.quota());
      case NOT_OWNER -> error(
          Code.PERMISSION_DENIED,
          ErrorReason.OPERATION_NOT_OWNED.name(),
          "operation " + refusal.opId() + " was begun by another token; only it or an admin token may act on it",
          Map.of("op_id", refusal.opId()));
      case CLIENT_SHARE -> error(
          Code.RESOURCE_EXHAUSTED,
          ErrorReason.OPERATION_LIMIT.name(),
          "this client already holds its share of the operations on " + lineageId + " (--max-client-share); "
              + "retry later",
          Map.of("lineage_id", lineageId, "client_share", "true"));
      case CALLER_GONE -> io.grpc.Status.CANCELLED
          .withDescription("the Begin was cancelled by its caller; no operation was left behind")
          .asRuntimeException();
      case TARGET_BUSY -> error(
          Code.RESOURCE_EXHAUSTED,
          ErrorReason.TARGET_BUSY.name(),
          "a LOW operation on " + lineageId + " waited its longest wait behind operation " + refusal.opId()
              + " and was shed before computing; begin again later",
          Map.of(
              "lineage_id", lineageId,
              "turn_holder_op_id", refusal.opId(),
              "retry_after_ms", Long.toString(Math.max(1, refusal.retryAfterNanos() / 1_000_000))));
      case TOO_MANY_OPERATIONS -> error(
          Code.RESOURCE_EXHAUSTED,
          ErrorReason.OPERATION_LIMIT.name(),
          "too many operations in flight on " + lineageId + "; retry later",
          Map.of("lineage_id", lineageId));
      case REQUEST_REUSED -> requestReused();
      case PARENT_CHAIN_TOO_DEEP -> invalidArgument(List.of(FieldViolation.newBuilder()
          .setField("parent_op_id")
          .setDescription("operation " + refusal.opId() + " is already at the deepest level ("
              + RetryPolicy.MAX_PARENT_DEPTH + ") of a parent chain")
          .build()));
      case TREE_VERSION_CONFLICT -> error(
          Code.ABORTED,
          ErrorReason.TREE_VERSION_CONFLICT.name(),
          "tree version conflict on " + lineageId + ": current tree version is " + refusal.tree().treeVersion(),
          Map.of("root_lineage_id", lineageId, "current_tree_version", Long.toString(refusal.tree().treeVersion())));
      case NOT_A_ROOT -> notARoot(lineageId, refusal.tree().rootLineageId());
      case NOT_IN_TREE -> error(
          Code.FAILED_PRECONDITION,
          ErrorReason.NOT_IN_TREE.name(),
          "entity " + lineageId + " is in the tree of " + refusal.tree().rootLineageId() + ", not of "
              + refusal.tree().relatedLineageId(),
          Map.of("lineage_id", lineageId, "root_lineage_id", refusal.tree().rootLineageId()));
      case HAS_LIVE_CHILDREN -> error(
          Code.FAILED_PRECONDITION,
          ErrorReason.MEMBER_HAS_CHILDREN.name(),
          "entity " + lineageId + " has live member " + refusal.tree().relatedLineageId()
              + " under it; delete its members first (or in the same WriteTree)",
          Map.of("lineage_id", lineageId, "child_lineage_id", refusal.tree().relatedLineageId()));
      case TREE_LIMIT -> treeLimit(lineageId, refusal.tree(), refusal.quota());
      case ALREADY_A_ROOT -> error(
          Code.FAILED_PRECONDITION,
          ErrorReason.ALREADY_A_ROOT.name(),
          "entity " + lineageId + " is already the root of its tree",
          Map.of("lineage_id", lineageId));
      case TREE_CYCLE -> error(
          Code.FAILED_PRECONDITION,
          ErrorReason.TREE_CYCLE.name(),
          "entity " + refusal.tree().relatedLineageId() + " is in the tree of " + lineageId
              + " itself; a tree cannot be attached under its own member",
          Map.of("lineage_id", lineageId, "parent_lineage_id", refusal.tree().relatedLineageId()));
    };
  }

  /** FAILED_PRECONDITION: {@code lineageId} is a member of the tree rooted at {@code rootLineageId}, not a root. */
  public static StatusRuntimeException notARoot(String lineageId, String rootLineageId) {
    return error(
        Code.FAILED_PRECONDITION,
        ErrorReason.NOT_A_ROOT.name(),
        "entity " + lineageId + " is a member of the tree rooted at " + rootLineageId + ", not a root",
        Map.of("lineage_id", lineageId, "root_lineage_id", rootLineageId));
  }

  /** RESOURCE_EXHAUSTED for a write that would take a tree past its limits, with a {@link QuotaFailure}. */
  private static StatusRuntimeException treeLimit(String rootId, Refusal.TreeFacts tree, Refusal.Quota bytes) {
    return quotaExceeded("the write would leave tree " + rootId + " with " + tree.members() + " live members ("
            + "at most " + tree.maxMembers() + ") of " + bytes.bytes() + " bytes (at most " + bytes.limitBytes() + ")",
        ErrorReason.TREE_LIMIT,
        Map.of("root_lineage_id", rootId, "members", Long.toString(tree.members()),
            "max_members", Long.toString(tree.maxMembers()), "bytes", Long.toString(bytes.bytes()),
            "max_bytes", Long.toString(bytes.limitBytes())),
        "tree " + rootId, "at most " + tree.maxMembers() + " live members (--max-tree-members) and "
            + bytes.limitBytes() + " bytes (--max-tree-bytes)");
  }

  /** The status for a tree read that found nothing to return ({@code read.kind() != FOUND}). */
  public static StatusRuntimeException treeReadFailed(TreeRead read, String rootId, long treeVersion) {
    return switch (read.kind()) {
      case NO_LINEAGE -> notFound(rootId);
      case DELETED -> error(
          Code.NOT_FOUND,
          ErrorReason.ENTITY_DELETED.name(),
          "tree " + rootId + " was deleted at tree version " + read.treeVersion(),
          Map.of("lineage_id", rootId, "deleted_tree_version", Long.toString(read.treeVersion())));
      case NOT_A_ROOT -> notARoot(rootId, read.rootLineageId());
      case NO_VERSION -> error(
          Code.NOT_FOUND,
          ErrorReason.VERSION_NOT_FOUND.name(),
          "tree " + rootId + " has no tree version " + treeVersion + " (it began at " + read.oldestRetained()
              + ", latest is " + read.treeVersion() + ")",
          Map.of("root_lineage_id", rootId, "current_tree_version", Long.toString(read.treeVersion())));
      case NOT_RETAINED -> error(
          Code.OUT_OF_RANGE,
          ErrorReason.VERSION_NOT_RETAINED.name(),
          "tree version " + treeVersion + " of " + rootId + " is no longer retained (oldest is "
              + read.oldestRetained() + ")",
          Map.of("root_lineage_id", rootId, "oldest_retained_tree_version", Long.toString(read.oldestRetained())));
      case FOUND -> throw new IllegalArgumentException("a found read is not an error");
    };
  }

  /**
   * RESOURCE_EXHAUSTED for a write refused by the memory budget, with a {@link QuotaFailure} naming
   * it and what was in use when it refused.
   */
  private static StatusRuntimeException memoryExhausted(Refusal.Quota quota) {
    long usedBytes = quota.bytes();
    long memoryLimit = quota.limitBytes();
    return quotaExceeded("the server's memory budget is spent (" + usedBytes + " of " + memoryLimit
            + " bytes in use); writes are refused until deletes or retention free memory, reads still work",
        ErrorReason.MEMORY_LIMIT,
        Map.of("used_bytes", Long.toString(usedBytes), "limit_bytes", Long.toString(memoryLimit)),
        "server", "memory budget of " + memoryLimit + " bytes (--max-memory)");
  }

  /**
   * RESOURCE_EXHAUSTED for a write refused because the data directory is short of space, with a
   * {@link QuotaFailure} naming the disk and how much was free when it refused.
   */
  private static StatusRuntimeException diskFull(Refusal.Quota quota) {
    long freeBytes = quota.bytes();
    long minFreeBytes = quota.limitBytes();
    return quotaExceeded("the server's data directory has " + freeBytes + " bytes free, less than the "
            + minFreeBytes + " it keeps free; writes are refused until space is freed, reads and deletes still work",
        ErrorReason.DISK_FULL,
        Map.of("free_bytes", Long.toString(freeBytes), "min_free_bytes", Long.toString(minFreeBytes)),
        "disk", "at least " + minFreeBytes + " bytes free in --data-dir (--min-free-disk)");
  }

  private static StatusRuntimeException quotaExceeded(String message, ErrorReason reason, Map<String, String> metadata,
      String subject, String limit) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
            .setMessage(message)
            .addDetails(Any.pack(errorInfo(reason.name(), metadata)))
            .addDetails(Any.pack(QuotaFailure.newBuilder()
                .addViolations(QuotaFailure.Violation.newBuilder().setSubject(subject).setDescription(limit))
                .build()))
            .build();
    return answer(status);
  }

  /** The status for a read that found nothing to return ({@code read.kind() != FOUND}). */
  public static StatusRuntimeException readFailed(VersionRead read, String lineageId, long version) {
    return switch (read.kind()) {
      case NO_LINEAGE -> notFound(lineageId);
      case DELETED -> deleted(lineageId, read.entity());
      case NO_VERSION -> error(
          Code.NOT_FOUND,
          ErrorReason.VERSION_NOT_FOUND.name(),
          "entity " + lineageId + " has no version " + version + " (latest is "
              + read.entity().version() + ")",
          Map.of("lineage_id", lineageId, "current_version", Long.toString(read.entity().version())));
      case NOT_RETAINED -> error(
          Code.OUT_OF_RANGE,
          ErrorReason.VERSION_NOT_RETAINED.name(),
          "version " + version + " of entity " + lineageId + " is no longer retained (oldest is "
              + read.oldestRetained() + ")",
          Map.of("lineage_id", lineageId, "oldest_retained_version", Long.toString(read.oldestRetained())));
      case FOUND -> throw new IllegalArgumentException("a found read is not an error");
    };
  }

  /** NOT_FOUND for a lineage that does not exist. */
  public static StatusRuntimeException notFound(String lineageId) {
    return error(
        Code.NOT_FOUND,
        ErrorReason.ENTITY_NOT_FOUND.name(),
        "entity " + lineageId + " not found",
        Map.of("lineage_id", lineageId));
  }

  private static StatusRuntimeException deleted(String lineageId, EntityVersion tombstone) {
    return error(
        Code.NOT_FOUND,
        ErrorReason.ENTITY_DELETED.name(),
        "entity " + lineageId + " was deleted at version " + tombstone.version(),
        Map.of("lineage_id", lineageId, "deleted_version", Long.toString(tombstone.version())));
  }

  static StatusRuntimeException error(
      Code code, String reason, String message, Map<String, String> metadata) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(Any.pack(errorInfo(reason, metadata)))
            .build();
    return answer(status);
  }

  /**
   * The exception that carries {@code status} to the client, with the details in the trailers as
   * {@link StatusProto} puts them, but without a stack trace: these are answers, not bugs, nobody
   * reads their stack, and filling it in costs more than building the answer (a conflicting write
   * on a hot entity pays it on every attempt).
   */
  private static StatusRuntimeException answer(com.google.rpc.Status status) {
    Metadata trailers = new Metadata();
    trailers.put(DETAILS, status);
    return new Answer(io.grpc.Status.fromCodeValue(status.getCode()).withDescription(status.getMessage()), trailers);
  }

  /** A status as an exception without a stack trace. */
  private static final class Answer extends StatusRuntimeException {

    Answer(io.grpc.Status status, Metadata trailers) {
      super(status, trailers);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private static ErrorInfo errorInfo(String reason, Map<String, String> metadata) {
    return ErrorInfo.newBuilder()
        .setReason(reason)
        .setDomain(DOMAIN)
        .putAllMetadata(metadata)
        .build();
  }
}
