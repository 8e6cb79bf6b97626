package dev.abstractions.server.memory;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's memory as a budget in bytes (DESIGN.md section 9), as etcd keeps a space quota: what
 * holds memory counts what it holds, per {@link Account}, and a write that would take the total
 * past the limit is refused before it is applied, while reads, deletes and subscriptions go on.
 *
 * <p>Before refusing, the budget asks the holders that can give memory back (a {@link Reliever}:
 * the event log drops its oldest events) to do so; so under pressure event retention shrinks
 * first, and writes are refused only when what is left is what they must keep (current versions,
 * their bounded history, live operations). Counts are estimates of heap bytes made by the holders,
 * conservative where memory is shared (a version held by the history and by an event counts
 * twice), so the budget errs towards refusing early, never towards running out.
 *
 * <p>Thread-safe and lock-free; concurrent admissions may overshoot the limit by the writes in
 * flight, which the headroom below the heap (the default limit is 70% of it) absorbs.
 */
public final class MemoryBudget {

  /** Who holds the bytes. */
  public enum Account {
    /** Stored versions: each lineage's latest version and bounded history. */
    VERSIONS,
    /** The event log: events and the versions they keep alive. */
    EVENTS,
    /** Operations in flight and ended ones still retained. */
    OPERATIONS,
    /** The idempotency ledger's remembered outcomes. */
    REQUESTS,
    /** Subscriptions: their filters and positions. */
    SUBSCRIPTIONS
  }

  /** A holder that can give memory back on demand. */
  @FunctionalInterface
  public interface Reliever {

    /** Frees about {@code bytes} (less if it cannot) and returns what it freed; must not block. */
    long relieve(long bytes);
  }

  private final long limit;
  private final Map<Account, AtomicLong> used = new EnumMap<>(Account.class);
  private final List<Reliever> relievers = new CopyOnWriteArrayList<>();

  public MemoryBudget(long limitBytes) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("a memory budget must be positive, was " + limitBytes);
    }
    this.limit = limitBytes;
    for (Account account : Account.values()) {
      used.put(account, new AtomicLong());
    }
  }

  /** A budget too large to reach, for components tested on their own. */
  public static MemoryBudget unlimited() {
    return new MemoryBudget(Long.MAX_VALUE);
  }

  public void add(Account account, long bytes) {
    used.get(account).addAndGet(bytes);
  }

  public void release(Account account, long bytes) {
    used.get(account).addAndGet(-bytes);
  }

  /** Registers a holder that gives memory back under pressure, asked in registration order. */
  public void relieveWith(Reliever reliever) {
    relievers.add(reliever);
  }

  /**
   * Whether {@code bytes} more fit the budget, after asking the relievers for what is missing.
   * Does not reserve them: the caller adds what it keeps as it keeps it. A reliever is asked again
   * while it gives memory back and some is still missing: writers admitted meanwhile may have
   * taken what it freed, and a write must not be refused while the event log could still give.
   */
  public boolean admits(long bytes) {
    long over = used() + bytes - limit;
    if (over <= 0) {
      return true;
    }
    for (Reliever reliever : relievers) {
      long freed;
      do {
        freed = reliever.relieve(over);
        over = used() + bytes - limit;
        if (over <= 0) {
          return true;
        }
      } while (freed > 0);
    }
    return false;
  }

  public long limit() {
    return limit;
  }

  public long used() {
    long total = 0;
    for (AtomicLong bytes : used.values()) {
      total += bytes.get();
    }
    return total;
  }

  public long used(Account account) {
    return used.get(account).get();
  }
}
