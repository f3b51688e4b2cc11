package io.engram.kernels;

/**
 * The numerical kernels of Engram, one thin facade: argument checks here, the blocking and
 * threading in one small class per operation family ({@link Gemm}, {@link Syrk}, {@link Parallel}),
 * the arithmetic in a {@link KernelProvider} chosen once ({@link Providers}): the Vector API
 * ({@code PanamaKernels}) or plain Java ({@link ScalarKernels}).
 *
 * <p>Internal to the library: this package is not exported by the module {@code io.engram.core};
 * users reach the knobs (implementation, threads) through {@link io.engram.Engram}.
 *
 * <p>All kernels are float32. Array arguments marked as output are overwritten (or added to, where
 * said); inputs are not modified. Output arrays must not alias inputs. The kernels are thread-safe;
 * large ones split their work over {@link #parallelism()} threads (see {@link Parallel} for the
 * oversubscription rule).
 */
public final class Kernels {

  /**
   * The system property that forces the implementation: {@code auto}, {@code panama}, {@code
   * scalar}.
   */
  public static final String VECTORIZATION_PROPERTY = Settings.VECTORIZATION;

  /**
   * The system property that caps the Vector API's vector width in bits ({@code 256}; default: the
   * widest the machine has), so that the narrower paths are tested on wide machines too.
   */
  public static final String VECTOR_BITS_PROPERTY = Settings.VECTOR_BITS;

  /**
   * The system property ({@code true}) with which a JVM started without the Vector API module runs
   * every kernel call on the SIMD kernels' plain-Java twin, at the width the SIMD kernels would
   * have in this JVM: the same bits as the SIMD kernels, without the module's cost at start (Java
   * 17 maps its archived module graph only without {@code --add-modules}: some 30 ms of every
   * command). The width is read from {@code java.base}'s vector support, which must be exported to
   * the caller ({@code bin/engram}'s jar does so in its manifest); where it cannot be, or the
   * module is present, the property changes nothing. {@code bin/engram} sets it for commands whose
   * work is small.
   */
  public static final String TWIN_PROPERTY = Settings.TWIN_KERNELS;

  /** The system property that bounds the number of threads the kernels use. */
  public static final String THREADS_PROPERTY = Settings.THREADS;

  private Kernels() {}

  /**
   * The vector size in bits of the SIMD kernels on a machine whose preferred size is {@code
   * preferredBits}: that, or the narrower one {@link #VECTOR_BITS_PROPERTY} asks for (256, else
   * 128). The kernels choose their species by it, and their plain-Java twin its lanes, also when
   * made before them ({@link Providers#forCall}).
   */
  static int speciesBits(int preferredBits) {
    return Settings.vectorBits(preferredBits);
  }

  /**
   * Told how much of a long kernel pass is done. Calls come one at a time (never concurrently),
   * from whichever kernel thread finished the work, with {@code done} increasing up to {@code
   * total}; each long pass starts again from 0.
   */
  @FunctionalInterface
  public interface WorkListener {
    /** {@code done} of {@code total} units of work (multiply-adds) of the current pass finished. */
    void onWork(long done, long total);
  }

  /**
   * Tells {@code listener} (null: none) that a pass of {@code total} units is done, in one call, as
   * a kernel pass would: one that throws is dropped (a WARNING is logged), never rethrown, for work
   * done outside the kernels (an update deferred until its weights are first used).
   */
  public static void reportDone(WorkListener listener, long total) {
    if (listener != null) {
      new WorkReport(listener, total).add(total);
    }
  }

  /**
   * Throws where the kernels' settings cannot be followed: a property set to a value it cannot
   * have, or {@code panama} without the Vector API module.
   *
   * @throws IllegalStateException naming the setting
   */
  public static void requireValidSettings() {
    Providers.requireValidSettings();
  }

  /** The kernels in use, e.g. {@code panama-512} or {@code scalar}. */
  public static String implementation() {
    return Providers.chosen().name();
  }

  /**
   * Whether the SIMD (Vector API) kernels are in use (not their twin alone, {@link
   * #TWIN_PROPERTY}).
   */
  public static boolean isVectorized() {
    KernelProvider chosen = Providers.chosen();
    return chosen != null && chosen == Providers.vector();
  }

