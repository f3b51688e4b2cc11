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
  public static final String VECTORIZATION_PROPERTY = "engram.vectorization";

  /**
   * The system property that caps the Vector API's vector width in bits ({@code 256}; default: the
   * widest the machine has), so that the narrower paths are tested on wide machines too.
   */
  public static final String VECTOR_BITS_PROPERTY = "engram.vectorBits";

  /** The system property that bounds the number of threads the kernels use. */
  public static final String THREADS_PROPERTY = "engram.threads";

  private Kernels() {}

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

  /** The kernels in use, e.g. {@code panama-512} or {@code scalar}. */
  public static String implementation() {
    return Providers.chosen().name();
  }

  /** Whether the SIMD (Vector API) kernels are in use. */
  public static boolean isVectorized() {
    return Providers.chosen() != ScalarKernels.INSTANCE;
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
}
