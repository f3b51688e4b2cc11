package io.engram.analysis;

/**
 * A mean over trials with its 95% confidence interval: {@code mean ± t_{0.975, T-1} · s / √T}
 * (Student's t, s the sample standard deviation of the T per-trial values), clipped to the range
 * the quantity can take (for example [0, 1] for a share).
 *
 * <p>With one trial there is no interval: {@code halfWidth}, {@code low} and {@code high} are NaN.
 * When every trial gave the same value the interval has width 0.
 *
 * @param mean the mean of the per-trial values
 * @param halfWidth {@code t_{0.975, T-1} · s / √T} before clipping (NaN for one trial)
 * @param low the lower end of the interval, at least the quantity's minimum (NaN for one trial)
 * @param high the upper end, at most the quantity's maximum (NaN for one trial)
 * @param trials T, the number of per-trial values
 */
public record Estimate(double mean, double halfWidth, double low, double high, int trials) {

  /**
   * The estimate from per-trial values.
   *
   * @param values one value per trial, at least one, all finite; not modified
   * @param min the smallest value the quantity can take (the interval is clipped to it)
   * @param max the largest value the quantity can take, at least {@code min} (either may be
   *     infinite)
   * @throws IllegalArgumentException if there are no values (or null), one is not finite, or min
   *     and max are NaN or the wrong way round
   */
  public static Estimate of(double[] values, double min, double max) {
    if (values == null) {
      throw new IllegalArgumentException("values is null");
    }
    if (!(min <= max)) {
      // (the interval was clipped to NaN, or to low > high)
      throw new IllegalArgumentException(
          "the range of the quantity must have min <= max, got [" + min + ", " + max + "]");
    }
    int t = values.length;
    if (t == 0) {
      throw new IllegalArgumentException("an estimate needs at least one value");
    }
    double sum = 0;
    for (int i = 0; i < t; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("value " + i + " is " + values[i]);
      }
      sum += values[i];
    }
    double mean = sum / t;
    if (t == 1) {
      return new Estimate(mean, Double.NaN, Double.NaN, Double.NaN, 1);
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double hw = SpecialFunctions.studentQuantile(0.95, t - 1) * Math.sqrt(ss / (t - 1) / t);
    return new Estimate(mean, hw, Math.max(min, mean - hw), Math.min(max, mean + hw), t);
  }

  /** Whether {@code x} lies in {@code [low, high]} (false for one trial). */
  public boolean contains(double x) {
    return x >= low && x <= high;
  }
}
