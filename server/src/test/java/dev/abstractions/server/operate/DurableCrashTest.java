package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.Main;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a durable server under write load, then a restart on the same data directory: every
 * write the server acknowledged is there, each lineage's versions form one chain without a gap,
 * and the event feed from sequence 1 holds one event per version, gap-free, up to the last. The
 * restart replays the log (a killed server takes no snapshot on its way down). Each run is a real
 * server process over a real channel.
 *
 * <p>{@code -Dcrash.runs=10} for the slow profile; 2 runs by default.
 */
class DurableCrashTest {

  private static final int WRITERS = 16;
  private static final long LOAD_MILLIS = 1500;

  @TempDir
  Path scratch;

  @TestFactory
  Stream<DynamicTest> killedUnderWriteLoadLosesNothingAcknowledged() {
    // Odd runs replay the log alone; even runs snapshot every 200 entries, so the restart loads a
    // snapshot (perhaps with one being written at the kill) and replays the log after it.
    return IntStream.rangeClosed(1, Integer.getInteger("crash.runs", 2))
        .mapToObj(run -> DynamicTest.dynamicTest(run % 2 == 1 ? "run " + run + ", log only" : "run " + run
            + ", snapshots", () -> killAndRestart(scratch.resolve("run-" + run), run % 2 == 1 ? 1_000_000 : 200)));
  }

  private void killAndRestart(Path dataDir, long snapshotEvery) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      ids.add(String.format("00000000-0000-0000-0000-%012d", i));
    }
    AtomicLongArray acknowledged = new AtomicLongArray(WRITERS);
    ServerProcess first = durableServer(dataDir, snapshotEvery);
    ManagedChannel channel = channel(first);
    try {
      var entities = EntityServiceGrpc.newBlockingStub(channel);
      for (int i = 0; i < WRITERS; i++) {
        entities.create(CreateEntityRequest.newBuilder().setLineageId(ids.get(i)).setEntityType("counter")
            .setData(count(1)).build());
        acknowledged.set(i, 1);
      }
      List<Thread> writers = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        int writer = i;
        Thread thread = new Thread(() -> {
          try {
            while (true) {
              long version = acknowledged.get(writer);
              Entity written = entities.withDeadlineAfter(10, TimeUnit.SECONDS).update(UpdateEntityRequest.newBuilder()
                  .setLineageId(ids.get(writer)).setExpectedVersion(version).setData(count(version + 1)).build());
              assertThat(written.getVersion()).isEqualTo(version + 1);
              acknowledged.set(writer, version + 1);
            }
          } catch (StatusRuntimeException killed) {
            // The server is gone: this writer's last acknowledged version is final.
          }
        });
        thread.start();
        writers.add(thread);
      }
      Thread.sleep(LOAD_MILLIS);
      first.close(); // SIGKILL: no shutdown hook, no snapshot at stop
      for (Thread writer : writers) {
        writer.join(TimeUnit.SECONDS.toMillis(30));
      }
    } finally {
      channel.shutdownNow();
      first.close();
    }
    long totalAcknowledged = 0;
    for (int i = 0; i < WRITERS; i++) {
      totalAcknowledged += acknowledged.get(i);
    }
    assertThat(totalAcknowledged).as("writes acknowledged before the kill").isGreaterThan(2L * WRITERS);

    ServerProcess second = durableServer(dataDir, snapshotEvery);
    ManagedChannel again = channel(second);
    try {
      var entities = EntityServiceGrpc.newBlockingStub(again).withDeadlineAfter(30, TimeUnit.SECONDS);
      long versions = 0;
      List<Long> heads = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        Entity head = entities.get(GetEntityRequest.newBuilder().setLineageId(ids.get(i)).build());
        long acked = acknowledged.get(i);
        // At most the one write in flight at the kill may have been applied without its answer.
        assertThat(head.getVersion()).as("lineage %d", i).isBetween(acked, acked + 1);
        // The retained versions (the latest 100), oldest first.
        List<Entity> history = entities.history(EntityHistoryRequest.newBuilder().setLineageId(ids.get(i))
            .setPageSize(1000).build()).getVersionsList();
        for (int k = 0; k < history.size(); k++) {
          Entity version = history.get(k);
          assertThat(version.getVersion()).isEqualTo(history.get(0).getVersion() + k);
          assertThat(version.getData().getFieldsOrThrow("n").getNumberValue()).isEqualTo(version.getVersion());
          if (k > 0) {
            assertThat(version.getPreviousEcsId()).isEqualTo(history.get(k - 1).getEcsId());
          }
        }
        assertThat(history.get(history.size() - 1)).isEqualTo(head);
        heads.add(head.getVersion());
        versions += head.getVersion();
      }

      // One event per version (a create, then an EntityVersioned per update), gap-free from 1.
      Iterator<Event> feed = EventServiceGrpc.newBlockingStub(again).withDeadlineAfter(30, TimeUnit.SECONDS)
          .subscribe(SubscribeRequest.newBuilder().setFromSequence(1).build());
      long[] nextVersion = new long[WRITERS];
      for (long sequence = 1; sequence <= versions; ) {
        Event event = feed.next();
        if (event.hasProgress()) {
          continue;
        }
        assertThat(event.getSequence()).isEqualTo(sequence);
        int writer = ids.indexOf(event.getTargetLineageId());
        long version = event.hasEntityCreated()
            ? event.getEntityCreated().getEntity().getVersion()
            : event.getEntityVersioned().getNewVersion();
        assertThat(version).isEqualTo(nextVersion[writer] == 0 ? 1 : nextVersion[writer]);
        nextVersion[writer] = version + 1;
        sequence++;
      }
      for (int i = 0; i < WRITERS; i++) {
        assertThat(nextVersion[i] - 1).isEqualTo(heads.get(i));
      }
      // And it goes on.
      Entity next = entities.update(UpdateEntityRequest.newBuilder().setLineageId(ids.get(0))
          .setExpectedVersion(heads.get(0)).setData(count(heads.get(0) + 1)).build());
      assertThat(next.getVersion()).isEqualTo(heads.get(0) + 1);
    } finally {
      again.shutdownNow();
      assertThat(second.stop(Duration.ofSeconds(30))).as("exited on SIGTERM").isNotNull();
      second.close();
    }
  }

  private static Struct count(long n) {
    return Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(n).build()).build();
  }

  private static ServerProcess durableServer(Path dataDir, long snapshotEvery) throws IOException {
    return ServerProcess.start(Main.class, List.of("-Xmx512m"), "--store", "durable", "--data-dir", dataDir.toString(),
        "--snapshot-every", Long.toString(snapshotEvery), "--metrics-port", "0");
  }

  private static ManagedChannel channel(ServerProcess server) throws Exception {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.awaitPort(Duration.ofSeconds(60))).usePlaintext().build();
  }
}
