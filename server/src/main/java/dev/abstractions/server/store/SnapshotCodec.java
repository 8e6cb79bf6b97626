package dev.abstractions.server.store;

import com.google.protobuf.ByteString;
import dev.abstractions.server.core.Arbitration;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.EventRecord;
import dev.abstractions.server.core.OpState;
import dev.abstractions.server.core.Refusal;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.SharedSettings;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.events.EventsLostException;
import dev.abstractions.server.events.LoggedEvent;
import dev.abstractions.server.store.format.AttachedReply;
import dev.abstractions.server.store.format.AttemptedReply;
import dev.abstractions.server.store.format.ConflictBody;
import dev.abstractions.server.store.format.LineageState;
import dev.abstractions.server.store.format.OperationState;
import dev.abstractions.server.store.format.PromotedReply;
import dev.abstractions.server.store.format.Quota;
import dev.abstractions.server.store.format.RecordedRequest;
import dev.abstractions.server.store.format.RefusalState;
import dev.abstractions.server.store.format.RejectedBody;
import dev.abstractions.server.store.format.RetryBody;
import dev.abstractions.server.store.format.SnapshotHeader;
import dev.abstractions.server.store.format.SnapshotRecord;
import dev.abstractions.server.store.format.StartedReply;
import dev.abstractions.server.store.format.SucceededBody;
import dev.abstractions.server.store.format.TreeChangedBody;
import dev.abstractions.server.store.format.TreeFacts;
import dev.abstractions.server.store.format.TreeWrittenReply;
import dev.abstractions.server.store.format.VersionedBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole applied state of an {@link InMemoryEntityStore} as a snapshot file, and back: every
 * lineage with its retained versions and operations in flight, the retained ended operations, the
 * event sequence, the events still in the log and the request ledger. Each version is written
 * once, however many lineages' histories, events and recorded replies refer to it. Format:
 * {@code store.proto} ({@link SnapshotHeader}, then length-delimited {@link SnapshotRecord}s),
 * version {@value #FORMAT}; a snapshot of format 1 (before the request ledger) loads with an empty
 * ledger, one of format 2 (before trees) with every entity a root alone, one of a newer format is
 * refused (format 4 added attachments, whose events and replies a format-3 reader does not know, and
 * the settings the state was applied with, which it restores).
 */
final class SnapshotCodec {

  /** The format this server writes, and the newest it reads. */
  static final int FORMAT = 4;

  private SnapshotCodec() {}

  /** One lineage as a snapshot keeps it. */
  private record LineageCapture(String id, List<EntityVersion> retained, Arbitration arbitration, long treeSince) {}

  private record EndedCapture(OpState op, long endedAtTick) {}

  /**
   * The applied state at one point, by reference: versions, operations and events are immutable,
   * so the capture stays what it was while the store goes on, and can be written on another
   * thread. Taking it copies references only (milliseconds for 100,000s of versions).
   */
  static final class Capture {
    private final long lastSequence;
    private final long lastTick;
    private final List<LineageCapture> lineages = new ArrayList<>();
    private final List<EndedCapture> ended = new ArrayList<>();
    private final List<LoggedEvent> events;
    private final List<RequestTable.Entry> requests;
    private final SharedSettings settings;

    private Capture(long lastSequence, long lastTick, List<LoggedEvent> events, List<RequestTable.Entry> requests,
        SharedSettings settings) {
      this.lastSequence = lastSequence;
      this.lastTick = lastTick;
      this.events = events;
      this.requests = requests;
      this.settings = settings;
    }
  }

  /** Captures the state; call it while no command is applied. */
  static Capture capture(InMemoryEntityStore store, EventLog events, long lastTick) {
    long lastSequence = store.lastSequence();
    Capture capture = new Capture(lastSequence, lastTick, retainedEvents(events, lastSequence),
        store.recordedRequests(), store.sharedSettings());
    store.forEachLineage((id, history, arbitration, treeSince) ->
        capture.lineages.add(new LineageCapture(id, history, arbitration, treeSince)));
    store.forEachEnded((op, tick) -> capture.ended.add(new EndedCapture(op, tick)));
    return capture;
  }

  /** Writes a capture. */
  static void write(Capture capture, OutputStream out) throws IOException {
    List<LoggedEvent> retained = capture.events;
    long firstEvent = retained.isEmpty() ? capture.lastSequence + 1 : retained.get(0).sequence();
    SnapshotHeader.newBuilder().setLastSequence(capture.lastSequence).setLastTick(capture.lastTick)
        .setFirstEvent(firstEvent).setFormat(FORMAT).setSettings(CommandCodec.encode(capture.settings)).build()
        .writeDelimitedTo(out);
    int referred = retained.size() * 2 + capture.requests.size();
    for (LineageCapture captured : capture.lineages) {
      referred += captured.retained().size();
    }
    Versions versions = new Versions(out, referred);
    for (LineageCapture captured : capture.lineages) {
      Arbitration arbitration = captured.arbitration();
      LineageState.Builder lineage = LineageState.newBuilder().setId(captured.id())
          .setOwnerSinceVersion(arbitration.ownerSinceVersion()).setOwnerSinceTick(arbitration.ownerSinceTick())
          .setTenureNanos(arbitration.tenureNanos()).setTreeSince(captured.treeSince());
      for (EntityVersion version : captured.retained()) {
        lineage.addVersions(versions.index(version));
      }
      for (OpState op : arbitration.inFlight()) {
        lineage.addInFlight(encode(op, 0));
      }
      if (arbitration.owner() != null) {
        lineage.setOwner(encode(arbitration.owner(), 0));
      }
      SnapshotRecord.newBuilder().setLineage(lineage).build().writeDelimitedTo(out);
    }
    for (EndedCapture ended : capture.ended) {
      SnapshotRecord.newBuilder().setEndedOperation(encode(ended.op(), ended.endedAtTick())).build()
          .writeDelimitedTo(out);
    }
    for (LoggedEvent event : retained) {
      SnapshotRecord.newBuilder().setEvent(encode(event, versions)).build().writeDelimitedTo(out);
    }
    for (RequestTable.Entry request : capture.requests) {
      SnapshotRecord.newBuilder().setRequest(encode(request, versions)).build().writeDelimitedTo(out);
    }
  }

  /** Reads a snapshot into empty stores; returns the last command tick it recorded. */
  static long read(InputStream in, InMemoryEntityStore store, EventLog events) throws IOException {
    SnapshotHeader header = SnapshotHeader.parseDelimitedFrom(in);
    if (header.getFormat() > FORMAT) {
      throw new IOException("the snapshot's format " + header.getFormat() + " was written by a newer server; this one"
          + " reads formats up to " + FORMAT);
    }
    if (header.hasSettings()) {
      // Before the ledger's entries come back: their weights, and what it keeps, follow from these.
      store.settle(CommandCodec.decode(header.getSettings()));
    }
    List<EntityVersion> versions = new ArrayList<>();
    events.resumeAt(header.getFirstEvent());
    SnapshotRecord record;
    while ((record = SnapshotRecord.parseDelimitedFrom(in)) != null) {
      switch (record.getKindCase()) {
        case VERSION -> versions.add(EntityVersion.decode(record.getVersion().toByteArray()));
        case LINEAGE -> {
          LineageState lineage = record.getLineage();
          List<EntityVersion> history = new ArrayList<>(lineage.getVersionsCount());
          for (long index : lineage.getVersionsList()) {
            history.add(versions.get((int) index));
          }
          List<OpState> inFlight = new ArrayList<>(lineage.getInFlightCount());
          for (OperationState op : lineage.getInFlightList()) {
            inFlight.add(decode(op));
          }
          OpState owner = lineage.hasOwner() ? decode(lineage.getOwner()) : null;
          store.restoreLineage(lineage.getId(), history, Arbitration.restore(inFlight, owner,
              lineage.getOwnerSinceVersion(), lineage.getOwnerSinceTick(), lineage.getTenureNanos()),
              lineage.getTreeSince(), header.getLastTick());
        }
        case ENDED_OPERATION -> store.restoreEnded(decode(record.getEndedOperation()),
            record.getEndedOperation().getEndedAtTick());
        case EVENT -> {
          dev.abstractions.server.store.format.LoggedEvent event = record.getEvent();
          events.append(event.getSequence(), event.getWallNanos(), decode(event, versions));
        }
        case REQUEST -> {
          RecordedRequest request = record.getRequest();
          store.restoreRequest(CommandCodec.decode(request.getKey()), decodeReply(request, versions),
              request.getRunningOpId(), request.getTick());
        }
        default -> throw new IOException("unknown snapshot record " + record.getKindCase());
      }
    }
    store.restoreTrees();
    store.restoreSequence(header.getLastSequence());
    return header.getLastTick();
  }

  /** The events from the oldest retained to {@code lastSequence}, without a gap. */
  private static List<LoggedEvent> retainedEvents(EventLog events, long lastSequence) {
    List<LoggedEvent> retained = new ArrayList<>();
    for (long sequence = events.oldestRetained(); sequence <= lastSequence; sequence++) {
      try {
        LoggedEvent event = events.read(sequence);
        if (event == null) {
          break; // cannot happen between entries: every applied event is stored
        }
        retained.add(event);
      } catch (EventsLostException lost) {
        retained.clear(); // dropped under memory pressure while we read: keep what follows, gap-free
      }
    }
    return retained;
  }

  /** Writes each version once, as it is first referred to, and numbers them in that order. */
  private static final class Versions {
    private final Map<EntityVersion, Long> indexes;
    private final OutputStream out;

    /** {@code expected}: about how many references will be made, so that the map never grows. */
    Versions(OutputStream out, int expected) {
      this.out = out;
      this.indexes = new IdentityHashMap<>(expected);
    }

    long index(EntityVersion version) throws IOException {
      Long index = indexes.get(version);
      if (index == null) {
        index = (long) indexes.size();
        indexes.put(version, index);
        SnapshotRecord.newBuilder().setVersion(ByteString.copyFrom(version.encoded())).build().writeDelimitedTo(out);
      }
      return index;
    }
  }

  private static OperationState encode(OpState op, long endedAtTick) {
    return OperationState.newBuilder().setView(op.view()).setDepth(op.depth()).setDeadlineTick(op.deadlineTick())
        .setLeaseUntilTick(op.leaseUntilTick()).setOwner(CommandCodec.encode(op.owner())).setEndedAtTick(endedAtTick)
        .build();
  }

  private static OpState decode(OperationState op) {
    return new OpState(op.getView(), op.getDepth(), op.getDeadlineTick(), op.getLeaseUntilTick(),
        CommandCodec.decode(op.getOwner()));
  }

  private static dev.abstractions.server.store.format.LoggedEvent encode(LoggedEvent logged, Versions versions)
      throws IOException {
    EventRecord record = logged.record();
    EventRecord.Envelope envelope = record.envelope();
    var event = dev.abstractions.server.store.format.LoggedEvent.newBuilder()
        .setSequence(logged.sequence()).setWallNanos(logged.timeNanos()).setPriority(envelope.priority())
        .setTargetLineageId(envelope.targetLineageId()).setEntityType(envelope.entityType())
        .setOpId(envelope.opId()).setParentOpId(envelope.parentOpId()).setRootLineageId(envelope.rootLineageId());
    EventRecord.Body body = record.body();
    if (body instanceof EventRecord.EntityCreated created) {
      event.setCreated(versions.index(created.entity()));
    } else if (body instanceof EventRecord.EntityVersioned versioned) {
      event.setVersioned(VersionedBody.newBuilder().setPrevious(versions.index(versioned.previous()))
          .setWritten(versions.index(versioned.written())));
    } else if (body instanceof EventRecord.TreeChanged tree) {
      event.setTreeChanged(encode(tree.oldTreeVersion(), tree.newTreeVersion(), tree.members(), versions));
    } else if (body instanceof EventRecord.TreePromoted promoted) {
      event.setTreePromoted(encode(0, promoted.treeVersion(), promoted.members(), versions));
    } else if (body instanceof EventRecord.TreeAttached attached) {
      event.setTreeAttached(encode(attached.oldTreeVersion(), attached.treeVersion(), attached.members(), versions)
          .toBuilder().setAttachedTreeVersion(attached.attachedTreeVersion()));
    } else if (body instanceof EventRecord.EntityDeleted deleted) {
      event.setDeletedVersion(deleted.version());
    } else if (body instanceof EventRecord.OperationStarted started) {
      event.setStarted(started.operation());
    } else if (body instanceof EventRecord.OperationConflict conflict) {
      event.setConflict(ConflictBody.newBuilder().setSnapshotVersion(conflict.snapshotVersion())
          .setCurrentVersion(conflict.currentVersion()).setWinnerOpId(conflict.winnerOpId())
          .setCharged(conflict.charged()));
    } else if (body instanceof EventRecord.OperationRetry retry) {
      event.setRetry(RetryBody.newBuilder().setRetryCount(retry.retryCount()).setMaxRetries(retry.maxRetries())
          .setRetryAfterNanos(retry.retryAfterNanos()));
    } else if (body instanceof EventRecord.OperationRejected rejected) {
      event.setRejected(RejectedBody.newBuilder().setReason(rejected.reason())
          .setPreemptedByOpId(rejected.preemptedByOpId()));
    } else if (body instanceof EventRecord.OperationSucceeded succeeded) {
      event.setSucceeded(SucceededBody.newBuilder().setVersion(succeeded.version()).setEcsId(succeeded.ecsId()));
    } else if (body instanceof EventRecord.OperationFailed failed) {
      event.setFailedMessage(failed.message());
    } else if (body instanceof EventRecord.OperationCancelled) {
      event.setCancelled(true);
    } else {
      throw new IllegalArgumentException("no snapshot form for " + body.getClass().getSimpleName());
    }
    return event.build();
  }

  private static EventRecord decode(dev.abstractions.server.store.format.LoggedEvent event,
      List<EntityVersion> versions) throws IOException {
    String root = event.getRootLineageId().isEmpty() ? event.getTargetLineageId() : event.getRootLineageId();
    EventRecord.Envelope envelope = new EventRecord.Envelope(event.getPriority(), event.getTargetLineageId(),
        event.getEntityType(), event.getOpId(), event.getParentOpId(), root);
    EventRecord.Body body = switch (event.getBodyCase()) {
      case CREATED -> new EventRecord.EntityCreated(versions.get((int) event.getCreated()));
      case VERSIONED -> new EventRecord.EntityVersioned(versions.get((int) event.getVersioned().getPrevious()),
          versions.get((int) event.getVersioned().getWritten()));
      case TREE_CHANGED -> new EventRecord.TreeChanged(event.getTreeChanged().getOldTreeVersion(),
          event.getTreeChanged().getNewTreeVersion(), decode(event.getTreeChanged(), versions));
      case TREE_PROMOTED -> new EventRecord.TreePromoted(event.getTreePromoted().getNewTreeVersion(),
          decode(event.getTreePromoted(), versions));
      case TREE_ATTACHED -> new EventRecord.TreeAttached(event.getTreeAttached().getOldTreeVersion(),
          event.getTreeAttached().getAttachedTreeVersion(), event.getTreeAttached().getNewTreeVersion(),
          decode(event.getTreeAttached(), versions));
      case DELETED_VERSION -> new EventRecord.EntityDeleted(event.getDeletedVersion());
      case STARTED -> new EventRecord.OperationStarted(event.getStarted());
      case CONFLICT -> new EventRecord.OperationConflict(event.getConflict().getSnapshotVersion(),
          event.getConflict().getCurrentVersion(), event.getConflict().getWinnerOpId(),
          event.getConflict().getCharged());
      case RETRY -> new EventRecord.OperationRetry(event.getRetry().getRetryCount(), event.getRetry().getMaxRetries(),
          event.getRetry().getRetryAfterNanos());
      case REJECTED -> new EventRecord.OperationRejected(event.getRejected().getReason(),
          event.getRejected().getPreemptedByOpId());
      case SUCCEEDED -> new EventRecord.OperationSucceeded(event.getSucceeded().getVersion(),
          event.getSucceeded().getEcsId());
      case FAILED_MESSAGE -> new EventRecord.OperationFailed(event.getFailedMessage());
      case CANCELLED -> new EventRecord.OperationCancelled();
      default -> throw new IOException("unknown event body in snapshot: " + event.getBodyCase());
    };
    return new EventRecord(envelope, body);
  }

  private static TreeChangedBody encode(long oldTreeVersion, long newTreeVersion, List<EventRecord.MemberWrite> writes,
      Versions versions) throws IOException {
    TreeChangedBody.Builder body = TreeChangedBody.newBuilder().setOldTreeVersion(oldTreeVersion)
        .setNewTreeVersion(newTreeVersion);
    for (EventRecord.MemberWrite write : writes) {
      body.addPrevious(write.previous() == null ? -1 : versions.index(write.previous()))
          .addWritten(versions.index(write.written()));
    }
    return body.build();
  }

  private static List<EventRecord.MemberWrite> decode(TreeChangedBody body, List<EntityVersion> versions) {
    List<EventRecord.MemberWrite> writes = new ArrayList<>(body.getWrittenCount());
    for (int i = 0; i < body.getWrittenCount(); i++) {
      long previous = body.getPrevious(i);
      writes.add(new EventRecord.MemberWrite(previous < 0 ? null : versions.get((int) previous),
          versions.get((int) body.getWritten(i))));
    }
    return writes;
  }

  private static RecordedRequest encode(RequestTable.Entry entry, Versions versions) throws IOException {
    RecordedRequest.Builder recorded = RecordedRequest.newBuilder().setKey(CommandCodec.encode(entry.key()))
        .setTick(entry.tick());
    Reply reply = entry.reply();
    if (reply == null) {
      recorded.setRunningOpId(entry.runningOpId());
    } else if (reply instanceof Reply.Written written) {
      recorded.setWritten(versions.index(written.version()));
    } else if (reply instanceof Reply.Promoted promoted) {
      PromotedReply.Builder body = PromotedReply.newBuilder().setOldRootId(promoted.oldRootId())
          .setTreeVersion(promoted.treeVersion());
      for (EntityVersion version : promoted.written()) {
        body.addWritten(versions.index(version));
      }
      recorded.setPromoted(body);
    } else if (reply instanceof Reply.Attached attached) {
      AttachedReply.Builder body = AttachedReply.newBuilder().setRootId(attached.rootId())
          .setTreeVersion(attached.treeVersion());
      for (EntityVersion version : attached.written()) {
        body.addWritten(versions.index(version));
      }
      recorded.setAttached(body);
    } else if (reply instanceof Reply.TreeWritten tree) {
      TreeWrittenReply.Builder body = TreeWrittenReply.newBuilder().setTreeVersion(tree.treeVersion());
      for (EntityVersion version : tree.written()) {
        body.addWritten(versions.index(version));
      }
      recorded.setTreeWritten(body);
    } else if (reply instanceof Reply.Started started) {
      recorded.setStarted(StartedReply.newBuilder().setOperation(encode(started.op(), 0))
          .setSnapshot(versions.index(started.snapshot())));
    } else if (reply instanceof Reply.Attempted attempted) {
      AttemptedReply.Builder body = AttemptedReply.newBuilder().setOutcome(attempted.outcome())
          .setOperation(encode(attempted.op(), 0)).setRetryAfterNanos(attempted.retryAfterNanos())
          .setCharged(attempted.charged());
      for (EntityVersion version : attempted.written()) {
        body.addWritten(versions.index(version));
      }
      if (attempted.entity() != null) {
        body.setEntity(versions.index(attempted.entity()));
      }
      recorded.setAttempted(body);
    } else if (reply instanceof Reply.Cancelled cancelled) {
      recorded.setCancelled(encode(cancelled.op(), 0));
    } else if (reply instanceof Reply.Refused refused) {
      Refusal refusal = refused.refusal();
      RefusalState.Builder body = RefusalState.newBuilder().setKind(refusal.kind().name())
          .setLineageId(refusal.lineageId()).setOpId(refusal.opId()).setRetryAfterNanos(refusal.retryAfterNanos())
          .setStatus(refusal.status());
      if (refusal.current() != null) {
        body.setCurrent(versions.index(refusal.current()));
      }
      if (refusal.quota() != null) {
        body.setQuota(Quota.newBuilder().setBytes(refusal.quota().bytes()).setLimitBytes(refusal.quota().limitBytes()));
      }
      if (refusal.tree() != null) {
        Refusal.TreeFacts tree = refusal.tree();
        body.setTree(TreeFacts.newBuilder().setRootLineageId(tree.rootLineageId())
            .setRelatedLineageId(tree.relatedLineageId()).setTreeVersion(tree.treeVersion())
            .setMembers(tree.members()).setMaxMembers(tree.maxMembers()));
      }
      recorded.setRefused(body);
    } else {
      throw new IllegalArgumentException("no snapshot form for a recorded " + reply.getClass().getSimpleName());
    }
    return recorded.build();
  }

  /** The reply a recorded request settled with; null while its Execute still runs. */
  private static Reply decodeReply(RecordedRequest request, List<EntityVersion> versions) throws IOException {
    switch (request.getOutcomeCase()) {
      case RUNNING_OP_ID:
        return null;
      case WRITTEN:
        return new Reply.Written(versions.get((int) request.getWritten()));
      case PROMOTED: {
        List<EntityVersion> written = new ArrayList<>(request.getPromoted().getWrittenCount());
        for (long index : request.getPromoted().getWrittenList()) {
          written.add(versions.get((int) index));
        }
        return new Reply.Promoted(request.getPromoted().getOldRootId(), request.getPromoted().getTreeVersion(), written);
      }
      case ATTACHED: {
        List<EntityVersion> written = new ArrayList<>(request.getAttached().getWrittenCount());
        for (long index : request.getAttached().getWrittenList()) {
          written.add(versions.get((int) index));
        }
        return new Reply.Attached(request.getAttached().getRootId(), request.getAttached().getTreeVersion(), written);
      }
      case TREE_WRITTEN: {
        List<EntityVersion> written = new ArrayList<>(request.getTreeWritten().getWrittenCount());
        for (long index : request.getTreeWritten().getWrittenList()) {
          written.add(versions.get((int) index));
        }
        return new Reply.TreeWritten(request.getTreeWritten().getTreeVersion(), written);
      }
      case STARTED:
        return new Reply.Started(decode(request.getStarted().getOperation()),
            versions.get((int) request.getStarted().getSnapshot()));
      case ATTEMPTED: {
        AttemptedReply attempted = request.getAttempted();
        List<EntityVersion> written = new ArrayList<>(attempted.getWrittenCount());
        for (long index : attempted.getWrittenList()) {
          written.add(versions.get((int) index));
        }
        return new Reply.Attempted(attempted.getOutcome(), decode(attempted.getOperation()),
            attempted.hasEntity() ? versions.get((int) attempted.getEntity()) : null, attempted.getRetryAfterNanos(),
            attempted.getCharged(), written);
      }
      case CANCELLED:
        return new Reply.Cancelled(decode(request.getCancelled()));
      case REFUSED: {
        RefusalState refused = request.getRefused();
        Refusal.Kind kind;
        try {
          kind = Refusal.Kind.valueOf(refused.getKind());
        } catch (IllegalArgumentException e) {
          throw new IOException("unknown refusal in snapshot: " + refused.getKind(), e);
        }
        TreeFacts tree = refused.getTree();
        return new Reply.Refused(new Refusal(kind, refused.getLineageId(),
            refused.hasCurrent() ? versions.get((int) refused.getCurrent()) : null, refused.getOpId(),
            refused.getRetryAfterNanos(), refused.getStatus(),
            refused.hasQuota() ? new Refusal.Quota(refused.getQuota().getBytes(), refused.getQuota().getLimitBytes())
                : null,
            refused.hasTree() ? new Refusal.TreeFacts(tree.getRootLineageId(), tree.getRelatedLineageId(),
                tree.getTreeVersion(), tree.getMembers(), tree.getMaxMembers()) : null));
      }
      default:
        throw new IOException("unknown recorded request outcome in snapshot: " + request.getOutcomeCase());
    }
  }
}
