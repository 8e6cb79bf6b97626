package dev.abstractions.server.ops.functions;

import static dev.abstractions.server.ops.functions.FunctionArguments.PATH;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.List;
import java.util.Optional;

/**
 * {@code increment}, args {@code {"path": "count", "by": 1}}: adds {@code by} (optional, default 1,
 * a finite number, negative to subtract) to the number at the dotted {@code path} (see
 * {@link StructPaths}); a missing key counts as 0 and missing intermediate objects are created.
 * Fails if the path holds anything but a number (null included), if an intermediate key holds a
 * non-object, or if the sum overflows to infinity. Numbers are doubles, as in {@code Struct}.
 * Stateless and thread-safe.
 */
final class Increment implements ServerFunction {

  private static final String BY = "by";

  @Override
  public String name() {
    return "increment";
  }

  @Override
  public void checkArguments(Struct args) throws InvalidArgumentsException {
    FunctionArguments.checkKnown(args, name(), PATH, BY);
    FunctionArguments.checkPath(args);
    Value by = args.getFieldsOrDefault(BY, null);
    if (by == null) {
      return;
    }
    if (!by.hasNumberValue()) {
      throw new InvalidArgumentsException(BY, "must be a number, was " + StructPaths.describe(by));
    }
    if (!Double.isFinite(by.getNumberValue())) {
      throw new InvalidArgumentsException(BY, "must be a finite number, was " + by.getNumberValue());
    }
  }

  @Override
  public Struct apply(Struct current, Struct args) throws FunctionFailedException {
    List<String> path = FunctionArguments.path(args);
    double by = args.containsFields(BY) ? args.getFieldsOrThrow(BY).getNumberValue() : 1;
    Optional<Value> found = StructPaths.get(current, path);
    if (found.isPresent() && !found.get().hasNumberValue()) {
      throw StructPaths.wrongKind(path, found.get(), "a number");
    }
    double sum = found.map(Value::getNumberValue).orElse(0.0) + by;
    if (!Double.isFinite(sum)) {
      throw new FunctionFailedException(StructPaths.show(path) + " would become " + sum + ", not a finite number");
    }
    return StructPaths.set(current, path, Value.newBuilder().setNumberValue(sum).build());
  }
}
