package dev.abstractions.server.grpc;

import static dev.abstractions.server.grpc.RequestChecks.violation;

import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.CreateMember;
import dev.abstractions.api.v1.DeleteMember;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.server.store.Ids;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    if (!request.getParentLineageId().isEmpty()) {
      RequestChecks.lineageId("parent_lineage_id", request.getParentLineageId(), violations);
    }
    checkEntityType("entity_type", request.getEntityType(), violations);
    RequestChecks.data("data", request.getData(), maxEntityBytes, violations);
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
  }

  /**
   * Checks a tree write: the root, the expected tree version, and every change (named by its index,
   * e.g. {@code changes[2].update.data}); no member may be named by two changes, and at most
   * {@code maxChanges} changes fit one write.
   */
  List<FieldViolation> checkWriteTree(WriteTreeRequest request, int maxChanges) {
    List<FieldViolation> violations = new ArrayList<>(0);
    RequestChecks.lineageId("root_lineage_id", request.getRootLineageId(), violations);
    if (request.getExpectedTreeVersion() < 1) {
      violations.add(violation("expected_tree_version",
          "must be 1 or more (the tree version read), was " + request.getExpectedTreeVersion()));
    }
    if (request.getChangesCount() == 0) {
      violations.add(violation("changes", "must name at least one change"));
    } else if (request.getChangesCount() > maxChanges) {
      violations.add(violation("changes",
          "must be at most " + maxChanges + " (--max-tree-members), was " + request.getChangesCount()));
    }
    Set<String> named = new HashSet<>();
    for (int i = 0; i < request.getChangesCount() && i <= maxChanges; i++) {
      TreeChange change = request.getChanges(i);
      String field = "changes[" + i + "]";
      String lineageId;
      switch (change.getChangeCase()) {
        case CREATE -> {
          CreateMember create = change.getCreate();
          field += ".create";
          lineageId = create.getLineageId();
          if (!lineageId.isEmpty()) {
            RequestChecks.lineageId(field + ".lineage_id", lineageId, violations);
          }
          RequestChecks.lineageId(field + ".parent_lineage_id", create.getParentLineageId(), violations);
          checkEntityType(field + ".entity_type", create.getEntityType(), violations);
          RequestChecks.data(field + ".data", create.getData(), maxEntityBytes, violations);
        }
        case UPDATE -> {
          UpdateMember update = change.getUpdate();
          field += ".update";
          lineageId = update.getLineageId();
          RequestChecks.lineageId(field + ".lineage_id", lineageId, violations);
          checkOptionalVersion(field + ".expected_version", update.getExpectedVersion(), violations);
          RequestChecks.data(field + ".data", update.getData(), maxEntityBytes, violations);
        }
        case DELETE -> {
          DeleteMember delete = change.getDelete();
          field += ".delete";
          lineageId = delete.getLineageId();
          RequestChecks.lineageId(field + ".lineage_id", lineageId, violations);
          checkOptionalVersion(field + ".expected_version", delete.getExpectedVersion(), violations);
        }
        default -> {
          violations.add(violation(field, "must set one of create, update, delete"));
          continue;
        }
      }
      String canonical = Ids.canonical(lineageId);
      if (canonical != null && !named.add(canonical)) {
        violations.add(violation(field + ".lineage_id", "names " + canonical + ", which an earlier change names"));
      }
    }
    RequestChecks.requestId(request.getRequestId(), violations);
    return violations;
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

  private static void checkOptionalVersion(String field, long expectedVersion, List<FieldViolation> violations) {
    if (expectedVersion < 0) {
      violations.add(violation(field, "must be 0 (not checked) or the version read, was " + expectedVersion));
    }
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

  private static void checkEntityType(String field, String entityType, List<FieldViolation> violations) {
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
