package io.engram.kernels;

/**
 * The symmetric rank-k update behind {@link Kernels#syrkAdd}: only the upper triangle of {@code
 * TᵀT} is computed, in work items of {@value #SYRK_ROWS} rows of W, k-blocked over the patterns,
 * with the finished blocks added to W in contiguous runs (and their mirror images below the
 * diagonal). Every entry is the same chain of float32 products in pattern order as an unblocked
 * loop, whatever the blocking and the threads. Stateless; thread-safe.
 */
final class Syrk {

  private static final int MR = KernelProvider.MR;
  private static final int NR = KernelProvider.NR;

  private Syrk() {}

  /** {@link Kernels#syrkAdd} on the given kernels (arguments as there). */
  static void syrkAdd(
      KernelProvider kp,
      int n,
      int p,
      float[] t,
      float shift,
      float[] w,
      float divisor,
      boolean negate,
      boolean wIsZero,
      Kernels.WorkListener listener) {
    checkPatterns(n, p, t, shift);
    Bounds.checkRange("W", w, 0, (long) n * n);
    if (t == w) {
      throw new IllegalArgumentException("W must not alias T");
    }
    addPacked(kp, n, p, pack(n, p, t, shift), w, divisor, negate, wIsZero, listener);
  }

  /** The sizes, T's length and the shift of an update, checked before T is packed. */
  static void checkPatterns(int n, int p, float[] t, float shift) {
    if (n < 1 || p < 0) {
      throw new IllegalArgumentException("bad sizes n=" + n + " p=" + p);
    }
    Bounds.checkRange("T", t, 0, (long) p * n);
    if (!Float.isFinite(shift)) {
      throw new IllegalArgumentException("shift is " + shift + ", expected finite");
    }
  }

