package io.engram.learning;

import io.engram.network.TrainingRecord;
import io.engram.network.WeightUpdate;
import io.engram.weights.ProjectionTarget;
import io.engram.weights.TrainingListener;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Hebbian ({@code +}) and anti-Hebbian ({@code -}) outer-product rule of CANNs' {@code
 * HebbianTrainer} / {@code AntiHebbianTrainer}:
 *
 * <pre>
 *   rho    = mean of all P x N values of this call        (if subtractMean, else 0)
 *   t_k    = x_k - rho
 *   update = ± (1/P if normalizeByPatterns) Σ_k t_k t_kᵀ
 *   W     &lt;- W + update;  then diag(W) = 0 if zeroDiagonal
 * </pre>
 *
 * <p>All arithmetic is float32 as in the reference: {@code rho} is the correctly rounded float32
 * mean, the outer products are summed in float32 in pattern order, then divided by P. Each call has
 * its own {@code rho} and P, so {@code train(A); train(B)} differs from {@code train(A ∪ B)}.
 *
 * <p>The update has a low-rank form ({@link io.engram.weights.LowRankWeights} keeps the centred
 * patterns of each call); under {@link WeightsMode#AUTO} it stays low-rank while that is cheaper,
 * then continues on dense weights. Anti-Hebbian calls unlearn: they do not count as stored
 * patterns.
 *
 * <p>Neither rule continues pseudo-inverse weights ({@link PseudoInverseRule}): those are the
 * projection onto the stored patterns, and an outer-product update (unlearning included) would turn
 * them into weights that are neither that projection nor Hebbian, which later pseudo-inverse calls
 * could not continue. Such a call is rejected and the network is left as it was; unlearn there by
 * training a new pseudo-inverse model without the unwanted patterns.
 *
 * <p>Hebb, D. O. (1949), The Organization of Behavior; Hopfield, J. J. (1982), PNAS 79:2554.
 * Immutable and thread-safe.
 */
public final class HebbianRule implements LearningRule {

  private final boolean anti;
  private final HebbianOptions options;

  private HebbianRule(boolean anti, HebbianOptions options) {
    this.anti = anti;
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The Hebbian rule ({@code +}). */
  public static HebbianRule hebbian(HebbianOptions options) {
    return new HebbianRule(false, options);
  }

  /** The anti-Hebbian rule ({@code -}). */
  public static HebbianRule antiHebbian(HebbianOptions options) {
    return new HebbianRule(true, options);
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

  /** The float32 mean of all values ({@link PatternStats#mean()}), or 0 when not subtracting. */
  public float rho(PatternStats stats) {
    Objects.requireNonNull(stats, "stats");
    return options.subtractMean() ? stats.mean() : 0f;
  }

  /**
   * The per-call overflow guard, for callers that gather the pattern statistics themselves (e.g. on
   * a cluster): rejects {@code max² · P > Float.MAX_VALUE / 4}.
   *
   * @param maxAbsCentred {@code max |x - rho|} over all values, computed in float32
   * @param p the number of patterns of the call, at least 0
   * @throws IllegalArgumentException if the summed outer products could overflow float32, or p is
   *     negative
   */
  public static void checkMagnitude(float maxAbsCentred, long p) {
    if (p < 0) {
      // (a negative bound passed every magnitude)
      throw new IllegalArgumentException("the number of patterns must be >= 0, got " + p);
    }
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

  /**
   * The largest {@code |u_ij|} of one call's update, {@code max|x - rho|² · P / d}, from the
   * pattern statistics (with a margin for the float32 rounding of the sums).
   */
  double updateBound(float maxAbsCentred, long p) {
    double d = options.normalizeByPatterns() ? p : 1;
    return (double) maxAbsCentred * maxAbsCentred * p / d * (1 + p * 0x1p-22);
  }

  @Override
  public WeightUpdate prepare(PatternBlock patterns) {
    Objects.requireNonNull(patterns, "patterns");
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("no patterns to train on");
    }
    PatternStats stats = patterns.stats();
    float rho = rho(stats);
    float max = stats.maxAbsDeviation(rho);
    checkMagnitude(max, patterns.count());
    int p = patterns.count();
    TrainingRecord record =
        new TrainingRecord(
            name(),
            options(),
            p,
            patterns.length(),
            options.subtractMean() ? rho : Float.NaN,
            !anti);
    float[] data = patterns.data();
    float divisor = options.normalizeByPatterns() ? (float) p : 1f;
    double bound = updateBound(max, p);
    return new WeightUpdate() {
      @Override
      public int neurons() {
        return patterns.length();
      }

      @Override
      public boolean denseOnly() {
        return false;
      }

      /** Pseudo-inverse weights are not continued (see the class comment). */
      @Override
      public void check(Weights target, WeightsMode mode) {
        if (ProjectionTarget.holdsProjection(target)) {
          throw new IllegalArgumentException(
              name()
                  + " does not continue a pseudo-inverse model: its weights are the projection onto"
                  + " the stored patterns, which an outer-product "
                  + (anti ? "unlearning step" : "update")
                  + " would break; train a new pseudo-inverse model without the unwanted patterns,"
                  + " or a new Hebbian one");
        }
      }

      @Override
      public double maxAbsAfter(Weights target) {
        return target.maxAbsBound() + bound;
      }

      @Override
      public Weights apply(Weights target, WeightsMode mode, TrainingListener listener) {
        Weights w = target;
        if (mode == WeightsMode.AUTO && !w.isDense() && !w.lowRankCheaperWith(p)) {
          w = w.asDense(); // exact: the calls so far replayed through the dense kernel
        }
        // centred by the weights (t = x - rho, float32), fused into the dense kernel's packing;
        // the largest |x - rho| is known from the statistics (no second pass over the patterns)
        w = w.plusGram(data, p, rho, divisor, anti, max, listener);
        if (options.zeroDiagonal()) {
          w.zeroDiagonal();
        }
        return w;
      }

      @Override
      public TrainingRecord record() {
        return record;
      }
    };
  }

  @Override
  public String toString() {
    return name() + options();
  }
}
