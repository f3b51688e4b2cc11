package io.engram.weights;

/** Argument checks (and the centring of patterns) shared by the weight representations. */
final class Checks {

  private Checks() {}

  /** The most values a Java array holds: {@code 2^31 - 9}. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

  /**
   * N for weights that keep N-vectors (and the network its state): 1 to {@link #MAX_ARRAY}, so that
   * an N no array can hold is named, not an OutOfMemoryError ("Requested array size exceeds VM
   * limit").
   */
  static void size(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a network needs at least one neuron, got N = " + n);
    }
    if (n > MAX_ARRAY) {
      throw new IllegalArgumentException(
          "N = " + n + " is more than a Java array holds (" + MAX_ARRAY + " values)");
    }
  }

  /**
   * {@code rows x n} values of a factor fit one array (resizing keeps each stored row at the new
   * N), checked in long: their int product wrapped to a negative array size or a short array.
   */
  static void factor(long rows, int n, String what) {
    if (rows * n > MAX_ARRAY) {
      throw new IllegalArgumentException(
          what
              + " of "
              + rows
              + " rows at N = "
              + n
              + " would be "
              + rows * n
              + " values, more than a Java array holds ("
              + MAX_ARRAY
              + ")");
    }
  }

  /** {@code s} and {@code out}: distinct N x L arrays, L >= 1. */
  static void columns(int n, float[] s, int l, float[] out) {
    if (l < 1 || s == null || out == null || s.length != (long) n * l || out.length != s.length) {
      throw new IllegalArgumentException(
          "states must be N x L = "
              + n
              + " x "
              + l
              + " arrays, got lengths "
              + (s == null ? "null" : s.length)
              + " and "
              + (out == null ? "null" : out.length));
    }
    if (s == out) {
      throw new IllegalArgumentException("s and out must be different arrays");
    }
  }

  /** {@code t}: P x N patterns, P >= 1 (the argument of {@link Weights#plusGram}). */
  static void patterns(float[] t, int p, int n) {
    if (p < 1 || t == null || t.length != (long) p * n) {
      throw new IllegalArgumentException(
          "patterns have length " + (t == null ? "null" : t.length) + ", expected " + p + "x" + n);
    }
  }

  /** A finite shift and a finite divisor > 0 (the arguments of {@link Weights#plusGram}). */
  static void scaling(float shift, float divisor) {
    if (!Float.isFinite(shift)) {
      throw new IllegalArgumentException("shift is " + shift + ", expected finite");
    }
    if (!(divisor > 0f) || !Float.isFinite(divisor)) {
      throw new IllegalArgumentException(
          "divisor is " + divisor + ", expected a finite number > 0");
    }
  }

  /**
   * The one definition of the scaling of summed outer products: {@code acc / divisor} (skipped when
   * {@code divisor == 1}), negated when {@code negate}. IEEE division is sign-symmetric, so the
   * kernels' division by {@code ±divisor} gives the same bits.
   */
  static float scaled(float acc, float divisor, boolean negate) {
    float u = divisor != 1f ? acc / divisor : acc;
    return negate ? -u : u;
  }

  /** {@link #scaled(float, float, boolean)} in float64 (the asynchronous field trackers). */
  static double scaled(double acc, float divisor, boolean negate) {
    double u = divisor != 1f ? acc / divisor : acc;
    return negate ? -u : u;
  }

  /**
   * An upper bound on every entry of {@code (1/d) Σ_k t_k t_kᵀ}, {@code t_k = x_k - shift}, for P
   * rows: {@code P max|t|² / d}, with a relative margin for the float32 rounding of the sums.
   */
  static double gramBound(float[] x, int p, float shift, float divisor) {
    return gramBound(Float.intBitsToFloat(maxAbsBits(x, x.length, shift)), p, divisor);
  }

  /** {@link #gramBound(float[], int, float, float)} from a known {@code max |t|}. */
  static double gramBound(float maxAbs, int p, float divisor) {
    double sq = (double) maxAbs * maxAbs;
    return sq * p / divisor * (1 + p * 0x1p-22);
  }

  /**
   * The largest bits of {@code |v[i] - shift|}, {@code i < len}, compared as integers: for floats
   * of one sign their order is the values' order, and infinities and NaN lie above every finite
   * value ({@code >= 0x7f800000}). Block by block, one call each: in a fresh process a method
   * called some hundred times is compiled within milliseconds, where one loop over millions of
   * values ran interpreted until its on-stack compilation, which queued behind the start-up
   * compilations (0.1-0.3 s of a dense recall's main thread for N = 4096). Also the scan of dense
   * weights ({@code DenseWeights}, shift 0).
   */
  static int maxAbsBits(float[] v, int len, float shift) {
    int max = 0;
    for (int from = 0; from < len; from += SCAN_BLOCK) {
      max = Math.max(max, maxAbsBits(v, from, Math.min(len, from + SCAN_BLOCK), shift));
    }
    return max;
  }

  /** Values per call of {@link #maxAbsBits(float[], int, int, float)}. */
  private static final int SCAN_BLOCK = 4096;

  private static int maxAbsBits(float[] v, int from, int to, float shift) {
    int max = 0;
    for (int i = from; i < to; i++) {
      max = Math.max(max, Float.floatToRawIntBits(v[i] - shift) & 0x7fffffff);
    }
    return max;
  }

  /** A new array {@code x - shift}, value by value in float32. */
  static float[] centred(float[] x, float shift) {
    float[] t = new float[x.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = x[i] - shift;
    }
    return t;
  }
}
