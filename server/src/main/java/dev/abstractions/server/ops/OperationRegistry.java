package dev.abstractions.server.ops;

import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every operation that is live or ended recently, by id and by target. Ended operations are kept
 * for a bounded count and age, then dropped, so finished work never accumulates. Thread-safe;
 * lookups are lock-free.
 */
public final class OperationRegistry {

  private record Ended(Operation op, long endedAtNanos) {}

  /** Index key: creation order within a target. */
  public record Position(long createdAtNs, String id) implements Comparable<Position> {
    @Override
    public int compareTo(Position other) {
      int byTime = Long.compare(createdAtNs, other.createdAtNs);
      return byTime != 0 ? byTime : id.compareTo(other.id);
    }
  }

  private final ConcurrentHashMap<String, Operation> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentSkipListMap<Position, Operation>> byTarget =
      new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Ended> ended = new ConcurrentLinkedQueue<>();
  private final AtomicInteger endedCount = new AtomicInteger();
  private final int retainedEnded;
  private final long retentionNanos;

  OperationRegistry(int retainedEnded, long retentionNanos) {
    this.retainedEnded = retainedEnded;
    this.retentionNanos = retentionNanos;
  }

  Operation get(String id) {
    return byId.get(id);
  }

  void add(Operation op) {
    byId.put(op.id, op);
    byTarget.compute(op.target, (target, ops) -> {
      ConcurrentSkipListMap<Position, Operation> index = ops != null ? ops : new ConcurrentSkipListMap<>();
      index.put(position(op), op);
      return index;
    });
  }

  /** Records that {@code op} ended, and drops ended operations beyond the retention bounds. */
  void ended(Operation op, long nowNanos) {
    ended.add(new Ended(op, nowNanos));
    endedCount.incrementAndGet();
    evict(nowNanos);
  }

  /** Drops ended operations beyond the count or older than the retention age. */
  void evict(long nowNanos) {
    while (true) {
      Ended oldest = ended.peek();
      if (oldest == null
          || (endedCount.get() <= retainedEnded && nowNanos - oldest.endedAtNanos < retentionNanos)) {
        return;
      }
      if (ended.remove(oldest)) {
        endedCount.decrementAndGet();
        Operation op = oldest.op;
        byId.remove(op.id, op);
        byTarget.computeIfPresent(op.target, (target, index) -> {
          index.remove(position(op));
          return index.isEmpty() ? null : index;
        });
      }
    }
  }

  /** One page of a target's operations; {@code last} is where the next page starts after. */
  public record Page(List<OperationEntity> operations, Position last, boolean hasMore) {}

  /**
   * Up to {@code limit} of a target's operations in creation order, after {@code after} (null:
   * from the first), with a status in {@code statuses} (empty: any).
   */
  Page list(String target, Position after, Set<OperationStatus> statuses, int limit) {
    ConcurrentSkipListMap<Position, Operation> index = byTarget.get(target);
    List<OperationEntity> page = new ArrayList<>();
    if (index == null) {
      return new Page(page, null, false);
    }
    Position last = null;
    ConcurrentNavigableMap<Position, Operation> rest = after == null ? index : index.tailMap(after, false);
    for (Map.Entry<Position, Operation> entry : rest.entrySet()) {
      OperationEntity view = entry.getValue().view();
      if (statuses.isEmpty() || statuses.contains(view.getStatus())) {
        if (page.size() == limit) {
          return new Page(page, last, true);
        }
        page.add(view);
        last = entry.getKey();
      }
    }
    return new Page(page, last, false);
  }

  /** Operations not yet ended. */
  int liveCount() {
    return byId.size() - endedCount.get();
  }

  static Position position(Operation op) {
    return new Position(op.createdAtNs, op.id);
  }
}
