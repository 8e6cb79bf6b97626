package dev.abstractions.server.grpc;

import static dev.abstractions.server.grpc.RequestChecks.violation;

import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.api.v1.DeleteMember;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.DataRules;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.grpc.wire.CreateMemberWire;
import dev.abstractions.server.grpc.wire.TreeChangeWire;
import dev.abstractions.server.grpc.wire.UpdateMemberWire;
import dev.abstractions.server.store.Ids;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Tree changes as WriteTree and a Commit of an operation send them: checked, then made commands. */
final class TreeChanges {

  private TreeChanges() {}

  /**
   * Checks every change, naming each by its index (e.g. {@code changes[2].update.data}): at most
   * {@code maxChanges} of them, no member named by two, ids that are UUIDs, types and data as
   * Create and Update take them. A change's field names are built only when it breaks a rule: a
   * tree write checks every member of every request, and nearly all of them pass.
   */
  static void check(String field, List<TreeChangeWire> changes, int maxChanges, int maxEntityBytes,
      List<FieldViolation> violations) {
    if (changes.size() > maxChanges) {
      violations.add(violation(field, "must be at most " + maxChanges + " (--max-tree-members), was " + changes.size()));
      return;
    }
    Set<String> named = new HashSet<>();
    for (int i = 0; i < changes.size(); i++) {
      TreeChangeWire change = changes.get(i);
      Names at;
      String canonical;
      switch (change.getChangeCase()) {
        case CREATE -> {
          CreateMemberWire create = change.getCreate();
          at = new Names(field, i, "create");
          canonical = create.getLineageId().isEmpty() ? null
              : lineageId(at, "lineage_id", create.getLineageId(), violations);
          lineageId(at, "parent_lineage_id", create.getParentLineageId(), violations);
          EntityRequests.checkEntityType(at.of("entity_type"), create.getEntityType(), violations);
          data(at, StructBytes.merged(create.getDataList()), maxEntityBytes, violations);
        }
        case UPDATE -> {
          UpdateMemberWire update = change.getUpdate();
          at = new Names(field, i, "update");
          canonical = lineageId(at, "lineage_id", update.getLineageId(), violations);
          optionalVersion(at, update.getExpectedVersion(), violations);
          data(at, StructBytes.merged(update.getDataList()), maxEntityBytes, violations);
        }
        case DELETE -> {
          DeleteMember delete = change.getDelete();
          at = new Names(field, i, "delete");
          canonical = lineageId(at, "lineage_id", delete.getLineageId(), violations);
          optionalVersion(at, delete.getExpectedVersion(), violations);
        }
        default -> {
          violations.add(violation(field + "[" + i + "]", "must set one of create, update, delete"));
          continue;
        }
      }
      if (canonical != null && !named.add(canonical)) {
        violations.add(violation(at.of("lineage_id"), "names " + canonical + ", which an earlier change names"));
      }
    }
  }

  /** Checked changes as commands; a member created without an id gets a new one, every version an ecs_id. */
  static List<Command.MemberChange> toCommand(List<TreeChangeWire> changes) {
    List<Command.MemberChange> commands = new ArrayList<>(changes.size());
    for (TreeChangeWire change : changes) {
      commands.add(switch (change.getChangeCase()) {
        case CREATE -> new Command.MemberChange.Create(
            change.getCreate().getLineageId().isEmpty() ? Ids.newId() : Ids.canonical(change.getCreate().getLineageId()),
            Ids.canonical(change.getCreate().getParentLineageId()), change.getCreate().getEntityType(),
            StructBytes.merged(change.getCreate().getDataList()), Ids.newId());
        case UPDATE -> new Command.MemberChange.Update(Ids.canonical(change.getUpdate().getLineageId()),
            change.getUpdate().getExpectedVersion(), StructBytes.merged(change.getUpdate().getDataList()), Ids.newId());
        case DELETE -> new Command.MemberChange.Delete(Ids.canonical(change.getDelete().getLineageId()),
            change.getDelete().getExpectedVersion(), Ids.newId());
        default -> throw new IllegalArgumentException("an unchecked change: " + change.getChangeCase());
      });
    }
    return commands;
  }

  /** The canonical form of a member's id, or null after adding why it is not one. */
  private static String lineageId(Names at, String member, String lineageId, List<FieldViolation> violations) {
    String canonical = Ids.canonical(lineageId);
    if (canonical == null) {
      RequestChecks.lineageId(at.of(member), lineageId, violations);
    }
    return canonical;
  }

  private static void data(Names at, StructBytes data, int maxEntityBytes, List<FieldViolation> violations) {
    if (!DataRules.plainlyWithin(data, maxEntityBytes)) {
      RequestChecks.data(at.of("data"), data, maxEntityBytes, violations);
    }
  }

  private static void optionalVersion(Names at, long expectedVersion, List<FieldViolation> violations) {
    if (expectedVersion < 0) {
      violations.add(violation(at.of("expected_version"),
          "must be 0 (not checked) or the version read, was " + expectedVersion));
    }
  }

  /** The field names of one change, e.g. {@code changes[2].update.data}. */
  private record Names(String field, int index, String kind) {

    String of(String member) {
      return field + "[" + index + "]." + kind + "." + member;
    }
  }
}
