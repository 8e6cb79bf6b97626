package dev.abstractions.server.ops;

/** A value, or the refusal that took its place. Exactly one is non-null. */
public record Outcome<T>(T value, Refusal refusal) {

  static <T> Outcome<T> of(T value) {
    return new Outcome<>(value, null);
  }

  static <T> Outcome<T> refused(Refusal refusal) {
    return new Outcome<>(null, refusal);
  }

  public boolean ok() {
    return refusal == null;
  }
}