  /**
   * Whether {@link #gemm} runs a product of one column against an A stored column by column ({@code
   * aRs = 1}) in the SIMD lanes, with the bits of A stored row by row: then a caller holding a
   * symmetric A (W) does best to pass it that way. False for the plain-Java kernels, whose tiles do
   * not fuse their multiply-adds (there the rows' own chains run). So it also says whether the
   * kernels' products chain fused multiply-adds ({@code acc = fma(a, b, acc)}), which code that
   * reproduces a product's bits without the kernels must know (the range of low-rank weights
   * counted from bits).
   */
  public static boolean oneColumnByLanes() {
    return Providers.chosen().fusedTiles();
  }

  /**
   * The most threads one kernel call uses (default: {@code engram.threads}, else all processors).
   */
  public static int parallelism() {
    return Parallel.parallelism();
  }

  /**
   * Bounds the threads one kernel call uses (1 = single-threaded), for callers that parallelise
   * themselves.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static void setParallelism(int threads) {
    Parallel.setParallelism(threads);
  }

  /**
   * True on one of the kernels' own helper threads (a training listener may be called there: see
   * {@link io.engram.weights.TrainingListener}), false on every other thread.
   */
  public static boolean onKernelThread() {
    return Parallel.onPoolThread();
  }

  /**
   * Runs {@code body} with every kernel call it makes on this thread single-threaded, for callers
   * that are parallel themselves but not in a fork/join pool (a Spark task, an executor service's
   * worker). Other threads are not affected; nesting is allowed.
   */
  public static <T> T sequentially(java.util.function.Supplier<T> body) {
    return Parallel.sequentially(body);
  }

  /**
   * Runs {@code body} for {@code 0..items-1} over up to {@link #parallelism()} threads (the calling
   * thread included), when the total work (about {@code items * workPerItem} multiply-adds) makes
   * it worthwhile and the caller is not already in a fork/join pool; otherwise sequentially.
   * Returns when all items are done; the first exception thrown by {@code body} is rethrown.
   */
  public static void forEach(int items, long workPerItem, java.util.function.IntConsumer body) {
    Parallel.forEach(
        items, Parallel.threads(items * workPerItem, items), (i, scratch) -> body.accept(i));
  }

