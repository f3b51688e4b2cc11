package io.engram.weights;

import io.engram.kernels.Kernels;

/**
 * Dense N x N float32 weights, stored row-major in one array (N must satisfy {@code N*N <=
 * Integer.MAX_VALUE - 8}, i.e. N <= 46340).
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

  private DenseWeights(int n, float[] w, boolean zero) {
    this.n = n;
    this.w = w;
    this.zero = zero;
  }

  /**
   * All-zero N x N weights.
   *
   * @throws IllegalArgumentException if N < 1 or N > {@link #MAX_SIZE}
   */
  public static DenseWeights zeros(int n) {
    checkSize(n);
    return new DenseWeights(n, new float[n * n], true);
  }

  /**
   * Weights from a row-major N x N array (copied).
   *
   * @throws IllegalArgumentException if the length is not N*N or a value is not finite
   */
  public static DenseWeights of(int n, float[] rowMajor) {
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
    for (int i = 0; i < rowMajor.length; i++) {
      if (!Float.isFinite(rowMajor[i])) {
        throw new IllegalArgumentException(
            "weight W[" + (i / n) + "][" + (i % n) + "] is " + rowMajor[i] + ", expected finite");
      }
    }
    return new DenseWeights(n, rowMajor.clone(), false);
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
  public String representation() {
    return "dense";
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
    return new DenseWeights(n, w.clone(), zero);
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
    return new DenseWeights(newSize, r, zero || !preserve);
  }

  @Override
  public void addHebbian(float[] centred, int p, float divisor, boolean negate) {
    addHebbian(centred, 0f, p, divisor, negate);
  }

  /** Centres while packing the patterns for the kernel: no centred copy is made. */
  @Override
  public void addHebbian(float[] patterns, float shift, int p, float divisor, boolean negate) {
    Checks.patterns(patterns, p, n);
    boolean wasZero = zero;
    zero = false;
    Kernels.syrkAdd(n, p, patterns, shift, w, divisor, negate, wasZero);
  }

  /**
   * Adds an already accumulated Hebbian sum in place: for {@code i <= j}, {@code u = S[i][j]}
   * divided by {@code divisor} (when {@code divisor != 1}), negated when {@code negate}, then
   * {@code W[i][j] += u} and, off the diagonal, {@code W[j][i] += u}. This is the tail of {@link
   * #addHebbian} with {@code acc} supplied by the caller (e.g. summed on a cluster), so with the
   * same {@code S} both give bit-identical weights. Only the upper triangle of {@code S} is read.
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
    for (int i = 0; i < n; i++) {
      int row = i * n;
      for (int j = i; j < n; j++) {
        float u = sums[row + j];
        if (divisor != 1f) {
          u = u / divisor;
        }
        if (negate) {
          u = -u;
        }
        w[row + j] += u;
        if (j != i) {
          w[j * n + i] += u;
        }
      }
    }
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
    }
  }

  /** The backing array, for kernels in this library; callers must not modify it. */
  float[] array() {
    return w;
  }
}
