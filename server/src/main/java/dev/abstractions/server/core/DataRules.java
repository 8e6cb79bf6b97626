package dev.abstractions.server.core;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What entity data may hold: JSON-representable values only (every value set, numbers finite),
 * nesting at most {@link #MAX_DEPTH} levels, at most a configured size serialized. Checked on
 * client input and on what server functions compute, so nothing stored is unprintable or oversized.
 */
public final class DataRules {

  /**
   * Deepest nesting of lists and structs. Each level costs protobuf three message levels (Struct,
   * map entry, Value) of the 100 it parses, so 20 leaves headroom below the transport's limit.
   */
  public static final int MAX_DEPTH = 20;

  /** One broken rule: where (e.g. {@code data.tags[2]}) and what. */
  public record Violation(String path, String description) {}

  private DataRules() {}

  /** Every violation in {@code data}, whose paths start with {@code root}; empty if it is fine. */
  public static List<Violation> check(Struct data, String root, int maxBytes) {
    List<Violation> violations = new ArrayList<>(0);
    int size = data.getSerializedSize();
    if (size > maxBytes) {
      violations.add(new Violation(root, "is " + size + " bytes serialized, more than the limit of " + maxBytes));
      return violations;
    }
    checkStruct(data, new Path(null, root, -1), 1, violations);
    return violations;
  }

  /**
   * Where a value sits, spelled out only if it breaks a rule: every write is checked, and building
   * the text of every field's path would cost more than the checks.
   */
  private record Path(Path parent, String key, int index) {

    Path field(String name) {
      return new Path(this, name, -1);
    }

    Path element(int i) {
      return new Path(this, null, i);
    }

    @Override
    public String toString() {
      if (parent == null) {
        return key;
      }
      return key != null ? parent + "." + key : parent + "[" + index + "]";
    }
  }

  private static void checkStruct(Struct struct, Path path, int depth, List<Violation> violations) {
    for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
      checkValue(field.getValue(), path.field(field.getKey()), depth, violations);
    }
  }

  private static void checkValue(Value value, Path path, int depth, List<Violation> violations) {
    switch (value.getKindCase()) {
      case KIND_NOT_SET -> violations.add(new Violation(path.toString(), "has no value (set null_value for null)"));
      case NUMBER_VALUE -> {
        if (!Double.isFinite(value.getNumberValue())) {
          violations.add(new Violation(path.toString(), "must be a finite number, was " + value.getNumberValue()));
        }
      }
      case STRUCT_VALUE, LIST_VALUE -> {
        if (depth >= MAX_DEPTH) {
          violations.add(new Violation(path.toString(), "nests deeper than " + MAX_DEPTH + " levels"));
        } else if (value.hasStructValue()) {
          checkStruct(value.getStructValue(), path, depth + 1, violations);
        } else {
          ListValue list = value.getListValue();
          for (int i = 0; i < list.getValuesCount(); i++) {
            checkValue(list.getValues(i), path.element(i), depth + 1, violations);
          }
        }
      }
      default -> {
        // null, bool and string values are always representable
      }
    }
  }
}
