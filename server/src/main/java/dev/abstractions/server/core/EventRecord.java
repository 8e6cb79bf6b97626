package dev.abstractions.server.core;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.RejectionReason;
import java.util.List;

/**
 * An event as the decision function produces it: data, not yet a message. The envelope holds the
 * fields subscription filters match on; the body the kind and its facts, entity versions by
 * reference (their encoded bytes are shared, not copied). The event log adds the sequence and
 * encodes each event once, when a subscriber first needs it. Immutable.
 */
public record EventRecord(Envelope envelope, Body body) {

  /** Who and what the event is about; {@code rootLineageId} is the root of the target's tree. */
  public record Envelope(int priority, String targetLineageId, String entityType, String opId, String parentOpId,
      String rootLineageId) {}

  /** The kind-specific part. */
  public sealed interface Body {

    /** The {@code Event.kind} case it becomes. */
    Event.KindCase kind();
  }

  public record EntityCreated(EntityVersion entity) implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.ENTITY_CREATED;
    }
  }

  /** A new version; the changed field paths are computed from both versions when encoded. */
  public record EntityVersioned(EntityVersion previous, EntityVersion written) implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.ENTITY_VERSIONED;
    }
  }

  /** A change of several members of a tree at once: every member version it wrote, in order. */
  public sealed interface TreeBody extends Body {

    List<MemberWrite> members();
  }

  /** A tree write: every member version it wrote, in the order of its changes. */
  public record TreeChanged(long oldTreeVersion, long newTreeVersion, List<MemberWrite> members) implements TreeBody {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.TREE_CHANGED;
    }
  }

  /** A promotion: the member it was under, the new root, then the members that moved with it. */
  public record TreePromoted(long treeVersion, List<MemberWrite> members) implements TreeBody {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.TREE_PROMOTED;
    }
  }

  /**
   * An attachment: the tree's version before, the attached tree's, the version both are at after;
   * the member it went under, the attached root, then the members that moved with it.
   */
  public record TreeAttached(long oldTreeVersion, long attachedTreeVersion, long treeVersion,
      List<MemberWrite> members) implements TreeBody {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.TREE_ATTACHED;
    }
  }

  /** One member version a tree write made; {@code previous} is null for a member it created. */
  public record MemberWrite(EntityVersion previous, EntityVersion written) {}

  public record EntityDeleted(long version) implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.ENTITY_DELETED;
    }
  }

  public record OperationStarted(OperationEntity operation) implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.OPERATION_STARTED;
    }
  }

  public record OperationConflict(long snapshotVersion, long currentVersion, String winnerOpId, boolean charged)
      implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.OPERATION_CONFLICT;
    }
  }

  public record OperationRetry(int retryCount, int maxRetries, long retryAfterNanos) implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.OPERATION_RETRY;
    }
  }

  public record OperationRejected(RejectionReason reason, String preemptedByOpId) implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.OPERATION_REJECTED;
    }
  }

  public record OperationSucceeded(long version, String ecsId) implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.OPERATION_SUCCEEDED;
    }
  }

  public record OperationFailed(String message) implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.OPERATION_FAILED;
    }
  }

  public record OperationCancelled() implements Body {
    @Override
    public Event.KindCase kind() {
      return Event.KindCase.OPERATION_CANCELLED;
    }
  }
}
