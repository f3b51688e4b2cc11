package io.engram.weights;

import java.util.Objects;

/**
 * A square, symmetric-by-construction synaptic weight matrix {@code W} (N x N, float32) behind one
 * interface, so that recall and analysis do not care how it is stored.
 *
 * <p>The family is closed ({@link Representation} names its members); each member has one codec for
 * model files. Read operations ({@link #get}, {@link #multiply}, {@link #rowDot}, {@link
 * #toDenseArray}) never modify the weights and may be called from many threads at once, as long as
 * no thread modifies the weights at the same time. The mutating operations ({@link #plusGram},
 * {@link #zeroDiagonal}) are the building blocks of learning rules: they are not thread-safe and
 * are meant to be called by rules after their input has been validated (see {@code
 * io.engram.network.WeightUpdate}).
 */
public sealed interface Weights permits DenseWeights, LowRankWeights, ProjectionWeights {

  /** N, the number of neurons. */
  int size();

  /** How the weights are stored. */
  Representation representation();

  /** Bytes of memory the weights occupy (approximate, excluding object headers). */
  long memoryBytes();

  /** {@code W[i][j]}. */
  float get(int i, int j);

  /**
   * {@code out = W s}. {@code s} and {@code out} must have length N and must not be the same array.
   * Float32 arithmetic; the summation order is implementation-defined (this library's weights give
   * the bits of {@link #multiplyColumns} for one column: a state's energy is the one its recall
   * reports).
   *
   * @throws IllegalArgumentException on wrong lengths or aliased arrays
   */
  void multiply(float[] s, float[] out);

  /** {@code W[i]·s} (row i times s). */
  float rowDot(int i, float[] s);

  /**
   * {@code out = W S} for L states at once, stored as columns: {@code s} and {@code out} are N x L
   * row-major ({@code s[i*L + c]} is neuron i of state c). Float32; the summation order is
   * implementation-defined. Not modified: {@code s}. The default applies {@link #multiply} to each
   * column.
   *
   * @throws IllegalArgumentException on wrong lengths or aliased arrays
   */
  default void multiplyColumns(float[] s, int l, float[] out) {
    int n = size();
    Checks.columns(n, s, l, out);
    float[] col = new float[n];
    float[] res = new float[n];
    for (int c = 0; c < l; c++) {
      for (int i = 0; i < n; i++) {
        col[i] = s[i * l + c];
      }
      multiply(col, res);
      for (int i = 0; i < n; i++) {
        out[i * l + c] = res[i];
      }
    }
  }

  /**
   * A helper for asynchronous updates of one state: {@link FieldTracker#field} gives {@code W[i]·s}
   * for the current content of {@code s}, which the caller changes one neuron at a time and reports
   * each change through {@link FieldTracker#changed}. The default computes each field as a row
   * product (O(N)); low-rank weights keep {@code T s} up to date instead (O(R)).
   *
   * @param s the state, read (not copied) by the tracker for as long as it is used
   */
  default FieldTracker fieldTracker(float[] s) {
    Objects.requireNonNull(s, "s");
    if (s.length != size()) {
      throw new IllegalArgumentException(
          "s has length " + (s == null ? "null" : s.length) + ", expected " + size());
    }
    return new FieldTracker() {
      @Override
      public float field(int i) {
        return rowDot(i, s);
      }

      @Override
      public void changed(int i, float before, float after) {}
    };
  }

  /** Incremental fields for asynchronous updates; see {@link #fieldTracker}. Not thread-safe. */
  interface FieldTracker {
    /** {@code W[i]·s} for the current state. */
    float field(int i);

    /** Reports that {@code s[i]} was changed from {@code before} to {@code after}. */
    void changed(int i, float before, float after);
  }

  /** The number of stored pattern rows R of a low-rank representation, or -1 for a dense one. */
  default int rank() {
    return -1;
  }

  /** The dense row-major N x N matrix, a fresh copy. */
  float[] toDenseArray();

