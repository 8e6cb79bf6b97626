package dev.abstractions.server.ops;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * A target's arbitration state, kept with the entity (its store attachment) and changed only in
 * the target's atomic step: the operations in flight on it, those of them that are retrying, the
 * gate owner (the highest-ranked retrying operation) with the version at which it became owner,
 * and the Begins waiting for that owner to leave. Not thread-safe by itself; guarded by the
 * target's lock.
 */
final class TargetArbitration {

  private final TreeSet<Operation> inFlight = new TreeSet<>(Operation.RANK);
  private final TreeSet<Operation> retrying = new TreeSet<>(Operation.RANK);
  private final List<PendingBegin> waiting = new ArrayList<>(0);
  private Operation owner;
  private long ownerSinceVersion;
  private long ownerSinceNanos;
  /** How long owners have held the gate, smoothed; 0 until one let go. The pace of waiters' turns. */
  private long tenureNanos;

  void add(Operation op) {
    inFlight.add(op);
  }

  /** Marks an in-flight operation as retrying; it may become the gate owner. */
  void retrying(Operation op, long headVersion) {
    retrying.add(op);
    refreshOwner(headVersion);
  }

  /** Removes an operation that ended; the gate passes to the next retrying one, if any. */
  void remove(Operation op, long headVersion) {
    inFlight.remove(op);
    retrying.remove(op);
    refreshOwner(headVersion);
  }

  boolean isEmpty() {
    return inFlight.isEmpty() && waiting.isEmpty();
  }

  /** Operations in flight and Begins waiting: what the per-target limit counts. */
  int size() {
    return inFlight.size() + waiting.size();
  }

  /** Whether the owner's coming commit will overwrite a snapshot taken now by an operation of {@code priority}. */
  boolean gateHeldAgainst(int priority) {
    return owner != null && owner.effectivePriority >= priority;
  }

  void await(PendingBegin begin) {
    waiting.add(begin);
  }

  /** Removes and returns, in arrival order, the waiting Begins the gate no longer holds or that waited enough. */
  List<PendingBegin> admissible(long nowNanos) {
    if (waiting.isEmpty()) {
      return List.of();
    }
    List<PendingBegin> ready = new ArrayList<>();
    for (Iterator<PendingBegin> it = waiting.iterator(); it.hasNext(); ) {
      PendingBegin begin = it.next();
      if (!gateHeldAgainst(begin.effectivePriority()) || begin.untilNanos() <= nowNanos) {
        ready.add(begin);
        it.remove();
      }
    }
    return ready;
  }

  /** The gate owner, or null. */
  Operation owner() {
    return owner;
  }

  long ownerSinceVersion() {
    return ownerSinceVersion;
  }

  /** How many retrying operations rank above {@code op} (the owner among them). */
  int ahead(Operation op) {
    return retrying.headSet(op, false).size();
  }

  /** Would {@code op} rank above the current owner (so it would own the gate itself)? */
  boolean outranksOwner(Operation op) {
    return owner == null || owner == op || Operation.RANK.compare(op, owner) < 0;
  }

  /** In-flight operations of lower effective priority than {@code priority}. */
  List<Operation> below(int priority) {
    List<Operation> lower = new ArrayList<>();
    for (Operation op : inFlight.descendingSet()) {
      if (op.effectivePriority >= priority) {
        break;
      }
      lower.add(op);
    }
    return lower;
  }

  /** In-flight operations whose deadline is at or before {@code nowNanos}. */
  List<Operation> expired(long nowNanos) {
    List<Operation> due = List.of();
    for (Operation op : inFlight) {
      if (op.deadlineNanos <= nowNanos) {
        if (due.isEmpty()) {
          due = new ArrayList<>();
        }
        due.add(op);
      }
    }
    return due;
  }

  List<Operation> all() {
    return new ArrayList<>(inFlight);
  }

  /**
   * When the turn of {@code op}, a retrying operation behind the owner, is expected, in nanoseconds
   * from now: the rest of the owner's expected tenure, then one tenure per operation between them.
   * 0 when no owner has let go yet, or the owner is overdue and {@code op} is next.
   */
  long turnInNanos(Operation op) {
    if (tenureNanos == 0 || owner == null || owner == op) {
      return 0;
    }
    long ownerLeft = Math.max(0, ownerSinceNanos + tenureNanos - System.nanoTime());
    return ownerLeft + (long) (ahead(op) - 1) * tenureNanos;
  }

  private void refreshOwner(long headVersion) {
    Operation first = retrying.isEmpty() ? null : retrying.first();
    if (first != owner) {
      long now = System.nanoTime();
      if (owner != null) {
        long held = now - ownerSinceNanos;
        tenureNanos = tenureNanos == 0 ? held : (3 * tenureNanos + held) / 4;
      }
      owner = first;
      ownerSinceVersion = headVersion;
      ownerSinceNanos = now;
    }
  }
}
