package io.engram.kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Retrieval from stored patterns in two matrix products, behind {@link Kernels#softmaxRetrieval}
 * and {@link Kernels#separationRetrieval}: for queries Q (b x n) and stored patterns X (p x n),
 * scores {@code S = Q Xᵀ}, weights {@code w = φ(S)} row by row, output {@code O = w X}.
 *
 * <p>The b x p score matrix is never formed: patterns stream past the queries in blocks of {@value
 * #BLOCK}. Per block, the scores (one {@value #BLOCK} x g block for g <= {@value #GROUP} queries,
 * pattern by query) come from register tiles over the stored rows in place and the queries packed
 * once; then the column maxima, the top-k candidates and the weights are taken from that block, and
 * {@code O += wᵀ X_block} is added with tiles over 32-column panels of the block. Softmax weights
 * are streamed (the online softmax): each query keeps the largest {@code β s} so far and the sum of
 * {@code e^(β s - max)}, and rescales its sum and partial output when the maximum grows.
 *
 * <p>Patterns are taken in chunks of {@value #CHUNK} (fewer in a memory of fewer than four such
 * chunks, {@link #chunkRows}): every chunk starts its own partial result (maximum, sum, output,
 * top-k), and the partials are merged in chunk order. Chunks of one query group run on several
 * threads when there are fewer groups than threads (a few queries against many patterns); otherwise
 * groups run in parallel, each merging its chunks as it goes, and a thread with no group left takes
 * chunks from the end of another's group (merged there in chunk order). Either way the same
 * operations run in the same order for every query, so a query's result does not depend on the
 * other queries of its batch, on the grouping or on the threads.
 *
 * <p>A memory of fewer than 8 patterns is one block whose scores are dot products ({@link
 * KernelProvider#dot4x4}); its softmax weights are final once taken, so they are normalised before
 * the output product instead of every output value being divided after it. {@link #smallRows} runs
 * such a memory for queries and outputs held as rows of their own, with the same bits. A group of
 * fewer than 8 queries adds the stored rows into its output in place ({@link
 * #accumulateFewQueries}) instead of copying 32-column panels of X for tiles that would be mostly
 * empty, with the tiles' bits (where the kernels' tiles fuse their multiply-adds, {@link
 * KernelProvider#fusedTiles}), so that a query's result still does not depend on its batch.
 *
 * <p>Memory beyond X and the outputs, per thread: one block of scores ({@value #BLOCK} x {@value
 * #GROUP} floats, 256 KiB), a packed copy of the group's queries, one partial output (g x n), one
 * 32-column panel of a block of X; plus, when chunks run in parallel, one partial output per chunk
 * run apart from its group (only while all of them together hold at most {@value
 * #MAX_PARTIAL_FLOATS} floats).
 */
final class Attention {

  /** Patterns per block of scores. */
  static final int BLOCK = 256;

  /** The most patterns per partial result (a multiple of {@link #BLOCK}). */
  static final int CHUNK = 16 * BLOCK;

  /**
   * Patterns per partial result for p patterns: a quarter of them (in whole blocks, at least one),
   * at most {@value #CHUNK}. A few queries against a few thousand patterns then give the threads
   * chunks to share (a memory of one chunk ran on one thread), while a batch pays for at most three
   * merges of its partial outputs more; a memory of four times {@value #CHUNK} patterns or more
   * keeps chunks of {@value #CHUNK}. It depends on p only: a query's result never depends on its
   * batch or on the threads.
   */
  static int chunkRows(int p) {
    int quarter = (int) (((long) p + 4L * BLOCK - 1) / (4L * BLOCK)) * BLOCK;
    return Math.max(BLOCK, Math.min(CHUNK, quarter));
  }

  /** Most queries per group (one pass over the stored patterns). */
  static final int GROUP = 256;

  /** Columns of Q (rows of the packed queries) per k-block of the score product. */
  private static final int KC = 1024;

  /** The most floats of partial outputs held at once when chunks run in parallel (16 MiB). */
  static final long MAX_PARTIAL_FLOATS = 1L << 22;

  private static final int MR = KernelProvider.MR;
  private static final int NR = KernelProvider.NR;
  private static final int TALL = KernelProvider.TALL;

  private Attention() {}

  /**
   * The weighting: softmax {@code e^(β s)} normalised, or a separation polynomial {@code F(x) = xⁿ}
   * (rectified: {@code max(x, 0)ⁿ}) in its binary-update form (see {@link
   * Kernels#separationRetrieval}), in float64.
   */
  record Weighting(boolean softmax, float beta, int degree, boolean rectified) {
    static Weighting softmax(float beta) {
      return new Weighting(true, beta, 0, false);
    }

    static Weighting separation(int degree, boolean rectified) {
      return new Weighting(false, Float.NaN, degree, rectified);
    }
  }

  /**
   * The arguments of one call (checked by the facade). Softmax: {@code stat1 = ln Σ e^(β s)};
   * {@code out} the normalised weighted sum (float32). Separation: {@code stat1 = Σ d_μ}, {@code
   * stat2 = -Σ F(s)}; {@code outD} the weighted sum in float64 (exact while its integers stay below
   * 2^53). The output may be null (scores, statistics and top-k only). {@code xT}: X's transposed
   * copy (n x p) for a single query's scores ({@link #lanesScores}), or null.
   */
  record Call(
      KernelProvider kp,
      int b,
      int p,
      int n,
      float[] q,
      float[] x,
      Weighting wt,
      float[] out,
      double[] outD,
      double[] stat1,
      double[] stat2,
      int k,
      int[] topIndex,
      float[] topScore,
      float[] xT,
      BinaryRows xb) {
    /** A call without X's packed bits. */
    Call(
        KernelProvider kp,
        int b,
        int p,
        int n,
        float[] q,
        float[] x,
        Weighting wt,
        float[] out,
        double[] outD,
        double[] stat1,
        double[] stat2,
        int k,
        int[] topIndex,
        float[] topScore,
        float[] xT) {
      this(kp, b, p, n, q, x, wt, out, outD, stat1, stat2, k, topIndex, topScore, xT, null);
    }

    boolean output() {
      return out != null || outD != null;
    }
  }

  /** Runs one call. */
  static void run(Call c) {
    int b = c.b();
    int p = c.p();
    int n = c.n();
    if (b == 0) {
      return;
    }
    int rows = chunkRows(p);
    int chunks = Math.max(1, (p + rows - 1) / rows);
    long perQuery = (long) p * n * (c.output() ? 2 : 1);
    long work = perQuery * b;
    int groups = (b + GROUP - 1) / GROUP;
    int gmax = (b + groups - 1) / groups;
    int items = groups * chunks;
    boolean partials =
        chunks > 1
            && groups < Parallel.threads(work, items)
            && (long) items * gmax * n <= MAX_PARTIAL_FLOATS;
    if (!partials) {
      // one thread per group, and more while there are chunks to take from a group's end
      new Shared(c, groups, chunks).run(Parallel.threads(work, items));
      return;
    }
    Group[] gs = new Group[groups];
    for (int g = 0; g < groups; g++) {
      gs[g] = new Group(c, groupStart(b, groups, g), groupStart(b, groups, g + 1));
    }
    AttentionPartial[] parts = new AttentionPartial[items];
    Parallel.forEach(
        items,
        Parallel.threads(work, items),
        (it, t) -> {
          Group gr = gs[it / chunks].copy(c);
          int ch = it % chunks;
          parts[it] = new AttentionPartial(c, gr.g, ch == 0 ? gr.g0 : -1);
          chunk(c, gr, parts[it], ch * rows, Math.min(p, (ch + 1) * rows));
        });
    for (int g = 0; g < groups; g++) {
      AttentionPartial acc = parts[g * chunks];
      for (int ch = 1; ch < chunks; ch++) {
        AttentionPartial.merge(c, acc, parts[g * chunks + ch]);
      }
      AttentionPartial.finish(c, acc, gs[g].g0);
    }
  }

  /** Queries per pass of {@link #smallRows} (the four of {@link KernelProvider#dot4x4}). */
  private static final int SMALL_GROUP = 4;

  /**
   * Softmax retrieval over a small memory (fewer than {@value KernelProvider#MR} patterns: one
   * block, scored by dot products) for queries held as rows of their own, each output written
   * straight into a row of its own: the operations {@link #run} performs for such a memory, in the
   * same order, so the same bits; but with each query and each stored row read once for the scores
   * ({@link KernelProvider#dot4x4}), and each output written once ({@link
   * KernelProvider#axpyRowsInto}). Queries go four at a time (the last of a batch repeated to fill
   * its four), items of up to {@value #GROUP} queries over the threads.
   *
   * @param q b rows of n values (read only)
   * @param out b rows of their own, at least n long, overwritten (not the queries, not X); or null
   *     (the statistics and best matches only)
   */
  static void smallRows(
      KernelProvider kp,
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
    if (b == 0) {
      return;
    }
    int items = (b + GROUP - 1) / GROUP;
    Weighting wt = Weighting.softmax(beta);
    Parallel.forEach(
        items,
        Parallel.threads(2L * b * p * n, items),
        (it, scratch) -> {
          // up to GROUP queries per item, four at a time, with one set of buffers
          int ld = SMALL_GROUP;
          float[] sc = new float[p * ld];
          float[] sixteen = new float[16];
          int[] aOff = new int[4];
          int[] bOff = new int[4];
          float[][] rows = new float[4][];
          float[] bmax = new float[4];
          float[] bmin = new float[4];
          float[] max = new float[4];
          float[] bsum = new float[4];
          double[] sum = new double[4];
          TopK top = k > 0 ? new TopK(4, k) : null;
          for (int q0 = it * GROUP, end = Math.min(b, q0 + GROUP); q0 < end; q0 += SMALL_GROUP) {
            int g = Math.min(SMALL_GROUP, end - q0);
            for (int j = 0; j < 4; j++) {
              rows[j] = q[q0 + Math.min(j, g - 1)];
            }
            dotsOfFour(kp, x, 0, p, n, rows, bOff, g, sc, ld, 0, aOff, sixteen);
            Arrays.fill(bmax, Float.NEGATIVE_INFINITY);
            Arrays.fill(bmin, Float.POSITIVE_INFINITY);
            kp.maxMin(sc, 0, ld, p, g, bmax, bmin);
            checkFinite(wt, bmax, bmin, g);
            if (top != null) {
              top.reset();
              top.offer(sc, ld, g, 0, p, bmax);
              for (int j = 0; j < g; j++) {
                top.copyOut(j, topIndex, topScore, q0 + j);
              }
            }
            // the online softmax's one block: its maximum is the block's (the first raises it
            // from -∞), its sum that of the block's weights (float) added to zero in float64
            for (int j = 0; j < g; j++) {
              max[j] = Math.max(Float.NEGATIVE_INFINITY, beta * bmax[j]);
            }
            Arrays.fill(bsum, 0f);
            kp.expShift(sc, 0, ld, p, g, beta, max, bsum);
            for (int j = 0; j < g; j++) {
              sum[j] = 0.0 + bsum[j];
              lse[q0 + j] = max[j] + StrictMath.log(sum[j]);
              rows[j] = out != null ? out[q0 + j] : null;
            }
            if (out != null) {
              normalise(sc, ld, p, g, sum);
              kp.axpyRowsInto(g, p, sc, 0, ld, x, 0, n, rows, n);
            }
          }
        });
  }

  /**
   * Groups on one or more threads, with the end of the work shared: each thread takes a whole group
   * and runs its chunks from the first; a thread that finds no group left takes chunks from the end
   * of the group with the most chunks still to run, each into a partial result of its own, which
   * that group's thread merges after its own chunks, in chunk order. So a thread that runs slower
   * (a busy core; a virtual CPU its host shares) leaves no other thread idle for more than a chunk,
   * and every query still gets the operations of its chunks merged in the same order: the same bits
   * as on one thread. Stolen partials hold at most {@value #MAX_PARTIAL_FLOATS} floats together; a
   * failure on any thread is the call's (its group's thread then gives up).
   */
  private static final class Shared {
    /** Chunks run by a thread other than their group's, in this JVM (for tests). */
    static final AtomicLong STOLEN = new AtomicLong();

    private final Call c;
    private final int groups;
    private final int chunks;
    private final int rows;
    private final AtomicInteger nextGroup = new AtomicInteger();

    /** Per group: the next chunk its thread takes (high half) and the end of its chunks (low). */
    private final AtomicLongArray span;

    /** Per group: its queries, published by its thread before any chunk of it can be stolen. */
    private final AtomicReferenceArray<Group> started;

    /** Per chunk of each group: 0 while a stolen chunk runs, 1 done, 2 failed. */
    private final AtomicIntegerArray state;

    private final AttentionPartial[] stolen;

    /** Set when a thread failed: the call throws, the others take no more work. */
    private volatile boolean failed;

    private final AtomicLong stolenFloats = new AtomicLong();

    Shared(Call c, int groups, int chunks) {
      this.c = c;
      this.groups = groups;
      this.chunks = chunks;
      this.rows = chunkRows(c.p());
      this.span = new AtomicLongArray(groups);
      for (int g = 0; g < groups; g++) {
        span.set(g, chunks); // next 0, end chunks
      }
      this.started = new AtomicReferenceArray<>(groups);
      this.state = new AtomicIntegerArray(groups * chunks);
      this.stolen = new AttentionPartial[groups * chunks];
    }

    void run(int threads) {
      Parallel.forEach(
          threads,
          threads,
          (t, scratch) -> {
            try {
              for (int g = nextGroup.getAndIncrement();
                  g < groups && !failed;
                  g = nextGroup.getAndIncrement()) {
                own(g);
              }
              while (!failed && stealOne()) {
                // chunk by chunk, until no group has any left
              }
            } catch (RuntimeException | Error e) {
              failed = true; // the others stop taking work
              throw e;
            }
          });
    }

    /** Takes the next chunk of group g from the front: its index, or -1 when none is left. */
    private int takeFront(int g) {
      while (true) {
        long v = span.get(g);
        int next = (int) (v >>> 32);
        int end = (int) v;
        if (next >= end) {
          return -1;
        }
        if (span.compareAndSet(g, v, ((long) (next + 1) << 32) | end)) {
          return next;
        }
      }
    }

    /** Runs group g: its chunks from the front, then the stolen ones merged in order. */
    private void own(int g) {
      int b = c.b();
      Group gr = new Group(c, groupStart(b, groups, g), groupStart(b, groups, g + 1));
      started.set(g, gr);
      AttentionPartial acc = null;
      AttentionPartial part = null;
      int ch;
      while ((ch = takeFront(g)) >= 0) {
        // the first chunk accumulates straight into the output rows of the group
        part =
            part == null ? new AttentionPartial(c, gr.g, acc == null ? gr.g0 : -1) : part.reset();
        if (acc != null && part.top != null) {
          part.top.raiseFloors(acc.top);
        }
        chunk(c, gr, part, ch * rows, Math.min(c.p(), (ch + 1) * rows));
        if (acc == null) {
          acc = part;
          part = null;
        } else {
          AttentionPartial.merge(c, acc, part);
        }
      }
      for (int s = (int) span.get(g); s < chunks; s++) {
        int st;
        while ((st = state.get(g * chunks + s)) == 0) {
          LockSupport.parkNanos(20_000L);
        }
        if (st == 2) {
          return; // the thread that ran it throws for the call
        }
        AttentionPartial sp = stolen[g * chunks + s];
        stolen[g * chunks + s] = null;
        if (acc == null) {
          acc = sp;
        } else {
          AttentionPartial.merge(c, acc, sp);
        }
      }
      AttentionPartial.finish(c, acc, gr.g0);
    }

    /**
     * Takes the last chunk of the started group with the most chunks left and runs it into a
     * partial of its own; false when there is none (or the stolen partials are at their limit).
     */
    private boolean stealOne() {
      while (true) {
        int best = -1;
        int most = 0;
        boolean unpublished = false;
        for (int g = 0; g < groups; g++) {
          long v = span.get(g);
          int left = (int) v - (int) (v >>> 32);
          if (left > 0 && started.get(g) == null) {
            unpublished = true; // taken by its thread, its queries not packed yet
          } else if (left > most) {
            best = g;
            most = left;
          }
        }
        if (best < 0) {
          if (!unpublished || failed) {
            return false;
          }
          LockSupport.parkNanos(20_000L);
          continue;
        }
        Group owner = started.get(best);
        long floats = (long) owner.g * c.n() * (c.outD() != null ? 2 : 1); // float64 sums: 2
        if (stolenFloats.addAndGet(floats) > MAX_PARTIAL_FLOATS) {
          stolenFloats.addAndGet(-floats);
          return false;
        }
        long v = span.get(best);
        int next = (int) (v >>> 32);
        int end = (int) v;
        if (next >= end || !span.compareAndSet(best, v, ((long) next << 32) | (end - 1))) {
          stolenFloats.addAndGet(-floats);
          continue; // taken meanwhile: look again
        }
        int ch = end - 1;
        int item = best * chunks + ch;
        try {
          AttentionPartial part = new AttentionPartial(c, owner.g, -1);
          chunk(c, owner.copy(c), part, ch * rows, Math.min(c.p(), (ch + 1) * rows));
          stolen[item] = part;
          state.set(item, 1);
          STOLEN.incrementAndGet();
        } catch (RuntimeException | Error e) {
          state.set(item, 2);
          throw e;
        }
        return true;
      }
    }
  }

  /** Chunks run by a thread other than their group's so far, in this JVM (for tests). */
  static long stolenChunks() {
    return Shared.STOLEN.get();
  }

  private static int groupStart(int b, int groups, int g) {
    return (int) ((long) b * g / groups);
  }

  /**
   * One group of queries {@code g0..g0+g-1}: their packed copy (shared, read only) and the work
   * buffers of the thread that runs them (reused from block to block and chunk to chunk).
   */
  private static final class Group {
    final int g0;
    final int g;
    final int n;
    final float[] qT; // null when every block is smaller than a tile (p < 8), or with qBits

    /**
     * The group's queries packed one bit per value ({@link BinaryRows}), when X's bits are given
     * and every value of these queries is ±1: their blocks' scores are counted, not multiplied out
     * (the same bits); else null.
     */
    final long[] qBits;

    final float[] sc; // scores of one block, row r (pattern) at r * ld
    final int ld;
    final float[] panel;
    final double[] wd;
    final float[] tile = new float[TALL * NR];
    final float[] bmax;
    final float[] bmin;
    final float[] bsum;

    Group(Call c, int g0, int g1) {
      this(c, g0, g1 - g0, tiles(c, g1 - g0) ? binaryQueries(c, g0, g1 - g0) : null);
    }

    private Group(Call c, int g0, int g, long[] qBits) {
      this(c, g0, g, tiles(c, g) && qBits == null ? packQueries(c.q, c.n, g0, g) : null, qBits);
    }

    /** Whether a group of g queries takes its blocks' scores from tiles (or counted bits). */
    private static boolean tiles(Call c, int g) {
      return c.p >= MR && !chainsScores(c, g) && !lanesScores(c, g);
    }

    private Group(Call c, int g0, int g, float[] qT, long[] qBits) {
      this.g0 = g0;
      this.g = g;
      this.n = c.n;
      this.qT = qT;
      this.qBits = qBits;
      // rows of the score block 16 floats longer than g: the second product reads it down its
      // columns, and a row length of a multiple of 1 KiB would put all of them in 4 of L1's 64 sets
      this.ld = g + 16;
      this.sc = new float[Math.min(BLOCK, c.p) * ld];
      this.panel =
          c.out != null && c.p >= MR && (g >= MR || !c.kp.fusedTiles())
              ? new float[BLOCK * NR]
              : null;
      this.wd = c.outD != null ? new double[Math.min(BLOCK, c.p) * g] : null;
      this.bmax = new float[g];
      this.bmin = new float[g];
      this.bsum = new float[g];
    }

    /** The same queries with buffers of its own, for another thread. */
    Group copy(Call c) {
      return new Group(c, g0, g, qT, qBits);
    }

    private float[] few;

    /** A block's output sums for a group of fewer than 8 queries (g x n), made on first use. */
    float[] few() {
      if (few == null) {
        few = new float[g * n];
      }
      return few;
    }
  }

  /** Queries {@code g0..g0+g-1} packed, when X's bits are given and they are all ±1; else null. */
  private static long[] binaryQueries(Call c, int g0, int g) {
    return c.xb != null ? BinaryRows.pack(c.q, g0, g, c.n) : null;
  }

  /** The width of the query panels: 16 for up to 16 queries, else 32. */
  private static int panelWidth(int g) {
    return g <= NR / 2 ? NR / 2 : NR;
  }

  /**
   * Queries {@code g0..g0+g-1} transposed into panels of w columns, zero-padded: {@code qT[(jt*n +
   * i)*w + c] = Q[g0 + jt*w + c][i]}.
   */
  private static float[] packQueries(float[] q, int n, int g0, int g) {
    int w = panelWidth(g);
    int panels = (g + w - 1) / w;
    float[] qT = new float[panels * n * w];
    for (int c = 0; c < g; c++) {
      int jt = c / w;
      int col = c % w;
      int src = (g0 + c) * n;
      int dst = jt * n * w + col;
      for (int i = 0; i < n; i++) {
        qT[dst + i * w] = q[src + i];
      }
    }
    return qT;
  }

  /** Patterns {@code p0..p1-1} against one group of queries, into {@code part} (empty). */
  private static void chunk(Call c, Group gr, AttentionPartial part, int p0, int p1) {
    int g = gr.g;
    float[] sc = gr.sc;
    // one query with X's transposed copy: the chunk's scores at once, each link of the chains a
    // contiguous run of the copy's row (block by block, runs of 1 KiB 40 KiB apart took 1.5x)
    float[] lanes = lanesScores(c, g) ? lanesScores(c, gr.g0, p0, p1 - p0) : null;
    for (int b0 = p0; b0 < p1; b0 += BLOCK) {
      int pb = Math.min(BLOCK, p1 - b0);
      if (pb < MR) {
        scoresByDots(c, gr, b0, pb);
      } else {
        if (lanes != null) {
          for (int r = 0; r < pb; r++) {
            sc[r * gr.ld] = lanes[b0 - p0 + r];
          }
        } else if (chainsScores(c, g)) {
          chainScores(c.x, b0 * c.n, c.n, pb, c.q, gr.g0 * c.n, sc, gr.ld);
        } else if (gr.qBits != null) {
          c.xb.scores(gr.qBits, g, b0, pb, sc, gr.ld);
        } else {
          scores(c, gr.qT, g, gr.ld, b0, pb, sc, gr.tile);
        }
      }
      Arrays.fill(gr.bmax, Float.NEGATIVE_INFINITY);
      Arrays.fill(gr.bmin, Float.POSITIVE_INFINITY);
      c.kp.maxMin(sc, 0, gr.ld, pb, g, gr.bmax, gr.bmin);
      checkFinite(c, gr.bmax, gr.bmin, g);
      if (part.top != null) {
        part.top.offer(sc, gr.ld, g, b0, pb, gr.bmax);
      }
      if (c.wt.softmax()) {
        AttentionPartial.softmaxWeights(c, part, sc, g, gr.ld, pb, gr.bmax, gr.bsum);
        if (normalisesWeights(c)) {
          normalise(sc, gr.ld, pb, g, part.s1);
        }
      } else {
        SeparationWeights.weights(
            sc, gr.ld, g, pb, c.wt.degree(), c.wt.rectified(), gr.wd, part.s1, part.s2);
      }
      if (c.out != null) {
        if (pb < MR) {
          accumulateByRows(c, sc, g, gr.ld, b0, pb, part.o, part.oOff, part.firstOutput());
        } else if (g < MR && c.kp.fusedTiles()) {
          accumulateFewQueries(c, sc, g, gr.ld, b0, pb, part, gr);
        } else {
          accumulate(c, sc, g, gr.ld, b0, pb, gr.panel, gr.tile, part.zeroedOutput(), part.oOff);
        }
      } else if (c.outD != null) {
        SeparationWeights.accumulate(c.x, c.n, gr.wd, g, b0, pb, part.od);
      }
    }
  }

  /**
   * A block of fewer than 8 patterns (a small memory, or the end of a large one): each score a dot
   * product of a stored row with a query, read in place (a register tile would be mostly empty),
   * four rows by four queries per kernel call ({@link KernelProvider#dot4x4}) so that each row is
   * read once per four; missing rows or queries of a four are filled by repeating the last. Which
   * path a block takes depends on its size only, never on the queries, and every score has the bits
   * of {@link KernelProvider#laneDot}.
   */
  private static void scoresByDots(Call c, Group gr, int b0, int pb) {
    int n = c.n;
    int g = gr.g;
    float[] sixteen = new float[16];
    int[] aOff = new int[4];
    int[] bOff = new int[4];
    float[][] rows = {c.q, c.q, c.q, c.q};
    for (int q0 = 0; q0 < g; q0 += 4) {
      int qg = Math.min(4, g - q0);
      for (int j = 0; j < 4; j++) {
        bOff[j] = (gr.g0 + q0 + Math.min(j, qg - 1)) * n;
      }
      dotsOfFour(c.kp, c.x, b0, pb, n, rows, bOff, qg, gr.sc, gr.ld, q0, aOff, sixteen);
    }
  }

  /**
   * The scores of stored rows {@code b0 .. b0+pb-1} against four queries ({@code rows[j]} from
   * {@code bOff[j]}; only the first {@code qg} kept), four rows by four per {@link
   * KernelProvider#dot4x4} call, into {@code sc[r*ld + col0 + j]} (r from 0): a row missing from a
   * four repeats the last. {@code aOff} (4) and {@code sixteen} (16) are the caller's scratch.
   */
  private static void dotsOfFour(
      KernelProvider kp,
      float[] x,
      int b0,
      int pb,
      int n,
      float[][] rows,
      int[] bOff,
      int qg,
      float[] sc,
      int ld,
      int col0,
      int[] aOff,
      float[] sixteen) {
    for (int r0 = 0; r0 < pb; r0 += 4) {
      int pr = Math.min(4, pb - r0);
      for (int i = 0; i < 4; i++) {
        aOff[i] = (b0 + r0 + Math.min(i, pr - 1)) * n;
      }
      kp.dot4x4(x, aOff, rows, bOff, n, sixteen);
      for (int i = 0; i < pr; i++) {
        System.arraycopy(sixteen, 4 * i, sc, (r0 + i) * ld + col0, qg);
      }
    }
  }

  /**
   * Whether the call's softmax weights are normalised before the output product rather than the
   * output divided after it: a memory of fewer than 8 patterns is one block, whose weights are
   * final once taken, and dividing its few weights costs less than dividing every output value.
   */
  static boolean normalisesWeights(Call c) {
    return c.wt().softmax() && c.p() < MR;
  }

  /** {@code w[r][q] = w[r][q] / (float) sum[q]} for the block's rows {@code r < pb}. */
  private static void normalise(float[] sc, int ld, int pb, int g, double[] sum) {
    for (int q = 0; q < g; q++) {
      float d = (float) sum[q];
      for (int r = 0; r < pb; r++) {
        sc[r * ld + q] = sc[r * ld + q] / d;
      }
    }
  }

  /**
   * {@code o_q += Σ_r w[r][q] X[b0 + r]} for blocks of fewer than 8 patterns: per query, the rows
   * added in order with o read and written once per four rows, and (SIMD kernels) each row read
   * once per four queries; {@code first}: o starts at zero, whatever it holds (the bits of zeroing
   * it first).
   */
  private static void accumulateByRows(
      Call c, float[] sc, int g, int ld, int b0, int pb, float[] o, int oOff, boolean first) {
    int n = c.n;
    if (first) {
      c.kp.axpyRowsEachInto(g, pb, sc, 0, ld, c.x, b0 * n, n, o, oOff, n, n);
    } else {
      c.kp.axpyRowsEach(g, pb, sc, 0, ld, c.x, b0 * n, n, o, oOff, n, n);
    }
  }

  /**
   * {@code o += wᵀ X_block} for a group of fewer than 8 queries (a register tile of queries would
   * be mostly empty, and its 32-column panels of X copied for a query or two): the stored rows
   * added with their weights in place, four outputs per pass over them ({@link
   * KernelProvider#axpyRowsEachInto}), each output element one fused multiply-add chain over the
   * block's rows from zero, then added into the output (the first block stores it): the bits of
   * {@link #accumulate}'s tile then add, so a query's result does not depend on its group's size.
   */
  private static void accumulateFewQueries(
      Call c, float[] sc, int g, int ld, int b0, int pb, AttentionPartial part, Group gr) {
    int n = c.n;
    if (part.firstOutput()) {
      // a chain from +0 is never -0, so it has the bits of 0 + chain
      c.kp.axpyRowsEachInto(g, pb, sc, 0, ld, c.x, b0 * n, n, part.o, part.oOff, n, n);
      return;
    }
    float[] t = gr.few();
    c.kp.axpyRowsEachInto(g, pb, sc, 0, ld, c.x, b0 * n, n, t, 0, n, n);
    for (int q = 0; q < g; q++) {
      c.kp.add(t, q * n, part.o, part.oOff + q * n, n);
    }
  }

  /** The shortest patterns whose single queries take their scores from {@link #chainScores}. */
  private static final int CHAIN_MIN_N = 1024;

  /**
   * Whether a group of g queries takes its scores from {@link #chainScores} rather than from tiles:
   * one query, where the kernels' tiles fuse their multiply-adds (the same bits), on patterns of at
   * least {@value #CHAIN_MIN_N} values (one query against 1000 x 16384: 1.27x, 3000 x 4096: 1.31x,
   * 20,000 x 1024: 1.10x; but 100,000 x 256: 0.9x, measured in one JVM).
   */
  private static boolean chainsScores(Call c, int g) {
    return g == 1 && c.n >= CHAIN_MIN_N && c.kp.fusedTiles();
  }

  /**
   * Whether a group of g queries takes its scores from X's transposed copy ({@link #lanesScores}):
   * one query, a copy given, and tiles that fuse their multiply-adds (the same bits).
   */
  private static boolean lanesScores(Call c, int g) {
    return g == 1 && c.xT != null && c.kp.fusedTiles();
  }

  /**
   * The scores of query {@code qi} against stored rows {@code b0 .. b0+pb-1}, {@code y[r] = X[b0+r]
   * · q}, from X's transposed copy ({@code xT}, n x p row-major): the chains of the {@code pb} rows
   * side by side in the SIMD lanes, each link one row of the copy (a column of X, read contiguous)
   * times one value of the query ({@link KernelProvider#axpyRows}), the whole pattern in order from
   * +0: per score the fused multiply-adds of a tile's element, so the same bits. A tile for one
   * query broadcasts every value of X across a vector of which one lane is used.
   */
  private static float[] lanesScores(Call c, int qi, int b0, int pb) {
    float[] y = new float[pb];
    c.kp.axpyRows(c.n, c.q, qi * c.n, 1, c.xT, b0, c.p, y, 0, pb);
    return y;
  }

  /**
   * The scores of one query against stored rows, {@code sc[r*ld] = X[r] · q} for {@code r < rows}
   * (X's rows n apart from {@code xOff}, q n long from {@code qOff}): each one fused multiply-add
   * chain over the pattern in order from +0, the bits of a fused tile's element ({@link #scores}),
   * eight rows at a time in scalar registers. A tile broadcasts every value of X across a vector of
   * which one lane is used; on one thread over data in cache it ran 1.3-1.45x slower than these
   * chains.
   */
  private static void chainScores(
      float[] x, int xOff, int n, int rows, float[] q, int qOff, float[] sc, int ld) {
    float[] c = new float[8];
    for (int r0 = 0; r0 < rows; r0 += 8) {
      int m = Math.min(8, rows - r0);
      Gemm.chains8(true, x, xOff + r0 * n, n, m, q, qOff, 0, n, c);
      for (int j = 0; j < m; j++) {
        sc[(r0 + j) * ld] = c[j];
      }
    }
  }

  /**
   * The block of scores {@code sc[r*ld + q] = X[b0 + r] · Q[q]} for {@code r < pb}: tiles of 12 or
   * 8 stored rows (read in place) by one panel of queries, stored from the registers into the
   * block, k-blocked for long patterns; each element is one fused multiply-add chain over the
   * pattern in order.
   */
  private static void scores(
      Call c, float[] qT, int g, int ld, int b0, int pb, float[] sc, float[] tile) {
    int n = c.n;
    int w = panelWidth(g);
    int tall = c.kp.tallRows();
    for (int k0 = 0; k0 < n; k0 += KC) {
      int kc = Math.min(KC, n - k0);
      boolean add = k0 > 0;
      for (int jt = 0; jt * w < g; jt++) {
        int c0 = jt * w;
        int nr = Math.min(w, g - c0);
        int bOff = (jt * n + k0) * w;
        for (int r0 = 0, mr; r0 < pb; r0 += mr) {
          int xOff = (b0 + r0) * n + k0;
          if (!add) {
            // 12-row tiles only on a full panel of queries (their SIMD tile is 32 wide); a short
            // panel takes 8-row tiles, eight accumulators on its padded width (the same bits)
            mr = nr == NR ? tileRows(pb - r0, tall) : Math.min(MR, pb - r0);
            c.kp.tileInto(mr, nr, kc, c.x, xOff, n, 1, qT, bOff, w, sc, r0 * ld + c0, ld, tile);
            continue;
          }
          mr = Math.min(MR, pb - r0);
          for (int r = 0; r < mr; r++) {
            System.arraycopy(sc, (r0 + r) * ld + c0, tile, r * NR, nr);
          }
          c.kp.tile(mr, nr, kc, c.x, xOff, n, 1, qT, bOff, w, tile, true);
          for (int r = 0; r < mr; r++) {
            System.arraycopy(tile, r * NR, sc, (r0 + r) * ld + c0, nr);
          }
        }
      }
    }
  }

  /**
   * The rows of the next tile stored or added into a block with {@code rest} rows left: where the
   * kernels run tiles of {@value KernelProvider#TALL} rows ({@code tall}, their {@link
   * KernelProvider#tallRows}), 12 while that leaves a multiple of 8 or at least 20 rows, else 8 (or
   * what is left): 256 rows are 20 tiles of 12 and 2 of 8.
   */
  static int tileRows(int rest, int tall) {
    return tall == TALL && rest >= TALL && rest != 16 ? TALL : Math.min(MR, rest);
  }

  /** Scores must be finite, and so must {@code β s} for softmax. */
  private static void checkFinite(Call c, float[] bmax, float[] bmin, int g) {
    checkFinite(c.wt(), bmax, bmin, g);
  }

  private static void checkFinite(Weighting wt, float[] bmax, float[] bmin, int g) {
    for (int q = 0; q < g; q++) {
      float hi = bmax[q];
      float lo = bmin[q];
      boolean ok = Float.isFinite(hi) && Float.isFinite(lo);
      if (ok && wt.softmax()) {
        ok = Float.isFinite(wt.beta() * hi) && Float.isFinite(wt.beta() * lo);
      }
      if (!ok) {
        if (Float.isFinite(hi) && Float.isFinite(lo)) {
          // the scores are fine: β is what overflows (β = 3e38 with scores of 44)
          float largest = Math.max(Math.abs(hi), Math.abs(lo));
          throw new IllegalArgumentException(
              "retrieval overflowed float32: β = "
                  + wt.beta()
                  + " times a score X·ξ of "
                  + (Math.abs(hi) >= Math.abs(lo) ? hi : lo)
                  + " is not a finite float; β is too large for these patterns and cues (below "
                  + (float) (Float.MAX_VALUE / (double) largest)
                  + " here)");
        }
        // a NaN score is a sum whose terms overflowed to infinities of both signs: "scores from
        // NaN to NaN" named no range
        throw new IllegalArgumentException(
            "retrieval overflowed float32: a score X·ξ"
                + (wt.softmax() ? " times β = " + wt.beta() : "")
                + " is not a finite float ("
                + (Float.isNaN(hi) || Float.isNaN(lo)
                    ? "a score is NaN: its terms overflowed to infinities of both signs"
                    : "scores from " + lo + " to " + hi)
                + "); the cues are too large for these patterns");
      }
    }
  }

  /**
   * {@code o += wᵀ X_block}: per 32-column panel of the block (copied contiguous), tiles of 12 or 8
   * queries whose weights are read in place from the score block (transposed), each added into the
   * output from the registers.
   */
  private static void accumulate(
      Call c,
      float[] sc,
      int g,
      int ld,
      int b0,
      int pb,
      float[] panel,
      float[] tile,
      float[] o,
      int oOff) {
    int n = c.n;
    int tall = c.kp.tallRows();
    for (int f0 = 0; f0 < n; f0 += NR) {
      int nr = Math.min(NR, n - f0);
      for (int r = 0; r < pb; r++) {
        System.arraycopy(c.x, (b0 + r) * n + f0, panel, r * NR, nr);
      }
      for (int q0 = 0, mr; q0 < g; q0 += mr) {
        mr = tileRows(g - q0, tall);
        c.kp.tileAddInto(mr, nr, pb, sc, q0, 1, ld, panel, 0, NR, o, oOff + q0 * n + f0, n, tile);
      }
    }
  }
}
