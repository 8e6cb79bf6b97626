package dev.abstractions.server.store;

import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.OpState;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.SharedSettings;
import dev.abstractions.server.memory.MemoryBudget;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The request ledger: for each request that named a {@code request_id}, its fingerprint and what
 * its commands decided, recorded by the step that applied them. It is part of the store's state:
 * every replica records the same entries in the same order, and snapshots hold them, so any
 * member answers a replay from it, before and after a restart.
 *
 * <p>Deterministic, as decisions depend on it: an entry carries the tick of the command that
 * recorded it, and a lookup at a command's tick treats an entry older than the retention age as
 * absent; entries leave oldest first once their weights pass the bound. So every member must apply
 * with the same retention, age and bound: a replicated store settles them for the group
 * ({@link #settle}, from {@link SharedSettings}), whatever each member's flags say.
 *
 * <p>Memory: at most {@code maxBytes} ({@value #MAX_BYTES} bytes or a tenth of the memory budget,
 * whichever is less; set aside in the {@link MemoryBudget} as REQUESTS for the server's life).
 * Each entry weighs what its reply holds (a version's bytes, an operation's), and at least
 * {@code maxBytes / --request-retention}, so it holds at most --request-retention entries. At the
 * bound the oldest entries are dropped; a replay of one runs again.
 *
 * <p>Thread-safe: each method holds the table's monitor for a few map operations (microseconds,
 * never across I/O).
 */
public final class RequestTable {

  /** The most the ledger holds, in bytes, however large the memory budget. */
  public static final long MAX_BYTES = 64L << 20;

  /**
   * One request's record: the key it came with, and either the reply that settled it or, for an
   * Execute whose operation still retries, that operation's id.
   */
  record Entry(RequestKey key, Reply reply, String runningOpId, long tick, long weight) {}

  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  private final MemoryBudget budget;
  private int retention;
  private long maxBytes;
  private long minWeight;
  private long retentionNanos;
  private long bytes;

  /**
   * A ledger that keeps at most {@code retention} requests (none if 0) for {@code retentionNanos}
   * of command ticks, in at most {@value #MAX_BYTES} bytes or a tenth of {@code budget}'s limit.
   */
  public RequestTable(int retention, long retentionNanos, MemoryBudget budget) {
    this.budget = budget;
    settle(retention, retentionNanos, retention == 0 ? 0 : Math.min(MAX_BYTES, budget.limit() / 10));
  }

  /**
   * From now on keeps at most {@code retention} requests for {@code retentionNanos} in at most
   * {@code maxBytes} (set aside in the memory budget instead of the bound before); drops the oldest
   * entries past the new bound at once.
   */
  synchronized void settle(int retention, long retentionNanos, long maxBytes) {
    budget.add(MemoryBudget.Account.REQUESTS, maxBytes - this.maxBytes);
    this.retention = retention;
    this.retentionNanos = retentionNanos;
    this.maxBytes = maxBytes;
    this.minWeight = retention == 0 ? 1 : Math.max(1, maxBytes / retention);
    Iterator<Entry> oldest = entries.values().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      bytes -= oldest.next().weight();
      oldest.remove();
    }
  }

  synchronized int retention() {
    return retention;
  }

  synchronized long retentionNanos() {
    return retentionNanos;
  }

  synchronized long maxBytes() {
    return maxBytes;
  }

  /** The entry under {@code key} as a command at {@code tick} sees it; null if none or too old. */
  synchronized Entry find(String key, long tick) {
    Entry entry = entries.get(key);
    return entry == null || tick - entry.tick() > retentionNanos ? null : entry;
  }

  /** Records that {@code request} was settled with {@code reply}, or still runs as {@code runningOpId}. */
  synchronized void record(RequestKey request, Reply reply, String runningOpId, long tick) {
    long weight = Math.max(minWeight, weight(request, reply));
    if (weight > maxBytes) {
      return; // could never be kept (or the ledger is off): like one dropped at once
    }
    Entry previous = entries.remove(request.key());
    if (previous != null) {
      bytes -= previous.weight();
    }
    // Re-inserted at the end: its retention counts from this command.
    entries.put(request.key(), new Entry(request, reply, runningOpId, tick, weight));
    bytes += weight;
    Iterator<Entry> oldest = entries.values().iterator();
    while (oldest.hasNext()) {
      Entry entry = oldest.next();
      if (bytes <= maxBytes && tick - entry.tick() <= retentionNanos) {
        break;
      }
      oldest.remove();
      bytes -= entry.weight();
    }
  }

  /** Drops the entry under {@code key}: the request is as if it never ran. */
  synchronized void forget(String key) {
    Entry entry = entries.remove(key);
    if (entry != null) {
      bytes -= entry.weight();
    }
  }

  /** The entries, oldest first (a snapshot's; they are immutable). */
  synchronized List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  /**
   * Appends an entry a snapshot recorded (they come oldest first), as it was: no eviction runs, so
   * the table is exactly what the member that wrote the snapshot held, and later evictions agree.
   */
  synchronized void restore(RequestKey request, Reply reply, String runningOpId, long tick) {
    long weight = Math.max(minWeight, weight(request, reply));
    entries.put(request.key(), new Entry(request, reply, runningOpId, tick, weight));
    bytes += weight;
  }

  /** What an entry holds on the heap, estimated from what its reply refers to. */
  private static long weight(RequestKey request, Reply reply) {
    long weight = 256 + 2L * (request.method().length() + request.id().length()) + request.fingerprint().size();
    if (reply instanceof Reply.Written written) {
      weight += written.version().heapBytes();
    } else if (reply instanceof Reply.Started started) {
      weight += weight(started.op()) + weight(started.snapshot());
    } else if (reply instanceof Reply.Attempted attempted) {
      weight += weight(attempted.op()) + weight(attempted.entity());
    } else if (reply instanceof Reply.Cancelled cancelled) {
      weight += weight(cancelled.op());
    } else if (reply instanceof Reply.Refused refused) {
      weight += weight(refused.refusal().current());
    }
    return weight;
  }

  private static long weight(OpState op) {
    return 3L * op.view().getSerializedSize();
  }

  private static long weight(EntityVersion version) {
    return version == null ? 0 : version.heapBytes();
  }
}
