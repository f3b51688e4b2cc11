package io.engram.weights;

import io.engram.kernels.Kernels;
import io.engram.kernels.TransposedCopy;
import java.util.Arrays;
import java.util.Objects;

/**
 * Dense N x N float32 weights, stored row-major in one array (N must satisfy {@code N*N <=
 * Integer.MAX_VALUE - 8}, i.e. N &le; 46340), or read as they are needed from where they are kept
 * (a model file, {@link #overRows}) until their first change copies them into that array.
 *
 * <p>Dense weights built by the pseudo-inverse rule also keep its state aside ({@link
 * #isProjection()}): the ridge, the effective rank and the diagonal of the full projection (which
 * the zero-diagonal option removes from W). With it a later call adds patterns exactly ({@link
 * ProjectionTarget}); every other update ({@link #plusGram}, {@link #addSums}, {@link
 * #plusStorkey}) turns them into plain dense weights.
 *
 * <p>Thread-safety as in {@link Weights}: concurrent reads are safe, mutation is not.
 */
public final class DenseWeights implements Weights {

  /** The largest N whose N x N matrix fits one Java array. */
  public static final int MAX_SIZE = 46340;

  private final int n;

  /** W row-major; null while the weights are read from {@link #rows} (until the first change). */
  private volatile float[] w;

  /** Where W is read from while it has no array (a model file), or null when W is in {@link #w}. */
  private Rows rows;

  /**
   * W = a Hebbian update of all-zero weights not computed yet ({@link #plusGram} of new weights),
   * or null: its rows are computed as a writer asks for them ({@link #copyRows}), and the whole
   * matrix the first time anything else reads or changes W. Set only while {@link #w} and {@link
   * #rows} are null.
   */
  private volatile Deferred deferred;

  /** The patterns of a deferred update, and whether the diagonal was zeroed after it. */
  private record Deferred(Kernels.PackedGram gram, boolean zeroDiagonal) {}

  /** Every entry is +0.0 (a new or cleared matrix); lets the first training write W unread. */
  private boolean zero;

  /** An upper bound on max |W_ij|, kept by every operation (the overflow guard reads it). */
  private double absBound;

  /**
   * The pseudo-inverse rule's state, or null: the diagonal of the full projection {@code W_full} (W
   * is {@code W_full} with its diagonal zeroed or not), with its ridge and rank.
   */
  private float[] projectionDiagonal;

  private double projectionRidge;
  private int projectionRank;

  /** {@link #symmetry}: not looked at yet (weights handed over as an array or read from rows). */
  private static final int UNKNOWN = 0;

  /** {@link #symmetry}: W equals its transpose bit for bit. */
  private static final int SYMMETRIC = 1;

  /** {@link #symmetry}: some {@code W_ij} and {@code W_ji} differ. */
  private static final int ASYMMETRIC = 2;

  /**
   * Whether W equals its transpose bit for bit, which lets a product of one column read W column by
   * column ({@link #multiplyColumns}). All-zero weights are symmetric, and every update of these
   * weights keeps a symmetric W symmetric bit for bit (each adds the same value to {@code W_ij} and
   * {@code W_ji}, or changes the diagonal alone: {@code DenseSymmetryTest}); weights handed over as
   * an array or read from rows are looked at once, by the first such product (up to N = {@value
   * #MAX_LOOKED_AT}), and an update of weights not known to be symmetric makes them unknown again.
   */
  private volatile int symmetry;

  /**
   * W's transpose, row-major (W read column by column), for products of one column of weights known
   * to be asymmetric ({@link #multiplyColumns}): made at the {@value #COPY_AT}th such product, up
   * to N = {@value #MAX_LOOKED_AT} (at most 16 MiB more), dropped by every update. Null before the
   * first such product.
   */
  private volatile TransposedCopy transposed;

  /**
   * The product of one column at which asymmetric weights get their {@link #transposed} copy: the
   * first pays for the look at symmetry (some ten products), a copy is about two more, and each
   * product over it then takes a quarter of the time where W and the copy share the cache ({@code
   * KernelBenchmarks.asymmetricMultiply}, N = 509 and 1021: 62 -> 16, 251 -> 62 us; N = 2045:
   * 555-587 -> 350-410 us; this project's machine, 2026-11-30), so a single product makes none.
   */
  static final int COPY_AT = 2;

