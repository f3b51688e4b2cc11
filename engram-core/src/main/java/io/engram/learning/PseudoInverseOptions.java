package io.engram.learning;

/**
 * Options of the pseudo-inverse (projection) rule ({@link PseudoInverseRule}).
 *
 * @param zeroDiagonal set the diagonal of W to 0 (Kanter &amp; Sompolinsky 1987); default true
 * @param ridge λ >= 0: {@code (X Xᵀ + λI)⁻¹} in place of {@code (X Xᵀ)⁺}, for noisy, nearly
 *     dependent patterns; in the units of the Gram matrix (a ±1 pattern of N values has {@code x·x
 *     = N}); default 0. A model keeps one ridge for all its calls.
 * @param tolerance the relative tolerance {@code rcond} for linear dependence: a new direction
 *     counts when its singular value exceeds {@code rcond} times the norm of the largest new
 *     pattern (an eigenvalue of the Gram matrix above {@code rcond²·max_k ‖x_k‖²}); NaN (the
 *     default) means {@code max(P, N)·2⁻²³}, numpy's {@code matrix_rank} default for float32 data,
 *     at most {@value #MAX_DEFAULT_TOLERANCE} (reached at {@code max(P, N) = 2¹⁹}: numpy's formula
 *     reaches 1 at 2²³ values, where it drops every direction, however independent); otherwise a
 *     number in [0, 1)
 */
public record PseudoInverseOptions(boolean zeroDiagonal, double ridge, double tolerance) {

  /** Zero diagonal, no ridge, the default tolerance. */
  public static final PseudoInverseOptions DEFAULTS = new PseudoInverseOptions(true, 0, Double.NaN);

  /**
   * Checks the values; a ridge or tolerance of -0.0 becomes 0.0.
   *
   * @throws IllegalArgumentException for a negative or non-finite ridge, or a tolerance that is
   *     neither NaN nor in [0, 1)
   */
  public PseudoInverseOptions {
    // -0.0 is 0 (it was kept, and a model's history and options read "ridge=-0.0")
    ridge += 0.0;
    tolerance += 0.0;
    if (!(ridge >= 0) || !Double.isFinite(ridge)) {
      throw new IllegalArgumentException("ridge is " + ridge + ", expected a finite number >= 0");
    }
    if (!Double.isNaN(tolerance) && !(tolerance >= 0 && tolerance < 1)) {
      throw new IllegalArgumentException(
          "tolerance is " + tolerance + ", expected a number in [0, 1) (or NaN for the default)");
    }
  }

  /** These options with {@code zeroDiagonal} replaced. */
  public PseudoInverseOptions withZeroDiagonal(boolean v) {
    return new PseudoInverseOptions(v, ridge, tolerance);
  }

  /** These options with {@code ridge} replaced. */
  public PseudoInverseOptions withRidge(double v) {
    return new PseudoInverseOptions(zeroDiagonal, v, tolerance);
  }

  /** These options with {@code tolerance} replaced (NaN: the default). */
  public PseudoInverseOptions withTolerance(double v) {
    return new PseudoInverseOptions(zeroDiagonal, ridge, v);
  }

  /**
   * The tolerance for a call of P patterns of length N: {@link #tolerance} or the default.
   *
   * @throws IllegalArgumentException if P or N is negative (the default was then negative)
   */
  public double toleranceFor(int p, int n) {
    if (p < 0 || n < 0) {
      throw new IllegalArgumentException(
          "the number of patterns and their length must be >= 0, got P = " + p + ", N = " + n);
    }
    return Double.isNaN(tolerance)
        ? Math.min(Math.max(p, n) * 0x1p-23, MAX_DEFAULT_TOLERANCE)
        : tolerance;
  }

  /**
   * The largest default tolerance, 1/16: a direction then counts when its singular value exceeds a
   * sixteenth of the largest new pattern's norm.
   */
  public static final double MAX_DEFAULT_TOLERANCE = 0x1p-4;
}
