package dev.abstractions.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.server.core.Actor;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.ops.OperationSpec;
import dev.abstractions.server.ops.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The durable store, through the real wiring and the real driver: everything a server holds
 * (versions with their history, operations live and ended, events and their sequence) comes back
 * the same after a restart, whether it is replayed from the log alone or loaded from a snapshot
 * plus the log after it; and the restarted store goes on from where it was. (A store that stops
 * takes a snapshot as it stops; a replay of the log alone, after a crash, is DurableCrashTest's.)
 */
class DurableStoreRestartTest {

  private static final Actor CLIENT = new Actor("client", false, false);
  private static final BooleanSupplier AWAITED = () -> true;

  @TempDir
  Path dataDir;

  private DurableNode node(long snapshotEvery) throws Exception {
    return new DurableNode(dataDir, snapshotEvery, "--history-limit", "5");
  }

  @ParameterizedTest(name = "snapshot every {0} log entries, and at stop")
  @ValueSource(longs = {1_000_000, 7})
  void aRestartedStoreHoldsWhatItHeldAndGoesOn(long snapshotEvery) throws Exception {
    Map<String, Object> before;
    List<String> ids = new ArrayList<>();
    String liveOp;
    long lastSequence;
    try (DurableNode node = node(snapshotEvery)) {
      for (int i = 0; i < 6; i++) {
        String id = "00000000-0000-0000-0000-00000000000" + i;
        ids.add(id);
        assertThat(node.driver.create(RequestKey.NONE, id, "", "counter", StructBytes.of(count(0))).join().ok()).isTrue();
        for (int v = 1; v <= 8; v++) {
          assertThat(node.driver.update(RequestKey.NONE, id, v, StructBytes.of(count(v))).join().value().version()).isEqualTo(v + 1);
        }
      }
      assertThat(node.driver.delete(RequestKey.NONE, ids.get(5), 9).join().ok()).isTrue();
      // Operations: one committed, one executed by the server, one aborted, one left in flight.
      String committed = begin(node, ids.get(0)).getOpId();
      assertThat(node.driver.commit(RequestKey.NONE, committed, StructBytes.of(count(100)), List.of(), CLIENT).join().ok()).isTrue();
      Outcome<?> executed = node.driver.execute(RequestKey.NONE, spec(ids.get(1)), "increment", Struct.newBuilder()
          .putFields("path", Value.newBuilder().setStringValue("n").build()).build(), "", CLIENT).join();
      assertThat(executed.ok()).isTrue();
      String aborted = begin(node, ids.get(2)).getOpId();
      assertThat(node.driver.abort(RequestKey.NONE, aborted, CLIENT).join().ok()).isTrue();
      liveOp = begin(node, ids.get(3)).getOpId();
      before = fingerprint(node, ids);
      lastSequence = node.store.lastSequence();
    }
    if (snapshotEvery < 100) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        assertThat(files.anyMatch(file -> file.getFileName().toString().startsWith("snapshot."))).isTrue();
      }
    }

    try (DurableNode node = node(snapshotEvery)) {
      assertThat(fingerprint(node, ids)).isEqualTo(before);
      // It goes on: the next version, the next sequence, and the operation left in flight commits.
      assertThat(node.driver.update(RequestKey.NONE, ids.get(4), 9, StructBytes.of(count(9))).join().value().version()).isEqualTo(10);
      assertThat(node.events.read(lastSequence + 1).event().getEntityVersioned().getNewVersion()).isEqualTo(10);
      assertThat(node.driver.commit(RequestKey.NONE, liveOp, StructBytes.of(count(300)), List.of(), CLIENT).join().ok()).isTrue();
      assertThat(node.store.operation(liveOp).status()).isEqualTo(OperationStatus.SUCCEEDED);
    }
  }

  private static OperationSpec spec(String target) {
    return new OperationSpec(target, "test", PriorityClass.NORMAL, 5, 3, "", Duration.ofMinutes(5));
  }

  private static OperationEntity begin(DurableNode node, String target) {
    return node.driver.begin(RequestKey.NONE, spec(target), AWAITED, CLIENT).join().value().getOperation();
  }

  /** Everything a client could read: every retained version, every operation, every event. */
  private static Map<String, Object> fingerprint(DurableNode node, List<String> ids) throws Exception {
    Map<String, Object> seen = new LinkedHashMap<>();
    for (String id : ids) {
      List<String> versions = new ArrayList<>();
      for (EntityVersion version : node.store.history(id, 1, 1000).orElseThrow().versions()) {
        versions.add(version.version() + ":" + java.util.Arrays.hashCode(version.encoded()));
      }
      seen.put("history " + id, versions);
      seen.put("operations " + id, node.store.operations(id, null, Set.of(), 100).operations());
    }
    seen.put("lastSequence", node.store.lastSequence());
    List<Event> events = new ArrayList<>();
    for (long sequence = 1; sequence <= node.store.lastSequence(); sequence++) {
      events.add(node.events.read(sequence).event());
    }
    seen.put("events", events);
    seen.put("live operations", node.store.liveOperations());
    return seen;
  }

  private static Struct count(double n) {
    return Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(n).build()).build();
  }
}
