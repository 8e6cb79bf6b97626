package dev.abstractions.server.grpc;

import static dev.abstractions.server.grpc.RequestChecks.violation;

import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.api.v1.DeleteMember;
import dev.abstractions.server.core.Command;
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
   * Create and Update take them.
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
      String at = field + "[" + i + "]";
      String lineageId;
      switch (change.getChangeCase()) {
        case CREATE -> {
          CreateMemberWire create = change.getCreate();
          at += ".create";
          lineageId = create.getLineageId();
          if (!lineageId.isEmpty()) {
            RequestChecks.lineageId(at + ".lineage_id", lineageId, violations);
          }
          RequestChecks.lineageId(at + ".parent_lineage_id", create.getParentLineageId(), violations);
          EntityRequests.checkEntityType(at + ".entity_type", create.getEntityType(), violations);
          RequestChecks.data(at + ".data", StructBytes.merged(create.getDataList()), maxEntityBytes, violations);
        }
        case UPDATE -> {
          UpdateMemberWire update = change.getUpdate();
          at += ".update";
          lineageId = update.getLineageId();
          RequestChecks.lineageId(at + ".lineage_id", lineageId, violations);
          optionalVersion(at + ".expected_version", update.getExpectedVersion(), violations);
          RequestChecks.data(at + ".data", StructBytes.merged(update.getDataList()), maxEntityBytes, violations);
        }
        case DELETE -> {
          DeleteMember delete = change.getDelete();
          at += ".delete";
          lineageId = delete.getLineageId();
          RequestChecks.lineageId(at + ".lineage_id", lineageId, violations);
          optionalVersion(at + ".expected_version", delete.getExpectedVersion(), violations);
        }
        default -> {
          violations.add(violation(at, "must set one of create, update, delete"));
          continue;
        }
      }
      String canonical = Ids.canonical(lineageId);
      if (canonical != null && !named.add(canonical)) {
        violations.add(violation(at + ".lineage_id", "names " + canonical + ", which an earlier change names"));
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

  private static void optionalVersion(String field, long expectedVersion, List<FieldViolation> violations) {
    if (expectedVersion < 0) {
      violations.add(violation(field, "must be 0 (not checked) or the version read, was " + expectedVersion));
    }
  }
}
