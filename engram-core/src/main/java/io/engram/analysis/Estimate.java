package io.engram.analysis;

import java.util.Objects;

/**
 * A mean over trials with its 95% confidence interval, within the range the quantity can take.
 *
 * <ul>
 *   <li>{@link #of}: Student's t, {@code mean ± t_{0.975, T-1} · s / √T} (s the sample standard
 *       deviation of the T per-trial values), clipped to the quantity's range.
 *   <li>{@link #ofShare}, for a share (each trial's value a count of successes out of the same
 *       number of cases): the Wilson score interval (Wilson 1927) with the effective sample size of
 *       the trials (Kish's design effect; Korn and Graubard 1998) and the same t quantile, which
 *       lies within [0, 1] without clipping, is asymmetric near 0 and 1, has a width above 0 where
 *       every trial gave 0 or 1, and is the t interval where the share is far from both.
 * </ul>
 *
 * <p>With one trial there is no interval: {@code halfWidth}, {@code low} and {@code high} are NaN.
 *
 * <p>Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical inference",
 * J. Am. Stat. Assoc. 22:209; Korn, E. L. and Graubard, B. I. (1998), "Confidence intervals for
 * proportions with small expected number of positive counts estimated from survey data", Survey
 * Methodology 24:193.
 *
 * @param mean the mean of the per-trial values
 * @param halfWidth {@link #of}: {@code t_{0.975, T-1} · s / √T} before clipping; {@link #ofShare}:
 *     half the interval's width, {@code (high - low) / 2} (NaN for one trial)
 * @param low the lower end of the interval, at least the quantity's minimum (NaN for one trial)
 * @param high the upper end, at most the quantity's maximum (NaN for one trial)
 * @param trials T, the number of per-trial values
 */
public record Estimate(double mean, double halfWidth, double low, double high, int trials) {

  /**
   * The estimate from per-trial values.
   *
   * @param values one value per trial, at least one, all finite and within {@code [min, max]}; not
   *     modified
   * @param min the smallest value the quantity can take (the interval is clipped to it)
   * @param max the largest value the quantity can take, at least {@code min} (either may be
   *     infinite)
   * @throws NullPointerException "values" if {@code values} is null
   * @throws IllegalArgumentException if there are no values, one is not finite or lies outside
   *     {@code [min, max]}, or min and max are NaN or the wrong way round
   */
  public static Estimate of(double[] values, double min, double max) {
    Objects.requireNonNull(values, "values");
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
      if (values[i] < min || values[i] > max) {
        // (was taken: a mean of 3 for a quantity in [0, 1], outside its own interval [0, 1])
        throw new IllegalArgumentException(
            "value "
                + i
                + " is "
                + values[i]
                + ", outside the quantity's range ["
                + min
                + ", "
                + max
                + "]");
      }
      sum += values[i];
    }
    double mean = sum / t;
    if (!Double.isFinite(mean)) {
      // finite values whose sum overflows (near ±Double.MAX_VALUE): the mean was infinite and the
      // interval NaN; summed in parts of 1/T each, it is finite
      mean = 0;
      for (double v : values) {
        mean += v / t;
      }
    }
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

  /**
   * The estimate of a share from its per-trial values, each a count of successes out of {@code
   * cases} (the stored patterns, cues or bits of a trial): the mean, and the Wilson score interval
   * {@code (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n)} with {@code z = t_{0.975, T-1}} and n
   * the effective number of cases: {@code p(1-p) T / s²} (the cases that would give the trials'
   * spread s if each were independent), at most all {@code T · cases} of them, and all of them
   * where the trials agree exactly ({@code s = 0}). Where n is large that is {@code p ± t s / √T},
   * the interval of {@link #of}; it always lies within [0, 1].
   *
   * @param values one share per trial, at least one, each in [0, 1]; not modified
   * @param cases the number of cases behind each trial's share, at least 1
   * @throws NullPointerException "values" if {@code values} is null
   * @throws IllegalArgumentException if there are no values, one is not in [0, 1], or cases is
   *     below 1
   */
  public static Estimate ofShare(double[] values, double cases) {
    java.util.Objects.requireNonNull(values, "values");
    if (!(cases >= 1)) {
      throw new IllegalArgumentException("a share needs at least one case per trial, got " + cases);
    }
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= 0 && values[i] <= 1)) {
        throw new IllegalArgumentException("share " + i + " is " + values[i] + ", not in [0, 1]");
      }
    }
    Estimate plain = of(values, 0, 1);
    int t = values.length;
    if (t == 1) {
      return plain;
    }
    double p = plain.mean();
    double all = cases * t;
    double ss = 0;
    for (double v : values) {
      ss += (v - p) * (v - p);
    }
    double var = ss / (t - 1);
    double n = var > 0 ? Math.min(all, p * (1 - p) * t / var) : all;
    double z = SpecialFunctions.studentQuantile(0.95, t - 1);
    double z2n = z * z / n;
    double centre = (p + z2n / 2) / (1 + z2n);
    double half = z / (1 + z2n) * Math.sqrt(p * (1 - p) / n + z2n / (4 * n));
    double low = Math.max(0, Math.min(p, centre - half));
    double high = Math.min(1, Math.max(p, centre + half));
    return new Estimate(p, (high - low) / 2, low, high, t);
  }

  /** Whether {@code x} lies in {@code [low, high]} (false for one trial). */
  public boolean contains(double x) {
    return x >= low && x <= high;
  }
}
