package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.Main;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable server remembers the requests it applied across restarts: a Create and an Update sent
 * with a {@code request_id}, replayed after a crash (kill -9: the log is replayed), after a stop
 * (SIGTERM: a snapshot is taken and loaded), and after so many writes that the log holding them
 * was deleted behind a snapshot, are answered exactly their first answers and write nothing. The
 * same id with a different request is INVALID_ARGUMENT. Each server is a process of its own.
 */
class DurableRequestLedgerTest {

  private static final String TYPE = "Ledgered";

  @TempDir
  Path dataDir;

  @Test
  void replaysAfterACrashAndAfterAStopAreAnsweredTheFirstAnswersAndWriteNothing() throws Exception {
    CreateEntityRequest create = CreateEntityRequest.newBuilder().setEntityType(TYPE).setData(count(1))
        .setRequestId("create-1").build();
    Entity created;
    Entity updated;
    try (Server first = new Server(1_000_000)) {
      created = first.entities().create(create);
      updated = first.entities().update(update(created.getLineageId()));
      assertThat(updated.getVersion()).isEqualTo(2);
      first.process.close(); // SIGKILL: no snapshot, the restart replays the log
    }
    try (Server second = new Server(1_000_000)) {
      assertReplayed(second, create, created, updated);
      assertThat(second.process.stop(Duration.ofSeconds(30))).as("exited on SIGTERM").isNotNull();
    }
    try (Server third = new Server(1_000_000)) {
      assertThat(third.process.output()).as("loaded the snapshot taken at stop").contains("snapshot loaded");
      assertReplayed(third, create, created, updated);
    }
  }

  @Test
  void replaysAreAnsweredFromASnapshotOnceTheLogThatHeldTheRequestsIsDeleted() throws Exception {
    CreateEntityRequest create = CreateEntityRequest.newBuilder().setEntityType(TYPE).setData(count(1))
        .setRequestId("create-1").build();
    Entity created;
    Entity updated;
    try (Server first = new Server(20, "--log-segment-bytes", "65536")) {
      created = first.entities().create(create);
      updated = first.entities().update(update(created.getLineageId()));
      String other = first.entities().create(CreateEntityRequest.newBuilder().setEntityType("Filler")
          .setData(padding(0)).build()).getLineageId();
      for (long version = 1; version <= 300; version++) {
        first.entities().update(UpdateEntityRequest.newBuilder().setLineageId(other).setExpectedVersion(version)
            .setData(padding(version)).build());
      }
      awaitLogDeletedFrom(0);
      first.process.close(); // SIGKILL: the restart loads a snapshot taken while it ran
    }
    try (Server second = new Server(20, "--log-segment-bytes", "65536")) {
      assertThat(second.process.output()).contains("snapshot loaded");
      assertReplayed(second, create, created, updated);
    }
  }

  private static UpdateEntityRequest update(String lineageId) {
    return UpdateEntityRequest.newBuilder().setLineageId(lineageId).setExpectedVersion(1).setData(count(2))
        .setRequestId("update-1").build();
  }

  private static void assertReplayed(Server server, CreateEntityRequest create, Entity created, Entity updated) {
    EntityServiceGrpc.EntityServiceBlockingStub entities = server.entities();
    assertThat(entities.create(create)).isEqualTo(created);
    assertThat(entities.update(update(created.getLineageId()))).isEqualTo(updated);

    StatusRuntimeException reused = catchThrowableOfType(StatusRuntimeException.class,
        () -> entities.update(update(created.getLineageId()).toBuilder().setData(count(3)).build()));
    assertThat(reused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    assertThat(entities.history(EntityHistoryRequest.newBuilder().setLineageId(created.getLineageId()).build())
        .getVersionsList()).containsExactly(created, updated);
    assertThat(entities.list(ListEntitiesRequest.newBuilder().setEntityType(TYPE).build()).getEntitiesList())
        .containsExactly(updated);
  }

  /** Waits until the log segment that began at {@code index} was deleted behind a snapshot. */
  private void awaitLogDeletedFrom(long index) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (logSegments().anyMatch(name -> name.startsWith("log_" + index + "-")
        || name.equals("log_inprogress_" + index))) {
      assertThat(System.nanoTime()).as("the first log segment is deleted").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private Stream<String> logSegments() throws Exception {
    try (Stream<Path> files = Files.walk(dataDir)) {
      List<String> names = files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith("log_"))
          .toList();
      assertThat(names).as("log segments").isNotEmpty();
      return names.stream();
    }
  }

  /** A durable server process over the test's data directory, and a channel to it. */
  private final class Server implements AutoCloseable {
    final ServerProcess process;
    final ManagedChannel channel;

    Server(long snapshotEvery, String... flags) throws Exception {
      List<String> all = new ArrayList<>(List.of("--store", "durable", "--data-dir", dataDir.toString(),
          "--snapshot-every", Long.toString(snapshotEvery), "--metrics-port", "0"));
      all.addAll(List.of(flags));
      process = ServerProcess.start(Main.class, List.of("-Xmx256m"), all.toArray(String[]::new));
      channel = NettyChannelBuilder.forAddress("127.0.0.1", process.awaitPort(Duration.ofSeconds(60))).usePlaintext()
          .build();
    }

    EntityServiceGrpc.EntityServiceBlockingStub entities() {
      return EntityServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow();
      process.close();
    }
  }

  private static Struct count(long n) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(n).build()).build();
  }

  /** About 1 KB, so that a few hundred writes fill several 64 KiB log segments. */
  private static Struct padding(long n) {
    return Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(n).build())
        .putFields("padding", Value.newBuilder().setStringValue("x".repeat(1000)).build()).build();
  }
}
