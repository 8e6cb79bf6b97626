package dev.abstractions.server.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A target's arbitration state (DESIGN.md section 5): the operations in flight on it in gate order
 * ({@link OpState#RANK}), the gate owner (the highest-ranked RETRYING one) with the version and tick
 * at which it became owner, and how long owners have held the gate (smoothed), the pace at which
 * waiters' turns come. Immutable; the decision function changes it through a {@link Builder} that
 * lives for one decision.
 */
public final class Arbitration {

  public static final Arbitration NONE = new Arbitration(List.of(), null, 0, 0, 0);

  private final List<OpState> inFlight;
  private final OpState owner;
  private final long ownerSinceVersion;
  private final long ownerSinceTick;
  private final long tenureNanos;

  private Arbitration(List<OpState> inFlight, OpState owner, long ownerSinceVersion, long ownerSinceTick,
      long tenureNanos) {
    this.inFlight = inFlight;
    this.owner = owner;
    this.ownerSinceVersion = ownerSinceVersion;
    this.ownerSinceTick = ownerSinceTick;
    this.tenureNanos = tenureNanos;
  }

  /**
   * Rebuilds the state a snapshot recorded ({@code owner} is one of {@code inFlight}, or null),
   * as it was: the inverse of reading {@link #inFlight}, {@link #owner} and the owner fields.
   */
  public static Arbitration restore(List<OpState> inFlight, OpState owner, long ownerSinceVersion,
      long ownerSinceTick, long tenureNanos) {
    return inFlight.isEmpty() && owner == null && tenureNanos == 0
        ? NONE
        : new Arbitration(List.copyOf(inFlight), owner, ownerSinceVersion, ownerSinceTick, tenureNanos);
  }

  /** The head version when the owner took the gate. */
  public long ownerSinceVersion() {
    return ownerSinceVersion;
  }

  /** The tick at which the owner took the gate. */
  public long ownerSinceTick() {
    return ownerSinceTick;
  }

  /** How long owners have held the gate, smoothed. */
  public long tenureNanos() {
    return tenureNanos;
  }

  /** In gate order; unmodifiable. */
  public List<OpState> inFlight() {
    return inFlight;
  }

  public boolean isEmpty() {
    return inFlight.isEmpty();
  }

  /** The gate owner, or null. */
  public OpState owner() {
    return owner;
  }

  /** The in-flight operation with this id, or null. */
  public OpState find(String opId) {
    for (OpState op : inFlight) {
      if (op.id().equals(opId)) {
        return op;
      }
    }
    return null;
  }

  /** Whether the owner's coming commit will overwrite a snapshot taken now by an operation of {@code priority}. */
  public boolean gateHeldAgainst(int priority) {
    return owner != null && owner.effectivePriority() >= priority;
  }

  /** The earliest deadline in flight, or {@link Long#MAX_VALUE}. */
  public long nextDeadlineTick() {
    long next = Long.MAX_VALUE;
    for (OpState op : inFlight) {
      next = Math.min(next, op.deadlineTick());
    }
    return next;
  }

  Builder toBuilder() {
    return new Builder(this);
  }

  /** The mutable copy one decision works on. Not thread-safe; never shared. */
  static final class Builder {

    private final ArrayList<OpState> inFlight;
    private OpState owner;
    private long ownerSinceVersion;
    private long ownerSinceTick;
    private long tenureNanos;

    private Builder(Arbitration from) {
      this.inFlight = new ArrayList<>(from.inFlight);
      this.owner = from.owner;
      this.ownerSinceVersion = from.ownerSinceVersion;
      this.ownerSinceTick = from.ownerSinceTick;
      this.tenureNanos = from.tenureNanos;
    }

    List<OpState> inFlight() {
      return inFlight;
    }

    int size() {
      return inFlight.size();
    }

    OpState owner() {
      return owner;
    }

    long ownerSinceVersion() {
      return ownerSinceVersion;
    }

    boolean gateHeldAgainst(int priority) {
      return owner != null && owner.effectivePriority() >= priority;
    }

    OpState find(String opId) {
      for (OpState op : inFlight) {
        if (op.id().equals(opId)) {
          return op;
        }
      }
      return null;
    }

    /** Adds a new operation, or replaces the one with its id; the gate follows. */
    void put(OpState op, long headVersion, long tick) {
      removeById(op.id());
      int at = Collections.binarySearch(inFlight, op, OpState.RANK);
      inFlight.add(at < 0 ? -at - 1 : at, op);
      refreshOwner(headVersion, tick);
    }

    /** Takes out an operation that ended; the gate passes to the next retrying one, if any. */
    void remove(OpState op, long headVersion, long tick) {
      removeById(op.id());
      refreshOwner(headVersion, tick);
    }

    /** How many retrying operations rank above {@code op} (the owner among them). */
    int ahead(OpState op) {
      int ahead = 0;
      for (OpState other : inFlight) {
        if (OpState.RANK.compare(other, op) >= 0) {
          break;
        }
        if (other.retrying()) {
          ahead++;
        }
      }
      return ahead;
    }

    /** In-flight operations whose deadline is at or before {@code tick}, in gate order. */
    List<OpState> expired(long tick) {
      List<OpState> due = List.of();
      for (OpState op : inFlight) {
        if (op.deadlineTick() <= tick) {
          if (due.isEmpty()) {
            due = new ArrayList<>();
          }
          due.add(op);
        }
      }
      return due;
    }

    /**
     * When the turn of {@code op}, a retrying operation behind the owner, is expected, in
     * nanoseconds from {@code tick}: the rest of the owner's expected tenure, then one tenure per
     * operation between them. 0 when no owner has let go yet, or {@code op} is the owner.
     */
    long turnInNanos(OpState op, long tick) {
      if (tenureNanos == 0 || owner == null || owner.id().equals(op.id())) {
        return 0;
      }
      long ownerLeft = Math.max(0, ownerSinceTick + tenureNanos - tick);
      return ownerLeft + (long) (ahead(op) - 1) * tenureNanos;
    }

    Arbitration build() {
      if (inFlight.isEmpty()) {
        return NONE; // a settled target keeps nothing, not even the owners' pace
      }
      return new Arbitration(List.copyOf(inFlight), owner, ownerSinceVersion, ownerSinceTick, tenureNanos);
    }

    private void removeById(String opId) {
      for (int i = 0; i < inFlight.size(); i++) {
        if (inFlight.get(i).id().equals(opId)) {
          inFlight.remove(i);
          return;
        }
      }
    }

    private void refreshOwner(long headVersion, long tick) {
      OpState first = null;
      for (OpState op : inFlight) {
        if (op.retrying()) {
          first = op;
          break;
        }
      }
      if (first != null && owner != null && first.id().equals(owner.id())) {
        owner = first; // the same owner, in its latest state
        return;
      }
      if (first == null && owner == null) {
        return;
      }
      if (owner != null) {
        long held = tick - ownerSinceTick;
        tenureNanos = tenureNanos == 0 ? held : (3 * tenureNanos + held) / 4;
      }
      owner = first;
      ownerSinceVersion = headVersion;
      ownerSinceTick = tick;
    }
  }
}
