package dev.abstractions.cli;

import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityCreated;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityHistoryResponse;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.ListEntitiesResponse;
import dev.abstractions.api.v1.ListOperationsRequest;
import dev.abstractions.api.v1.ListOperationsResponse;
import dev.abstractions.api.v1.MemberVersion;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.TreeHistoryResponse;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.api.v1.WriteTreeResponse;
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
 * Runs every command that calls a server once, for the build: {@code src/build/class-data-archive.sh}
 * lists the classes it loads, so that the class-data archive {@code bin/abstractions} starts the
 * CLI with holds those of parsing each command line, printing the help and the version, reading
 * {@code --data} (also from {@code -}), calling a server and printing each kind of answer as text
 * and as JSON, watching events, and failing to reach a server. (A class the archive lacks is
 * parsed and verified from the jar: a {@code tree write} that loaded 185 such classes took about
 * 0.1 s longer than an {@code update}.) {@code Warmup HOST:PORT} runs them against the server
 * there; {@code Warmup serve} is that server, to be started in a JVM of its own so that its classes
 * stay out of the list: it answers each call with one entity, operation or event, whatever the
 * request, and prints {@code port N} once it listens. The commands' output is discarded; a command
 * that ends with another exit code than it should fails the build.
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

  /** Answers the CLI's calls with one entity (or operation) until the process is ended. */
  private static void serve() throws IOException, InterruptedException {
    Entity entity = Entity.newBuilder()
        .setLineageId(ID)
        .setEcsId(ID)
        .setVersion(1)
        .setEntityType("Warmup")
        .setModifiedAt(Timestamps.fromMillis(0))
        .setData(Structs.fromJson("{\"n\":1}"))
        .setRootLineageId(ID)
        .setTreeVersion(1)
        .build();
    OperationEntity operation = OperationEntity.newBuilder()
        .setOpId(ID)
        .setTargetLineageId(ID)
        .setStatus(OperationStatus.SUCCEEDED)
        .setStartedAt(Timestamps.fromMillis(0))
        .setCompletedAt(Timestamps.fromMillis(0))
        .setCommittedVersion(1)
        .build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new EntityServiceGrpc.EntityServiceImplBase() {
          @Override
          public void get(GetEntityRequest request, StreamObserver<Entity> responses) {
            reply(responses, entity);
          }

          @Override
          public void update(UpdateEntityRequest request, StreamObserver<Entity> responses) {
            reply(responses, entity);
          }

          @Override
          public void delete(DeleteEntityRequest request, StreamObserver<Entity> responses) {
            reply(responses, entity.toBuilder().setVersion(2).setDeleted(true).build());
          }

          @Override
          public void list(ListEntitiesRequest request, StreamObserver<ListEntitiesResponse> responses) {
            reply(responses, ListEntitiesResponse.newBuilder().addEntities(entity).build());
          }

          @Override
          public void history(EntityHistoryRequest request, StreamObserver<EntityHistoryResponse> responses) {
            reply(responses, EntityHistoryResponse.newBuilder().addVersions(entity).build());
          }

          @Override
          public void getTree(GetTreeRequest request, StreamObserver<GetTreeResponse> responses) {
            reply(responses, GetTreeResponse.newBuilder().setRootLineageId(ID).setTreeVersion(1)
                .addMembers(entity).build());
          }

          @Override
          public void treeHistory(TreeHistoryRequest request, StreamObserver<TreeHistoryResponse> responses) {
            reply(responses, TreeHistoryResponse.newBuilder()
                .addVersions(TreeVersion.newBuilder().setTreeVersion(1)
                    .addChanged(MemberVersion.newBuilder().setLineageId(ID).setVersion(1).setEcsId(ID)))
                .build());
          }

          @Override
          public void writeTree(WriteTreeRequest request, StreamObserver<WriteTreeResponse> responses) {
            reply(responses, WriteTreeResponse.newBuilder().setTreeVersion(2).addWritten(entity).build());
          }
        })
        .addService(new OperationServiceGrpc.OperationServiceImplBase() {
          @Override
          public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> responses) {
            reply(responses, ExecuteResponse.newBuilder().setOutcome(CommitOutcome.OUTCOME_COMMITTED)
                .setOperation(operation).setEntity(entity).build());
          }

          @Override
          public void list(ListOperationsRequest request, StreamObserver<ListOperationsResponse> responses) {
            reply(responses, ListOperationsResponse.newBuilder().addOperations(operation).build());
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

  private static <T> void reply(StreamObserver<T> responses, T response) {
    responses.onNext(response);
    responses.onCompleted();
  }

  private static void runCommands(String target) {
    run(ExitCodes.OK, "", "--help");
    run(ExitCodes.OK, "", "--version");
    run(ExitCodes.OK, "", "--target", target, "get", ID);
    run(ExitCodes.OK, "", "--target", target, "get", ID, "--json");
    run(ExitCodes.OK, "", "--target", target, "update", ID, "--expect-version", "1", "--data", "{\"n\":2}");
    run(ExitCodes.OK, "", "--target", target, "delete", ID, "--expect-version", "1");
    run(ExitCodes.OK, "", "--target", target, "list", "Warmup");
    run(ExitCodes.OK, "", "--target", target, "history", ID);
    run(ExitCodes.OK, "", "--target", target, "tree", "get", ID);
    run(ExitCodes.OK, "", "--target", target, "tree", "history", ID);
    run(ExitCodes.OK, "", "--target", target, "tree", "write", ID, "--tree-version", "1", "--data",
        "{\"changes\":[{\"update\":{\"lineageId\":\"" + ID + "\",\"data\":{\"n\":2}}}]}");
    run(ExitCodes.OK, "", "--target", target, "execute", ID, "increment", "--args", "{\"path\":\"n\",\"by\":1}");
    run(ExitCodes.OK, "", "--target", target, "ops", "list", ID);
    run(ExitCodes.OK, "", "--target", target, "watch", "--from-oldest", "--max-events", "1");
    // Port 1 refuses the connection: the error report runs. By name, so that the name is looked up.
    run(ExitCodes.UNAVAILABLE, "", "--target", "localhost:1", "--timeout", "5", "get", ID);
    run(ExitCodes.UNAVAILABLE, "{\"n\":1}",
        "--target", "localhost:1", "--timeout", "5", "create", "Warmup", "--data", "-");
  }

  /**
   * Runs one command line; one that ends otherwise than expected fails the build, since its
   * classes would silently be missing from the archive.
   */
  private static void run(int expectedExitCode, String standardInput, String... args) {
    StringWriter output = new StringWriter();
    PrintWriter sink = new PrintWriter(output);
    int exitCode = Main.run(args, new ByteArrayInputStream(standardInput.getBytes(StandardCharsets.UTF_8)), sink,
        sink, Map.of());
    if (exitCode != expectedExitCode) {
      throw new IllegalStateException("warm-up: abstractions " + String.join(" ", args) + " exited " + exitCode
          + ", not " + expectedExitCode + ":\n" + output);
    }
  }
}
