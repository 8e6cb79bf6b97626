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
 * flags ({@link #SERVER_JVM}): the bare gRPC baseline ({@link BareServer}) and the entity server
 * (its shaded jar), each started once and pre-warmed, and etcd; all are stopped at the end. The
 * durable group adds a second entity server with {@code --store durable} and a second etcd, both
 * with their data on the disk under {@code --disk} (default: the work dir), which must not be in
 * memory; their data dirs are removed afterwards. The replicated group starts three entity servers
 * that form one Raft group and a 3-member etcd cluster, all with their data there too. Group t
 * (entity trees) runs on the in-memory entity server, after a pre-warm of tree writes of its own.
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar dev.abstractions.bench.load.Matrix [--quick]
 *     [--only baseline,a,c,d,e,slow,f,durable,replicated,g,t] [--server-jar server/target/abstractions-server.jar]
 *     [--etcd /usr/bin/etcd | --etcd none] [--jfr server.jfr] [--server-flag JVMFLAG]... [--server-arg ARG]...
 *     [--work DIR] [--disk DIR] [--out report.md]
 * </pre>
 *
 * {@code --jfr} records the entity server's whole life with JFR's profiling settings (summarize it
 * with {@link JfrTop}); {@code --only a --jfr server.jfr} profiles it under (a) and (b); with the
 * replicated group each member records too, to {@code server-n1.jfr} and so on beside it.
 * {@code --server-flag} adds a JVM flag to the entity servers only (e.g. {@code -XX:+DumpPerfMapAtExit}
 * with {@code -XX:+UnlockDiagnosticVMOptions} before it, for Linux {@code perf}); {@code --server-arg}
 * adds an argument to their command line, after the harness's own (e.g.
 * {@code --server-arg --event-retention=10000}, for an experiment); the report's heading names both. Use
 * {@code bench/run-matrix.sh}, which builds first.
 */
public final class Matrix {

  /**
   * JVM flags of every server process (the baseline's and the entity server's alike): a server
   * that runs out of heap ends at once, as the README's command, the image and the chart make it,
   * rather than limping on through errors its threads catch.
   */
  static final List<String> SERVER_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError");

  /**
   * JVM flags of each member of the replicated group: half the heap, so that three members, the
   * load generator (1 GiB) and three etcds fit the 24 GiB machine with room to spare.
   */
  static final List<String> MEMBER_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

  /** The members of the replicated groups (entity servers and etcds alike). */
  private static final int MEMBERS = 3;

  private static final List<String> GROUPS = List.of("baseline", "a", "c", "d", "e", "slow", "f", "durable", "replicated", "g",
      "t");
  private static final Pattern GRPC_READY = Pattern.compile("serving\\s+port=\"?(\\d+)");
  private static final Pattern ETCD_READY = Pattern.compile("ready to serve client requests");

  private final Settings settings;
  private final Path serverJar;
  private final String etcd;
  private final Path jfr;
  private final List<String> serverFlags;
  private final List<String> serverArgs;
  private final Path work;
  private final Path disk;
  private final Report report = new Report();
  private ServerProcess bare;
  private ServerProcess entity;

  private Matrix(Settings settings, Path serverJar, String etcd, Path jfr, List<String> serverFlags,
      List<String> serverArgs, Path work, Path disk) {
    this.settings = settings;
    this.serverJar = serverJar;
    this.etcd = etcd;
    this.jfr = jfr;
    this.serverFlags = serverFlags;
    this.serverArgs = serverArgs;
    this.work = work;
    this.disk = disk;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Set<String> only = new LinkedHashSet<>(GROUPS);
    Path serverJar = Path.of("server/target/abstractions-server.jar");
    String etcd = "/usr/bin/etcd";
    Path jfr = null;
    List<String> serverFlags = new ArrayList<>();
    List<String> serverArgs = new ArrayList<>();
    Path work = null;
    Path disk = null;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
        case "--server-jar" -> serverJar = Path.of(args[++i]);
        case "--etcd" -> etcd = args[++i];
        case "--jfr" -> jfr = Path.of(args[++i]).toAbsolutePath();
        case "--server-flag" -> serverFlags.add(args[++i]);
        case "--server-arg" -> serverArgs.add(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--disk" -> disk = Path.of(args[++i]);
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
    Matrix matrix = new Matrix(settings, serverJar, etcd, jfr, serverFlags, serverArgs, work,
        disk == null ? work : disk);
    long started = System.nanoTime();
    Exception failure = null;
    try {
      matrix.run(only);
    } catch (Exception e) {
      // A group that fails (a server that died, etcd that would not start) ends the run, but what
      // the groups before it measured is still reported: a full run takes half an hour.
      failure = e;
      e.printStackTrace();
    }
    String heading = "Run " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        + (quick ? " (--quick)" : "") + ": warm-up " + settings.warmup().toSeconds() + " s, measured "
        + settings.measure().toSeconds() + " s per scenario, " + settings.channels() + " channels, server JVM "
        + String.join(" ", SERVER_JVM) + serverExtras(serverFlags, serverArgs) + "; load average before/after: " + matrix.loadBefore + " / " + loadAverage()
        + "; took " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s."
        + (failure == null ? "" : " STOPPED EARLY, the groups after the last row not run: " + failure);
    String rendered = matrix.report.render(heading);
    System.out.println(rendered);
    if (out != null) {
      Files.writeString(out, rendered);
    }
    System.exit(failure == null ? 0 : 1); // explicitly: jetcd's and grpc's non-daemon threads must not keep the JVM up
  }

  private String loadBefore = loadAverage();

  /** The heading's note of --server-flag and --server-arg, if any were given. */
  static String serverExtras(List<String> flags, List<String> args) {
    return (flags.isEmpty() ? "" : ", entity server JVM flags added: " + String.join(" ", flags))
        + (args.isEmpty() ? "" : ", entity server arguments added: " + String.join(" ", args));
  }

  /**
   * Runs the groups asked for. Each server kind is one process for the whole run (started, and
   * pre-warmed, when first needed), so every scenario after the first sees a warm JIT. Each
   * comparison's two sides run close together (etcd right after (c), the bare streams right before
   * (e)), and the two targets' pairs (echo and (a), 100 bare streams and 100 subscribers) alternate
   * in rounds that are pooled, because the load that other work puts on a shared machine drifts
   * over minutes.
   */
  private void run(Set<String> groups) throws Exception {
    BaselineScenarios baselines = new BaselineScenarios(settings);
    EntityScenarios entities = new EntityScenarios(settings);
    try {
      if (groups.contains("baseline") && groups.contains("a")) {
        // The headline comparison: echo and (a) alternate, so that both see the same drift in load.
        List<ResultRow.Sample> echo = new ArrayList<>();
        List<ResultRow.Sample> update = new ArrayList<>();
        for (int round = 0; round < settings.rounds(); round++) {
          echo.add(baselines.echoSample(bare()));
          update.add(entities.updateSample(entity()));
        }
        add(ResultRow.pooled("echo", "bare gRPC unary echo, C=" + settings.concurrency(), echo));
        add(ResultRow.pooled("a", entities.updateScenario(), update));
        add(entities.get(entity()));
      } else if (groups.contains("baseline")) {
        add(baselines.echo(bare()));
      } else if (groups.contains("a")) {
        add(entities.update(entity()));
        add(entities.get(entity()));
      }
      if (groups.contains("c")) {
        add(entities.hotKeyClientLoop(entity()));
        add(entities.hotKeyExecute(entity()));
      }
      if (groups.contains("f")) {
        if (!etcdInstalled()) {
          System.err.println("skipping (f): no etcd at " + etcd + " (bench/run-matrix.sh --install installs it)");
        } else {
          try (EtcdProcess server = etcdServer(tmpfsIfAny(), "etcd")) {
            EtcdScenarios scenarios = new EtcdScenarios(settings);
            add(scenarios.compareAndSet(server.process));
            add(scenarios.hotKey(server.process));
          }
        }
      }
      if (groups.contains("d")) {
        PriorityScenarios priorities = new PriorityScenarios(settings);
        for (PriorityScenarios.Mode mode : PriorityScenarios.Mode.values()) {
          PriorityScenarios.Result result = priorities.run(entity(), mode);
          report.add(result);
          progress(result.row());
        }
      }
      if (groups.contains("baseline")) {
        for (int streams : new int[] {1, 10}) {
          add(baselines.streams(bare(), streams));
        }
      }
      if (groups.contains("e")) {
        for (int subscribers : new int[] {1, 10}) {
          add(entities.fanOut(entity(), subscribers));
        }
      }
      if (groups.contains("baseline") && groups.contains("e")) {
        // The fan-out target's two sides alternate too.
        List<ResultRow.Sample> streams = new ArrayList<>();
        List<ResultRow.Sample> fanOut = new ArrayList<>();
        for (int round = 0; round < settings.rounds(); round++) {
          streams.add(baselines.streamsSample(bare(), 100));
          fanOut.add(entities.fanOutSample(entity(), 100));
        }
        add(ResultRow.pooled("stream100", BaselineScenarios.streamsScenario(100), streams));
        add(ResultRow.pooled("e100", EntityScenarios.fanOutScenario(100), fanOut));
      } else if (groups.contains("baseline")) {
        add(baselines.streams(bare(), 100));
      } else if (groups.contains("e")) {
        add(entities.fanOut(entity(), 100));
      }
      if (groups.contains("slow")) {
        entities.slowSubscriber(entity()).forEach(this::add);
      }
      if (groups.contains("durable")) {
        durable(entities);
      }
      if (groups.contains("replicated")) {
        replicated(entities);
      }
      if (groups.contains("t")) {
        trees(entities);
      }
    } finally {
      if (bare != null) {
        bare.close();
      }
      if (entity != null) {
        entity.close();
      }
    }
    if (groups.contains("g")) {
      report.store(storeBenchmark());
      report.heap(heapPerEntity());
    }
  }

  /**
   * The durable store against the in-memory one and against etcd on the same disk: (a)'s Update on
   * a server with {@code --store durable} (its own process, pre-warmed as the in-memory one), on
   * the in-memory server, and (f)'s Txn CAS on a second etcd whose data dir is on the durable
   * server's disk, not tmpfs, so that both pay for real fsyncs. The three alternate in rounds that are
   * pooled, like the other targets' pairs. Without etcd the durable and in-memory rows still run.
   */
  private void durable(EntityScenarios entities) throws Exception {
    Path parent = Files.createDirectories(disk);
    Filesystem filesystem = Filesystem.of(parent);
    if (filesystem.inMemory()) {
      System.err.println("skipping durable: " + parent + " is on " + filesystem
          + ", in memory; give --disk a directory on a disk");
      return;
    }
    boolean withEtcd = etcdInstalled();
    if (!withEtcd) {
      System.err.println("durable without etcd: no etcd at " + etcd + " (bench/run-matrix.sh --install installs it)");
    }
    Path data = Files.createTempDirectory(parent, "bench-durable-");
    String updates = "Update, CAS on distinct entities, C=" + settings.concurrency();
    try (ServerProcess durable = entityServer("durable-server",
        List.of("--store", "durable", "--data-dir", data.toString()), false);
        EtcdProcess etcdOnDisk = withEtcd ? etcdServer(parent, "etcd-disk") : null) {
      EntityScenarios warm = new EntityScenarios(prewarmRound());
      prewarm(durable.toString(), () -> warm.update(durable));
      ServerProcess memory = entity();
      EtcdScenarios etcdScenarios = new EtcdScenarios(settings);
      RaftLogEntries log = new RaftLogEntries(data);
      List<ResultRow.Sample> onDurable = new ArrayList<>();
      List<ResultRow.Sample> inMemory = new ArrayList<>();
      List<ResultRow.Sample> onEtcd = new ArrayList<>();
      for (int round = 0; round < settings.rounds(); round++) {
        onDurable.add(entities.updateSample(durable, log::windowStarts, log::windowEnds));
        inMemory.add(entities.updateSample(memory));
        if (etcdOnDisk != null) {
          onEtcd.add(etcdScenarios.compareAndSetSample(etcdOnDisk.process));
        }
      }
      long acknowledged = onDurable.stream().mapToLong(sample -> sample.latencyNanos().getTotalCount()).sum();
      add(ResultRow.pooled("durable", "(durable) " + updates + ", --store durable", onDurable)
          .withNotes("data dir on " + filesystem + (etcdOnDisk != null ? ", as etcd's" : "") + "; "
              + RaftLogEntries.note(log.entries(), acknowledged)));
      add(ResultRow.pooled("durable-memory", "(durable) " + updates + ", --store memory", inMemory));
      if (etcdOnDisk != null) {
        add(ResultRow.pooled("durable-etcd", "(durable) etcd Txn CAS on distinct keys, data on disk, C="
            + settings.concurrency(), onEtcd).withNotes("data dir on " + filesystem));
      }
    } finally {
      deleteTree(data);
    }
  }

  /**
   * Three members against three: (a)'s Update on a group of three durable entity servers (one Raft
   * group on loopback, pre-warmed), and the durable group's Txn CAS on a 3-member etcd cluster,
   * all with their data on the same disk, alternating in rounds that are pooled. Both are loaded
   * as a user's clients would load a group behind a load balancer that spreads connections, not
   * knowing the leader: the same number of connections on each member ({@link #spread}), so
   * two thirds of the writes reach a follower, which forwards them to its leader (both systems
   * do). Without etcd the group's row still runs.
   */
  private void replicated(EntityScenarios entities) throws Exception {
    Path parent = Files.createDirectories(disk);
    Filesystem filesystem = Filesystem.of(parent);
    if (filesystem.inMemory()) {
      System.err.println("skipping replicated: " + parent + " is on " + filesystem
          + ", in memory; give --disk a directory on a disk");
      return;
    }
    boolean withEtcd = etcdInstalled();
    if (!withEtcd) {
      System.err.println("replicated without etcd: no etcd at " + etcd + " (bench/run-matrix.sh --install installs it)");
    }
    Path data = Files.createTempDirectory(parent, "bench-replicated-");
    int connections = spread();
    Path groupData = data.resolve("group");
    try (ServerGroup group = ServerGroup.form(attempt -> members(groupData.resolve("attempt-" + attempt)), work);
        ServerGroup etcds = withEtcd
            ? ServerGroup.form(attempt -> etcdMembers(data.resolve("etcd").resolve("attempt-" + attempt)), work)
            : null) {
      List<ServerProcess> members = group.members();
      // Three JVMs compile on two shared cores: each gets a third of the time the single servers
      // get, so the group is pre-warmed up to three times as long (at the old 90 s, C1 and C2
      // took 47% of the members' CPU in the measured windows). Its rounds are 10 s, since each
      // first creates its 64 entities one at a time, a consensus round each.
      Duration warmRound = settings.quick() ? settings.measure() : Duration.ofSeconds(10);
      EntityScenarios warm = new EntityScenarios(prewarmRound(warmRound));
      prewarm(group.toString(), () -> ResultRow.of("", "", warm.updateSample(members, connections, () -> {}, () -> {})),
          settings.prewarm().multipliedBy(MEMBERS));
      EtcdScenarios etcdScenarios = new EtcdScenarios(settings);
      // Every member appends the same entries; the highest index over all their logs is the leader's.
      RaftLogEntries log = new RaftLogEntries(groupData);
      List<ResultRow.Sample> onGroup = new ArrayList<>();
      List<ResultRow.Sample> onEtcd = new ArrayList<>();
      for (int round = 0; round < settings.rounds(); round++) {
        onGroup.add(entities.updateSample(members, connections, log::windowStarts, log::windowEnds));
        if (etcds != null) {
          onEtcd.add(etcdScenarios.compareAndSetSample(etcds.members(), connections));
        }
      }
      // Linearizable Gets on every member, after the writes: each waits for a log entry of its
      // group commit (no command of its own), so their rate is the log's, not the store's.
      List<ResultRow.Sample> reads = new ArrayList<>();
      for (int round = 0; round < settings.rounds(); round++) {
        reads.add(entities.getSample(members, connections));
      }
      // An idle group but for one client, one call at a time, through each member in turn: through
      // a follower, each call waits for the follower to learn that the leader committed its entry.
      EntityScenarios alone = new EntityScenarios(settings.withConcurrency(1));
      List<ResultRow.Sample> aloneUpdates = new ArrayList<>();
      List<ResultRow.Sample> aloneReads = new ArrayList<>();
      for (ServerProcess member : members) {
        aloneUpdates.add(alone.updateSample(List.of(member), 1, () -> {}, () -> {}));
        aloneReads.add(alone.getSample(List.of(member), 1));
      }
      long acknowledged = onGroup.stream().mapToLong(sample -> sample.latencyNanos().getTotalCount()).sum();
      String load = ", C=" + settings.concurrency() + ", " + connections + " connections spread over " + MEMBERS
          + " members";
      add(ResultRow.pooled("replicated", "(replicated) Update, CAS on distinct entities, 3 members" + load, onGroup)
          .withNotes("data dirs on " + filesystem + (etcds != null ? ", as etcd's" : "") + "; member JVM "
              + String.join(" ", MEMBER_JVM) + "; " + RaftLogEntries.note(log.entries(), acknowledged)));
      add(ResultRow.pooled("replicated-get", "(replicated) Get, linearizable, 3 members" + load, reads));
      for (int k = 0; k < MEMBERS; k++) {
        String through = ", one client, C=1, through " + members.get(k).name() + " alone";
        add(ResultRow.of("replicated-alone", "(replicated) Update, CAS" + through, aloneUpdates.get(k)));
        add(ResultRow.of("replicated-alone-get", "(replicated) Get, linearizable" + through, aloneReads.get(k)));
      }
      if (etcds != null) {
        add(ResultRow.pooled("replicated-etcd", "(replicated) etcd Txn CAS on distinct keys, 3 members" + load, onEtcd)
            .withNotes("data dirs on " + filesystem));
      }
    } finally {
      deleteTree(data);
    }
  }

  /**
   * Group t, entity trees, on the in-memory entity server. (t1): tree writes of all 10 members of
   * a tree against (a)'s single-entity Update, alternating in rounds that are pooled like echo and
   * (a), after a pre-warm of the tree writes of its own (the server's pre-warm is (a)'s load).
   * (t2): (c)'s client-side hot-key loop, measured again as its baseline, then the hot tree right
   * after it. (t3): (d)'s mixed priorities on one tree, operations then plain tree-write loops.
   */
  private void trees(EntityScenarios entities) throws InterruptedException, IOException {
    ServerProcess server = entity();
    TreeScenarios trees = new TreeScenarios(settings);
    prewarm("tree writes on " + server, () -> ResultRow.of("t1-prewarm", "", trees.treeWrites(server, Duration.ZERO,
        Duration.ofSeconds(2))), settings.prewarm().dividedBy(2));
    List<ResultRow.Sample> updates = new ArrayList<>();
    List<ResultRow.Sample> treeWrites = new ArrayList<>();
    for (int round = 0; round < settings.rounds(); round++) {
      updates.add(entities.updateSample(server));
      treeWrites.add(trees.treeWriteSample(server));
    }
    add(ResultRow.pooled("t1-update", "(t1 baseline) " + entities.updateScenario(), updates));
    ResultRow t1 = ResultRow.pooled("t1", trees.treeWriteScenario(), treeWrites);
    add(t1.withNotes(TreeScenarios.perMemberNote(t1)));
    ResultRow hotKey = entities.hotKeyClientLoop(server);
    add(hotKey.withId("t2-c", "(t2 baseline) " + hotKey.scenario()));
    trees.hotTree(server).forEach(this::add);
    TreePriorityScenarios treePriorities = new TreePriorityScenarios(settings);
    for (PriorityScenarios.Mode mode : PriorityScenarios.Mode.values()) {
      PriorityScenarios.Result result = treePriorities.run(server, mode);
      report.addTree(result);
      progress(result.row());
    }
  }

  /**
   * Connections for a group: the runs' channel count rounded up to a multiple of the members, so
   * that every member has as many connections, and slots, as the others (slot {@code i} goes to
   * member {@code i % 3}).
   */
  private int spread() {
    return (settings.channels() + MEMBERS - 1) / MEMBERS * MEMBERS;
  }

  /**
   * The entity servers n1, n2, n3 of one group on fresh Raft ports, each with its data under
   * {@code home}: the server flags of {@link #entityServer} plus {@code --node-id} and
   * {@code --peers}.
   */
  private List<ServerGroup.Member> members(Path home) throws IOException {
    StringBuilder peers = new StringBuilder();
    for (int i = 1; i <= MEMBERS; i++) {
      peers.append(peers.isEmpty() ? "" : ",").append("n").append(i).append("=127.0.0.1:").append(freePort());
    }
    List<ServerGroup.Member> members = new ArrayList<>();
    for (int i = 1; i <= MEMBERS; i++) {
      String id = "n" + i;
      List<String> command = entityCommand(MEMBER_JVM, jfr == null ? null : beside(jfr, id),
          List.of("--store", "durable", "--data-dir", home.resolve(id).toString(), "--node-id", id,
              "--peers", peers.toString()));
      members.add(new ServerGroup.Member("replica-" + id, command, GRPC_READY, 0));
    }
    return members;
  }

  /** {@code file} with {@code -suffix} before its extension: server.jfr, n1 gives server-n1.jfr. */
  private static Path beside(Path file, String suffix) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return file.resolveSibling(dot < 0 ? name + "-" + suffix : name.substring(0, dot) + "-" + suffix + name.substring(dot));
  }

  private ServerProcess bare() throws IOException, InterruptedException {
    if (bare == null) {
      bare = bareServer();
      BaselineScenarios warm = new BaselineScenarios(prewarmRound());
      prewarm(bare.toString(), () -> warm.echo(bare));
    }
    return bare;
  }

  /** The entity server, started and pre-warmed (Update, as (a)) on first use. */
  private ServerProcess entity() throws IOException, InterruptedException {
    if (entity == null) {
      entity = entityServer("entity-server", List.of("--store", "memory"), true);
      EntityScenarios warm = new EntityScenarios(prewarmRound());
      prewarm(entity.toString(), () -> warm.update(entity));
    }
    return entity;
  }

  /** One round of load, for the pre-warm. */
  @FunctionalInterface
  private interface Round {
    ResultRow run() throws InterruptedException;
  }

  /**
   * Runs rounds until {@link Settings#prewarmCalls} calls completed or {@link Settings#prewarm}
   * passed; {@code server} names what is pre-warmed.
   */
  private void prewarm(String server, Round round) throws InterruptedException {
    prewarm(server, round, settings.prewarm());
  }

  /** As above, for at most {@code longest}. */
  private void prewarm(String server, Round round, Duration longest) throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + longest.toNanos();
    long calls = 0;
    while (calls < settings.prewarmCalls() && System.nanoTime() < deadline) {
      calls += round.run().latency().count();
    }
    System.err.printf("pre-warmed %s: %,d calls in %d s%n", server, calls,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
  }

  /** A pre-warm round: 2 s of load, no warm-up of its own. */
  private Settings prewarmRound() {
    return prewarmRound(Duration.ofSeconds(2));
  }

  /** A pre-warm round of {@code load}, no warm-up of its own. */
  private Settings prewarmRound(Duration load) {
    return new Settings(Duration.ZERO, 0, Duration.ZERO, load, settings.concurrency(),
        settings.channels(), settings.hotWriters(), settings.fanOutWriters(), settings.heapEntities(), 1, settings.quick());
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

  /**
   * An entity server with {@code store} (its --store and --data-dir arguments), logging to
   * {@code name}.log; {@code withJfr}: the one {@code --jfr} records.
   */
  private ServerProcess entityServer(String name, List<String> store, boolean withJfr)
      throws IOException, InterruptedException {
    List<String> command = entityCommand(SERVER_JVM, withJfr ? jfr : null, store);
    return ServerProcess.start(name, command, GRPC_READY, 0, work.resolve(name + ".log"), Duration.ofSeconds(60));
  }

  /**
   * The entity server's command line: {@code jvm} flags, JFR recording to {@code jfrFile} unless
   * null, the --server-flag flags, and {@code store} (its --store and --data-dir arguments, and
   * a member's --node-id and --peers) on a free port of loopback, without metrics, then the
   * --server-arg arguments.
   */
  private List<String> entityCommand(List<String> jvm, Path jfrFile, List<String> store) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvm);
    if (jfrFile != null) {
      command.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile,dumponexit=true");
    }
    command.addAll(serverFlags);
    command.addAll(List.of("-jar", serverJar.toString()));
    command.addAll(store);
    command.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--metrics-port", "-1", "--shutdown-grace", "PT1S"));
    command.addAll(serverArgs);
    return command;
  }

  private boolean etcdInstalled() {
    return !etcd.equals("none") && Files.isExecutable(Path.of(etcd));
  }

  /** /dev/shm when there is one (etcd of (f) runs on tmpfs: cheap fsyncs), else the temporary directory. */
  private static Path tmpfsIfAny() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** etcd on loopback with a fresh data directory under {@code parent}, removed afterwards; logs to {@code name}.log. */
  private EtcdProcess etcdServer(Path parent, String name) throws IOException, InterruptedException {
    Path data = Files.createTempDirectory(parent, "bench-etcd-");
    int client = freePort();
    int peer = freePort();
    String clientUrl = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    List<String> command = List.of(etcd, "--name", "bench", "--data-dir", data.toString(),
        "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "bench=" + peerUrl);
    try {
      return new EtcdProcess(ServerProcess.start(name, command, ETCD_READY, client, work.resolve(name + ".log"),
          Duration.ofSeconds(60)), data);
    } catch (IOException | InterruptedException e) {
      deleteTree(data);
      throw e;
    }
  }

  /**
   * The members e1, e2, e3 of one new etcd cluster on fresh client and peer ports of loopback, each
   * with its data under {@code home}; otherwise as {@link #etcdServer}.
   */
  private List<ServerGroup.Member> etcdMembers(Path home) throws IOException {
    int[] clients = new int[MEMBERS];
    String[] peerUrls = new String[MEMBERS];
    StringBuilder cluster = new StringBuilder();
    for (int i = 0; i < MEMBERS; i++) {
      clients[i] = freePort();
      peerUrls[i] = "http://127.0.0.1:" + freePort();
      cluster.append(cluster.isEmpty() ? "" : ",").append("e").append(i + 1).append('=').append(peerUrls[i]);
    }
    String token = home.getParent().getParent().getFileName() + "-" + home.getFileName();
    List<ServerGroup.Member> members = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      String name = "e" + (i + 1);
      String clientUrl = "http://127.0.0.1:" + clients[i];
      List<String> command = List.of(etcd, "--name", name, "--data-dir", home.resolve(name).toString(),
          "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
          "--listen-peer-urls", peerUrls[i], "--initial-advertise-peer-urls", peerUrls[i],
          "--initial-cluster", cluster.toString(), "--initial-cluster-state", "new",
          "--initial-cluster-token", token);
      members.add(new ServerGroup.Member("etcd-" + name, command, ETCD_READY, clients[i]));
    }
    return members;
  }

  /** etcd and its data directory. */
  private record EtcdProcess(ServerProcess process, Path data) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException, IOException {
      try {
        process.close();
      } finally {
        deleteTree(data);
      }
    }
  }

  /** Removes {@code dir} and everything under it. */
  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** (g) StoreCasBenchmark through JMH's API, forked with the server's JVM flags. */
  private Report.StoreFigures storeBenchmark() throws RunnerException, IOException, InterruptedException {
    System.err.println("JMH StoreCasBenchmark (output in " + work.resolve("jmh.log") + ")");
    boolean quick = settings.quick();
    Options options = new OptionsBuilder()
        .include(Pattern.quote(StoreCasBenchmark.class.getName()) + "\\.(uncontended|hotKey)$")
        .forks(1)
        .warmupIterations(quick ? 1 : 3)
        .warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(quick ? 1 : 5)
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
    List<String> jvm = new ArrayList<>(SERVER_JVM);
    String perCpu = childMain(jvm, StoreCasPerCpu.class, List.of("--seconds", settings.quick() ? "2" : "5"),
        "per_cpu_second=");
    double perCpuSecond = perCpu == null ? Double.NaN : Double.parseDouble(Report.keyValues(perCpu).get("per_cpu_second"));
    return new Report.StoreFigures(uncontended, uncontendedError, hotCalls, hotCommits, perCpuSecond);
  }

  /** (g) heap per entity, in a JVM of its own with -Xmx4g. */
  private Report.HeapFigures heapPerEntity() throws IOException, InterruptedException {
    String last = childMain(List.of("-Xms4g", "-Xmx4g"), HeapPerEntity.class,
        List.of("--count", Integer.toString(settings.heapEntities())), "beyond_payload_bytes=");
    return last == null ? Report.HeapFigures.NONE : Report.HeapFigures.parse(last);
  }

  /**
   * Runs {@code main}'s class in a JVM of its own (this classpath), echoes its output to standard
   * error and returns its last line containing {@code key}, or null if it failed.
   */
  private static String childMain(List<String> jvm, Class<?> main, List<String> args, String key)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvm);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    System.err.println(main.getSimpleName() + " " + String.join(" ", args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String last = null;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        System.err.println("  " + line);
        if (line.contains(key)) {
          last = line;
        }
      }
    }
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || last == null) {
      System.err.println(main.getSimpleName() + " failed");
      return null;
    }
    return last;
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
