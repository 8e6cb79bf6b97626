package dev.abstractions.server.ops.functions;

import com.google.protobuf.Struct;

/**
 * A named, pure transformation of an entity's data that the server runs under an operation
 * ({@code OperationService.Execute}), retrying it on the latest data after a conflict. Bound into
 * the server through a Guice multibinder; looked up by {@link #name()}.
 *
 * <p>Implementations must be stateless and thread-safe, must not block, and must be deterministic
 * in their inputs: they may run several times for one Execute (once per attempt).
 */
public interface ServerFunction {

  /** The name clients call it by, e.g. {@code "increment"}: lowercase letters, digits, '_', '-'. */
  String name();

  /**
   * Checks the arguments once, before any attempt.
   *
   * @throws InvalidArgumentsException describing what is wrong with {@code args}
   */
  void checkArguments(Struct args) throws InvalidArgumentsException;

  /**
   * The new data computed from the current data and the (checked) arguments.
   *
   * @throws FunctionFailedException if the function cannot apply to this data (e.g. increment of
   *     a field that holds a string); the operation then FAILS with this message and the entity
   *     stays unchanged
   */
  Struct apply(Struct current, Struct args) throws FunctionFailedException;
}
