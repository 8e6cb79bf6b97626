package dev.abstractions.cli;

import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityCreated;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.client.Structs;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs the CLI's common paths once, for the build: {@code src/build/class-data-archive.sh} lists
 * the classes it loads, so that the class-data archive {@code bin/abstractions} starts the CLI with
 * holds those of parsing a command line, printing the help and the version, reading
 * {@code --data -}, calling a server and printing its answer as text and as JSON, watching its
 * events, and failing to reach a server. {@code Warmup HOST:PORT} runs them against the server
 * there; {@code Warmup serve} is that server, to be started in a JVM of its own so that its classes
 * stay out of the list: it answers every {@code Get} with one entity and every {@code Subscribe}
 * with one event, and prints {@code port N} once it listens. The
 * commands' output is discarded.
 */
final class Warmup {

  private static final String ID = "00000000-0000-0000-0000-000000000000";

  private Warmup() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 1 && args[0].equals("serve")) {
      serve();
    } else if (args.length == 1) {
      runCommands(args[0]);
    } else {
      System.err.println("usage: Warmup serve | Warmup HOST:PORT");
      System.exit(2);
    }
  }

  /** Answers Get until the process is ended. */
  private static void serve() throws IOException, InterruptedException {
    Entity entity = Entity.newBuilder()
        .setLineageId(ID)
        .setVersion(1)
        .setEntityType("Warmup")
        .setModifiedAt(Timestamps.fromMillis(0))
        .setData(Structs.fromJson("{\"n\":1}"))
        .build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new EntityServiceGrpc.EntityServiceImplBase() {
          @Override
          public void get(GetEntityRequest request, StreamObserver<Entity> responses) {
            responses.onNext(entity);
            responses.onCompleted();
          }
        })
        .addService(new EventServiceGrpc.EventServiceImplBase() {
          @Override
          public void subscribe(SubscribeRequest request, StreamObserver<Event> events) {
            // One event; the watch ends the stream once it has printed it.
            events.onNext(Event.newBuilder()
                .setSequence(1)
                .setEntityCreated(EntityCreated.newBuilder().setEntity(entity))
                .build());
          }
        })
        .build()
        .start();
    System.out.println("port " + server.getPort());
    System.out.flush();
    server.awaitTermination();
  }

  private static void runCommands(String target) {
    run("", "--help");
    run("", "--version");
    run("", "--target", target, "get", ID);
    run("", "--target", target, "get", ID, "--json");
    run("", "--target", target, "watch", "--from-oldest", "--max-events", "1");
    // Port 1 refuses the connection: the error report runs. By name, so that the name is looked up.
    run("", "--target", "localhost:1", "--timeout", "5", "get", ID);
    run("{\"n\":1}", "--target", "localhost:1", "--timeout", "5", "create", "Warmup", "--data", "-");
  }

  private static void run(String standardInput, String... args) {
    PrintWriter sink = new PrintWriter(new StringWriter());
    Main.run(args, new ByteArrayInputStream(standardInput.getBytes(StandardCharsets.UTF_8)), sink, sink, Map.of());
  }
}
