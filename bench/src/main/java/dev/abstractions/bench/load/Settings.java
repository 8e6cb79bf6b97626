package dev.abstractions.bench.load;

import java.time.Duration;

/**
 * How long and how hard each scenario runs.
 *
 * @param prewarm longest load run on each new server process before its first scenario, so that
 *     the JIT compiler has compiled the transport's hot paths (a cold process is many times
 *     slower); it stops earlier once {@code prewarmCalls} calls completed
 * @param prewarmCalls calls after which the pre-warm stops
 * @param warmup time before each measured window
 * @param measure the measured window
 * @param concurrency calls in flight for the throughput scenarios (a, b, f)
 * @param channels channels (connections) the calls are spread over
 * @param hotWriters writers on the one hot entity (c)
 * @param fanOutWriters writers producing events in the fan-out scenario (e)
 * @param heapEntities entities stored for the heap-per-entity measurement (g)
 * @param rounds alternating rounds of the targets' pairs (echo and (a); 100 streams and (e) 100)
 * @param quick whether this is the smoke version
 */
public record Settings(Duration prewarm, long prewarmCalls, Duration warmup, Duration measure, int concurrency, int channels, int hotWriters,
    int fanOutWriters, int heapEntities, int rounds, boolean quick) {

  /**
   * The full matrix: about 12 s per scenario, three alternating rounds for the targets' pairs. The
   * pre-warm is long because the JIT compiler shares the 2 cores with the load.
   */
  public static Settings full() {
    return new Settings(Duration.ofSeconds(90), 400_000, Duration.ofSeconds(4), Duration.ofSeconds(8), 64, 4, 16, 16,
        1_000_000, 3, false);
  }

  /** These settings with {@code calls} calls in flight instead. */
  public Settings withConcurrency(int calls) {
    return new Settings(prewarm, prewarmCalls, warmup, measure, calls, channels, hotWriters, fanOutWriters, heapEntities,
        rounds, quick);
  }

  /** The smoke version: about 4 s per scenario, barely warm: it checks the harness, not the server. */
  public static Settings quickly() {
    return new Settings(Duration.ofSeconds(4), 20_000, Duration.ofSeconds(2), Duration.ofSeconds(2), 64, 4, 16, 16, 100_000,
        1, true);
  }
}
