package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ResultRowTest {

  private static ResultRow.Sample sample(long calls, long latencyNanos, long wallNanos, long clientCpu, long serverCpu) {
    Histogram latencies = new Histogram(3);
    latencies.recordValueWithCount(latencyNanos, calls);
    return new ResultRow.Sample(latencies, new MeasuredWindow.Cpu(wallNanos, clientCpu, serverCpu), 0, "");
  }

  @Test
  void oneSampleIsItsOwnRow() {
    ResultRow row = ResultRow.of("a", "(a)", sample(10_000, 1_000_000, 2_000_000_000L, 1_000_000_000L, 500_000_000L));

    assertThat(row.throughput()).isEqualTo(5_000);
    assertThat(row.clientCores()).isEqualTo(0.5);
    assertThat(row.serverCores()).isEqualTo(0.25);
    assertThat(row.latency().p50Micros()).isCloseTo(1_000, within(1.0));
  }

  @Test
  void pooledRoundsCountAllOperationsOverAllWallTimeAndMergeTheirLatencies() {
    // 10,000 calls of 1 ms in 1 s, then 30,000 calls of 3 ms in 3 s.
    ResultRow row = ResultRow.pooled("a", "(a)", List.of(
        sample(10_000, 1_000_000, 1_000_000_000L, 500_000_000L, 1_000_000_000L),
        sample(30_000, 3_000_000, 3_000_000_000L, 1_500_000_000L, 1_000_000_000L)));

    assertThat(row.throughput()).isEqualTo(10_000);
    assertThat(row.clientCores()).isEqualTo(0.5);
    assertThat(row.serverCores()).isEqualTo(0.5);
    assertThat(row.latency().count()).isEqualTo(40_000);
    assertThat(row.latency().p50Micros()).isCloseTo(3_000, within(3.0));
    assertThat(row.latency().p999Micros()).isCloseTo(3_000, within(3.0));
    assertThat(row.notes()).isEqualTo("2 alternating rounds: 10,000 / 10,000 /s");
  }

  @Test
  void anUnknownServerCpuInAnyRoundMakesThePooledServerCpuUnknown() {
    ResultRow row = ResultRow.pooled("a", "(a)", List.of(
        sample(1, 1_000, 1_000_000_000L, 1, 1), sample(1, 1_000, 1_000_000_000L, 1, -1)));

    assertThat(row.serverCores()).isNaN();
  }
}
