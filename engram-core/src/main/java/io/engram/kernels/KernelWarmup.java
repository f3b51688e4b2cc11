package io.engram.kernels;

/**
 * Gets the SIMD kernels compiled before they carry real work, for short-lived processes (one
 * command line call).
 *
 * <p>In a fresh JVM the Vector API kernels run in the interpreter and in C1 code, where every
 * vector operation is a call into the Vector API's Java fallback (hundreds of times slower than
 * compiled), until C2 has compiled the register tiles: a fresh {@code engram recall} spent most of
 * its time there. {@link #start()} starts a thread that runs every kernel path on small arrays, so
 * that C2 compiles them while the process still parses its arguments and reads its files; meanwhile
 * the SIMD kernels, on every other thread, run {@link PanamaTwin}, plain loops that give the same
 * bits and are far faster than the uncompiled Vector API. When the warm-up's rounds run at compiled
 * speed (or after {@value #LIMIT_MS} ms in all), the thread ends and the SIMD kernels run as usual.
 * Results are the same bits whichever ran; the warm-up computes on its own arrays and never prints.
 *
 * <p>{@link #startOnDemand()} is for a process whose kernel work may be small (a low-rank model):
 * the twin runs every SIMD kernel call until it has done {@value #ON_DEMAND_WORK} multiply-adds
 * (some tenths of a second), and only then does the warm-up start. Work that small never pays for a
 * warm-up thread (on a loaded machine it cost more than it saved), and work that large always gets
 * the compiled kernels soon.
 *
 * <p>Programs that call neither are not affected: long-running programs do not need it.
 */
public final class KernelWarmup {

  /**
   * The system property that turns the warm-up off ({@code false}); {@link #start()} and {@link
   * #startOnDemand()} then do nothing.
   */
  public static final String PROPERTY = "engram.warmup";

  /** The longest the warm-up runs, in milliseconds (then the SIMD kernels take over anyway). */
  static final long LIMIT_MS = 10_000;

  /** Multiply-adds the twin does on demand before the warm-up starts. */
  static final long ON_DEMAND_WORK = 1L << 28;

  /** Consecutive fast rounds after which the kernels count as compiled. */
  private static final int FAST_ROUNDS = 8;

  /**
   * A round faster than this (nanoseconds) runs compiled code: compiled, a round takes some tens of
   * microseconds; with the Vector API interpreted or in C1 code, several milliseconds.
   */
  private static final long FAST_ROUND_NS = 1_000_000;

  /** The warm-up thread while it runs; null before and after. */
  private static volatile Thread warming;

  /** Whether the twin runs every call until it has done {@link #ON_DEMAND_WORK}. */
  private static volatile boolean onDemand;

  /** Multiply-adds done by the twin on demand (updated without locking: an estimate). */
  private static long twinWork;

  private static boolean started;

  private KernelWarmup() {}

  private static boolean disabled() {
    return "false".equalsIgnoreCase(System.getProperty(PROPERTY));
  }

  /**
   * Starts the warm-up on a daemon thread, once per JVM; later calls, and calls with {@code
   * -Dengram.warmup=false}, do nothing. Returns at once.
   */
  public static synchronized void start() {
    if (started || disabled()) {
      return;
    }
    started = true;
    Thread t = new Thread(KernelWarmup::run, "engram-kernel-warmup");
    t.setDaemon(true);
    warming = t; // before onDemand is cleared: the twin stays in use without a gap
    onDemand = false;
    t.start();
  }

  /**
   * Lets the twin run every SIMD kernel call until it has done {@value #ON_DEMAND_WORK}
   * multiply-adds, then {@link #start()}s the warm-up. Nothing once started, or with {@code
   * -Dengram.warmup=false}. Returns at once.
   */
  public static synchronized void startOnDemand() {
    if (started || disabled()) {
      return;
    }
    onDemand = true;
  }

  /**
   * Whether the SIMD kernels should run their plain-Java twin on this thread: on demand, always;
   * while the warm-up runs, on every thread but the warm-up's own (which is what gets the SIMD code
   * compiled).
   */
  static boolean useTwin() {
    Thread w = warming;
    return w != null ? w != Thread.currentThread() : onDemand;
  }

