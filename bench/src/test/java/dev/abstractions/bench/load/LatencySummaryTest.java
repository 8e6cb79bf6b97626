package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  @Test
  void percentilesOfNanosecondLatenciesAreReportedInMicroseconds() {
    Histogram nanos = new Histogram(3);
    for (long micros = 1; micros <= 1000; micros++) {
      nanos.recordValue(micros * 1_000);
    }

    LatencySummary summary = LatencySummary.ofNanos(nanos);

    assertThat(summary.count()).isEqualTo(1000);
    // HdrHistogram keeps 3 significant digits: values are exact to within 0.1%.
    assertThat(summary.p50Micros()).isCloseTo(500, within(0.5));
    assertThat(summary.p99Micros()).isCloseTo(990, within(1.0));
    assertThat(summary.p999Micros()).isCloseTo(999, within(1.0));
    assertThat(summary.maxMicros()).isCloseTo(1000, within(1.0));
  }

  @Test
  void aSingleSlowCallShowsInTheTailButNotInTheMedian() {
    Histogram nanos = new Histogram(3);
    nanos.recordValueWithCount(100_000, 999); // 999 calls of 100 µs
    nanos.recordValue(50_000_000); // one of 50 ms

    LatencySummary summary = LatencySummary.ofNanos(nanos);

    assertThat(summary.p50Micros()).isCloseTo(100, within(0.1));
    assertThat(summary.p99Micros()).isCloseTo(100, within(0.1));
    assertThat(summary.p999Micros()).isCloseTo(100, within(0.1));
    assertThat(summary.maxMicros()).isCloseTo(50_000, within(50.0));
  }

  @Test
  void anEmptyHistogramHasNoPercentiles() {
    LatencySummary summary = LatencySummary.ofNanos(new Histogram(3));

    assertThat(summary).isEqualTo(LatencySummary.EMPTY);
    assertThat(summary.count()).isZero();
    assertThat(summary.p99Micros()).isNaN();
  }
}
