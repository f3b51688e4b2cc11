package io.engram.weights;

import io.engram.kernels.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Hebbian weights kept in low-rank form, never forming the N x N matrix:
 *
 * <pre>
 *   W = Σ_b s_b (1/d_b) (T_bᵀ T_b - diag(q_b)) + diag(g)      q_b[i] = Σ_k T_b[k][i]²
 * </pre>
 *
 * where {@code T_b} (P_b x N) are the centred patterns of training call b, {@code d_b} its divisor
 * (P_b when normalising, else 1), {@code s_b = -1} for anti-Hebbian calls, and {@code g} the
 * diagonal W must have (zeroed by {@code zeroDiagonal}, accumulated otherwise). This is the
 * design's {@code W = Σ_b c_b T_bᵀ T_b + diag(g - h)} with {@code c_b = s_b / d_b} and {@code h =
 * Σ_b c_b q_b}, with each block's own diagonal removed before dividing, so that exact (dyadic)
 * inputs give exact fields.
 *
 * <p>Applying W to L states costs about {@code 4RNL} flops for R stored rows, instead of {@code
 * 2N²L}; memory is {@code RN} floats instead of {@code N²}; N is not limited by the dense array
 * size. {@link #asDense()} replays the calls through the same kernel as {@link DenseWeights}, so
 * the conversion gives exactly the matrix dense training would have built.
 *
 * <p>Thread-safety as in {@link Weights}: concurrent reads are safe, mutation is not.
 */
public final class LowRankWeights implements Weights {

  private final int n;
  private final List<LowRankBlock> blocks;
  private final float[] g;
  // For the exact dense replay: the diagonal before the first block, and the blocks after which
  // the diagonal was zeroed (zeroDiagonal, resize). The diagonal must come out of the same kernel
  // as dense training, not from g, whose sums of squares may round differently.
  private final float[] base;
  private final BitSet zeroAfter;

  private LowRankWeights(int n, List<LowRankBlock> blocks, float[] g) {
    this(n, blocks, g, g.clone(), new BitSet());
  }

  private LowRankWeights(
      int n, List<LowRankBlock> blocks, float[] g, float[] base, BitSet zeroAfter) {
    this.n = n;
    this.blocks = blocks;
    this.g = g;
    this.base = base;
    this.zeroAfter = zeroAfter;
  }

  /**
   * All-zero weights of N neurons (rank 0).
   *
   * @throws IllegalArgumentException if N &lt; 1 or more than a Java array holds (2^31 - 9)
   */
  public static LowRankWeights zeros(int n) {
    Checks.size(n);
    return new LowRankWeights(n, new ArrayList<>(), new float[n]);
  }

  /**
   * The exact low-rank form of weights whose off-diagonal entries are all zero (rank 0, the
   * diagonal kept); low-rank weights are copied.
   *
   * @throws IllegalArgumentException if an off-diagonal entry is nonzero: a general dense matrix
   *     has no exact low-rank form without its training patterns (retrain in low-rank mode)
   * @throws NullPointerException "weights" if {@code weights} is null
   */
  public static LowRankWeights from(Weights weights) {
    Objects.requireNonNull(weights, "weights");
    Weights w = weights;
    if (w instanceof LowRankWeights lr) {
      return lr.copy();
    }
    int n = w.size();
    float[] d = w.toDenseArray();
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        float v = d[i * n + j];
        if (i == j) {
          g[i] = v;
        } else if (v != 0f) {
          throw new IllegalArgumentException(
              "dense weights with nonzero off-diagonal entries (W["
                  + i
                  + "]["
                  + j
                  + "] = "
                  + v
                  + ") have no exact low-rank form without their training patterns;"
                  + " train in low-rank mode instead");
        }
      }
    }
    return new LowRankWeights(n, new ArrayList<>(), g);
  }

  @Override
  public int size() {
    return n;
  }

  /**
   * One stored training call, for persistence: the centred patterns (rows x N, row-major), the
   * divisor (P when normalising, else 1), whether it was anti-Hebbian, and whether the diagonal was
   * zeroed right after it (a {@code zeroDiagonal} option or a resize).
   */
  public record Factor(
      float[] patterns, int rows, float divisor, boolean negate, boolean zeroDiagonalAfter) {

    /** Checks that the patterns are given (their shape is checked where the factor is used). */
    public Factor {
      java.util.Objects.requireNonNull(patterns, "patterns");
    }

    /**
     * Equal to a factor of the same pattern values (compared as {@link Arrays#equals(float[],
     * float[])} does), rows, divisor and flags: a record compares arrays by reference, so the
     * factors of the same weights were unequal.
     */
    @Override
    public boolean equals(Object o) {
      return o instanceof Factor f
          && rows == f.rows
          && Float.compare(divisor, f.divisor) == 0
          && negate == f.negate
          && zeroDiagonalAfter == f.zeroDiagonalAfter
          && Arrays.equals(patterns, f.patterns);
    }

    /** A hash of the same parts as {@link #equals}. */
    @Override
    public int hashCode() {
      return java.util.Objects.hash(
          Arrays.hashCode(patterns), rows, divisor, negate, zeroDiagonalAfter);
    }

    /** The parts, with the number of pattern values instead of an array's identity hash. */
    @Override
    public String toString() {
      return "Factor[patterns="
          + (patterns == null ? "null" : "float[" + patterns.length + "]")
          + ", rows="
          + rows
          + ", divisor="
          + divisor
          + ", negate="
          + negate
          + ", zeroDiagonalAfter="
          + zeroDiagonalAfter
          + "]";
    }
  }

  /** The stored training calls in order (copies of the patterns). */
  public List<Factor> factors() {
    List<Factor> r = new ArrayList<>(blocks.size());
    for (int k = 0; k < blocks.size(); k++) {
      LowRankBlock b = blocks.get(k);
      r.add(new Factor(b.t.clone(), b.p, b.divisor, b.negate, zeroAfter.get(k)));
    }
    return r;
  }

  /**
   * The diagonal W had before the first stored call (a copy; zero unless made by {@link #from}).
   */
  public float[] baseDiagonal() {
    return base.clone();
  }

  /**
   * Rebuilds low-rank weights from their factors by replaying them: start from {@code
   * baseDiagonal}, add each call, zero the diagonal where a factor says so. The result equals the
   * weights the factors were taken from, bit for bit.
   *
   * @throws NullPointerException naming {@code factors} or {@code baseDiagonal} if it is null
   * @throws IllegalArgumentException on wrong lengths, non-finite values, a divisor that is not a
   *     finite number > 0, or a null factor in the list
   */
  public static LowRankWeights of(int n, List<Factor> factors, float[] baseDiagonal) {
    Objects.requireNonNull(factors, "factors");
    Objects.requireNonNull(baseDiagonal, "baseDiagonal");
    LowRankWeights w = zeros(n);
    if (baseDiagonal.length != n) {
      throw new IllegalArgumentException(
          "base diagonal has length " + baseDiagonal.length + ", expected " + n);
    }
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(baseDiagonal[i])) {
        throw new IllegalArgumentException("base diagonal[" + i + "] is " + baseDiagonal[i]);
      }
    }
    System.arraycopy(baseDiagonal, 0, w.g, 0, n);
    System.arraycopy(baseDiagonal, 0, w.base, 0, n);
    int k = 0;
    for (Factor f : factors) {
      if (f == null) {
        throw new IllegalArgumentException("factor " + k + " is null");
      }
      if (f.rows() < 1 || f.patterns() == null || f.patterns().length != (long) f.rows() * n) {
        throw new IllegalArgumentException(
            "factor "
                + k
                + " has "
                + (f.patterns() == null ? "no" : String.valueOf(f.patterns().length))
                + " values, expected "
                + f.rows()
                + " x "
                + n);
      }
      if (!(f.divisor() > 0f) || !Float.isFinite(f.divisor())) {
        throw new IllegalArgumentException(
            "factor " + k + " has divisor " + f.divisor() + ", expected > 0");
      }
      float[] t = f.patterns();
      for (int i = 0; i < t.length; i++) {
        if (!Float.isFinite(t[i])) {
          throw new IllegalArgumentException(
              "factor " + k + " has a non-finite value " + t[i] + " at " + i);
        }
      }
      w.plusGram(t, f.rows(), 0f, f.divisor(), f.negate(), null);
      if (f.zeroDiagonalAfter()) {
        w.zeroDiagonal();
      }
      k++;
    }
    return w;
  }

  @Override
  public Representation representation() {
    return Representation.LOW_RANK;
  }

  @Override
  public double maxAbsBound() {
    double b = 0;
    for (LowRankBlock blk : blocks) {
      b += blk.bound();
    }
    float gm = 0f;
    for (float v : g) {
      gm = Math.max(gm, Math.abs(v));
    }
    return b * (1 + 0x1p-20) + gm;
  }

  /** This object. */
  @Override
  public LowRankWeights asLowRank() {
    return this;
  }

  @Override
  public boolean lowRankCheaperWith(int moreRows) {
    return WeightsMode.lowRankIsCheaper(n, (long) rank() + moreRows, blocks.size() + 1L);
  }

  /** R, the number of stored pattern rows over all training calls. */
  @Override
  public int rank() {
    int r = 0;
    for (LowRankBlock b : blocks) {
      r += b.p;
    }
    return r;
  }

  /**
   * Stored training call {@code k}, for the factor accessors: one error for every one of them when
   * {@code k} is not a stored call ({@link #zeroesDiagonalAfter} said {@code false} for any {@code
   * k} past the last, and the others gave the list's own {@code Index 7 out of bounds for length
   * 0}).
   *
   * @throws IndexOutOfBoundsException if {@code k} is not in {@code 0..blockCount()-1}
   */
  private LowRankBlock block(int k) {
    if (blocks.isEmpty()) {
      throw new IndexOutOfBoundsException(
          "factor " + k + ": the weights hold no factor (no training call stored)");
    }
    if (k < 0 || k >= blocks.size()) {
      throw new IndexOutOfBoundsException(
          "factor "
              + k
              + " is not in 0.."
              + (blocks.size() - 1)
              + " ("
              + blocks.size()
              + (blocks.size() == 1 ? " training call stored)" : " training calls stored)"));
    }
    return blocks.get(k);
  }

  /** The number of training calls stored (blocks). */
  public int blockCount() {
    return blocks.size();
  }

  /**
   * The rows of stored training call {@code k} (its patterns' count), without the copy of the
   * patterns that {@link #factors} makes: what a writer checks before it copies anything.
   *
   * @throws IndexOutOfBoundsException if {@code k} is not in {@code 0..blockCount()-1}, as for the
   *     other factor accessors
   */
  public int factorRows(int k) {
    return block(k).p;
  }

  /** Stored training call {@code k}'s divisor ({@link Factor#divisor}). */
  public float factorDivisor(int k) {
    return block(k).divisor;
  }

  /** Whether stored training call {@code k} was anti-Hebbian ({@link Factor#negate}). */
  public boolean factorNegated(int k) {
    return block(k).negate;
  }

  /**
   * Whether W's diagonal was zeroed right after call {@code k} ({@link Factor#zeroDiagonalAfter}).
   */
  public boolean zeroesDiagonalAfter(int k) {
    block(k);
    return zeroAfter.get(k);
  }

  /**
   * Copies rows {@code from .. from+count-1} of stored training call {@code k}'s patterns,
   * row-major, into {@code dst} from index 0, without the copy of all the patterns that {@link
   * #factors} makes (a file writer streams them a block at a time).
   *
   * @throws IndexOutOfBoundsException if {@code k} is not in {@code 0..blockCount()-1}
   * @throws IllegalArgumentException if the rows are not in {@code 0..rows-1} of that call or
   *     {@code dst} is shorter than {@code count * N}
   */
  public void copyFactorRows(int k, int from, int count, float[] dst) {
    LowRankBlock b = block(k);
    if (from < 0 || count < 0 || from > b.p - count || (long) count * n > dst.length) {
      throw new IllegalArgumentException(
          "rows " + from + " + " + count + " of " + b.p + " into " + dst.length + " values");
    }
    System.arraycopy(b.t, from * n, dst, 0, count * n);
  }

  @Override
  public long memoryBytes() {
    long floats = n;
    for (LowRankBlock b : blocks) {
      floats += (long) b.p * n + n;
    }
    return 4 * floats;
  }

  @Override
  public float get(int i, int j) {
    if (i < 0 || i >= n || j < 0 || j >= n) {
      throw new IndexOutOfBoundsException("W[" + i + "][" + j + "] outside " + n + "x" + n);
    }
    if (i == j) {
      return g[i];
    }
    float w = 0f;
    for (LowRankBlock b : blocks) {
      float acc = 0f;
      for (int k = 0; k < b.p; k++) {
        acc += b.t[k * n + i] * b.t[k * n + j];
      }
      w += b.scale(acc);
    }
    return w;
  }

  @Override
  public void multiply(float[] s, float[] out) {
    checkVector("s", s);
    checkVector("out", out);
    multiplyColumns(s, 1, out);
  }

  @Override
  public float rowDot(int i, float[] s) {
    checkVector("s", s);
    if (i < 0 || i >= n) {
      throw new IndexOutOfBoundsException("row " + i + " outside 0.." + (n - 1));
    }
    double f = (double) g[i] * s[i];
    for (LowRankBlock b : blocks) {
      double z = 0;
      for (int k = 0; k < b.p; k++) {
        z += (double) b.t[k * n + i] * Kernels.dot(b.t, k * n, s, 0, n);
      }
      f += b.scale((float) (z - (double) b.q[i] * s[i]));
    }
    return (float) f;
  }

  /**
   * {@code out = W S} for L column states (N x L row-major): per block {@code Y = T S} (P x L),
   * {@code Z = Tᵀ Y} (N x L), both as blocked matrix products, then {@code out += ±(Z - q∘S)/d},
   * and finally {@code out += g∘S}.
   */
  @Override
  public void multiplyColumns(float[] s, int l, float[] out) {
    Checks.columns(n, s, l, out);
    int maxP = 0;
    for (LowRankBlock b : blocks) {
      maxP = Math.max(maxP, b.p);
    }
    float[] y = new float[maxP * l];
    float[] z = blocks.isEmpty() ? null : new float[n * l];
    boolean first = true;
    for (LowRankBlock b : blocks) {
      if (l == 1 && LowRankBlock.columnsFirst(b.p, n, b.hasTransposed())) {
        // T s from Tᵀ, whose columns are T's rows: the chains in the SIMD lanes, the same bits
        Kernels.gemm(b.p, 1, n, b.transposed(n), 0, 1, b.p, s, 0, 1, y, 0, 1, false);
      } else {
        Kernels.gemm(b.p, l, n, b.t, 0, n, 1, s, 0, l, y, 0, l, false);
      }
      // Tᵀ Y: T stored row by row is Tᵀ stored column by column (one column: in the lanes)
      Kernels.gemm(n, l, b.p, b.t, 0, 1, n, y, 0, l, z, 0, l, false);
      addBlockTerm(b, z, s, l, out, first);
      first = false;
    }
    if (l == 1) {
      // one column: flat loops over the rows, which the JIT vectorises (a loop over the columns
      // inside one over the rows ran as scalar code: 3/4 of a product for N = 16385, P = 4)
      if (first) {
        for (int i = 0; i < n; i++) {
          out[i] = g[i] * s[i];
        }
      } else {
        for (int i = 0; i < n; i++) {
          out[i] = out[i] + g[i] * s[i];
        }
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      float gi = g[i];
      int o = i * l;
      for (int c = 0; c < l; c++) {
        out[o + c] = first ? gi * s[o + c] : out[o + c] + gi * s[o + c];
      }
    }
  }

  /**
   * {@code out = v} ({@code first}) or {@code out += v} with {@code v = ±(Z - q∘S)/d}, block b's
   * term of {@code W S}; the division skipped where {@code d = 1}, as {@link Checks#scaled}.
   */
  private void addBlockTerm(
      LowRankBlock b, float[] z, float[] s, int l, float[] out, boolean first) {
    float[] q = b.q;
    if (l == 1) {
      // one column: a flat loop with Checks.scaled's tests taken out of it (the same operations;
      // calling b.scale per value took 62-67 against 42 us a product of N = 16385, P = 4)
      float d = b.divisor;
      boolean divide = d != 1f;
      boolean negate = b.negate;
      for (int i = 0; i < n; i++) {
        float v = z[i] - q[i] * s[i];
        float u = divide ? v / d : v;
        u = negate ? -u : u;
        out[i] = first ? u : out[i] + u;
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      float qi = q[i];
      int o = i * l;
      for (int c = 0; c < l; c++) {
        float v = b.scale(z[o + c] - qi * s[o + c]);
        out[o + c] = first ? v : out[o + c] + v;
      }
    }
  }

  /**
   * Fields for asynchronous updates in O(R) per neuron: keeps {@code y_b = T_b s} (float64) up to
   * date as neurons change, and forms {@code W[i]·s = Σ_b ±(T_b[:,i]·y_b - q_b[i] s_i)/d_b + g_i
   * s_i} from it.
   */
  @Override
  public FieldTracker fieldTracker(float[] s) {
    checkVector("s", s);
    return new LowRankFieldTracker(n, blocks.toArray(new LowRankBlock[0]), g, s);
  }

  private void checkVector(String name, float[] v) {
    Objects.requireNonNull(v, name);
    if (v.length != n) {
      throw new IllegalArgumentException(
          name + " has length " + (v == null ? "null" : v.length) + ", expected " + n);
    }
  }

  /**
   * The dense matrix: the stored calls replayed in order through the dense Hebbian kernel, then the
   * diagonal set to g. Bit-for-bit the matrix dense training builds.
   *
   * @throws IllegalArgumentException if N > {@link DenseWeights#MAX_SIZE}
   */
  @Override
  public DenseWeights asDense() {
    DenseWeights d = DenseWeights.zeros(n);
    // a base of +0s leaves W all zero, so that the first call's update may be deferred ({@link
    // DenseWeights#plusGram}: its rows computed as a writer asks for them, the bits it writes over
    // zeros, which are those of the addition to +0): an export then streams W without an array of
    // N x N floats to fill (1 GiB for N = 16384)
    boolean plusZeros = true;
    for (float v : base) {
      plusZeros &= Float.floatToRawIntBits(v) == 0;
    }
    if (!plusZeros) {
      d.setDiagonal(base);
    }
    for (int k = 0; k < blocks.size(); k++) {
      LowRankBlock b = blocks.get(k);
      d.plusGram(b.t, b.p, 0f, b.divisor, b.negate, null);
      if (zeroAfter.get(k)) {
        d.zeroDiagonal();
      }
    }
    return d;
  }

  @Override
  public float[] toDenseArray() {
    return asDense().array();
  }

  /**
   * {@code {min, max}} of {@link #toDenseArray()}'s entries without forming it, or null where the
   * stored patterns do not allow it ({@link LowRankRange}).
   */
  float[] entryRange() {
    // (beyond a dense matrix's size, toDenseArray refuses, and so does the caller's fallback; the
    // plain-Java kernels (oneColumnByLanes false: tiles that do not fuse) round each product
    // before adding it, which LowRankRange does not reproduce: their W is formed)
    return n > DenseWeights.MAX_SIZE || !Kernels.oneColumnByLanes()
        ? null
        : LowRankRange.of(n, blocks, base, zeroAfter);
  }

  @Override
  public LowRankWeights copy() {
    // blocks are immutable: share them
    return new LowRankWeights(
        n, new ArrayList<>(blocks), g.clone(), base.clone(), (BitSet) zeroAfter.clone());
  }

  /**
   * Grows by padding every stored pattern with zeros, or shrinks by dropping columns: exactly the
   * top-left block of the dense matrix. The diagonal becomes zero.
   */
  @Override
  public LowRankWeights resized(int newSize, boolean preserve) {
    Checks.size(newSize);
    List<LowRankBlock> nbs = new ArrayList<>();
    if (preserve) {
      for (LowRankBlock b : blocks) {
        Checks.factor(b.p, newSize, "a stored block");
      }
      int m = Math.min(n, newSize);
      for (LowRankBlock b : blocks) {
        float[] t = new float[b.p * newSize];
        for (int k = 0; k < b.p; k++) {
          System.arraycopy(b.t, k * n, t, k * newSize, m);
        }
        nbs.add(new LowRankBlock(t, b.p, b.divisor, b.negate, Arrays.copyOf(b.q, newSize)));
      }
    }
    BitSet zeroed = new BitSet();
    if (!nbs.isEmpty()) {
      zeroed.set(nbs.size() - 1);
    }
    return new LowRankWeights(newSize, nbs, new float[newSize], new float[newSize], zeroed);
  }

  /**
   * Stores the centred rows as a new block (one copy, centred while copying); the diagonal g gains
   * {@code ±(Σ_k t_k[i]²)/d}. O(P·N), nothing reported to the listener.
   */
  @Override
  public LowRankWeights plusGram(
      float[] x, int p, float shift, float divisor, boolean negate, TrainingListener listener) {
    Checks.patterns(x, p, n);
    Checks.scaling(shift, divisor);
    float[] t = shift == 0f ? x.clone() : Checks.centred(x, shift);
    float[] q = new float[n];
    for (int k = 0; k < p; k++) {
      int o = k * n;
      for (int i = 0; i < n; i++) {
        q[i] += t[o + i] * t[o + i];
      }
    }
    LowRankBlock b = new LowRankBlock(t, p, divisor, negate, q);
    blocks.add(b); // first: a list that cannot grow (no heap) then leaves g as it was
    for (int i = 0; i < n; i++) {
      g[i] += b.scale(q[i]);
    }
    return this;
  }

  @Override
  public void zeroDiagonal() {
    Arrays.fill(g, 0f);
    if (blocks.isEmpty()) {
      Arrays.fill(base, 0f);
    } else {
      zeroAfter.set(blocks.size() - 1);
    }
  }
}