  /** {@code Σ_{j<n} a[aOff+j] b[bOff+j]}, float32 (summation order implementation-defined). */
  public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    Bounds.checkRange("a", a, aOff, n);
    Bounds.checkRange("b", b, bOff, n);
    return Providers.forCall().dot(a, aOff, b, bOff, n);
  }

  /**
   * {@code y[i] = Σ_j A[i][j] x[j]} for an m x n row-major A (leading dimension n); rows split over
   * threads for large products.
   */
  public static void gemv(int m, int n, float[] a, float[] x, float[] y) {
    gemv(Providers.forCall(), m, n, a, x, y);
  }

  static void gemv(KernelProvider kp, int m, int n, float[] a, float[] x, float[] y) {
    Bounds.checkRange("A", a, 0, (long) m * n);
    Bounds.checkRange("x", x, 0, n);
    Bounds.checkRange("y", y, 0, m);
    if (y == x || y == a) {
      throw new IllegalArgumentException("y must not alias A or x");
    }
    final int rowsPerItem = 64;
    int items = (m + rowsPerItem - 1) / rowsPerItem;
    Parallel.forEach(
        items,
        Parallel.threads((long) m * n, items),
        (item, scratch) -> {
          int end = Math.min(m, (item + 1) * rowsPerItem);
          for (int i = item * rowsPerItem; i < end; i++) {
            y[i] = kp.dot(a, i * n, x, 0, n);
          }
        });
  }

  /**
   * Matrix product {@code C = A B} (or {@code C += A B} when {@code accumulate}), float32: A is m x
   * k with {@code A(i,q) = a[aOff + i*aRs + q*aCs]} (row-major: {@code aRs = lda, aCs = 1};
   * transposed in place: {@code aRs = 1, aCs = lda}), B is k x n row-major with leading dimension
   * {@code ldb}, C is m x n row-major with leading dimension {@code ldc}. Cache-blocked over k,
   * register-tiled 8 x 32, rows of C split over threads ({@link Gemm}).
   *
   * @throws IllegalArgumentException on negative sizes, ranges outside the arrays, or C aliasing A
   *     or B
   */
  public static void gemm(
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    Gemm.gemm(
        Providers.forCall(), m, n, k, a, aOff, aRs, aCs, b, bOff, ldb, c, cOff, ldc, accumulate);
  }

  /**
   * Rows of a matrix held elsewhere than in one array (a model file), for {@link #gemmRows}: copies
   * {@code A[row0 .. row0+rows)[col0 .. col0+cols)} into {@code dst}, row-major with rows {@code
   * cols} apart. Called from several threads at once.
   */
  @FunctionalInterface
  public interface RowSource {
    void copy(int row0, int rows, int col0, int cols, float[] dst);
  }

  /**
   * {@code C = A B} as {@link #gemm} with {@code aRs = k, aCs = 1}, for an A whose rows come from a
   * {@link RowSource}, a small block at a time: the same bits as {@link #gemm} on an array holding
   * A.
   *
   * @throws IllegalArgumentException on negative sizes, k below 1, ranges outside the arrays, or C
   *     aliasing B
   */
  public static void gemmRows(
      int m,
      int n,
      int k,
      RowSource a,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc) {
    Gemm.gemmRows(Providers.forCall(), m, n, k, a, b, bOff, ldb, c, cOff, ldc);
  }

  /**
   * The symmetric rank-k update, in place on a dense n x n row-major W: for every {@code i <= j},
   * {@code acc = Σ_q (T[q][i] - shift)(T[q][j] - shift)} (float32, q increasing, the subtraction
   * done while T is packed: no centred copy), {@code u = acc / divisor} (skipped when {@code
   * divisor == 1}), negated when {@code negate}, then {@code W[i][j] += u} and, for {@code i != j},
   * {@code W[j][i] += u}. Only the upper triangle is computed (half the work of {@code TᵀT}); rows
   * are split over threads ({@link Syrk}).
   *
   * <p>When {@code wIsZero} (every entry of W is {@code +0.0f} on entry), W is only written ({@code
   * W = 0 + u}, the same bits as the addition), never read.
   *
   * @param t p x n row-major patterns (not modified)
   * @param shift subtracted from every value of T (0 for none); finite
   * @param listener told the progress in multiply-adds (null: none); one that throws is dropped and
   *     the update completes
   * @throws IllegalArgumentException on bad sizes, short arrays, W aliasing T or a non-finite
   *     shift; W is then unchanged
   */
  public static void syrkAdd(
      int n,
      int p,
      float[] t,
      float shift,
      float[] w,
      float divisor,
      boolean negate,
      boolean wIsZero,
      WorkListener listener) {
    Syrk.syrkAdd(Providers.forCall(), n, p, t, shift, w, divisor, negate, wIsZero, listener);
  }

  /**
   * The patterns of a {@link #syrkAdd} packed once for the kernels, so that the update can be
   * computed later: added to a W ({@link #addTo}, the bits of {@link #syrkAdd}), or a block of rows
   * at a time without any W ({@link #rows}, the bits it writes over an all-zero W). Holds {@code P
   * x ceil(N/32)*32} floats. Immutable; thread-safe.
   */
  public static final class PackedGram {
    private final int n;
    private final int p;
    private final float[] tp;
    private final float divisor;
    private final boolean negate;

    private PackedGram(int n, int p, float[] tp, float divisor, boolean negate) {
      this.n = n;
      this.p = p;
      this.tp = tp;
      this.divisor = divisor;
      this.negate = negate;
    }

    /** N, the size of the update. */
    public int size() {
      return n;
    }

    /** The floats this object holds. */
    public long packedFloats() {
      return tp.length;
    }

    /**
     * {@link #syrkAdd} of these patterns into W: the same bits.
     *
     * @throws IllegalArgumentException if W is short
     */
    public void addTo(float[] w, boolean wIsZero, WorkListener listener) {
      Syrk.addPacked(Providers.forCall(), n, p, tp, w, divisor, negate, wIsZero, listener);
    }

    /**
     * Rows {@code row0 .. row0+count-1} of the update, all N columns, into {@code dst} row-major
     * from index 0: each value the bits {@link #syrkAdd} writes there over an all-zero W. Computes
     * whole rows (twice the multiply-adds of the symmetric update, spread over them).
     *
     * @throws IllegalArgumentException if the rows are outside the matrix or {@code dst} is short
     */
    public void rows(int row0, int count, float[] dst) {
      Syrk.rows(Providers.forCall(), n, p, tp, divisor, negate, row0, count, dst);
    }
  }

  /**
   * Packs the patterns of {@link #syrkAdd}{@code (n, p, t, shift, W, divisor, negate, ...)} for a
   * later update ({@link PackedGram}); T is not referenced afterwards.
   *
   * @throws IllegalArgumentException on bad sizes, a short T or a non-finite shift
   */
  public static PackedGram packGram(
      int n, int p, float[] t, float shift, float divisor, boolean negate) {
    Syrk.checkPatterns(n, p, t, shift);
    return new PackedGram(n, p, Syrk.pack(n, p, t, shift), divisor, negate);
  }

  /**
   * One pattern of the Storkey learning rule (Storkey 1997; Storkey &amp; Valabregue 1999), in
   * place on a dense symmetric n x n row-major W. With {@code h = W x} (given, computed with W
   * before the update), for {@code i != j}:
   *
   * <pre>
   *   h_ij  = h_i - w_ii x_i - w_ij x_j                  (= Σ_{k≠i,j} w_ik x_k)
   *   w_ij += (x_i x_j - x_i h_ji - h_ij x_j) / N
   *         = w_ij (x_i² + x_j²)/N + (x_i x_j + u_i x_j + x_i u_j)/N,   u_i = x_i w_ii - h_i
   * </pre>
   *
   * and on the diagonal {@code w_ii += (x_i² - 2 x_i (h_i - w_ii x_i))/N}, or {@code w_ii = 0} when
   * {@code zeroDiagonal}. The second form (which needs {@code w_ji = w_ij}) is what runs, as {@code
   * (v + v (r_i + r_j)) + (x_i x_j + (u_i x_j + x_i u_j)) · (1/N)} with {@code r = x²/N} in float32
   * without fused multiply-adds: the result is exactly symmetric and bit-for-bit the same on the
   * SIMD and the plain-Java kernels. For a W that is not symmetric, {@code w_ij} stands in for
   * {@code w_ji}.
   *
   * <p>When {@code xNext} is given, {@code hNext = W' xNext} is computed in the same pass (the
   * {@code h} of the next pattern, each entry the same dot product as {@link #gemv}), so that a
   * sequence of patterns reads and writes W once per pattern. Rows are split over threads.
   *
   * @param w the weights, updated in place
   * @param x the pattern (not modified)
   * @param h {@code W x} before the update (not modified)
   * @param xNext the next pattern, or null (not modified)
   * @param hNext output {@code W' xNext}, or null (with {@code xNext})
   * @throws IllegalArgumentException on short or aliased arrays; W is then unchanged
   */
  public static void storkeyUpdate(
      int n, float[] w, float[] x, float[] h, boolean zeroDiagonal, float[] xNext, float[] hNext) {
    Storkey.update(Providers.forCall(), n, w, x, h, zeroDiagonal, xNext, hNext);
  }

  /**
   * P patterns of the Storkey rule, one after the other, in place on a dense symmetric n x n W:
   * {@code h = W x_0} once, then {@link #storkeyUpdate} per pattern, each pass also computing the
   * next pattern's field. Bit-for-bit the same as calling {@link #gemv} and {@link #storkeyUpdate}
   * pattern by pattern, so splitting the patterns over several calls changes nothing.
   *
   * @param x p x n row-major patterns (not modified)
   * @param listener told the progress in multiply-adds, n² per pattern (null: none); one that
   *     throws is dropped and the update completes
   * @throws IllegalArgumentException on bad sizes, short arrays or W aliasing X; W is then
   *     unchanged
   */
  public static void storkey(
      int n, float[] w, float[] x, int p, boolean zeroDiagonal, WorkListener listener) {
    Storkey.sequence(Providers.forCall(), n, w, x, p, zeroDiagonal, listener);
  }

  /**
   * {@code out = Aᵀ}: {@code out[j*rows + i] = a[i*cols + j]} for a rows x cols row-major A, values
   * copied exactly, in cache-sized tiles over threads ({@link Transpose}).
   *
   * @param a rows x cols row-major (not modified)
   * @param out cols x rows row-major, overwritten
   * @throws IllegalArgumentException on negative sizes, short arrays or out aliasing A
   */
  public static void transpose(float[] a, int rows, int cols, float[] out) {
    Transpose.transpose(a, rows, cols, out);
  }

  /**
   * Whether a retrieval call ({@link #softmaxRetrieval}, {@link #separationRetrieval}) over this
   * many stored patterns balances a large batch over the threads by itself to the end: true when
   * the patterns span several chunks, which a thread with no group of queries left can take from
   * another's group. A caller with many queries then does best to hand them over in one call.
   */
  public static boolean retrievalBalancesBatches(int patterns) {
    return patterns > Attention.CHUNK;
  }

  /**
   * Softmax retrieval (the attention of one modern Hopfield step, Ramsauer et al. 2020) for b
   * queries against p stored patterns, without forming the b x p score matrix: for each query
   * {@code ξ} (row of Q), scores {@code s = X ξ}, weights {@code w = softmax(β s)} (with the
   * maximum subtracted, streamed over blocks of patterns), and
   *
   * <ul>
   *   <li>{@code out[ξ] = Xᵀ w} (skipped when {@code out} is null);
   *   <li>{@code lse[ξ] = ln Σ_μ e^(β s_μ)} (float64);
   *   <li>the {@code k} largest scores, best first ({@code topIndex}, {@code topScore}, b x k row
   *       major; ties: the smaller index first); the weight of one is {@code e^(β s - lse)}.
   * </ul>
   *
   * <p>Scores are float32 fused multiply-add chains over each pattern; the weights use {@code Exp}
   * (about 2 ulp; weights below {@code 2^-126} of the largest are 0); memory beyond X and the
   * outputs is one block of scores per thread (see {@link Attention}). A query's result does not
   * depend on the other queries or the threads. Inputs are not modified.
   *
   * @param q b x n row-major queries
   * @param x p x n row-major stored patterns
   * @param beta the inverse temperature β, finite and > 0
   * @param out b x n, overwritten; or null
   * @param lse b values, overwritten
   * @param k how many best matches per query, 0..p
   * @throws IllegalArgumentException on bad sizes, short or aliased arrays, β not finite and > 0,
   *     or a score (or β times a score) that is not a finite float (overflow; the outputs are then
   *     unspecified)
   */
  public static void softmaxRetrieval(
      int b,
      int p,
      int n,
      float[] q,
      float[] x,
      float beta,
      float[] out,
      double[] lse,
      int k,
      int[] topIndex,
      float[] topScore) {
    softmaxRetrieval(b, p, n, q, x, null, beta, out, lse, k, topIndex, topScore);
  }

  /**
   * {@link #softmaxRetrieval(int, int, int, float[], float[], float, float[], double[], int, int[],
   * float[])} with X's transposed copy at hand: a single query's scores then run in the SIMD lanes
   * over the copy's rows (the same bits; several queries, or {@code xT} null, read X alone).
   *
   * @param xT n x p row-major, X transposed (not modified; not checked against X: a copy that is
   *     not X's gives unspecified results), or null
   */
  public static void softmaxRetrieval(
      int b,
      int p,
      int n,
      float[] q,
      float[] x,
      float[] xT,
      float beta,
      float[] out,
      double[] lse,
      int k,
      int[] topIndex,
      float[] topScore) {
    softmaxRetrieval(b, p, n, q, x, xT, null, beta, out, lse, k, topIndex, topScore);
  }

  /**
   * {@link #softmaxRetrieval(int, int, int, float[], float[], float[], float, float[], double[],
   * int, int[], float[])} with X's values packed as bits when they are all ±1: a group of queries
   * that are ±1 too then counts its scores instead of multiplying them out (the same bits).
   *
   * @param xb {@link BinaryRows#of} this X (at least its first p rows), or null
   * @throws IllegalArgumentException as there, or if {@code xb} was made from another X
   */
  public static void softmaxRetrieval(
      int b,
      int p,
      int n,
      float[] q,
      float[] x,
      float[] xT,
      BinaryRows xb,
      float beta,
      float[] out,
      double[] lse,
      int k,
      int[] topIndex,
      float[] topScore) {
    if (!(beta > 0) || !Float.isFinite(beta)) {
      throw new IllegalArgumentException("beta must be finite and > 0, got " + beta);
    }
    checkRetrieval(b, p, n, q, x, out, lse, k, topIndex, topScore);
    checkBits(xb, x, p, n);
    if (xT != null) {
      Bounds.checkRange("xT", xT, 0, (long) p * n);
      if (xT == out) {
        throw new IllegalArgumentException("out must not alias xT");
      }
    }
    Attention.run(
        new Attention.Call(
            Providers.forCall(),
            b,
            p,
            n,
            q,
            x,
            Attention.Weighting.softmax(beta),
            out,
            null,
            lse,
            null,
            k,
            topIndex,
            topScore,
            xT,
            xb));
  }

  private static void checkBits(BinaryRows xb, float[] x, int p, int n) {
    if (xb != null && !xb.fits(x, p, n)) {
      throw new IllegalArgumentException("the packed bits are not those of this X");
    }
  }

  /**
   * Whether {@link #softmaxRetrievalRows} takes its own path for this many stored patterns of this
   * length: fewer patterns than a register tile's rows (the scores are dot products), each of at
   * least 32 values. There it reads each query and stored row once for the scores and writes each
   * output once; otherwise it copies the queries into one array, runs {@link #softmaxRetrieval} and
   * copies the outputs out (for shorter patterns, the one-array call's kernels over up to 256
   * queries at a time cost less than its copies: measured 0.92-0.97x for N = 8 and 16 with
   * thousands of queries, 1.05x and more from N = 32). Both give the same bits.
   */
  public static boolean retrievalByRows(int patterns, int n) {
    return patterns < KernelProvider.MR && n >= 32;
  }

  /**
   * {@link #softmaxRetrieval} for queries held as rows of their own, each output written into a row
   * of its own: the same results, bit for bit.
   *
   * @param q b queries, each at least n long (only the first n values are read)
   * @param out b rows of their own, each at least n long (the first n values overwritten), none of
   *     them a query, X or another output row (checked: X, the row's own query and the row before
   *     it; the others are the caller's to keep apart, as the results are unspecified otherwise);
   *     or null
   * @throws IllegalArgumentException as {@link #softmaxRetrieval}, or for a null or short row, or
   *     an output row that is X, its own query or the output row before it
   */
  public static void softmaxRetrievalRows(
      int b,
      int p,
      int n,
      float[][] q,
      float[] x,
      float beta,
      float[][] out,
      double[] lse,
      int k,
      int[] topIndex,
      float[] topScore) {
    if (!(beta > 0) || !Float.isFinite(beta)) {
      throw new IllegalArgumentException("beta must be finite and > 0, got " + beta);
    }
    if (q == null || q.length < b || (out != null && out.length < b)) {
      throw new IllegalArgumentException("the queries and outputs need " + b + " rows each");
    }
    for (int i = 0; i < b; i++) {
      if (q[i] == null || q[i].length < n) {
        throw new IllegalArgumentException("query " + i + " needs " + n + " values");
      }
      if (out != null) {
        if (out[i] == null || out[i].length < n) {
          throw new IllegalArgumentException("output row " + i + " needs " + n + " values");
        }
        if (out[i] == x || out[i] == q[i] || (i > 0 && out[i] == out[i - 1])) {
          throw new IllegalArgumentException(
              "output row " + i + " is X, its own query or the output row before it");
        }
      }
    }
    checkRetrieval(b, p, n, ROWS, x, null, lse, k, topIndex, topScore);
    if (retrievalByRows(p, n)) {
      Attention.smallRows(
          Providers.forCall(), b, p, n, q, x, beta, out, lse, k, topIndex, topScore);
      return;
    }
    float[] flat = new float[Math.multiplyExact(b, n)];
    for (int i = 0; i < b; i++) {
      System.arraycopy(q[i], 0, flat, i * n, n);
    }
    float[] o = out != null ? new float[flat.length] : null;
    softmaxRetrieval(b, p, n, flat, x, beta, o, lse, k, topIndex, topScore);
    if (out != null) {
      for (int i = 0; i < b; i++) {
        System.arraycopy(o, i * n, out[i], 0, n);
      }
    }
  }

  /**
   * The separation-function retrieval of dense associative memory (Krotov and Hopfield 2016) for ±1
   * patterns and ±1 queries, in the form of two matrix products: with overlaps {@code s_μ = x^μ·ξ}
   * and {@code G(a) = F(a+1) - F(a-1)}, the binary update {@code ξ_i <- sgn Σ_μ [F(x^μ_i + Σ_{j≠i}
   * x^μ_j ξ_j) - F(-x^μ_i + Σ_{j≠i} x^μ_j ξ_j)]} has the field {@code Σ_μ x^μ_i c_μ + ξ_i Σ_μ d_μ}
   * with {@code c_μ = (G(s_μ-1) + G(s_μ+1))/2 = (F(s_μ+2) - F(s_μ-2))/2} and {@code d_μ = (G(s_μ-1)
   * - G(s_μ+1))/2} (exact for ±1 values). F is {@code vⁿ}, or {@code max(v, 0)ⁿ} when {@code
   * rectified}. The weights and the second product are float64, so that for ±1 data every value is
   * an exact integer while it stays below 2^53 (a zero field is then exactly zero). Outputs per
   * query:
   *
   * <ul>
   *   <li>{@code out[ξ] = Σ_μ c_μ x^μ} (float64; skipped when null);
   *   <li>{@code diagonal[ξ] = Σ_μ d_μ} (float64), so the field is {@code out + ξ diagonal};
   *   <li>{@code energy[ξ] = -Σ_μ F(s_μ)} (float64);
   *   <li>the {@code k} largest overlaps, best first, as {@link #softmaxRetrieval}.
   * </ul>
   *
   * @param degree n >= 1
   * @throws IllegalArgumentException on bad sizes, short or aliased arrays, or an overlap that is
   *     not a finite float
   */
  public static void separationRetrieval(
      int b,
      int p,
      int n,
      float[] q,
      float[] x,
      int degree,
      boolean rectified,
      double[] out,
      double[] diagonal,
      double[] energy,
      int k,
      int[] topIndex,
      float[] topScore) {
    separationRetrieval(
        b, p, n, q, x, null, degree, rectified, out, diagonal, energy, k, topIndex, topScore);
  }

  /**
   * {@link #separationRetrieval(int, int, int, float[], float[], int, boolean, double[], double[],
   * double[], int, int[], float[])} with X's packed bits ({@link BinaryRows#of}; or null): the
   * overlaps of ±1 queries counted, not multiplied out (the same bits).
   */
  public static void separationRetrieval(
      int b,
      int p,
      int n,
      float[] q,
      float[] x,
      BinaryRows xb,
      int degree,
      boolean rectified,
      double[] out,
      double[] diagonal,
      double[] energy,
      int k,
      int[] topIndex,
      float[] topScore) {
    checkBits(xb, x, p, n);
    if (degree < 1) {
      throw new IllegalArgumentException("degree must be >= 1, got " + degree);
    }
    checkRetrieval(b, p, n, q, x, null, diagonal, k, topIndex, topScore);
    if (out != null && (out.length < (long) b * n || out == diagonal || out == energy)) {
      throw new IllegalArgumentException("out needs " + (long) b * n + " values of its own");
    }
    if (energy == null || energy.length < b || energy == diagonal) {
      throw new IllegalArgumentException("energy needs " + b + " values of its own");
    }
    Attention.run(
        new Attention.Call(
            Providers.forCall(),
            b,
            p,
            n,
            q,
            x,
            Attention.Weighting.separation(degree, rectified),
            null,
            out,
            diagonal,
            energy,
            k,
            topIndex,
            topScore,
            null,
            xb));
  }

  /** Stands for queries held as rows in {@link #checkRetrieval} (which the caller checks). */
  private static final float[] ROWS = new float[0];

  private static void checkRetrieval(
      int b,
      int p,
      int n,
      float[] q,
      float[] x,
      float[] out,
      double[] stat,
      int k,
      int[] topIndex,
      float[] topScore) {
    if (b < 0 || p < 1 || n < 1) {
      throw new IllegalArgumentException(
          "need b >= 0 queries, p >= 1 patterns, n >= 1 values; got b="
              + b
              + " p="
              + p
              + " n="
              + n);
    }
    if (q != ROWS) { // queries held as rows: checked by the caller
      Bounds.checkRange("Q", q, 0, (long) b * n);
    }
    Bounds.checkRange("X", x, 0, (long) p * n);
    if (out != null) {
      Bounds.checkRange("out", out, 0, (long) b * n);
      if (out == q || out == x) {
        throw new IllegalArgumentException("out must not alias Q or X");
      }
    }
    if (stat == null || stat.length < b) {
      throw new IllegalArgumentException("the per-query statistics need " + b + " values");
    }
    if (k < 0 || k > p) {
      throw new IllegalArgumentException("k must be in 0.." + p + ", got " + k);
    }
    if (k > 0) {
      long need = (long) b * k;
      if (topIndex == null
          || topIndex.length < need
          || topScore == null
          || topScore.length < need) {
        throw new IllegalArgumentException("top-k outputs need " + need + " values each");
      }
    }
  }
}
