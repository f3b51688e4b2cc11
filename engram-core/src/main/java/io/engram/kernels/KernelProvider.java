package io.engram.kernels;

/**
 * The primitive float32 kernels, in two implementations: {@link ScalarKernels} (plain Java, always
 * available) and {@code PanamaKernels} (the incubating Vector API, loaded by reflection when {@code
 * jdk.incubator.vector} is present). Drivers in {@link Kernels} block, tile and parallelise around
 * these; implementations hold no state and are thread-safe.
 *
 * <p>Every output element is accumulated over {@code k} in increasing order (with or without a
 * fused multiply-add), so results do not depend on blocking or on the number of threads.
 */
interface KernelProvider {

  /** Rows of one register tile. */
  int MR = 8;

  /** Columns of one register tile. */
  int NR = 32;

  /** The most rows of one {@link #tileInto} or {@link #tileAddInto} call. */
  int TALL = 12;

  /** A short name for logs and benchmarks, e.g. {@code scalar} or {@code panama-512}. */
  String name();

  /** {@code Σ_{j<n} a[aOff+j] b[bOff+j]}. */
  float dot(float[] a, int aOff, float[] b, int bOff, int n);

  /**
   * {@code y[yOff+i] = fma(w_r, x[xOff + r*ldx + i], y[yOff+i])} for {@code r = 0..rows-1} in
   * order, {@code i < n}, with {@code w_r = w[wOff + r*wStride]}: the bits of {@link #axpby} with
   * {@code b = 1} called row by row, with y read and written once. The arrays must not overlap.
   */
  default void axpyRows(
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[] y,
      int yOff,
      int n) {
    for (int r = 0; r < rows; r++) {
      axpby(w[wOff + r * wStride], x, xOff + r * ldx, 1f, y, yOff, n);
    }
  }

  /**
   * {@link #axpyRows} for {@code m} outputs at once: for each {@code j < m}, {@code axpyRows(rows,
   * w, wOff + j, wStride, x, xOff, ldx, y, yOff + j*ldy, n)} (output j's weight for row r is {@code
   * w[wOff + j + r*wStride]}), with its bits. The SIMD kernels read each row of x once for four
   * outputs instead of once for each. Outputs must not overlap each other, x or w.
   */
  default void axpyRowsEach(
      int m,
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[] y,
      int yOff,
      int ldy,
      int n) {
    for (int j = 0; j < m; j++) {
      axpyRows(rows, w, wOff + j, wStride, x, xOff, ldx, y, yOff + j * ldy, n);
    }
  }

  /**
   * {@link #axpyRowsEach} into outputs that start at +0 whatever they hold: the bits of zeroing
   * each output row ({@code y[yOff + j*ldy ..][0..n)}, nothing else) and then {@link
   * #axpyRowsEach}. The SIMD kernels start the first pass from zero in the registers instead of
   * zeroing y and reading it back.
   */
  default void axpyRowsEachInto(
      int m,
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[] y,
      int yOff,
      int ldy,
      int n) {
    for (int j = 0; j < m; j++) {
      java.util.Arrays.fill(y, yOff + j * ldy, yOff + j * ldy + n, 0f);
    }
    axpyRowsEach(m, rows, w, wOff, wStride, x, xOff, ldx, y, yOff, ldy, n);
  }

