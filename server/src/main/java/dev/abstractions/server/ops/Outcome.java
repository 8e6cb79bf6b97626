package dev.abstractions.server.ops;

import dev.abstractions.server.core.Refusal;

/** A value, or the refusal that took its place. Exactly one is non-null. */
public record Outcome<T>(T value, Refusal refusal) {

  public static <T> Outcome<T> of(T value) {
    return new Outcome<>(value, null);
  }

  public static <T> Outcome<T> refused(Refusal refusal) {
    return new Outcome<>(null, refusal);
  }

  public boolean ok() {
    return refusal == null;
  }
}
