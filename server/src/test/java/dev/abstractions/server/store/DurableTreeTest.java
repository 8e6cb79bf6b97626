package dev.abstractions.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.server.ServerModules;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.Actor;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.ops.CommandDriver;
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
 * after it, every tree reads the same at every tree version, its history and events are the same,
 * its counters (version, members, bytes) are where the writes left them, and it goes on from there.
 */
class DurableTreeTest {

  private static final Actor CLIENT = new Actor("client", false, false);
  private static final String ROOT = "10000000-0000-0000-0000-000000000000";
  private static final String A = "10000000-0000-0000-0000-00000000000a";
  private static final String B = "10000000-0000-0000-0000-00000000000b";
  private static final String C = "10000000-0000-0000-0000-00000000000c";

  @TempDir
  Path dataDir;

  private final class Node implements AutoCloseable {
    final Injector injector;
    final EntityStore store;
    final CommandDriver driver;
    final EventLog events;

    Node(long snapshotEvery) throws Exception {
      injector = ServerModules.injector(ServerConfig.parse("--store", "durable", "--data-dir", dataDir.toString(),
          "--snapshot-every", Long.toString(snapshotEvery), "--max-tree-members", "4"));
      store = injector.getInstance(EntityStore.class);
      driver = injector.getInstance(CommandDriver.class);
      events = injector.getInstance(EventLog.class);
      store.start();
    }

    @Override
    public void close() throws Exception {
      driver.close();
      store.close();
    }
  }

  @ParameterizedTest(name = "snapshot every {0} log entries, and at stop")
  @ValueSource(longs = {1_000_000, 3})
  void aRestartedStoreHoldsItsTreesAsTheyWereAndTheyGoOn(long snapshotEvery) throws Exception {
    Map<String, Object> before;
    try (Node node = new Node(snapshotEvery)) {
      assertThat(node.driver.create(RequestKey.NONE, ROOT, "", "Order", n(0)).join().ok()).isTrue();
      assertThat(node.driver.create(RequestKey.NONE, A, ROOT, "Line", n(1)).join().ok()).isTrue();
      assertThat(node.driver.writeTree(RequestKey.NONE, ROOT, 2, List.of(
          new Command.MemberChange.Create(B, A, "Note", n(2), "20000000-0000-0000-0000-000000000001"),
          new Command.MemberChange.Update(A, 1, n(11), "20000000-0000-0000-0000-000000000002"))).join().ok())
          .isTrue();
      assertThat(node.driver.update(RequestKey.NONE, B, 1, n(22)).join().ok()).isTrue();
      String op = node.driver.begin(RequestKey.NONE, new OperationSpec(ROOT, "t", PriorityClass.NORMAL, 5, 3, "",
          Duration.ofMinutes(5)), () -> true, CLIENT).join().value().getOperation().getOpId();
      assertThat(node.driver.commit(RequestKey.NONE, op, Struct.getDefaultInstance(), List.of(
          new Command.MemberChange.Create(C, ROOT, "Line", n(3), "20000000-0000-0000-0000-000000000003")), CLIENT)
          .join().value().getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
      before = fingerprint(node);
      assertThat(before.get("tree at 0")).asString().startsWith("FOUND 5 ");
    }

    try (Node node = new Node(snapshotEvery)) {
      assertThat(fingerprint(node)).isEqualTo(before);
      // The counters came back: the fifth member is refused (--max-tree-members 4), a change goes on at 6.
      assertThat(node.driver.create(RequestKey.NONE, "10000000-0000-0000-0000-00000000000d", ROOT, "Line", n(4))
          .join().refusal().kind()).isEqualTo(dev.abstractions.server.core.Refusal.Kind.TREE_LIMIT);
      EntityVersion next = node.driver.update(RequestKey.NONE, C, 1, n(33)).join().value();
      assertThat(next.treeVersion()).isEqualTo(6);
      assertThat(node.store.readTree(ROOT, 0, "", 100).treeVersion()).isEqualTo(6);
    }
  }

  /** Every tree version as GetTree reads it, the tree's history, and every event. */
  private static Map<String, Object> fingerprint(Node node) throws Exception {
    Map<String, Object> seen = new LinkedHashMap<>();
    for (long treeVersion = 0; treeVersion <= 5; treeVersion++) {
      TreeRead read = node.store.readTree(ROOT, treeVersion, "", 100);
      seen.put("tree at " + treeVersion, read.kind() + " " + read.treeVersion() + " " + read.stampNanos() + " "
          + encoded(read.members()));
    }
    List<String> history = new ArrayList<>();
    for (TreeHistoryPage.TreeVersion version : node.store.treeHistory(ROOT, 1, 100).orElseThrow().versions()) {
      history.add(version.treeVersion() + " " + version.stampNanos() + " " + encoded(version.written()));
    }
    seen.put("history", history);
    seen.put("roots", List.of(node.store.rootOf(A), node.store.rootOf(B), node.store.rootOf(C)));
    List<Event> events = new ArrayList<>();
    for (long sequence = 1; sequence <= node.store.lastSequence(); sequence++) {
      events.add(node.events.read(sequence).event());
    }
    seen.put("events", events);
    return seen;
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
