package io.engram.learning;

/**
 * Options of the Hebbian and anti-Hebbian rules, as CANNs' {@code HebbianTrainer(...,
 * subtract_mean, zero_diagonal, normalize_by_patterns, preserve_on_resize)}; all default to true.
 *
 * @param subtractMean centre the patterns by {@code rho}, the mean of all P x N values of the call
 * @param zeroDiagonal set the diagonal of W to 0 after the update
 * @param normalizeByPatterns divide the summed outer products by this call's P
 * @param preserveOnResize when the pattern or cue length differs from N, keep the top-left block of
 *     W (true) or start from zeros (false)
 */
public record HebbianOptions(
    boolean subtractMean,
    boolean zeroDiagonal,
    boolean normalizeByPatterns,
    boolean preserveOnResize) {

  /** All true, as in CANNs. */
  public static final HebbianOptions DEFAULTS = new HebbianOptions(true, true, true, true);

  public HebbianOptions withSubtractMean(boolean v) {
    return new HebbianOptions(v, zeroDiagonal, normalizeByPatterns, preserveOnResize);
  }

  public HebbianOptions withZeroDiagonal(boolean v) {
    return new HebbianOptions(subtractMean, v, normalizeByPatterns, preserveOnResize);
  }

  public HebbianOptions withNormalizeByPatterns(boolean v) {
    return new HebbianOptions(subtractMean, zeroDiagonal, v, preserveOnResize);
  }

  public HebbianOptions withPreserveOnResize(boolean v) {
    return new HebbianOptions(subtractMean, zeroDiagonal, normalizeByPatterns, v);
  }
}
