package dev.abstractions.server.store;

import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.server.core.Arbitration;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.Decision;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.EventRecord;
import dev.abstractions.server.core.OpState;
import dev.abstractions.server.core.Refusal;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.SharedSettings;
import dev.abstractions.server.core.TargetState;
import dev.abstractions.server.core.TreeView;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.memory.MemoryBudget;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded, in-memory {@link EntityStore}: nothing survives a restart, and a decision is
 * durable the moment it is applied, so {@link #apply} returns a completed future.
 *
 * <p>Lock-free reads; writes are atomic per target, a tree being one target. Each lineage is one
 * {@link Lineage} in a {@link ConcurrentHashMap}; applying a command holds the monitor of its
 * tree's root for the microseconds the decision takes, never across I/O, so trees never wait for
 * each other. Within that step the decision's versions go into their lineages' history rings, its operations into the registry, its
 * state is published (a volatile write), and then its events get the next sequences and go into
 * the log, so an event never precedes what it describes. The sequence counter is this store's
 * state, not the log's. Lineages are never removed once written (ids are never reused).
 *
 * <p>Memory: per lineage its state and a ring of at most {@code historyLimit} versions rounded up
 * to a power of two (each its encoded size plus {@link EntityVersion#OVERHEAD_BYTES}), counted in
 * the {@link MemoryBudget} as versions enter and leave the ring; ended operations up to the
 * registry's retention. History is the budget's second relief, after the event log: under
 * pressure lineages give up their oldest versions (never the latest), and reads of them answer
 * NOT_RETAINED with the oldest version still kept.
 */
public final class InMemoryEntityStore implements EntityStore {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(EntityVersion[].class);

  private final ConcurrentHashMap<String, Lineage> lineages = new ConcurrentHashMap<>();
  /** Live (not deleted) lineage ids per entity type, sorted for paging. */
  private final ConcurrentHashMap<String, ConcurrentSkipListSet<String>> liveIdsByType =
      new ConcurrentHashMap<>();
  /** Replaced only by a {@link Command.Settle}, which a durable store applies in its log's order. */
  private volatile Decider decider;
  /** Whether a Settle or a snapshot set the settings (else they are the flags this store was made with). */
  private volatile boolean settled;
  private final EventLog events;
  private final OperationRegistry operations;
  private final RequestTable requests;
  private final MemoryBudget budget;
  private final AtomicLong lastSequence = new AtomicLong();
  private final Set<String> targetsInFlight = ConcurrentHashMap.newKeySet();
  /** Bytes of versions that are in a ring but no longer a lineage's latest: what relief can free. */
  private final AtomicLong historyBytes = new AtomicLong();
  private final int historyLimit;
  /** Ring length that holds historyLimit versions: the smallest power of two at least that. */
  private final int ringCapacity;

  public InMemoryEntityStore(Decider decider, EventLog events, OperationRegistry operations, RequestTable requests,
      StoreSettings settings, MemoryBudget budget) {
    this.decider = decider;
    this.events = events;
    this.operations = operations;
    this.requests = requests;
    this.budget = budget;
    budget.relieveWith(this::trimHistory);
    this.historyLimit = settings.historyLimit();
    this.ringCapacity = Integer.highestOneBit(Math.max(1, historyLimit - 1)) << 1;
  }

  @Override
  public CompletableFuture<Decision> apply(Command command, RequestKey request) {
    return CompletableFuture.completedFuture(applyNow(command, request));
  }

  @Override
  public Decider decider() {
    return decider;
  }

  /** The settings this store applies commands with now. */
  public SharedSettings sharedSettings() {
    return new SharedSettings(decider.settings(), requests.retention(), requests.retentionNanos(), requests.maxBytes());
  }

  /** Applies every later command with {@code settings} (a snapshot's, or a {@link Command.Settle}'s). */
  void settle(SharedSettings settings) {
    decider = decider.with(settings.decision());
    requests.settle(settings.requestRetention(), settings.requestRetentionNanos(), settings.requestLedgerBytes());
    settled = true;
  }

  /** Whether the settings came from the state (a Settle applied, or a snapshot), not from this store's flags. */
  boolean settled() {
    return settled;
  }

  /**
   * Applies {@code command}, one of {@code request}'s commands ({@link RequestKey#NONE} for a call
   * without a request_id), on the caller's thread and returns its decision:
   * <ul>
   *   <li>a request already settled gets the reply recorded for it, and nothing changes;
   *   <li>an id recorded for a different request is refused (REQUEST_REUSED), and nothing changes;
   *   <li>a replayed Execute whose operation still retries makes that operation's next attempt
   *       instead of beginning another one;
   *   <li>otherwise the command is applied, and what its decision settled is recorded (not a "not
   *       now" refusal, a Begin told to wait, or an operation found no longer in flight: applied
   *       again, those decide alike).
   * </ul>
   * A request's commands are never applied concurrently: a durable store applies one command at a
   * time, and in memory the request ledger in front holds a replay until the first call is answered.
   */
  public Decision applyNow(Command command, RequestKey request) {
    if (request.none()) {
      return applyNow(command);
    }
    long tick = command.time().tickNanos();
    RequestTable.Entry recorded = requests.find(request.key(), tick);
    Command applied = command;
    if (recorded != null) {
      if (!recorded.key().fingerprint().equals(request.fingerprint())) {
        return unchanged(command, reused());
      }
      if (withdraws(command, recorded)) {
        Decision decision = applyNow(command);
        requests.forget(request.key());
        return decision;
      }
      if (recorded.reply() != null) {
        return unchanged(command, recorded.reply());
      }
      if (command instanceof Command.Execute execute) {
        applied = new Command.Attempt(execute.target(), recorded.runningOpId(), execute.function(), execute.args(),
            execute.memberId(),
            execute.ecsId(), execute.jitter(), execute.time());
      }
    }
    Decision decision = applyNow(applied);
    Reply reply = decision.reply();
    if (reply instanceof Reply.Attempted attempted && attempted.outcome() == CommitOutcome.OUTCOME_CONFLICT
        && (applied instanceof Command.Execute || applied instanceof Command.Attempt)) {
      requests.record(request, null, attempted.op().id(), tick);
    } else if (settles(reply)) {
      requests.record(request, reply, null, tick);
    }
    return decision;
  }

  @Override
  public Reply recorded(RequestKey request, long tick) {
    RequestTable.Entry recorded = request.none() ? null : requests.find(request.key(), tick);
    if (recorded == null) {
      return null;
    }
    return recorded.key().fingerprint().equals(request.fingerprint()) ? recorded.reply() : reused();
  }

  /** Whether a reply is what its request decided, to answer every replay with. */
  private static boolean settles(Reply reply) {
    if (reply instanceof Reply.Refused refused) {
      return !refused.refusal().notNow();
    }
    return reply instanceof Reply.Written || reply instanceof Reply.TreeWritten || reply instanceof Reply.Promoted
        || reply instanceof Reply.Attached || reply instanceof Reply.Started || reply instanceof Reply.Attempted || reply instanceof Reply.Cancelled;
  }

  /**
   * Whether {@code command} aborts the operation its request's Begin started: the server does that
   * when the Begin's caller left before the answer, and the request is then withdrawn, so that the
   * caller's retry begins anew instead of being handed the cancelled operation.
   */
  private static boolean withdraws(Command command, RequestTable.Entry recorded) {
    return command instanceof Command.Abort abort && recorded.reply() instanceof Reply.Started started
        && started.op().id().equals(abort.opId());
  }

  private static Reply reused() {
    return new Reply.Refused(Refusal.of(Refusal.Kind.REQUEST_REUSED, "", null));
  }

  /** A decision that changes nothing and answers {@code reply}. */
  private Decision unchanged(Command command, Reply reply) {
    return new Decision(state(command.target()), List.of(), List.of(), List.of(), reply, null, false, null, null);
  }

  /**
   * Applies {@code command} on the caller's thread and returns its decision. A command is decided
   * on the state of the tree its lineage is in (for a member created under a parent, the parent's
   * tree), under the tree root's monitor; a new root is published locked, so that no other command
   * runs before the one that creates it.
   */
  public Decision applyNow(Command command) {
    if (command instanceof Command.Attach attach) {
      return applyAttach(attach);
    }
    if (command instanceof Command.Settle settle) {
      settle(settle.settings());
      return unchanged(command, new Reply.Settled(settle.settings()));
    }
    String routedBy = command instanceof Command.Create create && !create.parentId().isEmpty()
        ? create.parentId()
        : command.target();
    while (true) {
      Lineage lineage = lineages.get(routedBy);
      if (lineage == null) {
        if (!(command instanceof Command.Create create) || !create.parentId().isEmpty()) {
          // Nothing exists to change: the decision refuses and changes nothing.
          return decider.decide(TargetState.ABSENT, command);
        }
        Lineage fresh = new Lineage(routedBy, null);
        synchronized (fresh) {
          if (lineages.putIfAbsent(routedBy, fresh) == null) {
            try {
              return applyLocked(fresh, command);
            } finally {
              if (fresh.state.head() == null) {
                lineages.remove(routedBy, fresh); // nothing was created: leave no trace
              }
            }
          }
        }
        continue; // another writer published the lineage first
      }
      Lineage root = lineage.root();
      synchronized (root) {
        if (lineage.root() == root && lineages.get(routedBy) == lineage
            && (root.state.head() != null || lineages.get(root.id) == root)) {
          return applyLocked(root, command);
        }
      }
      // We waited on a root whose creator wrote nothing and removed it, on a lineage reserved by a
      // tree write that then did not create it, or the lineage moved to another tree: look again.
    }
  }

  /**
   * Applies an attachment under the monitors of both trees' roots, taken in the order of their ids
   * (so that two attachments of the same trees cannot wait for each other), or of one when the
   * parent is in the attached tree. While either lineage does not exist the decision refuses on
   * what does, and changes nothing.
   */
  private Decision applyAttach(Command.Attach attach) {
    while (true) {
      Lineage attached = lineages.get(attach.target());
      Lineage parent = lineages.get(attach.parentId());
      if (attached == null || parent == null || attached.state.head() == null || parent.state.head() == null) {
        return decider.decideAttach(attached == null ? TargetState.ABSENT : attached.root().state,
            attached == null ? TreeView.alone(attach.target()) : new Members(attached.root()),
            parent == null ? TargetState.ABSENT : parent.root().state,
            parent == null ? TreeView.alone(attach.parentId()) : new Members(parent.root()), attach);
      }
      Lineage attachedRoot = attached.root();
      Lineage receivingRoot = parent.root();
      Lineage first = attachedRoot.id.compareTo(receivingRoot.id) <= 0 ? attachedRoot : receivingRoot;
      Lineage second = first == attachedRoot ? receivingRoot : attachedRoot;
      synchronized (first) {
        synchronized (second) {
          if (attached.root() == attachedRoot && parent.root() == receivingRoot) {
            Decision decision = decider.decideAttach(attachedRoot.state, new Members(attachedRoot),
                receivingRoot.state, new Members(receivingRoot), attach);
            return publish(receivingRoot, attach, decision);
          }
        }
      }
      // A tree moved while we waited for its root: look again.
    }
  }

  /** Applies {@code command} to the tree {@code root} heads; the caller holds its monitor. */
  private Decision applyLocked(Lineage root, Command command) {
    Members members = new Members(root);
    try {
      for (String id : createdIds(command)) {
        members.reserve(id);
      }
      return publish(root, command, decider.decide(root.state, members, command));
    } finally {
      members.releaseUnwritten();
    }
  }

  /**
   * Stores the versions {@code decision} wrote and publishes the new state of {@code root}, whose
   * monitor the caller holds (and an attached root's, for an attachment).
   */
  private Decision publish(Lineage root, Command command, Decision decision) {
    if (decision.reply() instanceof Reply.Attached) {
      attach(root, decision);
    }
    for (EntityVersion written : decision.written()) {
      String id = written.lineageId();
      Lineage lineage = id.equals(root.id) ? root : lineages.get(id);
      lineage.store(written);
      if (lineage != root) {
        if (written.version() == 1) {
          root.memberIds().add(id);
        }
        lineage.state = TargetState.member(written);
      }
      if (written.version() == 1) {
        liveIdsByType.computeIfAbsent(written.entityType(), type -> new ConcurrentSkipListSet<>()).add(id);
      } else if (written.deleted()) {
        liveIdsByType.get(written.entityType()).remove(id);
      }
    }
    if (decision.promoted() != null) {
      promote(root, decision);
    }
    long tick = command.time().tickNanos();
    for (OpState op : decision.changed()) {
      operations.record(op, tick);
    }
    if (decision.state().arbitration() != root.state.arbitration()) {
      followInFlight(root.id, decision.state().arbitration());
    }
    // Members first, then the root: a reader that sees the root's new tree version finds every
    // member it wrote.
    root.state = decision.state();
    long wallNanos = command.time().wallNanos();
    for (EventRecord event : decision.events()) {
      events.append(lastSequence.incrementAndGet(), wallNanos, event);
    }
    return decision;
  }

  /**
   * Makes {@code root} the root of the lineages an attachment moves into its tree (all it wrote but
   * the parent, first), before their new versions are stored: a reader of either tree then finds
   * the attached root a member already (NOT_A_ROOT), and a reader of this tree at its version before
   * finds the newcomers' versions of another tree (so not in it then). The attached root's member
   * ids stay as they were, for no read: it is a root no more, and were it promoted again its tree
   * would begin after them.
   */
  private void attach(Lineage root, Decision decision) {
    List<EntityVersion> written = decision.written();
    for (EntityVersion moved : written.subList(1, written.size())) {
      Lineage lineage = lineages.get(moved.lineageId());
      root.memberIds().add(lineage.id);
      lineage.treeRoot = root;
    }
    followInFlight(written.get(1).lineageId(), Arbitration.NONE);
  }

  /**
   * Makes the lineage a promotion made a root the root of the members that moved with it. They stay
   * among the old root's member ids, as former members: its tree read at an earlier tree version
   * still has them.
   */
  private void promote(Lineage oldRoot, Decision decision) {
    EntityVersion promotedHead = decision.promoted().head();
    Lineage newRoot = lineages.get(promotedHead.lineageId());
    for (EntityVersion written : decision.written()) {
      Lineage lineage = lineages.get(written.lineageId());
      if (lineage != newRoot && written.rootLineageId().equals(newRoot.id)) {
        newRoot.memberIds().add(lineage.id);
        lineage.treeRoot = newRoot;
      }
    }
    newRoot.state = decision.promoted();
    newRoot.treeRoot = null;
  }

  /** The members a command creates inside an existing tree (none, without allocating, for most). */
  private static List<String> createdIds(Command command) {
    if (command instanceof Command.Create create && !create.parentId().isEmpty()) {
      return List.of(create.target());
    }
    List<Command.MemberChange> changes = command instanceof Command.WriteTree write ? write.changes()
        : command instanceof Command.Commit commit ? commit.treeChanges()
        : List.of();
    if (changes.isEmpty()) {
      return List.of();
    }
    List<String> ids = new ArrayList<>(changes.size());
    for (Command.MemberChange change : changes) {
      if (change instanceof Command.MemberChange.Create) {
        ids.add(change.lineageId());
      }
    }
    return ids;
  }

  /**
   * A tree's members as this store holds them, lent to one decision under the root's monitor, with
   * the lineage ids the command creates reserved (so that no other tree creates them meanwhile).
   */
  private final class Members implements TreeView {

    private final Lineage root;
    private final List<Lineage> reserved = new ArrayList<>(0);
    /**
     * The live members by parent, built on the first {@link #liveChildren} call with one pass over
     * the tree (a promotion or attachment asks once per member it moves: a pass per call would be
     * quadratic in the tree's size). The heads do not change while the decision runs.
     */
    private Map<String, List<EntityVersion>> liveByParent;

    Members(Lineage root) {
      this.root = root;
    }

    /** Reserves {@code id} for this tree if no lineage has it; a taken id is left to the decision to refuse. */
    void reserve(String id) {
      Lineage fresh = new Lineage(id, root);
      if (lineages.putIfAbsent(id, fresh) == null) {
        reserved.add(fresh);
      }
    }

    void releaseUnwritten() {
      for (Lineage lineage : reserved) {
        if (lineage.state.head() == null) {
          lineages.remove(lineage.id, lineage);
        }
      }
    }

    @Override
    public String rootId() {
      return root.id;
    }

    @Override
    public EntityVersion member(String lineageId) {
      Lineage lineage = lineages.get(lineageId);
      return lineage == null || lineage == root || lineage.root() != root ? null : lineage.state.head();
    }

    @Override
    public String rootOf(String lineageId) {
      Lineage lineage = lineages.get(lineageId);
      if (lineage == null || reserved.contains(lineage)) {
        return null;
      }
      Lineage itsRoot = lineage.root();
      return itsRoot == null ? lineageId : itsRoot.id;
    }

    @Override
    public List<EntityVersion> liveChildren(String lineageId) {
      if (liveByParent == null) {
        liveByParent = new HashMap<>();
        if (root.memberIds != null) { // else a root alone
          for (String id : root.memberIds) {
            Lineage member = lineages.get(id);
            EntityVersion head = member.state.head();
            if (member.root() == root && head != null && !head.deleted()) {
              liveByParent.computeIfAbsent(head.parentLineageId(), parent -> new ArrayList<>()).add(head);
            }
          }
        }
      }
      return liveByParent.getOrDefault(lineageId, List.of());
    }
  }

  private static final CompletableFuture<Void> APPLIED = CompletableFuture.completedFuture(null);

  /** A write is applied before it is acknowledged: every read here sees it. */
  @Override
  public CompletableFuture<Void> readBarrier() {
    return APPLIED;
  }

  @Override
  public TargetState state(String lineageId) {
    Lineage lineage = lineages.get(lineageId);
    return lineage == null ? TargetState.ABSENT : lineage.state;
  }

  @Override
  public VersionRead read(String lineageId, long version) {
    Lineage lineage = lineages.get(lineageId);
    EntityVersion head = lineage == null ? null : lineage.state.head();
    if (head == null) {
      return VersionRead.NO_LINEAGE;
    }
    long oldest = lineage.oldestRetained(head.version());
    if (version == 0 || version == head.version()) {
      boolean deleted = version == 0 && head.deleted();
      return new VersionRead(deleted ? VersionRead.Kind.DELETED : VersionRead.Kind.FOUND, head, oldest);
    }
    if (version > head.version()) {
      return new VersionRead(VersionRead.Kind.NO_VERSION, head, oldest);
    }
    EntityVersion found = version >= oldest ? lineage.retained(version) : null;
    if (found != null) {
      return new VersionRead(VersionRead.Kind.FOUND, found, oldest);
    }
    EntityVersion latest = lineage.state.head(); // the slot was reused: report what is retained now
    return new VersionRead(VersionRead.Kind.NOT_RETAINED, latest, lineage.oldestRetained(latest.version()));
  }

  @Override
  public EntityPage list(String entityType, String afterLineageId, int limit) {
    ConcurrentSkipListSet<String> live = liveIdsByType.get(entityType);
    if (live == null) {
      return new EntityPage(List.of(), false);
    }
    List<EntityVersion> page = new ArrayList<>(Math.min(limit, 64));
    long bytes = 0;
    Iterator<String> ids = live.tailSet(afterLineageId, false).iterator();
    while (ids.hasNext() && page.size() < limit) {
      EntityVersion head = lineages.get(ids.next()).state.head();
      if (!head.deleted()) {
        if (!page.isEmpty() && bytes + head.encodedSize() > PAGE_BYTES) {
          return new EntityPage(page, true);
        }
        page.add(head);
        bytes += head.encodedSize();
      }
    }
    return new EntityPage(page, ids.hasNext());
  }

  @Override
  public Optional<HistoryPage> history(String lineageId, long fromVersion, int limit) {
    Lineage lineage = lineages.get(lineageId);
    EntityVersion head = lineage == null ? null : lineage.state.head();
    if (head == null) {
      return Optional.empty();
    }
    List<EntityVersion> versions = new ArrayList<>(Math.min(limit, 64));
    long bytes = 0;
    long version = Math.max(fromVersion, lineage.oldestRetained(head.version()));
    while (version <= head.version() && versions.size() < limit) {
      EntityVersion found = version == head.version() ? head : lineage.retained(version);
      if (found == null) {
        // Writers moved on and reused the slot: restart the page from what is retained now, so
        // a page never has a gap.
        versions.clear();
        bytes = 0;
        head = lineage.state.head();
        version = lineage.oldestRetained(head.version());
        continue;
      }
      if (!versions.isEmpty() && bytes + found.encodedSize() > PAGE_BYTES) {
        break;
      }
      versions.add(found);
      bytes += found.encodedSize();
      version++;
    }
    long next = version <= head.version() ? version : 0;
    return Optional.of(new HistoryPage(versions, next, lineage.oldestRetained(head.version())));
  }

  @Override
  public String rootOf(String lineageId) {
    Lineage lineage = lineages.get(lineageId);
    return lineage == null || lineage.state.head() == null ? null : lineage.root().id;
  }

  /** How often a read of the latest tree starts again when writers keep moving it past its history. */
  private static final int LATEST_TREE_ATTEMPTS = 8;

  @Override
  public TreeRead readTree(String rootId, long treeVersion, String afterLineageId, int limit) {
    Lineage root = lineages.get(rootId);
    if (root == null || root.state.head() == null) {
      return TreeRead.of(TreeRead.Kind.NO_LINEAGE, rootId, 0, 0);
    }
    if (root.root() != root) {
      return TreeRead.of(TreeRead.Kind.NOT_A_ROOT, root.root().id, 0, 0);
    }
    for (int attempt = 1; ; attempt++) {
      TargetState state = root.state;
      if (state.tree() == null) { // attached to another tree since we looked
        return TreeRead.of(TreeRead.Kind.NOT_A_ROOT, root.root().id, 0, 0);
      }
      long current = state.tree().version();
      if (treeVersion > current || (treeVersion != 0 && treeVersion < state.tree().since())) {
        return TreeRead.of(TreeRead.Kind.NO_VERSION, rootId, current, state.tree().since());
      }
      if (treeVersion == 0 && state.head().deleted()) {
        return TreeRead.of(TreeRead.Kind.DELETED, rootId, current, 0);
      }
      TreeRead read = readTreeAt(root, state.tree().since(), treeVersion == 0 ? current : treeVersion,
          treeVersion == 0 ? state.tree().stampNanos() : 0, afterLineageId, limit);
      if (read.kind() != TreeRead.Kind.NOT_RETAINED || treeVersion != 0 || attempt == LATEST_TREE_ATTEMPTS) {
        return read;
      }
    }
  }

  /** A page of the tree at {@code treeVersion}; {@code stampNanos} 0 when it must be looked up. */
  private TreeRead readTreeAt(Lineage root, long since, long treeVersion, long stampNanos, String afterLineageId,
      int limit) {
    long stamp = stampNanos;
    if (stamp == 0) {
      for (Iterator<String> ids = root.treeIds(""); ids.hasNext(); ) {
        AsOf then = lineages.get(ids.next()).asOf(treeVersion, root.id);
        if (!then.known()) {
          return TreeRead.of(TreeRead.Kind.NOT_RETAINED, root.id, treeVersion, oldestTreeVersion(root, since));
        }
        if (then.version() != null) {
          stamp = Math.max(stamp, then.version().lastModifiedNs());
        }
      }
    }
    List<EntityVersion> page = new ArrayList<>(Math.min(limit, 64));
    long bytes = 0;
    Iterator<String> ids = root.treeIds(afterLineageId);
    while (ids.hasNext() && page.size() < limit) {
      AsOf then = lineages.get(ids.next()).asOf(treeVersion, root.id);
      if (!then.known()) {
        return TreeRead.of(TreeRead.Kind.NOT_RETAINED, root.id, treeVersion, oldestTreeVersion(root, since));
      }
      EntityVersion member = then.version();
      if (member != null && !member.deleted()) {
        if (!page.isEmpty() && bytes + member.encodedSize() > PAGE_BYTES) {
          return new TreeRead(TreeRead.Kind.FOUND, root.id, treeVersion, stamp, page, true, 0);
        }
        page.add(member);
        bytes += member.encodedSize();
      }
    }
    return new TreeRead(TreeRead.Kind.FOUND, root.id, treeVersion, stamp, page, ids.hasNext(), 0);
  }

  /** The oldest tree version every member of the tree that began at {@code since} still knows its version at. */
  private long oldestTreeVersion(Lineage root, long since) {
    long oldest = since;
    for (Iterator<String> ids = root.treeIds(""); ids.hasNext(); ) {
      oldest = Math.max(oldest, lineages.get(ids.next()).oldestKnownTreeVersion());
    }
    return oldest;
  }

  /** Most member versions one page of tree history lists (always at least one tree version's). */
  static final int TREE_HISTORY_PAGE_ENTRIES = 10_000;

  @Override
  public Optional<TreeHistoryPage> treeHistory(String rootId, long fromTreeVersion, int limit) {
    Lineage root = lineages.get(rootId);
    TargetState state = root == null ? null : root.state;
    if (state == null || state.head() == null || state.tree() == null || root.root() != root) {
      return Optional.empty();
    }
    long current = state.tree().version();
    long oldest = oldestTreeVersion(root, state.tree().since());
    long from = Math.max(fromTreeVersion, oldest);
    long to = Math.min(current, from + limit - 1);
    java.util.TreeMap<Long, List<EntityVersion>> byTreeVersion = new java.util.TreeMap<>();
    for (Iterator<String> ids = root.treeIds(""); ids.hasNext(); ) {
      Lineage lineage = lineages.get(ids.next());
      EntityVersion version = lineage.state.head();
      while (version != null && version.treeVersion() >= from) {
        if (version.treeVersion() <= to && inTree(version, root.id)) {
          byTreeVersion.computeIfAbsent(version.treeVersion(), v -> new ArrayList<>()).add(version);
        }
        version = version.version() == 1 ? null : lineage.retained(version.version() - 1);
      }
    }
    List<TreeHistoryPage.TreeVersion> page = new ArrayList<>(byTreeVersion.size());
    int entries = 0;
    long next = 0;
    for (Map.Entry<Long, List<EntityVersion>> changed : byTreeVersion.entrySet()) {
      if (!page.isEmpty() && entries + changed.getValue().size() > TREE_HISTORY_PAGE_ENTRIES) {
        next = changed.getKey();
        break;
      }
      List<EntityVersion> written = changed.getValue();
      written.sort(java.util.Comparator.comparing(EntityVersion::lineageId));
      page.add(new TreeHistoryPage.TreeVersion(changed.getKey(), written.get(0).lastModifiedNs(), written));
      entries += written.size();
    }
    if (next == 0 && to < current) {
      next = to + 1;
    }
    return Optional.of(new TreeHistoryPage(page, next, oldest));
  }

  @Override
  public long lineageCount() {
    return lineages.size();
  }

  @Override
  public OpState operation(String opId) {
    return operations.get(opId);
  }

  @Override
  public OperationRegistry.Page operations(String target, OperationRegistry.Position after,
      Set<OperationStatus> statuses, int limit) {
    return operations.list(target, after, statuses, limit);
  }

  @Override
  public int liveOperations() {
    return operations.liveCount();
  }

  @Override
  public Set<String> targetsWithOperationsInFlight() {
    return Collections.unmodifiableSet(targetsInFlight);
  }

  /** Alone, it is where expiry starts. */
  @Override
  public boolean leads() {
    return true;
  }

  @Override
  public long lastSequence() {
    return lastSequence.get();
  }

  /** Holds nothing but memory. */
  @Override
  public void start() {}

  @Override
  public boolean serving() {
    return true;
  }

  @Override
  public void close() {}

  /**
   * What a snapshot keeps of one lineage: its retained versions, oldest first (the head last), its
   * arbitration and, for a root, the tree version its tree began at (0 for a member).
   */
  interface LineageVisitor {
    void visit(String lineageId, List<EntityVersion> retained, Arbitration arbitration, long treeSince);
  }

  /**
   * Calls {@code visitor} for every lineage. Consistent only while no command is applied (a
   * durable store snapshots between two log entries).
   */
  void forEachLineage(LineageVisitor visitor) {
    lineages.forEach((id, lineage) -> {
      TargetState state = lineage.state;
      EntityVersion head = state.head();
      if (head == null) {
        return;
      }
      List<EntityVersion> retained = new ArrayList<>();
      for (long version = lineage.oldestRetained(head.version()); version < head.version(); version++) {
        EntityVersion kept = lineage.retained(version);
        if (kept != null) {
          retained.add(kept);
        }
      }
      retained.add(head);
      visitor.visit(id, retained, state.arbitration(), state.tree() == null ? 0 : state.tree().since());
    });
  }

  /**
   * Puts back a lineage a snapshot recorded: its retained versions (oldest first, the head last)
   * and its arbitration, whose operations go back into the registry. Before the store serves;
   * {@link #restoreTrees} then links the members to their roots.
   */
  void restoreLineage(String lineageId, List<EntityVersion> retained, Arbitration arbitration, long treeSince,
      long tick) {
    Lineage lineage = new Lineage(lineageId, null);
    lineage.restoredSince = treeSince;
    lineage.trimmedBelow = retained.get(0).version();
    for (EntityVersion version : retained) {
      lineage.store(version);
      lineage.state = TargetState.member(version);
    }
    EntityVersion head = lineage.state.head();
    lineage.state = new TargetState(head, arbitration, null);
    lineages.put(lineageId, lineage);
    if (!head.deleted()) {
      liveIdsByType.computeIfAbsent(head.entityType(), type -> new ConcurrentSkipListSet<>()).add(lineageId);
    }
    for (OpState op : arbitration.inFlight()) {
      operations.record(op, tick);
    }
    followInFlight(lineageId, arbitration);
  }

  /**
   * Links every restored member to its root and gives every root its tree's counters, as the
   * writes that made them left them: the version and stamp of the latest change anywhere in the
   * tree, the live members and their bytes. A version written before trees existed names no root:
   * its lineage is a root alone, whose tree version is its version.
   */
  void restoreTrees() {
    Map<Lineage, List<Lineage>> trees = new HashMap<>();
    for (Lineage lineage : lineages.values()) {
      String rootId = lineage.state.head().rootLineageId();
      Lineage root = rootId.isEmpty() || rootId.equals(lineage.id) ? lineage : lineages.get(rootId);
      trees.computeIfAbsent(root, r -> new ArrayList<>()).add(lineage);
      if (root != lineage) {
        lineage.treeRoot = root;
        lineage.state = TargetState.member(lineage.state.head());
      }
      // Every tree it was in, as far as its history tells: a tree read at an earlier version has it.
      for (EntityVersion version : lineage.retainedVersions()) {
        Lineage wasIn = lineages.get(version.rootLineageId());
        if (wasIn != null && wasIn != lineage) {
          wasIn.memberIds().add(lineage.id);
        }
      }
    }
    trees.forEach((root, tree) -> {
      long version = 0;
      long stamp = 0;
      int live = 0;
      long bytes = 0;
      // Recorded by the snapshot; a snapshot from before trees has none, and its trees began at 1.
      long since = Math.max(1, root.restoredSince);
      for (Lineage lineage : tree) {
        EntityVersion head = lineage.state.head();
        version = Math.max(version, head.treeVersion() == 0 ? head.version() : head.treeVersion());
        stamp = Math.max(stamp, head.lastModifiedNs());
        if (!head.deleted()) {
          live++;
          bytes += head.encodedSize();
        }
      }
      TargetState state = root.state;
      root.state = new TargetState(state.head(), state.arbitration(),
          new TargetState.Tree(version, stamp, live, bytes, since));
    });
  }

  private void followInFlight(String target, Arbitration arbitration) {
    if (arbitration.inFlight().isEmpty()) {
      targetsInFlight.remove(target);
    } else {
      targetsInFlight.add(target);
    }
  }

  /** Puts back an ended operation a snapshot recorded, with the tick it ended at. */
  void restoreEnded(OpState op, long endedAtTick) {
    operations.record(op, endedAtTick);
  }

  void forEachEnded(java.util.function.ObjLongConsumer<OpState> visitor) {
    operations.forEachEnded(visitor);
  }

  /** The request ledger's entries, oldest first; consistent only while no command is applied. */
  List<RequestTable.Entry> recordedRequests() {
    return requests.entries();
  }

  /** Puts back a request ledger entry a snapshot recorded (oldest first). Before the store serves. */
  void restoreRequest(RequestKey request, Reply reply, String runningOpId, long tick) {
    requests.restore(request, reply, runningOpId, tick);
  }

  /** Sets the event sequence a snapshot recorded: the next event gets the one after it. */
  void restoreSequence(long sequence) {
    lastSequence.set(sequence);
  }

  /**
   * Gives back about {@code bytes} of history: lineages drop their oldest retained versions (never
   * the latest) until that much is freed or no history is left. Each under its tree root's monitor,
   * which its writers hold, one at a time; nothing to do (and no scan) while no history is held.
   */
  private long trimHistory(long bytes) {
    long freed = 0;
    for (Lineage lineage : lineages.values()) {
      if (freed >= bytes || historyBytes.get() <= 0) {
        return freed;
      }
      Lineage root = lineage.root();
      synchronized (root) {
        if (lineage.root() == root) { // else it just moved to another tree: leave it this time
          freed += lineage.trim(bytes - freed);
        }
      }
    }
    return freed;
  }

  /** Whether {@code version} was written in the tree rooted at {@code rootId} (before trees: its own). */
  private static boolean inTree(EntityVersion version, String rootId) {
    String root = version.rootLineageId();
    return root.equals(rootId) || (root.isEmpty() && version.lineageId().equals(rootId));
  }

  /** A lineage's version at some tree version: {@code version} null if it did not exist then. */
  private record AsOf(EntityVersion version, boolean known) {
    static final AsOf ABSENT = new AsOf(null, true);
    static final AsOf UNKNOWN = new AsOf(null, false);
  }

  /**
   * One lineage: its latest state and a bounded ring of recent versions, and for a root the ids of
   * its tree's members. Writers hold the monitor of its tree's root (its own for a root); readers
   * take no lock. A writer stores a version in the ring before it publishes the
   * state that names it as the head (a volatile write), so a reader that has seen a head can read
   * every retained version up to it. A ring slot read after it was reused for a newer version is
   * recognised by its version number and reported as no longer retained, which by then is true.
   */
  private final class Lineage {

    private final String id;
    /** The root of this lineage's tree; null when it is a root itself. */
    private volatile Lineage treeRoot;
    /** A root's members other than itself (deleted ones included), for tree reads; null until it has one. */
    private volatile ConcurrentSkipListSet<String> memberIds;
    private volatile TargetState state = TargetState.ABSENT;
    /** Length is a power of two, at least min(head version, historyLimit); null before version 1. */
    private volatile EntityVersion[] ring;
    /** Versions below this were given back to the memory budget; raised before their slots are cleared. */
    private volatile long trimmedBelow = 1;
    /** While a snapshot is restored: the tree version its tree began at, as recorded (0: not recorded). */
    private long restoredSince;

    Lineage(String id, Lineage treeRoot) {
      this.id = id;
      this.treeRoot = treeRoot;
    }

    Lineage root() {
      Lineage root = treeRoot;
      return root == null ? this : root;
    }

    /** A root's member ids, created under its monitor on first use. */
    ConcurrentSkipListSet<String> memberIds() {
      ConcurrentSkipListSet<String> ids = memberIds;
      if (ids == null) {
        ids = new ConcurrentSkipListSet<>();
        memberIds = ids;
      }
      return ids;
    }

    /** This root's lineage ids in order, itself included, after {@code afterLineageId}. */
    Iterator<String> treeIds(String afterLineageId) {
      ConcurrentSkipListSet<String> members = memberIds;
      Iterator<String> rest = members == null
          ? Collections.emptyIterator()
          : members.tailSet(afterLineageId, false).iterator();
      return new Iterator<>() {
        private boolean rootDue = id.compareTo(afterLineageId) > 0;
        private String next = rest.hasNext() ? rest.next() : null;

        @Override
        public boolean hasNext() {
          return rootDue || next != null;
        }

        @Override
        public String next() {
          if (rootDue && (next == null || id.compareTo(next) < 0)) {
            rootDue = false;
            return id;
          }
          String found = next;
          next = rest.hasNext() ? rest.next() : null;
          return found;
        }
      };
    }

    /**
     * This lineage's version as of {@code treeVersion}: the latest written at or before it, or
     * {@link AsOf#ABSENT} if it was created later; {@link AsOf#UNKNOWN} if that version is no
     * longer retained.
     */
    AsOf asOf(long treeVersion, String rootId) {
      EntityVersion version = state.head();
      while (version.treeVersion() > treeVersion) {
        if (version.version() == 1) {
          return AsOf.ABSENT;
        }
        EntityVersion previous = retained(version.version() - 1);
        if (previous == null) {
          return AsOf.UNKNOWN;
        }
        version = previous;
      }
      // A version of another tree: the lineage had left this one (or not yet joined it) by then.
      // Trees a lineage moves to number their versions on from where it left, so this is exact.
      return inTree(version, rootId) ? new AsOf(version, true) : AsOf.ABSENT;
    }

    /** Its retained versions, oldest first, the head last. */
    List<EntityVersion> retainedVersions() {
      EntityVersion head = state.head();
      List<EntityVersion> kept = new ArrayList<>();
      for (long version = oldestRetained(head.version()); version < head.version(); version++) {
        EntityVersion found = retained(version);
        if (found != null) {
          kept.add(found);
        }
      }
      kept.add(head);
      return kept;
    }

    /** The oldest tree version at which this lineage's version is still known; 1 if its history is whole. */
    long oldestKnownTreeVersion() {
      EntityVersion head = state.head();
      long oldest = oldestRetained(head.version());
      if (oldest <= 1) {
        return 1;
      }
      EntityVersion kept = retained(oldest);
      return kept == null ? head.treeVersion() : kept.treeVersion();
    }

    long oldestRetained(long headVersion) {
      return Math.max(trimmedBelow, Math.max(1, headVersion - historyLimit + 1));
    }

    /** Drops the oldest retained versions, never the latest, until {@code bytes} are freed; returns the bytes. */
    long trim(long bytes) {
      EntityVersion head = state.head();
      if (head == null) {
        return 0;
      }
      EntityVersion[] slots = ring;
      long freed = 0;
      for (long version = oldestRetained(head.version()); version < head.version() && freed < bytes; version++) {
        trimmedBelow = version + 1;
        int slot = (int) (version & (slots.length - 1));
        EntityVersion dropped = slots[slot];
        if (dropped != null && dropped.version() == version) {
          SLOT.setRelease(slots, slot, null);
          forget(dropped);
          freed += dropped.heapBytes();
        }
      }
      return freed;
    }

    EntityVersion retained(long version) {
      EntityVersion[] slots = ring;
      EntityVersion found = (EntityVersion) SLOT.getAcquire(slots, (int) (version & (slots.length - 1)));
      return found != null && found.version() == version ? found : null;
    }

    void store(EntityVersion next) {
      EntityVersion[] slots = ring;
      if (slots == null) {
        slots = new EntityVersion[Math.min(2, ringCapacity)];
        ring = slots;
      }
      long version = next.version();
      if (version > slots.length && slots.length < ringCapacity) {
        slots = grow(slots, version - 1);
      }
      int slot = (int) (version & (slots.length - 1));
      EntityVersion dropped = slots[slot];
      SLOT.setRelease(slots, slot, next);
      budget.add(MemoryBudget.Account.VERSIONS, next.heapBytes());
      EntityVersion previous = state.head();
      if (previous != null) {
        historyBytes.addAndGet(previous.heapBytes()); // no longer the latest: history now
      }
      if (dropped != null) {
        forget(dropped);
      }
    }

    /** A version, never the latest, left the ring. */
    private void forget(EntityVersion dropped) {
      historyBytes.addAndGet(-dropped.heapBytes());
      budget.release(MemoryBudget.Account.VERSIONS, dropped.heapBytes());
    }

    private EntityVersion[] grow(EntityVersion[] old, long headVersion) {
      EntityVersion[] grown = new EntityVersion[old.length * 2];
      for (long v = oldestRetained(headVersion); v <= headVersion; v++) {
        grown[(int) (v & (grown.length - 1))] = old[(int) (v & (old.length - 1))];
      }
      ring = grown; // the volatile write publishes the copied slots
      return grown;
    }
  }
}
