package dev.abstractions.bench.load;

import dev.abstractions.api.v1.PriorityClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a run's measurements into the markdown report: the results table with each row's ratio to
 * its baseline from the same run, the per-class table of (d), the store figures of (g), and the
 * targets, met or missed. Not thread-safe; one per run.
 */
public final class Report {

  /** (g) from JMH: the store's compare-and-set, called directly. */
  public record StoreFigures(double uncontendedPerSecond, double uncontendedError, double hotKeyCallsPerSecond,
      double hotKeyCommitsPerSecond, double uncontendedPerCpuSecond) {

    static final StoreFigures NONE = new StoreFigures(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  /** (g) heap per stored entity. */
  public record HeapFigures(long entities, int payloadSerializedBytes, double payloadHeapBytes,
      double beyondPayloadBytes) {

    static final HeapFigures NONE = new HeapFigures(0, 0, Double.NaN, Double.NaN);

    /** Parses HeapPerEntity's last line ({@code key=value} pairs). */
    static HeapFigures parse(String line) {
      Map<String, String> values = keyValues(line);
      if (!values.containsKey("beyond_payload_bytes")) {
        throw new IllegalArgumentException("not a HeapPerEntity result line: " + line);
      }
      return new HeapFigures(Long.parseLong(values.get("entities")),
          Integer.parseInt(values.get("payload_serialized_bytes")),
          Double.parseDouble(values.get("payload_heap_bytes")),
          Double.parseDouble(values.get("beyond_payload_bytes")));
    }
  }

  /** The {@code key=value} pairs of a line, in order; other words are skipped. */
  static Map<String, String> keyValues(String line) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : line.trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return values;
  }

  private final Map<String, ResultRow> rows = new LinkedHashMap<>();
  private final List<PriorityScenarios.Result> priorities = new ArrayList<>();
  private final List<PriorityScenarios.Result> treePriorities = new ArrayList<>();
  private StoreFigures store = StoreFigures.NONE;
  private HeapFigures heap = HeapFigures.NONE;

  public void add(ResultRow row) {
    rows.put(row.id(), row);
  }

  public void add(PriorityScenarios.Result result) {
    priorities.add(result);
    add(result.row());
  }

  /** A (t3) result: (d)'s workload on one tree, kept apart from (d)'s, which the targets read. */
  public void addTree(PriorityScenarios.Result result) {
    treePriorities.add(result);
    add(result.row());
  }

  public void store(StoreFigures figures) {
    this.store = figures;
  }

  public void heap(HeapFigures figures) {
    this.heap = figures;
  }

  /** A row's throughput, NaN if it did not run. */
  double throughput(String id) {
    return measure(id, ResultRow::throughput);
  }

  private double measure(String id, java.util.function.ToDoubleFunction<ResultRow> figure) {
    ResultRow row = rows.get(id);
    return row == null ? Double.NaN : figure.applyAsDouble(row);
  }

  /** A row's throughput per CPU-second used by client and server together, NaN if unknown. */
  double perCpuSecond(String id) {
    return measure(id, ResultRow::perCpuSecond);
  }

  double p99(String id) {
    return measure(id, r -> r.latency().p99Micros());
  }

  /** The ratio column of each row, to the baseline that row is compared with. */
  String ratioOf(ResultRow row) {
    String id = row.id();
    return switch (id) {
      case "echo", "stream1", "stream10", "stream100", "slow-none", "d-cas", "f-hot", "durable-memory", "t1-update",
          "t2-c", "t3-cas" -> "baseline";
      case "a", "b" -> Ratio.format(Ratio.of(row.throughput(), throughput("echo")), "echo") + ", p99 "
          + Ratio.format(Ratio.of(row.latency().p99Micros(), p99("echo"))) + "; per CPU-s "
          + Ratio.format(Ratio.of(row.perCpuSecond(), perCpuSecond("echo")));
      case "c-exec" -> Ratio.format(Ratio.of(row.throughput(), throughput("a")), "(a)");
      case "c-client" -> Ratio.format(Ratio.of(row.throughput(), throughput("f-hot")), "etcd hot") + ", p99 "
          + Ratio.format(Ratio.of(row.latency().p99Micros(), p99("f-hot")));
      case "f" -> "(a) = " + Ratio.format(Ratio.of(throughput("a"), row.throughput())) + " this";
      case "durable" -> Ratio.format(Ratio.of(row.throughput(), throughput("durable-memory")), "memory") + ", p99 "
          + Ratio.format(Ratio.of(row.latency().p99Micros(), p99("durable-memory")));
      case "durable-etcd" -> "durable = " + Ratio.format(Ratio.of(throughput("durable"), row.throughput()))
          + " this; p99 " + Ratio.format(Ratio.of(p99("durable"), row.latency().p99Micros()));
      case "replicated-get" -> Ratio.format(Ratio.of(row.throughput(), throughput("replicated")), "its Updates")
          + ", p99 " + Ratio.format(Ratio.of(row.latency().p99Micros(), p99("replicated")));
      case "replicated-etcd" -> "3 members = " + Ratio.format(Ratio.of(throughput("replicated"), row.throughput()))
          + " this; p99 " + Ratio.format(Ratio.of(p99("replicated"), row.latency().p99Micros()));
      case "d-operations" -> "waste " + Ratio.format(Ratio.of(waste(PriorityScenarios.Mode.OPERATIONS),
          waste(PriorityScenarios.Mode.CAS)), "CAS");
      case "t1" -> "server CPU/call " + Ratio.format(treeWriteCpuRatio(), "Update") + "; calls/s "
          + Ratio.format(Ratio.of(row.throughput(), throughput("t1-update")));
      case "t2" -> Ratio.format(Ratio.of(row.throughput(), throughput("t2-c")), "hot-key CAS (c)")
          + " committed writes/s";
      case "t2-tree", "t2-member" -> "p99 " + Ratio.format(Ratio.of(row.latency().p99Micros(), p99("t2-c")), "(c)'s");
      case "t3-operations" -> "writes/s " + Ratio.format(Ratio.of(row.throughput(), throughput("t3-cas")), "plain")
          + "; waste " + Ratio.format(Ratio.of(waste(treePriorities, PriorityScenarios.Mode.OPERATIONS),
              waste(treePriorities, PriorityScenarios.Mode.CAS)), "plain");
      case "slow-stalled" -> Ratio.format(Ratio.of(row.throughput(), throughput("slow-none")), "no subscriber");
      default -> id.startsWith("e")
          ? Ratio.format(Ratio.of(row.throughput(), throughput("stream" + id.substring(1))), "bare streams")
          : "";
    };
  }

  /** A row's server CPU microseconds per call, NaN if it did not run or the CPU is unknown. */
  double serverMicrosPerOp(String id) {
    return measure(id, ResultRow::serverMicrosPerOp);
  }

  /** (t1): the server CPU per tree write of 10 members over that per Update in the same run. */
  double treeWriteCpuRatio() {
    return Ratio.of(serverMicrosPerOp("t1"), serverMicrosPerOp("t1-update"));
  }

  double waste(PriorityScenarios.Mode mode) {
    return waste(priorities, mode);
  }

  private static double waste(List<PriorityScenarios.Result> results, PriorityScenarios.Mode mode) {
    return results.stream().filter(p -> p.mode() == mode).findFirst()
        .map(PriorityScenarios.Result::wastedPerCommit).orElse(Double.NaN);
  }

  private PriorityScenarios.ClassStats classStats(PriorityScenarios.Mode mode, PriorityClass priorityClass) {
    return priorities.stream().filter(p -> p.mode() == mode).findFirst().map(p -> p.of(priorityClass)).orElse(null);
  }

  /** The results table. */
  public String resultsTable() {
    MarkdownTable table = new MarkdownTable("scenario", ">throughput /s", ">p50 µs", ">p99 µs", ">p99.9 µs",
        ">client CPU", ">server CPU", ">server µs CPU/op", ">per CPU-s", "ratio (same run)", ">errors", "notes");
    for (ResultRow row : rows.values()) {
      table.row(row.scenario(), Ratio.rate(row.throughput()), Ratio.number(row.latency().p50Micros()),
          Ratio.number(row.latency().p99Micros()), Ratio.number(row.latency().p999Micros()),
          Ratio.number(row.clientCores()), Ratio.number(row.serverCores()), Ratio.number(row.serverMicrosPerOp()),
          Ratio.rate(row.perCpuSecond()), ratioOf(row), Long.toString(row.errors()), row.notes());
    }
    return table.render();
  }

  /** The per-class table of (d). */
  public String prioritiesTable() {
    return prioritiesTable("(d) mode", priorities);
  }

  /** The per-class table of (t3). */
  public String treePrioritiesTable() {
    return prioritiesTable("(t3) mode", treePriorities);
  }

  private static String prioritiesTable(String title, List<PriorityScenarios.Result> results) {
    MarkdownTable table = new MarkdownTable(title, "class", ">writes ended", ">success", ">charged retries mean",
        ">max", ">attempts", ">wasted / committed write", ">p50 µs", ">p99 µs");
    for (PriorityScenarios.Result result : results) {
      for (PriorityScenarios.ClassStats c : result.classes()) {
        table.row(result.mode().name().toLowerCase(Locale.ROOT), c.priorityClass().name(), Long.toString(c.finished()),
            percent(c.successRate()), Ratio.number(c.chargedMean()), Long.toString(c.chargedMax()),
            Long.toString(c.attempts()), Ratio.number(c.wastedPerCommit()), Ratio.number(c.latency().p50Micros()),
            Ratio.number(c.latency().p99Micros()));
      }
      table.row(result.mode().name().toLowerCase(Locale.ROOT), "all", "", "", "", "", "",
          Ratio.number(result.wastedPerCommit()), "", "");
    }
    return table.render();
  }

  /** The store figures of (g). */
  public String storeTable() {
    MarkdownTable table = new MarkdownTable("(g) store, no gRPC", ">value", "notes");
    table.row("CommandDriver.update uncontended, 1 thread, per CPU-second of it", Ratio.rate(store.uncontendedPerCpuSecond())
        + " /s", "StoreCasPerCpu: the thread's own CPU time, so a busy machine does not count against it");
    table.row("CommandDriver.update uncontended, 1 thread (JMH, wall clock)", Ratio.rate(store.uncontendedPerSecond()) + " /s",
        "± " + Ratio.rate(store.uncontendedError()) + " (99.9% CI)");
    table.row("CommandDriver.update hot key, 2 threads (JMH)", Ratio.rate(store.hotKeyCallsPerSecond()) + " calls/s",
        Ratio.rate(store.hotKeyCommitsPerSecond()) + " commits/s");
    table.row("heap per entity beyond its payload", Ratio.number(heap.beyondPayloadBytes()) + " B",
        heap.entities() + " entities via CommandDriver.create, " + heap.payloadSerializedBytes()
            + "-byte payload (" + Ratio.number(heap.payloadHeapBytes()) + " B on heap as bytes), -Xmx4g");
    return table.render();
  }

  /** The targets, each met or missed, with the figures from this run. */
  public List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    double aToEcho = Ratio.of(throughput("a"), throughput("echo"));
    double aP99ToEcho = Ratio.of(p99("a"), p99("echo"));
    targets.add(Target.both("(a) ≥ 0.8× bare echo at C=64, p99 ≤ 1.5× echo's",
        Target.atLeast("", aToEcho, 0.8, "throughput " + Ratio.format(aToEcho)),
        Target.atMost("", aP99ToEcho, 1.5, "p99 " + Ratio.format(aP99ToEcho))));
    double aToEtcd = Ratio.of(throughput("a"), throughput("f"));
    targets.add(Target.atLeast("(a) ≥ 8× etcd (f)", aToEtcd, 8, Ratio.format(aToEtcd)));
    double execToA = Ratio.of(throughput("c-exec"), throughput("a"));
    targets.add(Target.atLeast("(c) server-side increment on one hot key ≥ 0.5× (a)", execToA, 0.5,
        Ratio.format(execToA)));
    double hotToEtcd = Ratio.of(throughput("c-client"), throughput("f-hot"));
    double hotP99ToEtcd = Ratio.of(p99("c-client"), p99("f-hot"));
    targets.add(Target.both("(c) client-side hot-key loop ≥ 4× etcd's hot-key CAS rate, p99 ≤ 1/5 of etcd's",
        Target.atLeast("", hotToEtcd, 4, "rate " + Ratio.format(hotToEtcd)),
        Target.atMost("", hotP99ToEtcd, 0.2, "p99 " + Ratio.format(hotP99ToEtcd))));
    PriorityScenarios.ClassStats structural = classStats(PriorityScenarios.Mode.OPERATIONS, PriorityClass.STRUCTURAL);
    double structuralSuccess = structural == null ? Double.NaN : structural.successRate();
    double structuralMax = structural == null ? Double.NaN : structural.chargedMax();
    targets.add(Target.both("(d) STRUCTURAL success 100% with ≤ 2 charged retries",
        Target.atLeast("", structuralSuccess, 1.0, "success " + percent(structuralSuccess)),
        Target.atMost("", structuralMax, 2, "max charged " + Ratio.number(structuralMax))));
    double wasteRatio = Ratio.of(waste(PriorityScenarios.Mode.OPERATIONS), waste(PriorityScenarios.Mode.CAS));
    targets.add(Target.atMost("(d) wasted attempts per committed write ≥ 50% lower with arbitration", wasteRatio, 0.5,
        Ratio.format(wasteRatio) + " of CAS loops' (" + Ratio.number(waste(PriorityScenarios.Mode.OPERATIONS))
            + " vs " + Ratio.number(waste(PriorityScenarios.Mode.CAS)) + ")"));
    PriorityScenarios.ClassStats structuralCas = classStats(PriorityScenarios.Mode.CAS, PriorityClass.STRUCTURAL);
    double structuralP99Ratio = structural == null || structuralCas == null
        ? Double.NaN : Ratio.of(structural.latency().p99Micros(), structuralCas.latency().p99Micros());
    targets.add(Target.atMost("(d) STRUCTURAL p99 ≤ 1/4 of its p99 under plain CAS loops", structuralP99Ratio, 0.25,
        Ratio.format(structuralP99Ratio)));
    double goodput = Ratio.of(throughput("d-operations"), throughput("d-cas"));
    targets.add(Target.atLeast("(d) committed writes/s ≥ 1.0× plain CAS loops'", goodput, 1.0, Ratio.format(goodput)));
    targets.add(Target.atMost("(d) wasted attempts per committed write ≤ plain CAS loops'", wasteRatio, 1.0,
        Ratio.format(wasteRatio)));
    for (PriorityClass cls : List.of(PriorityClass.NORMAL, PriorityClass.LOW)) {
      PriorityScenarios.ClassStats stats = classStats(PriorityScenarios.Mode.OPERATIONS, cls);
      double success = stats == null ? Double.NaN : stats.successRate();
      double goal = cls == PriorityClass.NORMAL ? 0.95 : 0.80;
      targets.add(Target.atLeast("(d) " + cls + " success ≥ " + percent(goal), success, goal,
          percent(success) + (stats == null ? "" : ", shed at Begin " + stats.shed())));
    }
    double fanOut = Ratio.of(throughput("e100"), throughput("stream100"));
    targets.add(Target.atLeast("(e) 100 subscribers ≥ 0.7× bare streaming with 100 streams", fanOut, 0.7,
        Ratio.format(fanOut)));
    targets.add(Target.atLeast("(g) ≥ 5 M uncontended store CAS/s on one core", store.uncontendedPerCpuSecond(), 5e6,
        Ratio.rate(store.uncontendedPerCpuSecond()) + " per CPU-second (JMH wall clock: "
            + Ratio.rate(store.uncontendedPerSecond()) + " /s)"));
    targets.add(Target.atMost("(g) ≤ 1 KiB heap per entity beyond payload", heap.beyondPayloadBytes(), 1024,
        Ratio.number(heap.beyondPayloadBytes()) + " B"));
    // Before the durable and replicated targets, which tests find from the end of the list.
    double treeCpu = treeWriteCpuRatio();
    targets.add(Target.atMost("(t1) WriteTree of 10 members ≤ 2× a single-entity Update's server CPU per call",
        treeCpu, 2, Ratio.format(treeCpu) + " (" + Ratio.number(serverMicrosPerOp("t1")) + " vs "
            + Ratio.number(serverMicrosPerOp("t1-update")) + " µs)"));
    double durableToMemory = Ratio.of(throughput("durable"), throughput("durable-memory"));
    targets.add(Target.atLeast("(durable) Update ≥ 0.7× the in-memory mode's at C=64", durableToMemory, 0.7,
        Ratio.format(durableToMemory)));
    double durableToEtcd = Ratio.of(throughput("durable"), throughput("durable-etcd"));
    double durableP99ToEtcd = Ratio.of(p99("durable"), p99("durable-etcd"));
    targets.add(Target.both("(durable) ≥ 5× etcd Txn CAS (both on disk) at C=64, p99 ≤ 1/4 of etcd's",
        Target.atLeast("", durableToEtcd, 5, "throughput " + Ratio.format(durableToEtcd)),
        Target.atMost("", durableP99ToEtcd, 0.25, "p99 " + Ratio.format(durableP99ToEtcd))));
    double replicatedToEtcd = Ratio.of(throughput("replicated"), throughput("replicated-etcd"));
    targets.add(Target.atLeast("(replicated) 3 members ≥ 2.5× a 3-member etcd's CAS at C=64", replicatedToEtcd, 2.5,
        Ratio.format(replicatedToEtcd) + "; p99 " + Ratio.number(p99("replicated")) + " µs vs etcd's "
            + Ratio.number(p99("replicated-etcd")) + " µs"));
    return targets;
  }

  public String targetsTable() {
    MarkdownTable table = new MarkdownTable("target", "this run", "verdict");
    for (Target target : targets()) {
      table.row(target.name(), target.measured(), target.verdict());
    }
    return table.render();
  }

  /** The whole report. */
  public String render(String heading) {
    StringBuilder out = new StringBuilder();
    out.append(heading).append("\n\n");
    out.append(resultsTable()).append('\n');
    if (!priorities.isEmpty()) {
      out.append(prioritiesTable()).append('\n');
    }
    if (!treePriorities.isEmpty()) {
      out.append(treePrioritiesTable()).append('\n');
    }
    out.append(storeTable()).append('\n');
    out.append(targetsTable());
    return out.toString();
  }

  static String percent(double fraction) {
    return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }
}
