package dev.abstractions.bench.load;

/**
 * One performance target of the issue and whether this run met it. A target whose inputs are
 * missing (NaN: the scenario did not run or failed) is neither met nor missed but "not measured".
 *
 * @param name what is asked
 * @param measured what this run measured, for people
 * @param met whether it was met; null when not measured
 */
public record Target(String name, String measured, Boolean met) {

  /** {@code value >= threshold}. */
  public static Target atLeast(String name, double value, double threshold, String measured) {
    return new Target(name, measured, Double.isNaN(value) ? null : value >= threshold);
  }

  /** {@code value <= threshold}. */
  public static Target atMost(String name, double value, double threshold, String measured) {
    return new Target(name, measured, Double.isNaN(value) ? null : value <= threshold);
  }

  /** Both parts met; not measured if either is not measured. */
  public static Target both(String name, Target first, Target second) {
    Boolean met = first.met == null || second.met == null ? null : first.met && second.met;
    return new Target(name, first.measured + "; " + second.measured, met);
  }

  public String verdict() {
    return met == null ? "not measured" : met ? "met" : "MISSED";
  }
}
