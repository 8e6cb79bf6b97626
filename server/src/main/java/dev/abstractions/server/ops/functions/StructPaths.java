package dev.abstractions.server.ops.functions;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.List;
import java.util.Optional;

/**
 * Dotted paths into entity data, the one place the built-in functions read and write by path:
 * {@code "a.b.c"} names key {@code c} of the object at key {@code b} of the object at key {@code a}.
 * Every '.' separates keys and no key may be empty, so a key that itself contains '.' cannot be
 * addressed. Operations return new structs and never modify their input; stateless and
 * thread-safe.
 */
final class StructPaths {

  private StructPaths() {}

  /**
   * The keys of a dotted path.
   *
   * @throws IllegalArgumentException describing why {@code dotted} is not a path
   */
  static List<String> parse(String dotted) {
    if (dotted.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    // limit -1 keeps trailing empty keys, so "a." is rejected rather than read as "a"
    List<String> keys = List.of(dotted.split("\\.", -1));
    if (keys.contains("")) {
      throw new IllegalArgumentException("must be non-empty keys separated by dots, was \"" + dotted + "\"");
    }
    return keys;
  }

  /** The value at {@code path}, or empty if a key on the way is missing or holds a non-object. */
  static Optional<Value> get(Struct data, List<String> path) {
    Struct object = data;
    for (String key : path.subList(0, path.size() - 1)) {
      Value child = object.getFieldsOrDefault(key, null);
      if (child == null || !child.hasStructValue()) {
        return Optional.empty();
      }
      object = child.getStructValue();
    }
    return Optional.ofNullable(object.getFieldsOrDefault(path.get(path.size() - 1), null));
  }

  /**
   * {@code data} with {@code value} at {@code path}, creating missing intermediate objects.
   *
   * @throws FunctionFailedException if an intermediate key holds something other than an object
   */
  static Struct set(Struct data, List<String> path, Value value) throws FunctionFailedException {
    return setFrom(data, path, 0, value);
  }

  /**
   * {@code data} without the key at {@code path}; {@code data} itself when there is nothing to
   * remove, including when an intermediate key is missing or holds a non-object. Emptied parent
   * objects stay.
   */
  static Struct remove(Struct data, List<String> path) {
    return removeFrom(data, path, 0);
  }

  /** The failure for finding the wrong kind of value at a path, e.g. {@code "a.b" holds a string, not a list}. */
  static FunctionFailedException wrongKind(List<String> path, Value found, String wanted) {
    return new FunctionFailedException(show(path) + " holds " + describe(found) + ", not " + wanted);
  }

  /** A path as clients wrote it, quoted for messages. */
  static String show(List<String> path) {
    return "\"" + String.join(".", path) + "\"";
  }

  /** The JSON kind of a value, with its article, for messages. */
  static String describe(Value value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE -> "null";
      case NUMBER_VALUE -> "a number";
      case STRING_VALUE -> "a string";
      case BOOL_VALUE -> "a boolean";
      case STRUCT_VALUE -> "an object";
      case LIST_VALUE -> "a list";
      case KIND_NOT_SET -> "no value";
    };
  }

  private static Struct setFrom(Struct object, List<String> path, int depth, Value value)
      throws FunctionFailedException {
    String key = path.get(depth);
    if (depth == path.size() - 1) {
      return object.toBuilder().putFields(key, value).build();
    }
    Struct child = Struct.getDefaultInstance();
    if (object.containsFields(key)) {
      Value existing = object.getFieldsOrThrow(key);
      if (!existing.hasStructValue()) {
        throw wrongKind(path.subList(0, depth + 1), existing, "an object");
      }
      child = existing.getStructValue();
    }
    return object.toBuilder().putFields(key, objectValue(setFrom(child, path, depth + 1, value))).build();
  }

  private static Struct removeFrom(Struct object, List<String> path, int depth) {
    String key = path.get(depth);
    if (!object.containsFields(key)) {
      return object;
    }
    if (depth == path.size() - 1) {
      return object.toBuilder().removeFields(key).build();
    }
    Value child = object.getFieldsOrThrow(key);
    if (!child.hasStructValue()) {
      return object;
    }
    Struct updated = removeFrom(child.getStructValue(), path, depth + 1);
    if (updated == child.getStructValue()) {
      return object;
    }
    return object.toBuilder().putFields(key, objectValue(updated)).build();
  }

  private static Value objectValue(Struct object) {
    return Value.newBuilder().setStructValue(object).build();
  }
}