  private DenseWeights(int n, float[] w, boolean zero, double absBound) {
    this.n = n;
    this.w = w;
    this.zero = zero;
    this.absBound = absBound;
    this.symmetry = zero ? SYMMETRIC : UNKNOWN;
  }

  /**
   * Where the values of W come from when the weights hold no array of them (a model file, read as
   * they are needed): any number of threads may call both methods at once.
   */
  public interface Rows {
    /**
     * Copies {@code len} values of W, row-major from index {@code from}, into {@code dst[off..]}.
     *
     * @throws java.io.UncheckedIOException if they cannot be read, or what they are read from has
     *     changed since they were first read
     */
    void copy(long from, float[] dst, int off, int len);

    /**
     * Throws {@link java.io.UncheckedIOException} if what the values are read from has changed
     * since they were first read (a file written over in place), so that a result computed from
     * them meanwhile is not returned.
     */
    void verify();

    /**
     * The largest bits of {@code |w|} over all values ({@link #maxAbsBits}), when whoever opened
     * the values found them on a pass it made anyway (a model file's CRC-32 check), or -1 when not
     * known; {@link #overRows} then scans the values itself. It scans them also when the bits say a
     * value is not finite, to name the first.
     */
    default int knownMaxAbsBits() {
      return -1;
    }
  }

  /**
   * The largest bits of {@code |v[i]|}, {@code i < len}, the scan every read of dense weights
   * makes: {@code >= 0x7f800000} when a value is not finite. For readers that pass over the values
   * anyway ({@link Rows#knownMaxAbsBits}).
   */
  public static int maxAbsBits(float[] v, int len) {
    Objects.requireNonNull(v, "v");
    return Checks.maxAbsBits(v, len, 0f);
  }

  /**
   * Weights whose values are read from {@code rows} as they are needed (not copied): recall reads W
   * a block of rows at a time, so W needs no heap of its own and no array of N x N floats is
   * allocated; products end by {@link Rows#verify}. Reading a single entry ({@link #get}), or the
   * first change (training, a zeroed diagonal), copies W into an array of the weights' own. The
   * values are scanned once here, unless {@code rows} knows the result ({@link
   * Rows#knownMaxAbsBits}).
   *
   * @throws IllegalArgumentException if a value is not finite
   * @throws java.io.UncheckedIOException if the values cannot be read
   */
  public static DenseWeights overRows(int n, Rows rows) {
    checkSize(n);
    java.util.Objects.requireNonNull(rows, "rows");
    DenseWeights d = new DenseWeights(n, null, false, 0);
    d.rows = rows;
    int known = rows.knownMaxAbsBits();
    d.absBound =
        known >= 0 && known < 0x7f800000 ? Float.intBitsToFloat(known) : maxAbsFinite(rows, n);
    return d;
  }

  /** Whether W is read from {@link Rows} ({@link #overRows}) rather than held in an array. */
  public boolean isOverRows() {
    return w == null && rows != null;
  }

  /**
   * Whether W is an update of new weights that has not been computed yet (a model writer computes
   * it a block of rows at a time, {@link #copyRows}; anything else computes it whole first).
   */
  public boolean isDeferred() {
    return w == null && deferred != null;
  }

  /**
   * W as an array of these weights' own: copied from the rows, or computed (zeros, or the deferred
   * update), the first time.
   */
  private synchronized float[] own() {
    float[] a = w;
    if (a == null) {
      a = rows != null ? readAll() : computeAll();
      w = a; // (the rows stay: a read that began before still uses them)
      deferred = null;
    }
    return a;
  }

  /** W of weights that hold no array and read no rows: zeros, or the deferred update over them. */
  private float[] computeAll() {
    float[] a = new float[n * n];
    Deferred d = deferred;
    if (d != null) {
      d.gram().addTo(a, true, null);
      if (d.zeroDiagonal()) {
        zeroDiagonalOf(a, 0, n);
      }
    }
    return a;
  }

  /**
   * W's array, made first ({@link #own}) when W is not held yet and not read from rows; null while
   * W is read from {@link #rows}.
   */
  private float[] held() {
    float[] a = w;
    return a != null || rows != null ? a : own();
  }

