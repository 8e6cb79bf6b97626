package dev.abstractions.server.operate;

import dev.abstractions.server.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a JVM of its own, started from this test classpath with the JVM flags and server
 * flags a test chooses, on a port the OS picks ({@code --port 0}; the port is read from the
 * "serving" log line). Its output is collected by a thread of its own. Closing kills the process
 * (SIGKILL, as a crash) if it is still running. Not thread-safe.
 */
final class ServerProcess implements AutoCloseable {

  private static final Pattern SERVING = Pattern.compile("serving port=\"(\\d+)\"");
  private static final Pattern METRICS_PORT = Pattern.compile("serving port=\"\\d+\" metrics-port=\"(\\d+)\"");

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread reader;

  private ServerProcess(List<String> command, Map<String, String> environment) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    process = builder.start();
    reader = new Thread(this::readOutput, "server-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code mainClass} (the server's {@link Main}, or a test entry point that calls it) with
   * {@code jvmFlags}, then the server flags {@code --host 127.0.0.1 --port 0}, {@code --store
   * memory} unless {@code flags} name a store, and {@code flags}.
   */
  static ServerProcess start(Class<?> mainClass, List<String> jvmFlags, String... flags) throws IOException {
    return start(mainClass, jvmFlags, Map.of(), flags);
  }

  /** As {@link #start(Class, List, String...)}, with {@code environment} added to this process's. */
  static ServerProcess start(Class<?> mainClass, List<String> jvmFlags, Map<String, String> environment,
      String... flags) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName(),
        "--host", "127.0.0.1", "--port", "0"));
    if (!List.of(flags).contains("--store")) {
      command.addAll(List.of("--store", "memory"));
    }
    command.addAll(List.of(flags));
    return new ServerProcess(command, environment);
  }

  /**
   * SIGTERM, as an orchestrator stops a server, and waits for it to exit; what it prints while it
   * stops is kept ({@link Process#destroy} would close its output first).
   */
  Integer stop(Duration timeout) throws InterruptedException, IOException {
    signal("TERM");
    return awaitExit(timeout);
  }

  /** The gRPC port, once the server has logged that it is serving. */
  int awaitPort(Duration timeout) throws Exception {
    try {
      return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the server did not start serving within " + timeout + ":\n" + output, e);
    }
  }

  /** The metrics port, once the server has logged that it is serving (0 if it serves none). */
  int metricsPort() throws Exception {
    awaitPort(Duration.ofSeconds(60));
    Matcher metrics = METRICS_PORT.matcher(output);
    return metrics.find() ? Integer.parseInt(metrics.group(1)) : 0;
  }

  /** Writes one line to the process's standard input. */
  void tell(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** The exit status, or null if the process is still running after {@code timeout}. */
  Integer awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    reader.join(5_000); // the rest of its output
    return process.exitValue();
  }

  /** Asks the process to stop as an orchestrator does: SIGTERM (through its handle, which leaves its output open to read). */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Sends the process a signal by name (e.g. STOP, CONT), as an operator's {@code kill -NAME} would. */
  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the process printed so far, standard error included. */
  String output() {
    return output.toString();
  }

  private void readOutput() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.append(line).append('\n');
        Matcher serving = SERVING.matcher(line);
        if (serving.find()) {
          port.complete(Integer.parseInt(serving.group(1)));
        }
      }
    } catch (IOException e) {
      output.append("(reading the output failed: ").append(e).append(")\n");
    }
    port.completeExceptionally(new IllegalStateException("the process ended without serving:\n" + output));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    reader.join(5_000);
  }
}
