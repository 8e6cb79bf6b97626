package dev.abstractions.server.core;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What entity data may hold: JSON-representable values only (every value set, numbers finite),
 * nesting at most {@link #MAX_DEPTH} levels, at most a configured size serialized. Checked on
 * client input and on what server functions compute, so nothing stored is unprintable or oversized.
 *
 * <p>Data is checked as it is stored, as a Struct's wire bytes ({@link StructBytes}): one pass over
 * them that builds nothing answers for data in the encoding every protobuf library writes. Only
 * data that pass cannot vouch for (a broken rule, or an encoding no library writes but protobuf
 * reads: a value with two kinds, an entry without a value, an unknown field) is parsed and checked
 * as a Struct, which finds the rules it breaks and where, and lets through what protobuf reads as
 * valid.
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
  public static List<Violation> check(StructBytes data, String root, int maxBytes) {
    List<Violation> violations = new ArrayList<>(0);
    if (plainlyWithin(data, maxBytes)) {
      return violations;
    }
    int size = data.size();
    if (size > maxBytes) {
      violations.add(new Violation(root, "is " + size + " bytes serialized, more than the limit of " + maxBytes));
      return violations;
    }
    Struct parsed;
    try {
      parsed = Struct.parseFrom(data.bytes());
    } catch (InvalidProtocolBufferException e) {
      violations.add(new Violation(root, "is not a google.protobuf.Struct: " + e.getMessage()));
      return violations;
    }
    return checkValues(parsed, root);
  }

  /**
   * Whether {@code data} keeps every rule, told in one pass that builds nothing when it is in the
   * plain encoding; false says only that {@link #check} must tell (which may still find nothing).
   */
  public static boolean plainlyWithin(StructBytes data, int maxBytes) {
    return data.size() <= maxBytes && plainlyValid(data);
  }

  /** Every rule {@code data}'s values break (all but the size), whose paths start with {@code root}. */
  static List<Violation> checkValues(Struct data, String root) {
    List<Violation> violations = new ArrayList<>(0);
    checkStruct(data, new Path(null, root, -1), 1, violations);
    return violations;
  }

  private static final int STRUCT_FIELDS = tag(Struct.FIELDS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int ENTRY_KEY = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int ENTRY_VALUE = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int NULL_VALUE = tag(Value.NULL_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
  private static final int NUMBER_VALUE = tag(Value.NUMBER_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_FIXED64);
  private static final int STRING_VALUE = tag(Value.STRING_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int BOOL_VALUE = tag(Value.BOOL_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
  private static final int STRUCT_VALUE = tag(Value.STRUCT_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int LIST_VALUE = tag(Value.LIST_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int LIST_VALUES = tag(ListValue.VALUES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);

  private static int tag(int number, int wireType) {
    return number << 3 | wireType;
  }

  /**
   * Whether {@code data} is a Struct that keeps every rule, in the plain encoding: each map entry
   * one key and one value, each value exactly one kind, nothing else. False says only that the
   * Struct must be parsed to tell.
   */
  static boolean plainlyValid(StructBytes data) {
    CodedInputStream in = data.bytes().newCodedInput();
    in.enableAliasing(true); // strings are only checked, not kept
    try {
      return plainStruct(in, 1);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean plainStruct(CodedInputStream in, int depth) throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag != STRUCT_FIELDS) {
        return false;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      boolean plain = plainEntry(in, depth);
      in.popLimit(limit);
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /** A map entry: one key, one value. */
  private static boolean plainEntry(CodedInputStream in, int depth) throws IOException {
    boolean key = false;
    boolean value = false;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == ENTRY_KEY && !key) {
        key = in.readBytes().isValidUtf8();
        if (!key) {
          return false;
        }
      } else if (tag == ENTRY_VALUE && !value) {
        int limit = in.pushLimit(in.readRawVarint32());
        value = plainValue(in, depth);
        in.popLimit(limit);
        if (!value) {
          return false;
        }
      } else {
        return false;
      }
    }
    return value;
  }

  /** A ListValue's elements, each a value at {@code depth}. */
  private static boolean plainList(CodedInputStream in, int depth) throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag != LIST_VALUES) {
        return false;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      boolean plain = plainValue(in, depth);
      in.popLimit(limit);
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /** A Value with exactly one kind that keeps the rules, at {@code depth} (1: a top-level field's). */
  private static boolean plainValue(CodedInputStream in, int depth) throws IOException {
    int tag = in.readTag();
    boolean plain;
    if (tag == NULL_VALUE) {
      plain = in.readEnum() == NullValue.NULL_VALUE_VALUE;
    } else if (tag == NUMBER_VALUE) {
      plain = Double.isFinite(in.readDouble());
    } else if (tag == STRING_VALUE) {
      plain = in.readBytes().isValidUtf8();
    } else if (tag == BOOL_VALUE) {
      in.readBool();
      plain = true;
    } else if ((tag == STRUCT_VALUE || tag == LIST_VALUE) && depth < MAX_DEPTH) {
      int limit = in.pushLimit(in.readRawVarint32());
      plain = tag == STRUCT_VALUE ? plainStruct(in, depth + 1) : plainList(in, depth + 1);
      in.popLimit(limit);
    } else {
      return false;
    }
    return plain && in.readTag() == 0;
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
