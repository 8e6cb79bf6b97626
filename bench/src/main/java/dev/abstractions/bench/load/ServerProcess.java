package dev.abstractions.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own process, so that its CPU time can be read apart from the load
 * generator's. Its output (stdout and stderr) goes to a log file; it is ready when a line matches
 * the ready pattern, whose first group, if any, is the port it bound. {@link #close} stops it
 * (SIGTERM, then SIGKILL after 15 s). Not thread-safe.
 */
public final class ServerProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code command} and waits up to {@code timeout} for a line matching {@code ready}; the
   * port is the pattern's first group, or {@code knownPort} when it has none.
   */
  public static ServerProcess start(String name, List<String> command, Pattern ready, int knownPort, Path log,
      Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Integer> bound = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
        String line;
        while ((line = lines.readLine()) != null) {
          out.println(line);
          if (!bound.isDone()) {
            Matcher matcher = ready.matcher(line);
            if (matcher.find()) {
              bound.complete(matcher.groupCount() >= 1 ? Integer.parseInt(matcher.group(1)) : knownPort);
            }
          }
        }
      } catch (IOException e) {
        bound.completeExceptionally(e);
      } finally {
        bound.completeExceptionally(new IOException(name + " exited before it was ready; see " + log));
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int port = bound.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ServerProcess(name, process, port, log);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException(name + " did not become ready in " + timeout + "; see " + log, e);
    }
  }

  /** The ports of {@code servers}, in order. */
  static List<Integer> ports(List<ServerProcess> servers) {
    return servers.stream().map(ServerProcess::port).toList();
  }

  /** The process ids of {@code servers}, in order. */
  static long[] pids(List<ServerProcess> servers) {
    return servers.stream().mapToLong(ServerProcess::pid).toArray();
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** The name it was started with, e.g. {@code replica-n1}. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", port " + port + ")";
  }
}
