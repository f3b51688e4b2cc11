package io.engram.learning;

import io.engram.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Hebbian ({@code +}) and anti-Hebbian ({@code -}) outer-product rule of CANNs' {@code
 * HebbianTrainer} / {@code AntiHebbianTrainer}:
 *
 * <pre>
 *   rho    = mean of all P x N values of this call        (if subtractMean, else 0)
 *   t_k    = x_k - rho
 *   update = ± (1/P if normalizeByPatterns) Σ_k t_k t_kᵀ
 *   W     <- W + update;  then diag(W) = 0 if zeroDiagonal
 * </pre>
 *
 * <p>All arithmetic is float32 as in the reference: {@code rho} is the correctly rounded float32
 * mean, the outer products are summed in float32 in pattern order, then divided by P. Each call has
 * its own {@code rho} and P, so {@code train(A); train(B)} differs from {@code train(A ∪ B)}.
 *
 * <p>Hebb, D. O. (1949), The Organization of Behavior; Hopfield, J. J. (1982), PNAS 79:2554.
 * Immutable and thread-safe.
 */
public final class HebbianRule implements LearningRule {

  private final boolean anti;
  private final HebbianOptions options;

  private HebbianRule(boolean anti, HebbianOptions options) {
    this.anti = anti;
    this.options = options;
  }

  /** The Hebbian rule ({@code +}). */
  public static HebbianRule hebbian(HebbianOptions options) {
    return new HebbianRule(false, java.util.Objects.requireNonNull(options, "options"));
  }

  /** The anti-Hebbian rule ({@code -}). */
  public static HebbianRule antiHebbian(HebbianOptions options) {
    return new HebbianRule(true, java.util.Objects.requireNonNull(options, "options"));
  }

  public boolean isAnti() {
    return anti;
  }

  public HebbianOptions hebbianOptions() {
    return options;
  }

  @Override
  public String name() {
    return anti ? "anti-hebbian" : "hebbian";
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("subtract_mean", Boolean.toString(options.subtractMean()));
    m.put("zero_diagonal", Boolean.toString(options.zeroDiagonal()));
    m.put("normalize_by_patterns", Boolean.toString(options.normalizeByPatterns()));
    m.put("preserve_on_resize", Boolean.toString(options.preserveOnResize()));
    return m;
  }

  @Override
  public boolean zeroDiagonal() {
    return options.zeroDiagonal();
  }

  /** The float32 mean of all values, or 0 when not subtracting. */
  public float rho(PatternBlock patterns) {
    if (!options.subtractMean() || patterns.isEmpty()) {
      return 0f;
    }
    // the float32 of the float64 mean: exact for the integer-valued patterns of practice; the
    // double rounding of a quotient of two floats through double is harmless (53 >= 2*24 + 2)
    return (float) (patterns.sum() / ((double) patterns.count() * patterns.length()));
  }

  @Override
  public void check(PatternBlock patterns) {
    if (patterns.isEmpty()) {
      return;
    }
    float rho = rho(patterns);
    // max |x - rho| over all x: float subtraction is monotonic, so the extremes give it exactly
    float max = Math.max(Math.abs(patterns.max() - rho), Math.abs(patterns.min() - rho));
    checkMagnitude(max, patterns.count());
  }

  /**
   * The overflow guard of {@link #check}, for callers that gather the pattern statistics themselves
   * (e.g. on a cluster): rejects {@code max² · P > Float.MAX_VALUE / 4}.
   *
   * @param maxAbsCentred {@code max |x - rho|} over all values, computed in float32
   * @param p the number of patterns of the call
   * @throws IllegalArgumentException if the summed outer products could overflow float32
   */
  public static void checkMagnitude(float maxAbsCentred, long p) {
    double bound = (double) maxAbsCentred * maxAbsCentred * p;
    if (!Float.isFinite(maxAbsCentred) || bound > Float.MAX_VALUE / 4) {
      throw new IllegalArgumentException(
          "pattern values up to "
              + maxAbsCentred
              + " in magnitude would overflow float32 weights (sum of "
              + p
              + " outer products)");
    }
  }

  @Override
  public TrainingRecord apply(Weights weights, PatternBlock patterns) {
    int p = patterns.count();
    int n = patterns.length();
    float rho = rho(patterns);
    // centred by the weights (t = x - rho, float32), fused into the dense kernel's packing
    weights.addHebbian(
        patterns.data(), rho, p, options.normalizeByPatterns() ? (float) p : 1f, anti);
    if (options.zeroDiagonal()) {
      weights.zeroDiagonal();
    }
    return new TrainingRecord(name(), options(), p, n, options.subtractMean() ? rho : Float.NaN);
  }

  @Override
  public String toString() {
    return name() + options();
  }
}
