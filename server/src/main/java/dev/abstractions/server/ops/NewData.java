package dev.abstractions.server.ops;

import com.google.protobuf.Struct;
import dev.abstractions.server.ops.functions.FunctionFailedException;
import dev.abstractions.server.ops.functions.ServerFunction;

/** How an attempt gets the data it writes: given by the client, or computed from the latest. */
interface NewData {

  Struct from(Struct current) throws FunctionFailedException;

  /** The server function's name for provenance, or "" for data the client computed. */
  String functionName();

  /** Whether the attempt takes the latest version as its snapshot (server functions do). */
  boolean computedOnLatest();

  static NewData given(Struct data) {
    return new NewData() {
      @Override
      public Struct from(Struct current) {
        return data;
      }

      @Override
      public String functionName() {
        return "";
      }

      @Override
      public boolean computedOnLatest() {
        return false;
      }
    };
  }

  static NewData computed(ServerFunction function, Struct args) {
    return new NewData() {
      @Override
      public Struct from(Struct current) throws FunctionFailedException {
        return function.apply(current, args);
      }

      @Override
      public String functionName() {
        return function.name();
      }

      @Override
      public boolean computedOnLatest() {
        return true;
      }
    };
  }
}
