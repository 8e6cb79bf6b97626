package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.Main;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's log, from the real entry point in a process of its own: the JSON format (chosen by
 * an upper-case environment variable) with ISO-8601 timestamps and flat fields, the warning about
 * unknown ABSTRACTIONS_* variables, the start line with every setting, refusals for credentials
 * and at limits logged once per minute, and the drain and stop on SIGTERM.
 */
class ServerLogTest {

  @TempDir
  Path dir;

  @Test
  void jsonLinesTellStartRefusalsOncePerKindAndTheDrainOnSigterm() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens"), "read:reader\n");
    Map<String, String> environment = Map.of(
        "ABSTRACTIONS_LOG_FORMAT", "JSON",
        "ABSTRACTIONS_HISTORY_LIMT", "5",
        "ABSTRACTIONS_FROBNICATE", "1");
    try (ServerProcess process = ServerProcess.start(Main.class, List.of(), environment, "--metrics-port", "-1",
        "--auth-tokens-file", tokens.toString(), "--max-subscribers", "0", "--history-limit", "7")) {
      int port = awaitPortFromJson(process);
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        for (int i = 0; i < 3; i++) {
          StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
              () -> EntityServiceGrpc.newBlockingStub(channel)
                  .get(GetEntityRequest.newBuilder().setLineageId("7d3c1b2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d").build()));
          assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        Metadata token = new Metadata();
        token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer reader");
        for (int i = 0; i < 3; i++) {
          StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
              () -> EventServiceGrpc.newBlockingStub(channel)
                  .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token))
                  .subscribe(SubscribeRequest.getDefaultInstance()).hasNext());
          assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        }
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }

      process.terminate();
      assertThat(process.awaitExit(Duration.ofSeconds(30))).as(process.output()).isNotNull();
      List<Struct> lines = new ArrayList<>();
      for (String line : process.output().lines().toList()) {
        Struct.Builder parsed = Struct.newBuilder();
        JsonFormat.parser().merge(line, parsed);
        lines.add(parsed.build());
      }

      for (Struct line : lines) {
        Instant.parse(text(line, "@timestamp")); // ISO-8601, or it throws
        assertThat(line.getFieldsMap()).containsKeys("level", "logger_name", "thread_name", "message");
      }
      assertThat(lines.stream().map(line -> text(line, "message")).toList()).containsExactly(
          "ignoring environment variables that name no setting (see --help): ABSTRACTIONS_FROBNICATE, "
              + "ABSTRACTIONS_HISTORY_LIMT",
          "serving",
          "refused a call for its credentials: a bearer token is required: send 'authorization: Bearer <token>'; "
              + "at most one such warning per PT1M",
          "refused a call at a limit: the server already serves 0 subscribers; at most one such warning per PT1M",
          "shutdown requested",
          "draining: health NOT_SERVING, no new calls, event streams and health watches ended; "
              + "waiting for calls in flight",
          "stopped");
      assertThat(text(lines.get(0), "level")).isEqualTo("WARN");
      assertThat(text(lines.get(0), "variables")).isEqualTo("ABSTRACTIONS_FROBNICATE,ABSTRACTIONS_HISTORY_LIMT");
      Struct serving = lines.get(1);
      assertThat(serving.getFieldsOrThrow("port").getNumberValue()).isEqualTo(port);
      assertThat(serving.getFieldsOrThrow("history-limit").getNumberValue()).isEqualTo(7);
      assertThat(text(serving, "log-format")).isEqualTo("json");
      assertThat(text(serving, "keepalive-time")).isEqualTo("PT2H");
      assertThat(text(serving, "auth-tokens-file")).isEqualTo(tokens.toString());
      Struct access = lines.get(2);
      assertThat(text(access, "level")).isEqualTo("WARN");
      assertThat(text(access, "method")).isEqualTo("abstractions.v1.EntityService/Get");
      assertThat(text(access, "code")).isEqualTo("UNAUTHENTICATED");
      assertThat(text(access, "reason")).isEqualTo("TOKEN_MISSING_OR_UNKNOWN");
      assertThat(text(access, "remote")).startsWith("/127.0.0.1:");
      assertThat(access.getFieldsOrThrow("alsoRefusedSinceLastWarning").getNumberValue()).isZero();
      Struct limit = lines.get(3);
      assertThat(text(limit, "method")).isEqualTo("abstractions.v1.EventService/Subscribe");
      assertThat(text(limit, "code")).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(text(limit, "reason")).isEqualTo("SUBSCRIBER_LIMIT");
      assertThat(text(lines.get(5), "grace")).isEqualTo("PT10S");
      assertThat(lines.get(6).getFieldsMap()).containsKey("stopMillis");
    }
  }

  /** The port of the "serving" line: the JSON form of what ServerProcess reads from text lines. */
  private static int awaitPortFromJson(ServerProcess process) {
    await().atMost(60, TimeUnit.SECONDS).until(() -> process.output().contains("\"message\":\"serving\""));
    String serving = process.output().lines().filter(line -> line.contains("\"message\":\"serving\"")).findFirst()
        .orElseThrow();
    Matcher port = Pattern.compile("\"port\":(\\d+)").matcher(serving);
    assertThat(port.find()).as(serving).isTrue();
    return Integer.parseInt(port.group(1));
  }

  private static String text(Struct line, String field) {
    return line.getFieldsOrThrow(field).getStringValue();
  }
}
