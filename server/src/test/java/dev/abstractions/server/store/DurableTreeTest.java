package dev.abstractions.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.server.core.Actor;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.ops.OperationSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trees in the durable store: after a restart, from the log alone or from a snapshot and the log
 * after it, every tree (one made by a promotion too) reads the same at every tree version, its
 * history and events are the same, its counters (version, members, bytes, where it began) are
 * where the writes left them, and it goes on from there.
 */
class DurableTreeTest {

  private static final Actor CLIENT = new Actor("client", false, false);
  private static final String ROOT = "10000000-0000-0000-0000-000000000000";
  private static final String A = "10000000-0000-0000-0000-00000000000a";
  private static final String B = "10000000-0000-0000-0000-00000000000b";
  private static final String C = "10000000-0000-0000-0000-00000000000c";

  @TempDir
  Path dataDir;

  private DurableNode node(long snapshotEvery) throws Exception {
    return new DurableNode(dataDir, snapshotEvery, "--max-tree-members", "4");
  }


  @ParameterizedTest(name = "snapshot every {0} log entries, and at stop")
  @ValueSource(longs = {1_000_000, 3})
  void aRestartedStoreHoldsItsTreesAsTheyWereAndTheyGoOn(long snapshotEvery) throws Exception {
    Map<String, Object> before;
    try (DurableNode node = node(snapshotEvery)) {
      assertThat(node.driver.create(RequestKey.NONE, ROOT, "", "Order", StructBytes.of(n(0))).join().ok()).isTrue();
      assertThat(node.driver.create(RequestKey.NONE, A, ROOT, "Line", StructBytes.of(n(1))).join().ok()).isTrue();
      assertThat(node.driver.writeTree(RequestKey.NONE, ROOT, 2, List.of(
          new Command.MemberChange.Create(B, A, "Note", StructBytes.of(n(2)), "20000000-0000-0000-0000-000000000001"),
          new Command.MemberChange.Update(A, 1, StructBytes.of(n(11)), "20000000-0000-0000-0000-000000000002"))).join().ok())
          .isTrue();
      assertThat(node.driver.update(RequestKey.NONE, B, 1, StructBytes.of(n(22))).join().ok()).isTrue();
      String op = node.driver.begin(RequestKey.NONE, new OperationSpec(ROOT, "t", PriorityClass.NORMAL, 5, 3, "",
          Duration.ofMinutes(5)), () -> true, CLIENT).join().value().getOperation().getOpId();
      assertThat(node.driver.commit(RequestKey.NONE, op, StructBytes.EMPTY, List.of(
          new Command.MemberChange.Create(C, ROOT, "Line", StructBytes.of(n(3)), "20000000-0000-0000-0000-000000000003")), CLIENT)
          .join().value().getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
      // A, with B under it, becomes a tree of its own: both trees at 6.
      assertThat(node.driver.promote(RequestKey.NONE, A, 5, 10).join().value().treeVersion()).isEqualTo(6);
      before = fingerprint(node);
      assertThat(before.get("tree at 0")).asString().startsWith("FOUND 6 ");
      assertThat(before.get("tree at 5")).asString().startsWith("FOUND 5 ");
      assertThat(before.get("promoted tree at 5")).asString().startsWith("NO_VERSION ");
    }

    try (DurableNode node = node(snapshotEvery)) {
      assertThat(fingerprint(node)).isEqualTo(before);
      // The counters came back: ROOT holds itself and C, so two more fit (--max-tree-members 4) and a third
      // does not; each tree goes on from 6.
      for (String id : List.of("10000000-0000-0000-0000-00000000000d", "10000000-0000-0000-0000-00000000000e")) {
        assertThat(node.driver.create(RequestKey.NONE, id, ROOT, "Line", StructBytes.of(n(4))).join().ok()).isTrue();
      }
      assertThat(node.driver.create(RequestKey.NONE, "10000000-0000-0000-0000-00000000000f", ROOT, "Line", StructBytes.of(n(4)))
          .join().refusal().kind()).isEqualTo(dev.abstractions.server.core.Refusal.Kind.TREE_LIMIT);
      assertThat(node.store.readTree(ROOT, 0, "", 100).treeVersion()).isEqualTo(8);
      EntityVersion next = node.driver.update(RequestKey.NONE, B, 3, StructBytes.of(n(33))).join().value();
      assertThat(next.treeVersion()).isEqualTo(7);
      assertThat(node.store.readTree(A, 0, "", 100).treeVersion()).isEqualTo(7);
    }
  }

  @ParameterizedTest(name = "snapshot every {0} log entries, and at stop")
  @ValueSource(longs = {1_000_000, 3})
  void aRestartedStoreHoldsAnAttachedTreeWhereItWentAndItGoesOn(long snapshotEvery) throws Exception {
    Map<String, Object> before;
    try (DurableNode node = node(snapshotEvery)) {
      assertThat(node.driver.create(RequestKey.NONE, ROOT, "", "Order", StructBytes.of(n(0))).join().ok()).isTrue();
      assertThat(node.driver.create(RequestKey.NONE, C, ROOT, "Line", StructBytes.of(n(1))).join().ok()).isTrue();
      assertThat(node.driver.create(RequestKey.NONE, A, "", "Order", StructBytes.of(n(2))).join().ok()).isTrue();
      assertThat(node.driver.create(RequestKey.NONE, B, A, "Line", StructBytes.of(n(3))).join().ok()).isTrue();
      assertThat(node.driver.update(RequestKey.NONE, B, 1, StructBytes.of(n(4))).join().ok()).isTrue();
      // A's tree (at 3) goes under C in ROOT's (at 2): both at 4.
      assertThat(node.driver.attach(RequestKey.NONE, A, 3, C, 2, 10).join().value().treeVersion()).isEqualTo(4);
      before = attachedFingerprint(node);
      assertThat(before.get("tree at 0")).asString().startsWith("FOUND 4 ");
      assertThat(before.get("tree at 3")).asString().startsWith("FOUND 3 ");
      assertThat(before.get("attached tree")).isEqualTo("NOT_A_ROOT " + ROOT);
    }

    try (DurableNode node = node(snapshotEvery)) {
      assertThat(attachedFingerprint(node)).isEqualTo(before);
      EntityVersion next = node.driver.update(RequestKey.NONE, B, 3, StructBytes.of(n(5))).join().value();
      assertThat(next.treeVersion()).isEqualTo(5);
      assertThat(next.rootLineageId()).isEqualTo(ROOT);
      // ROOT holds itself, C, A and B: the limit (4) refuses a fifth.
      assertThat(node.driver.create(RequestKey.NONE, "10000000-0000-0000-0000-00000000000f", ROOT, "Line", StructBytes.of(n(6)))
          .join().refusal().kind()).isEqualTo(dev.abstractions.server.core.Refusal.Kind.TREE_LIMIT);
    }
  }

  /** The receiving tree at every version, its history, the attached root's reads, and every event. */
  private static Map<String, Object> attachedFingerprint(DurableNode node) throws Exception {
    Map<String, Object> seen = new LinkedHashMap<>();
    for (long treeVersion = 0; treeVersion <= 4; treeVersion++) {
      seen.put("tree at " + treeVersion, describe(node.store.readTree(ROOT, treeVersion, "", 100)));
    }
    TreeRead attached = node.store.readTree(A, 0, "", 100);
    seen.put("attached tree", attached.kind() + " " + attached.rootLineageId());
    List<String> history = new ArrayList<>();
    for (TreeHistoryPage.TreeVersion version : node.store.treeHistory(ROOT, 1, 100).orElseThrow().versions()) {
      history.add(version.treeVersion() + " " + version.stampNanos() + " " + encoded(version.written()));
    }
    seen.put("history", history);
    putRootsAndEvents(node, seen);
    return seen;
  }

  /** Every tree version as GetTree reads it, the tree's history, and every event. */
  private static Map<String, Object> fingerprint(DurableNode node) throws Exception {
    Map<String, Object> seen = new LinkedHashMap<>();
    for (long treeVersion = 0; treeVersion <= 6; treeVersion++) {
      seen.put("tree at " + treeVersion, describe(node.store.readTree(ROOT, treeVersion, "", 100)));
    }
    for (long treeVersion : new long[] {0, 5, 6}) {
      seen.put("promoted tree at " + treeVersion, describe(node.store.readTree(A, treeVersion, "", 100)));
    }
    List<String> history = new ArrayList<>();
    for (String root : List.of(ROOT, A)) {
      TreeHistoryPage page = node.store.treeHistory(root, 1, 100).orElseThrow();
      history.add(root + " from " + page.oldestRetained());
      for (TreeHistoryPage.TreeVersion version : page.versions()) {
        history.add(version.treeVersion() + " " + version.stampNanos() + " " + encoded(version.written()));
      }
    }
    seen.put("history", history);
    putRootsAndEvents(node, seen);
    return seen;
  }

  /** The roots of A, B and C, and every event in the log. */
  private static void putRootsAndEvents(DurableNode node, Map<String, Object> seen) throws Exception {
    seen.put("roots", List.of(node.store.rootOf(A), node.store.rootOf(B), node.store.rootOf(C)));
    List<Event> events = new ArrayList<>();
    for (long sequence = 1; sequence <= node.store.lastSequence(); sequence++) {
      events.add(node.events.read(sequence).event());
    }
    seen.put("events", events);
  }

  private static String describe(TreeRead read) {
    return read.kind() + " " + read.treeVersion() + " " + read.stampNanos() + " " + read.oldestRetained() + " "
        + encoded(read.members());
  }

  private static List<String> encoded(List<EntityVersion> versions) {
    List<String> encoded = new ArrayList<>();
    for (EntityVersion version : versions) {
      encoded.add(version.lineageId() + ":" + version.version() + ":" + java.util.Arrays.hashCode(version.encoded()));
    }
    return encoded;
  }

  private static Struct n(double n) {
    return Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(n).build()).build();
  }
}
