package io.engram.analysis;

/**
 * The few special functions the capacity lab needs, in float64, JDK only: the error function and
 * its complement, the log-gamma function, the upper tail of a fair binomial, and the two-sided
 * quantile of Student's t for an integer number of degrees of freedom.
 *
 * <p>Accuracy: erf and erfc within a few units in the 15th significant digit (erf: a power series
 * with positive terms below 3, Lentz's continued fraction above; erfc: the series below 0.5, where
 * {@code 1 - erf} loses nothing, the continued fraction above); lnGamma within 1e-14 relative
 * (Stirling's series after shifting the argument to 15 or more). Stateless, thread-safe.
 */
final class SpecialFunctions {

  private SpecialFunctions() {}

  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
  private static final double HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  /** {@code erf(x) = 2/√π ∫₀ˣ e^(-t²) dt}; NaN for NaN, ±1 at ±infinity. */
  static double erf(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    double a = Math.abs(x);
    double r = a < 3 ? erfSeries(a) : 1 - erfcFraction(a);
    return Math.copySign(r, x);
  }

  /** {@code erfc(x) = 1 - erf(x)}, without cancellation for large x; NaN for NaN. */
  static double erfc(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x < 0) {
      return 2 - erfc(-x);
    }
    return x < 0.5 ? 1 - erfSeries(x) : erfcFraction(x);
  }

  /**
   * {@code erf(x) = 2/√π e^(-x²) Σ_k 2^k x^(2k+1) / (1·3·…·(2k+1))} for {@code 0 <= x < 3}: every
   * term is positive, so nothing cancels.
   */
  private static double erfSeries(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int k = 1; k < 500; k++) {
      term *= 2 * x2 / (2 * k + 1);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }

  /**
   * {@code erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))} for {@code x >= 0.5}
   * (at most about 700 terms there, 33 at x = 3), evaluated with the modified Lentz method.
   */
  private static double erfcFraction(double x) {
    if (x > 27) {
      return 0; // below the smallest double
    }
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int k = 1; k < 5000; k++) {
      double a = k / 2.0;
      d = x + a * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = x + a / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }

  /**
   * {@code ln Γ(x)} for {@code x > 0}: Stirling's series {@code (x - ½) ln x - x + ½ ln 2π + Σ B_2k
   * / (2k(2k-1) x^(2k-1))} after the recurrence {@code Γ(x) = Γ(x + 1) / x} has shifted x to 15 or
   * more.
   *
   * @throws IllegalArgumentException unless x is finite and positive
   */
  static double lnGamma(double x) {
    if (!(x > 0) || !Double.isFinite(x)) {
      throw new IllegalArgumentException("lnGamma needs a finite x > 0, got " + x);
    }
    double shift = 0;
    while (x < 15) {
      shift += Math.log(x);
      x += 1;
    }
    double inv = 1 / x;
    double inv2 = inv * inv;
    double series =
        inv
            * (1.0 / 12
                - inv2
                    * (1.0 / 360
                        - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 * (1.0 / 1188)))));
    return (x - 0.5) * Math.log(x) - x + HALF_LN_TWO_PI + series - shift;
  }

  /**
   * {@code P(K >= k)} for {@code K ~ Binomial(m, 1/2)}: the probability terms from k up, each from
   * the last by the ratio {@code (m - j) / (j + 1)}, the first from {@link #lnFairBinomialTerm},
   * summed until they no longer change the sum. 1 for {@code k <= 0}, 0 for {@code k > m}.
   *
   * @throws IllegalArgumentException if {@code m < 0}
   */
  static double fairBinomialUpperTail(long m, long k) {
    if (m < 0) {
      throw new IllegalArgumentException("binomial with m = " + m + " trials");
    }
    if (k <= 0) {
      return 1;
    }
    if (k > m) {
      return 0;
    }
    if (2 * k <= m) {
      // the tail holds the bulk: 1 minus the lower tail P(K <= k - 1) = P(K >= m - k + 1)
      return 1 - fairBinomialUpperTail(m, m - k + 1);
    }
    double term = Math.exp(lnFairBinomialTerm(m, k));
    double sum = 0;
    for (long j = k; j <= m && term > 0; j++) {
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
      term *= (double) (m - j) / (j + 1);
    }
    return Math.min(1, sum);
  }

  /**
   * {@code ln P(K = k)} for {@code K ~ Binomial(m, 1/2)}, {@code m/2 <= k <= m}, in the
   * saddle-point form of Loader (2000), {@code δ(m) - δ(k) - δ(m-k) - D(k) - D(m-k) + ½ ln(m / (2π
   * k (m-k)))} with Stirling's error {@code δ(x) = ln x! - (x + ½) ln x + x - ½ ln 2π} and the
   * deviance {@code D(x) = x ln(2x/m) + m/2 - x}: each part is small, so it keeps its precision for
   * any m a long holds, where {@code ln m! - ln k! - ln (m-k)! - m ln 2} is the difference of
   * numbers near {@code m ln m} (at m = 10^15 their spacing is 0.008: the sum of terms was off by
   * 3.6 times, and at 10^17 by 10^177).
   *
   * <p>Loader, C. (2000), "Fast and accurate computation of binomial probabilities".
   */
  static double lnFairBinomialTerm(long m, long k) {
    if (k == m) {
      return -m * Math.log(2);
    }
    double mid = m / 2.0;
    return stirlingError(m)
        - stirlingError(k)
        - stirlingError(m - k)
        - devianceFromMean(k, 2 * k - m, m)
        - devianceFromMean(m - k, m - 2 * k, m)
        + 0.5 * Math.log(mid / (Math.PI * k * (double) (m - k)));
  }

  /** {@code δ(x) = ln x! - (x + ½) ln x + x - ½ ln 2π} for {@code x >= 1}. */
  static double stirlingError(long x) {
    if (x < 16) {
      return lnGamma(x + 1.0) - (x + 0.5) * Math.log(x) + x - HALF_LN_TWO_PI;
    }
    double inv = 1.0 / x;
    double inv2 = inv * inv;
    return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680))));
  }

  /**
   * {@code x ln(x/μ) + μ - x} for {@code μ = m/2}, given {@code twiceDiff = 2x - m} exactly; near μ
   * by the series {@code (x - μ) v + 2x Σ_{j>=1} v^(2j+1) / (2j+1)}, {@code v = (x - μ) / (x + μ)},
   * where the direct form would cancel.
   */
  private static double devianceFromMean(long x, long twiceDiff, long m) {
    double diff = twiceDiff / 2.0;
    double mu = m / 2.0;
    if (Math.abs(diff) >= 0.1 * (x + mu)) {
      return x * Math.log(x / mu) + mu - x;
    }
    double v = diff / (x + mu);
    double v2 = v * v;
    double power = 2 * x * v;
    double sum = diff * v;
    for (int j = 1; j < 1000; j++) {
      power *= v2;
      double next = sum + power / (2 * j + 1);
      if (next == sum) {
        break;
      }
      sum = next;
    }
    return sum;
  }

  /**
   * {@code P(|T| <= t)} for Student's t with {@code nu} degrees of freedom, by the finite sums of
   * Abramowitz and Stegun 26.7.3 / 26.7.4 (θ = atan(t / √ν)).
   */
  static double studentTwoSidedCdf(double t, int nu) {
    if (nu < 1) {
      throw new IllegalArgumentException("Student's t needs nu >= 1, got " + nu);
    }
    double theta = Math.atan(Math.abs(t) / Math.sqrt(nu));
    double c2 = Math.cos(theta) * Math.cos(theta);
    double s = Math.sin(theta);
    if (nu % 2 == 1) {
      double sum = 0;
      if (nu > 1) {
        double term = Math.cos(theta);
        sum = term;
        for (int k = 3; k <= nu - 2; k += 2) {
          term *= c2 * (k - 1) / k;
          sum += term;
        }
      }
      return 2 / Math.PI * (theta + s * sum);
    }
    double term = 1;
    double sum = 1;
    for (int k = 2; k <= nu - 2; k += 2) {
      term *= c2 * (k - 1) / k;
      sum += term;
    }
    return s * sum;
  }

  /**
   * The t with {@code P(|T| <= t) = level} for Student's t with {@code nu} degrees of freedom (e.g.
   * 12.706 for level 0.95 and nu = 1, 1.960 in the limit), by bisection.
   *
   * @throws IllegalArgumentException unless {@code 0 < level < 1} and {@code nu >= 1}
   */
  static double studentQuantile(double level, int nu) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), got " + level);
    }
    double lo = 0;
    double hi = 1;
    while (studentTwoSidedCdf(hi, nu) < level) {
      hi *= 2;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
      double mid = 0.5 * (lo + hi);
      if (studentTwoSidedCdf(mid, nu) < level) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }
}
