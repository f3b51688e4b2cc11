package io.engram.weights;

/**
 * A square, symmetric-by-construction synaptic weight matrix {@code W} (N x N, float32) behind
 * one interface, so that recall and analysis do not care how it is stored.
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
   * {@code out = W s}. {@code s} and {@code out} must have length N and must not be the same
   * array. Float32 arithmetic; the summation order is implementation-defined.
   *
   * @throws IllegalArgumentException on wrong lengths or aliased arrays
   */
  void multiply(float[] s, float[] out);

  /** {@code W[i]·s} (row i times s). */
  float rowDot(int i, float[] s);

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
   * Adds a Hebbian update in place: {@code W[i][j] += u(i,j)} with {@code acc = Σ_k t_k[i]
   * t_k[j]} accumulated in float32 in pattern order, {@code u = acc / divisor} (when {@code
   * divisor != 1}), negated when {@code negate}.
   *
   * @param centred P x N row-major patterns, already centred; not modified
   * @param p number of patterns (P >= 1)
   * @param divisor P when normalising, else 1
   * @param negate true for the anti-Hebbian rule
   */
  void addHebbian(float[] centred, int p, float divisor, boolean negate);

  /** Sets {@code W[i][i] = 0} for all i, in place. */
  void zeroDiagonal();
}
