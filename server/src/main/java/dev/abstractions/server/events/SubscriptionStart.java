package dev.abstractions.server.events;

/**
 * Where a subscription starts: at a sequence (inclusive), at the oldest retained event, or at the
 * next event written. The hub turns the last two into a sequence from the same read of the log it
 * checks the start against, so the answer cannot go stale between resolving and checking.
 * Immutable.
 */
public record SubscriptionStart(Kind kind, long sequence) {

  /** How the start is given. */
  public enum Kind {
    SEQUENCE,
    OLDEST,
    NOW
  }

  public SubscriptionStart {
    if (kind != Kind.SEQUENCE && sequence != 0) {
      throw new IllegalArgumentException(kind + " carries no sequence, was " + sequence);
    }
  }

  /** From {@code sequence}, inclusive. */
  public static SubscriptionStart at(long sequence) {
    return new SubscriptionStart(Kind.SEQUENCE, sequence);
  }

  /** From the oldest event the log retains when the subscription starts. */
  public static SubscriptionStart oldest() {
    return new SubscriptionStart(Kind.OLDEST, 0);
  }

  /** From the next event written after the subscription starts. */
  public static SubscriptionStart now() {
    return new SubscriptionStart(Kind.NOW, 0);
  }
}