  /**
   * Sixteen dot products of four rows of {@code a} (from the offsets {@code aOff[0..3]}) with four
   * rows of their own arrays ({@code b[j]} from {@code bOff[j]}), over {@code n} values: {@code
   * out[4*i + j] = a_i·b_j}, each summed in the order of {@link #laneDot} (a row may be passed more
   * than once). The SIMD kernels keep the sixteen in registers and read every row once (a small
   * memory's scores).
   */
  default void dot4x4(float[] a, int[] aOff, float[][] b, int[] bOff, int n, float[] out) {
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        out[4 * i + j] = laneDot(a, aOff[i], b[j], bOff[j], n);
      }
    }
  }

  /**
   * A dot product in the order of one vector accumulator: in the SIMD kernels (and their twin), for
   * vectors of L floats, lane l is the chain {@code acc = fma(a[j], b[j], acc)} over {@code j = l,
   * l + L, ...} while whole vectors remain, the lanes are summed as those kernels sum them, and the
   * last {@code n mod L} products are added one by one with {@code fma}; in the plain kernels, one
   * chain over all n values.
   */
  default float laneDot(float[] a, int aOff, float[] b, int bOff, int n) {
    float acc = 0f;
    for (int j = 0; j < n; j++) {
      acc = Math.fma(a[aOff + j], b[bOff + j], acc);
    }
    return acc;
  }

  /**
   * For each output {@code j < m} (1 to 4), its own array {@code y[j]}: {@code y[j][i] = Σ_r w[wOff
   * + j + r*wStride] x[xOff + r*ldx + i]} for {@code i < n}, a chain of fused multiply-adds over
   * the rows in order from +0 (whatever y held): the bits of {@link #axpyRowsEachInto} (a small
   * memory's output, written straight into the new states). The outputs must not overlap the inputs
   * or each other.
   */
  default void axpyRowsInto(
      int m,
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[][] y,
      int n) {
    for (int j = 0; j < m; j++) {
      java.util.Arrays.fill(y[j], 0, n, 0f);
      axpyRows(rows, w, wOff + j, wStride, x, xOff, ldx, y[j], 0, n);
    }
  }

  /** {@code v[off+i] = v[off+i] / d} for {@code i < n} (IEEE division, as written). */
  void divide(float[] v, int off, int n, float d);

  /** {@code dst[dOff+i] += src[sOff+i]} for {@code i < n}; the arrays must not overlap. */
  void add(float[] src, int sOff, float[] dst, int dOff, int n);

  /**
   * For each of {@code rows} rows {@code v[off + r*ld ..][0..n)}: {@code max[i] = Math.max(max[i],
   * v[..+i])} and {@code min[i] = Math.min(min[i], v[..+i])} (NaN propagates, as in {@link
   * Math#max}). Rows in one call: a call per short row costs the Vector API kernels several times
   * the work (measured: 3x for rows of 256).
   */
  void maxMin(float[] v, int off, int ld, int rows, int n, float[] max, float[] min);

  /**
   * Softmax weights of {@code rows} rows of scores {@code v[off + r*ld ..][0..n)}: {@code v[..+i] =
   * e^min(beta * v[..+i] - shift[i], 0)} (the product rounded to float32 before the subtraction, so
   * that a score whose product is the shift gets exactly 1) computed as {@link Exp#exp}, then
   * {@code sum[i] += v[..+i]}, row after row. Every implementation gives the same bits.
   */
  void expShift(
      float[] v, int off, int ld, int rows, int n, float beta, float[] shift, float[] sum);

  /** {@code v[off+i] = v[off+i] * f} for {@code i < n}. */
  void scale(float[] v, int off, int n, float f);

  /**
   * {@code y[yOff+i] = fma(a, x[xOff+i], b * y[yOff+i])} for {@code i < n} (the same bits in every
   * implementation); the arrays must not overlap.
   */
  void axpby(float a, float[] x, int xOff, float b, float[] y, int yOff, int n);

  /**
   * One register tile of a matrix product: {@code out[r*NR + c] = Σ_{q<k} A(r,q) B(q,c)} for {@code
   * r < mr <= MR}, {@code c < nr <= NR}, with {@code A(r,q) = a[aOff + r*aRs + q*aCs]} (any
   * strides: A may be transposed in place) and {@code B(q,c) = b[bOff + q*ldb + c]} (rows
   * contiguous). Entries of {@code out} outside {@code mr x nr} are unspecified.
   */
  default void tile(
      int mr,
      int nr,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] out) {
    tile(mr, nr, k, a, aOff, aRs, aCs, b, bOff, ldb, out, false);
  }

  /**
   * {@link #tile}, or, when {@code add}, continued: every entry of {@code out} inside {@code mr x
   * nr} starts from its current value instead of zero, and gets the same operations, in the same
   * order, as the remaining steps of one {@code tile} over a longer range of {@code k}. So a tile
   * over {@code k = k1 + k2} equals the first k1 steps then the next k2 with {@code add}, bit for
   * bit (the k-blocking of {@link Kernels#syrkAdd} relies on it).
   */
  void tile(
      int mr,
      int nr,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] out,
      boolean add);

  /**
   * Whether {@link #tile} accumulates each element with fused multiply-adds, {@code acc = fma(A, B,
   * acc)}, as {@link #axpby} does: then rows added one by one ({@link #axpyRows}) from zero give
   * the bits of a tile over the same rows, and a driver may take either. False by default (the
   * plain kernels' tiles multiply and add apart).
   */
  default boolean fusedTiles() {
    return false;
  }

  /**
   * The most rows that {@link #tileInto} and {@link #tileAddInto} run as one register tile now:
   * {@link #TALL} where these kernels have such a tile in use, else {@link #MR} (taller calls then
   * go through tiles of 8 rows and a partial one, slower than tiles of 8 alone).
   */
  default int tallRows() {
    return MR;
  }

  /**
   * {@link #tile} (from zero) written straight into C: {@code c[cOff + r*ldc + j] = Σ_{q<k} A(r,q)
   * B(q,j)} for {@code r < mr <= TALL}, {@code j < nr}, nothing else of {@code c} written, the bits
   * of {@code tile}. The SIMD kernels store a full tile from its registers; the others go through
   * {@code scratch} ({@code TALL x NR} floats), as the drivers used to.
   */
  default void tileInto(
      int mr,
      int nr,
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
      float[] scratch) {
    throughScratch(false, mr, nr, k, a, aOff, aRs, aCs, b, bOff, ldb, c, cOff, ldc, scratch);
  }

  /**
   * {@link #tile} (from zero) added into C: {@code c[cOff + r*ldc + j] += Σ_{q<k} A(r,q) B(q,j)}
   * for {@code r < mr <= TALL}, {@code j < nr}, the sum formed first and then added, as {@link
   * #add} of the tile would (the same bits); nothing else of {@code c} written. {@code scratch}
   * ({@code TALL x NR} floats) holds the tile between the two.
   */
  default void tileAddInto(
      int mr,
      int nr,
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
      float[] scratch) {
    throughScratch(true, mr, nr, k, a, aOff, aRs, aCs, b, bOff, ldb, c, cOff, ldc, scratch);
  }

  /**
   * {@link #tileInto} or, with {@code add}, {@link #tileAddInto} by {@link #tile}: at most {@link
   * #MR} rows at a time into {@code scratch}, each row then copied or added into C.
   */
  private void throughScratch(
      boolean add,
      int mr,
      int nr,
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
      float[] scratch) {
    for (int r0 = 0; r0 < mr; r0 += MR) {
      int rows = Math.min(MR, mr - r0);
      tile(rows, nr, k, a, aOff + r0 * aRs, aRs, aCs, b, bOff, ldb, scratch, false);
      for (int r = 0; r < rows; r++) {
        if (add) {
          add(scratch, r * NR, c, cOff + (r0 + r) * ldc, nr);
        } else {
          System.arraycopy(scratch, r * NR, c, cOff + (r0 + r) * ldc, nr);
        }
      }
    }
  }

  /**
   * One row of the Storkey update ({@link Kernels#storkeyUpdate}), columns {@code j0 <= j < j1} of
   * the row that starts at {@code w[off]}: with {@code v = w[off + j]},
   *
   * <pre>
   *   w[off + j] = (v + v * (ri + r[j])) + (xi * x[j] + (ui * x[j] + xi * u[j])) * invN
   * </pre>
   *
   * each operation as written, in float32, without fused multiply-adds: the result is symmetric in
   * the row and column (every operation's operands swap commutatively) and bit-for-bit the same in
   * every implementation.
   */
  void storkeyRow(
      float[] w,
      int off,
      int j0,
      int j1,
      float xi,
      float ui,
      float ri,
      float[] x,
      float[] u,
      float[] r,
      float invN);

  /**
   * Kernels with exactly these bits that are fast from a process's first calls, used while {@link
   * KernelWarmup} gets these compiled; these kernels themselves by default.
   */
  default KernelProvider standIn() {
    return this;
  }
}
