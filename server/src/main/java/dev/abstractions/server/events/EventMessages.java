package dev.abstractions.server.events;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.EntityCreated;
import dev.abstractions.api.v1.EntityDeleted;
import dev.abstractions.api.v1.EntityVersioned;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.MemberChanged;
import dev.abstractions.api.v1.OperationCancelled;
import dev.abstractions.api.v1.OperationConflict;
import dev.abstractions.api.v1.OperationFailed;
import dev.abstractions.api.v1.OperationRejected;
import dev.abstractions.api.v1.OperationRetry;
import dev.abstractions.api.v1.OperationStarted;
import dev.abstractions.api.v1.OperationSucceeded;
import dev.abstractions.api.v1.TreeAttached;
import dev.abstractions.api.v1.TreeChanged;
import dev.abstractions.api.v1.TreePromoted;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.EventRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns an {@link EventRecord} into the {@link Event} subscribers receive, in wire form: the one
 * place the event contract is written. A pure function of its inputs; called off the write path,
 * once per event and form, by the first reader (see {@link LoggedEvent}).
 *
 * <p>An entity inside an event is not re-encoded: its stored bytes are spliced in. The entity is
 * the last field of its kind's message and the kind the last field of the event, so the spliced
 * bytes are exactly those protobuf writes for the same message.
 */
final class EventMessages {

  private EventMessages() {}

