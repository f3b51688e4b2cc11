package io.engram.weights;

/**
 * A square, symmetric-by-construction synaptic weight matrix {@code W} (N x N, float32) behind one
 * interface, so that recall and analysis do not care how it is stored.
 *
 * <p>Read operations ({@link #get}, {@link #multiply}, {@link #rowDot}, {@link #toDenseArray})
 * never modify the weights and may be called from many threads at once, as long as no thread
 * modifies the weights at the same time. The mutating operations ({@link #addHebbian}, {@link
 * #zeroDiagonal}) are the learning-rule SPI: they are not thread-safe and are meant to be called by
 * trainers after their input has been validated.
 */
public interface Weights {

  /** N, the number of neurons. */
  int size();

  /** How the weights are stored, e.g. {@code "dense"}. */
  String representation();

  /** Bytes of memory the weights occupy (approximate, excluding object headers). */
  long memoryBytes();

  /** {@code W[i][j]}. */
  float get(int i, int j);

  /**
   * {@code out = W s}. {@code s} and {@code out} must have length N and must not be the same array.
   * Float32 arithmetic; the summation order is implementation-defined.
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
    if (s == null || s.length != size()) {
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
   */
  Weights resized(int newSize, boolean preserve);

  /**
   * Adds a Hebbian update in place: {@code W[i][j] += u(i,j)} with {@code acc = Σ_k t_k[i] t_k[j]}
   * accumulated in float32 in pattern order, {@code u = acc / divisor} (when {@code divisor != 1}),
   * negated when {@code negate}.
   *
   * @param centred P x N row-major patterns, already centred; not modified
   * @param p number of patterns (P >= 1)
   * @param divisor P when normalising, else 1
   * @param negate true for the anti-Hebbian rule
   */
  void addHebbian(float[] centred, int p, float divisor, boolean negate);

  /**
   * {@link #addHebbian(float[], int, float, boolean)} of the patterns centred here: {@code t_k[i] =
   * x_k[i] - shift} in float32. The default makes the centred copy; a representation may fuse the
   * subtraction into its own pass (dense weights do, while packing for the kernel). The result is
   * the same, bit for bit.
   *
   * @param patterns P x N row-major patterns, not centred; not modified
   * @param shift subtracted from every value (the mean rho, or 0)
   */
  default void addHebbian(float[] patterns, float shift, int p, float divisor, boolean negate) {
    float[] t = shift != 0f && patterns != null ? Checks.centred(patterns, shift) : patterns;
    addHebbian(t, p, divisor, negate);
  }

  /** Sets {@code W[i][i] = 0} for all i, in place. */
  void zeroDiagonal();
}
