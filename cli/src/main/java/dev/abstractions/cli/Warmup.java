package dev.abstractions.cli;

import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.client.Structs;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs the CLI's common paths once, offline, for the build: {@code src/build/class-data-archive.sh}
 * lists the classes it loads, so that the class-data archive {@code bin/abstractions} starts the
 * CLI with holds those of parsing a command line, reading {@code --data -}, opening a channel,
 * failing to reach a server, and printing an entity as text and as JSON. Its output is discarded.
 */
final class Warmup {

  private Warmup() {}

  public static void main(String[] args) {
    PrintWriter sink = new PrintWriter(new StringWriter());
    Map<String, String> environment = Map.of();
    Main.run(new String[] {"--help"}, new ByteArrayInputStream(new byte[0]), sink, sink, environment);
    // Port 1 on loopback refuses the connection: the channel, the call and the error report run.
    Main.run(new String[] {"--target", "127.0.0.1:1", "--timeout", "5", "get", "00000000-0000-0000-0000-000000000000"},
        new ByteArrayInputStream(new byte[0]), sink, sink, environment);
    Main.run(new String[] {"--target", "127.0.0.1:1", "--timeout", "5", "create", "Warmup", "--data", "-"},
        new ByteArrayInputStream("{\"n\":1}".getBytes(StandardCharsets.UTF_8)), sink, sink,
        environment);
    Entity entity = Entity.newBuilder()
        .setLineageId("00000000-0000-0000-0000-000000000000")
        .setVersion(1)
        .setEntityType("Warmup")
        .setModifiedAt(Timestamps.fromMillis(0))
        .setData(Structs.fromJson("{\"n\":1}"))
        .build();
    new Output(sink, false).message(entity);
    new Output(sink, true).message(entity);
  }
}
