package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable store on a disk that runs short (--min-free-disk), on a real server and a real file
 * system: the test sets the minimum just below what is free, then takes the difference and more
 * with a file of its own.
 */
class DiskFullTest {

  private static final long MIB = 1 << 20;
  /** How far below today's free space the server's minimum lies; the filler takes twice this. */
  private static final long MARGIN = 256 * MIB;

  @TempDir
  Path dir;

  @Test
  void writesAreRefusedWhileTheDiskIsShortAndTakenAgainWhenSpaceComesBack() throws Exception {
    long usable = Files.getFileStore(dir).getUsableSpace();
    assumeThat(usable).as("free space to run the test in").isGreaterThan(8 * MARGIN);
    long minFree = usable - MARGIN;
    Path data = dir.resolve("data");
    Path filler = dir.resolve("filler");
    String id;
    try (TestServer server = TestServer.start("--store", "durable", "--data-dir", data.toString(),
        "--min-free-disk", Long.toString(minFree))) {
      var entities = EntityServiceGrpc.newBlockingStub(server.channel());
      var operations = OperationServiceGrpc.newBlockingStub(server.channel());
      id = entities.create(create(1)).getLineageId();
      String doomed = entities.create(create(2)).getLineageId();
      OperationEntity begun = operations.begin(BeginOperationRequest.newBuilder().setTargetLineageId(id).build())
          .getOperation();

      fill(filler, 2 * MARGIN);
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> refused(() -> entities.update(update(id, 1, 10))) != null);

      assertDiskFull(refused(() -> entities.update(update(id, 1, 10))), minFree);
      assertDiskFull(refused(() -> entities.create(create(3))), minFree);
      assertDiskFull(refused(() -> operations.begin(BeginOperationRequest.newBuilder().setTargetLineageId(id).build())),
          minFree);
      assertDiskFull(refused(() -> operations.commit(CommitOperationRequest.newBuilder().setOpId(begun.getOpId())
          .setData(data(11)).build())), minFree);
      assertDiskFull(refused(() -> operations.execute(ExecuteRequest.newBuilder().setTargetLineageId(id)
          .setFunction("increment").setArgs(Struct.newBuilder().putFields("path", string("n"))).build())), minFree);
      // Nothing changed; reads go on, and so do what makes room or winds work down.
      Entity current = entities.get(GetEntityRequest.newBuilder().setLineageId(id).build());
      assertThat(current.getVersion()).isEqualTo(1);
      assertThat(current.getData()).isEqualTo(data(1));
      assertThat(operations.abort(AbortOperationRequest.newBuilder().setOpId(begun.getOpId()).build()).getStatus())
          .isEqualTo(OperationStatus.CANCELLED);
      assertThat(entities.delete(DeleteEntityRequest.newBuilder().setLineageId(doomed).setExpectedVersion(1).build())
          .getDeleted()).isTrue();
      var metrics = MetricsEndpointTest.scrape(server.metricsPort());
      assertThat(metrics.get("abstractions_disk_free_bytes")).isLessThan(minFree);
      assertThat(metrics).containsEntry("abstractions_disk_min_free_bytes", (double) minFree);

      Files.delete(filler);
      // The first update accepted is version 2, whichever try it was.
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> refused(() -> entities.update(update(id, 1, 10))) == null);
      assertThat(entities.update(update(id, 2, 20)).getVersion()).isEqualTo(3);
    }
    // What was written before, during and after the shortage is all there after a restart.
    try (TestServer again = TestServer.start("--store", "durable", "--data-dir", data.toString(),
        "--min-free-disk", Long.toString(minFree))) {
      Entity current = EntityServiceGrpc.newBlockingStub(again.channel())
          .get(GetEntityRequest.newBuilder().setLineageId(id).build());
      assertThat(current.getVersion()).isEqualTo(3);
      assertThat(current.getData()).isEqualTo(data(20));
    }
  }

  /** Writes {@code bytes} of real blocks (not a sparse file) and waits until the disk has them. */
  private static void fill(Path file, long bytes) throws IOException {
    ByteBuffer block = ByteBuffer.allocateDirect((int) MIB);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long written = 0; written < bytes; written += MIB) {
        block.clear();
        while (block.hasRemaining()) {
          channel.write(block);
        }
      }
      channel.force(true);
    }
  }

  private static StatusRuntimeException refused(Supplier<?> call) {
    try {
      call.get();
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  private static void assertDiskFull(StatusRuntimeException refused, long minFree) throws Exception {
    assertThat(refused).isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    ErrorInfo info = null;
    QuotaFailure quota = null;
    for (Any detail : StatusProto.fromThrowable(refused).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        info = detail.unpack(ErrorInfo.class);
      } else if (detail.is(QuotaFailure.class)) {
        quota = detail.unpack(QuotaFailure.class);
      }
    }
    assertThat(info.getReason()).isEqualTo("DISK_FULL");
    assertThat(info.getMetadataMap()).containsEntry("min_free_bytes", Long.toString(minFree));
    assertThat(Long.parseLong(info.getMetadataMap().get("free_bytes"))).isLessThan(minFree);
    assertThat(quota.getViolationsList()).singleElement().satisfies(violation -> {
      assertThat(violation.getSubject()).isEqualTo("disk");
      assertThat(violation.getDescription())
          .isEqualTo("at least " + minFree + " bytes free in --data-dir (--min-free-disk)");
    });
  }

  private static CreateEntityRequest create(int n) {
    return CreateEntityRequest.newBuilder().setEntityType("Counter").setData(data(n)).build();
  }

  private static UpdateEntityRequest update(String id, long expected, int n) {
    return UpdateEntityRequest.newBuilder().setLineageId(id).setExpectedVersion(expected).setData(data(n)).build();
  }

  private static Struct data(int n) {
    return Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(n).build()).build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
