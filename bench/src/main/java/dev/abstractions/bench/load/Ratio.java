package dev.abstractions.bench.load;

import java.util.Locale;

/**
 * Ratios of a measurement to its baseline from the same run, and how the report prints them.
 * Stateless.
 */
public final class Ratio {

  private Ratio() {}

  /** {@code value / baseline}; NaN when either is missing (NaN) or the baseline is not positive. */
  public static double of(double value, double baseline) {
    if (Double.isNaN(value) || Double.isNaN(baseline) || baseline <= 0) {
      return Double.NaN;
    }
    return value / baseline;
  }

  /** "0.83×", or "n/a" for NaN; two decimals below 10, one below 100, none above. */
  public static String format(double ratio) {
    if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
      return "n/a";
    }
    return number(ratio) + "×";
  }

  /** "0.83× echo": the ratio and what it is relative to. */
  public static String format(double ratio, String baselineName) {
    String formatted = format(ratio);
    return formatted.equals("n/a") ? formatted : formatted + " " + baselineName;
  }

  /** A number with precision that fits its size: 0.831 → "0.83", 42.17 → "42.2", 1234.5 → "1235". */
  public static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    double magnitude = Math.abs(value);
    String pattern = magnitude < 10 ? "%.2f" : magnitude < 100 ? "%.1f" : "%.0f";
    return String.format(Locale.ROOT, pattern, value);
  }

  /** A rate, thousands grouped by commas: 123456.7 → "123,457"; small rates keep decimals. */
  public static String rate(double perSecond) {
    if (Double.isNaN(perSecond)) {
      return "n/a";
    }
    return perSecond >= 100
        ? String.format(Locale.ROOT, "%,.0f", perSecond)
        : number(perSecond);
  }
}