  /**
   * {@link #syrkAdd} of T packed by {@link #pack} (sizes checked by the caller; W not aliasing T):
   * the same bits.
   */
  static void addPacked(
      KernelProvider kp,
      int n,
      int p,
      float[] tp,
      float[] w,
      float divisor,
      boolean negate,
      boolean wIsZero,
      Kernels.WorkListener listener) {
    int tiles = (n + NR - 1) / NR;
    int tileSize = p * NR;
    Bounds.checkRange("W", w, 0, (long) n * n);
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
    final WorkReport report =
        listener == null ? null : new WorkReport(listener, (long) p * n * (n + 1) / 2);
    // Each thread's buffers are made before any item runs, for the largest item (the first: the
    // most column tiles right of it), and reused by its items: made by each item, a heap that ran
    // out at a later item's left W half updated in place
    final int sumsFloats = kBlocks > 1 ? (Math.min(n, bs) + MR - 1) / MR * tiles * MR * NR : 0;
    Parallel.forEach(
        blocks,
        Parallel.threads(work, blocks),
        t -> new ItemBuffers(sumsFloats, new Flush(kp, w, n, wIsZero)),
        (it, buffers) -> {
          int row0 = it * bs;
          int rowEnd = Math.min(n, row0 + bs);
          int jt0 = row0 / NR;
          int tilesRight = tiles - jt0;
          float[] tile = buffers.tile;
          // running sums between k-blocks: [panel of the block][column tile][MR x NR]
          float[] sums = buffers.sums;
          Flush flush = buffers.flush;
          flush.reset(row0, rowEnd);
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
   * T packed for the tiles: {@code tp[tile][q][c] = T[q][tile*NR + c] - shift}, zero padded to
   * whole tiles of NR columns.
   */
  static float[] pack(int n, int p, float[] t, float shift) {
    // Rows of T are n floats apart, which for n a multiple of 1024 maps all of a tile's rows to one
    // L1 set; packed, both the broadcast operand (8 adjacent columns) and the vector operand are
    // dense.
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
            Gemm.packColumns(
                t, 0, n, p, it * packRows, Math.min(p, (it + 1) * packRows), n, NR, shift, tp));
    return tp;
  }

  /**
   * Rows {@code row0 .. row0+count-1} of the update {@code U = TᵀT / ±divisor}, every column, into
   * {@code dst} (row-major, from index 0), from T packed by {@link #pack}: each entry has the bits
   * {@link #syrkAdd} writes over an all-zero W ({@code U_ij} and {@code U_ji} alike: the same chain
   * of products in pattern order, each product the same either way round). For writers that stream
   * W a block of rows at a time without holding it; twice the multiply-adds of the update, as the
   * rows are computed whole (below the diagonal as well).
   */
  static void rows(
      KernelProvider kp,
      int n,
      int p,
      float[] tp,
      float divisor,
      boolean negate,
      int row0,
      int count,
      float[] dst) {
    if (n < 1 || p < 0 || row0 < 0 || count < 0 || row0 + count > n) {
      throw new IllegalArgumentException(
          "rows " + row0 + ".." + (row0 + count - 1) + " of n=" + n + " (p=" + p + ")");
    }
    int tiles = (n + NR - 1) / NR;
    int tileSize = p * NR;
    Bounds.checkRange("packed T", tp, 0, (long) tiles * tileSize);
    Bounds.checkRange("rows", dst, 0, (long) count * n);
    if (count == 0) {
      return;
    }
    final boolean scale = divisor != 1f || negate;
    final float d = negate ? -divisor : divisor;
    final int kBlocks = Math.max(1, (p + SYRK_KC - 1) / SYRK_KC);
    final int first = row0 / MR * MR; // panels start on MR-row boundaries of the packed tiles
    final int end = row0 + count;
    final int panels = (end - first + MR - 1) / MR;
    // one work item per group of column tiles: each item runs every panel of the rows over its
    // tiles, so a tile's k-block is reused by all the panels while it is in L1/L2
    final int group = ROWS_GROUP;
    final int items = (tiles + group - 1) / group;
    Parallel.forEach(
        items,
        Parallel.threads((long) count * n * p, items),
        (it, tile) -> {
          int jt0 = it * group;
          int jtEnd = Math.min(tiles, jt0 + group);
          float[] sums = kBlocks > 1 ? new float[panels * (jtEnd - jt0) * MR * NR] : null;
          for (int kb = 0; kb < kBlocks; kb++) {
            int k0 = kb * SYRK_KC;
            int kc = Math.min(SYRK_KC, p - k0);
            boolean last = kb == kBlocks - 1;
            for (int jt = jt0; jt < jtEnd; jt++) {
              int j0 = jt * NR;
              int nr = Math.min(NR, n - j0);
              int bo = jt * tileSize + k0 * NR;
              for (int pi = 0; pi < panels; pi++) {
                int i0 = first + pi * MR;
                int mr = Math.min(MR, n - i0);
                int ao = (i0 / NR) * tileSize + k0 * NR + i0 % NR;
                int slot = (pi * (jtEnd - jt0) + jt - jt0) * MR * NR;
                if (kb == 0) {
                  kp.tile(mr, nr, kc, tp, ao, 1, NR, tp, bo, NR, tile);
                } else {
                  System.arraycopy(sums, slot, tile, 0, MR * NR);
                  kp.tile(mr, nr, kc, tp, ao, 1, NR, tp, bo, NR, tile, true);
                }
                if (!last) {
                  System.arraycopy(tile, 0, sums, slot, MR * NR);
                  continue;
                }
                if (scale) {
                  kp.divide(tile, 0, mr * NR, d);
                }
                if (negate) {
                  kp.add(ZERO_TILE, 0, tile, 0, MR * NR); // over zeros: 0 + u, never -0
                }
                int from = Math.max(i0, row0);
                int to = Math.min(i0 + mr, end);
                for (int i = from; i < to; i++) {
                  System.arraycopy(tile, (i - i0) * NR, dst, (i - row0) * n + j0, nr);
                }
              }
            }
          }
        });
  }

  /**
   * Column tiles per work item of {@link #rows}: 8 tiles, 256 columns, so that the rows a writer
   * asks for at a time (64 of N = 4096) make 16 items for the threads.
   */
  static final int ROWS_GROUP = 8;

  /** One thread's buffers for the items of {@link #addPacked}. */
  private static final class ItemBuffers {
    final float[] tile = new float[MR * NR];
    final float[] sums; // null with one k-block
    final Flush flush;

    ItemBuffers(int sumsFloats, Flush flush) {
      this.sums = sumsFloats > 0 ? new float[sumsFloats] : null;
      this.flush = flush;
    }
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
    private int row0;
    private int rowEnd;
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

    Flush(KernelProvider kp, float[] w, int n, boolean overwrite) {
      this.kp = kp;
      this.overwrite = overwrite;
      this.w = w;
      this.n = n;
      this.up = new float[BLOCK];
      this.lo = new float[BLOCK];
      this.fup = new float[BLOCK];
      this.flo = new float[BLOCK];
    }

    /**
     * Starts the item of rows {@code row0 .. rowEnd-1}, with nothing queued (the previous item
     * ended with every run added). The buffers' old values are never read: each run reads only what
     * the tiles of its column block wrote.
     */
    void reset(int row0, int rowEnd) {
      this.row0 = row0;
      this.rowEnd = rowEnd;
      this.jb = 0;
      this.jbEnd = 0;
      this.next = 0;
      this.runs = 0;
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
}
