package dev.abstractions.bench.load;

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

  /** A row from a closed-loop run. */
  public static ResultRow of(String id, String scenario, ClosedLoop.Result result, String notes) {
    return new ResultRow(id, scenario, result.throughput(), result.latency(), result.window().clientCores(),
        result.window().serverCores(), result.errors(), "", notes);
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