  /** The event in wire form, with its entity or without (a subscriber's choice). */
  static byte[] encode(long sequence, long timeNanos, EventRecord record, boolean includeEntity) {
    EventRecord.Body body = record.body();
    if (body instanceof EventRecord.TreeChanged tree) {
      // Several entities, each inside its own member message: built whole, once per form.
      return build(sequence, timeNanos, record).toBuilder()
          .setTreeChanged(TreeChanged.newBuilder().setOldTreeVersion(tree.oldTreeVersion())
              .setNewTreeVersion(tree.newTreeVersion()).addAllMembers(memberChanges(tree.members(), includeEntity)))
          .build().toByteArray();
    }
    if (body instanceof EventRecord.TreePromoted promoted) {
      return build(sequence, timeNanos, record).toBuilder()
          .setTreePromoted(TreePromoted.newBuilder().setTreeVersion(promoted.treeVersion())
              .addAllMembers(memberChanges(promoted.members(), includeEntity)))
          .build().toByteArray();
    }
    if (body instanceof EventRecord.TreeAttached attached) {
      return build(sequence, timeNanos, record).toBuilder()
          .setTreeAttached(TreeAttached.newBuilder().setOldTreeVersion(attached.oldTreeVersion())
              .setAttachedTreeVersion(attached.attachedTreeVersion()).setTreeVersion(attached.treeVersion())
              .addAllMembers(memberChanges(attached.members(), includeEntity)))
          .build().toByteArray();
    }
    EntityVersion entity;
    int entityField;
    if (body instanceof EventRecord.EntityCreated created) {
      entity = created.entity();
      entityField = EntityCreated.ENTITY_FIELD_NUMBER;
    } else if (body instanceof EventRecord.EntityVersioned versioned) {
      entity = versioned.written();
      entityField = EntityVersioned.ENTITY_FIELD_NUMBER;
    } else {
      return build(sequence, timeNanos, record).toByteArray();
    }
    Event bare = build(sequence, timeNanos, record);
    int kindField = body.kind().getNumber();
    byte[] kindBytes = (body instanceof EventRecord.EntityCreated
        ? EntityCreated.getDefaultInstance()
        : bare.getEntityVersioned()).toByteArray();
    Event envelope = bare.toBuilder().clearKind().build();
    byte[] entityBytes = entity.encoded();
    int kindLength = kindBytes.length;
    if (includeEntity || body instanceof EventRecord.EntityCreated) {
      kindLength += CodedOutputStream.computeTagSize(entityField)
          + CodedOutputStream.computeUInt32SizeNoTag(entityBytes.length) + entityBytes.length;
    }
    int size = envelope.getSerializedSize() + CodedOutputStream.computeTagSize(kindField)
        + CodedOutputStream.computeUInt32SizeNoTag(kindLength) + kindLength;
    byte[] out = new byte[size];
    CodedOutputStream writer = CodedOutputStream.newInstance(out);
    try {
      envelope.writeTo(writer);
      writer.writeTag(kindField, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      writer.writeUInt32NoTag(kindLength);
      writer.writeRawBytes(kindBytes);
      if (kindLength > kindBytes.length) {
        writer.writeTag(entityField, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        writer.writeUInt32NoTag(entityBytes.length);
        writer.writeRawBytes(entityBytes);
      }
      writer.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("an event does not fit its computed size", e);
    }
    return out;
  }

  /** The event as a message, its entity left out (it is spliced in by {@link #encode}). */
  private static Event build(long sequence, long timeNanos, EventRecord record) {
    EventRecord.Envelope envelope = record.envelope();
    Event.Builder event = Event.newBuilder()
        .setSequence(sequence)
        .setResumeToken(ResumeTokens.after(sequence))
        .setTime(Timestamps.fromNanos(timeNanos))
        .setPriority(envelope.priority())
        .setTargetLineageId(envelope.targetLineageId())
        .setEntityType(envelope.entityType())
        .setOpId(envelope.opId())
        .setParentOpId(envelope.parentOpId())
        .setRootLineageId(envelope.rootLineageId());
    EventRecord.Body body = record.body();
    if (body instanceof EventRecord.EntityCreated created) {
      event.setEntityCreated(EntityCreated.getDefaultInstance());
    } else if (body instanceof EventRecord.EntityVersioned versioned) {
      event.setEntityVersioned(EntityVersioned.newBuilder()
          .setOldVersion(versioned.previous().version())
          .setNewVersion(versioned.written().version())
          .addAllChangedPaths(changedKeys(versioned.previous().data(), versioned.written().data())));
    } else if (body instanceof EventRecord.EntityDeleted deleted) {
      event.setEntityDeleted(EntityDeleted.newBuilder().setVersion(deleted.version()));
    } else if (body instanceof EventRecord.OperationStarted started) {
      event.setOperationStarted(OperationStarted.newBuilder().setOperation(started.operation()));
    } else if (body instanceof EventRecord.OperationConflict conflict) {
      event.setOperationConflict(OperationConflict.newBuilder()
          .setSnapshotVersion(conflict.snapshotVersion())
          .setCurrentVersion(conflict.currentVersion())
          .setWinnerOpId(conflict.winnerOpId())
          .setCharged(conflict.charged()));
    } else if (body instanceof EventRecord.OperationRetry retry) {
      event.setOperationRetry(OperationRetry.newBuilder()
          .setRetryCount(retry.retryCount())
          .setMaxRetries(retry.maxRetries())
          .setRetryAfter(Durations.fromNanos(retry.retryAfterNanos())));
    } else if (body instanceof EventRecord.OperationRejected rejected) {
      event.setOperationRejected(OperationRejected.newBuilder()
          .setReason(rejected.reason())
          .setPreemptedByOpId(rejected.preemptedByOpId()));
    } else if (body instanceof EventRecord.OperationSucceeded succeeded) {
      event.setOperationSucceeded(OperationSucceeded.newBuilder()
          .setVersion(succeeded.version())
          .setEcsId(succeeded.ecsId()));
    } else if (body instanceof EventRecord.OperationFailed failed) {
      event.setOperationFailed(OperationFailed.newBuilder().setMessage(failed.message()));
    } else if (body instanceof EventRecord.OperationCancelled) {
      event.setOperationCancelled(OperationCancelled.getDefaultInstance());
    }
    return event.build();
  }

  private static List<MemberChanged> memberChanges(List<EventRecord.MemberWrite> writes, boolean includeEntities) {
    List<MemberChanged> changes = new ArrayList<>(writes.size());
    for (EventRecord.MemberWrite write : writes) {
      EntityVersion written = write.written();
      MemberChanged.Builder member = MemberChanged.newBuilder().setLineageId(written.lineageId())
          .setOldVersion(write.previous() == null ? 0 : write.previous().version())
          .setNewVersion(written.version())
          .setDeleted(written.deleted());
      if (!written.deleted()) {
        member.addAllChangedPaths(changedKeys(
            write.previous() == null ? Struct.getDefaultInstance() : write.previous().data(), written.data()));
      }
      if (includeEntities) {
        member.setEntity(written.entity());
      }
      changes.add(member.build());
    }
    return changes;
  }

  /** Top-level keys added, removed or given another value, in key order. */
  private static List<String> changedKeys(Struct before, Struct after) {
    Map<String, Value> old = before.getFieldsMap();
    Map<String, Value> now = after.getFieldsMap();
    TreeSet<String> changed = new TreeSet<>();
    for (Map.Entry<String, Value> field : now.entrySet()) {
      if (!field.getValue().equals(old.get(field.getKey()))) {
        changed.add(field.getKey());
      }
    }
    for (String key : old.keySet()) {
      if (!now.containsKey(key)) {
        changed.add(key);
      }
    }
    return new ArrayList<>(changed);
  }
}
