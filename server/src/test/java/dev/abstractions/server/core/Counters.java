package dev.abstractions.server.core;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.server.ops.functions.ServerFunction;

/** Counter entities for tests of the core and the store: data {@code {"count": n}}. */
public final class Counters {

  /** The server function "increment": adds one to {@code count}. */
  public static final ServerFunction INCREMENT = new ServerFunction() {
    @Override
    public String name() {
      return "increment";
    }

    @Override
    public void checkArguments(Struct args) {}

    @Override
    public Struct apply(Struct current, Struct args) {
      return count((long) current.getFieldsOrThrow("count").getNumberValue() + 1);
    }
  };

  private Counters() {}

  public static Struct count(long n) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(n).build()).build();
  }

  public static long countOf(EntityVersion version) {
    return (long) version.data().getFieldsOrThrow("count").getNumberValue();
  }
}
