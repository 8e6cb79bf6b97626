package dev.abstractions.server.store;

import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.server.core.OpState;
import dev.abstractions.server.memory.MemoryBudget;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The latest state of every operation that is live or ended recently, by id and by target: a
 * projection of the decisions a backend applies, recorded inside the target's atomic step so it
 * is never behind the target's state. Ended operations are kept for a bounded count and age (on
 * the commands' ticks), then dropped, so finished work never accumulates.
 *
 * <p>Memory: each operation counts {@value #HEAP_BYTES} bytes in the {@link MemoryBudget} from its
 * begin until it is dropped.
 *
 * <p>Thread-safe: lookups and pages are lock-free; {@link #record} runs under the operation's
 * target's lock, and the short eviction queue has its own.
 */
public final class OperationRegistry {

  private record Ended(OpState op, long endedAtTick) {}

  /** Index key: creation order within a target. */
  public record Position(long createdAtNs, String id) implements Comparable<Position> {
    @Override
    public int compareTo(Position other) {
      int byTime = Long.compare(createdAtNs, other.createdAtNs);
      return byTime != 0 ? byTime : id.compareTo(other.id);
    }
  }

  /** One page of a target's operations; {@code last} is where the next page starts after. */
  public record Page(List<OperationEntity> operations, Position last, boolean hasMore) {}

  private final ConcurrentHashMap<String, OpState> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentSkipListMap<Position, OpState>> byTarget =
      new ConcurrentHashMap<>();
  /** Guarded by itself. */
  private final ArrayDeque<Ended> ended = new ArrayDeque<>();
  private final AtomicInteger endedCount = new AtomicInteger();
  private final int retainedEnded;
  private final long retentionNanos;
  private final MemoryBudget budget;

  public OperationRegistry(int retainedEnded, long retentionNanos, MemoryBudget budget) {
    this.retainedEnded = retainedEnded;
    this.retentionNanos = retentionNanos;
    this.budget = budget;
  }

  /**
   * The heap one retained operation takes, as the budget counts it: a deliberately high estimate
   * of its message graph (ids, timestamps, a short failure message) and its two index entries.
   * One figure for its whole life, so what is released is what was added.
   */
  public static final long HEAP_BYTES = 2048;

  public OpState get(String id) {
    return byId.get(id);
  }

  /** Records an operation's new state (a new one, a change, or its end) at {@code tick}. */
  void record(OpState op, long tick) {
    OpState previous = byId.put(op.id(), op);
    Position position = position(op);
    if (previous == null) {
      budget.add(MemoryBudget.Account.OPERATIONS, HEAP_BYTES);
      byTarget.computeIfAbsent(op.target(), target -> new ConcurrentSkipListMap<>()).put(position, op);
    } else {
      ConcurrentSkipListMap<Position, OpState> index = byTarget.get(op.target());
      if (index != null) {
        index.put(position, op);
      }
    }
    if (op.terminal() && (previous == null || !previous.terminal())) {
      synchronized (ended) {
        ended.add(new Ended(op, tick));
      }
      endedCount.incrementAndGet();
    }
    evict(tick);
  }

  /** Drops ended operations beyond the count or older than the retention age. */
  private void evict(long tick) {
    while (true) {
      Ended oldest;
      synchronized (ended) {
        oldest = ended.peek();
        if (oldest == null
            || (endedCount.get() <= retainedEnded && tick - oldest.endedAtTick < retentionNanos)) {
          return;
        }
        ended.poll();
      }
      endedCount.decrementAndGet();
      OpState op = oldest.op;
      byId.remove(op.id());
      budget.release(MemoryBudget.Account.OPERATIONS, HEAP_BYTES);
      byTarget.computeIfPresent(op.target(), (target, index) -> {
        index.remove(position(op));
        return index.isEmpty() ? null : index;
      });
    }
  }

  /**
   * Up to {@code limit} of a target's operations in creation order, after {@code after} (null:
   * from the first), with a status in {@code statuses} (empty: any).
   */
  /** Calls {@code visitor} with each retained ended operation and the tick it ended at, oldest first. */
  void forEachEnded(java.util.function.ObjLongConsumer<OpState> visitor) {
    List<Ended> snapshot;
    synchronized (ended) {
      snapshot = new ArrayList<>(ended);
    }
    for (Ended each : snapshot) {
      visitor.accept(each.op, each.endedAtTick);
    }
  }

  Page list(String target, Position after, Set<OperationStatus> statuses, int limit) {
    ConcurrentSkipListMap<Position, OpState> index = byTarget.get(target);
    List<OperationEntity> page = new ArrayList<>();
    if (index == null) {
      return new Page(page, null, false);
    }
    Position last = null;
    ConcurrentNavigableMap<Position, OpState> rest = after == null ? index : index.tailMap(after, false);
    for (Map.Entry<Position, OpState> entry : rest.entrySet()) {
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

  private static Position position(OpState op) {
    return new Position(op.createdAtNs(), op.id());
  }
}
