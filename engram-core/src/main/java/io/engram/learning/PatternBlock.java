package io.engram.learning;

import io.engram.kernels.Kernels;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A validated set of P patterns of length N, stored as one row-major float32 block.
 *
 * <p>Every factory checks, before anything else happens, that all patterns have the same length and
 * that every value is finite; the messages name the offending pattern and index. An empty set (P =
 * 0) is allowed (training on it is a no-op); a non-empty set of zero-length patterns is not. Values
 * are converted to float32 as CANNs does ({@code jnp.asarray(p, dtype=float32)}). A null argument
 * is a {@link NullPointerException} naming the parameter, as everywhere in this package; a null row
 * inside it is bad data, an {@link IllegalArgumentException} naming the row.
 *
 * <p>Immutable: factories copy their input. Thread-safe.
 *
 * <p>{@link #toString} shows the shape ({@code PatternBlock[3 x 100]}: P x N), not the values.
 * {@code equals} and {@code hashCode} are identity (those of {@link Object}): a block may hold up
 * to 2^31 values, which a value comparison or hash would scan in full at every call (a hash map
 * lookup, an assertion); compare contents with {@link #count}, {@link #length} and {@link #toArray}
 * ({@code Arrays.equals}).
 */
public final class PatternBlock {

  private static final PatternBlock EMPTY =
      new PatternBlock(new float[0], 0, 0, new PatternStats());

  private final float[] data;
  private final int count;
  private final int length;
  private final PatternStats stats;

  private PatternBlock(float[] data, int count, int length, PatternStats stats) {
    this.data = data;
    this.count = count;
    this.length = length;
    this.stats = stats;
  }

  /**
   * The index of the first non-finite value of {@code d[off..off+n)} (one is known to be there).
   */
  private static int firstNonFinite(float[] d, int off, int n) {
    for (int i = off; i < off + n; i++) {
      if (!Float.isFinite(d[i])) {
        return i - off;
      }
    }
    throw new IllegalStateException("no non-finite value");
  }

  /** The empty set. */
  public static PatternBlock empty() {
    return EMPTY;
  }

  /** Patterns from rows (copied). */
  public static PatternBlock of(float[]... patterns) {
    Objects.requireNonNull(patterns, "patterns");
    return of(Arrays.asList(patterns)); // not List.of: a null row gets our message, not an NPE
  }

  /** Patterns from a list of rows (copied). */
  public static PatternBlock of(List<float[]> patterns) {
    Objects.requireNonNull(patterns, "patterns");
    float[][] rows = patterns.toArray(new float[0][]);
    return build(
        rows.length,
        k -> rows[k] == null ? -1 : rows[k].length,
        (k, d, off) -> System.arraycopy(rows[k], 0, d, off, rows[k].length),
        (k, i) -> rows[k][i]);
  }

  /**
   * Patterns from double rows, converted to float32 (rounded to nearest; a value too small for
   * float32 becomes 0).
   *
   * @throws IllegalArgumentException if a row is null or ragged, or a value is not finite or beyond
   *     the float32 range
   */
  public static PatternBlock of(double[][] patterns) {
    Objects.requireNonNull(patterns, "patterns");
    double[][] rows = patterns.clone();
    return build(
        rows.length,
        k -> rows[k] == null ? -1 : rows[k].length,
        (k, d, off) -> {
          double[] x = rows[k];
          for (int i = 0; i < x.length; i++) {
            d[off + i] = (float) x[i];
          }
        },
        (k, i) -> rows[k][i]);
  }

  /**
   * Patterns from a row-major P x N block (copied).
   *
   * @throws IllegalArgumentException if {@code data.length != p * n} or a value is not finite
   */
  public static PatternBlock ofRows(float[] data, int p, int n) {
    Objects.requireNonNull(data, "data");
    return ofRows(FloatBuffer.wrap(data), p, n);
  }

  /**
   * Patterns from a row-major P x N block held in a buffer: its values at the absolute indices 0 to
   * {@code limit - 1} (copied; the buffer's position is not used or changed), e.g. the floats of a
   * {@code .npy} file without a float array of their own first.
   *
   * @throws IllegalArgumentException if {@code data.limit() != p * n} or a value is not finite
   */
  public static PatternBlock ofRows(FloatBuffer data, int p, int n) {
    Objects.requireNonNull(data, "data");
    if (p < 0 || n < 0 || (long) p * n != data.limit()) {
      throw new IllegalArgumentException(
          "pattern block has " + data.limit() + " values, expected " + p + " x " + n);
    }
    return build(
        p, k -> n, (k, d, off) -> data.get(k * n, d, off, n), (k, i) -> data.get(k * n + i));
  }

  /** The length of row k, or -1 for a null row. */
  @FunctionalInterface
  private interface RowLength {
    int of(int k);
  }

  /** Copies row k (of the right length) into {@code d} at offset {@code off}, as float32. */
  @FunctionalInterface
  private interface RowCopy {
    void copy(int k, float[] d, int off);
  }

  /** Value i of pattern k as the caller gave it (for the message naming a non-finite one). */
  @FunctionalInterface
  private interface Original {
    double value(int k, int i);
  }

  /**
   * The one path of every factory: N from row 0, then the rows copied and scanned, rows spread over
   * the kernel threads (the per-row sums added in row order, so the result does not depend on the
   * threads). Errors name the first bad row in row order: null, ragged (against row 0), or holding
   * a non-finite value.
   */
  private static PatternBlock build(int count, RowLength length, RowCopy copy, Original original) {
    if (count == 0) {
      return EMPTY;
    }
    int n = length.of(0);
    if (n < 0) {
      throw unsound(0, n, n);
    }
    checkNotEmpty(n);
    checkTotal((long) count * n, count, n);
    int sound = count; // rows before the first null or ragged one
    for (int k = 0; k < count; k++) {
      if (length.of(k) != n) {
        sound = k;
        break;
      }
    }
    float[] d = new float[count * n];
    PatternStats[] rows = new PatternStats[sound];
    Kernels.forEach(
        sound,
        2L * n,
        k -> {
          copy.copy(k, d, k * n);
          PatternStats row = new PatternStats();
          rows[k] = row.addRow(d, k * n, n) ? row : null;
        });
    PatternStats stats = new PatternStats();
    for (int k = 0; k < sound; k++) {
      if (rows[k] == null) {
        int i = firstNonFinite(d, k * n, n);
        throw nonFinite(k, i, original.value(k, i));
      }
      stats.combine(rows[k]); // in row order: the sum does not depend on the threads
    }
    if (sound < count) {
      throw unsound(sound, length.of(sound), n);
    }
    return new PatternBlock(d, count, n, stats);
  }

  /**
   * Runs the scan every block of patterns makes of its rows ({@link PatternStats}: sum, extremes,
   * finiteness) a few hundred times on a short row (well under a millisecond), so that a fresh
   * process has it compiled before it scans many patterns: called before anything else asks for
   * compilation, the JIT takes it first, where behind the kernels' warm-up it ran interpreted for
   * much of a 400 x 4096 block (some 45 ms of a 0.6 s dense `engram train`). For command lines;
   * harmless anywhere.
   */
  public static void prepareScan() {
    float[] row = new float[128];
    java.util.Arrays.fill(row, 1f);
    int scanned = 0;
    for (int k = 0; k < 300; k++) {
      scanned += new PatternStats().addRow(row, 0, row.length) ? 1 : 0;
    }
    if (scanned != 300) {
      throw new AssertionError("the scan of finite values failed " + (300 - scanned) + " times");
    }
  }

  /** The error for row k of length {@code len} (-1: null) where N = {@code n}. */
  private static IllegalArgumentException unsound(int k, int len, int n) {
    return len < 0 ? new IllegalArgumentException("pattern " + k + " is null") : ragged(k, len, n);
  }

  static IllegalArgumentException ragged(int k, int got, int expected) {
    return new IllegalArgumentException(
        "pattern " + k + " has length " + got + ", expected " + expected + " (as pattern 0)");
  }

  static IllegalArgumentException nonFinite(int k, int i, double v) {
    if (Double.isFinite(v)) {
      // a double beyond float32 (PatternBlock.of(double[][])): it was "a non-finite value 1.0E300"
      return new IllegalArgumentException(
          "pattern "
              + k
              + " has a value "
              + v
              + " at index "
              + i
              + ", beyond the float32 range (at most "
              + Float.MAX_VALUE
              + " in magnitude)");
    }
    return new IllegalArgumentException(
        "pattern " + k + " has a non-finite value " + v + " at index " + i);
  }

  private static void checkNotEmpty(int n) {
    if (n == 0) {
      throw new IllegalArgumentException(
          "patterns have length 0; a network needs at least one neuron");
    }
  }

  private static void checkTotal(long total, int p, int n) {
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          p + " patterns of length " + n + " exceed one array (" + total + " values)");
    }
  }

  /** P, the number of patterns. */
  public int count() {
    return count;
  }

  /** N, the length of each pattern (0 when empty). */
  public int length() {
    return length;
  }

  /** True when there are no patterns. */
  public boolean isEmpty() {
    return count == 0;
  }

  /** Value i of pattern k. */
  public float get(int k, int i) {
    if (k < 0 || k >= count || i < 0 || i >= length) {
      throw new IndexOutOfBoundsException("pattern " + k + " index " + i);
    }
    return data[k * length + i];
  }

  /** Pattern k, a copy. */
  public float[] row(int k) {
    if (k < 0 || k >= count) {
      throw new IndexOutOfBoundsException("pattern " + k + " of " + count);
    }
    float[] r = new float[length];
    System.arraycopy(data, k * length, r, 0, length);
    return r;
  }

  /**
   * All values, row-major, as a read-only view without a copy (value i of pattern k at index k N +
   * i): for handing a large block on (e.g. to {@code ModernHopfieldMemory.storeRows}) without an
   * array of its own.
   */
  public FloatBuffer rows() {
    return FloatBuffer.wrap(data).asReadOnlyBuffer();
  }

  /** All values, row-major, a copy. */
  public float[] toArray() {
    return data.clone();
  }

  /**
   * The statistics of the patterns (a copy): P, N, sum (float64, summed in row order, so the same
   * patterns always give the same sum), minimum and maximum.
   */
  public PatternStats stats() {
    return stats.copy();
  }

  /** The shape, P x N ({@code PatternBlock[3 x 100]}; {@code [0 x 0]} when empty), no values. */
  @Override
  public String toString() {
    return "PatternBlock[" + count + " x " + length + "]";
  }

  /** Row-major values without a copy, for this library's rules; must not be modified. */
  float[] data() {
    return data;
  }
}
