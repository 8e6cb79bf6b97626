package dev.abstractions.bench.load;

import dev.abstractions.bench.StoreCasBenchmark;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the load matrix and prints the markdown report on standard output (progress goes to
 * standard error). Every server under test is a separate process started here with the same JVM
 * flags ({@link #SERVER_JVM}): the bare gRPC baseline ({@link BareServer}), the entity server (its
 * shaded jar) once per scenario group, and etcd; each is stopped when its group ends.
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar dev.abstractions.bench.load.Matrix [--quick]
 *     [--only baseline,a,c,d,e,slow,f,g] [--server-jar server/target/abstractions-server.jar]
 *     [--etcd /usr/bin/etcd | --etcd none] [--jfr server.jfr [--jfr-group a]] [--work DIR]
 *     [--out report.md]
 * </pre>
 *
 * {@code --jfr} records the entity server of one group (default {@code a}: (a) and (b)) with JFR's
 * profiling settings (summarize it with {@link JfrTop}). Use {@code bench/run-matrix.sh}, which builds
 * first.
 */
public final class Matrix {

  /** JVM flags of every server process (the baseline's and the entity server's alike). */
  static final List<String> SERVER_JVM = List.of("-Xms1g", "-Xmx1g");

  private static final List<String> GROUPS = List.of("baseline", "a", "c", "d", "e", "slow", "f", "g");
  private static final Pattern GRPC_READY = Pattern.compile("serving\\s+port=\"?(\\d+)");
  private static final Pattern ETCD_READY = Pattern.compile("ready to serve client requests");

  private final Settings settings;
  private final Path serverJar;
  private final String etcd;
  private final Path jfr;
  private final String jfrGroup;
  private final Path work;
  private final Report report = new Report();

  private Matrix(Settings settings, Path serverJar, String etcd, Path jfr, String jfrGroup, Path work) {
    this.settings = settings;
    this.serverJar = serverJar;
    this.etcd = etcd;
    this.jfr = jfr;
    this.jfrGroup = jfrGroup;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Set<String> only = new LinkedHashSet<>(GROUPS);
    Path serverJar = Path.of("server/target/abstractions-server.jar");
    String etcd = "/usr/bin/etcd";
    Path jfr = null;
    String jfrGroup = "a";
    Path work = null;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
        case "--server-jar" -> serverJar = Path.of(args[++i]);
        case "--etcd" -> etcd = args[++i];
        case "--jfr" -> jfr = Path.of(args[++i]).toAbsolutePath();
        case "--jfr-group" -> jfrGroup = args[++i];
        case "--work" -> work = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println("unknown argument " + args[i] + "; see the Javadoc of " + Matrix.class.getName());
          System.exit(2);
        }
      }
    }
    for (String group : only) {
      if (!GROUPS.contains(group)) {
        System.err.println("unknown group " + group + "; groups: " + GROUPS);
        System.exit(2);
      }
    }
    if (!Files.isRegularFile(serverJar)) {
      System.err.println("no server jar at " + serverJar + "; build with mvn -B -q package -DskipTests");
      System.exit(2);
    }
    if (work == null) {
      work = Files.createTempDirectory("abstractions-bench-");
    }
    Settings settings = quick ? Settings.quickly() : Settings.full();
    Matrix matrix = new Matrix(settings, serverJar, etcd, jfr, jfrGroup, work);
    long started = System.nanoTime();
    matrix.run(only);
    String heading = "Run " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        + (quick ? " (--quick)" : "") + ": warm-up " + settings.warmup().toSeconds() + " s, measured "
        + settings.measure().toSeconds() + " s per scenario, " + settings.channels() + " channels, server JVM "
        + String.join(" ", SERVER_JVM) + "; load average before/after: " + matrix.loadBefore + " / " + loadAverage()
        + "; took " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s.";
    String rendered = matrix.report.render(heading);
    System.out.println(rendered);
    if (out != null) {
      Files.writeString(out, rendered);
    }
    System.exit(0); // jetcd's and grpc's non-daemon threads must not keep the JVM up
  }

  private String loadBefore = loadAverage();

  private void run(Set<String> groups) throws Exception {
    if (groups.contains("baseline")) {
      try (ServerProcess bare = bareServer()) {
        BaselineScenarios baselines = new BaselineScenarios(settings);
        add(baselines.echo(bare));
        for (int streams : new int[] {1, 10, 100}) {
          add(baselines.streams(bare, streams));
        }
      }
    }
    EntityScenarios entities = new EntityScenarios(settings);
    if (groups.contains("a")) {
      try (ServerProcess server = entityServer("a")) {
        add(entities.update(server));
        add(entities.get(server));
      }
    }
    if (groups.contains("c")) {
      try (ServerProcess server = entityServer("c")) {
        add(entities.hotKeyClientLoop(server));
        add(entities.hotKeyExecute(server));
      }
    }
    if (groups.contains("d")) {
      PriorityScenarios priorities = new PriorityScenarios(settings);
      try (ServerProcess server = entityServer("d")) {
        for (PriorityScenarios.Mode mode : PriorityScenarios.Mode.values()) {
          PriorityScenarios.Result result = priorities.run(server, mode);
          report.add(result);
          progress(result.row());
        }
      }
    }
    if (groups.contains("e")) {
      try (ServerProcess server = entityServer("e")) {
        for (int subscribers : new int[] {1, 10, 100}) {
          add(entities.fanOut(server, subscribers));
        }
      }
    }
    if (groups.contains("slow")) {
      try (ServerProcess server = entityServer("slow")) {
        entities.slowSubscriber(server).forEach(this::add);
      }
    }
    if (groups.contains("f")) {
      if (etcd.equals("none") || !Files.isExecutable(Path.of(etcd))) {
        System.err.println("skipping (f): no etcd at " + etcd + " (bench/run-matrix.sh --install installs it)");
      } else {
        try (EtcdProcess server = etcdServer()) {
          EtcdScenarios scenarios = new EtcdScenarios(settings);
          add(scenarios.compareAndSet(server.process));
          add(scenarios.hotKey(server.process));
        }
      }
    }
    if (groups.contains("g")) {
      report.store(storeBenchmark());
      report.heap(heapPerEntity());
    }
  }

  private void add(ResultRow row) {
    report.add(row);
    progress(row);
  }

  private static void progress(ResultRow row) {
    System.err.printf("%-70s %12s/s  p50 %8s µs  p99 %8s µs  errors %d  load %s%n", row.scenario(),
        Ratio.rate(row.throughput()), Ratio.number(row.latency().p50Micros()),
        Ratio.number(row.latency().p99Micros()), row.errors(), loadAverage());
  }

  private ServerProcess bareServer() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(java());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareServer.class.getName(), "--port", "0"));
    return ServerProcess.start("bare-grpc", command, GRPC_READY, 0, work.resolve("bare-grpc.log"),
        Duration.ofSeconds(60));
  }

  private ServerProcess entityServer(String group) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(java());
    if (jfr != null && group.equals(jfrGroup)) {
      command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
    }
    command.addAll(List.of("-jar", serverJar.toString(), "--host", "127.0.0.1", "--port", "0", "--metrics-port", "-1",
        "--shutdown-grace", "PT1S"));
    return ServerProcess.start("entity-server-" + group, command, GRPC_READY, 0,
        work.resolve("entity-server-" + group + ".log"), Duration.ofSeconds(60));
  }

  /** etcd on loopback with a fresh data directory (on tmpfs when there is one), removed afterwards. */
  private EtcdProcess etcdServer() throws IOException, InterruptedException {
    Path shm = Path.of("/dev/shm");
    Path data = Files.isDirectory(shm) && Files.isWritable(shm)
        ? Files.createTempDirectory(shm, "bench-etcd-")
        : Files.createTempDirectory("bench-etcd-");
    int client = freePort();
    int peer = freePort();
    String clientUrl = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    List<String> command = List.of(etcd, "--name", "bench", "--data-dir", data.toString(),
        "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "bench=" + peerUrl);
    ServerProcess process = ServerProcess.start("etcd", command, ETCD_READY, client, work.resolve("etcd.log"),
        Duration.ofSeconds(60));
    return new EtcdProcess(process, data);
  }

  /** etcd and its data directory. */
  private record EtcdProcess(ServerProcess process, Path data) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException, IOException {
      process.close();
      try (Stream<Path> files = Files.walk(data)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** (g) StoreCasBenchmark through JMH's API, forked with the server's JVM flags. */
  private Report.StoreFigures storeBenchmark() throws RunnerException {
    System.err.println("JMH StoreCasBenchmark (output in " + work.resolve("jmh.log") + ")");
    boolean quick = settings.quick();
    Options options = new OptionsBuilder()
        .include(Pattern.quote(StoreCasBenchmark.class.getName()) + "\\.(uncontended|hotKey)$")
        .forks(1)
        .warmupIterations(quick ? 1 : 3)
        .warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(quick ? 2 : 5)
        .measurementTime(TimeValue.seconds(quick ? 1 : 2))
        .jvmArgs(SERVER_JVM.toArray(String[]::new))
        .output(work.resolve("jmh.log").toString())
        .build();
    Collection<RunResult> results = new Runner(options).run();
    double uncontended = Double.NaN;
    double uncontendedError = Double.NaN;
    double hotCalls = Double.NaN;
    double hotCommits = Double.NaN;
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      Result<?> primary = result.getPrimaryResult();
      if (name.endsWith(".uncontended")) {
        uncontended = primary.getScore();
        uncontendedError = primary.getScoreError();
      } else if (name.endsWith(".hotKey")) {
        hotCalls = primary.getScore();
        Result<?> commits = result.getSecondaryResults().get("commits");
        hotCommits = commits == null ? Double.NaN : commits.getScore();
      }
    }
    System.err.printf("store CAS uncontended %s/s, hot key %s calls/s (%s commits/s)%n", Ratio.rate(uncontended),
        Ratio.rate(hotCalls), Ratio.rate(hotCommits));
    return new Report.StoreFigures(uncontended, uncontendedError, hotCalls, hotCommits);
  }

  /** (g) heap per entity, in a JVM of its own with -Xmx4g. */
  private Report.HeapFigures heapPerEntity() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(List.of("-Xms4g", "-Xmx4g", "-cp", System.getProperty("java.class.path"),
        HeapPerEntity.class.getName(), "--count", Integer.toString(settings.heapEntities())));
    System.err.println("heap per entity: " + settings.heapEntities() + " entities");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String last = null;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        System.err.println("  " + line);
        if (line.contains("beyond_payload_bytes=")) {
          last = line;
        }
      }
    }
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || last == null) {
      System.err.println("heap measurement failed");
      return Report.HeapFigures.NONE;
    }
    return Report.HeapFigures.parse(last);
  }

  private static List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(SERVER_JVM);
    return command;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The 1-, 5- and 15-minute load averages, as uptime shows them. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
