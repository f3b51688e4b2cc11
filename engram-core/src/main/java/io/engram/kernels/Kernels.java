package io.engram.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * The numerical kernels of Engram, one facade: dimension checks here, the arithmetic in a {@link
 * KernelProvider} chosen once at class load.
 *
 * <p>Choice: the system property {@code engram.vectorization} = {@code auto} (default: the Vector
 * API when the {@code jdk.incubator.vector} module is present, else plain Java, with one log line
 * naming {@code --add-modules jdk.incubator.vector}), {@code panama} (the Vector API or fail) or
 * {@code scalar} (plain Java).
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
  public static final String VECTORIZATION_PROPERTY = "engram.vectorization";

  /** The system property that bounds the number of threads the kernels use. */
  public static final String THREADS_PROPERTY = "engram.threads";

  private static final int MR = KernelProvider.MR;
  private static final int NR = KernelProvider.NR;

  /**
   * Columns of A (rows of B) per k-block of a product: a packed k-block of B (256 KiB for 64
   * columns) stays in L2, an 8-row block of A (32 KiB) in L1. 1024 measured 8% faster than 512 on
   * W·S, N = 4096, 64 columns; 2048 no faster.
   */
  private static final int KC = 1024;

  private static volatile int parallelism = defaultParallelism();

  private Kernels() {}

  /** Lazily chosen provider (holder idiom: chosen once, on first use). */
  private static final class Holder {
    static final KernelProvider VECTOR = loadVector();
    static final KernelProvider PROVIDER = choose();

    private static KernelProvider loadVector() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return null;
      }
      try {
        Class<?> c = Class.forName("io.engram.kernels.PanamaKernels");
        return (KernelProvider) c.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return null;
      }
    }

    private static KernelProvider choose() {
      String mode =
          System.getProperty(VECTORIZATION_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
      switch (mode) {
        case "scalar":
          return ScalarKernels.INSTANCE;
        case "panama":
          if (VECTOR == null) {
            throw new IllegalStateException(
                VECTORIZATION_PROPERTY
                    + "=panama but the Vector API is not available: run java with --add-modules"
                    + " jdk.incubator.vector");
          }
          return VECTOR;
        case "auto":
          if (VECTOR == null) {
            System.getLogger(Kernels.class.getName())
                .log(
                    Level.INFO,
                    "Engram uses plain-Java kernels; for SIMD add --add-modules"
                        + " jdk.incubator.vector to the java command line");
            return ScalarKernels.INSTANCE;
          }
          return VECTOR;
        default:
          throw new IllegalStateException(
              VECTORIZATION_PROPERTY + " is '" + mode + "', expected auto, panama or scalar");
      }
    }
  }

  private static int defaultParallelism() {
    int cpus = Runtime.getRuntime().availableProcessors();
    Integer p = Integer.getInteger(THREADS_PROPERTY);
    return p == null || p < 1 ? cpus : p;
  }

  /** The kernels in use, e.g. {@code panama-512} or {@code scalar}. */
  public static String implementation() {
    return Holder.PROVIDER.name();
  }

  /** Whether the SIMD (Vector API) kernels are in use. */
  public static boolean isVectorized() {
    return Holder.PROVIDER != ScalarKernels.INSTANCE;
  }

  /**
   * The most threads one kernel call uses (default: {@code engram.threads}, else all processors).
   */
  public static int parallelism() {
    return parallelism;
  }

  /**
   * Bounds the threads one kernel call uses (1 = single-threaded), for callers that parallelise
   * themselves.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static void setParallelism(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + threads);
    }
    parallelism = threads;
  }

  private static final ThreadLocal<int[]> SEQUENTIAL_DEPTH =
      ThreadLocal.withInitial(() -> new int[1]);

  /**
   * Runs {@code body} with every kernel call it makes on this thread single-threaded, for callers
   * that are parallel themselves but not in a fork/join pool (a Spark task, an executor service's
   * worker). Other threads are not affected; nesting is allowed.
   */
  public static <T> T sequentially(java.util.function.Supplier<T> body) {
    int[] depth = SEQUENTIAL_DEPTH.get();
    depth[0]++;
    try {
      return body.get();
    } finally {
      depth[0]--;
    }
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

  private static final ThreadLocal<WorkListener> WORK_LISTENER = new ThreadLocal<>();

  /**
   * Runs {@code body} with the long kernel passes it starts on this thread (today the dense
   * training update, {@link #syrkAdd}) reporting their progress to {@code listener}. A listener
   * that throws is dropped for the rest of the pass (the pass completes; one WARNING is logged), so
   * the weights are never left half-updated. Nesting replaces the listener for the inner body.
   */
  public static <T> T reportingWork(WorkListener listener, java.util.function.Supplier<T> body) {
    WorkListener before = WORK_LISTENER.get();
    WORK_LISTENER.set(listener);
    try {
      return body.get();
    } finally {
      if (before == null) {
        WORK_LISTENER.remove();
      } else {
        WORK_LISTENER.set(before);
      }
    }
  }

  /** Adds up finished work items of one pass and reports them, one call at a time. */
  private static final class WorkReport {
    private final WorkListener listener;
    private final long total;
    private long done;
    private boolean dropped;

    private WorkReport(WorkListener listener, long total) {
      this.listener = listener;
      this.total = total;
    }

    /** A report for the calling thread's listener, or null when there is none. */
    static WorkReport forPass(long total) {
      WorkListener l = WORK_LISTENER.get();
      return l == null ? null : new WorkReport(l, total);
    }

    synchronized void add(long work) {
      done = Math.min(total, done + work);
      if (dropped) {
        return;
      }
      try {
        listener.onWork(done, total);
      } catch (RuntimeException | Error e) {
        dropped = true;
        System.getLogger(Kernels.class.getName())
            .log(Level.WARNING, "progress listener failed; the kernel pass goes on without it", e);
      }
    }
  }

  /** Whether this thread is inside {@link #sequentially}. */
  static boolean inSequentialSection() {
    return SEQUENTIAL_DEPTH.get()[0] > 0;
  }

  static KernelProvider provider() {
    return Holder.PROVIDER;
  }

  static KernelProvider scalar() {
    return ScalarKernels.INSTANCE;
  }

  /** The Vector API kernels, or null when the module is absent. */
  static KernelProvider vector() {
    return Holder.VECTOR;
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
    checkRange("a", a, aOff, n);
    checkRange("b", b, bOff, n);
    return Holder.PROVIDER.dot(a, aOff, b, bOff, n);
  }

  /**
   * {@code y[i] = Σ_j A[i][j] x[j]} for an m x n row-major A (leading dimension n); rows split over
   * threads for large products.
   */
  public static void gemv(int m, int n, float[] a, float[] x, float[] y) {
    gemv(Holder.PROVIDER, m, n, a, x, y);
  }

  static void gemv(KernelProvider kp, int m, int n, float[] a, float[] x, float[] y) {
    checkRange("A", a, 0, (long) m * n);
    checkRange("x", x, 0, n);
    checkRange("y", y, 0, m);
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
   * register-tiled 8 x 32, rows of C split over threads.
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
    gemm(Holder.PROVIDER, m, n, k, a, aOff, aRs, aCs, b, bOff, ldb, c, cOff, ldc, accumulate);
  }

  static void gemm(
      KernelProvider kp,
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
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("negative size m=" + m + " n=" + n + " k=" + k);
    }
    if (m == 0 || n == 0) {
      return;
    }
    if (c == a || c == b) {
      throw new IllegalArgumentException("C must not alias A or B");
    }
    checkStrided("A", a, aOff, m, aRs, k, aCs);
    checkStrided("B", b, bOff, k, ldb, n, 1);
    checkStrided("C", c, cOff, m, ldc, n, 1);
    if (n <= (kp == ScalarKernels.INSTANCE ? SMALL_N_SCALAR : SMALL_N) && aCs == 1 && k >= 64) {
      gemmByDots(kp, m, n, k, a, aOff, aRs, b, bOff, ldb, c, cOff, ldc, accumulate);
      return;
    }
    // B packed into column panels of width w (NR, or NR/2 for narrow products), one chunk of
    // rows of B (a multiple of KC, at most PACK_FLOATS floats) at a time:
    // bp[(jt*kch + q)*w + x] = B(k1 + q, jt*w + x). The SIMD tiles then run full width, without
    // masks, on contiguous rows of B (the scalar ones compute only the nr real columns).
    final int w = n <= NR / 2 ? NR / 2 : NR;
    final int jtiles = (n + w - 1) / w;
    final int chunk = Math.max(KC, PACK_FLOATS / (jtiles * w) / KC * KC);
    final float[] bp = new float[Math.max(1, jtiles * w * Math.min(k, chunk))];
    int panels = (m + MR - 1) / MR;
    for (int k1 = 0; k1 < k || k1 == 0; k1 += chunk) {
      final int kch = Math.min(chunk, k - k1);
      final int kFirst = k1;
      packColumns(b, bOff + k1 * ldb, ldb, kch, n, w, bp);
      // k-blocks outside the panels of a group: a k-block of packed B (KC x n) stays in L2
      // while the group's panels stream past it (panels outside would stream all of B per panel)
      int groups = (panels + GROUP - 1) / GROUP;
      Parallel.forEach(
          groups,
          Parallel.threads((long) m * n * kch, groups),
          (group, t) -> {
            int pEnd = Math.min(panels, (group + 1) * GROUP);
            for (int k0 = 0; k0 < kch || k0 == 0; k0 += KC) {
              int kc = Math.min(KC, kch - k0);
              boolean add = accumulate || kFirst + k0 > 0;
              for (int panel = group * GROUP; panel < pEnd; panel++) {
                int i0 = panel * MR;
                int mr = Math.min(MR, m - i0);
                int ao = aOff + i0 * aRs + (kFirst + k0) * aCs;
                for (int jt = 0; jt < jtiles; jt++) {
                  int j0 = jt * w;
                  int nr = Math.min(w, n - j0);
                  kp.tile(mr, nr, kc, a, ao, aRs, aCs, bp, (jt * kch + k0) * w, w, t);
                  store(kp, t, mr, nr, c, cOff + i0 * ldc + j0, ldc, add);
                }
              }
            }
          });
    }
  }

  /** Panels of A per work item of {@link #gemm}: 256 rows. */
  private static final int GROUP = 32;

  /**
   * Packs the {@code rows x cols} matrix {@code src[off + q*ld + x]} into panels of {@code width}
   * columns: {@code dst[(jt*rows + q)*width + x] = src[off + q*ld + jt*width + x]}. The padding of
   * the last panel is not written (zero in a fresh array, stale in a reused one): the columns it
   * feeds are never stored.
   */
  private static void packColumns(
      float[] src, int off, int ld, int rows, int cols, int width, float[] dst) {
    packColumns(src, off, ld, rows, 0, rows, cols, width, 0f, dst);
  }

  /** {@link #packColumns}, rows {@code q0 <= q < q1} only, each value minus {@code shift}. */
  private static void packColumns(
      float[] src,
      int off,
      int ld,
      int rows,
      int q0,
      int q1,
      int cols,
      int width,
      float shift,
      float[] dst) {
    int panels = (cols + width - 1) / width;
    for (int q = q0; q < q1; q++) {
      for (int jt = 0; jt < panels; jt++) {
        int j0 = jt * width;
        int from = off + q * ld + j0;
        int to = (jt * rows + q) * width;
        int len = Math.min(width, cols - j0);
        if (shift == 0f) {
          System.arraycopy(src, from, dst, to, len);
        } else {
          for (int c = 0; c < len; c++) {
            dst[to + c] = src[from + c] - shift;
          }
        }
      }
    }
  }

  /** Floats of B packed at a time by {@link #gemm} (4 MiB). */
  private static final int PACK_FLOATS = 1 << 20;

  /** Writes (or, when {@code add}, adds) the {@code mr x nr} corner of a tile to C. */
  private static void store(
      KernelProvider kp, float[] t, int mr, int nr, float[] c, int co, int ldc, boolean add) {
    for (int r = 0; r < mr; r++, co += ldc) {
      if (add) {
        kp.add(t, r * NR, c, co, nr);
      } else {
        System.arraycopy(t, r * NR, c, co, nr);
      }
    }
  }

  /** Up to this many columns of B, a product runs as dot products along rows of A. */
  private static final int SMALL_N = 4;

  /** The same for the scalar kernels, whose tiles gain less over dot products (measured: 8). */
  private static final int SMALL_N_SCALAR = 8;

  /**
   * A product with few columns (a few live queries): memory-bound, so each row of A is read once
   * and dotted with every column of B (transposed to be contiguous), instead of register tiles that
   * would be mostly masked.
   */
  private static void gemmByDots(
      KernelProvider kp,
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int aRs,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    float[] bt = new float[n * k];
    for (int q = 0; q < k; q++) {
      for (int x = 0; x < n; x++) {
        bt[x * k + q] = b[bOff + q * ldb + x];
      }
    }
    final int rowsPerItem = 16;
    int items = (m + rowsPerItem - 1) / rowsPerItem;
    Parallel.forEach(
        items,
        Parallel.threads((long) m * n * k, items),
        (item, scratch) -> {
          int end = Math.min(m, (item + 1) * rowsPerItem);
          for (int i = item * rowsPerItem; i < end; i++) {
            int co = cOff + i * ldc;
            for (int x = 0; x < n; x++) {
              float v = kp.dot(a, aOff + i * aRs, bt, x * k, k);
              c[co + x] = accumulate ? c[co + x] + v : v;
            }
          }
        });
  }

  /**
   * The symmetric rank-k update of Hebbian learning, in place on a dense n x n row-major W: for
   * every {@code i <= j}, {@code acc = Σ_q T[q][i] T[q][j]} (float32, q increasing), {@code u = acc
   * / divisor} (skipped when {@code divisor == 1}), negated when {@code negate}, then {@code
   * W[i][j] += u} and, for {@code i != j}, {@code W[j][i] += u}. Only the upper triangle is
   * computed (half the work of {@code TᵀT}); rows are split over threads.
   *
   * @param t p x n row-major patterns (not modified)
   */
  public static void syrkAdd(int n, int p, float[] t, float[] w, float divisor, boolean negate) {
    syrkAdd(Holder.PROVIDER, n, p, t, 0f, w, divisor, negate, false);
  }

  /**
   * {@link #syrkAdd(int, int, float[], float[], float, boolean)} of the patterns {@code T[q][i] -
   * shift} (float32, the subtraction done while T is packed: no centred copy), told whether W is
   * all {@code +0.0} on entry. When it is, W is only written ({@code W = 0 + u}, the same bits as
   * the addition), never read: reading 64 MiB of zeros back in short runs cost more than writing
   * them.
   *
   * @param t p x n row-major patterns (not modified)
   * @param shift subtracted from every value of T (0 for none)
   * @param wIsZero true only if every entry of W is {@code +0.0f}
   */
  public static void syrkAdd(
      int n,
      int p,
      float[] t,
      float shift,
      float[] w,
      float divisor,
      boolean negate,
      boolean wIsZero) {
    syrkAdd(Holder.PROVIDER, n, p, t, shift, w, divisor, negate, wIsZero);
  }

  static void syrkAdd(
      KernelProvider kp, int n, int p, float[] t, float[] w, float divisor, boolean negate) {
    syrkAdd(kp, n, p, t, 0f, w, divisor, negate, false);
  }

  static void syrkAdd(
      KernelProvider kp,
      int n,
      int p,
      float[] t,
      float shift,
      float[] w,
      float divisor,
      boolean negate,
      boolean wIsZero) {
    if (n < 1 || p < 0) {
      throw new IllegalArgumentException("bad sizes n=" + n + " p=" + p);
    }
    checkRange("T", t, 0, (long) p * n);
    checkRange("W", w, 0, (long) n * n);
    if (t == w) {
      throw new IllegalArgumentException("W must not alias T");
    }
    if (!Float.isFinite(shift)) {
      throw new IllegalArgumentException("shift is " + shift + ", expected finite");
    }
    // Pack T into column tiles of NR: tp[tile][q][c] = T[q][tile*NR + c] - shift (zero padded).
    // Rows of T
    // are n floats apart, which for n a multiple of 1024 maps all of a tile's rows to one L1 set;
    // packed, both the broadcast operand (8 adjacent columns) and the vector operand are dense.
    int tiles = (n + NR - 1) / NR;
    int tileSize = p * NR;
    float[] tp = new float[tiles * tileSize];
    // in blocks of rows of T over the threads (serial, the copy of T took about 0.08 s at P =
    // 16384 and N = 8192, 3% of the 2-thread update)
    final int packRows = 256;
    int packItems = (p + packRows - 1) / packRows;
    Parallel.forEach(
        packItems,
        Parallel.threads((long) p * n * 4, packItems),
        (it, scratch) ->
            packColumns(
                t, 0, n, p, it * packRows, Math.min(p, (it + 1) * packRows), n, NR, shift, tp));
    // One work item per block of SYRK_ROWS rows (MR-row panels inside), k-blocked over the
    // patterns: for each k-block of SYRK_KC rows of T, for each 32-column tile right of the
    // diagonal, the block's panels run over that k-block of the tile (kept in L1/L2 while they
    // reuse it; the block's own k-block of T stays in L2). The running sums of a tile are carried
    // from one k-block to the next exactly (tile with add continues them from the stored floats),
    // in a per-item buffer of SYRK_ROWS x n floats, so every element is the same chain of products
    // in pattern order as without blocking. Without k-blocking a packed tile of T (P x 32 floats:
    // 2 MiB at P = 16384) fell out of L2 and both threads streamed it from L3/memory.
    //
    // After the last k-block the finished tiles of SYRK_ROWS columns are gathered in two small
    // buffers (the block U and its transpose) and then added to W in runs of SYRK_ROWS contiguous
    // floats per row, U to the block's rows and Uᵀ to the mirrored rows. Adding each 8 x 32 tile
    // to W at once touched 40 rows of W for 256 values, each access a cache miss to memory that
    // the prefetchers could not foresee; that took about 40% of the update at P = 400.
    // u = acc / divisor, negated: one IEEE division by ±divisor (division is sign-symmetric)
    final boolean scale = divisor != 1f || negate;
    final float d = negate ? -divisor : divisor;
    // written over zeros, u must be 0 + u: only a negated +0 (-0) differs
    final boolean plusZero = wIsZero && negate;
    final int kBlocks = Math.max(1, (p + SYRK_KC - 1) / SYRK_KC);
    final int bs = SYRK_ROWS; // rows of a work item, and columns of the blocks added to W
    long work = (long) n * n * p / 2;
    int blocks = (n + bs - 1) / bs;
    // progress in multiply-adds: an item of rows row0..rowEnd covers the triangle right of row0
    final WorkReport report = WorkReport.forPass((long) p * n * (n + 1) / 2);
    Parallel.forEach(
        blocks,
        Parallel.threads(work, blocks),
        (it, tile) -> {
          int row0 = it * bs;
          int rowEnd = Math.min(n, row0 + bs);
          int jt0 = row0 / NR;
          int tilesRight = tiles - jt0;
          // running sums between k-blocks: [panel of the block][column tile][MR x NR]
          float[] sums =
              kBlocks > 1 ? new float[(rowEnd - row0 + MR - 1) / MR * tilesRight * MR * NR] : null;
          Flush flush = new Flush(kp, w, n, row0, rowEnd, wIsZero);
          for (int kb = 0; kb < kBlocks; kb++) {
            int k0 = kb * SYRK_KC;
            int kc = Math.min(SYRK_KC, p - k0);
            boolean last = kb == kBlocks - 1;
            for (int jb = row0; jb < n; jb += bs) {
              int jbEnd = Math.min(n, jb + bs);
              int perTile = 0;
              if (last) {
                int tilesHere = 0;
                for (int j0 = jb; j0 < jbEnd; j0 += NR) {
                  tilesHere += (Math.min(rowEnd, j0 + NR) - row0 + MR - 1) / MR;
                }
                perTile = (flush.left() + tilesHere - 1) / tilesHere;
              }
              for (int j0 = jb; j0 < jbEnd; j0 += NR) {
                int nr = Math.min(NR, n - j0);
                int bo = (j0 / NR) * tileSize + k0 * NR;
                for (int i0 = row0; i0 < rowEnd && i0 < j0 + NR; i0 += MR) {
                  int mr = Math.min(MR, n - i0);
                  // MR divides NR: the panel lies in one packed tile
                  int ao = (i0 / NR) * tileSize + k0 * NR + i0 % NR;
                  int slot = (((i0 - row0) / MR) * tilesRight + j0 / NR - jt0) * MR * NR;
                  if (kb == 0) {
                    kp.tile(mr, nr, kc, tp, ao, 1, NR, tp, bo, NR, tile);
                  } else {
                    System.arraycopy(sums, slot, tile, 0, MR * NR);
                    kp.tile(mr, nr, kc, tp, ao, 1, NR, tp, bo, NR, tile, true);
                  }
                  if (last) {
                    if (scale) {
                      kp.divide(tile, 0, mr * NR, d); // entries outside mr x nr: unused
                    }
                    if (plusZero) {
                      kp.add(ZERO_TILE, 0, tile, 0, MR * NR);
                    }
                    gather(tile, mr, nr, i0 - row0, j0 - jb, flush.up, flush.lo);
                    flush.some(perTile);
                  } else {
                    System.arraycopy(tile, 0, sums, slot, MR * NR);
                  }
                }
              }
              if (last) {
                flush.start(jb, jbEnd);
              }
            }
          }
          flush.some(Integer.MAX_VALUE);
          if (report != null) {
            // Σ over rows i of the block of (n - i) entries, p multiply-adds each
            long entries = (long) (rowEnd - row0) * (2L * n - row0 - rowEnd + 1) / 2;
            report.add(entries * p);
          }
        });
  }

  /**
   * The additions of finished column blocks of {@link #syrkAdd} to W, done a few runs at a time
   * between the tiles of the next block: a run is one row of W (U from the diagonal on, or the
   * mirror Uᵀ left of it), contiguous in W and in the buffer. A whole block added at once waited on
   * memory; spread over the next block's tiles, its misses overlap the arithmetic.
   */
  private static final class Flush {
    /** Floats of one SYRK_ROWS x SYRK_ROWS block buffer (64 KiB). */
    private static final int BLOCK = SYRK_ROWS * SYRK_ROWS;

    private final KernelProvider kp;
    private final float[] w;
    private final int n;
    private final int row0;
    private final int rowEnd;
    private final boolean overwrite;

    /** Being filled: U [row of the block][column of the column block] and Uᵀ. */
    float[] up;

    float[] lo;

    /** Being added to W: the previous column block. */
    private float[] fup;

    private float[] flo;
    private int jb;
    private int jbEnd;
    private int next;
    private int runs;

    Flush(KernelProvider kp, float[] w, int n, int row0, int rowEnd, boolean overwrite) {
      this.kp = kp;
      this.overwrite = overwrite;
      this.w = w;
      this.n = n;
      this.row0 = row0;
      this.rowEnd = rowEnd;
      this.up = new float[BLOCK];
      this.lo = new float[BLOCK];
      this.fup = new float[BLOCK];
      this.flo = new float[BLOCK];
    }

    /** Runs not yet added. */
    int left() {
      return runs - next;
    }

    /** Finishes the previous block, then queues the one just filled (columns jb..jbEnd). */
    void start(int jb, int jbEnd) {
      some(Integer.MAX_VALUE);
      float[] t = fup;
      fup = up;
      up = t;
      t = flo;
      flo = lo;
      lo = t;
      this.jb = jb;
      this.jbEnd = jbEnd;
      this.next = 0;
      this.runs = (rowEnd - row0) + (jbEnd - jb);
    }

    /** Adds up to {@code count} more runs. */
    void some(int count) {
      int rows = rowEnd - row0;
      for (int c = 0; c < count && next < runs; c++, next++) {
        if (next < rows) {
          int i = row0 + next;
          int from = Math.max(i, jb);
          if (from < jbEnd) {
            run(fup, next * SYRK_ROWS + from - jb, i * n + from, jbEnd - from);
          }
        } else {
          int j = jb + next - rows;
          int to = Math.min(rowEnd, j); // columns i < j
          if (to > row0) {
            run(flo, (j - jb) * SYRK_ROWS, j * n + row0, to - row0);
          }
        }
      }
    }

    private void run(float[] src, int off, int wo, int len) {
      if (overwrite) {
        System.arraycopy(src, off, w, wo, len);
      } else {
        kp.add(src, off, w, wo, len);
      }
    }
  }

  /**
   * Copies a finished {@code mr x nr} tile (rows {@code r0..} of the row block, columns {@code
   * c0..} of the column block) into U and, transposed, into Uᵀ.
   */
  private static void gather(float[] tile, int mr, int nr, int r0, int c0, float[] up, float[] lo) {
    for (int r = 0; r < mr; r++) {
      System.arraycopy(tile, r * NR, up, (r0 + r) * SYRK_ROWS + c0, nr);
    }
    if (mr == MR && nr == NR) {
      // the whole tile, unrolled, strides constant (so the JIT drops the bounds checks)
      for (int x = 0, l = c0 * SYRK_ROWS + r0; x < NR; x++, l += SYRK_ROWS) {
        lo[l] = tile[x];
        lo[l + 1] = tile[NR + x];
        lo[l + 2] = tile[2 * NR + x];
        lo[l + 3] = tile[3 * NR + x];
        lo[l + 4] = tile[4 * NR + x];
        lo[l + 5] = tile[5 * NR + x];
        lo[l + 6] = tile[6 * NR + x];
        lo[l + 7] = tile[7 * NR + x];
      }
      return;
    }
    for (int x = 0; x < nr; x++) {
      int lrow = (c0 + x) * SYRK_ROWS + r0;
      for (int r = 0; r < mr; r++) {
        lo[lrow + r] = tile[r * NR + x];
      }
    }
  }

  /**
   * Rows of W per work item of {@link #syrkAdd} (a multiple of NR): each k-block of a column tile
   * of T is reused by 16 panels. At P = 16384, N = 8192, 64 rows measured 10-20% slower, 256 and
   * 192 the same as 128.
   */
  static final int SYRK_ROWS = 128;

  /** Zeros to add to a tile ({@code -0 + 0 = +0}). */
  private static final float[] ZERO_TILE = new float[MR * NR];

  /**
   * Rows of T (patterns) per k-block of {@link #syrkAdd}: a k-block of a column tile is 64 KiB
   * (L1/L2), the block's own 128 x 512 floats 256 KiB (L2). 256 measured 10-15% slower at P =
   * 16384, 768 and 1024 the same.
   */
  static final int SYRK_KC = 512;

  private static void checkRange(String name, float[] v, int off, long len) {
    if (v == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (off < 0 || len < 0 || off + len > v.length) {
      throw new IllegalArgumentException(
          name + " has length " + v.length + ", needs " + len + " values from offset " + off);
    }
  }

  private static void checkStrided(
      String name, float[] v, int off, int rows, int rowStride, int cols, int colStride) {
    if (v == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (rows == 0 || cols == 0) {
      return;
    }
    long last = off + (long) (rows - 1) * rowStride + (long) (cols - 1) * colStride;
    if (off < 0 || rowStride < 0 || colStride < 0 || last >= v.length) {
      throw new IllegalArgumentException(
          name
              + " has length "
              + v.length
              + ", needs index "
              + last
              + " ("
              + rows
              + " x "
              + cols
              + ")");
    }
  }
}