  /** All of W read from the rows into a new array, the rows checked unchanged after. */
  private float[] readAll() {
    Rows r = rows;
    float[] all = new float[n * n];
    r.copy(0, all, 0, all.length);
    r.verify();
    return all;
  }

  /**
   * {@code max |W_ij|} read from rows, or an exception naming the first value that is not finite.
   */
  private static float maxAbsFinite(Rows rows, int n) {
    float[] block = new float[1 << 16];
    long total = (long) n * n;
    int max = 0;
    for (long at = 0; at < total; at += block.length) {
      int len = (int) Math.min(block.length, total - at);
      rows.copy(at, block, 0, len);
      max = Math.max(max, maxAbsBitsFinite(block, len, at, n));
    }
    return Float.intBitsToFloat(max);
  }

  /**
   * Copies {@code W[row0 .. row0+count)[col0 .. col0+cols)} from the rows, rows {@code cols} apart.
   */
  private void copyBlock(int row0, int count, int col0, int cols, float[] dst) {
    Rows r = rows;
    if (col0 == 0 && cols == n) {
      r.copy((long) row0 * n, dst, 0, count * n);
      return;
    }
    for (int i = 0; i < count; i++) {
      r.copy((long) (row0 + i) * n + col0, dst, i * cols, cols);
    }
  }

  /**
   * All-zero N x N weights.
   *
   * @throws IllegalArgumentException if N &lt; 1 or N &gt; {@link #MAX_SIZE}
   */
  public static DenseWeights zeros(int n) {
    checkSize(n);
    // the array is made when it is first needed: weights trained once and written (a model file
    // of dense weights) need none, and a fresh array of N x N floats is slow to allocate
    return new DenseWeights(n, null, true, 0);
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
    // the bits of |w| compared as integers, block by block (Checks.maxAbsBits): Math.max(float,
    // float) has branches for NaN and -0 that C2 compiled as traps, and a model's first read was
    // deoptimised into the interpreter for the rest of its N x N values (some 0.2 s, N = 4096)
    return Float.intBitsToFloat(maxAbsBitsFinite(w, w.length, 0, n));
  }

  /**
   * The largest bits of {@code |v[i]|}, {@code i < len} ({@link Checks#maxAbsBits} block by block),
   * or an exception naming the first value that is not finite as {@code W[(base + i) / n][(base +
   * i) % n]}.
   */
  private static int maxAbsBitsFinite(float[] v, int len, long base, int n) {
    int max = Checks.maxAbsBits(v, len, 0f);
    if (max >= 0x7f800000) {
      for (int i = 0; i < len; i++) {
        if (!Float.isFinite(v[i])) {
          long idx = base + i;
          throw new IllegalArgumentException(
              "weight W[" + (idx / n) + "][" + (idx % n) + "] is " + v[i] + ", expected finite");
        }
      }
    }
    return max;
  }

  /**
   * Runs the scan every read of dense weights makes ({@link Checks#maxAbsBits}) a few hundred times
   * on a small array (well under a millisecond), so that a fresh process has it compiled before it
   * scans a large model: called before anything else asks for compilation, the JIT takes it first,
   * where behind the kernels' warm-up it ran interpreted for much of the scan (a dense recall of N
   * = 4096 scanned W in 50-75 ms this way, against 70-700 ms). For command lines; harmless
   * anywhere.
   */
  public static void prepareScan() {
    float[] a = new float[128];
    int m = 0;
    for (int k = 0; k < 300; k++) {
      m |= maxAbsBitsFinite(a, a.length, 0, a.length);
    }
    if (m != 0) {
      throw new AssertionError("the scan of zeros found " + m);
    }
  }

  /**
   * The largest N whose weights, handed over, are looked at for symmetry ({@link #symmetric}): the
   * look costs some ten products of one column (N = 4096: 27-30 ms against 2-3 ms a product; N =
   * 16384: 460 ms against 32-44 ms), which pay back where W is in cache and its columns read in the
   * lanes take a quarter to a half of the time (N = 1024-2048), not where reading W from memory
   * bounds both (this project's machine, 2026-11-30). Larger weights not known to be symmetric keep
   * their rows' chains.
   */
  private static final int MAX_LOOKED_AT = 2048;

