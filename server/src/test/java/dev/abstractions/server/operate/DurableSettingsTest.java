package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.server.Main;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings a durable store decides with are part of its state. Killed (no snapshot at stop)
 * and restarted with other flags, it replays its log with the settings each command was first
 * decided with, so a write refused then stays refused; its new flags decide from its start on.
 */
class DurableSettingsTest {

  private static final String ROOT = "30000000-0000-0000-0000-000000000000";
  private static final String A = "30000000-0000-0000-0000-00000000000a";
  private static final String B = "30000000-0000-0000-0000-00000000000b";
  private static final String C = "30000000-0000-0000-0000-00000000000c";

  @TempDir
  Path dataDir;

  @Test
  void aRestartWithOtherFlagsReplaysEveryCommandWithTheSettingsItWasDecidedWith() throws Throwable {
    withServer("2", entities -> {
      create(entities, ROOT, "");
      create(entities, A, ROOT);
      assertThat(refusedCreate(entities, B)).isEqualTo("TREE_LIMIT");
    });
    String output = withServer("3", entities -> {
      StatusRuntimeException absent = refusal(() -> entities.get(GetEntityRequest.newBuilder().setLineageId(B).build()));
      assertThat(absent.getStatus().getCode()).as("refused when decided, so refused on replay")
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(members(entities)).isEqualTo(2);
      // From this start on the new flags decide: a third member fits, a fourth does not.
      create(entities, B, ROOT);
      assertThat(refusedCreate(entities, C)).isEqualTo("TREE_LIMIT");
    });
    assertThat(output).contains("the group applies commands with new settings from here on");
    withServer("3", entities -> assertThat(members(entities)).isEqualTo(3));
  }

  /** Runs {@code calls} against a durable server with {@code --max-tree-members maxMembers}, then kills it. */
  private String withServer(String maxMembers, ThrowingConsumer<EntityServiceGrpc.EntityServiceBlockingStub> calls)
      throws Throwable {
    ServerProcess server = ServerProcess.start(Main.class, List.of("-Xmx256m"), "--store", "durable", "--data-dir",
        dataDir.toString(), "--snapshot-every", "1000000", "--max-tree-members", maxMembers, "--metrics-port", "0");
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.awaitPort(Duration.ofSeconds(60))).usePlaintext().build();
    try {
      calls.accept(EntityServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
      return server.output();
    } finally {
      channel.shutdownNow();
      server.close(); // SIGKILL: no snapshot at stop, so the next start replays the log
    }
  }

  private static void create(EntityServiceGrpc.EntityServiceBlockingStub entities, String id, String parentId) {
    entities.create(CreateEntityRequest.newBuilder().setLineageId(id).setParentLineageId(parentId)
        .setEntityType("Line").build());
  }

  private static String refusedCreate(EntityServiceGrpc.EntityServiceBlockingStub entities, String id) {
    StatusRuntimeException refused = refusal(() -> create(entities, id, ROOT));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    return io.grpc.protobuf.StatusProto.fromThrowable(refused).getDetailsList().stream()
        .filter(detail -> detail.is(com.google.rpc.ErrorInfo.class)).findFirst()
        .map(detail -> {
          try {
            return detail.unpack(com.google.rpc.ErrorInfo.class).getReason();
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
          }
        }).orElseThrow();
  }

  private static int members(EntityServiceGrpc.EntityServiceBlockingStub entities) {
    return entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(ROOT).build()).getMembersCount();
  }

  private static StatusRuntimeException refusal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }
}
