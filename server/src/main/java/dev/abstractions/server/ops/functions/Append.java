package dev.abstractions.server.ops.functions;

import static dev.abstractions.server.ops.functions.FunctionArguments.PATH;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.List;
import java.util.Optional;

/**
 * {@code append}, args {@code {"path": "tags", "value": <any>}}: adds {@code value} (an explicit
 * null included) at the end of the list at the dotted {@code path} (see {@link StructPaths}); a
 * missing key becomes a one-element list and missing intermediate objects are created. Fails if
 * the path holds anything but a list (null included) or an intermediate key holds a non-object.
 * Stateless and thread-safe.
 */
final class Append implements ServerFunction {

  private static final String VALUE = "value";

  @Override
  public String name() {
    return "append";
  }

  @Override
  public void checkArguments(Struct args) throws InvalidArgumentsException {
    FunctionArguments.checkKnown(args, name(), PATH, VALUE);
    FunctionArguments.checkPath(args);
    FunctionArguments.required(args, VALUE);
  }

  @Override
  public Struct apply(Struct current, Struct args) throws FunctionFailedException {
    List<String> path = FunctionArguments.path(args);
    Optional<Value> found = StructPaths.get(current, path);
    if (found.isPresent() && !found.get().hasListValue()) {
      throw StructPaths.wrongKind(path, found.get(), "a list");
    }
    ListValue list = found.map(Value::getListValue).orElse(ListValue.getDefaultInstance())
        .toBuilder()
        .addValues(args.getFieldsOrThrow(VALUE))
        .build();
    return StructPaths.set(current, path, Value.newBuilder().setListValue(list).build());
  }
}
