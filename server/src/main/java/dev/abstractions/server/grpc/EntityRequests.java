package dev.abstractions.server.grpc;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.store.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks {@code EntityService} requests before they reach the store. Each {@code checkX} returns
 * every field violation it finds (empty when the request is valid); whatever passes must be safe
 * to apply.
 */
final class EntityRequests {

  private static final Pattern ENTITY_TYPE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private final RequestLimits limits;

  EntityRequests(RequestLimits limits) {
    this.limits = limits;
  }

  List<FieldViolation> checkCreate(CreateEntityRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    if (!request.getLineageId().isEmpty()) {
      checkLineageId(request.getLineageId(), violations);
    }
    checkEntityType(request.getEntityType(), violations);
    checkData(request.getData(), violations);
    return violations;
  }

  List<FieldViolation> checkGet(GetEntityRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    checkLineageId(request.getLineageId(), violations);
    if (request.getVersion() < 0) {
      violations.add(violation("version", "must be 0 (latest) or a version number, was " + request.getVersion()));
    }
    return violations;
  }

  List<FieldViolation> checkUpdate(UpdateEntityRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    checkLineageId(request.getLineageId(), violations);
    checkExpectedVersion(request.getExpectedVersion(), violations);
    checkData(request.getData(), violations);
    return violations;
  }

  List<FieldViolation> checkDelete(DeleteEntityRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    checkLineageId(request.getLineageId(), violations);
    checkExpectedVersion(request.getExpectedVersion(), violations);
    return violations;
  }

  List<FieldViolation> checkList(ListEntitiesRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    checkEntityType(request.getEntityType(), violations);
    checkPageSize(request.getPageSize(), violations);
    if (PageTokens.listPosition(request.getPageToken()) == null) {
      violations.add(violation("page_token", "is not a token from a previous List response"));
    }
    return violations;
  }

  List<FieldViolation> checkHistory(EntityHistoryRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    checkLineageId(request.getLineageId(), violations);
    checkPageSize(request.getPageSize(), violations);
    if (PageTokens.historyPosition(request.getPageToken()) < 0) {
      violations.add(violation("page_token", "is not a token from a previous History response"));
    }
    return violations;
  }

  /** The page size to use for a valid request's {@code page_size}. */
  static int pageSize(int requested) {
    return requested == 0 ? RequestLimits.DEFAULT_PAGE_SIZE : requested;
  }

  private static void checkLineageId(String lineageId, List<FieldViolation> violations) {
    if (lineageId.isEmpty()) {
      violations.add(violation("lineage_id", "is required"));
    } else if (Ids.canonical(lineageId) == null) {
      violations.add(violation("lineage_id", "must be a UUID (8-4-4-4-12 hex digits), was " + quote(lineageId)));
    }
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
              + quote(entityType)));
    }
  }

  private static void checkPageSize(int pageSize, List<FieldViolation> violations) {
    if (pageSize < 0 || pageSize > RequestLimits.MAX_PAGE_SIZE) {
      violations.add(violation(
          "page_size", "must be 0 (default " + RequestLimits.DEFAULT_PAGE_SIZE + ") to "
              + RequestLimits.MAX_PAGE_SIZE + ", was " + pageSize));
    }
  }

  private void checkData(Struct data, List<FieldViolation> violations) {
    int size = data.getSerializedSize();
    if (size > limits.maxEntityBytes()) {
      violations.add(violation("data", "is " + size + " bytes serialized, more than the limit of " + limits.maxEntityBytes()));
      return;
    }
    checkStruct(data, "data", 1, violations);
  }

  /** JSON-representable values only: every value set, numbers finite, nesting bounded. */
  private static void checkStruct(Struct struct, String path, int depth, List<FieldViolation> violations) {
    for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
      checkValue(field.getValue(), path + "." + field.getKey(), depth, violations);
    }
  }

  private static void checkValue(Value value, String path, int depth, List<FieldViolation> violations) {
    switch (value.getKindCase()) {
      case KIND_NOT_SET -> violations.add(violation(path, "has no value (set null_value for null)"));
      case NUMBER_VALUE -> {
        if (!Double.isFinite(value.getNumberValue())) {
          violations.add(violation(path, "must be a finite number, was " + value.getNumberValue()));
        }
      }
      case STRUCT_VALUE, LIST_VALUE -> {
        if (depth >= RequestLimits.MAX_DATA_DEPTH) {
          violations.add(violation(path, "nests deeper than " + RequestLimits.MAX_DATA_DEPTH + " levels"));
        } else if (value.hasStructValue()) {
          checkStruct(value.getStructValue(), path, depth + 1, violations);
        } else {
          ListValue list = value.getListValue();
          for (int i = 0; i < list.getValuesCount(); i++) {
            checkValue(list.getValues(i), path + "[" + i + "]", depth + 1, violations);
          }
        }
      }
      default -> {
        // null, bool and string values are always representable
      }
    }
  }

  private static FieldViolation violation(String field, String description) {
    return FieldViolation.newBuilder().setField(field).setDescription(description).build();
  }

  private static String quote(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return "\"" + shown + "\"";
  }
}