  /** Whether W (in {@code a}, its array) equals its transpose bit for bit; looked at once. */
  private boolean symmetric(float[] a) {
    int known = symmetry;
    if (known == UNKNOWN && n > MAX_LOOKED_AT) {
      return false;
    }
    if (known == UNKNOWN) {
      known = isSymmetric(a, n) ? SYMMETRIC : ASYMMETRIC;
      symmetry = known;
    }
    return known == SYMMETRIC;
  }

  /**
   * W's {@link #transposed} copy for a product of one column of asymmetric weights held in {@code
   * a}: made here at the {@value #COPY_AT}th, up to N = {@value #MAX_LOOKED_AT}; null before, and
   * for larger or not yet looked-at weights.
   */
  private float[] transposedFor(float[] a) {
    if (symmetry != ASYMMETRIC || n > MAX_LOOKED_AT) {
      return null;
    }
    TransposedCopy t = transposed;
    if (t == null || !t.isOf(a, n)) {
      t = new TransposedCopy(a, n, n, COPY_AT);
      transposed = t;
    }
    return t.get();
  }

  /** Whether these weights hold a {@link #transposed} copy now (for tests). */
  boolean hasTransposedCopy() {
    TransposedCopy t = transposed;
    return t != null && t.made();
  }

  /** Whether {@code W_ij} and {@code W_ji} have the same bits for every pair, block by block. */
  static boolean isSymmetric(float[] a, int n) {
    final int b = 64;
    for (int i0 = 0; i0 < n; i0 += b) {
      int i1 = Math.min(n, i0 + b);
      for (int j0 = i0; j0 < n; j0 += b) {
        int j1 = Math.min(n, j0 + b);
        for (int i = i0; i < i1; i++) {
          for (int j = Math.max(j0, i + 1); j < j1; j++) {
            if (Float.floatToRawIntBits(a[i * n + j]) != Float.floatToRawIntBits(a[j * n + i])) {
              return false;
            }
          }
        }
      }
    }
    return true;
  }

  /**
   * Before an update: a symmetric W stays symmetric, any other is not known after it; a transposed
   * copy is dropped.
   */
  private void updating() {
    transposed = null;
    if (symmetry != SYMMETRIC) {
      symmetry = UNKNOWN;
    }
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
    Deferred d = deferred;
    if (w == null && d != null) {
      // computed as they are asked for (the bits of the whole update: Kernels.PackedGram.rows)
      d.gram().rows(from, count, dst);
      if (d.zeroDiagonal()) {
        zeroDiagonalOf(dst, from, count);
      }
      return;
    }
    float[] a = held();
    if (a == null) {
      Rows r = rows;
      r.copy((long) from * n, dst, 0, count * n);
      r.verify();
    } else {
      System.arraycopy(a, from * n, dst, 0, count * n);
    }
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
    // entry by entry (analyses, figures): from an array of the weights' own
    return own()[i * n + j];
  }

  /**
   * {@code out = W s} with the bits of {@link #multiplyColumns} for one column, so that {@code
   * AmariHopfieldNetwork.energy(state)} gives the energy a recall reports for that state (dot
   * products here, summed in another order, gave another last bit in 38 of 200 recalls of a dense
   * network, N = 300).
   */
  @Override
  public void multiply(float[] s, float[] out) {
    checkVector("s", s);
    checkVector("out", out);
    multiplyColumns(s, 1, out); // refuses s == out (Checks.columns)
  }

  @Override
  public void multiplyColumns(float[] s, int l, float[] out) {
    Checks.columns(n, s, l, out);
    float[] a = held();
    if (a != null) {
      if (l == 1 && Kernels.oneColumnByLanes()) {
        // W read column by column, and a product of one column then runs its chains in the SIMD
        // lanes (the same bits as row by row: Kernels.gemm): W itself when W = Wᵀ, else its
        // transposed copy once there is one
        float[] columns = symmetric(a) ? a : transposedFor(a);
        if (columns != null) {
          Kernels.gemm(n, 1, n, columns, 0, 1, n, s, 0, 1, out, 0, 1, false);
          return;
        }
      }
      Kernels.gemm(n, l, n, a, 0, n, 1, s, 0, l, out, 0, l, false);
      return;
    }
    // W's rows copied a block at a time just before the tiles use them: the bits of the product
    // over an array holding W
    Rows r = rows;
    Kernels.gemmRows(n, l, n, this::copyBlock, s, 0, l, out, 0, l);
    r.verify();
  }

