package io.engram.analysis;

/**
 * What {@link CapacitySweep} measured at one load, each quantity averaged over the trials with its
 * 95% interval ({@link Estimate}). Every stored pattern of every trial counts once.
 *
 * <p>A recalled state is read through its signs (a value above 0 is +1, below 0 is -1, 0 is 0), so
 * that memories with continuous states are measured like the classical one; for ±1 states this
 * changes nothing.
 *
 * @param patterns P, the number of patterns stored
 * @param load P / N
 * @param oneStepError the share of bits that one retrieval step flips when it starts at a stored
 *     pattern (for the classical network: one synchronous step)
 * @param stableFraction the share of stored patterns that are exact fixed points (one step from the
 *     pattern gives the pattern back)
 * @param recalledFraction the share of cues (stored patterns with the sweep's share of bits
 *     flipped) that recall their pattern exactly
 * @param meanOverlap the mean overlap {@code m = s·ξ / N} of the recalled state with the pattern
 *     its cue came from
 * @param meanSteps the mean number of retrieval steps of those recalls (including the step that
 *     confirmed a fixed point)
 */
public record CapacityPoint(
    int patterns,
    double load,
    Estimate oneStepError,
    Estimate stableFraction,
    Estimate recalledFraction,
    Estimate meanOverlap,
    Estimate meanSteps) {

  /** The number of trials behind each estimate. */
  public int trials() {
    return oneStepError.trials();
  }
}
