package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatioTest {

  @Test
  void ratioIsValueOverBaseline() {
    assertThat(Ratio.of(80_000, 100_000)).isEqualTo(0.8);
    assertThat(Ratio.of(300, 100)).isEqualTo(3.0);
  }

  @Test
  void ratioWithoutAPositiveBaselineOrAValueIsNotANumber() {
    assertThat(Ratio.of(1, 0)).isNaN();
    assertThat(Ratio.of(1, -5)).isNaN();
    assertThat(Ratio.of(Double.NaN, 1)).isNaN();
    assertThat(Ratio.of(1, Double.NaN)).isNaN();
  }

  @Test
  void ratiosPrintWithPrecisionThatFitsTheirSize() {
    assertThat(Ratio.format(0.8312)).isEqualTo("0.83×");
    assertThat(Ratio.format(12.345)).isEqualTo("12.3×");
    assertThat(Ratio.format(123.6)).isEqualTo("124×");
    assertThat(Ratio.format(0.8312, "echo")).isEqualTo("0.83× echo");
  }

  @Test
  void missingRatiosPrintAsNotAvailableWithoutTheirBaselineName() {
    assertThat(Ratio.format(Double.NaN)).isEqualTo("n/a");
    assertThat(Ratio.format(Double.POSITIVE_INFINITY)).isEqualTo("n/a");
    assertThat(Ratio.format(Double.NaN, "echo")).isEqualTo("n/a");
  }

  @Test
  void ratesGroupThousandsAndSmallRatesKeepDecimals() {
    assertThat(Ratio.rate(123_456.7)).isEqualTo("123,457");
    assertThat(Ratio.rate(5_123_456)).isEqualTo("5,123,456");
    assertThat(Ratio.rate(42.25)).isEqualTo("42.3");
    assertThat(Ratio.rate(Double.NaN)).isEqualTo("n/a");
  }
}
