package dev.abstractions.server.ops.functions;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.List;
import java.util.Optional;

/**
 * Reads and checks the arguments the built-in functions share, so every function reports the
 * same fault in the same words. Stateless and thread-safe.
 */
final class FunctionArguments {

  static final String PATH = "path";

  private FunctionArguments() {}

  /**
   * Rejects any argument outside {@code known}, so a misspelt optional argument is reported
   * instead of silently taking its default.
   */
  static void checkKnown(Struct args, String function, String... known) throws InvalidArgumentsException {
    List<String> knownKeys = List.of(known);
    // sorted so the same arguments always name the same key
    Optional<String> unknown =
        args.getFieldsMap().keySet().stream().filter(key -> !knownKeys.contains(key)).sorted().findFirst();
    if (unknown.isPresent()) {
      throw new InvalidArgumentsException(
          unknown.get(), "is not an argument of " + function + ", which takes " + String.join(", ", knownKeys));
    }
  }

  /** The argument {@code field}, which must be present; an explicit JSON null counts as present. */
  static Value required(Struct args, String field) throws InvalidArgumentsException {
    Value value = args.getFieldsOrDefault(field, null);
    if (value == null) {
      throw new InvalidArgumentsException(field, "is required");
    }
    return value;
  }

  /** Checks the required {@code path} argument: a string that {@link StructPaths#parse} accepts. */
  static void checkPath(Struct args) throws InvalidArgumentsException {
    Value path = required(args, PATH);
    if (!path.hasStringValue()) {
      throw new InvalidArgumentsException(PATH, "must be a string such as \"a.b\", was " + StructPaths.describe(path));
    }
    try {
      StructPaths.parse(path.getStringValue());
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentsException(PATH, e.getMessage());
    }
  }

  /**
   * The keys of the {@code path} argument of arguments that passed {@link #checkPath}.
   *
   * @throws IllegalArgumentException if they did not: the caller skipped the check
   */
  static List<String> path(Struct args) {
    return StructPaths.parse(args.getFieldsOrThrow(PATH).getStringValue());
  }
}
