package dev.abstractions.server.operate;

import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.server.Main;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Three members n1, n2, n3 of one replicated group ({@code --store durable --node-id --peers}) on
 * free Raft ports, each a server process with its own data directory under a test's scratch
 * directory and the extra server flags it chooses, and a channel to each. Closing kills them all.
 *
 * <p>Client threads may look members and channels up ({@link #channel}, {@link #entities},
 * {@link #member}) while one thread stops and starts members: a restarted member listens on a new
 * port, so a caller asks for the channel again on every call. Stopping and starting are meant for
 * one thread at a time.
 */
final class ReplicatedGroup implements AutoCloseable {

  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

  /** How many times the group is formed on fresh ports when a port chosen free was taken meanwhile. */
  private static final int FORMING_ATTEMPTS = 3;

  private final Path scratch;
  private final List<String> ids = List.of("n1", "n2", "n3");
  /** Where this group's members keep their data: a directory per forming attempt. */
  private Path home;
  private String peers;
  private final String[] flags;
  /** The members' maximum heap. */
  private final int heapMegabytes;
  private final List<ServerProcess> members = new CopyOnWriteArrayList<>();
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  /** What the members' earlier processes (before a restart) printed, per member. */
  private final List<StringBuffer> earlierOutput = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).build();

  ReplicatedGroup(Path scratch, String... flags) throws Exception {
    this(scratch, 256, flags);
  }

  /** A group whose members' heaps are {@code heapMegabytes} (-Xmx) instead of 256 MB. */
  ReplicatedGroup(Path scratch, int heapMegabytes, String... flags) throws Exception {
    this.scratch = scratch;
    this.heapMegabytes = heapMegabytes;
    this.flags = flags;
    for (int attempt = 1; ; attempt++) {
      try {
        form(attempt);
        return;
      } catch (Exception e) {
        // The Raft ports are chosen free, then bound by the members: another process may take
        // one in between. Then form the group again on other ports; fail on anything else.
        boolean portTaken = members.stream().anyMatch(member -> member.output().contains("Address already in use"));
        close();
        members.clear();
        channels.clear();
        earlierOutput.clear();
        if (!portTaken || attempt == FORMING_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private void form(int attempt) throws Exception {
    home = scratch.resolve("group-" + attempt);
    StringBuilder peers = new StringBuilder();
    for (String id : ids) {
      peers.append(peers.isEmpty() ? "" : ",").append(id).append("=127.0.0.1:").append(freePort());
    }
    this.peers = peers.toString();
    // All three first: none serves before a majority of them has started.
    for (String id : ids) {
      members.add(process(id, flags));
      earlierOutput.add(new StringBuffer());
    }
    for (ServerProcess member : members) {
      channels.add(channelTo(member));
    }
  }

  int size() {
    return ids.size();
  }

  /** The member's id, as --node-id named it. */
  String id(int index) {
    return ids.get(index);
  }

  ServerProcess member(int index) {
    return members.get(index);
  }

  ManagedChannel channel(int index) {
    return channels.get(index);
  }

  EntityServiceGrpc.EntityServiceBlockingStub entities(int index) {
    return EntityServiceGrpc.newBlockingStub(channels.get(index));
  }

  Path dataDir(int index) {
    return home.resolve(ids.get(index));
  }

  /** The member whose metrics say it leads, waiting up to 30 s for one. */
  int leader() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < members.size(); i++) {
        if (metric(i, "abstractions_raft_leader").orElse(0) == 1) {
          return i;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no member leads");
  }

  /**
   * A gauge of the member's metrics endpoint (unlabelled) as a whole number, or empty if the member does not
   * answer within 2 s (stopped, frozen, or not serving yet).
   */
  OptionalLong metric(int index, String name) throws InterruptedException {
    ServerProcess member = members.get(index);
    if (!member.isAlive()) {
      return OptionalLong.empty();
    }
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + member.metricsPort() + "/metrics")).timeout(SCRAPE_TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
      for (String line : response.body().split("\n")) {
        if (line.startsWith(name + " ")) {
          return OptionalLong.of((long) Double.parseDouble(line.substring(name.length() + 1)));
        }
      }
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return OptionalLong.empty();
    }
  }

  /** Kills a member (SIGKILL, if it still runs) and closes its channel. */
  void stop(int index) throws InterruptedException {
    channels.get(index).shutdownNow();
    members.get(index).close();
  }

  /**
   * Stops a member as an orchestrator does (SIGTERM) and waits up to {@code timeout} for it to
   * exit, then closes its channel; returns its exit status (null if it still runs).
   */
  Integer terminate(int index, Duration timeout) throws InterruptedException, IOException {
    Integer status = members.get(index).stop(timeout);
    channels.get(index).shutdownNow();
    return status;
  }

  /** Starts a stopped member again, on its own data directory, with a new channel. */
  void start(int index) throws Exception {
    start(index, flags);
  }

  /** Starts a stopped member again as {@link #start(int)} does, with {@code memberFlags} instead of the group's. */
  void start(int index, String... memberFlags) throws Exception {
    launch(index, memberFlags);
    awaitServing(index);
  }

  /**
   * Starts a stopped member's process again, with the group's flags, and returns at once;
   * {@link #awaitServing} connects to it.
   */
  void launch(int index) throws IOException {
    launch(index, flags);
  }

  private void launch(int index, String... memberFlags) throws IOException {
    earlierOutput.get(index).append(members.get(index).output());
    members.set(index, process(ids.get(index), memberFlags));
  }

  /** Waits until a launched member serves (it has caught up with the group), then opens its channel. */
  void awaitServing(int index) throws Exception {
    channels.set(index, channelTo(members.get(index)));
  }

  /**
   * The lines every process of every member printed at level ERROR, each with the lines that
   * follow it up to the next log line (its stack trace), prefixed with the member's id.
   */
  List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      boolean inError = false;
      for (String line : (earlierOutput.get(i) + members.get(i).output()).split("\n")) {
        boolean logLine = line.matches("^\\d{4}-\\d\\d-\\d\\d .*");
        inError = logLine ? line.contains(" ERROR ") : inError;
        if (inError) {
          errors.add(ids.get(i) + ": " + line);
        }
      }
    }
    return errors;
  }

  private ServerProcess process(String id, String... memberFlags) throws IOException {
    List<String> all = new ArrayList<>(List.of("--store", "durable", "--data-dir", home.resolve(id).toString(),
        "--node-id", id, "--peers", peers, "--metrics-port", "0"));
    all.addAll(List.of(memberFlags));
    // C1 only and one GC thread: three members and their clients share a small machine, and a
    // member restarted mid-test starts in seconds instead of compiling for tens of them.
    List<String> jvm = List.of("-Xmx" + heapMegabytes + "m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    return ServerProcess.start(Main.class, jvm, all.toArray(String[]::new));
  }

  private static ManagedChannel channelTo(ServerProcess member) throws Exception {
    return NettyChannelBuilder.forAddress("127.0.0.1", member.awaitPort(Duration.ofSeconds(90))).usePlaintext()
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ServerProcess member : members) {
      member.close();
    }
  }
}
