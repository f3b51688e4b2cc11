package io.engram.kernels;

/**
 * The blocked matrix product behind {@link Kernels#gemm}: B packed into column panels one chunk of
 * rows at a time, k-blocks of the packed panels kept in L2 while groups of row panels of A stream
 * past them, register tiles from the {@link KernelProvider}, rows of C split over threads. A
 * product of one column runs the tiles' chains without the tiles: side by side in the SIMD lanes
 * where A is stored column by column ({@link #gemmByLanes}), else along the rows of A ({@link
 * #gemmByChains}).
 *
 * <p>Every element of C is accumulated over k in increasing order, so the result does not depend on
 * the blocking or on the number of threads. Stateless; thread-safe.
 */
final class Gemm {

  private static final int MR = KernelProvider.MR;
  private static final int NR = KernelProvider.NR;

  /**
   * Columns of A (rows of B) per k-block of a product: a packed k-block of B (256 KiB for 64
   * columns) stays in L2, an 8-row block of A (32 KiB) in L1. 1024 measured 8% faster than 512 on
   * W·S, N = 4096, 64 columns; 2048 no faster.
   */
  private static final int KC = 1024;

  private Gemm() {}

  /** {@link Kernels#gemm} on the given kernels (arguments as there). */
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
    Bounds.checkStrided("A", a, aOff, m, aRs, k, aCs);
    Bounds.checkStrided("B", b, bOff, k, ldb, n, 1);
    Bounds.checkStrided("C", c, cOff, m, ldc, n, 1);
    product(kp, m, n, k, a, aOff, aRs, aCs, null, b, bOff, ldb, c, cOff, ldc, accumulate);
  }

  /**
   * The product of {@link #gemm}, A given as an array or (when {@code src} is not null, and B at
   * most {@link #WIDE_N} columns wide) by a source whose row panels are copied as they are needed.
   */
  private static void product(
      KernelProvider kp,
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      Kernels.RowSource src,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    if (n == 1 && aRs == 1 && k > 0 && src == null && kp.fusedTiles()) {
      gemmByLanes(kp, m, k, a, aOff, aCs, b, bOff, ldb, c, cOff, ldc, accumulate);
      return;
    }
    if (n == 1 && aCs == 1 && k >= 64) {
      gemmByChains(kp, m, k, a, aOff, aRs, src, b, bOff, ldb, c, cOff, ldc, accumulate);
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
      if (n > WIDE_N && src == null) {
        // wide B (a k-block of it far larger than L2): work items are blocks of column panels,
        // each panel of packed B kept in L2 while every row panel of A passes it
        wide(
            kp,
            m,
            kch,
            kFirst,
            w,
            jtiles,
            panels,
            a,
            aOff,
            aRs,
            aCs,
            bp,
            c,
            cOff,
            ldc,
            n,
            accumulate);
        continue;
      }
      // k-blocks outside the panels of a group: a k-block of packed B (KC x n) stays in L2
      // while the group's panels stream past it (panels outside would stream all of B per panel).
      // From a source, a group's rows of this chunk are copied in one call first (at most 1 Mi
      // floats: fewer panels per group for long rows)
      final int gp =
          src == null ? GROUP : Math.max(1, Math.min(GROUP, (1 << 20) / (MR * Math.max(1, kch))));
      int groups = (panels + gp - 1) / gp;
      Parallel.forEach(
          groups,
          Parallel.threads((long) m * n * kch, groups),
          (group, t) -> {
            int pEnd = Math.min(panels, (group + 1) * gp);
            // A's panels: in the array, or in the copy of this group's rows of the chunk, where
            // A(i, q) is at (i - r0) * kch + (q - kFirst) (offsets from the group's first row:
            // a source may hold more than an int's worth of values)
            int r0 = group * gp * MR;
            float[] ga = a;
            if (src != null) {
              int rows = Math.min(m, pEnd * MR) - r0;
              ga = sourceRows(rows * kch);
              src.copy(r0, rows, kFirst, kch, ga);
            }
            for (int k0 = 0; k0 < kch || k0 == 0; k0 += KC) {
              int kc = Math.min(KC, kch - k0);
              boolean add = accumulate || kFirst + k0 > 0;
              for (int panel = group * gp; panel < pEnd; panel++) {
                int i0 = panel * MR;
                int mr = Math.min(MR, m - i0);
                int ao = src == null ? aOff + i0 * aRs + (kFirst + k0) * aCs : (i0 - r0) * kch + k0;
                int rs = src == null ? aRs : kch;
                int cs = src == null ? aCs : 1;
                for (int jt = 0; jt < jtiles; jt++) {
                  int j0 = jt * w;
                  int nr = Math.min(w, n - j0);
                  kp.tile(mr, nr, kc, ga, ao, rs, cs, bp, (jt * kch + k0) * w, w, t);
                  store(kp, t, mr, nr, c, cOff + i0 * ldc + j0, ldc, add);
                }
              }
            }
          });
    }
  }

  /**
   * Each thread's array for the rows a source copies (kept: a new one per work item was a fresh
   * allocation of up to 4 MiB, on memory the process may never have touched).
   */
  private static final ThreadLocal<float[]> SOURCE_ROWS = new ThreadLocal<>();

  private static float[] sourceRows(int floats) {
    float[] r = SOURCE_ROWS.get();
    if (r == null || r.length < floats) {
      r = new float[floats];
      SOURCE_ROWS.set(r);
    }
    return r;
  }

  /**
   * {@link #gemm} ({@code C = A B}, not accumulating) for an m x k row-major A that is not an array
   * but copied block by block from a source (a model file's rows): each work item's rows of A (at
   * most 1 Mi floats) are copied into an array of the thread's just before their tiles run, so A is
   * read once per product and B packed once. The same tiles in the same order as {@link #gemm} on
   * an array holding A, so the same bits; a product of one column by the same chains.
   */
  static void gemmRows(
      KernelProvider kp,
      int m,
      int n,
      int k,
      Kernels.RowSource a,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc) {
    if (m < 0 || n < 0 || k < 1) {
      throw new IllegalArgumentException("sizes m=" + m + " n=" + n + " k=" + k);
    }
    if (m == 0 || n == 0) {
      return;
    }
    if (c == b) {
      throw new IllegalArgumentException("C must not alias B");
    }
    Bounds.checkStrided("B", b, bOff, k, ldb, n, 1);
    Bounds.checkStrided("C", c, cOff, m, ldc, n, 1);
    // at most WIDE_N columns at a time (evenly split: every part stays wider than one column, so
    // each takes the path the whole product takes), each by row panels: the bits of the wide
    // path too (every element's k-blocks in increasing order)
    int parts = (n + WIDE_N - 1) / WIDE_N;
    for (int part = 0; part < parts; part++) {
      int j0 = (int) ((long) n * part / parts);
      int j1 = (int) ((long) n * (part + 1) / parts);
      product(kp, m, j1 - j0, k, null, 0, k, 1, a, b, bOff + j0, ldb, c, cOff + j0, ldc, false);
    }
  }

  /**
   * Above this many columns of B a product splits its work over blocks of column panels instead of
   * groups of row panels: a k-block of packed B (KC x n) no longer fits L2, and a product with few
   * rows of A (the pseudo-inverse's row blocks of 128 x 16384) had a single work item.
   */
  private static final int WIDE_N = 1024;

  /** Column panels of B per work item of a wide product: 8 (256 columns). */
  private static final int WIDE_PANELS = 8;

  /**
   * One chunk of rows of B of a wide product ({@link #WIDE_N}): per work item a block of column
   * panels; per panel every k-block, per k-block every row panel of A. Each element of C still gets
   * its k-blocks in increasing order, so the bits are those of the row-group order.
   */
  private static void wide(
      KernelProvider kp,
      int m,
      int kch,
      int kFirst,
      int w,
      int jtiles,
      int panels,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] bp,
      float[] c,
      int cOff,
      int ldc,
      int n,
      boolean accumulate) {
    int items = (jtiles + WIDE_PANELS - 1) / WIDE_PANELS;
    Parallel.forEach(
        items,
        Parallel.threads((long) m * n * kch, items),
        (item, t) -> {
          int jtEnd = Math.min(jtiles, (item + 1) * WIDE_PANELS);
          for (int jt = item * WIDE_PANELS; jt < jtEnd; jt++) {
            int j0 = jt * w;
            int nr = Math.min(w, n - j0);
            for (int k0 = 0; k0 < kch || k0 == 0; k0 += KC) {
              int kc = Math.min(KC, kch - k0);
              boolean add = accumulate || kFirst + k0 > 0;
              for (int panel = 0; panel < panels; panel++) {
                int i0 = panel * MR;
                int mr = Math.min(MR, m - i0);
                int ao = aOff + i0 * aRs + (kFirst + k0) * aCs;
                kp.tile(mr, nr, kc, a, ao, aRs, aCs, bp, (jt * kch + k0) * w, w, t);
                store(kp, t, mr, nr, c, cOff + i0 * ldc + j0, ldc, add);
              }
            }
          }
        });
  }

  /** Panels of A per work item of {@link #gemm}: 256 rows. */
  private static final int GROUP = 32;

  /**
   * Packs the {@code rows x cols} matrix {@code src[off + q*ld + x]} into panels of {@code width}
   * columns: {@code dst[(jt*rows + q)*width + x] = src[off + q*ld + jt*width + x]}. The padding of
   * the last panel is not written (zero in a fresh array, stale in a reused one): the columns it
   * feeds are never stored.
   */
  static void packColumns(
      float[] src, int off, int ld, int rows, int cols, int width, float[] dst) {
    packColumns(src, off, ld, rows, 0, rows, cols, width, 0f, dst);
  }

  /** {@link #packColumns}, rows {@code q0 <= q < q1} only, each value minus {@code shift}. */
  static void packColumns(
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

  /**
   * A product with one column (a query alone; the last live one of a batch), which reading A
   * bounds: each row of A read once, eight rows at a time, each element of C with exactly the bits
   * the register tiles give it, so that a column of C does not depend on how many columns come with
   * it (a query gets the same fields alone as in any batch, which RecallEngine's end of a cycle of
   * two states relies on): per block of {@link #KC} values of k a chain from +0, {@code acc =
   * fma(A(i,q), B(q,x), acc)} where the provider's tiles fuse their multiply-adds ({@link
   * KernelProvider#fusedTiles}), {@code acc + A(i,q) * B(q,x)} where they do not, and the blocks'
   * sums added into C in order, as {@link #store} adds the tiles of successive blocks. Dot products
   * with vector accumulators, used before for up to four columns, summed in another order (a query
   * alone could get other fields than in a batch); for N = 4096 they took 1.5 ms per product of one
   * column against 2.3 ms for these chains, 2.8-3.6 ms for two to four columns against 3.8 ms for
   * the tiles (one JVM, this project's machine, 2026-11-30).
   */
  private static void gemmByChains(
      KernelProvider kp,
      int m,
      int k,
      float[] a,
      int aOff,
      int aRs,
      Kernels.RowSource src,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    final boolean fused = kp.fusedTiles();
    // B's one column, contiguous: where it is, or gathered when its rows are apart
    final float[] bc;
    final int bo;
    if (ldb == 1) {
      bc = b;
      bo = bOff;
    } else {
      bc = new float[k];
      for (int q = 0; q < k; q++) {
        bc[q] = b[bOff + q * ldb];
      }
      bo = 0;
    }
    final int rowsPerItem = 16;
    int items = (m + rowsPerItem - 1) / rowsPerItem;
    Parallel.forEach(
        items,
        Parallel.threads((long) m * k, items),
        (item, scratch) -> {
          int start = item * rowsPerItem;
          int end = Math.min(m, (item + 1) * rowsPerItem);
          float[] ra = a;
          int ro = aOff + start * aRs;
          int rs = aRs;
          if (src != null) {
            // the item's rows in one call; row i at (i - start) * k
            ra = sourceRows((end - start) * k);
            src.copy(start, end - start, 0, k, ra);
            ro = 0;
            rs = k;
          }
          for (int i0 = start; i0 < end; i0 += 8) {
            int rows = Math.min(8, end - i0);
            chains(
                fused,
                ra,
                ro + (i0 - start) * rs,
                rs,
                rows,
                bc,
                bo,
                k,
                c,
                cOff + i0 * ldc,
                ldc,
                accumulate);
          }
        });
  }

  /**
   * The fewest floats of A for which {@link #gemmByLanes} splits its rows over the threads (16
   * MiB), one item per thread, so that each column of A is read in runs as long as they can be: a
   * smaller A, in cache, took as long or longer on two threads than on one (N = 1024 and 2048: 0.25
   * against 0.28 ms, 1.3 against 1.5 ms per predict; N = 4096: 7.0 against 7.6 ms), and items of
   * 256-512 rows (runs of 1-2 KiB) took 1.3-1.6x as long as items of 1024-2048 for W of N =
   * 2048-4096 (one JVM, this project's machine, 2026-11-30).
   */
  private static final long LANE_SPLIT = 1L << 22;

  /**
   * A product with one column whose A is stored column by column ({@code aRs == 1}: A transposed in
   * place, as a symmetric W or the low-rank {@code Tᵀ} are read), with the bits of the tiles and of
   * {@link #gemmByChains}: per block of {@link #KC} values of k, each row's chain from +0 of fused
   * multiply-adds in k order, and the blocks' sums added into C in order. Here the chains of many
   * rows run side by side in the lanes of the SIMD registers: each link is one stored column of A,
   * contiguous, times {@code B(q, 0)}, added to all of them ({@link KernelProvider#axpyRows},
   * {@code fma(B(q,0), A(i,q), acc)}: the product commutes, the one rounding is the same). Scalar
   * chains of eight rows ran at the FMA units' scalar rate, a sixteenth of this. For providers
   * whose tiles fuse ({@link KernelProvider#fusedTiles}) only: {@code axpyRows} always fuses.
   */
  private static void gemmByLanes(
      KernelProvider kp,
      int m,
      int k,
      float[] a,
      int aOff,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    // one item per thread (rows a multiple of 16) for a large A, else one item
    long floats = (long) m * k;
    int threads = floats >= LANE_SPLIT ? Parallel.threads(floats, (m + 15) / 16) : 1;
    int per = ((m + threads - 1) / threads + 15) & ~15;
    int items = (m + per - 1) / per;
    Parallel.forEach(
        items,
        Math.min(threads, items),
        (item, scratch) -> {
          int start = item * per;
          int len = Math.min(m - start, per);
          if (ldc == 1) {
            lanesInto(kp, k, a, aOff + start, aCs, b, bOff, ldb, c, cOff + start, len, accumulate);
            return;
          }
          // C's column apart: its rows gathered, computed in a row of their own, put back
          float[] t = new float[len];
          if (accumulate) {
            for (int r = 0; r < len; r++) {
              t[r] = c[cOff + (start + r) * ldc];
            }
          }
          lanesInto(kp, k, a, aOff + start, aCs, b, bOff, ldb, t, 0, len, accumulate);
          for (int r = 0; r < len; r++) {
            c[cOff + (start + r) * ldc] = t[r];
          }
        });
  }

  /**
   * {@link #gemmByLanes} for {@code len} rows into {@code c[co..co+len)}: the first k-block's
   * chains run in C itself (from +0, or after C's values when accumulating: the block's chain then
   * starts from +0 in a row of its own and is added, as the tiles add a block to C), each later
   * block's in a row of its own, added into C ({@link KernelProvider#add}: one float add per
   * element, in block order). Written as one flat pass per block: the same arithmetic through a
   * copy of C's rows in the work item's lambda took 85 µs against 5 for N = 16384, P = 4 (the loops
   * around the kernel, not the kernel).
   */
  private static void lanesInto(
      KernelProvider kp,
      int k,
      float[] a,
      int ao,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int co,
      int len,
      boolean accumulate) {
    float[] s = null;
    for (int k0 = 0; k0 < k; k0 += KC) {
      int kb = Math.min(KC, k - k0);
      if (k0 == 0 && !accumulate) {
        java.util.Arrays.fill(c, co, co + len, 0f);
        kp.axpyRows(kb, b, bOff, ldb, a, ao, aCs, c, co, len);
        continue;
      }
      if (s == null) {
        s = new float[len];
      } else {
        java.util.Arrays.fill(s, 0f);
      }
      kp.axpyRows(kb, b, bOff + k0 * ldb, ldb, a, ao + k0 * aCs, aCs, s, 0, len);
      kp.add(s, 0, c, co, len);
    }
  }

  /**
   * {@code C(r, x)} for {@code r < rows} (at most 8; rows {@code rs} apart in {@code a} from {@code
   * ao}, C's {@code ldc} apart from {@code co}) against one column of B ({@code b[bo..bo+k)}), as
   * {@link #gemmByChains} says: C's values first when accumulating, then each k-block's chains
   * added, as {@link #store} adds the tiles of successive blocks.
   */
  private static void chains(
      boolean fused,
      float[] a,
      int ao,
      int rs,
      int rows,
      float[] b,
      int bo,
      int k,
      float[] c,
      int co,
      int ldc,
      boolean accumulate) {
    float[] t = new float[8];
    if (accumulate) {
      for (int r = 0; r < rows; r++) {
        t[r] = c[co + r * ldc];
      }
    }
    float[] s = new float[8];
    for (int k0 = 0; k0 < k; k0 += KC) {
      chains8(fused, a, ao, rs, rows, b, bo, k0, Math.min(k, k0 + KC), s);
      boolean add = accumulate || k0 > 0;
      for (int r = 0; r < 8; r++) {
        t[r] = add ? t[r] + s[r] : s[r];
      }
    }
    for (int r = 0; r < rows; r++) {
      c[co + r * ldc] = t[r];
    }
  }

  /**
   * Eight chains of multiply-adds in scalar registers: {@code out[r] = Σ a[o_r + q] b[bo + q]} for
   * {@code q} from {@code from} to {@code to - 1} in order, from +0, one {@code fma} each where
   * {@code fused} (the bits of a fused tile's element over those values), else a multiply then an
   * add (the plain tiles'); row {@code r} at {@code o_r = ao + r rs}, rows past {@code rows}
   * repeating the last (computed, not meant to be used). Also the scores of one query ({@code
   * Attention.chainScores}).
   */
  static void chains8(
      boolean fused,
      float[] a,
      int ao,
      int rs,
      int rows,
      float[] b,
      int bo,
      int from,
      int to,
      float[] out) {
    int o0 = ao;
    int o1 = ao + Math.min(1, rows - 1) * rs;
    int o2 = ao + Math.min(2, rows - 1) * rs;
    int o3 = ao + Math.min(3, rows - 1) * rs;
    int o4 = ao + Math.min(4, rows - 1) * rs;
    int o5 = ao + Math.min(5, rows - 1) * rs;
    int o6 = ao + Math.min(6, rows - 1) * rs;
    int o7 = ao + Math.min(7, rows - 1) * rs;
    float c0 = 0f;
    float c1 = 0f;
    float c2 = 0f;
    float c3 = 0f;
    float c4 = 0f;
    float c5 = 0f;
    float c6 = 0f;
    float c7 = 0f;
    if (fused) {
      for (int q = from; q < to; q++) {
        float v = b[bo + q];
        c0 = Math.fma(a[o0 + q], v, c0);
        c1 = Math.fma(a[o1 + q], v, c1);
        c2 = Math.fma(a[o2 + q], v, c2);
        c3 = Math.fma(a[o3 + q], v, c3);
        c4 = Math.fma(a[o4 + q], v, c4);
        c5 = Math.fma(a[o5 + q], v, c5);
        c6 = Math.fma(a[o6 + q], v, c6);
        c7 = Math.fma(a[o7 + q], v, c7);
      }
    } else {
      for (int q = from; q < to; q++) {
        float v = b[bo + q];
        c0 += a[o0 + q] * v;
        c1 += a[o1 + q] * v;
        c2 += a[o2 + q] * v;
        c3 += a[o3 + q] * v;
        c4 += a[o4 + q] * v;
        c5 += a[o5 + q] * v;
        c6 += a[o6 + q] * v;
        c7 += a[o7 + q] * v;
      }
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
    out[4] = c4;
    out[5] = c5;
    out[6] = c6;
    out[7] = c7;
  }
}
