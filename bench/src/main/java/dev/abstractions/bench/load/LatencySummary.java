package dev.abstractions.bench.load;

import org.HdrHistogram.Histogram;

/**
 * The latency percentiles a result row shows, in microseconds, read from an HdrHistogram recorded
 * in nanoseconds. Immutable.
 *
 * @param count recorded values
 * @param p50Micros median
 * @param p99Micros 99th percentile
 * @param p999Micros 99.9th percentile
 * @param maxMicros largest recorded value
 */
public record LatencySummary(long count, double p50Micros, double p99Micros, double p999Micros, double maxMicros) {

  /** No values recorded: every percentile is NaN, shown as "n/a". */
  public static final LatencySummary EMPTY = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** The percentiles of {@code nanos}, a histogram of latencies in nanoseconds. */
  public static LatencySummary ofNanos(Histogram nanos) {
    if (nanos.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(
        nanos.getTotalCount(),
        micros(nanos.getValueAtPercentile(50.0)),
        micros(nanos.getValueAtPercentile(99.0)),
        micros(nanos.getValueAtPercentile(99.9)),
        micros(nanos.getMaxValue()));
  }

  private static double micros(long nanos) {
    return nanos / 1_000.0;
  }
}
