package io.engram.learning;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.TrainingRecord;
import io.engram.network.WeightUpdate;
import io.engram.weights.DenseWeights;
import io.engram.weights.TrainingListener;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.util.Objects;

/**
 * Applies a Hebbian update whose outer-product sum was accumulated elsewhere (on a cluster, in
 * several threads, from a stream), with exactly the semantics of a {@link HebbianRule} call:
 *
 * <pre>
 *   S      = Σ_k t_k t_kᵀ,  t_k = x_k - rho         (supplied by the caller, N x N, float32)
 *   u      = ± S / P  (/P only if normalizeByPatterns; - for anti-Hebbian), float32
 *   resize W to N first when N differs (top-left block if preserveOnResize, state reset to ones)
 *   W     &lt;- W + u;  then diag(W) = 0 if zeroDiagonal;  history += (rule, options, P, N, rho)
 * </pre>
 *
 * <p>When {@code S} holds the same float32 values the rule accumulates (the outer products summed
 * in pattern order), the weights are bit-identical to training with the rule; a sum accumulated in
 * another order differs only by float32 rounding (and not at all while every partial sum is exact,
 * e.g. for ±1 patterns with a zero or integer {@code rho}). The caller computes {@code rho} as the
 * rule does ({@link PatternStats#mean()} of all P x N values, combined over the parts) and should
 * guard overflow with {@link HebbianRule#checkMagnitude}.
 *
 * <p>The update is dense-only: low-rank weights are converted (exactly) first. Stateless.
 */
public final class HebbianSums {

  private HebbianSums() {}

  /**
   * Adds {@code ± S / P} to the network's weights as one training call of {@code rule}.
   *
   * @param network the network to train
   * @param rule the rule whose options (normalise, zero diagonal, subtract mean) and sign apply
   * @param sums {@code S}, N x N row-major; only its upper triangle is read; not modified
   * @param n N, the pattern length
   * @param p P, the number of patterns summed; 0 is a no-op
   * @param rho the mean that was subtracted (recorded; ignored when the rule does not subtract it)
   * @param preserveOnResize keep the top-left block of W when N differs from the network's
   * @return the record appended to the network's history, or null when {@code p == 0}
   * @throws IllegalArgumentException on a wrong size, a negative P, a non-finite sum or rho, a
   *     network in low-rank weights mode, or weights that would overflow; the network is then
   *     unchanged
   */
  public static TrainingRecord apply(
      AmariHopfieldNetwork network,
      HebbianRule rule,
      float[] sums,
      int n,
      int p,
      float rho,
      boolean preserveOnResize) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(rule, "rule");
    if (p < 0) {
      throw new IllegalArgumentException("pattern count must be >= 0, got " + p);
    }
    if (p == 0) {
      return null;
    }
    if (n < 1 || n > DenseWeights.MAX_SIZE) {
      throw new IllegalArgumentException(
          "pattern length must be in 1.." + DenseWeights.MAX_SIZE + ", got " + n);
    }
    if (sums == null || sums.length != n * n) {
      throw new IllegalArgumentException("sums are not an N x N matrix for N = " + n);
    }
    HebbianOptions o = rule.hebbianOptions();
    boolean centred = o.subtractMean();
    if (centred && !Float.isFinite(rho)) {
      throw new IllegalArgumentException("rho must be finite, got " + rho);
    }
    float divisor = o.normalizeByPatterns() ? (float) p : 1f;
    double max = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        float v = sums[i * n + j];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(
              "sum S[" + i + "][" + j + "] is " + v + ", expected finite");
        }
        max = Math.max(max, Math.abs(v));
      }
    }
    double bound = max / divisor;
    TrainingRecord rec =
        new TrainingRecord(
            rule.name(), rule.options(), p, n, centred ? rho : Float.NaN, !rule.isAnti());
    WeightUpdate update =
        new WeightUpdate() {
          @Override
          public int neurons() {
            return n;
          }

          @Override
          public boolean denseOnly() {
            return true;
          }

          @Override
          public double maxAbsAfter(Weights target) {
            return target.maxAbsBound() + bound;
          }

          @Override
          public Weights apply(Weights target, WeightsMode mode, TrainingListener listener) {
            DenseWeights w = target.asDense();
            w.addSums(sums, divisor, rule.isAnti());
            if (o.zeroDiagonal()) {
              w.zeroDiagonal();
            }
            return w;
          }

          @Override
          public TrainingRecord record() {
            return rec;
          }
        };
    return network.apply(update, preserveOnResize, null);
  }
}
