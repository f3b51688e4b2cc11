package io.engram.network;

import java.util.List;

/**
 * The outcome of recalling one cue.
 *
 * @param state the final state (length N); owned by the caller
 * @param steps update steps executed, including the one that confirmed a fixed point; 0 when {@code
 *     maxIterations == 0}
 * @param converged true when a step left the state bit-for-bit unchanged (an exact fixed point),
 *     or, with a tolerance set, when the energy or the state changed by less than it
 * @param energy the energy of the final state (for the classical network {@code E = -1/2 sᵀWs + θ Σ
 *     s}, computed in float64 and rounded to float32; a modern memory's as its class says, in
 *     float64 for the polynomial separations, whose energies {@code -Σ_μ F(x^μ·ξ)} reach far beyond
 *     the float32 range); NaN when energy reporting was switched off in {@link RecallOptions}
 * @param matches the stored patterns that weighed most in the last step, best first (memories that
 *     keep their patterns, such as modern Hopfield memory; empty for the classical network)
 */
public record RecallResult(
    float[] state, int steps, boolean converged, double energy, List<Match> matches) {

  /** A result without matches (the classical network). */
  public RecallResult(float[] state, int steps, boolean converged, double energy) {
    this(state, steps, converged, energy, List.of());
  }

  /** Validates: matches not null (copied, unmodifiable). */
  public RecallResult {
    matches = List.copyOf(matches);
  }

  /**
   * One stored pattern and its weight in a retrieval step.
   *
   * @param index the pattern's index in the memory
   * @param weight its weight, e.g. its softmax probability (in [0, 1])
   */
  public record Match(int index, float weight) {}
}
