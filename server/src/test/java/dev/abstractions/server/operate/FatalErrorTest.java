package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.server.Main;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No zombies: when a thread of the server dies of an uncaught throwable, or its heap runs out, the
 * process logs one line and exits with status 70 instead of lingering half-dead while health says
 * SERVING. Each case runs the real entry point in a process of its own.
 */
class FatalErrorTest {

  private static final Duration START = Duration.ofSeconds(60);
  private static final int FATAL_EXIT = 70;
  private static final String FATAL_LINE = "fatal error: health is NOT_SERVING and the process exits";

  @Test
  void aThreadDyingOfAnUncaughtExceptionEndsTheProcessWithStatus70() throws Exception {
    try (ServerProcess process = ServerProcess.start(ThreadDyingOnCue.class, List.of(), "--metrics-port", "-1")) {
      ManagedChannel channel = channel(process.awaitPort(START));
      try {
        assertThat(health(channel)).isEqualTo(ServingStatus.SERVING);

        process.tell("die");

        Integer exit = process.awaitExit(Duration.ofSeconds(30));
        String output = process.output();
        assertThat(exit).as(output).isEqualTo(FATAL_EXIT);
        assertThat(output.lines().filter(line -> line.contains(FATAL_LINE)).toList())
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains("thread=\"doomed\"")
            .contains("error=\"java.lang.IllegalStateException: " + ThreadDyingOnCue.CAUSE + "\"");
        // Halted: no stack trace from the JDK's default handler, no graceful shutdown.
        assertThat(output).doesNotContain("Exception in thread").doesNotContain(" - stopped");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void runningOutOfHeapEndsTheProcessWithStatus70() throws Exception {
    // Without -XX:+ExitOnOutOfMemoryError (the image and the chart set it): this is the server's own
    // defence, for a JVM started without it. The memory budget is set far above the heap, so that
    // memory really runs out (SmallHeapAbuseTest shows the default budget refusing first).
    try (ServerProcess process = ServerProcess.start(Main.class, List.of("-Xmx64m", "-XX:-ExitOnOutOfMemoryError"),
        "--metrics-port", "-1", "--max-memory", Long.toString(16L << 30))) {
      ManagedChannel channel = channel(process.awaitPort(START));
      try {
        assertThat(health(channel)).isEqualTo(ServingStatus.SERVING);
        EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(channel);
        String blob = "x".repeat(200_000);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (int i = 0; process.isAlive() && System.nanoTime() < deadline; i++) {
          try {
            entities.withDeadlineAfter(10, TimeUnit.SECONDS).create(CreateEntityRequest.newBuilder()
                .setEntityType("Big")
                .setData(Struct.newBuilder().putFields("blob", Value.newBuilder().setStringValue(blob + i).build()))
                .build());
          } catch (StatusRuntimeException e) {
            // The call that ran out of memory, or one after: the process is on its way out.
          }
        }

        Integer exit = process.awaitExit(Duration.ofSeconds(30));
        String output = process.output();
        assertThat(exit).as(output).isEqualTo(FATAL_EXIT);
        assertThat(output.lines().filter(line -> line.contains(FATAL_LINE)).toList())
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains("error=\"java.lang.OutOfMemoryError");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  private static ServingStatus health(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }
}
