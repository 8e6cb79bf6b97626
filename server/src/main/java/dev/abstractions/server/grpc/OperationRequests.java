package dev.abstractions.server.grpc;

import static dev.abstractions.server.grpc.RequestChecks.violation;

import com.google.protobuf.Duration;
import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.GetOperationRequest;
import dev.abstractions.api.v1.KeepAliveRequest;
import dev.abstractions.api.v1.ListOperationsRequest;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.server.core.RetryPolicy;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.grpc.wire.CommitOperationWire;
import dev.abstractions.server.ops.OperationSpec;
import dev.abstractions.server.ops.functions.InvalidArgumentsException;
import dev.abstractions.server.ops.functions.ServerFunction;
import dev.abstractions.server.store.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code OperationService} requests and resolves class defaults (an unset priority or
 * retry budget takes its class's). Each {@code checkX}
 * returns every field violation it finds; whatever passes must be safe to apply.
 */
final class OperationRequests {

  private final int maxEntityBytes;
  private final int maxTreeMembers;
  private final Map<String, ServerFunction> functions;

  OperationRequests(int maxEntityBytes, int maxTreeMembers, Map<String, ServerFunction> functions) {
    this.maxEntityBytes = maxEntityBytes;
    this.maxTreeMembers = maxTreeMembers;
    this.functions = functions;
  }

  List<FieldViolation> checkBegin(BeginOperationRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("target_lineage_id", request.getTargetLineageId(), violations);
    checkArbitration(request.getPriorityClass(), request.hasPriority() ? request.getPriority() : null,
        request.hasMaxRetries() ? request.getMaxRetries() : null, request.getOpType(), request.getParentOpId(),
        request.getTtl(), violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  List<FieldViolation> checkCommit(CommitOperationWire request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    opId("op_id", request.getOpId(), violations);
    RequestChecks.data("data", StructBytes.merged(request.getDataList()), maxEntityBytes, violations);
    if (request.getTreeChangesCount() > 0 && request.getDataCount() > 0) {
      violations.add(violation("tree_changes", "must not be set together with data: a commit offers one or the other"));
    }
    TreeChanges.check("tree_changes", request.getTreeChangesList(), maxTreeMembers, maxEntityBytes, violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  List<FieldViolation> checkAbort(AbortOperationRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    opId("op_id", request.getOpId(), violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  List<FieldViolation> checkKeepAlive(KeepAliveRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    opId("op_id", request.getOpId(), violations);
    return violations;
  }

  List<FieldViolation> checkGet(GetOperationRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    opId("op_id", request.getOpId(), violations);
    return violations;
  }

  List<FieldViolation> checkList(ListOperationsRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("target_lineage_id", request.getTargetLineageId(), violations);
    for (int i = 0; i < request.getStatusesCount(); i++) {
      OperationStatus status = request.getStatuses(i);
      if (status == OperationStatus.UNRECOGNIZED || status == OperationStatus.OPERATION_STATUS_UNSPECIFIED) {
        violations.add(violation("statuses[" + i + "]", "must be a known status, was " + request.getStatusesValue(i)));
      }
    }
    RequestChecks.pageSize(request.getPageSize(), violations);
    if (PageTokens.operationPosition(request.getPageToken()) == PageTokens.INVALID) {
      violations.add(violation("page_token", "is not a token from a previous List response"));
    }
    return violations;
  }

  List<FieldViolation> checkExecute(ExecuteRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("target_lineage_id", request.getTargetLineageId(), violations);
    if (!request.getMemberLineageId().isEmpty()) {
      RequestChecks.lineageId("member_lineage_id", request.getMemberLineageId(), violations);
    }
    ServerFunction function = functions.get(request.getFunction());
    if (function == null) {
      violations.add(violation("function", "must be one of " + functions.keySet() + ", was "
          + RequestChecks.quote(request.getFunction())));
    } else {
      int before = violations.size();
      RequestChecks.data("args", StructBytes.of(request.getArgs()), maxEntityBytes, violations);
      if (violations.size() == before) {
        try {
          function.checkArguments(request.getArgs());
        } catch (InvalidArgumentsException e) {
          violations.add(violation("args." + e.field(), e.getMessage()));
        }
      }
    }
    checkArbitration(request.getPriorityClass(), request.hasPriority() ? request.getPriority() : null,
        request.hasMaxRetries() ? request.getMaxRetries() : null, request.getOpType(), request.getParentOpId(),
        request.getTtl(), violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  static OperationSpec spec(BeginOperationRequest request) {
    return spec(request.getTargetLineageId(), request.getOpType(), request.getPriorityClass(),
        request.hasPriority() ? request.getPriority() : null, request.hasMaxRetries() ? request.getMaxRetries() : null,
        request.getParentOpId(), request.getTtl());
  }

  static OperationSpec spec(ExecuteRequest request) {
    return spec(request.getTargetLineageId(), request.getOpType(), request.getPriorityClass(),
        request.hasPriority() ? request.getPriority() : null, request.hasMaxRetries() ? request.getMaxRetries() : null,
        request.getParentOpId(), request.getTtl());
  }

  /** {@code priority} and {@code maxRetries} are null when the request left them unset. */
  private static OperationSpec spec(String target, String opType, PriorityClass requestedClass, Integer priority,
      Integer maxRetries, String parentOpId, Duration ttl) {
    PriorityClass cls = RetryPolicy.effectiveClass(requestedClass);
    return new OperationSpec(
        Ids.canonical(target),
        opType,
        cls,
        priority == null ? RetryPolicy.defaultPriority(cls) : priority,
        maxRetries == null ? RetryPolicy.defaultMaxRetries(cls) : maxRetries,
        parentOpId.isEmpty() ? "" : Ids.canonical(parentOpId),
        isZero(ttl) ? RequestLimits.DEFAULT_TTL : java.time.Duration.ofSeconds(ttl.getSeconds(), ttl.getNanos()));
  }

  /** {@code priority} and {@code maxRetries} are null when the request left them unset. */
  private static void checkArbitration(PriorityClass requestedClass, Integer priority, Integer maxRetries,
      String opType, String parentOpId, Duration ttl, List<FieldViolation> violations) {
    if (requestedClass == PriorityClass.UNRECOGNIZED) {
      violations.add(violation("priority_class", "must be STRUCTURAL, NORMAL or LOW"));
    } else if (priority != null) {
      int min = RetryPolicy.minPriority(requestedClass);
      int max = RetryPolicy.maxPriority(requestedClass);
      if (priority < min || priority > max) {
        violations.add(violation("priority", "must be unset (class default) or " + min + ".." + max + " for "
            + RetryPolicy.effectiveClass(requestedClass) + ", was " + priority));
      }
    }
    if (maxRetries != null && (maxRetries < 0 || maxRetries > RequestLimits.MAX_RETRIES)) {
      violations.add(violation("max_retries", "must be unset (class default) or 0.." + RequestLimits.MAX_RETRIES
          + ", was " + maxRetries));
    }
    if (opType.length() > RequestLimits.MAX_OP_TYPE_LENGTH) {
      violations.add(violation("op_type", "must be at most " + RequestLimits.MAX_OP_TYPE_LENGTH
          + " characters, was " + opType.length()));
    }
    if (!parentOpId.isEmpty()) {
      opId("parent_op_id", parentOpId, violations);
    }
    boolean wellFormed = ttl.getNanos() >= 0 && ttl.getNanos() < 1_000_000_000 && ttl.getSeconds() >= 0;
    if (!wellFormed || (!isZero(ttl) && java.time.Duration.ofSeconds(ttl.getSeconds(), ttl.getNanos())
        .compareTo(RequestLimits.MAX_TTL) > 0)) {
      violations.add(violation("ttl", "must be 0 (default " + RequestLimits.DEFAULT_TTL.toSeconds()
          + " s) or a positive duration of at most " + RequestLimits.MAX_TTL.toMinutes() + " min, was "
          + ttl.getSeconds() + " s " + ttl.getNanos() + " ns"));
    }
  }

  private static void opId(String field, String opId, List<FieldViolation> violations) {
    if (opId.isEmpty()) {
      violations.add(violation(field, "is required"));
    } else if (Ids.canonical(opId) == null) {
      violations.add(violation(field, "must be an operation id (a UUID), was " + RequestChecks.quote(opId)));
    }
  }

  private static boolean isZero(Duration duration) {
    return duration.getSeconds() == 0 && duration.getNanos() == 0;
  }
}
