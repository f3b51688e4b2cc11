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
 * every other thread runs {@link PanamaTwin} instead, plain loops that give the same bits and are
 * far faster than the uncompiled Vector API. Each family of kernels (full tiles, masked tiles, dot
 * products, element-wise) is handed back to the other threads as soon as the warm-up has timed it
 * faster than its twin a few rounds in a row ({@link Trial}); when all are, the thread ends and the
 * SIMD kernels run as usual. It waits from the start for the families every product calls (full
 * tiles, element-wise) and for the others once a call wants them ({@link #FROM_START}): a family
 * nobody calls would keep it timing on a core the work needs. A family not seen to win stays on its
 * twin: one C2 has not compiled yet (a loaded machine starves the compiler thread; a JVM may have
 * no C2), which would run many times slower, or one whose SIMD code is no faster than the twin
 * (with vectors narrower than 512 bits the twin's 4 x 4 tile is as fast as the masked SIMD tile).
 * After {@value #BUSY_MS} ms the warm-up goes on at a fifth of a core at most, and after {@value
 * #LIMIT_MS} ms it ends, leaving such families on their twins. The choice is made per kernel call,
 * outside the SIMD kernels ({@code Providers.forCall}), so that their profiles hold only their own
 * paths. Results are the same bits whichever ran; the warm-up computes on its own arrays and never
 * prints.
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
  public static final String PROPERTY = Settings.WARMUP;

  /**
   * Milliseconds of rounds back to back; after them, the warm-up pauses between rounds four times
   * as long as a round took.
   */
  static final long BUSY_MS = 2_000;

  /** Milliseconds after which the warm-up ends, leaving the families not yet won on their twins. */
  static final long LIMIT_MS = 30_000;

  /**
   * Rounds before wins count: by then the twins run compiled (C1 at least), so that an uncompiled
   * SIMD kernel cannot beat an interpreted twin.
   */
  private static final int MIN_ROUNDS = 20;

  /** Multiply-adds the twin does on demand before the warm-up starts. */
  static final long ON_DEMAND_WORK = 1L << 28;

  /**
   * Consecutive rounds in which a family of SIMD kernels beat their twin (see {@link Trial}) after
   * which that family counts as compiled.
   */
  private static final int FAST_ROUNDS = 3;

  /**
   * The families of kernels that are handed back one by one: full register tiles (eight rows, B in
   * panels 32 or 16 wide, as the drivers pack it).
   */
  static final int TILES = 1;

  /**
   * Other tiles (fewer rows, B read in place): the SIMD kernels' masked path. Warmed only once a
   * call wants it ({@link #want}), as {@link #RETRIEVAL}: the drivers' products of N a multiple of
   * eight never call it, and its trial (a masked SIMD tile at most as slow as the twin's plain 4 x
   * 4 tile, which C2 compiles well) is the one least often won: waited for from the start, it kept
   * the warm-up thread timing on a core of two through a whole dense train or recall.
   */
  static final int MASKED = 8;

  /**
   * Dot products: a neuron's field (asynchronous updates), Storkey's local fields, a small modern
   * memory's scores. Warmed only once a call wants them ({@link #want}): the products of a
   * synchronous recall and of training never call them.
   */
  static final int DOTS = 2;

  /** Element-wise division and addition. */
  static final int ELEMENTWISE = 4;

  /**
   * A modern retrieval's block kernels: column maxima, softmax weights, rescaling and merging. A
   * family of their own, warmed only once a call wants it ({@link #want}): timed in every round
   * from the start, it kept the warm-up thread busy some 200 ms longer (its exponential is compiled
   * last), and a classical dense train + recall, which never calls it, measured 0.82-0.95x.
   */
  static final int RETRIEVAL = 16;

  /**
   * The families the warm-up waits for from the start: the full tiles and the element-wise kernels,
   * which every product calls; the others once a call wants them ({@link #want}).
   */
  static final int FROM_START = TILES | ELEMENTWISE;

  /** The families the warm-up waits for: {@link #FROM_START} and those wanted since. */
  private static volatile int wanted = FROM_START;

  private static final int ALL = TILES | DOTS | ELEMENTWISE | MASKED | RETRIEVAL;

  /** The number of families (the bits of {@link #ALL}). */
  private static final int FAMILIES = 5;

  /**
   * The families whose SIMD kernels the warm-up has seen run compiled (a set of the bits above).
   */
  private static volatile int ready;

  /** The families that run their twins for good: not yet won when the warm-up ended. */
  private static volatile int twinsForGood;

  /** The warm-up thread while it runs; null before and after. */
  private static volatile Thread warming;

  /** Whether the twin runs every call until it has done {@link #ON_DEMAND_WORK}. */
  private static volatile boolean onDemand;

  /** Multiply-adds done by the twin on demand (updated without locking: an estimate). */
  private static long twinWork;

  private static volatile boolean started;

  private KernelWarmup() {}

  private static boolean disabled() {
    return !Settings.flag(PROPERTY, true);
  }

  /**
   * Starts the warm-up on a daemon thread, once per JVM; later calls, and calls with {@code
   * -Dengram.warmup=false}, do nothing. Returns at once.
   */
  public static synchronized void start() {
    // the kernels' settings first: the warm-up thread must not be the one to find them wrong
    Providers.requireValidSettings();
    if (started || disabled()) {
      return;
    }
    started = true;
    launch(); // the thread is the warming one before onDemand is cleared: the twin stays in use
    onDemand = false;
  }

  /**
   * Lets the twin run every SIMD kernel call until it has done {@value #ON_DEMAND_WORK}
   * multiply-adds, then {@link #start()}s the warm-up. Nothing once started, or with {@code
   * -Dengram.warmup=false}. Returns at once.
   */
  public static synchronized void startOnDemand() {
    Providers.requireValidSettings();
    if (started || disabled()) {
      return;
    }
    onDemand = true;
  }

  /**
   * Whether this process warms its kernels up ({@link #start} or {@link #startOnDemand} called):
   * then the SIMD kernels keep to the methods the warm-up compiles, and the modern retrieval's own
   * register tiles (12 and 8 rows stored or added into C) give way to the 8-row tile the warm-up
   * compiles, then a copy or an add (the same bits). Warming those too made a command-line recall
   * of a modern memory 20% slower and a classical dense train 0.4 s slower (two more large methods
   * for C2, and longer warm-up rounds on two cores, measured); a long-running program, which does
   * not warm up, gets them compiled from their own calls.
   */
  static boolean warmsUp() {
    return started || onDemand;
  }

  /**
   * Whether the SIMD kernels may run their plain-Java twin on this thread: on demand, always; while
   * the warm-up runs, on every thread but the warm-up's own (which is what gets the SIMD code
   * compiled). Which kernels do is {@link #useTwin(int)}.
   */
  static boolean useTwin() {
    Thread w = warming;
    return w != null ? w != Thread.currentThread() : onDemand || twinsForGood != 0;
  }

  /**
   * Whether every kernel call runs the twin, on every thread: on demand ({@link #startOnDemand}),
   * before the warm-up starts. The SIMD kernels need not even be loaded then.
   */
  static boolean twinOnly() {
    return onDemand && warming == null;
  }

  /**
   * Whether the family {@code kernels} ({@link #TILES}, {@link #MASKED}, {@link #DOTS}, {@link
   * #ELEMENTWISE}, {@link #RETRIEVAL}) of SIMD kernels should run their twin on this thread: as
   * {@link #useTwin()}, until the warm-up has seen that family run compiled; for good if it ended
   * without.
   */
  static boolean useTwin(int kernels) {
    Thread w = warming;
    return w != null
        ? w != Thread.currentThread() && (ready & kernels) == 0
        : onDemand || (twinsForGood & kernels) != 0;
  }

  /**
   * A kernel of {@code family} is called: the warm-up (running, or started later) waits for it too;
   * one that has already ended without it starts again for it alone (one that is ending does so
   * itself, under the same lock). Cheap once wanted.
   */
  static void want(int family) {
    if ((wanted & family) == family) {
      return;
    }
    synchronized (KernelWarmup.class) {
      wanted |= family;
      if (started && warming == null && (ready & family) != family && !disabled()) {
        launch();
      }
    }
  }

  /** Whether the warm-up waits for {@code family} (from the start, or since a call wanted it). */
  static boolean wants(int family) {
    return (wanted & family) == family;
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
   * Runs rounds until every family of SIMD kernels has beaten its twin {@link #FAST_ROUNDS} rounds
   * in a row, each family handed back to the other threads as soon as it has, or until {@link
   * #LIMIT_MS}; the families not won by then run their twins for good. Returns the rounds run.
   */
  static int run() {
    return run(LIMIT_MS, false);
  }

  /**
   * {@link #run()}, for at most {@code limitMs} milliseconds; the families not won by then are
   * handed back all the same if {@code handBack} (for tests), else left on their twins.
   */
  static int run(long limitMs, boolean handBack) {
    boolean ended = false;
    boolean timedOut = false;
    int rounds = 0;
    try {
      if (!Kernels.isVectorized()) {
        return 0; // the plain-Java kernels compile in no time
      }
      Work w = new Work();
      Trial trial = new Trial(Providers.chosen());
      long start = System.nanoTime();
      long limit = start + limitMs * 1_000_000L;
      long busy = start + BUSY_MS * 1_000_000L;
      int[] fast = new int[FAMILIES];
      long t0;
      int covered;
      while (true) {
        covered = wanted & ALL;
        if ((ready & covered) == covered || (t0 = System.nanoTime()) - limit >= 0) {
          break;
        }
        w.round();
        int beat = trial.round(ready | ~wanted);
        rounds++;
        long took = System.nanoTime() - t0;
        if (t0 - busy > 0) {
          took *= 4;
          Thread.sleep(took / 1_000_000L, (int) (took % 1_000_000L));
        }
        for (int f = 0; f < fast.length; f++) {
          int family = 1 << f;
          fast[f] = (beat & family) != 0 && rounds > MIN_ROUNDS ? fast[f] + 1 : 0;
          if (fast[f] >= FAST_ROUNDS) {
            ready |= family;
          }
        }
      }
      timedOut = (ready & covered) != covered;
      ended = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // a warm-up never fails its process: the real calls report any real problem
    } finally {
      synchronized (KernelWarmup.class) {
        boolean again = false;
        if (ended && !handBack) {
          twinsForGood = ALL & ~ready; // (before the thread is gone: no gap in which they are not)
          // a family wanted after the last round looked (want saw this thread still running):
          // warm it now, or it would stay on its twin for good
          again = !timedOut && (ready & wanted & ALL) != (wanted & ALL);
        } else {
          ready = ALL;
        }
        warming = null;
        if (again) {
          launch();
        }
      }
    }
    return rounds;
  }

  /** Starts a warm-up thread (the caller holds the class's lock). */
  private static void launch() {
    if (noThread) {
      return;
    }
    Thread t = new Thread(KernelWarmup::run, "engram-kernel-warmup");
    t.setDaemon(true);
    warming = t; // before the thread runs: the families not yet ready stay on their twins
    try {
      t.start();
    } catch (OutOfMemoryError e) {
      if (!Parallel.noThread(e)) {
        throw e;
      }
      // no thread to be had (ulimit -u): the families not yet compiled run their plain-Java twins
      // for good (the same results, bit for bit), and no warm-up is tried again
      noThread = true;
      twinsForGood = ALL & ~ready;
      warming = null;
    }
  }

  /** Set when the warm-up thread could not be started: it is not tried again. */
  private static boolean noThread;

  /**
   * Times each family of SIMD kernels against its twin on the same arrays: uncompiled, a Vector API
   * kernel is many times slower than its plain-Java twin; compiled by C2, some tens of times faster
   * (512-bit tiles, dot products) or about as fast (masked tiles, element-wise; narrower tiles).
   * That comparison, made on this machine as it is loaded now, says when C2 has compiled a family,
   * without a threshold in absolute time. The arrays are big enough (k = 64, n = 1024) for the
   * timer.
   */
  static final class Trial {
    /** How much faster than the twin full tiles and dot products must be to count as won. */
    private static final int FACTOR = 2;

    private final KernelProvider simd;
    private final KernelProvider twin;
    private final float[] a = Work.filled(8 * 64, 4);
    private final float[] b = Work.filled(64 * 32, 5);
    private final float[] x = Work.filled(1024, 6);
    private final float[] y = Work.filled(1024, 7);
    private final float[] z = new float[1024];
    private final float[] out = new float[KernelProvider.MR * KernelProvider.NR];
    private final float[] sixteen = new float[16];
    private final float[][] yRows = {y, y, y, y};
    private final float[][] zRows = {
      new float[256], new float[256], new float[256], new float[256]
    };

    private final float[] scores = Work.filled(4 * 32, 8);
    private final float[] colMax = new float[32];
    private final float[] colMin = new float[32];
    private final float[] shift = new float[32];
    private final float[] colSum = new float[32];

    /** Four rows of 256 values in an array of 1024. */
    private static final int[] ROWS4 = {0, 256, 512, 768};

    private float sink;

    Trial(KernelProvider simd) {
      this.simd = simd;
      this.twin = simd.standIn();
    }

    /** One timing of the families not in {@code skip}; returns those in which the SIMD won. */
    int round(int skip) {
      int beat = 0;
      if ((skip & TILES) == 0 && FACTOR * tiles(simd) < tiles(twin)) {
        beat |= TILES;
      }
      if ((skip & MASKED) == 0 && masked(simd) <= masked(twin)) {
        beat |= MASKED;
      }
      if ((skip & DOTS) == 0 && FACTOR * dot(simd) < dot(twin)) {
        beat |= DOTS;
      }
      if ((skip & ELEMENTWISE) == 0 && elementwise(simd) <= elementwise(twin)) {
        beat |= ELEMENTWISE;
      }
      if ((skip & RETRIEVAL) == 0 && retrieval(simd) <= retrieval(twin)) {
        beat |= RETRIEVAL;
      }
      return beat;
    }

    /**
     * Full tiles, 8 x 32 and 8 x 16, W read in place, in 16 calls of each with k = 4 (the k = 64 of
     * one call); nanoseconds. Short calls time the tiles as they are entered: a call with a long
     * loop could switch mid-loop to code C2 compiled for that loop alone (on-stack replacement)
     * while the method's own entry still ran the Vector API's fallback, and a dense recall once
     * lost seconds in the 8 x 16 tile so handed back.
     */
    private long tiles(KernelProvider kp) {
      long t0 = System.nanoTime();
      for (int c = 0; c < 64; c += TILE_K) {
        kp.tile(8, 32, TILE_K, a, c, 64, 1, b, c * 32, 32, out, false);
        kp.tile(8, 16, TILE_K, a, c, 64, 1, b, c * 16, 16, out, true);
      }
      long t = System.nanoTime() - t0;
      sink += out[7];
      return t;
    }

    /** The k of each timed tile call. */
    private static final int TILE_K = 4;

    /** A partial tile, 5 x 20. */
    private long masked(KernelProvider kp) {
      long t0 = System.nanoTime();
      kp.tile(5, 20, 64, a, 0, 64, 1, b, 0, 32, out, false);
      long t = System.nanoTime() - t0;
      sink += out[9];
      return t;
    }

    /** A dot product, and four rows by four in one accumulator each (a small memory's scores). */
    private long dot(KernelProvider kp) {
      long t0 = System.nanoTime();
      sink += kp.dot(x, 0, y, 0, x.length);
      kp.dot4x4(x, ROWS4, yRows, ROWS4, 256, sixteen);
      long t = System.nanoTime() - t0;
      sink += sixteen[15];
      return t;
    }

    /**
     * A modern retrieval's block kernels: the column maxima of a block of scores, its softmax
     * weights in place (values in (0, 1] from the first round on), a rescaling by 1 and a merge
     * that adds zeros. Before they had a family of their own, a one-shot modern recall ran the
     * Vector API's fallback in {@code maxMin} and {@code expShift} for seconds in about half the
     * runs: the element-wise family was handed back without them.
     */
    private long retrieval(KernelProvider kp) {
      java.util.Arrays.fill(colSum, 0f);
      long t0 = System.nanoTime();
      kp.maxMin(scores, 0, 32, 4, 32, colMax, colMin);
      kp.expShift(scores, 0, 32, 4, 32, 1f, shift, colSum);
      kp.scale(x, 0, 256, 1f);
      kp.axpby(0f, Work.ZEROS, 0, 1f, y, 0, 256);
      long t = System.nanoTime() - t0;
      sink += colSum[3] + y[5];
      return t;
    }

    /**
     * Division by 1, addition of zeros and four rows added with weight zero to one output and to
     * four (a small memory's output): the values stay as they are; and the same four rows into four
     * outputs of their own from zero (a small memory's first block).
     */
    private long elementwise(KernelProvider kp) {
      long t0 = System.nanoTime();
      kp.divide(x, 0, x.length, 1f);
      kp.add(Work.ZEROS, 0, y, 0, Work.ZEROS.length);
      kp.axpyRows(4, Work.ZEROS, 0, 1, x, 0, 256, y, 0, 256);
      kp.axpyRowsEach(4, 4, Work.ZEROS, 0, 4, x, 0, 256, y, 0, 256, 256);
      kp.axpyRowsEachInto(4, 4, Work.ZEROS, 0, 4, x, 0, 256, z, 0, 256, 256);
      kp.axpyRowsInto(4, 4, Work.ZEROS, 0, 4, x, 0, 256, zRows, 256);
      long t = System.nanoTime() - t0;
      sink += y[3];
      return t;
    }
  }

  /**
   * One round: each path the drivers take at least once, on arrays so small that even an
   * interpreted round is short (what counts for the JIT is how often each kernel is called). The
   * shapes follow the real calls: dense recall (W·S with W read in place, 32- and 16-wide panels,
   * products added into C), few live queries (dot products), low-rank recall (A transposed in
   * place, a short k), partial panels, and the training update's kernels (its tiles on packed
   * patterns, continued across k-blocks; division and addition).
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
      // the training update's element-wise kernels (called directly: the update itself
      // allocates 256 KiB of buffers per call, and its driver is plain Java)
      KernelProvider kp = Providers.chosen();
      kp.divide(w, 0, 40 * 40, 1f); // (by 1: the values neither shrink nor grow)
      kp.add(t, 0, w, 0, 8 * 40);
      // a tile continued from its stored sums (the update's k-blocks, P > 512)
      kp.tile(8, 32, 4, a, 0, 4, 1, b, 0, 32, tile, true);
      // the training update's tiles: packed patterns, A transposed in place (k = 8)
      kp.tile(8, 32, 8, t, 0, 1, 32, t, 0, 32, tile, odd);
      odd = !odd;
      sink += Kernels.dot(a, 0, b, 0, 100) + c[5] + w[41] + tile[3];
    }

    /** Zeros, for an addition that changes nothing. */
    static final float[] ZEROS = new float[1024];

    static float[] filled(int n, int seed) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        // small values of both signs: nothing overflows however often they are added up
        v[i] = ((i * 31 + seed * 17) % 7 - 3) * 0.001f;
      }
      return v;
    }
  }
}
