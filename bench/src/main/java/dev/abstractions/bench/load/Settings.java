package dev.abstractions.bench.load;

import java.time.Duration;

/**
 * How long and how hard each scenario runs.
 *
 * @param warmup time before the measured window
 * @param measure the measured window
 * @param concurrency calls in flight for the throughput scenarios (a, b, f)
 * @param channels channels (connections) the calls are spread over
 * @param hotWriters writers on the one hot entity (c)
 * @param fanOutWriters writers producing events in the fan-out scenario (e)
 * @param heapEntities entities stored for the heap-per-entity measurement (g)
 * @param quick whether this is the smoke version
 */
public record Settings(Duration warmup, Duration measure, int concurrency, int channels, int hotWriters,
    int fanOutWriters, int heapEntities, boolean quick) {

  /**
   * The full matrix: about 20 s per scenario. The warm-up is long because every server process
   * starts cold and the JIT compiler shares the 2 cores with the load.
   */
  public static Settings full() {
    return new Settings(Duration.ofSeconds(8), Duration.ofSeconds(10), 64, 4, 16, 16, 1_000_000, false);
  }

  /** The smoke version: about 5 s per scenario, cold-JIT numbers. */
  public static Settings quickly() {
    return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), 64, 4, 16, 16, 100_000, true);
  }
}
