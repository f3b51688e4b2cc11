package io.engram.analysis;

/**
 * What theory says about how many random patterns a Hopfield network holds, to draw beside the
 * measurements of {@link CapacitySweep}. Unless a method says otherwise the setting is the textbook
 * one: N neurons, P random ±1 patterns (each bit +1 or -1 with probability ½, independently), the
 * Hebbian weights {@code w_ij = Σ_μ ξ_i^μ ξ_j^μ} (any positive scale) with a zero diagonal, sign
 * dynamics without threshold, load {@code α = P / N}.
 *
 * <p>Mean subtraction (CANNs' and {@code engram train}'s default) does not change these numbers for
 * unbiased patterns: the mean of all values is of order {@code 1/√(PN)}, and the field it adds is
 * the same small shift for every neuron, whose effect on bits of either sign cancels to first order
 * ({@code CapacityTheoryTest} measures both settings against the same curve). For biased or
 * correlated patterns none of these formulas apply.
 *
 * <p>References:
 *
 * <ul>
 *   <li>Hertz, Krogh and Palmer (1991), Introduction to the Theory of Neural Computation,
 *       Addison-Wesley, section 2.2 (the one-step error {@code ½ erfc(√(N / 2P))} and its table).
 *   <li>Amit, Gutfreund and Sompolinsky (1985), Storing infinite numbers of patterns in a
 *       spin-glass model of neural networks, Phys. Rev. Lett. 55:1530; (1987) Statistical mechanics
 *       of neural networks near saturation, Ann. Phys. 173:30 (the replica-symmetric retrieval
 *       overlap and {@code α_c ≈ 0.138}).
 *   <li>McEliece, Posner, Rodemich and Venkatesh (1987), The capacity of the Hopfield associative
 *       memory, IEEE Trans. Inf. Theory 33:461 ({@code N / (2 ln N)} and {@code N / (4 ln N)}).
 *   <li>Storkey (1997), Increasing the capacity of a Hopfield network without sacrificing
 *       functionality, ICANN'97, LNCS 1327:451; Storkey and Valabregue (1999), The basins of
 *       attraction of a new Hopfield learning rule, Neural Networks 12:869 ({@code N / √(2 ln N)}).
 *   <li>Personnaz, Guyon and Dreyfus (1985), J. Physique Lett. 46:L359; Kanter and Sompolinsky
 *       (1987), Associative recall of memory without errors, Phys. Rev. A 35:380 (the projection
 *       rule: every linearly independent set, so at most N patterns).
 * </ul>
 *
 * <p>Stateless, thread-safe.
 */
public final class CapacityTheory {

  private CapacityTheory() {}

  /** Where {@code erf(y)/y - 2/√π e^(-y²)} peaks: the AGS retrieval solution at α_c. */
  private static final double Y_CRITICAL = criticalY();

  /**
   * The Amit-Gutfreund-Sompolinsky critical load at T = 0, {@code α_c = 0.13790556…}: above it the
   * replica-symmetric equations have no retrieval solution. Computed at class load from the same
   * equation {@link #agsOverlap} solves.
   */
  public static final double AGS_CRITICAL_LOAD = square(g(Y_CRITICAL)) / 2;

  /**
   * The share of bits one synchronous step flips when the network starts at a stored pattern, in
   * the large-N limit (Hertz, Krogh and Palmer 1991, section 2.2): {@code ½ erfc(√(N / 2P))}. It is
   * 0.001, 0.0036, 0.01, 0.05 and 0.1 at P/N = 0.105, 0.138, 0.185, 0.37 and 0.61.
   *
   * @param n N, at least 1
   * @param p P, at least 1
   * @throws IllegalArgumentException if n or p is below 1
   */
  public static double oneStepError(int n, int p) {
    checkCounts(n, p);
    return 0.5 * SpecialFunctions.erfc(Math.sqrt(n / (2.0 * p)));
  }

