package dev.abstractions.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * The members of one replicated group (three entity servers, or three etcds), each a
 * {@link ServerProcess}. They are started together, since none is ready before a majority of them
 * runs. Their peer ports are chosen free and then bound by the members, so another process may
 * take one in between: the group is then formed again, on fresh ports and in fresh data
 * directories, up to {@link #ATTEMPTS} times. {@link #close} stops every member. Not thread-safe.
 */
final class ServerGroup implements AutoCloseable {

  /** How many times the group is formed when a member could not bind a port chosen free. */
  static final int ATTEMPTS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  /**
   * How to start one member.
   *
   * @param name its name, and its log's ({@code name.log})
   * @param command its command line
   * @param ready the line it prints once it serves (see {@link ServerProcess#start})
   * @param knownPort its client port when {@code ready} does not name it
   */
  record Member(String name, List<String> command, Pattern ready, int knownPort) {}

  /** The members' start commands for one attempt (1, 2, ...): fresh ports and data directories each time. */
  @FunctionalInterface
  interface Formation {
    List<Member> members(int attempt) throws IOException;
  }

  private final List<ServerProcess> members;

  private ServerGroup(List<ServerProcess> members) {
    this.members = List.copyOf(members);
  }

  /** Forms the group, logging to {@code logs}; fails if a member fails for any reason other than a port taken. */
  static ServerGroup form(Formation formation, Path logs) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      List<Member> members = formation.members(attempt);
      try {
        return new ServerGroup(startTogether(members, logs));
      } catch (IOException e) {
        if (attempt == ATTEMPTS || !portTaken(members, logs)) {
          throw e;
        }
        System.err.println("forming the group again on other ports: " + e.getMessage());
      }
    }
  }

  /** Starts every member at once and waits until all are ready; if one is not, stops the others. */
  private static List<ServerProcess> startTogether(List<Member> members, Path logs)
      throws IOException, InterruptedException {
    ExecutorService starting = Executors.newFixedThreadPool(members.size());
    try {
      List<Future<ServerProcess>> started = new ArrayList<>();
      for (Member member : members) {
        started.add(starting.submit(() -> ServerProcess.start(member.name(), member.command(), member.ready(),
            member.knownPort(), logs.resolve(member.name() + ".log"), READY_TIMEOUT)));
      }
      List<ServerProcess> ready = new ArrayList<>();
      IOException failure = null;
      for (Future<ServerProcess> member : started) {
        try {
          ready.add(member.get());
        } catch (ExecutionException e) {
          failure = failure != null ? failure
              : e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
      }
      if (failure != null) {
        for (ServerProcess member : ready) {
          member.close();
        }
        throw failure;
      }
      return ready;
    } finally {
      starting.shutdownNow();
    }
  }

  /** Whether a member's log says it could not bind (Java's "Address already in use", Go's "address already in use"). */
  private static boolean portTaken(List<Member> members, Path logs) throws IOException {
    for (Member member : members) {
      Path log = logs.resolve(member.name() + ".log");
      if (Files.exists(log) && Files.readString(log).toLowerCase(Locale.ROOT).contains("address already in use")) {
        return true;
      }
    }
    return false;
  }

  List<ServerProcess> members() {
    return members;
  }

  @Override
  public void close() throws InterruptedException {
    for (ServerProcess member : members) {
      member.close();
    }
  }

  @Override
  public String toString() {
    return members.toString();
  }
}
