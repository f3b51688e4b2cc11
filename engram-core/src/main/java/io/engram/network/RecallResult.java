package io.engram.network;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of recalling one cue.
 *
 * @param state the final state (length N); owned by the caller
 * @param steps update steps executed, including the one that confirmed a fixed point; 0 when {@code
 *     maxIterations == 0}
 * @param converged true when a step left the state bit-for-bit unchanged (an exact fixed point),
 *     or, with a tolerance set, when the energy or the state changed by less than it
 * @param energy the energy of the final state (for the classical network {@code E = -1/2 sᵀWs + θ Σ
 *     s}, computed in float64 and rounded to float32: ±Infinity where it is beyond float32, which
 *     {@link AmariHopfieldNetwork#energy(float[])} refuses for the same state; a modern memory's as
 *     its class says, in float64 for the polynomial separations, whose energies {@code -Σ_μ
 *     F(x^μ·ξ)} reach far beyond the float32 range); NaN when energy reporting was switched off in
 *     {@link RecallOptions}
 * @param matches the stored patterns that weighed most in the last step, best first (memories that
 *     keep their patterns, such as modern Hopfield memory; empty for the classical network)
 */
public record RecallResult(
    float[] state, int steps, boolean converged, double energy, List<Match> matches) {

  /** A result without matches (the classical network). */
  public RecallResult(float[] state, int steps, boolean converged, double energy) {
    this(state, steps, converged, energy, List.of());
  }

  /**
   * Validates, and copies the matches (unmodifiable). The state is kept as given (not copied).
   *
   * @throws NullPointerException naming {@code state} or {@code matches} if it is null
   * @throws IllegalArgumentException if one of the matches is null, or the steps are negative
   */
  public RecallResult {
    java.util.Objects.requireNonNull(state, "state");
    java.util.Objects.requireNonNull(matches, "matches");
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    int k = 0;
    for (Match m : matches) { // (an immutable list's contains(null) throws)
      if (m == null) {
        throw new IllegalArgumentException("match " + k + " is null");
      }
      k++;
    }
    matches = List.copyOf(matches);
  }

  /**
   * Equal to another result of the same state values (compared as {@link Arrays#equals(float[],
   * float[])} does: bit patterns, so NaN equals NaN and -0 differs from 0), steps, convergence,
   * energy (as {@link Double#compare}) and matches. (A record compares arrays by reference: two
   * recalls of the same cue were unequal.)
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof RecallResult r
        && steps == r.steps
        && converged == r.converged
        && Double.compare(energy, r.energy) == 0
        && Arrays.equals(state, r.state)
        && matches.equals(r.matches);
  }

  /** A hash of the same parts as {@link #equals}, the state's values included. */
  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(state), steps, converged, energy, matches);
  }

  /** The parts, with the state's first values and its length (not an array's identity hash). */
  @Override
  public String toString() {
    return "RecallResult[state="
        + shown(state)
        + ", steps="
        + steps
        + ", converged="
        + converged
        + ", energy="
        + energy
        + ", matches="
        + matches
        + "]";
  }

  /** Values shown by {@link #toString}, at most. */
  private static final int SHOWN = 16;

  private static String shown(float[] v) {
    if (v.length <= SHOWN) {
      return Arrays.toString(v);
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < SHOWN; i++) {
      b.append(v[i]).append(", ");
    }
    return b.append("... (").append(v.length).append(" values)]").toString();
  }

  /**
   * One stored pattern and its weight in a retrieval step.
   *
   * @param index the pattern's index in the memory
   * @param weight its weight, e.g. its softmax probability (in [0, 1])
   */
  public record Match(int index, float weight) {}
}