  /**
   * The load {@code P/N} at which {@link #oneStepError} equals {@code error} (the inverse of the
   * textbook table: 0.105 for 0.001, 0.138 for 0.0036, …), by bisection.
   *
   * @param error in (0, 0.5)
   * @throws IllegalArgumentException if error is outside (0, 0.5)
   */
  public static double loadForOneStepError(double error) {
    if (!(error > 0 && error < 0.5)) {
      throw new IllegalArgumentException("error must be in (0, 0.5), got " + error);
    }
    double lo = 1e-6;
    double hi = 1e9;
    for (int i = 0; i < 300; i++) {
      double mid = Math.sqrt(lo * hi);
      double e = 0.5 * SpecialFunctions.erfc(Math.sqrt(1 / (2 * mid)));
      if (e < error) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.sqrt(lo * hi);
  }

  /**
   * The exact one-step error at finite N (Hebbian weights with a zero diagonal, random unbiased
   * patterns, sign(0) = 0). For neuron i of stored pattern ν the field times {@code ξ_i^ν} is
   * {@code (N - 1) + S}, where S is the sum of the {@code M = (P - 1)(N - 1)} crosstalk terms
   * {@code ξ_i^ν ξ_i^μ ξ_j^μ ξ_j^ν} (μ ≠ ν, j ≠ i), independent and each ±1 with probability ½. The
   * bit is wrong when {@code (N - 1) + S <= 0} (a zero field gives 0, which is not the stored bit),
   * so the error is the binomial tail {@code P(K >= ⌈(M + N - 1) / 2⌉)} with {@code K ~ Binomial(M,
   * ½)}. The large-N limit of this is {@link #oneStepError}.
   *
   * <p>Weights scaled by 1/P or centred by the mean are no longer exact integers in float32, so a
   * field that is exactly 0 in exact arithmetic comes out as a tiny number of either sign; such a
   * network measures between this value and this value minus half the probability of a tie.
   *
   * <p>The tail is summed term by term, about {@code 2 √M} of them where the error is not tiny;
   * beyond {@value #MAX_EXACT_TERMS} terms (some {@code (P - 1)(N - 1) > 10^15} at loads near
   * capacity, about a second) this refuses, and {@link #oneStepError}, its large-N limit, is the
   * value to use (at N = 10^8, P = 1.38 x 10^7 they differ by 1.7 x 10^-7 of it).
   *
   * @throws IllegalArgumentException if n or p is below 1, or the sum would take more than {@value
   *     #MAX_EXACT_TERMS} terms
   */
  public static double oneStepErrorExact(int n, int p) {
    checkCounts(n, p);
    long m = (long) (p - 1) * (n - 1);
    long k = (m + n - 1 + 1) / 2; // ceil((m + n - 1) / 2)
    // the terms from k on are summed until they fall below 1e-17 of the sum, at most some 8
    // standard deviations (√M / 2 each) above the mean M / 2
    double terms = m / 2.0 + 4 * Math.sqrt(m) - k;
    if (terms > MAX_EXACT_TERMS) {
      throw new IllegalArgumentException(
          String.format(
              "the exact one-step error of N = %d, P = %d sums about %.3g binomial terms, more"
                  + " than %d; oneStepError(N, P), its large-N limit, is %.6g",
              n, p, terms, MAX_EXACT_TERMS, oneStepError(n, p)));
    }
    return SpecialFunctions.fairBinomialUpperTail(m, k);
  }

  /** The most binomial terms {@link #oneStepErrorExact} sums (about a second). */
  static final long MAX_EXACT_TERMS = 1L << 27;

  /**
   * The retrieval overlap {@code m(α)} of the Amit-Gutfreund-Sompolinsky replica-symmetric theory
   * at zero temperature: the overlap with the stored pattern of the state the network settles in
   * near it. The equations {@code m = erf(y)}, {@code y = m / √(2αr)}, {@code C = √(2 / παr)
   * e^(-y²)}, {@code r = 1 / (1 - C)²} reduce to {@code erf(y) = y (√(2α) + 2/√π e^(-y²))}; the
   * retrieval state is its largest root y, and {@code m = erf(y)}. m(0.10) = 0.998, m(α_c) = 0.967;
   * above {@link #AGS_CRITICAL_LOAD} there is no retrieval state and this returns 0 (the overlap of
   * the spin-glass states the network falls into instead; at finite N measured overlaps stay a
   * little above it).
   *
   * @param alpha the load P/N, at least 0 (0 gives 1)
   * @throws IllegalArgumentException if alpha is negative or not finite
   */
  public static double agsOverlap(double alpha) {
    if (!(alpha >= 0) || !Double.isFinite(alpha)) {
      throw new IllegalArgumentException("load must be a finite number >= 0, got " + alpha);
    }
    if (alpha == 0) {
      return 1;
    }
    if (alpha > AGS_CRITICAL_LOAD) {
      return 0;
    }
    double target = Math.sqrt(2 * alpha);
    // g falls from its peak at Y_CRITICAL towards 0 like 1/y: the root lies in [Y_CRITICAL, 1/t +
    // 1]
    double lo = Y_CRITICAL;
    double hi = 1 / target + 1;
    for (int i = 0; i < 200; i++) {
      double mid = 0.5 * (lo + hi);
      if (g(mid) > target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return SpecialFunctions.erf(0.5 * (lo + hi));
  }

  /**
   * McEliece et al.'s capacity when almost every stored pattern must be recalled (from cues within
   * a fixed fraction of errors, with probability tending to 1 for each pattern): {@code N / (2 ln
   * N)}.
   *
   * @param n N, at least 2
   * @throws IllegalArgumentException if n is below 2
   */
  public static double mcEliece(int n) {
    return n / (2 * logOf(n));
  }

  /**
   * McEliece et al.'s capacity when all stored patterns together must be exact fixed points with
   * probability tending to 1: {@code N / (4 ln N)}.
   *
   * @param n N, at least 2
   * @throws IllegalArgumentException if n is below 2
   */
  public static double mcElieceAll(int n) {
    return n / (4 * logOf(n));
  }

  /**
   * The capacity of the Storkey rule (Storkey 1997): {@code N / √(2 ln N)}, against Hebb's {@code N
   * / (2 ln N)} in the same sense.
   *
   * @param n N, at least 2
   * @throws IllegalArgumentException if n is below 2
   */
  public static double storkey(int n) {
    return n / Math.sqrt(2 * logOf(n));
  }

  /**
   * The limit of the pseudo-inverse (projection) rule: every linearly independent set of patterns
   * is stored exactly, so it holds up to N (random ±1 patterns are independent for P &lt; N with
   * high probability; with a zero diagonal the basins of attraction shrink to nothing as P
   * approaches N, Kanter and Sompolinsky 1987).
   *
   * @param n N, at least 1
   * @throws IllegalArgumentException if n is below 1
   */
  public static double pseudoInverse(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("N must be >= 1, got " + n);
    }
    return n;
  }

  private static double logOf(int n) {
    if (n < 2) {
      throw new IllegalArgumentException("N must be >= 2 for a capacity in ln N, got " + n);
    }
    return Math.log(n);
  }

  private static void checkCounts(int n, int p) {
    if (n < 1 || p < 1) {
      throw new IllegalArgumentException("N and P must be >= 1, got N = " + n + ", P = " + p);
    }
  }

  /** {@code erf(y)/y - 2/√π e^(-y²)}: the AGS equation reads {@code g(y) = √(2α)}. */
  private static double g(double y) {
    return SpecialFunctions.erf(y) / y - 2 / Math.sqrt(Math.PI) * Math.exp(-y * y);
  }

  private static double criticalY() {
    double lo = 0.5;
    double hi = 5;
    for (int i = 0; i < 300; i++) {
      double a = lo + (hi - lo) / 3;
      double b = hi - (hi - lo) / 3;
      if (g(a) < g(b)) {
        lo = a;
      } else {
        hi = b;
      }
    }
    return 0.5 * (lo + hi);
  }

  private static double square(double x) {
    return x * x;
  }
}
