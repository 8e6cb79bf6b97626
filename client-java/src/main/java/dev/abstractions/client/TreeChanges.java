package dev.abstractions.client;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.CreateMember;
import dev.abstractions.api.v1.DeleteMember;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.UpdateMember;

/**
 * The changes of a {@link EntityClient#writeTree} in one line each, e.g. {@code
 * TreeChanges.update(id, data)} instead of three nested builders. Updates and deletes leave the
 * member's {@code expected_version} unchecked (0): the write's expected tree version already
 * guards every member, since any change in the tree moves it; build a {@link TreeChange} by hand
 * to check a member's version too. Stateless and thread-safe.
 */
public final class TreeChanges {

  private TreeChanges() {}

  /** Creates version 1 of a new member under {@code parentLineageId}, with a server-assigned lineage id. */
  public static TreeChange create(String parentLineageId, String entityType, Struct data) {
    return create(parentLineageId, "", entityType, data);
  }

  /**
   * Creates version 1 of {@code lineageId} under {@code parentLineageId}. Naming the id lets a later
   * change of the same write create members under this one.
   */
  public static TreeChange create(String parentLineageId, String lineageId, String entityType, Struct data) {
    return TreeChange.newBuilder().setCreate(CreateMember.newBuilder()
        .setParentLineageId(parentLineageId)
        .setLineageId(lineageId)
        .setEntityType(entityType)
        .setData(data)).build();
  }

  /** Replaces a member's data (the root is a member too). */
  public static TreeChange update(String lineageId, Struct data) {
    return TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(lineageId).setData(data)).build();
  }

  /** Writes a member's tombstone; its live children must be deleted by the same write. */
  public static TreeChange delete(String lineageId) {
    return TreeChange.newBuilder().setDelete(DeleteMember.newBuilder().setLineageId(lineageId)).build();
  }
}
