package dev.abstractions.cli;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import dev.abstractions.api.v1.AttachTreeResponse;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.MemberChanged;
import dev.abstractions.api.v1.MemberVersion;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.PromoteTreeMemberResponse;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.api.v1.WriteTreeResponse;
import dev.abstractions.client.ProtoJson;
import dev.abstractions.client.Structs;
import dev.abstractions.client.Tree;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How results are printed: for people, a block of {@code field value} lines per message, a table
 * per list and a line per event; with {@code --json}, one compact protobuf-JSON object per line
 * (whole numbers without a fraction, see {@link ProtoJson}).
 * Printing a line is atomic ({@link PrintWriter} locks), so threads may share one Output.
 */
final class Output {

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** One message: a JSON line, or its set fields as aligned {@code name value} lines. */
  void message(Message message) {
    if (json) {
      jsonLine(message);
      return;
    }
    Map<FieldDescriptor, Object> fields = message.getAllFields();
    int width = fields.keySet().stream().mapToInt(field -> field.getName().length()).max().orElse(0) + 2;
    StringBuilder block = new StringBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : fields.entrySet()) {
      block.append(pad(field.getKey().getName(), width)).append(value(field.getValue())).append('\n');
    }
    print(block.toString());
  }

  /** Versions of one entity: a JSON line each, or a table. */
  void history(List<Entity> versions) {
    if (json) {
      versions.forEach(this::jsonLine);
      return;
    }
    Table table = new Table("VERSION", "MODIFIED_AT", "DATA");
    for (Entity version : versions) {
      table.row(Long.toString(version.getVersion()), timestamp(version.getModifiedAt()),
          Structs.toJson(version.getData()) + (version.getDeleted() ? " (deleted)" : ""));
    }
    print(table.toString());
  }

  /** Latest versions of several entities: a JSON line each, or a table. */
  void entities(List<Entity> entities) {
    if (json) {
      entities.forEach(this::jsonLine);
      return;
    }
    Table table = new Table("LINEAGE_ID", "VERSION", "MODIFIED_AT", "DATA");
    for (Entity entity : entities) {
      table.row(entity.getLineageId(), Long.toString(entity.getVersion()), timestamp(entity.getModifiedAt()),
          Structs.toJson(entity.getData()));
    }
    print(table.toString());
  }

  /**
   * A whole tree: one {@code GetTreeResponse} JSON line holding every member (as one page would), or
   * its root, tree version and time, a blank line, and a table of its members, each under its
   * parent (two spaces deeper), depth first, children in lineage id order.
   */
  void tree(Tree tree) {
    GetTreeResponse.Builder read = GetTreeResponse.newBuilder()
        .setRootLineageId(tree.rootLineageId())
        .setTreeVersion(tree.treeVersion())
        .setLastModifiedNs(tree.lastModifiedNs());
    if (json) {
      jsonLine(read.addAllMembers(tree.members()).build());
      return;
    }
    message(read.build());
    Table table = new Table("MEMBER", "TYPE", "VERSION", "DATA");
    // Depth first without recursion: a tree may be a chain as long as --max-tree-members.
    Deque<Map.Entry<Entity, Integer>> pending = new ArrayDeque<>();
    pending.push(Map.entry(tree.member(tree.rootLineageId()).orElseThrow(), 0));
    while (!pending.isEmpty()) {
      Map.Entry<Entity, Integer> next = pending.pop();
      Entity member = next.getKey();
      table.row("  ".repeat(next.getValue()) + member.getLineageId(), member.getEntityType(),
          Long.toString(member.getVersion()), Structs.toJson(member.getData()));
      List<Entity> children = tree.children(member.getLineageId());
      for (int i = children.size() - 1; i >= 0; i--) {
        pending.push(Map.entry(children.get(i), next.getValue() + 1));
      }
    }
    print("\n" + table);
  }

  /**
   * Versions of one tree: a {@code TreeVersion} JSON line each, or a table with a row per member
   * version each tree version wrote.
   */
  void treeHistory(List<TreeVersion> versions) {
    if (json) {
      versions.forEach(this::jsonLine);
      return;
    }
    Table table = new Table("TREE_VERSION", "MODIFIED_AT", "MEMBER", "VERSION");
    for (TreeVersion version : versions) {
      String modifiedAt = Instant.EPOCH.plusNanos(version.getLastModifiedNs()).toString();
      for (MemberVersion member : version.getChangedList()) {
        table.row(Long.toString(version.getTreeVersion()), modifiedAt, member.getLineageId(),
            member.getVersion() + (member.getDeleted() ? " (deleted)" : ""));
      }
    }
    print(table.toString());
  }

  /** What a tree write wrote: see {@link #written}. */
  void treeWrite(WriteTreeResponse response) {
    written(response, response.toBuilder().clearWritten().build(), response.getWrittenList());
  }

  /** What a promotion wrote: see {@link #written}. */
  void treeWrite(PromoteTreeMemberResponse response) {
    written(response, response.toBuilder().clearWritten().build(), response.getWrittenList());
  }

  /** What an attach wrote: see {@link #written}. */
  void treeWrite(AttachTreeResponse response) {
    written(response, response.toBuilder().clearWritten().build(), response.getWrittenList());
  }

  /**
   * The versions one tree change wrote: its {@code response} as one JSON line, or the {@code
   * header} (the response's other fields: the tree version, and the root it left or joined) as
   * aligned lines, a blank line, and a table of the versions written in the server's order, each
   * with its parent ({@code -} for a root) and {@code (deleted)} after a tombstone's version.
   */
  private void written(Message response, Message header, List<Entity> written) {
    if (json) {
      jsonLine(response);
      return;
    }
    message(header);
    Table table = new Table("WRITTEN", "TYPE", "VERSION", "PARENT", "DATA");
    for (Entity version : written) {
      table.row(version.getLineageId(), version.getEntityType(),
          version.getVersion() + (version.getDeleted() ? " (deleted)" : ""),
          version.getParentLineageId().isEmpty() ? "-" : version.getParentLineageId(),
          Structs.toJson(version.getData()));
    }
    print("\n" + table);
  }

  /** Operations: a JSON line each, or a table. */
  void operations(List<OperationEntity> operations) {
    if (json) {
      operations.forEach(this::jsonLine);
      return;
    }
    Table table = new Table("OP_ID", "STATUS", "CLASS", "PRIORITY", "RETRIES", "VERSION", "OP_TYPE");
    for (OperationEntity op : operations) {
      String status = op.getStatus().name();
      if (op.getRejectionReasonValue() != 0) {
        status += "/" + op.getRejectionReason().name();
      }
      table.row(op.getOpId(), status, op.getPriorityClass().name(), Integer.toString(op.getEffectivePriority()),
          op.getRetryCount() + "/" + op.getMaxRetries(),
          op.getCommittedVersion() == 0 ? "-" : Long.toString(op.getCommittedVersion()), op.getOpType());
    }
    print(table.toString());
  }

  /** One event: a JSON line, or {@code SEQUENCE KIND TYPE LINEAGE priority=P details}. */
  void event(Event event) {
    if (json) {
      jsonLine(event);
      return;
    }
    StringBuilder line = new StringBuilder()
        .append(event.getSequence()).append(' ')
        .append(kindName(event)).append(' ')
        .append(event.getEntityType()).append(' ')
        .append(event.getTargetLineageId())
        .append(" priority=").append(event.getPriority());
    if (!event.getOpId().isEmpty()) {
      line.append(" op=").append(event.getOpId());
    }
    switch (event.getKindCase()) {
      case ENTITY_CREATED -> line.append(" v1 ").append(Structs.toJson(event.getEntityCreated().getEntity().getData()));
      case ENTITY_VERSIONED -> {
        var versioned = event.getEntityVersioned();
        line.append(" v").append(versioned.getOldVersion()).append("->v").append(versioned.getNewVersion())
            .append(" changed=").append(versioned.getChangedPathsList());
        if (versioned.hasEntity()) {
          line.append(' ').append(Structs.toJson(versioned.getEntity().getData()));
        }
      }
      case ENTITY_DELETED -> line.append(" tombstone v").append(event.getEntityDeleted().getVersion());
      case OPERATION_STARTED ->
          line.append(" class=").append(event.getOperationStarted().getOperation().getPriorityClass());
      case OPERATION_CONFLICT -> {
        var conflict = event.getOperationConflict();
        line.append(" snapshot=v").append(conflict.getSnapshotVersion())
            .append(" current=v").append(conflict.getCurrentVersion());
        if (!conflict.getWinnerOpId().isEmpty()) {
          line.append(" winner=").append(conflict.getWinnerOpId());
        }
        line.append(conflict.getCharged() ? " charged" : " uncharged");
      }
      case OPERATION_RETRY -> {
        var retry = event.getOperationRetry();
        line.append(" retry ").append(retry.getRetryCount()).append('/').append(retry.getMaxRetries())
            .append(" after ").append(Durations.toString(retry.getRetryAfter()));
      }
      case OPERATION_REJECTED -> {
        var rejected = event.getOperationRejected();
        line.append(' ').append(rejected.getReason());
        if (!rejected.getPreemptedByOpId().isEmpty()) {
          line.append(" by=").append(rejected.getPreemptedByOpId());
        }
      }
      case OPERATION_SUCCEEDED -> line.append(" v").append(event.getOperationSucceeded().getVersion());
      case OPERATION_FAILED -> line.append(' ').append(event.getOperationFailed().getMessage());
      case TREE_CHANGED -> {
        var changed = event.getTreeChanged();
        line.append(" tree v").append(changed.getOldTreeVersion()).append("->v").append(changed.getNewTreeVersion());
        members(line, changed.getMembersList());
      }
      case TREE_PROMOTED -> {
        var promoted = event.getTreePromoted();
        line.append(" from=").append(event.getRootLineageId()).append(" tree v").append(promoted.getTreeVersion());
        members(line, promoted.getMembersList());
      }
      case TREE_ATTACHED -> {
        var attached = event.getTreeAttached();
        line.append(" into=").append(event.getRootLineageId())
            .append(" tree v").append(attached.getOldTreeVersion()).append("->v").append(attached.getTreeVersion())
            .append(" attached=v").append(attached.getAttachedTreeVersion());
        members(line, attached.getMembersList());
      }
      default -> { }
    }
    print(line.append('\n').toString());
  }

  /**
   * A tree event's members after a colon, {@code ; } apart, each {@code LINEAGE vOLD->vNEW
   * changed=[paths]}: {@code LINEAGE v1 created changed=[paths]} for one it created, {@code
   * LINEAGE vOLD->vNEW deleted} for a tombstone, and the new data after it when the event carries
   * the entity (--include-entities).
   */
  private static void members(StringBuilder line, List<MemberChanged> members) {
    String separator = ": ";
    for (MemberChanged member : members) {
      line.append(separator).append(member.getLineageId());
      separator = "; ";
      if (member.getOldVersion() == 0) {
        line.append(" v").append(member.getNewVersion()).append(" created");
      } else {
        line.append(" v").append(member.getOldVersion()).append("->v").append(member.getNewVersion());
      }
      if (member.getDeleted()) {
        line.append(" deleted");
        continue;
      }
      line.append(" changed=").append(member.getChangedPathsList());
      if (member.hasEntity()) {
        line.append(' ').append(Structs.toJson(member.getEntity().getData()));
      }
    }
  }

  /** A message as one compact JSON line, whatever the mode. */
  void jsonLine(Message message) {
    print(ProtoJson.print(message) + "\n");
  }

  /** Text as it is, flushed at once (a watch prints while it runs). */
  void print(String text) {
    out.print(text);
    out.flush();
  }

  /** The name of an event's kind, e.g. {@code entity_versioned}: its oneof field's name. */
  static String kindName(Event event) {
    return event.getKindCase().name().toLowerCase(Locale.ROOT);
  }

  private static String value(Object value) {
    if (value instanceof Timestamp timestamp) {
      return timestamp(timestamp);
    }
    if (value instanceof Struct struct) {
      return Structs.toJson(struct);
    }
    if (value instanceof EnumValueDescriptor enumValue) {
      return enumValue.getName();
    }
    if (value instanceof com.google.protobuf.Duration duration) {
      return Durations.toString(duration);
    }
    return String.valueOf(value);
  }

  /**
   * A timestamp in RFC 3339, as protobuf's {@code Timestamps.toString} and JSON print it (UTC,
   * 0, 3, 6 or 9 digits of fraction). java.time's formatter does the same without the
   * {@code SimpleDateFormat} and locale data behind {@code Timestamps}, whose first use costs a
   * text command tens of milliseconds.
   */
  static String timestamp(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
  }

  static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }

  /** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
  static final class Table {

    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
      rows.add(header);
    }

    Table row(String... cells) {
      rows.add(cells);
      return this;
    }

    @Override
    public String toString() {
      int columns = rows.get(0).length;
      int[] widths = new int[columns];
      for (String[] row : rows) {
        for (int i = 0; i < columns; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      StringBuilder text = new StringBuilder();
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns - 1; i++) {
          line.append(pad(row[i], widths[i] + 2));
        }
        text.append(line.append(row[columns - 1]).toString().stripTrailing()).append('\n');
      }
      return text.toString();
    }
  }
}
