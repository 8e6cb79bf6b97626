package dev.abstractions.server.ops.functions;

import static dev.abstractions.server.ops.functions.FunctionArguments.PATH;

import com.google.protobuf.Struct;

/**
 * {@code remove}, args {@code {"path": "a.b"}}: removes the key at the dotted {@code path} (see
 * {@link StructPaths}), leaving its parent object in place even if that empties it. Never fails:
 * when the key is already absent, or an intermediate key is missing or holds a non-object, there
 * is nothing at the path to remove and the data is returned unchanged, so a retried or repeated
 * remove converges. Stateless and thread-safe.
 */
final class RemoveField implements ServerFunction {

  @Override
  public String name() {
    return "remove";
  }

  @Override
  public void checkArguments(Struct args) throws InvalidArgumentsException {
    FunctionArguments.checkKnown(args, name(), PATH);
    FunctionArguments.checkPath(args);
  }

  @Override
  public Struct apply(Struct current, Struct args) {
    return StructPaths.remove(current, FunctionArguments.path(args));
  }
}