  /** A deep copy. */
  Weights copy();

  /**
   * A new N' x N' matrix: the top-left {@code min(N, N')} block of this one when {@code preserve}
   * (else all zeros), with its diagonal set to zero. This matrix is left unchanged.
   *
   * @throws IllegalArgumentException if N' &lt; 1, or N' or a kept factor of rows x N' is more than
   *     a Java array holds
   */
  Weights resized(int newSize, boolean preserve);

  /**
   * Adds a symmetric rank-k update, {@code W + (±1/d) Σ_k t_k t_kᵀ} with {@code t_k = x_k - shift}
   * (float32, value by value): for every {@code i <= j}, {@code acc = Σ_k t_k[i] t_k[j]}
   * accumulated in float32 in pattern order, {@code u = acc / divisor} (when {@code divisor != 1}),
   * negated when {@code negate}, added to {@code W[i][j]} and {@code W[j][i]}. Dense weights add it
   * in place; low-rank weights store the centred rows as a new factor. The summed outer products of
   * Hebbian learning.
   *
   * @param x P x N row-major rows; not modified (low-rank weights keep a centred copy)
   * @param p P >= 1
   * @param shift subtracted from every value (e.g. the mean), finite
   * @param divisor > 0 (P when normalising, else 1)
   * @param negate subtract instead of add (anti-Hebbian)
   * @param listener progress of a long update (null: none)
   * @return these weights, updated
   * @throws IllegalArgumentException if {@code x} is not P x N; nothing changes then
   */
  Weights plusGram(
      float[] x, int p, float shift, float divisor, boolean negate, TrainingListener listener);

  /**
   * {@link #plusGram(float[], int, float, float, boolean, TrainingListener)} told the largest
   * {@code |x - shift|} by a caller that knows it already (from the statistics it gathered while
   * checking the patterns, {@code PatternStats.maxAbsDeviation}): dense weights then need no pass
   * over the patterns of their own for the bound they keep ({@link #maxAbsBound}), which in a fresh
   * process ran interpreted for longer than the update itself (N = 4096, P = 400: some 50 of a
   * dense train's 500 ms). The same weights either way.
   *
   * @param maxAbsCentred {@code max |x[i] - shift|}, each difference in float32 (as {@code
   *     PatternStats.maxAbsDeviation} gives it; never less than that: it bounds the entries the
   *     overflow guard relies on), or NaN when not known (then scanned where needed)
   */
  default Weights plusGram(
      float[] x,
      int p,
      float shift,
      float divisor,
      boolean negate,
      float maxAbsCentred,
      TrainingListener listener) {
    return plusGram(x, p, shift, divisor, negate, listener);
  }

  /**
   * An upper bound on {@code max |W_ij|} (exact for dense weights after a scan; for low-rank
   * weights the Cauchy-Schwarz bound {@code Σ_b max_i q_b[i]/d_b + max |g_i|}). Used to guard
   * float32 overflow before an update.
   */
  double maxAbsBound();

  /**
   * These weights as dense weights: this object when they are dense, else a new dense matrix with
   * the same entries (exactly the one dense training would have built).
   *
   * @throws IllegalArgumentException if N is too large for a dense matrix
   */
  DenseWeights asDense();

  /**
   * These weights in a low-rank form: this object when they are in one, else (dense weights) the
   * exact low-rank form, possible only when no off-diagonal entry is nonzero.
   *
   * @throws IllegalArgumentException if there is no exact low-rank form
   */
  Weights asLowRank();

  /** Whether these are the dense N x N matrix ({@link Representation#DENSE}). */
  default boolean isDense() {
    return representation() == Representation.DENSE;
  }

  /**
   * Whether this representation stays cheaper than dense weights after storing {@code moreRows}
   * more patterns (the cost model of {@link WeightsMode#AUTO}); always false for dense weights.
   */
  boolean lowRankCheaperWith(int moreRows);

  /** Sets {@code W[i][i] = 0} for all i, in place. */
  void zeroDiagonal();
}
