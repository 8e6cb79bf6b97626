package dev.abstractions.server.grpc;

import static dev.abstractions.server.grpc.RequestChecks.violation;

import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks {@code EntityService} requests before they reach the domain. Each {@code checkX} returns
 * every field violation it finds (empty when the request is valid); whatever passes must be safe
 * to apply.
 */
final class EntityRequests {

  private static final Pattern ENTITY_TYPE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private final int maxEntityBytes;

  EntityRequests(int maxEntityBytes) {
    this.maxEntityBytes = maxEntityBytes;
  }

  List<FieldViolation> checkCreate(CreateEntityRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    if (!request.getLineageId().isEmpty()) {
      RequestChecks.lineageId("lineage_id", request.getLineageId(), violations);
    }
    checkEntityType(request.getEntityType(), violations);
    RequestChecks.data("data", request.getData(), maxEntityBytes, violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  List<FieldViolation> checkGet(GetEntityRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("lineage_id", request.getLineageId(), violations);
    if (request.getVersion() < 0) {
      violations.add(violation("version", "must be 0 (latest) or a version number, was " + request.getVersion()));
    }
    return violations;
  }

  List<FieldViolation> checkUpdate(UpdateEntityRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("lineage_id", request.getLineageId(), violations);
    checkExpectedVersion(request.getExpectedVersion(), violations);
    RequestChecks.data("data", request.getData(), maxEntityBytes, violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  List<FieldViolation> checkDelete(DeleteEntityRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("lineage_id", request.getLineageId(), violations);
    checkExpectedVersion(request.getExpectedVersion(), violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  List<FieldViolation> checkList(ListEntitiesRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    checkEntityType(request.getEntityType(), violations);
    RequestChecks.pageSize(request.getPageSize(), violations);
    if (PageTokens.listPosition(request.getPageToken()) == null) {
      violations.add(violation("page_token", "is not a token from a previous List response"));
    }
    return violations;
  }

  List<FieldViolation> checkHistory(EntityHistoryRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("lineage_id", request.getLineageId(), violations);
    RequestChecks.pageSize(request.getPageSize(), violations);
    if (PageTokens.historyPosition(request.getPageToken()) < 0) {
      violations.add(violation("page_token", "is not a token from a previous History response"));
    }
    return violations;
  }

  private static void checkExpectedVersion(long expectedVersion, List<FieldViolation> violations) {
    if (expectedVersion < 1) {
      violations.add(violation("expected_version", "must be 1 or more (the version read), was " + expectedVersion));
    }
  }

  private static void checkEntityType(String entityType, List<FieldViolation> violations) {
    if (entityType.isEmpty()) {
      violations.add(violation("entity_type", "is required"));
    } else if (entityType.length() > RequestLimits.MAX_TYPE_LENGTH) {
      violations.add(violation(
          "entity_type", "must be at most " + RequestLimits.MAX_TYPE_LENGTH + " characters, was " + entityType.length()));
    } else if (!ENTITY_TYPE.matcher(entityType).matches()) {
      violations.add(violation(
          "entity_type", "must start with a letter or '_' and hold only letters, digits, '_', '.', '-'; was "
              + RequestChecks.quote(entityType)));
    }
  }
}
