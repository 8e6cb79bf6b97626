package dev.abstractions.server.ops.functions;

import static dev.abstractions.server.ops.functions.FunctionArguments.PATH;

import com.google.protobuf.Struct;

/**
 * {@code set}, args {@code {"path": "a.b.c", "value": <any>}}: puts {@code value} (an explicit null
 * included) at the dotted {@code path} (see {@link StructPaths}), creating missing intermediate
 * objects. Fails if an intermediate key holds something other than an object. Stateless and
 * thread-safe.
 */
final class SetField implements ServerFunction {

  private static final String VALUE = "value";

  @Override
  public String name() {
    return "set";
  }

  @Override
  public void checkArguments(Struct args) throws InvalidArgumentsException {
    FunctionArguments.checkKnown(args, name(), PATH, VALUE);
    FunctionArguments.checkPath(args);
    FunctionArguments.required(args, VALUE);
  }

  @Override
  public Struct apply(Struct current, Struct args) throws FunctionFailedException {
    return StructPaths.set(current, FunctionArguments.path(args), args.getFieldsOrThrow(VALUE));
  }
}
