package io.engram.learning;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.DenseWeights;
import io.engram.weights.WeightsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies a Hebbian update whose outer-product sum was accumulated elsewhere (on a cluster, in
 * several threads, from a stream), with exactly the semantics of {@link
 * AmariHopfieldNetwork#train(LearningRule, PatternBlock, boolean)} under a {@link HebbianRule}:
 *
 * <pre>
 *   S      = Σ_k t_k t_kᵀ,  t_k = x_k - rho         (supplied by the caller, N x N, float32)
 *   u      = ± S / P  (/P only if normalizeByPatterns; - for anti-Hebbian), float32
 *   resize W to N first when N differs (top-left block if preserveOnResize, state reset to ones)
 *   W     <- W + u;  then diag(W) = 0 if zeroDiagonal;  history += (rule, options, P, N, rho)
 * </pre>
 *
 * <p>When {@code S} holds the same float32 values the rule accumulates (the outer products summed
 * in pattern order), the weights are bit-identical to {@code network.train}; a sum accumulated in
 * another order differs only by float32 rounding (and not at all while every partial sum is exact,
 * e.g. for ±1 patterns with a zero or integer {@code rho}). The caller computes {@code rho} as the
 * rule does ({@link HebbianRule#rho}: the float32 mean of all P x N values) and should guard
 * overflow with {@link HebbianRule#checkMagnitude}.
 *
 * <p>Needs dense weights. Stateless; the network is mutated and must not be used concurrently.
 */
public final class HebbianSums {

  private HebbianSums() {}

  /**
   * Adds {@code ± S / P} to the network's weights as one training call of {@code rule}.
   *
   * @param network the network to train; its weights must be dense
   * @param rule the rule whose options (normalise, zero diagonal, subtract mean) and sign apply
   * @param sums {@code S}, N x N row-major; only its upper triangle is read; not modified
   * @param n N, the pattern length
   * @param p P, the number of patterns summed; 0 is a no-op
   * @param rho the mean that was subtracted (recorded; ignored when the rule does not subtract it)
   * @param preserveOnResize keep the top-left block of W when N differs from the network's
   * @return the record appended to the network's history, or null when {@code p == 0}
   * @throws IllegalArgumentException on a wrong size, a negative P, a non-finite sum or rho, or
   *     non-dense weights; the network is then unchanged
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
    boolean centred = rule.hebbianOptions().subtractMean();
    if (centred && !Float.isFinite(rho)) {
      throw new IllegalArgumentException("rho must be finite, got " + rho);
    }
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        float v = sums[i * n + j];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(
              "sum S[" + i + "][" + j + "] is " + v + ", expected finite");
        }
      }
    }
    if (!(network.weights() instanceof DenseWeights)) {
      // summed outer products have no low-rank form: the network continues with dense weights
      // (an exact conversion; N <= DenseWeights.MAX_SIZE was checked above for the new N)
      if (network.numNeurons() > DenseWeights.MAX_SIZE && n == network.numNeurons()) {
        throw new IllegalArgumentException(
            "HebbianSums needs dense weights, and N = "
                + network.numNeurons()
                + " is too large for them");
      }
      network.resize(n, preserveOnResize);
      network.setWeightsMode(WeightsMode.DENSE);
    } else {
      network.resize(n, preserveOnResize); // a no-op when N is unchanged
    }
    DenseWeights w = (DenseWeights) network.weights();
    HebbianOptions o = rule.hebbianOptions();
    w.addSums(sums, o.normalizeByPatterns() ? (float) p : 1f, rule.isAnti());
    if (o.zeroDiagonal()) {
      w.zeroDiagonal();
    }
    TrainingRecord rec =
        new TrainingRecord(rule.name(), rule.options(), p, n, centred ? rho : Float.NaN);
    List<TrainingRecord> history = new ArrayList<>(network.history());
    history.add(rec);
    network.setHistory(history);
    return rec;
  }
}
