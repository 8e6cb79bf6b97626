package dev.abstractions.bench.load;

import java.util.List;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * One line of the results table. Immutable.
 *
 * @param id short key the report and the targets refer to (e.g. "a", "echo")
 * @param scenario what ran, for people
 * @param throughput successful operations (or delivered messages) per second
 * @param latency latency percentiles of those operations
 * @param clientCores CPU of the load generator in the window, in cores
 * @param serverCores CPU of the server process in the window, in cores (NaN if unknown)
 * @param errors unexpected failures in the window
 * @param ratio the ratio column (to the relevant baseline of the same run), or empty
 * @param notes anything else worth a glance
 */
public record ResultRow(String id, String scenario, double throughput, LatencySummary latency, double clientCores,
    double serverCores, long errors, String ratio, String notes) {

  /**
   * One measured window of a scenario: latencies (nanoseconds) of what completed in it, its wall
   * and CPU time, its errors and notes.
   */
  public record Sample(Histogram latencyNanos, MeasuredWindow.Cpu window, long errors, String notes) {

    public static Sample of(ClosedLoop.Result result, String notes) {
      return new Sample(result.latencyNanos(), result.window(), result.errors(), notes);
    }

    public double throughput() {
      return latencyNanos.getTotalCount() / window.seconds();
    }
  }

  /** A row from a closed-loop run. */
  public static ResultRow of(String id, String scenario, ClosedLoop.Result result, String notes) {
    return of(id, scenario, Sample.of(result, notes));
  }

  /** A row from one measured window. */
  public static ResultRow of(String id, String scenario, Sample sample) {
    return new ResultRow(id, scenario, sample.throughput(), LatencySummary.ofNanos(sample.latencyNanos()),
        sample.window().clientCores(), sample.window().serverCores(), sample.errors(), "", sample.notes());
  }

  /**
   * A row pooling several windows of one scenario (e.g. rounds alternating with its baseline):
   * throughput is all operations over all wall time, CPU is all CPU over all wall time, latencies
   * are the merged histograms; the notes list each window's throughput.
   */
  public static ResultRow pooled(String id, String scenario, List<Sample> samples) {
    if (samples.size() == 1) {
      return of(id, scenario, samples.get(0));
    }
    Histogram merged = new Histogram(3);
    long wall = 0;
    long clientCpu = 0;
    long serverCpu = 0;
    long errors = 0;
    for (Sample sample : samples) {
      merged.add(sample.latencyNanos());
      wall += sample.window().wallNanos();
      clientCpu += sample.window().clientCpuNanos();
      serverCpu = serverCpu < 0 || sample.window().serverCpuNanos() < 0 ? -1 : serverCpu + sample.window().serverCpuNanos();
      errors += sample.errors();
    }
    String rounds = samples.stream().map(s -> Ratio.rate(s.throughput())).collect(Collectors.joining(" / "));
    String notes = samples.stream().map(Sample::notes).filter(n -> !n.isEmpty()).findFirst().orElse("");
    return new ResultRow(id, scenario, merged.getTotalCount() / (wall / 1e9), LatencySummary.ofNanos(merged),
        CpuTime.cores(clientCpu, wall), CpuTime.cores(serverCpu, wall), errors, "",
        (notes.isEmpty() ? "" : notes + "; ") + samples.size() + " alternating rounds: " + rounds + " /s");
  }

  /** The same figures under another id and scenario (a scenario measured again as another group's baseline). */
  public ResultRow withId(String newId, String newScenario) {
    return new ResultRow(newId, newScenario, throughput, latency, clientCores, serverCores, errors, ratio, notes);
  }

  public ResultRow withRatio(String ratioText) {
    return new ResultRow(id, scenario, throughput, latency, clientCores, serverCores, errors, ratioText, notes);
  }

  public ResultRow withNotes(String moreNotes) {
    String joined = notes.isEmpty() ? moreNotes : notes + "; " + moreNotes;
    return new ResultRow(id, scenario, throughput, latency, clientCores, serverCores, errors, ratio, joined);
  }

  /**
   * Operations per CPU-second spent by client and server together: what the throughput would be
   * per core if the pair had the machine to itself and were CPU-bound. Less sensitive than the
   * throughput to the CPU that other work on a shared machine takes. NaN if the server's CPU is
   * unknown.
   */
  public double perCpuSecond() {
    return Ratio.of(throughput, clientCores + serverCores);
  }

  /** Server CPU microseconds per operation: the server's cost, whatever the client got. */
  public double serverMicrosPerOp() {
    return Ratio.of(serverCores * 1e6, throughput);
  }
}
