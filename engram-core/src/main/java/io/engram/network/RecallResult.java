package io.engram.network;

/**
 * The outcome of recalling one cue.
 *
 * @param state the final state (length N); owned by the caller
 * @param steps update steps executed, including the one that confirmed a fixed point; 0 when {@code
 *     maxIterations == 0}
 * @param converged true when a step left the state bit-for-bit unchanged (an exact fixed point),
 *     or, with an energy tolerance set, when the energy changed by less than it
 * @param energy {@code E = -1/2 sᵀWs + θ Σ s} of the final state, float32; NaN when energy
 *     reporting was switched off in {@link RecallOptions}
 */
public record RecallResult(float[] state, int steps, boolean converged, float energy) {}