  @Override
  public float rowDot(int i, float[] s) {
    checkVector("s", s);
    float[] a = held();
    if (a == null) {
      if (i < 0 || i >= n) {
        throw new IndexOutOfBoundsException("row " + i + " outside " + n + "x" + n);
      }
      Rows r = rows;
      float[] row = new float[n];
      r.copy((long) i * n, row, 0, n);
      r.verify();
      return Kernels.dot(row, 0, s, 0, n);
    }
    return Kernels.dot(a, i * n, s, 0, n);
  }

  /** Over rows: each field a dot product with its row copied into one array per tracker. */
  @Override
  public FieldTracker fieldTracker(float[] s) {
    if (held() != null) {
      return Weights.super.fieldTracker(s);
    }
    checkVector("s", s);
    Rows r = rows;
    float[] row = new float[n];
    return new FieldTracker() {
      private int read;

      @Override
      public float field(int i) {
        r.copy((long) i * n, row, 0, n);
        if (++read % n == 0) {
          r.verify(); // once per N rows read: a sweep
        }
        return Kernels.dot(row, 0, s, 0, n);
      }

      @Override
      public void changed(int i, float before, float after) {}
    };
  }

  private void checkVector(String name, float[] v) {
    Objects.requireNonNull(v, name);
    if (v.length != n) {
      throw new IllegalArgumentException(
          name + " has length " + (v == null ? "null" : v.length) + ", expected " + n);
    }
  }

  @Override
  public float[] toDenseArray() {
    float[] a = held();
    return a == null ? readAll() : a.clone();
  }

  @Override
  public DenseWeights copy() {
    Deferred d = deferred;
    if (w == null && d != null) {
      // the same deferred update (its packed patterns are never changed): computed when needed
      DenseWeights c = new DenseWeights(n, null, false, absBound);
      c.deferred = d;
      c.symmetry = symmetry;
      return c;
    }
    DenseWeights c = new DenseWeights(n, toDenseArray(), zero, absBound);
    c.copyProjection(this, n);
    c.symmetry = symmetry;
    return c;
  }

