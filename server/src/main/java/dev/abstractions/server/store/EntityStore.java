package dev.abstractions.server.store;

import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.Decision;
import dev.abstractions.server.core.OpState;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.TargetState;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where the state lives: a backend that applies {@link Command}s through the {@link Decider} and
 * keeps what the decisions produce (per target the latest {@link TargetState} with a bounded
 * history of versions, the operations, and the event sequence with the events in the log).
 *
 * <p>Contract shared by every backend:
 * <ul>
 *   <li>Commands on one target are applied one at a time, in the order the backend accepts them;
 *       commands on different targets never wait for each other (no global lock).
 *   <li>A decision's state, version, operations and events are applied together: no reader sees
 *       some without the others, and an event never precedes the version it describes.
 *   <li>{@link #apply} completes at the backend's durability point (at once in memory, after the
 *       log entry commits in a replicated backend); what it applied is visible to readers no
 *       earlier than that.
 *   <li>Reads never block writers and never see a partial write.
 * </ul>
 * Thread-safe.
 */
public interface EntityStore {

  /**
   * Applies {@code command}, one of {@code request}'s commands; the future completes with its
   * decision at the durability point. A request already settled is answered what it was answered
   * then, and nothing changes ({@link InMemoryEntityStore#applyNow(Command, RequestKey)}): the
   * request ledger is part of the state, kept like the rest of it.
   */
  CompletableFuture<Decision> apply(Command command, RequestKey request);

  /**
   * The decision function commands are applied with now: its settings are the group's, which a
   * {@link Command.Settle} may change, so a driver asks here rather than keeping one of its own.
   */
  Decider decider();

  /** Applies a command that belongs to no request with an id. */
  default CompletableFuture<Decision> apply(Command command) {
    return apply(command, RequestKey.NONE);
  }

  /**
   * The reply recorded for {@code request} in the state applied here, as of {@code tick}: what
   * settled it, a REQUEST_REUSED refusal if its id was recorded for a different request, or null
   * (not recorded here, or still running). A replay answered from it needs no command.
   */
  Reply recorded(RequestKey request, long tick);

  /**
   * Completes when this server has applied every write acknowledged anywhere before the call
   * (a replicated member waits until it applied a log entry committed after the call); a read made
   * after it is linearizable. Already complete where every acknowledged write was applied here
   * (memory, a single durable node). Fails with {@link StoreUnavailableException} without a leader.
   */
  CompletableFuture<Void> readBarrier();

  /** The latest applied state of a target ({@link TargetState#ABSENT} if it was never written). */
  TargetState state(String lineageId);

  /** Reads the latest version ({@code version == 0}) or the given version of a lineage. */
  VersionRead read(String lineageId, long version);

  /**
   * What one page of entities may hold, encoded: below gRPC's default 4 MiB message limit with room
   * for the page's other fields. A page that reaches it ends early (always with at least one
   * entity) and says there is more.
   */
  int PAGE_BYTES = 3 * 1024 * 1024;

  /**
   * Lists up to {@code limit} live entities of a type whose lineage id sorts after
   * {@code afterLineageId} (empty string: from the start), in lineage id order, at most
   * {@link #PAGE_BYTES} of them. Weakly consistent: an entity created or deleted during the call
   * may or may not appear.
   */
  EntityPage list(String entityType, String afterLineageId, int limit);

  /**
   * Lists up to {@code limit} retained versions from {@code fromVersion} on (raised to the
   * oldest retained version), oldest first, at most {@link #PAGE_BYTES} of them; empty if the
   * lineage does not exist.
   */
  Optional<HistoryPage> history(String lineageId, long fromVersion, int limit);

  /** The root of the tree {@code lineageId} is in (itself for a root); null if no such lineage exists. */
  String rootOf(String lineageId);

  /**
   * Reads up to {@code limit} live members of the tree rooted at {@code rootId}, in lineage id
   * order after {@code afterLineageId}, as they were at {@code treeVersion} (0: the latest), at most
   * {@link #PAGE_BYTES} of them. Consistent: every member at that one tree version, so a reader
   * never sees part of a write.
   */
  TreeRead readTree(String rootId, long treeVersion, String afterLineageId, int limit);

  /**
   * Lists up to {@code limit} retained tree versions from {@code fromTreeVersion} on (raised to the
   * oldest still readable), oldest first, each with the member versions it wrote; empty if
   * {@code rootId} is not a root.
   */
  Optional<TreeHistoryPage> treeHistory(String rootId, long fromTreeVersion, int limit);

  /** Number of lineages that exist (deleted ones included). */
  long lineageCount();

  /** An operation, live or ended and still retained; null if unknown. */
  OpState operation(String opId);

  /**
   * A page of a target's operations in creation order, after {@code after} (null: from the
   * first), with a status in {@code statuses} (empty: any).
   */
  OperationRegistry.Page operations(String target, OperationRegistry.Position after, Set<OperationStatus> statuses,
      int limit);

  /** Operations begun and not yet ended. */
  int liveOperations();

  /** The targets that have operations in flight, as applied here; a live, weakly consistent view. */
  Set<String> targetsWithOperationsInFlight();

  /**
   * Whether this server is where time-driven commands (expiry) should start: true in memory and
   * on a single node; in a replicated group, only on the leader.
   */
  boolean leads();

  /** The sequence of the last event the backend appended (0 before any). */
  long lastSequence();

  /**
   * Whether writes can be committed now: true in memory and on a single node; a replicated
   * member needs a leader (itself, ready, or another it hears from). Health follows it.
   */
  boolean serving();

  /** Opens the backend (a durable one replays what it holds); once, before the first command. */
  void start() throws java.io.IOException;

  /** Releases what the backend holds (its log, its threads); commands applied after it fail. */
  void close() throws java.io.IOException;
}
