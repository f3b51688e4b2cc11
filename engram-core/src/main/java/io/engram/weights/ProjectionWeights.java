package io.engram.weights;

import io.engram.kernels.Kernels;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Pseudo-inverse (projection) weights in factored form, never forming the N x N matrix:
 *
 * <pre>
 *   W_full = Vᵀ V                  V: r x N, float32
 *   W      = W_full - diag(W_full)  when the diagonal is zeroed, else W_full
 * </pre>
 *
 * where the rows of V span the stored patterns: for the plain rule ({@code λ = 0}) they are
 * orthonormal and {@code W_full = Xᵀ (X Xᵀ)⁺ X} is the orthogonal projection onto the row space of
 * the patterns X; with a ridge, {@code W_full = Xᵀ (X Xᵀ + λI)⁻¹ X}. r is the effective rank
 * (independent stored directions). Applying W to L states costs about {@code 4·r·N·L} flops and
 * memory is {@code r·N} floats, instead of {@code 2·N²·L} and {@code N²}.
 *
 * <p>Patterns are added with {@link #residual} and {@link #plusRows} (the exact block update {@code
 * W_full' = W_full + Uᵀ(λI + B Uᵀ)⁺U}, {@code U = B - B W_full}; see {@code
 * io.engram.learning.PseudoInverseRule}). Other updates convert: {@link #plusGram} returns
 * Hebbian-style {@link LowRankWeights} (exactly the same matrix plus the update), {@link
 * #asDense()} dense weights that keep the projection state.
 *
 * <p>Thread-safety as in {@link Weights}: concurrent reads are safe, mutation is not.
 */
public final class ProjectionWeights implements Weights {

  /**
   * How far a row of V's squared length may stray from what the pseudo-inverse rule makes (1, or at
   * most 1 with a ridge): float32 rounding. The rule refuses a call whose rows stray further
   * (patterns too close to dependent for its float32 Gram matrix), and the model file's reader a V
   * whose rows do.
   */
  public static final double ROW_LENGTH_TOLERANCE = 1e-2;

  private final int n;
  private final double ridge;
  private float[] v; // r x n row-major
  private int r;
  private float[] full; // Σ_k v[k][i]², float32 in row order: the diagonal of W_full
  private boolean diagonalZeroed;
  private volatile float[] transposed; // n x r, for B Vᵀ, asynchronous updates, products

  private ProjectionWeights(
      int n, double ridge, float[] v, int r, float[] full, boolean diagonalZeroed) {
    this.n = n;
    this.ridge = ridge;
    this.v = v;
    this.r = r;
    this.full = full;
    this.diagonalZeroed = diagonalZeroed;
  }

  /**
   * No stored pattern yet (all-zero weights, rank 0) of N neurons, with the ridge λ that every
   * later call must use.
   *
   * @throws IllegalArgumentException if {@code N < 1} or the ridge is negative or not finite
   */
  public static ProjectionWeights empty(int n, double ridge) {
    Checks.size(n);
    Projection.checkRidge(ridge);
    return new ProjectionWeights(n, ridge, new float[0], 0, new float[n], true);
  }

  /**
   * The first row of an r x N factor that is not what the pseudo-inverse rule makes, described
   * ("row 1 of V has squared length 9.0, expected 1 (...)"), or null when every row is of squared
   * length 1 (at most 1 with a ridge) within {@link #ROW_LENGTH_TOLERANCE}. One pass over the rows;
   * orthogonality itself (r² N) is not checked.
   *
   * @param what the factor's name in the message
   */
  public static String rowLengthProblem(float[] v, int rank, int n, double ridge, String what) {
    for (int k = 0; k < rank; k++) {
      double sq = 0;
      for (int i = k * n, end = i + n; i < end; i++) {
        sq += (double) v[i] * v[i];
      }
      if (sq > 1 + ROW_LENGTH_TOLERANCE || (ridge == 0 && sq < 1 - ROW_LENGTH_TOLERANCE)) {
        return "row "
            + k
            + " of "
            + what
            + " has squared length "
            + (float) sq
            + ", expected "
            + (ridge == 0 ? "1" : "at most 1")
            + " (the pseudo-inverse factor's rows are orthonormal"
            + (ridge == 0 ? ")" : ", shorter with a ridge)");
      }
    }
    return null;
  }

  /**
   * Weights from their factor, as a model file stores them: {@code W_full = VᵀV} for the r x N
   * row-major {@code factor} (copied).
   *
   * @param diagonalZeroed whether W's diagonal is zero (else it is {@code W_full}'s)
   * @throws IllegalArgumentException on a wrong length, a non-finite value, r outside 0..N, a
   *     negative or non-finite ridge, or a row that is not what the pseudo-inverse rule makes: of
   *     squared length 1 (at most 1 with a ridge) within {@link #ROW_LENGTH_TOLERANCE}
   *     (orthogonality itself is not checked)
   */
  public static ProjectionWeights of(
      int n, float[] factor, int rank, double ridge, boolean diagonalZeroed) {
    ProjectionWeights w = empty(n, ridge);
    if (rank < 0 || rank > n) {
      throw new IllegalArgumentException("projection rank " + rank + " outside 0.." + n);
    }
    if (factor == null || factor.length != (long) rank * n) {
      throw new IllegalArgumentException(
          "factor has "
              + (factor == null ? "no" : String.valueOf(factor.length))
              + " values, expected "
              + rank
              + " x "
              + n);
    }
    for (int i = 0; i < factor.length; i++) {
      if (!Float.isFinite(factor[i])) {
        throw new IllegalArgumentException(
            "factor has a non-finite value " + factor[i] + " at " + i);
      }
    }
    // rows of another length were taken: weights that are no projection, and a model file that its
    // own reader refused ("row 0 of V.npy has squared length 9.0, expected 1")
    String problem = rowLengthProblem(factor, rank, n, ridge, "the factor");
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    w.append(factor.clone(), rank);
    w.diagonalZeroed = diagonalZeroed;
    return w;
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public Representation representation() {
    return Representation.PROJECTION;
  }

  /** The effective rank r: independent stored directions (rows of V). */
  @Override
  public int rank() {
    return r;
  }

  /** The ridge λ of every call (0 for the plain pseudo-inverse). */
  public double ridge() {
    return ridge;
  }

  /** Whether W's diagonal is zero (else it is the full projection's). */
  public boolean diagonalZeroed() {
    return diagonalZeroed;
  }

  /** V, r x N row-major (a copy). */
  public float[] factor() {
    return Arrays.copyOf(v, r * n);
  }

  /**
   * Copies rows {@code from .. from+count-1} of V, row-major, into {@code dst} from index 0,
   * without the copy of all of V that {@link #factor} makes (a file writer streams V a block at a
   * time).
   *
   * @throws IllegalArgumentException if the rows are not in {@code 0..r-1} or {@code dst} is
   *     shorter than {@code count * N}
   */
  public void copyFactorRows(int from, int count, float[] dst) {
    if (from < 0 || count < 0 || from > r - count || (long) count * n > dst.length) {
      throw new IllegalArgumentException(
          "rows " + from + " + " + count + " of rank " + r + " into " + dst.length + " values");
    }
    System.arraycopy(v, from * n, dst, 0, count * n);
  }

  /** The diagonal of the full projection {@code VᵀV} (a copy). */
  public float[] fullDiagonal() {
    return full.clone();
  }

  @Override
  public long memoryBytes() {
    return 4L * r * n + 8L * n;
  }

  @Override
  public float get(int i, int j) {
    if (i < 0 || i >= n || j < 0 || j >= n) {
      throw new IndexOutOfBoundsException("W[" + i + "][" + j + "] outside " + n + "x" + n);
    }
    if (i == j) {
      return diagonalZeroed ? 0f : full[i];
    }
    float acc = 0f;
    for (int k = 0; k < r; k++) {
      acc += v[k * n + i] * v[k * n + j];
    }
    return acc;
  }

  @Override
  public void multiply(float[] s, float[] out) {
    checkVector("s", s);
    checkVector("out", out);
    multiplyColumns(s, 1, out);
  }

  /**
   * {@code out = W S} for L column states (N x L row-major): {@code Y = V S} (r x L) and {@code Vᵀ
   * Y} as blocked matrix products, minus {@code diag(W_full)∘S} when the diagonal is zeroed. The
   * first call builds and keeps Vᵀ (r·N floats; for one column only when it is at most 4 MiB).
   */
  @Override
  public void multiplyColumns(float[] s, int l, float[] out) {
    Checks.columns(n, s, l, out);
    if (r == 0) {
      Arrays.fill(out, 0f);
      return;
    }
    float[] y = new float[r * l];
    if (l == 1 && LowRankBlock.columnsFirst(r, n, transposed != null)) {
      // V s from Vᵀ, whose columns are V's rows: the chains in the SIMD lanes, the same bits
      Kernels.gemm(r, 1, n, transposed(), 0, 1, r, s, 0, 1, y, 0, 1, false);
    } else {
      Kernels.gemm(r, l, n, v, 0, n, 1, s, 0, l, y, 0, l, false);
    }
    if (l == 1 && Kernels.oneColumnByLanes()) {
      // one column: V's rows are the columns of Vᵀ, which the kernel then reads in its SIMD lanes
      // (the bits of the transpose read row by row; no transpose built)
      Kernels.gemm(n, 1, r, v, 0, 1, n, y, 0, 1, out, 0, 1, false);
    } else {
      // Vᵀ row-major (the cached transpose) streams through the kernel about twice as fast as V
      // read with a column stride of N (measured at r = 1000, N = 16384, 64 columns)
      Kernels.gemm(n, l, r, transposed(), 0, r, 1, y, 0, l, out, 0, l, false);
    }
    if (diagonalZeroed && l == 1) {
      // one column: a flat loop, which the JIT vectorises (the same operations)
      for (int i = 0; i < n; i++) {
        out[i] -= full[i] * s[i];
      }
    } else if (diagonalZeroed) {
      for (int i = 0; i < n; i++) {
        float d = full[i];
        int o = i * l;
        for (int c = 0; c < l; c++) {
          out[o + c] -= d * s[o + c];
        }
      }
    }
  }

  @Override
  public float rowDot(int i, float[] s) {
    checkVector("s", s);
    if (i < 0 || i >= n) {
      throw new IndexOutOfBoundsException("row " + i + " outside 0.." + (n - 1));
    }
    double f = 0;
    for (int k = 0; k < r; k++) {
      f += (double) v[k * n + i] * Kernels.dot(v, k * n, s, 0, n);
    }
    if (diagonalZeroed) {
      f -= (double) full[i] * s[i];
    }
    return (float) f;
  }

  /** Fields in O(r) per neuron: keeps {@code y = V s} (float64) up to date as neurons change. */
  @Override
  public FieldTracker fieldTracker(float[] s) {
    checkVector("s", s);
    final int rank = r;
    final float[] vt = transposed();
    final double[] y = new double[rank];
    for (int k = 0; k < rank; k++) {
      double acc = 0;
      int o = k * n;
      for (int i = 0; i < n; i++) {
        acc += (double) v[o + i] * s[i];
      }
      y[k] = acc;
    }
    final float[] diag = diagonalZeroed ? full : null;
    return new FieldTracker() {
      @Override
      public float field(int i) {
        double f = 0;
        int o = i * rank;
        for (int k = 0; k < rank; k++) {
          f += vt[o + k] * y[k];
        }
        if (diag != null) {
          f -= (double) diag[i] * s[i];
        }
        return (float) f;
      }

      @Override
      public void changed(int i, float before, float after) {
        double d = (double) after - before;
        if (d == 0) {
          return;
        }
        int o = i * rank;
        for (int k = 0; k < rank; k++) {
          y[k] += vt[o + k] * d;
        }
      }
    };
  }

  /**
   * Vᵀ (N x r), built on first use (products with several states, asynchronous fields) and kept:
   * r·N more floats than {@link #memoryBytes()} counts. V only grows by a new array, which drops
   * it.
   */
  private float[] transposed() {
    float[] t = transposed;
    if (t == null) {
      synchronized (this) {
        t = transposed;
        if (t == null) {
          t = new float[r * n];
          Kernels.transpose(v, r, n, t);
          transposed = t;
        }
      }
    }
    return t;
  }

  private void checkVector(String name, float[] s) {
    Objects.requireNonNull(s, name);
    if (s.length != n) {
      throw new IllegalArgumentException(
          name + " has length " + (s == null ? "null" : s.length) + ", expected " + n);
    }
  }

  /** The dense matrix, formed with the training kernel ({@code VᵀV}, then the diagonal). */
  @Override
  public float[] toDenseArray() {
    return asDense().toDenseArray();
  }

  /**
   * The dense form: {@code VᵀV} by the symmetric rank-k update of dense training, keeping the
   * projection state (ridge, rank, full diagonal) so that the pseudo-inverse rule continues on it;
   * the same matrix within float32 rounding of the sums.
   *
   * @throws IllegalArgumentException if N > {@link DenseWeights#MAX_SIZE}
   */
  @Override
  public DenseWeights asDense() {
    DenseWeights d = DenseWeights.zeros(n);
    return d.plusProjectionRows(factor(), r, ridge, diagonalZeroed, null);
  }

  /** This object: the factored form is a low-rank form. */
  @Override
  public ProjectionWeights asLowRank() {
    return this;
  }

  @Override
  public boolean lowRankCheaperWith(int moreRows) {
    return WeightsMode.lowRankIsCheaper(n, (long) r + moreRows, 1);
  }

  @Override
  public ProjectionWeights copy() {
    ProjectionWeights c =
        new ProjectionWeights(n, ridge, Arrays.copyOf(v, r * n), r, full.clone(), diagonalZeroed);
    c.transposed = transposed;
    return c;
  }

  /**
   * Growing with {@code preserve} pads every row of V with zeros (the projection onto the padded
   * patterns, still continuable); without {@code preserve} all zeros (rank 0). Shrinking with
   * {@code preserve} keeps the top-left block, which is no longer a projection: the result is
   * {@link LowRankWeights} with V's first columns as a factor. The diagonal becomes zero.
   */
  @Override
  public Weights resized(int newSize, boolean preserve) {
    Checks.size(newSize);
    if (!preserve || r == 0) {
      return empty(newSize, ridge);
    }
    Checks.factor(r, newSize, "the projection's V");
    int m = Math.min(n, newSize);
    float[] t = new float[r * newSize];
    for (int k = 0; k < r; k++) {
      System.arraycopy(v, k * n, t, k * newSize, m);
    }
    if (newSize > n) {
      return of(newSize, t, r, ridge, true);
    }
    return LowRankWeights.of(
        newSize, List.of(new LowRankWeights.Factor(t, r, 1f, false, true)), new float[newSize]);
  }

  /**
   * A Hebbian update on these weights: they become {@link LowRankWeights} holding V as a factor
   * (exactly the same matrix), and the update is added there (see {@link LowRankWeights#plusGram}).
   * These weights are not changed; the returned ones are new.
   */
  @Override
  public Weights plusGram(
      float[] x, int p, float shift, float divisor, boolean negate, TrainingListener listener) {
    Checks.patterns(x, p, n);
    Checks.scaling(shift, divisor);
    LowRankWeights lr =
        r == 0
            ? LowRankWeights.zeros(n)
            : LowRankWeights.of(
                n,
                List.of(new LowRankWeights.Factor(factor(), r, 1f, false, diagonalZeroed)),
                new float[n]);
    return lr.plusGram(x, p, shift, divisor, negate, listener);
  }

  /** {@code max_i diag(W_full)_i}, a bound on every entry (Cauchy-Schwarz), with a margin. */
  @Override
  public double maxAbsBound() {
    return Projection.maxAbs(full) * (1 + (r + 2) * 0x1p-22);
  }

  @Override
  public void zeroDiagonal() {
    diagonalZeroed = true;
  }

  /**
   * Sets whether W's diagonal is zero ({@code true}) or the full projection's ({@code false}); the
   * full diagonal is always kept, so either can follow the other.
   */
  public void setDiagonalZeroed(boolean zeroed) {
    diagonalZeroed = zeroed;
  }

  /**
   * The part of new patterns B (rows) that these weights do not yet reproduce: {@code U = B - B
   * W_full = B - (B Vᵀ) V}, two matrix products ({@code 4·P·r·N} flops). Nothing changes.
   *
   * @param b P x N row-major, not modified
   * @return U, P x N row-major (a new array)
   * @throws IllegalArgumentException if B is not P x N
   */
  public float[] residual(float[] b, int p) {
    Checks.patterns(b, p, n);
    float[] u = b.clone();
    if (r == 0) {
      return u;
    }
    float[] y = new float[p * r];
    Kernels.gemm(p, r, n, b, 0, n, 1, transposed(), 0, r, y, 0, r, false);
    float[] z = new float[p * n];
    Kernels.gemm(p, n, r, y, 0, r, 1, v, 0, n, z, 0, n, false);
    for (int i = 0; i < u.length; i++) {
      u[i] -= z[i];
    }
    return u;
  }

  /**
   * Appends k orthogonalised rows to V in place ({@code W_full += VₖᵀVₖ}): with {@code Vₖ = M U},
   * {@code U} from {@link #residual} and {@code MᵀM = (λI + B Uᵀ)⁺}, the exact block update of the
   * projection onto the enlarged row space. The rank grows by k. O(k·N) plus a copy of V.
   *
   * @param rows k x N row-major, not modified; k may be 0
   * @return these weights
   * @throws IllegalArgumentException on a wrong length, a non-finite value, or a rank beyond N;
   *     nothing changes then
   */
  public ProjectionWeights plusRows(float[] rows, int k) {
    if (k < 0 || rows == null || rows.length != (long) k * n) {
      throw new IllegalArgumentException(
          "rows have length "
              + (rows == null ? "null" : rows.length)
              + ", expected "
              + k
              + "x"
              + n);
    }
    if ((long) r + k > n) {
      throw new IllegalArgumentException(
          "rank " + ((long) r + k) + " would exceed N = " + n + " independent directions");
    }
    for (int i = 0; i < rows.length; i++) {
      if (!Float.isFinite(rows[i])) {
        throw new IllegalArgumentException("row value " + rows[i] + " at " + i);
      }
    }
    append(rows, k);
    return this;
  }

  private void append(float[] rows, int k) {
    if (k == 0) {
      return;
    }
    float[] nv = Arrays.copyOf(v, (r + k) * n);
    System.arraycopy(rows, 0, nv, r * n, k * n);
    float[] nf = full.clone();
    for (int q = 0; q < k; q++) {
      int o = q * n;
      for (int i = 0; i < n; i++) {
        nf[i] += rows[o + i] * rows[o + i];
      }
    }
    v = nv;
    r += k;
    full = nf;
    transposed = null;
  }
}