  /** The twin did {@code work} multiply-adds: on demand, starts the warm-up after enough. */
  static void twinWork(long work) {
    if (onDemand) {
      twinWork += work;
      if (twinWork > ON_DEMAND_WORK) {
        start();
      }
    }
  }

  /**
   * Runs rounds until {@link #FAST_ROUNDS} in a row are fast or {@link #LIMIT_MS} have passed, then
   * lets the SIMD kernels run everywhere; returns the number of rounds run.
   */
  static int run() {
    int rounds = 0;
    try {
      if (!Kernels.isVectorized()) {
        return 0; // the plain-Java kernels compile in no time
      }
      Work w = new Work();
      long limit = System.nanoTime() + LIMIT_MS * 1_000_000L;
      int fast = 0;
      while (fast < FAST_ROUNDS) {
        long t0 = System.nanoTime();
        w.round();
        long t1 = System.nanoTime();
        rounds++;
        fast = t1 - t0 < FAST_ROUND_NS ? fast + 1 : 0;
        if (t1 > limit) {
          break;
        }
      }
    } catch (RuntimeException | Error e) {
      // a warm-up never fails its process: the real calls report any real problem
    } finally {
      warming = null;
    }
    return rounds;
  }

  /**
   * One round: each path the drivers take at least once, on arrays so small that even an
   * interpreted round is short (what counts for the JIT is how often each kernel is called). The
   * shapes follow the real calls: dense recall (W·S with W read in place, 32- and 16-wide panels,
   * products added into C), few live queries (dot products), low-rank recall (A transposed in
   * place, a short k), partial panels, and the training update (scaled, negated over zeros, and
   * continued across k-blocks).
   */
  static final class Work {
    private final float[] a = filled(64 * 64, 1);
    private final float[] b = filled(64 * 32, 2);
    private final float[] c = new float[16 * 32];
    private final float[] t = filled(8 * 40, 3);
    private final float[] w = new float[40 * 40];
    private final float[] tile = new float[KernelProvider.MR * KernelProvider.NR];
    private float sink;
    private boolean odd;

    void round() {
      // 8 x 32 and 8 x 16 tiles, W read in place (row-major A)
      Kernels.gemm(8, 32, 8, a, 0, 8, 1, b, 0, 32, c, 0, 32, false);
      Kernels.gemm(8, 16, 8, a, 0, 8, 1, b, 0, 16, c, 0, 16, false);
      // added into C (as k-blocks after the first are)
      Kernels.gemm(8, 32, 4, a, 0, 4, 1, b, 0, 32, c, 0, 32, true);
      // up to 4 columns: dot products along the rows of A
      Kernels.gemm(4, 4, 64, a, 0, 64, 1, b, 0, 4, c, 0, 4, false);
      // low-rank recall: A transposed in place, k = P
      Kernels.gemm(8, 4, 4, a, 0, 1, 8, b, 0, 4, c, 0, 4, false);
      // a partial panel (5 rows) and a partial tile (20 columns)
      Kernels.gemm(13, 20, 4, a, 0, 4, 1, b, 0, 20, c, 0, 20, false);
      // the training update (it allocates 256 KiB of buffers per call: one call a round), in
      // turn scaled and added, and negated and written over zeros
      if (odd) {
        Kernels.syrkAdd(40, 8, t, 0.5f, w, 8f, false, false, null);
      } else {
        java.util.Arrays.fill(w, 0f);
        Kernels.syrkAdd(40, 8, t, 0.5f, w, 8f, true, true, null);
      }
      odd = !odd;
      // a tile continued from its stored sums (the update's k-blocks, P > 512)
      Providers.chosen().tile(8, 32, 4, a, 0, 4, 1, b, 0, 32, tile, true);
      sink += Kernels.dot(a, 0, b, 0, 100) + c[5] + w[41] + tile[3];
    }

    private static float[] filled(int n, int seed) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        // small values of both signs: nothing overflows however often they are added up
        v[i] = ((i * 31 + seed * 17) % 7 - 3) * 0.001f;
      }
      return v;
    }
  }
}
