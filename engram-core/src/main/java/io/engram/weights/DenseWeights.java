package io.engram.weights;

import io.engram.kernels.Kernels;

/**
 * Dense N x N float32 weights, stored row-major in one array (N must satisfy {@code N*N <=
 * Integer.MAX_VALUE - 8}, i.e. N &le; 46340).
 *
 * <p>Thread-safety as in {@link Weights}: concurrent reads are safe, mutation is not.
 */
public final class DenseWeights implements Weights {

  /** The largest N whose N x N matrix fits one Java array. */
  public static final int MAX_SIZE = 46340;

  private final int n;
  private final float[] w;

  /** Every entry is +0.0 (a new or cleared matrix); lets the first training write W unread. */
  private boolean zero;

  /** An upper bound on max |W_ij|, kept by every operation (the overflow guard reads it). */
  private double absBound;

  private DenseWeights(int n, float[] w, boolean zero, double absBound) {
    this.n = n;
    this.w = w;
    this.zero = zero;
    this.absBound = absBound;
  }

  /**
   * All-zero N x N weights.
   *
   * @throws IllegalArgumentException if N &lt; 1 or N &gt; {@link #MAX_SIZE}
   */
  public static DenseWeights zeros(int n) {
    checkSize(n);
    return new DenseWeights(n, new float[n * n], true, 0);
  }

  /**
   * Weights from a row-major N x N array (copied).
   *
   * @throws IllegalArgumentException if the length is not N*N or a value is not finite
   */
  public static DenseWeights of(int n, float[] rowMajor) {
    checkArray(n, rowMajor);
    return wrap(n, rowMajor.clone());
  }

  /**
   * Weights over a row-major N x N array that the caller hands over (not copied: the weights take
   * ownership, and the caller must not use the array afterwards). For readers that fill a matrix
   * too large to copy (8 GiB at N = 46340).
   *
   * @throws IllegalArgumentException if the length is not N*N or a value is not finite
   */
  public static DenseWeights wrap(int n, float[] rowMajor) {
    checkArray(n, rowMajor);
    return new DenseWeights(n, rowMajor, false, maxAbsFinite(rowMajor, n));
  }

  private static void checkArray(int n, float[] rowMajor) {
    checkSize(n);
    if (rowMajor == null || rowMajor.length != n * n) {
      throw new IllegalArgumentException(
          "weight array has length "
              + (rowMajor == null ? "null" : rowMajor.length)
              + ", expected "
              + n
              + "x"
              + n
              + " = "
              + ((long) n * n));
    }
  }

  /** {@code max |v|}, or an exception naming the first value that is not finite. */
  private static float maxAbsFinite(float[] w, int n) {
    // the bits of |w| compared as integers: for floats of one sign their order is the values'
    // order, infinities and NaNs above every finite value. (Math.max(float, float) has branches
    // for NaN and -0 that C2 compiled as traps: a model's first read was deoptimised into the
    // interpreter for the rest of its N x N values, some 0.2 s for N = 4096.)
    int max = 0;
    for (int i = 0; i < w.length; i++) {
      max = Math.max(max, Float.floatToRawIntBits(w[i]) & 0x7fffffff);
    }
    if (max >= 0x7f800000) {
      for (int i = 0; i < w.length; i++) {
        if (!Float.isFinite(w[i])) {
          throw new IllegalArgumentException(
              "weight W[" + (i / n) + "][" + (i % n) + "] is " + w[i] + ", expected finite");
        }
      }
    }
    return Float.intBitsToFloat(max);
  }

  /**
   * Copies rows {@code from .. from+count-1} into {@code dst} (row-major, from index 0), for
   * writers that stream the matrix a block at a time.
   *
   * @throws IndexOutOfBoundsException if the rows are outside the matrix or {@code dst} is short
   */
  public void copyRows(int from, int count, float[] dst) {
    if (from < 0 || count < 0 || from + count > n || dst.length < (long) count * n) {
      throw new IndexOutOfBoundsException(
          "rows " + from + ".." + (from + count - 1) + " of " + n + " into " + dst.length);
    }
    System.arraycopy(w, from * n, dst, 0, count * n);
  }

