package dev.abstractions.client;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.WriteTreeResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One entity tree at one tree version, read whole ({@link EntityClient#getTree}): its live members,
 * the root included, each at its version then, ordered by lineage id, with lookups by lineage id
 * and by parent so a caller can walk the hierarchy. It holds every member in memory, so it is as
 * large as the tree, which the server bounds ({@code --max-tree-members}, {@code --max-tree-bytes};
 * 10,000 members and 64 MiB by default). Immutable and thread-safe; equal when root, tree version,
 * time and members are.
 */
public final class Tree {

  private final String rootLineageId;
  private final long treeVersion;
  private final long lastModifiedNs;
  private final List<Entity> members;
  private final Map<String, Entity> byLineageId;
  private final Map<String, List<Entity>> childrenByParent;

  private Tree(String rootLineageId, long treeVersion, long lastModifiedNs, List<Entity> members) {
    this.rootLineageId = rootLineageId;
    this.treeVersion = treeVersion;
    this.lastModifiedNs = lastModifiedNs;
    this.members = List.copyOf(members);
    Map<String, Entity> byId = new HashMap<>();
    Map<String, List<Entity>> children = new HashMap<>();
    for (Entity member : this.members) {
      byId.put(member.getLineageId(), member);
      if (!member.getParentLineageId().isEmpty()) {
        children.computeIfAbsent(member.getParentLineageId(), parent -> new ArrayList<>()).add(member);
      }
    }
    this.byLineageId = Map.copyOf(byId);
    Map<String, List<Entity>> frozen = new HashMap<>();
    children.forEach((parent, list) -> frozen.put(parent, List.copyOf(list)));
    this.childrenByParent = Map.copyOf(frozen);
  }

  /** The tree the pages of one read hold: {@code first} names it, {@code members} are every page's, in order. */
  static Tree read(GetTreeResponse first, List<Entity> members) {
    return new Tree(first.getRootLineageId(), first.getTreeVersion(), first.getLastModifiedNs(), members);
  }

  /**
   * This tree after {@code written}, a write that expected this tree's version and so was the only
   * change between the two: the members it wrote replace theirs, its tombstones leave, its creations
   * join. What {@link EntityClient#getTree} would read at the new tree version, without reading it.
   */
  Tree after(WriteTreeResponse written) {
    Map<String, Entity> next = new TreeMap<>(byLineageId);
    for (Entity member : written.getWrittenList()) {
      if (member.getDeleted()) {
        next.remove(member.getLineageId());
      } else {
        next.put(member.getLineageId(), member);
      }
    }
    // Every member a write writes shares its time; a write writes at least one.
    return new Tree(rootLineageId, written.getTreeVersion(), written.getWritten(0).getLastModifiedNs(),
        List.copyOf(next.values()));
  }

  public String rootLineageId() {
    return rootLineageId;
  }

  /** The tree version every member was read at. */
  public long treeVersion() {
    return treeVersion;
  }

  /** When that tree version was written: nanoseconds since the Unix epoch, strictly increasing per tree. */
  public long lastModifiedNs() {
    return lastModifiedNs;
  }

  /** The live members, the root included, ordered by lineage id. */
  public List<Entity> members() {
    return members;
  }

  /** The live member {@code lineageId}, or empty if it is not one of this tree at this tree version. */
  public Optional<Entity> member(String lineageId) {
    return Optional.ofNullable(byLineageId.get(lineageId));
  }

  /** The live members created directly under {@code lineageId}, ordered by lineage id; empty for a leaf. */
  public List<Entity> children(String lineageId) {
    return childrenByParent.getOrDefault(lineageId, List.of());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tree tree
        && treeVersion == tree.treeVersion
        && lastModifiedNs == tree.lastModifiedNs
        && rootLineageId.equals(tree.rootLineageId)
        && members.equals(tree.members);
  }

  @Override
  public int hashCode() {
    return rootLineageId.hashCode() * 31 + Long.hashCode(treeVersion);
  }

  @Override
  public String toString() {
    return "Tree{root=" + rootLineageId + ", treeVersion=" + treeVersion + ", members=" + members.size() + "}";
  }
}