  /** Takes over the projection state of {@code o} (padded or cut to {@code size}). */
  private void copyProjection(DenseWeights o, int size) {
    if (o.projectionDiagonal != null) {
      projectionDiagonal = Arrays.copyOf(o.projectionDiagonal, size);
      projectionRidge = o.projectionRidge;
      projectionRank = o.projectionRank;
    }
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
    float[] a = w;
    if (absBound > 1e30 && a != null) {
      // (over rows the bound is the exact maximum already: nothing changed it)
      float max = 0f;
      for (float v : a) {
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
      float[] a = held();
      for (int i = 0; i < m; i++) {
        if (a == null) {
          rows.copy((long) i * n, r, i * newSize, m);
        } else {
          System.arraycopy(a, i * n, r, i * newSize, m);
        }
      }
      if (a == null) {
        rows.verify();
      }
    }
    for (int i = 0; i < newSize; i++) {
      r[i * newSize + i] = 0f;
    }
    DenseWeights d = new DenseWeights(newSize, r, zero || !preserve, preserve ? absBound : 0);
    if (preserve && symmetry == SYMMETRIC) {
      d.symmetry = SYMMETRIC; // a leading block of W, padded with zeros, its diagonal zeroed
    }
    if (preserve && newSize > n) {
      // a projection padded with zeros is the projection onto the padded patterns
      d.copyProjection(this, newSize);
    }
    return d;
  }

  /**
   * Whether an update of P patterns of new weights is deferred ({@link #isDeferred}): when its
   * packed patterns take at most a quarter of W's floats and the update at most {@value
   * #DEFER_MAX_WORK} multiply-adds. Written out, a deferred W costs twice the multiply-adds of the
   * update (the rows are computed whole) and no N x N array. On this project's machine a fresh
   * array of N = 4096 took 0.28 s to allocate in a new process, and a dense {@code engram train} of
   * N = 4096 took the same time either way at P = 400 (0.985x-1.26x in three runs) but 0.94x at P =
   * 1024, where the extra arithmetic outweighs the array (BENCHMARKS.md, "A dense model trained and
   * written without W"): the deferral is for memory (no W in the heap), within that bound of work.
   */
  static boolean defers(int n, int p) {
    long padded = (n + 31L) / 32 * 32;
    return p > 0 && (long) p * padded <= (long) n * n / 4 && (long) p * n * n <= DEFER_MAX_WORK;
  }

  /**
   * The largest update ({@code P·N²} multiply-adds) {@link #defers} defers: 2^33 (N = 4096 with up
   * to 512 patterns).
   */
  static final long DEFER_MAX_WORK = 1L << 33;

  /** Centres while packing the rows for the kernel: no centred copy is made. */
  @Override
  public DenseWeights plusGram(
      float[] x, int p, float shift, float divisor, boolean negate, TrainingListener listener) {
    return plusGram(x, p, shift, divisor, negate, Float.NaN, listener);
  }

  /** As above; a known {@code maxAbsCentred} spares the scan of the patterns for the bound. */
  @Override
  public DenseWeights plusGram(
      float[] x,
      int p,
      float shift,
      float divisor,
      boolean negate,
      float maxAbsCentred,
      TrainingListener listener) {
    Checks.patterns(x, p, n);
    Checks.scaling(shift, divisor);
    if (!(maxAbsCentred >= 0f) && !Float.isNaN(maxAbsCentred)) {
      throw new IllegalArgumentException(
          "the largest |x - shift| is " + maxAbsCentred + ", expected >= 0 or NaN (unknown)");
    }
    double bound =
        Float.isNaN(maxAbsCentred)
            ? Checks.gramBound(x, p, shift, divisor)
            : Checks.gramBound(maxAbsCentred, p, divisor);
    if (w == null && rows == null && deferred == null && zero && defers(n, p)) {
      // new weights: the update is computed when W is first needed, and a writer of the weights
      // gets it a block of rows at a time (no array of N x N floats to allocate and fill)
      Kernels.PackedGram g = Kernels.packGram(n, p, x, shift, divisor, negate);
      updating();
      zero = false;
      projectionDiagonal = null;
      absBound += bound;
      deferred = new Deferred(g, false);
      // through the kernels' report, which drops a listener that throws: called directly, its
      // exception left these weights updated and the network's call unrecorded
      Kernels.reportDone(
          listener == null ? null : listener::onProgress, (long) p * n * (n + 1) / 2);
      return this;
    }
    // W's array and the packed patterns (P x N floats: the update's one large allocation) are made
    // before anything changes: packed inside the kernel, after the bound had grown, a heap too
    // small for them left these weights with a bound that no longer held
    float[] a = own();
    Kernels.PackedGram g = Kernels.packGram(n, p, x, shift, divisor, negate);
    updating();
    boolean wasZero = zero;
    zero = false;
    projectionDiagonal = null;
    absBound += bound;
    g.addTo(a, wasZero, listener == null ? null : listener::onProgress);
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
   * @param divisor P when normalising, else 1: a finite number > 0 (as {@link #plusGram} takes)
   * @param negate true for the anti-Hebbian rule
   * @throws IllegalArgumentException if {@code sums} is not N x N, the divisor is not a finite
   *     number > 0, or a value of the upper triangle is NaN or infinite (or becomes so divided);
   *     the weights are then unchanged
   */
  public void addSums(float[] sums, float divisor, boolean negate) {
    if (sums == null || sums.length != n * n) {
      throw new IllegalArgumentException("sums are not an N x N matrix for N = " + n);
    }
    // a divisor of 0 or NaN, or a NaN sum, was taken: every weight infinite or NaN, and the
    // network's next recall refused naming the cue
    Checks.scaling(0f, divisor);
    double max = 0;
    for (int i = 0; i < n; i++) {
      int row = i * n;
      for (int j = i; j < n; j++) {
        float u = Checks.scaled(sums[row + j], divisor, negate);
        if (!Float.isFinite(u)) {
          throw new IllegalArgumentException(
              "sum S["
                  + i
                  + "]["
                  + j
                  + "] = "
                  + sums[row + j]
                  + (divisor != 1f ? " divided by " + divisor + " is " + u : "")
                  + ", expected finite");
        }
        max = Math.max(max, Math.abs(u));
      }
    }
    float[] w = own();
    updating();
    zero = false;
    projectionDiagonal = null;
    for (int i = 0; i < n; i++) {
      int row = i * n;
      for (int j = i; j < n; j++) {
        float u = Checks.scaled(sums[row + j], divisor, negate);
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
    Deferred d = deferred;
    if (this.w == null && rows == null) {
      if (d != null) {
        deferred = new Deferred(d.gram(), true);
      }
      return; // (all zeros have a zero diagonal)
    }
    float[] w = own();
    updating();
    zeroDiagonalOf(w, 0, n);
  }

  /**
   * Sets {@code W[i][i] = 0} in {@code block}, which holds rows {@code from .. from+count-1} of W
   * row-major from index 0.
   */
  private void zeroDiagonalOf(float[] block, int from, int count) {
    for (int i = from; i < from + count; i++) {
      block[(i - from) * n + i] = 0f;
    }
  }

  /** Sets {@code W[i][i] = d[i]} (package-private: low-rank to dense conversion). */
  void setDiagonal(float[] d) {
    float[] w = own();
    updating();
    zero = false;
    projectionDiagonal = null;
    for (int i = 0; i < n; i++) {
      w[i * n + i] = d[i];
      absBound = Math.max(absBound, Math.abs(d[i]));
    }
  }

  /**
   * Marks these weights as dense pseudo-inverse weights, as a model file stores them: W is the full
   * projection with its diagonal zeroed or not, and the rule's state is set (see {@link
   * #isProjection()}). For readers of model files; returns these weights.
   *
   * @param ridge the ridge λ >= 0 of the model
   * @param rank the effective rank (number of independent stored directions), 0..N
   * @param fullDiagonal the diagonal of the full projection, N finite values (copied)
   * @throws NullPointerException "fullDiagonal" if {@code fullDiagonal} is null
   * @throws IllegalArgumentException on a wrong length, non-finite values, a negative or non-finite
   *     ridge or a rank outside 0..N; nothing changes then
   */
  public DenseWeights withProjection(double ridge, int rank, float[] fullDiagonal) {
    Objects.requireNonNull(fullDiagonal, "fullDiagonal");
    Projection.checkRidge(ridge);
    if (rank < 0 || rank > n) {
      throw new IllegalArgumentException("projection rank " + rank + " outside 0.." + n);
    }
    Projection.checkDiagonal(fullDiagonal, n);
    projectionDiagonal = fullDiagonal.clone();
    projectionRidge = ridge;
    projectionRank = rank;
    absBound = Math.max(absBound, Projection.maxAbs(fullDiagonal));
    return this;
  }

  /**
   * Whether these weights carry the pseudo-inverse rule's state, so that the rule can add patterns
   * to them ({@link ProjectionTarget}): true after a pseudo-inverse call on dense weights or the
   * dense conversion of {@link ProjectionWeights}, until another update changes them. {@link
   * #zeroDiagonal} and growing with {@code preserve} keep it.
   */
  public boolean isProjection() {
    return projectionDiagonal != null;
  }

  /** The pseudo-inverse ridge λ, or NaN when {@link #isProjection()} is false. */
  public double projectionRidge() {
    return projectionDiagonal == null ? Double.NaN : projectionRidge;
  }

  /** The pseudo-inverse effective rank, or -1 when {@link #isProjection()} is false. */
  public int projectionRank() {
    return projectionDiagonal == null ? -1 : projectionRank;
  }

  /**
   * The diagonal of the full projection (a copy), or null when {@link #isProjection()} is false.
   */
  public float[] projectionDiagonal() {
    return projectionDiagonal == null ? null : projectionDiagonal.clone();
  }

  /** {@link #projectionDiagonal()} without a copy, for this package; must not be modified. */
  float[] projectionDiagonalArray() {
    return projectionDiagonal;
  }

  /**
   * Adds k orthogonalised rows V to a pseudo-inverse projection in place ({@code W_full += VᵀV} by
   * the training kernel, with the full diagonal restored first, then kept aside and W's diagonal
   * zeroed when asked); all-zero weights become a projection. For {@link ProjectionTarget#add}.
   *
   * @throws IllegalArgumentException on a wrong length, another ridge, or weights that are neither
   *     all zero nor a projection; nothing changes then
   */
  DenseWeights plusProjectionRows(
      float[] v, int k, double ridge, boolean zeroDiagonal, TrainingListener listener) {
    if (k < 0 || v == null || v.length != (long) k * n) {
      throw new IllegalArgumentException(
          "rows have length " + (v == null ? "null" : v.length) + ", expected " + k + "x" + n);
    }
    Projection.checkRidge(ridge);
    if (projectionDiagonal == null && maxAbsBound() != 0) {
      throw new IllegalArgumentException(
          "these dense weights are not a pseudo-inverse projection (another rule made them)");
    }
    if (projectionDiagonal != null && projectionRidge != ridge) {
      throw new IllegalArgumentException(
          "ridge " + ridge + " differs from the projection's " + projectionRidge);
    }
    float[] full = projectionDiagonal == null ? new float[n] : projectionDiagonal;
    boolean wasZero = zero && projectionDiagonal == null;
    float[] w = own();
    // allocated before W's diagonal is restored: a heap too small for the packed rows (k x N
    // floats) or the new diagonal left W with the full diagonal where the model's was zeroed
    Kernels.PackedGram g = k > 0 ? Kernels.packGram(n, k, v, 0f, 1f, false) : null;
    float[] d = new float[n];
    updating();
    for (int i = 0; i < n; i++) {
      w[i * n + i] = full[i];
    }
    absBound = Math.max(absBound, Projection.maxAbs(full));
    if (g != null) {
      absBound += Projection.rowBound(v, k, n);
      g.addTo(w, wasZero, listener == null ? null : listener::onProgress);
    }
    zero = false;
    for (int i = 0; i < n; i++) {
      d[i] = w[i * n + i];
    }
    projectionDiagonal = d;
    projectionRidge = ridge;
    projectionRank += k;
    if (zeroDiagonal) {
      zeroDiagonal();
    }
    return this;
  }

  /**
   * Stores P patterns with the Storkey rule, one after the other, in place: for each pattern x,
   * {@code h = W x}, then {@code w_ij += (x_i x_j - x_i h_ji - h_ij x_j)/N} with {@code h_ij =
   * Σ_{k≠i,j} w_ik x_k} (all from W before x), and the diagonal zeroed when {@code zeroDiagonal}
   * (else {@code w_ii += (x_i² - 2 x_i h_ii)/N}); see {@link Kernels#storkeyUpdate} for the float32
   * arithmetic (exactly symmetric; the weights are assumed symmetric, as every rule makes them).
   * Each pattern costs one pass that reads and writes W. Afterwards the weights are plain dense
   * weights (no pseudo-inverse state) and {@link #maxAbsBound()} is the exact maximum, which is
   * infinite or NaN if float32 overflowed: callers that must not lose the old weights run this on a
   * {@link #copy()} and check it.
   *
   * <p>Storkey, A. (1997), Increasing the capacity of a Hopfield network without sacrificing
   * functionality, ICANN'97, LNCS 1327:451; Storkey, A. J. &amp; Valabregue, R. (1999), The basins
   * of attraction of a new Hopfield learning rule, Neural Networks 12:869.
   *
   * @param x P x N row-major patterns (not modified)
   * @param listener progress in multiply-adds, N² per pattern (null: none; one that throws is
   *     dropped and the update completes)
   * @return these weights
   * @throws IllegalArgumentException if x is not P x N; nothing changes then
   */
  public DenseWeights plusStorkey(
      float[] x, int p, boolean zeroDiagonal, TrainingListener listener) {
    Checks.patterns(x, p, n);
    float[] w = own();
    updating();
    zero = false;
    projectionDiagonal = null;
    Kernels.storkey(n, w, x, p, zeroDiagonal, listener == null ? null : listener::onProgress);
    float max = 0f;
    for (float v : w) {
      max = Math.max(max, Math.abs(v));
    }
    absBound = max;
    return this;
  }

  /**
   * The backing array, for kernels in this library (copied from the rows first, when the weights
   * are over rows); callers must not modify it.
   */
  float[] array() {
    return own();
  }
}
