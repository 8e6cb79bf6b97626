package dev.abstractions.server.grpc;

import static dev.abstractions.server.grpc.RequestChecks.violation;

import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.api.v1.AttachTreeRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.PromoteTreeMemberRequest;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.grpc.wire.CreateEntityWire;
import dev.abstractions.server.grpc.wire.UpdateEntityWire;
import dev.abstractions.server.grpc.wire.WriteTreeWire;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks {@code EntityService} requests before they reach the domain (those that carry entity data
 * as the server reads them, {@code wire.proto}). Each {@code checkX} returns
 * every field violation it finds (empty when the request is valid); whatever passes must be safe
 * to apply.
 */
final class EntityRequests {

  private static final Pattern ENTITY_TYPE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private final int maxEntityBytes;

  EntityRequests(int maxEntityBytes) {
    this.maxEntityBytes = maxEntityBytes;
  }

  List<FieldViolation> checkCreate(CreateEntityWire request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    if (!request.getLineageId().isEmpty()) {
      RequestChecks.lineageId("lineage_id", request.getLineageId(), violations);
    }
    if (!request.getParentLineageId().isEmpty()) {
      RequestChecks.lineageId("parent_lineage_id", request.getParentLineageId(), violations);
    }
    checkEntityType("entity_type", request.getEntityType(), violations);
    RequestChecks.data("data", StructBytes.merged(request.getDataList()), maxEntityBytes, violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  /**
   * Checks a tree write: the root, the expected tree version, and its changes ({@link TreeChanges#check}).
   */
  List<FieldViolation> checkWriteTree(WriteTreeWire request, int maxChanges) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("root_lineage_id", request.getRootLineageId(), violations);
    if (request.getExpectedTreeVersion() < 1) {
      violations.add(violation("expected_tree_version",
          "must be 1 or more (the tree version read), was " + request.getExpectedTreeVersion()));
    }
    if (request.getChangesCount() == 0) {
      violations.add(violation("changes", "must name at least one change"));
    }
    TreeChanges.check("changes", request.getChangesList(), maxChanges, maxEntityBytes, violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  List<FieldViolation> checkPromote(PromoteTreeMemberRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("lineage_id", request.getLineageId(), violations);
    treeVersionRead("expected_tree_version", request.getExpectedTreeVersion(), violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    structuralPriority(request.getPriority(), violations);
    return violations;
  }

  List<FieldViolation> checkAttach(AttachTreeRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("lineage_id", request.getLineageId(), violations);
    treeVersionRead("expected_tree_version", request.getExpectedTreeVersion(), violations);
    RequestChecks.lineageId("parent_lineage_id", request.getParentLineageId(), violations);
    treeVersionRead("expected_parent_tree_version", request.getExpectedParentTreeVersion(), violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    structuralPriority(request.getPriority(), violations);
    return violations;
  }

  /** The priority a structural change is arbitrated at: 0 (the request's default) means STRUCTURAL's. */
  static int structuralPriority(int requested) {
    return requested == 0 ? Decider.STRUCTURAL_PRIORITY : requested;
  }

  private static void structuralPriority(int priority, List<FieldViolation> violations) {
    if (priority < 0 || priority > 10) {
      violations.add(violation("priority", "must be 1 to 10, or 0 for 10 (STRUCTURAL's), was " + priority));
    }
  }

  private static void treeVersionRead(String field, long version, List<FieldViolation> violations) {
    if (version < 1) {
      violations.add(violation(field, "must be 1 or more (the tree version read), was " + version));
    }
  }

  List<FieldViolation> checkGetTree(GetTreeRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("root_lineage_id", request.getRootLineageId(), violations);
    if (request.getTreeVersion() < 0) {
      violations.add(violation("tree_version",
          "must be 0 (latest) or a tree version, was " + request.getTreeVersion()));
    }
    RequestChecks.pageSize(request.getPageSize(), violations);
    PageTokens.TreePosition position = PageTokens.treePosition(request.getPageToken());
    if (position == null) {
      violations.add(violation("page_token", "is not a token from a previous GetTree response"));
    } else if (position.treeVersion() != 0 && request.getTreeVersion() != 0
        && position.treeVersion() != request.getTreeVersion()) {
      violations.add(violation("page_token", "was given for tree version " + position.treeVersion()
          + ", not the tree_version " + request.getTreeVersion() + " asked for"));
    }
    return violations;
  }

  List<FieldViolation> checkTreeHistory(TreeHistoryRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("root_lineage_id", request.getRootLineageId(), violations);
    RequestChecks.pageSize(request.getPageSize(), violations);
    if (PageTokens.treeHistoryPosition(request.getPageToken()) < 0) {
      violations.add(violation("page_token", "is not a token from a previous TreeHistory response"));
    }
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

  List<FieldViolation> checkUpdate(UpdateEntityWire request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("lineage_id", request.getLineageId(), violations);
    checkExpectedVersion(request.getExpectedVersion(), violations);
    RequestChecks.data("data", StructBytes.merged(request.getDataList()), maxEntityBytes, violations);
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
    checkEntityType("entity_type", request.getEntityType(), violations);
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

  static void checkEntityType(String field, String entityType, List<FieldViolation> violations) {
    if (entityType.isEmpty()) {
      violations.add(violation(field, "is required"));
    } else if (entityType.length() > RequestLimits.MAX_TYPE_LENGTH) {
      violations.add(violation(
          field, "must be at most " + RequestLimits.MAX_TYPE_LENGTH + " characters, was " + entityType.length()));
    } else if (!ENTITY_TYPE.matcher(entityType).matches()) {
      violations.add(violation(
          field, "must start with a letter or '_' and hold only letters, digits, '_', '.', '-'; was "
              + RequestChecks.quote(entityType)));
    }
  }
}
