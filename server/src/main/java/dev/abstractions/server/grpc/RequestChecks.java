package dev.abstractions.server.grpc;

import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.server.core.DataRules;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.store.Ids;
import java.util.List;

/** Field checks shared by the request checkers; each adds what it finds to {@code violations}. */
final class RequestChecks {

  private RequestChecks() {}

  static void lineageId(String field, String lineageId, List<FieldViolation> violations) {
    if (lineageId.isEmpty()) {
      violations.add(violation(field, "is required"));
    } else if (Ids.canonical(lineageId) == null) {
      violations.add(violation(field, "must be a UUID (8-4-4-4-12 hex digits), was " + quote(lineageId)));
    }
  }

  static void pageSize(int pageSize, List<FieldViolation> violations) {
    if (pageSize < 0 || pageSize > RequestLimits.MAX_PAGE_SIZE) {
      violations.add(violation(
          "page_size", "must be 0 (default " + RequestLimits.DEFAULT_PAGE_SIZE + ") to "
              + RequestLimits.MAX_PAGE_SIZE + ", was " + pageSize));
    }
  }

  static void requestId(String requestId, List<FieldViolation> violations) {
    if (requestId.length() > RequestLimits.MAX_REQUEST_ID_LENGTH) {
      violations.add(violation("request_id",
          "must be at most " + RequestLimits.MAX_REQUEST_ID_LENGTH + " characters, was " + requestId.length()));
    }
  }

  static void data(String field, StructBytes data, int maxBytes, List<FieldViolation> violations) {
    for (DataRules.Violation broken : DataRules.check(data, field, maxBytes)) {
      violations.add(violation(broken.path(), broken.description()));
    }
  }

  /** The page size to use for a valid request's {@code page_size}. */
  static int pageSizeOrDefault(int requested) {
    return requested == 0 ? RequestLimits.DEFAULT_PAGE_SIZE : requested;
  }

  static FieldViolation violation(String field, String description) {
    return FieldViolation.newBuilder().setField(field).setDescription(description).build();
  }

  static String quote(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return "\"" + shown + "\"";
  }
}
