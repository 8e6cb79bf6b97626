package dev.abstractions.server.core;

import com.google.protobuf.Struct;
import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;
import dev.abstractions.server.ops.functions.FunctionFailedException;
import dev.abstractions.server.ops.functions.ServerFunction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The decision function: (one target's state, a command) → {@link Decision}. Every rule of
 * DESIGN.md section 5 lives here and nowhere else: the compare-and-set, turns, the gate, yielding
 * to higher priorities, retry charging, shedding, expiry, and the events that record each
 * decision in cause order. (Which waiting Begin is admitted next is the driver's part: the
 * decision only says whether a Begin must wait.)
 *
 * <p>Deterministic: it reads no clock (time comes in the command), draws no random number (the
 * command's {@code jitter}), touches no thread, future, registry or metric, and changes nothing it
 * is given. The same state and command always give the same decision, so a backend may apply it
 * under a lock, in a replicated log, or in a simulation. Thread-safe (stateless beyond its
 * settings); a server function it runs must be deterministic too (see {@link ServerFunction}).
 */
public final class Decider {

  /** Plain writes are anonymous operations of this priority. */
  public static final int PLAIN_WRITE_PRIORITY = 5;

  /** Structural changes (promotion, attachment) are anonymous operations of this priority by default. */
  public static final int STRUCTURAL_PRIORITY = 10;

  private final Map<String, ServerFunction> functions;
  private final int maxEntityBytes;
  private final int maxOperationsPerTarget;
  private final int maxOperationsPerActor;
  private final long gateLeaseNanos;
  private final TreeLimits treeLimits;

  /**
   * The settings decisions depend on. Every replica must decide with the same ones, so a
   * replicated store keeps them in its state and changes them by a command ({@link SharedSettings}).
   *
   * @param maxEntityBytes the most a server function's result may take serialized
   * @param maxOperationsPerTarget how many operations one target may have in flight
   * @param maxOperationsPerActor how many of a target's operation slots one actor may hold
   * @param gateLeaseNanos how long a gate owner may stay silent (no commit or keep-alive) before it
   *     is expired and the gate passes on
   * @param treeLimits how large a tree may grow
   */
  public record Settings(int maxEntityBytes, int maxOperationsPerTarget, int maxOperationsPerActor,
      long gateLeaseNanos, TreeLimits treeLimits) {}

  /** How large a tree may grow: live members (the root included) and their latest versions' encoded bytes. */
  public record TreeLimits(int maxMembers, long maxBytes) {

    /** No limit but memory's. */
    public static final TreeLimits NONE = new TreeLimits(Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  public Decider(Map<String, ServerFunction> functions, Settings settings) {
    this.functions = Map.copyOf(functions);
    this.maxEntityBytes = settings.maxEntityBytes();
    this.maxOperationsPerTarget = settings.maxOperationsPerTarget();
    this.maxOperationsPerActor = settings.maxOperationsPerActor();
    this.gateLeaseNanos = settings.gateLeaseNanos();
    this.treeLimits = settings.treeLimits();
  }

  public Settings settings() {
    // Rebuilt rather than kept: Lincheck (WriteLinearizabilityTest) walks the store's object graph
    // and cannot read a record's reference fields, which a kept Settings would put in it.
    return new Settings(maxEntityBytes, maxOperationsPerTarget, maxOperationsPerActor, gateLeaseNanos, treeLimits);
  }

  /** The same server functions, deciding with {@code settings}. */
  public Decider with(Settings settings) {
    return new Decider(functions, settings);
  }

  /**
   * What makes a Begin wait: the {@code holder}, and the tick at which its hold ends by time
   * alone ({@link Long#MAX_VALUE} when only a decision ends it: a gate owner holds until it
   * commits, ends or its lease expires).
   */
  public record Hold(OpState holder, long untilTick) {}

  /**
   * What makes a Begin of {@code priority} wait at {@code tick}: a gate owner of at least its
   * priority, or an operation that holds the target's turn; null if none. It may name an
   * operation that a decision at {@code tick} would find expired (it does not expire them), never
   * miss one the decision would wait for: a driver that issues a waiting Begin only when this is
   * null is never told to wait again.
   */
  public Hold holding(Arbitration arbitration, int priority, long tick) {
    if (arbitration.gateHeldAgainst(priority)) {
      return new Hold(arbitration.owner(), Long.MAX_VALUE);
    }
    OpState turnHolder = turnHolder(arbitration.inFlight(), tick);
    return turnHolder == null ? null : new Hold(turnHolder, turnEndTick(turnHolder));
  }

  /**
   * The operation that holds the target's turn: the first in gate order of those in flight that
   * acted (began, attempted, kept alive) within the last {@link RetryPolicy#TURN_NANOS}; null if
   * none does.
   */
  private OpState turnHolder(List<OpState> inFlight, long tick) {
    for (OpState op : inFlight) {
      if (turnEndTick(op) > tick) {
        return op;
      }
    }
    return null;
  }

  /**
   * The earliest tick at which an Expire would change {@code arbitration}: an operation in flight
   * reaching its deadline or the gate owner its lease's end; {@link Long#MAX_VALUE} if none can.
   */
  public long nextExpiryTick(Arbitration arbitration) {
    long next = Long.MAX_VALUE;
    for (OpState op : arbitration.inFlight()) {
      next = Math.min(next, op.deadlineTick());
    }
    OpState owner = arbitration.owner();
    return owner == null ? next : Math.min(next, owner.leaseUntilTick());
  }

  /** When {@code op}'s turn ends if it does not act again: a turn after its last act. */
  private long turnEndTick(OpState op) {
    return op.leaseUntilTick() - gateLeaseNanos + RetryPolicy.TURN_NANOS;
  }

  /**
   * Applies {@code command} to a target that is alone in its tree ({@link TargetState#ABSENT} for a
   * target never written).
   */
  public Decision decide(TargetState state, Command command) {
    return decide(state, TreeView.alone(command.target()), command);
  }

  /**
   * Applies {@code command} to the tree whose root's state is {@code rootState} and whose members
   * {@code members} shows. Operations act on the root only; writes of a member, and tree writes,
   * change the tree's version and are arbitrated on the root's gate.
   */
  public Decision decide(TargetState rootState, TreeView members, Command command) {
    Step step = new Step(rootState, members, command);
    Reply reply;
    if (command instanceof Command.Create create) {
      reply = step.create(create);
    } else if (command instanceof Command.Update update) {
      reply = step.plainWrite(update.expectedVersion(), update.data(), false, update.ecsId());
    } else if (command instanceof Command.Delete delete) {
      reply = step.plainWrite(delete.expectedVersion(), null, true, delete.ecsId());
    } else if (command instanceof Command.WriteTree writeTree) {
      reply = step.writeTree(writeTree);
    } else if (command instanceof Command.Promote promote) {
      reply = step.promote(promote);
    } else if (command instanceof Command.Attach) {
      throw new IllegalArgumentException("an attachment is decided on two trees: decideAttach");
    } else if (!step.targetsRoot()) {
      reply = step.notARoot();
    } else if (command instanceof Command.Begin begin) {
      reply = step.begin(begin);
    } else if (command instanceof Command.Commit commit) {
      reply = step.commit(commit);
    } else if (command instanceof Command.Execute execute) {
      reply = step.execute(execute);
    } else if (command instanceof Command.Attempt attempt) {
      reply = step.attempt(attempt);
    } else if (command instanceof Command.Abort abort) {
      reply = step.abort(abort);
    } else if (command instanceof Command.KeepAlive keepAlive) {
      reply = step.keepAlive(keepAlive);
    } else if (command instanceof Command.Expire) {
      reply = step.expire();
    } else {
      throw new IllegalArgumentException("unknown command " + command);
    }
    return step.decision(reply);
  }

  /**
   * Applies an attachment to the tree of its target (whose root's state is {@code attachedState},
   * its members {@code attachedMembers}) and the tree of its parent ({@code receivingState},
   * {@code receivingMembers}); the same tree twice when the parent is in the target's tree. The
   * decision is the receiving tree's: its state, and every version written in either tree. The
   * attached root's arbitration ends with it (its operations fail), so only the receiving root
   * keeps a state of its own.
   */
  public Decision decideAttach(TargetState attachedState, TreeView attachedMembers, TargetState receivingState,
      TreeView receivingMembers, Command.Attach attach) {
    Step receiving = new Step(receivingState, receivingMembers, attach);
    return receiving.decision(receiving.attach(attach, new Step(attachedState, attachedMembers, attach)));
  }

  /** The scratch state of one decision. Never escapes {@link #decide} or {@link #decideAttach}. */
  private final class Step {

    private final String target;
    private final long tick;
    private final long wallNanos;
    private final TargetState before;
    private final TreeView members;
    private final String rootId;
    /** The latest version of the root: the tree's identity, whose version operations snapshot. */
    private EntityVersion root;
    /** The latest version of the target (the root itself, or a member a plain write names). */
    private EntityVersion head;
    private TargetState.Tree tree;
    private Arbitration.Builder arbitration;
    private final List<EntityVersion> written = new ArrayList<>(1);
    private final List<EventRecord> events = new ArrayList<>(4);
    private final List<OpState> changed = new ArrayList<>(2);
    private Decision.Conflict conflict;
    private boolean gateWait;
    private PriorityClass writerClass;
    private TargetState promoted;

    Step(TargetState rootState, TreeView members, Command command) {
      this.target = command.target();
      this.tick = command.time().tickNanos();
      this.wallNanos = command.time().wallNanos();
      this.before = rootState;
      this.members = members;
      this.rootId = members.rootId();
      this.root = rootState.head();
      this.tree = rootState.tree();
      this.head = targetsRoot() ? root : members.member(target);
    }

    boolean targetsRoot() {
      return target.equals(rootId);
    }

    Decision decision(Reply reply) {
      TargetState after = written.isEmpty() && arbitration == null
          ? before
          : new TargetState(root, arbitration == null ? before.arbitration() : arbitration.build(), tree);
      return new Decision(after, List.copyOf(written), List.copyOf(events), List.copyOf(changed), reply, conflict,
          gateWait, writerClass, promoted);
    }

    /** The arbitration, copied for change on first use. */
    private Arbitration.Builder arbitration() {
      if (arbitration == null) {
        arbitration = before.arbitration().toBuilder();
      }
      return arbitration;
    }

    // ---- versions and the tree ----

    /** The tree version this step writes at: one more than before, however many members it writes. */
    private long nextTreeVersion() {
      return before.tree() == null ? 1 : before.tree().version() + 1;
    }

    /** This step's stamp: later than every stamp in the tree, even when the wall clock stepped back. */
    private long nextStamp() {
      return before.tree() == null ? wallNanos : Math.max(wallNanos, before.tree().stampNanos() + 1);
    }

    private EntityVersion firstVersion(String lineageId, String parentId, String ecsId, String entityType,
        StructBytes data, Provenance provenance) {
      EntityVersion created = EntityVersion.first(lineageId, parentId.isEmpty() ? lineageId : rootId, parentId, ecsId,
          entityType, data, provenance, nextTreeVersion(), nextStamp());
      wrote(null, created, parentId.isEmpty());
      return created;
    }

    private EntityVersion nextVersion(EntityVersion previous, String ecsId, StructBytes data, boolean tombstone,
        Provenance provenance) {
      EntityVersion next = previous.next(ecsId, data, tombstone, provenance, nextTreeVersion(), nextStamp());
      wrote(previous, next, previous == root);
      return next;
    }

    /** Counts a version this step wrote into the tree (the first one makes the tree's next version). */
    private void wrote(EntityVersion previous, EntityVersion next, boolean ofRoot) {
      written.add(next);
      if (ofRoot) {
        root = next;
      }
      int members = (tree == null ? 0 : tree.members()) + (previous == null ? 1 : 0) - (next.deleted() ? 1 : 0);
      long bytes = (tree == null ? 0 : tree.bytes()) - (previous == null ? 0 : previous.encodedSize())
          + (next.deleted() ? 0 : next.encodedSize());
      tree = new TargetState.Tree(next.treeVersion(), next.lastModifiedNs(), members, bytes,
          tree == null ? next.treeVersion() : tree.since());
    }

    // ---- plain writes ----

    Reply create(Command.Create create) {
      if (create.parentId().isEmpty()) {
        if (root != null) {
          return refused(Refusal.Kind.ALREADY_EXISTS);
        }
        head = firstVersion(target, "", create.ecsId(), create.entityType(), create.data(), Provenance.NONE);
        events.add(new EventRecord(plainEnvelope(), new EventRecord.EntityCreated(head)));
        return new Reply.Written(head);
      }
      EntityVersion parent = inTree(create.parentId());
      Refusal refusal = parent == null ? notInTree(create.parentId())
          : parent.deleted() ? Refusal.of(Refusal.Kind.DELETED, create.parentId(), parent)
          : members.rootOf(target) != null ? Refusal.of(Refusal.Kind.ALREADY_EXISTS, target, null)
          : gateRefusal(PLAIN_WRITE_PRIORITY, PriorityClass.NORMAL);
      if (refusal != null) {
        return new Reply.Refused(refusal);
      }
      head = firstVersion(target, create.parentId(), create.ecsId(), create.entityType(), create.data(),
          Provenance.NONE);
      Refusal limit = treeLimitRefusal();
      if (limit != null) {
        return refusedWrite(limit);
      }
      events.add(new EventRecord(plainEnvelope(), new EventRecord.EntityCreated(head)));
      return new Reply.Written(head);
    }

    Reply plainWrite(long expectedVersion, StructBytes data, boolean tombstone, String ecsId) {
      Refusal unwritable = unwritable();
      if (unwritable != null) {
        return new Reply.Refused(unwritable);
      }
      Refusal gate = gateRefusal(PLAIN_WRITE_PRIORITY, PriorityClass.NORMAL);
      if (gate != null) {
        return new Reply.Refused(gate);
      }
      if (head.version() != expectedVersion) {
        conflict = new Decision.Conflict(false, false);
        return refused(Refusal.Kind.VERSION_CONFLICT);
      }
      if (tombstone) {
        Refusal children = liveChildOf(target, Map.of());
        if (children != null) {
          return new Reply.Refused(children);
        }
      }
      EntityVersion previous = head;
      head = nextVersion(previous, ecsId, data, tombstone, Provenance.NONE);
      Refusal limit = tombstone ? null : treeLimitRefusal();
      if (limit != null) {
        return refusedWrite(limit);
      }
      recordWrite(previous, plainEnvelope());
      if (tombstone && targetsRoot() && arbitration != null) {
        String message = "target " + target + " was deleted at version " + head.version();
        for (OpState op : new ArrayList<>(arbitration.inFlight())) {
          end(op.failed(message, wallNanos));
          events.add(new EventRecord(envelope(op), new EventRecord.OperationFailed(message)));
        }
      }
      return new Reply.Written(head);
    }

    /**
     * Why an anonymous operation of {@code priority} (a plain write, NORMAL; a structural change,
     * STRUCTURAL by default) may not change the tree now: a gate owner of higher priority
     * (PREEMPTED) or of equal priority (GATE_HELD, retry after {@code cls}'s first backoff) holds
     * the root; null if none. Expires what is due first.
     */
    private Refusal gateRefusal(int priority, PriorityClass cls) {
      if (before.arbitration().isEmpty()) {
        return null;
      }
      expireDue();
      OpState owner = arbitration().owner();
      if (owner != null && owner.effectivePriority() > priority) {
        return new Refusal(Refusal.Kind.PREEMPTED, rootId, root, owner.id(), 0,
            OperationStatus.OPERATION_STATUS_UNSPECIFIED);
      }
      if (owner != null && owner.effectivePriority() == priority) {
        gateWait = true;
        return new Refusal(Refusal.Kind.GATE_HELD, rootId, root, owner.id(),
            RetryPolicy.retryAfterNanos(cls, 1, 0.5), OperationStatus.OPERATION_STATUS_UNSPECIFIED);
      }
      return null;
    }

    // ---- tree writes ----

    Reply writeTree(Command.WriteTree write) {
      if (!targetsRoot()) {
        return notARoot();
      }
      Refusal refusal = unwritable();
      if (refusal == null) {
        refusal = gateRefusal(PLAIN_WRITE_PRIORITY, PriorityClass.NORMAL);
      }
      if (refusal != null) {
        return new Reply.Refused(refusal);
      }
      Refusal stale = treeVersionRefusal(write.expectedTreeVersion());
      if (stale != null) {
        return new Reply.Refused(stale);
      }
      long oldTreeVersion = tree.version();
      List<EventRecord.MemberWrite> writes = new ArrayList<>(write.changes().size());
      Refusal refused = applyChanges(write.changes(), Provenance.NONE, writes);
      if (refused != null) {
        return refusedWrite(refused);
      }
      events.add(new EventRecord(plainEnvelope(), new EventRecord.TreeChanged(oldTreeVersion, tree.version(), writes)));
      return new Reply.TreeWritten(tree.version(), List.copyOf(written));
    }

    /**
     * Applies member changes in order, each seeing the ones before it, and collects what they wrote
     * into {@code writes}; returns why the tree cannot take them (the caller then keeps nothing), or
     * null.
     */
    private Refusal applyChanges(List<Command.MemberChange> changes, Provenance provenance,
        List<EventRecord.MemberWrite> writes) {
      // What this write changed so far, by member: later changes see earlier ones.
      Map<String, EntityVersion> pending = new LinkedHashMap<>();
      for (Command.MemberChange change : changes) {
        String id = change.lineageId();
        EntityVersion current = pending.containsKey(id) ? pending.get(id) : inTree(id);
        EntityVersion next;
        if (change instanceof Command.MemberChange.Create create) {
          if (current != null || members.rootOf(id) != null) {
            return Refusal.of(Refusal.Kind.ALREADY_EXISTS, id, current);
          }
          EntityVersion parent = pending.containsKey(create.parentId()) ? pending.get(create.parentId())
              : inTree(create.parentId());
          if (parent == null) {
            return notInTree(create.parentId());
          }
          if (parent.deleted()) {
            return Refusal.of(Refusal.Kind.DELETED, create.parentId(), parent);
          }
          next = firstVersion(id, create.parentId(), create.ecsId(), create.entityType(), create.data(), provenance);
        } else {
          if (current == null) {
            return notInTree(id);
          }
          if (current.deleted()) {
            return Refusal.of(Refusal.Kind.DELETED, id, current);
          }
          long expected = change instanceof Command.MemberChange.Update update ? update.expectedVersion()
              : ((Command.MemberChange.Delete) change).expectedVersion();
          if (expected != 0 && expected != current.version()) {
            conflict = new Decision.Conflict(false, false);
            return Refusal.of(Refusal.Kind.VERSION_CONFLICT, id, current);
          }
          next = change instanceof Command.MemberChange.Update update
              ? nextVersion(current, update.ecsId(), update.data(), false, provenance)
              : nextVersion(current, change.ecsId(), null, true, provenance);
        }
        pending.put(id, next);
        writes.add(new EventRecord.MemberWrite(change instanceof Command.MemberChange.Create ? null : current, next));
      }
      for (Map.Entry<String, EntityVersion> member : pending.entrySet()) {
        if (member.getValue().deleted()) {
          Refusal children = liveChildOf(member.getKey(), pending);
          if (children != null) {
            return children;
          }
        }
      }
      return treeLimitRefusal();
    }

    // ---- promotion ----

    Reply promote(Command.Promote promote) {
      Refusal refusal = unwritable();
      if (refusal == null && targetsRoot()) {
        refusal = Refusal.of(Refusal.Kind.ALREADY_A_ROOT, target, head);
      }
      if (refusal == null) {
        refusal = gateRefusal(promote.priority(), PriorityClass.STRUCTURAL);
      }
      if (refusal != null) {
        return new Reply.Refused(refusal);
      }
      Refusal stale = treeVersionRefusal(promote.expectedTreeVersion());
      if (stale != null) {
        return new Reply.Refused(stale);
      }
      // The member it was under changed: it lost a child. Written first, in the tree it stays in.
      EntityVersion parent = inTree(head.parentLineageId());
      EntityVersion parentAfter = nextVersion(parent, derivedEcsId(promote.ecsSeed(), parent.lineageId()),
          null, false, Provenance.NONE);
      List<EventRecord.MemberWrite> writes = new ArrayList<>();
      writes.add(new EventRecord.MemberWrite(parent, parentAfter));
      // The new root and every live member under it, breadth first, move to the new tree.
      long treeVersion = nextTreeVersion();
      long stamp = nextStamp();
      int moved = 0;
      long movedBytesBefore = 0;
      long movedBytesAfter = 0;
      List<EntityVersion> level = List.of(head);
      while (!level.isEmpty()) {
        List<EntityVersion> below = new ArrayList<>();
        for (EntityVersion member : level) {
          boolean newRoot = member == head;
          EntityVersion after = member.moved(derivedEcsId(promote.ecsSeed(), member.lineageId()), target,
              newRoot ? "" : member.parentLineageId(), treeVersion, stamp);
          written.add(after);
          writes.add(new EventRecord.MemberWrite(member, after));
          moved++;
          movedBytesBefore += member.encodedSize();
          movedBytesAfter += after.encodedSize();
          below.addAll(members.liveChildren(member.lineageId()));
        }
        level = below;
      }
      tree = new TargetState.Tree(tree.version(), tree.stampNanos(), tree.members() - moved,
          tree.bytes() - movedBytesBefore, tree.since());
      promoted = new TargetState(written.get(1), Arbitration.NONE,
          new TargetState.Tree(treeVersion, stamp, moved, movedBytesAfter, treeVersion));
      head = written.get(1);
      events.add(new EventRecord(envelope(promote.priority()), new EventRecord.TreePromoted(treeVersion, writes)));
      return new Reply.Promoted(rootId, treeVersion, List.copyOf(written));
    }

    // ---- attachment ----

    /**
     * Attaches the root {@code attached} decides on (another step, over the attached tree) under a
     * member of this step's tree. Every refusal leaves the attached tree as it was; a refusal here
     * still keeps what expired on this tree's root meanwhile, as for any write.
     */
    Reply attach(Command.Attach attach, Step attached) {
      Refusal refusal = attached.unwritable();
      if (refusal == null && !attached.targetsRoot()) {
        return attached.notARoot();
      }
      EntityVersion parent = inTree(attach.parentId());
      if (refusal == null && parent == null) {
        refusal = Refusal.of(Refusal.Kind.NO_LINEAGE, attach.parentId(), null);
      }
      if (refusal == null && rootId.equals(attached.rootId)) {
        refusal = Refusal.ofTree(Refusal.Kind.TREE_CYCLE, target, attached.head,
            new Refusal.TreeFacts(rootId, attach.parentId(), 0, 0, 0), null);
      }
      if (refusal == null && parent.deleted()) {
        refusal = Refusal.of(Refusal.Kind.DELETED, attach.parentId(), parent);
      }
      if (refusal == null) {
        refusal = gateRefusal(attach.priority(), PriorityClass.STRUCTURAL);
      }
      if (refusal == null) {
        refusal = attached.gateRefusal(attach.priority(), PriorityClass.STRUCTURAL);
        gateWait |= attached.gateWait;
      }
      if (refusal == null) {
        refusal = attached.treeVersionRefusal(attach.expectedTreeVersion());
        conflict = attached.conflict;
      }
      if (refusal == null) {
        refusal = treeVersionRefusal(attach.expectedParentTreeVersion());
      }
      if (refusal != null) {
        return new Reply.Refused(refusal);
      }
      // Past both trees' versions, so that every lineage's tree versions keep growing wherever it
      // moves: reads of a tree at an earlier version rely on it.
      long treeVersion = Math.max(tree.version(), attached.tree.version()) + 1;
      long stamp = Math.max(wallNanos, Math.max(tree.stampNanos(), attached.tree.stampNanos()) + 1);
      // The member it goes under changed: it gained a child.
      EntityVersion parentAfter = parent.next(derivedEcsId(attach.ecsSeed(), parent.lineageId()), null, false,
          Provenance.NONE, treeVersion, stamp);
      written.add(parentAfter);
      if (parent == root) {
        root = parentAfter;
      }
      List<EventRecord.MemberWrite> writes = new ArrayList<>();
      writes.add(new EventRecord.MemberWrite(parent, parentAfter));
      // The attached root and every live member of its tree, breadth first, join this tree.
      int moved = 0;
      long movedBytes = 0;
      List<EntityVersion> level = List.of(attached.head);
      while (!level.isEmpty()) {
        List<EntityVersion> below = new ArrayList<>();
        for (EntityVersion member : level) {
          EntityVersion after = member.moved(derivedEcsId(attach.ecsSeed(), member.lineageId()), rootId,
              member == attached.head ? parent.lineageId() : member.parentLineageId(), treeVersion, stamp);
          written.add(after);
          writes.add(new EventRecord.MemberWrite(member, after));
          moved++;
          movedBytes += after.encodedSize();
          below.addAll(attached.members.liveChildren(member.lineageId()));
        }
        level = below;
      }
      tree = new TargetState.Tree(treeVersion, stamp, tree.members() + moved,
          tree.bytes() - parent.encodedSize() + parentAfter.encodedSize() + movedBytes, tree.since());
      Refusal limit = treeLimitRefusal();
      if (limit != null) {
        return refusedWrite(limit);
      }
      head = written.get(1);
      events.add(new EventRecord(envelope(attach.priority()),
          new EventRecord.TreeAttached(before.tree().version(), attached.tree.version(), treeVersion, writes)));
      // In cause order: what expired on the attached root while this was decided, what expired on
      // this tree's, the attachment, then the attached root's operations, which end with its
      // arbitration (it is a root no more).
      events.addAll(0, attached.events);
      changed.addAll(0, attached.changed);
      String message = "target " + target + " was attached under " + parent.lineageId() + " in the tree of " + rootId
          + " at tree version " + treeVersion;
      for (OpState op : attached.arbitration().inFlight()) {
        changed.add(op.failed(message, wallNanos));
        events.add(new EventRecord(attached.envelope(op), new EventRecord.OperationFailed(message)));
      }
      return new Reply.Attached(rootId, treeVersion, List.copyOf(written));
    }

    /** TREE_VERSION_CONFLICT if this tree is not at {@code expected}; null if it is. */
    private Refusal treeVersionRefusal(long expected) {
      if (tree.version() == expected) {
        return null;
      }
      conflict = new Decision.Conflict(false, false);
      return Refusal.ofTree(Refusal.Kind.TREE_VERSION_CONFLICT, rootId, root,
          new Refusal.TreeFacts(rootId, "", tree.version(), tree.members(), treeLimits.maxMembers()), null);
    }

    /** The ecs_id of the version a structural change writes of {@code lineageId}: the same on every replica. */
    private String derivedEcsId(String ecsSeed, String lineageId) {
      return UUID.nameUUIDFromBytes((ecsSeed + "/" + lineageId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Refuses a write part-way: nothing it wrote so far is kept. */
    private Reply refusedWrite(Refusal refusal) {
      written.clear();
      root = before.head();
      tree = before.tree();
      head = targetsRoot() ? root : members.member(target);
      return new Reply.Refused(refusal);
    }

    /** The latest version of a lineage in this tree (the root or a member); null if it is not in it. */
    private EntityVersion inTree(String lineageId) {
      return lineageId.equals(rootId) ? root : members.member(lineageId);
    }

    /** Why {@code lineageId}, which is not in this tree, cannot be written here. */
    private Refusal notInTree(String lineageId) {
      String itsRoot = members.rootOf(lineageId);
      return itsRoot == null ? Refusal.of(Refusal.Kind.NO_LINEAGE, lineageId, null)
          : Refusal.ofTree(Refusal.Kind.NOT_IN_TREE, lineageId, null,
              new Refusal.TreeFacts(itsRoot, rootId, 0, 0, 0), null);
    }

    Reply notARoot() {
      return new Reply.Refused(Refusal.ofTree(Refusal.Kind.NOT_A_ROOT, target, head,
          new Refusal.TreeFacts(rootId, "", 0, 0, 0), null));
    }

    /**
     * A live child of {@code lineageId} that this step leaves live ({@code pending}: what it wrote,
     * by member); for the root, any live member. Null if none.
     */
    private Refusal liveChildOf(String lineageId, Map<String, EntityVersion> pending) {
      for (EntityVersion child : members.liveChildren(lineageId)) {
        EntityVersion now = pending.getOrDefault(child.lineageId(), child);
        if (!now.deleted()) {
          return Refusal.ofTree(Refusal.Kind.HAS_LIVE_CHILDREN, lineageId, null,
              new Refusal.TreeFacts(rootId, child.lineageId(), 0, 0, 0), null);
        }
      }
      for (EntityVersion created : pending.values()) {
        if (created.version() == 1 && !created.deleted() && created.parentLineageId().equals(lineageId)) {
          return Refusal.ofTree(Refusal.Kind.HAS_LIVE_CHILDREN, lineageId, null,
              new Refusal.TreeFacts(rootId, created.lineageId(), 0, 0, 0), null);
        }
      }
      return null;
    }

    /** Why what this step wrote takes the tree past its limits; null if it does not. */
    private Refusal treeLimitRefusal() {
      if (tree.members() <= treeLimits.maxMembers() && tree.bytes() <= treeLimits.maxBytes()) {
        return null;
      }
      return Refusal.ofTree(Refusal.Kind.TREE_LIMIT, rootId, null,
          new Refusal.TreeFacts(rootId, "", tree.version(), tree.members(), treeLimits.maxMembers()),
          new Refusal.Quota(tree.bytes(), treeLimits.maxBytes()));
    }

    // ---- operations ----

    Reply begin(Command.Begin begin) {
      Command.NewOperation spec = begin.operation();
      Refusal unwritable = unwritable();
      if (unwritable != null) {
        return new Reply.Refused(unwritable);
      }
      if (!before.arbitration().isEmpty()) {
        expireDue();
        OpState holder = arbitration().gateHeldAgainst(spec.effectivePriority()) ? arbitration().owner() : turnHolder();
        if (holder != null && tick < begin.waitUntilTick()) {
          if (arbitration().size() >= maxOperationsPerTarget) {
            return refused(Refusal.Kind.TOO_MANY_OPERATIONS);
          }
          return new Reply.MustWait(holder.id());
        }
        if (holder != null && RetryPolicy.effectiveClass(spec.priorityClass()) == PriorityClass.LOW) {
          return new Reply.Refused(new Refusal(Refusal.Kind.TARGET_BUSY, target, head, holder.id(),
              RetryPolicy.retryAfterNanos(PriorityClass.LOW, 1, 0.5), OperationStatus.OPERATION_STATUS_UNSPECIFIED));
        }
      }
      Refusal full = full(spec.owner());
      return full != null ? new Reply.Refused(full) : new Reply.Started(open(spec), head);
    }

    Reply execute(Command.Execute execute) {
      Refusal unwritable = unwritable();
      if (unwritable != null) {
        return new Reply.Refused(unwritable);
      }
      if (!before.arbitration().isEmpty()) {
        expireDue();
      }
      Refusal full = full(execute.operation().owner());
      if (full != null) {
        return new Reply.Refused(full);
      }
      return tryCommit(open(execute.operation()), functionOf(execute.function(), execute.args(), execute.memberId()),
          execute.ecsId(), execute.jitter());
    }

    Reply commit(Command.Commit commit) {
      OpState op = before.arbitration().find(commit.opId());
      if (op == null) {
        return new Reply.NotInFlight(commit.opId());
      }
      if (!commit.actor().mayActFor(op.owner())) {
        return notOwner(op);
      }
      NewData offered = commit.treeChanges().isEmpty()
          ? new NewData.Given(commit.data())
          : new NewData.Changes(commit.treeChanges());
      return tryCommit(op, offered, commit.ecsId(), commit.jitter());
    }

    Reply attempt(Command.Attempt attempt) {
      OpState op = before.arbitration().find(attempt.opId());
      if (op == null) {
        return new Reply.NotInFlight(attempt.opId());
      }
      return tryCommit(op, functionOf(attempt.function(), attempt.args(), attempt.memberId()), attempt.ecsId(),
          attempt.jitter());
    }

    Reply abort(Command.Abort abort) {
      OpState op = before.arbitration().find(abort.opId());
      if (op == null) {
        return new Reply.NotInFlight(abort.opId());
      }
      if (!abort.actor().mayActFor(op.owner())) {
        return notOwner(op);
      }
      OpState cancelled = op.cancelled(wallNanos);
      end(cancelled);
      events.add(new EventRecord(envelope(op), new EventRecord.OperationCancelled()));
      return new Reply.Cancelled(cancelled);
    }

    Reply keepAlive(Command.KeepAlive keepAlive) {
      OpState op = before.arbitration().find(keepAlive.opId());
      if (op == null) {
        return new Reply.NotInFlight(keepAlive.opId());
      }
      if (!keepAlive.actor().mayActFor(op.owner())) {
        return notOwner(op);
      }
      OpState renewed = update(op.leasedUntil(tick + gateLeaseNanos));
      expireDue();
      return new Reply.KeptAlive(renewed);
    }

    Reply expire() {
      if (!before.arbitration().isEmpty()) {
        expireDue();
      }
      return new Reply.Expired();
    }

    /**
     * Why the target cannot take another operation of {@code actor}: it has as many as allowed, or
     * the actor already holds its share of them; null if it can.
     */
    private Refusal full(Actor actor) {
      if (arbitration().size() >= maxOperationsPerTarget) {
        return Refusal.of(Refusal.Kind.TOO_MANY_OPERATIONS, target, head);
      }
      int held = 0;
      for (OpState op : arbitration().inFlight()) {
        if (op.owner().id().equals(actor.id())) {
          held++;
        }
      }
      return held >= maxOperationsPerActor ? Refusal.of(Refusal.Kind.CLIENT_SHARE, target, head) : null;
    }

    /** Puts a new operation in flight on the writable target (and OperationStarted in the log). */
    private OpState open(Command.NewOperation spec) {
      OperationEntity begun = OperationEntity.newBuilder()
          .setOpId(spec.opId())
          .setOpType(spec.opType())
          .setPriorityClass(RetryPolicy.effectiveClass(spec.priorityClass()))
          .setPriority(spec.priority())
          .setEffectivePriority(spec.effectivePriority())
          .setTargetLineageId(target)
          .setMaxRetries(spec.maxRetries())
          .setParentOpId(spec.parentOpId())
          .setStatus(OperationStatus.PENDING)
          .setCreatedAtNs(spec.createdAtNs())
          .setStartedAt(Timestamps.fromNanos(wallNanos))
          .setDeadline(Timestamps.fromNanos(wallNanos + spec.ttlNanos()))
          .setSnapshotVersion(tree.version())
          .build();
      OpState op = new OpState(begun, spec.depth(), tick + spec.ttlNanos(), tick + gateLeaseNanos, spec.owner());
      arbitration().put(op, tree.version(), tick);
      changed.add(op);
      events.add(new EventRecord(envelope(op), new EventRecord.OperationStarted(begun)));
      return op;
    }

    /** One commit attempt of an in-flight operation (DESIGN.md section 5, rules 1-4). */
    private Reply tryCommit(OpState op, NewData newData, String ecsId, double jitter) {
      writerClass = op.priorityClass();
      if (op.deadlineTick() > tick) {
        // Its client is alive: it just acted. Not yet a change to report: every way this attempt
        // ends records the operation again (conflict, rejection, success, failure).
        op = op.leasedUntil(tick + gateLeaseNanos);
        arbitration().put(op, tree.version(), tick);
      }
      expireDue();
      OpState live = arbitration().find(op.id());
      if (live == null) {
        return rejected(lastChange(op.id())); // it expired in this very step
      }
      op = live;
      OpState owner = arbitration.owner();
      if (owner != null && !owner.id().equals(op.id()) && op.effectivePriority() <= owner.effectivePriority()) {
        // Equal and lower priorities wait behind the owner, uncharged, with a fresh snapshot: a
        // lower one yields rather than being rejected. An equal one that is older takes the gate.
        gateWait = true;
        long snapshot = op.snapshotVersion();
        op = update(op.retryingAt(tree.version(), false));
        long retryAfter = isOwner(op)
            ? 0
            : RetryPolicy.gateWaitNanos(op.priorityClass(), arbitration.ahead(op), arbitration.turnInNanos(op, tick),
                jitter);
        recordConflict(op, snapshot, owner.id(), false);
        recordRetry(op, retryAfter);
        return conflicted(op, retryAfter, false);
      }

      if (newData.computedOnLatest()) {
        op = update(op.snapshotAt(tree.version()));
      }
      if (op.snapshotVersion() == tree.version()) {
        return write(op, newData, ecsId);
      }

      long snapshot = op.snapshotVersion();
      if (isOwner(op) && snapshot < arbitration.ownerSinceVersion()) {
        // The owner's snapshot predates its ownership: a fresh one, uncharged, retry at once.
        op = update(op.retryingAt(tree.version(), false));
        conflict = new Decision.Conflict(true, false);
        recordConflict(op, snapshot, lastWriter(), false);
        recordRetry(op, 0);
        return conflicted(op, 0, false);
      }
      conflict = new Decision.Conflict(true, true);
      if (op.retryCount() >= op.maxRetries()) {
        // The budget is spent: this conflict is charged by ending the operation, never beyond it.
        OpState exhausted = reject(op, RejectionReason.RETRIES_EXHAUSTED, "");
        return new Reply.Attempted(CommitOutcome.OUTCOME_REJECTED, exhausted, null, 0, true);
      }
      op = update(op.retryingAt(tree.version(), true));
      // Events in cause order: the conflict, then when to retry.
      recordConflict(op, snapshot, lastWriter(), true);
      long retryAfter = isOwner(op) ? 0 : RetryPolicy.retryAfterNanos(op.priorityClass(), op.retryCount(), jitter);
      recordRetry(op, retryAfter);
      return conflicted(op, retryAfter, true);
    }

    /** Writes the operation's data on the head it holds as its snapshot, or fails it. */
    private Reply write(OpState op, NewData newData, String ecsId) {
      if (newData instanceof NewData.Changes changes) {
        return writeChanges(op, changes.changes());
      }
      // What it writes a new version of: the target, or the member of its tree a function runs on.
      EntityVersion base = head;
      if (newData instanceof NewData.Computed computed && !computed.memberId().isEmpty()) {
        base = inTree(computed.memberId());
        if (base == null || base.deleted()) {
          return failed(op, "member " + computed.memberId() + (base == null ? " is not in the tree of " + rootId
              : " was deleted at version " + base.version()));
        }
      }
      StructBytes data = null;
      String failure;
      try {
        if (newData instanceof NewData.Computed computed) {
          Struct result = computed.function().apply(base.data(), computed.args());
          data = result == null ? null : StructBytes.of(result);
        } else {
          data = ((NewData.Given) newData).data();
        }
        if (data == null) {
          failure = "the function returned no data";
        } else {
          List<DataRules.Violation> broken = DataRules.check(data, "result", maxEntityBytes);
          failure = broken.isEmpty() ? null : broken.get(0).path() + " " + broken.get(0).description();
        }
      } catch (FunctionFailedException e) {
        failure = e.getMessage();
      } catch (RuntimeException e) {
        // A broken function fails its operation, deterministically, instead of leaving it open.
        failure = "the function failed: " + e;
      }
      if (failure != null) {
        return failed(op, failure);
      }
      EntityVersion next = nextVersion(base, ecsId, data, false, new Provenance(op.id(), newData.functionName()));
      if (base == head) {
        head = next;
      }
      OpState succeeded = op.succeeded(next.version(), tree.version(), wallNanos);
      end(succeeded);
      events.add(new EventRecord(new EventRecord.Envelope(op.effectivePriority(), next.lineageId(), next.entityType(),
          op.id(), op.parentId(), rootId), new EventRecord.EntityVersioned(base, next)));
      events.add(new EventRecord(envelope(op), new EventRecord.OperationSucceeded(next.version(), next.ecsId())));
      return new Reply.Attempted(CommitOutcome.OUTCOME_COMMITTED, succeeded, next, 0, false);
    }

    /** Writes an operation's tree changes on the tree version it holds as its snapshot, or fails it. */
    private Reply writeChanges(OpState op, List<Command.MemberChange> changes) {
      long oldTreeVersion = tree.version();
      List<EventRecord.MemberWrite> writes = new ArrayList<>(changes.size());
      Refusal refusal = applyChanges(changes, new Provenance(op.id(), ""), writes);
      if (refusal != null) {
        refusedWrite(refusal);
        return failed(op, "the tree cannot take the changes: " + refusal.kind() + " "
            + (refusal.tree() != null && !refusal.tree().relatedLineageId().isEmpty()
                ? refusal.lineageId() + " (" + refusal.tree().relatedLineageId() + ")"
                : refusal.lineageId()));
      }
      head = root;
      OpState succeeded = op.succeeded(root.version(), tree.version(), wallNanos);
      end(succeeded);
      events.add(new EventRecord(envelope(op), new EventRecord.TreeChanged(oldTreeVersion, tree.version(), writes)));
      events.add(new EventRecord(envelope(op), new EventRecord.OperationSucceeded(root.version(), root.ecsId())));
      return new Reply.Attempted(CommitOutcome.OUTCOME_COMMITTED, succeeded, root, 0, false, List.copyOf(written));
    }

    private Reply failed(OpState op, String failure) {
      OpState failed = op.failed(failure, wallNanos);
      end(failed);
      events.add(new EventRecord(envelope(op), new EventRecord.OperationFailed(failure)));
      return new Reply.Attempted(CommitOutcome.OUTCOME_FAILED, failed, null, 0, false);
    }

    /**
     * The operation that made the tree's latest version, when it wrote the root ("" for a plain
     * write, and when a member change made it: the root's versions do not say who that was).
     */
    private String lastWriter() {
      return root.treeVersion() == tree.version() ? root.derivedFromOpId() : "";
    }

    /** The operation holding the target's turn, or null. */
    private OpState turnHolder() {
      return Decider.this.turnHolder(arbitration().inFlight(), tick);
    }

    private boolean isOwner(OpState op) {
      return arbitration.owner() != null && arbitration.owner().id().equals(op.id());
    }

    /**
     * Rejects (EXPIRED) the operations past their deadline, then gate owners past their lease: a
     * client that went silent while owning the gate holds no one up for longer than the lease.
     */
    private void expireDue() {
      for (OpState op : arbitration().expired(tick)) {
        reject(op, RejectionReason.EXPIRED, "");
      }
      OpState owner = arbitration().owner();
      while (owner != null && owner.leaseUntilTick() <= tick) {
        reject(owner, RejectionReason.EXPIRED, "");
        owner = arbitration().owner();
      }
    }

    private OpState reject(OpState op, RejectionReason reason, String preemptedBy) {
      OpState rejected = op.rejected(reason, preemptedBy, wallNanos);
      end(rejected);
      events.add(new EventRecord(envelope(op),
          new EventRecord.OperationRejected(reason, preemptedBy)));
      return rejected;
    }

    /** Records a change of a live operation's state. */
    private OpState update(OpState op) {
      arbitration().put(op, tree.version(), tick);
      changed.add(op);
      return op;
    }

    /** Takes an operation that just reached a terminal state out of arbitration. */
    private void end(OpState op) {
      arbitration().remove(op, tree.version(), tick);
      changed.add(op);
    }

    /** The latest state of an operation this step changed. */
    private OpState lastChange(String opId) {
      for (int i = changed.size() - 1; i >= 0; i--) {
        if (changed.get(i).id().equals(opId)) {
          return changed.get(i);
        }
      }
      throw new IllegalStateException("operation " + opId + " was not changed in this step");
    }

    private Reply rejected(OpState op) {
      return new Reply.Attempted(CommitOutcome.OUTCOME_REJECTED, op, null, 0, false);
    }

    private Reply conflicted(OpState op, long retryAfterNanos, boolean charged) {
      return new Reply.Attempted(CommitOutcome.OUTCOME_CONFLICT, op, head, retryAfterNanos, charged);
    }

    private Reply notOwner(OpState op) {
      return new Reply.Refused(new Refusal(Refusal.Kind.NOT_OWNER, target, head, op.id(), 0, op.status()));
    }

    private Reply refused(Refusal.Kind kind) {
      return new Reply.Refused(Refusal.of(kind, target, head));
    }

    private Refusal unwritable() {
      if (head == null) {
        return Refusal.of(Refusal.Kind.NO_LINEAGE, target, null);
      }
      if (head.deleted()) {
        return Refusal.of(Refusal.Kind.DELETED, target, head);
      }
      return null;
    }

    // ---- events ----

    private void recordWrite(EntityVersion previous, EventRecord.Envelope envelope) {
      events.add(new EventRecord(envelope, head.deleted()
          ? new EventRecord.EntityDeleted(head.version())
          : new EventRecord.EntityVersioned(previous, head)));
    }

    private void recordConflict(OpState op, long snapshotVersion, String winner, boolean charged) {
      events.add(new EventRecord(envelope(op),
          new EventRecord.OperationConflict(snapshotVersion, tree.version(), winner, charged)));
    }

    private void recordRetry(OpState op, long retryAfterNanos) {
      events.add(new EventRecord(envelope(op),
          new EventRecord.OperationRetry(op.retryCount(), op.maxRetries(), retryAfterNanos)));
    }

    private EventRecord.Envelope envelope(OpState op) {
      return new EventRecord.Envelope(op.effectivePriority(), target, head.entityType(), op.id(), op.parentId(),
          rootId);
    }

    private EventRecord.Envelope plainEnvelope() {
      return envelope(PLAIN_WRITE_PRIORITY);
    }

    /** The envelope of an anonymous operation of {@code priority} on the target. */
    private EventRecord.Envelope envelope(int priority) {
      return new EventRecord.Envelope(priority, target, head.entityType(), "", "", rootId);
    }

    private NewData functionOf(String name, Struct args, String memberId) {
      ServerFunction function = functions.get(name);
      if (function == null) {
        throw new IllegalArgumentException("no server function " + name);
      }
      return new NewData.Computed(function, args, memberId);
    }
  }

  /**
   * How an attempt gets what it writes: data given by the client, data a server function computes
   * from the latest version, or changes to members of the tree given by the client.
   */
  private sealed interface NewData {

    /** The server function's name for provenance, or "" for what the client computed. */
    default String functionName() {
      return this instanceof Computed computed ? computed.function().name() : "";
    }

    /** Whether the attempt takes the latest version as its snapshot (server functions do). */
    default boolean computedOnLatest() {
      return this instanceof Computed;
    }

    record Given(StructBytes data) implements NewData {}

    /** A function's result, computed from the target's latest data or from its member {@code memberId}'s. */
    record Computed(ServerFunction function, Struct args, String memberId) implements NewData {}

    record Changes(List<Command.MemberChange> changes) implements NewData {}
  }
}