  static void checkSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a network needs at least one neuron, got N = " + n);
    }
    if (n > MAX_SIZE) {
      throw new IllegalArgumentException(
          "dense weights hold at most N = " + MAX_SIZE + " neurons, got N = " + n);
    }
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public Representation representation() {
    return Representation.DENSE;
  }

  @Override
  public long memoryBytes() {
    return 4L * n * n;
  }

  @Override
  public float get(int i, int j) {
    if (i < 0 || i >= n || j < 0 || j >= n) {
      throw new IndexOutOfBoundsException("W[" + i + "][" + j + "] outside " + n + "x" + n);
    }
    return w[i * n + j];
  }

  @Override
  public void multiply(float[] s, float[] out) {
    checkVector("s", s);
    checkVector("out", out);
    if (s == out) {
      throw new IllegalArgumentException("s and out must be different arrays");
    }
    Kernels.gemv(n, n, w, s, out);
  }

  @Override
  public void multiplyColumns(float[] s, int l, float[] out) {
    Checks.columns(n, s, l, out);
    Kernels.gemm(n, l, n, w, 0, n, 1, s, 0, l, out, 0, l, false);
  }

  @Override
  public float rowDot(int i, float[] s) {
    checkVector("s", s);
    return dot(i * n, s);
  }

  private float dot(int off, float[] s) {
    return Kernels.dot(w, off, s, 0, n);
  }

  private void checkVector(String name, float[] v) {
    if (v == null || v.length != n) {
      throw new IllegalArgumentException(
          name + " has length " + (v == null ? "null" : v.length) + ", expected " + n);
    }
  }

  @Override
  public float[] toDenseArray() {
    return w.clone();
  }

  @Override
  public DenseWeights copy() {
    return new DenseWeights(n, w.clone(), zero, absBound);
  }

  /** This object: dense weights are their own dense form. */
  @Override
  public DenseWeights asDense() {
    return this;
  }

  /** The exact low-rank form (possible only for a diagonal matrix). */
  @Override
  public LowRankWeights asLowRank() {
    return LowRankWeights.from(this);
  }

  @Override
  public boolean lowRankCheaperWith(int moreRows) {
    return false;
  }

  /** The kept bound; rescanned to the exact maximum once it gets large (it only ever grows). */
  @Override
  public double maxAbsBound() {
    if (absBound > 1e30) {
      float max = 0f;
      for (float v : w) {
        max = Math.max(max, Math.abs(v));
      }
      absBound = max;
    }
    return absBound;
  }

  @Override
  public DenseWeights resized(int newSize, boolean preserve) {
    checkSize(newSize);
    float[] r = new float[newSize * newSize];
    if (preserve) {
      int m = Math.min(n, newSize);
      for (int i = 0; i < m; i++) {
        System.arraycopy(w, i * n, r, i * newSize, m);
      }
    }
    for (int i = 0; i < newSize; i++) {
      r[i * newSize + i] = 0f;
    }
    return new DenseWeights(newSize, r, zero || !preserve, preserve ? absBound : 0);
  }

  /** Centres while packing the rows for the kernel: no centred copy is made. */
  @Override
  public DenseWeights plusGram(
      float[] x, int p, float shift, float divisor, boolean negate, TrainingListener listener) {
    Checks.patterns(x, p, n);
    Checks.scaling(shift, divisor);
    boolean wasZero = zero;
    zero = false;
    absBound += Checks.gramBound(x, p, shift, divisor);
    Kernels.syrkAdd(
        n,
        p,
        x,
        shift,
        w,
        divisor,
        negate,
        wasZero,
        listener == null ? null : listener::onProgress);
    return this;
  }

  /**
   * Adds an already accumulated Hebbian sum in place: for {@code i <= j}, {@code u = S[i][j]}
   * divided by {@code divisor} (when {@code divisor != 1}), negated when {@code negate}, then
   * {@code W[i][j] += u} and, off the diagonal, {@code W[j][i] += u}. This is the tail of {@link
   * #plusGram} with {@code acc} supplied by the caller (e.g. summed on a cluster), so with the same
   * {@code S} both give bit-identical weights. Only the upper triangle of {@code S} is read.
   *
   * @param sums N x N row-major {@code S = Σ_k t_k t_kᵀ} (float32); not modified
   * @param divisor P when normalising, else 1
   * @param negate true for the anti-Hebbian rule
   * @throws IllegalArgumentException if {@code sums} is not N x N
   */
  public void addSums(float[] sums, float divisor, boolean negate) {
    if (sums == null || sums.length != w.length) {
      throw new IllegalArgumentException("sums are not an N x N matrix for N = " + n);
    }
    zero = false;
    double max = 0;
    for (int i = 0; i < n; i++) {
      int row = i * n;
      for (int j = i; j < n; j++) {
        float u = Checks.scaled(sums[row + j], divisor, negate);
        max = Math.max(max, Math.abs(u));
        w[row + j] += u;
        if (j != i) {
          w[j * n + i] += u;
        }
      }
    }
    absBound += max;
  }

  @Override
  public void zeroDiagonal() {
    for (int i = 0; i < n; i++) {
      w[i * n + i] = 0f;
    }
  }

  /** Sets {@code W[i][i] = d[i]} (package-private: low-rank to dense conversion). */
  void setDiagonal(float[] d) {
    zero = false;
    for (int i = 0; i < n; i++) {
      w[i * n + i] = d[i];
      absBound = Math.max(absBound, Math.abs(d[i]));
    }
  }

  /** The backing array, for kernels in this library; callers must not modify it. */
  float[] array() {
    return w;
  }
}
