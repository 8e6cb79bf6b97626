package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static ResultRow row(String id, double throughput, double p99Micros) {
    return new ResultRow(id, "scenario " + id, throughput, new LatencySummary(100, p99Micros / 2, p99Micros,
        p99Micros * 2, p99Micros * 3), 0.5, 1.0, 0, "", "");
  }

  @Test
  void updateIsComparedWithTheEchoOfTheSameRun() {
    Report report = new Report();
    report.add(row("echo", 100_000, 1_000));
    report.add(row("a", 85_000, 1_400));

    assertThat(report.ratioOf(row("a", 85_000, 1_400))).isEqualTo("0.85× echo, p99 1.40×; per CPU-s 0.85×");
    Target first = report.targets().get(0);
    assertThat(first.met()).isTrue();
    assertThat(first.measured()).isEqualTo("throughput 0.85×; p99 1.40×");
  }

  @Test
  void aTargetIsMissedWhenEitherPartIsMissed() {
    Report report = new Report();
    report.add(row("echo", 100_000, 1_000));
    report.add(row("a", 85_000, 1_600));

    assertThat(report.targets().get(0).verdict()).isEqualTo("MISSED");
  }

  @Test
  void targetsWhoseScenariosDidNotRunAreNotMeasured() {
    List<Target> targets = new Report().targets();

    assertThat(targets).isNotEmpty().allSatisfy(t -> assertThat(t.verdict()).isEqualTo("not measured"));
  }

  @Test
  void fanOutIsComparedWithTheSameNumberOfBareStreams() {
    Report report = new Report();
    report.add(row("stream100", 200_000, 1_000));
    report.add(row("e100", 150_000, 1_000));

    assertThat(report.ratioOf(row("e100", 150_000, 1_000))).isEqualTo("0.75× bare streams");
    assertThat(report.targets()).filteredOn(t -> t.name().startsWith("(e)"))
        .singleElement().satisfies(t -> assertThat(t.met()).isTrue());
  }

  @Test
  void etcdRowShowsHowManyTimesFasterTheUpdateWas() {
    Report report = new Report();
    report.add(row("a", 90_000, 1_000));
    report.add(row("f", 9_000, 10_000));

    assertThat(report.ratioOf(row("f", 9_000, 10_000))).isEqualTo("(a) = 10.0× this");
  }

  @Test
  void theResultsTableHasOneLinePerRowAfterTheHeader() {
    Report report = new Report();
    report.add(row("echo", 100_000, 1_000));
    report.add(row("a", 85_000, 1_400));

    assertThat(report.resultsTable().lines()).hasSize(4);
    assertThat(report.resultsTable()).contains("| scenario a ").contains("100,000");
  }

  @Test
  void heapFiguresAreReadFromTheMeasurementsLastLine() {
    Report.HeapFigures heap = Report.HeapFigures.parse(
        "entities=1000000 payload_serialized_bytes=101 payload_heap_bytes=612.3 beyond_payload_bytes=744.9");

    assertThat(heap).isEqualTo(new Report.HeapFigures(1_000_000, 101, 612.3, 744.9));
  }

  @Test
  void serverCpuPerOperationIsServerCoresOverThroughput() {
    assertThat(row("a", 50_000, 1).serverMicrosPerOp()).isEqualTo(20.0);
  }

  @Test
  void throughputPerCpuSecondCountsClientAndServerCpu() {
    // 0.5 client cores + 1.0 server core for 60,000 operations per second.
    assertThat(row("a", 60_000, 1).perCpuSecond()).isEqualTo(40_000.0);
  }

  @Test
  void theCpuNormalizedRatioShowsWhenTheClientWasStarvedInOneRunButNotTheOther() {
    Report report = new Report();
    report.add(new ResultRow("echo", "echo", 100_000, new LatencySummary(1, 1, 1_000, 1, 1), 1.0, 1.0, 0, "", ""));
    ResultRow update = new ResultRow("a", "a", 50_000, new LatencySummary(1, 1, 1_000, 1, 1), 0.5, 0.5, 0, "", "");
    report.add(update);

    assertThat(report.ratioOf(update)).isEqualTo("0.50× echo, p99 1.00×; per CPU-s 1.00×");
  }

  @Test
  void theDurableStoreIsComparedWithTheInMemoryOneAndWithEtcdOnDisk() {
    Report report = new Report();
    report.add(row("durable", 40_000, 2_000));
    report.add(row("durable-memory", 50_000, 1_000));
    report.add(row("durable-etcd", 5_000, 10_000));

    assertThat(report.ratioOf(row("durable", 40_000, 2_000))).isEqualTo("0.80× memory, p99 2.00×");
    assertThat(report.ratioOf(row("durable-memory", 50_000, 1_000))).isEqualTo("baseline");
    assertThat(report.ratioOf(row("durable-etcd", 5_000, 10_000))).isEqualTo("durable = 8.00× this; p99 0.20×");
    List<Target> durable = report.targets().stream().filter(t -> t.name().startsWith("(durable)")).toList();
    assertThat(durable).extracting(Target::measured).containsExactly("0.80×", "throughput 8.00×; p99 0.20×");
    assertThat(durable).allSatisfy(t -> assertThat(t.met()).isTrue());
  }

  @Test
  void theDurableStoreMissesWhenItsP99IsMoreThanAQuarterOfEtcds() {
    Report report = new Report();
    report.add(row("durable", 40_000, 3_000));
    report.add(row("durable-memory", 80_000, 1_000));
    report.add(row("durable-etcd", 5_000, 10_000));

    assertThat(report.targets()).filteredOn(t -> t.name().startsWith("(durable)")).extracting(Target::verdict)
        .containsExactly("MISSED", "MISSED");
  }

  @Test
  void theDurableAndReplicatedTargetsComeAfterTheEarlierOnesSoThoseKeepTheirPlace() {
    List<Target> targets = new Report().targets();

    assertThat(targets.get(0).name()).startsWith("(a)");
    assertThat(targets.subList(targets.size() - 3, targets.size())).extracting(t -> t.name().split(" ")[0])
        .containsExactly("(durable)", "(durable)", "(replicated)");
  }

  @Test
  void threeMembersAreComparedWithAThreeMemberEtcd() {
    Report report = new Report();
    report.add(row("replicated", 12_000, 8_000));
    report.add(row("replicated-etcd", 4_000, 30_000));

    assertThat(report.ratioOf(row("replicated-etcd", 4_000, 30_000))).isEqualTo("3 members = 3.00× this; p99 0.27×");
    assertThat(report.ratioOf(row("replicated-get", 18_000, 4_000))).isEqualTo("1.50× its Updates, p99 0.50×");
    Target replicated = report.targets().get(report.targets().size() - 1);
    assertThat(replicated.measured()).isEqualTo("3.00×; p99 8000 µs vs etcd's 30000 µs");
    assertThat(replicated.verdict()).isEqualTo("met");
  }

  @Test
  void threeMembersMissBelowTwoAndAHalfTimesEtcd() {
    Report report = new Report();
    report.add(row("replicated", 9_000, 8_000));
    report.add(row("replicated-etcd", 4_000, 30_000));

    assertThat(report.targets().get(report.targets().size() - 1).verdict()).isEqualTo("MISSED");
  }

  /** A row of {@code throughput} calls/s on a server busy {@code serverCores} cores. */
  private static ResultRow cpuRow(String id, double throughput, double serverCores) {
    return new ResultRow(id, "scenario " + id, throughput, new LatencySummary(100, 500, 1_000, 2_000, 3_000), 0.5,
        serverCores, 0, "", "");
  }

  @Test
  void aTreeWriteIsComparedWithAnUpdateByServerCpuPerCall() {
    Report report = new Report();
    // Update: 0.9 cores for 50,000/s = 18 µs a call; tree write: 0.9 cores for 25,000/s = 36 µs.
    report.add(cpuRow("t1-update", 50_000, 0.9));
    ResultRow tree = cpuRow("t1", 25_000, 0.9);
    report.add(tree);

    assertThat(report.ratioOf(cpuRow("t1-update", 50_000, 0.9))).isEqualTo("baseline");
    assertThat(report.ratioOf(tree)).isEqualTo("server CPU/call 2.00× Update; calls/s 0.50×");
    assertThat(report.targets()).filteredOn(t -> t.name().startsWith("(t1)")).singleElement()
        .satisfies(t -> {
          assertThat(t.met()).isTrue();
          assertThat(t.measured()).isEqualTo("2.00× (36.0 vs 18.0 µs)");
        });
  }

  @Test
  void aTreeWriteMissesWhenItCostsMoreThanTwoUpdatesOfServerCpu() {
    Report report = new Report();
    report.add(cpuRow("t1-update", 50_000, 0.9));
    report.add(cpuRow("t1", 10_000, 0.9));

    assertThat(report.targets()).filteredOn(t -> t.name().startsWith("(t1)")).singleElement()
        .satisfies(t -> assertThat(t.verdict()).isEqualTo("MISSED"));
  }

  @Test
  void aTreeWriteWithoutTheServersCpuIsNotMeasured() {
    Report report = new Report();
    report.add(cpuRow("t1-update", 50_000, Double.NaN));
    report.add(cpuRow("t1", 10_000, 0.9));

    assertThat(report.targets()).filteredOn(t -> t.name().startsWith("(t1)")).singleElement()
        .satisfies(t -> assertThat(t.verdict()).isEqualTo("not measured"));
  }

  @Test
  void theHotTreeIsComparedWithTheHotKeyLoopOfTheSameRun() {
    Report report = new Report();
    report.add(row("t2-c", 8_000, 4_000));
    ResultRow both = row("t2", 6_000, 10_000);
    ResultRow trees = row("t2-tree", 1_000, 20_000);
    report.add(both);
    report.add(trees);

    assertThat(report.ratioOf(row("t2-c", 8_000, 4_000))).isEqualTo("baseline");
    assertThat(report.ratioOf(both)).isEqualTo("0.75× hot-key CAS (c) committed writes/s");
    assertThat(report.ratioOf(trees)).isEqualTo("p99 5.00× (c)'s");
  }

  private static PriorityScenarios.Result treeResult(PriorityScenarios.Mode mode, String id, double throughput,
      long wasted) {
    List<PriorityScenarios.ClassStats> classes = List.of(
        new PriorityScenarios.ClassStats(dev.abstractions.api.v1.PriorityClass.STRUCTURAL, 100, 100, 0, 0, 100 + wasted,
            wasted, 0, new LatencySummary(100, 1_000, 2_000, 3_000, 4_000)));
    return new PriorityScenarios.Result(mode, row(id, throughput, 2_000), classes);
  }

  @Test
  void theTreesMixedPrioritiesAreComparedWithPlainTreeWritesAndLeaveTheTargetsOfDAlone() {
    Report report = new Report();
    report.addTree(treeResult(PriorityScenarios.Mode.OPERATIONS, "t3-operations", 1_200, 10));
    report.addTree(treeResult(PriorityScenarios.Mode.CAS, "t3-cas", 1_000, 50));

    assertThat(report.ratioOf(row("t3-operations", 1_200, 2_000))).isEqualTo("writes/s 1.20× plain; waste 0.20× plain");
    assertThat(report.ratioOf(row("t3-cas", 1_000, 2_000))).isEqualTo("baseline");
    assertThat(report.targets()).filteredOn(t -> t.name().startsWith("(d)"))
        .allSatisfy(t -> assertThat(t.verdict()).isEqualTo("not measured"));
    assertThat(report.treePrioritiesTable()).contains("(t3) mode").contains("operations").contains("cas");
    assertThat(report.render("run")).contains("(t3) mode").doesNotContain("(d) mode");
  }
}
