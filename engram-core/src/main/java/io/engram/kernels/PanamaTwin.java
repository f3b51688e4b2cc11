package io.engram.kernels;

/**
 * Plain-Java kernels that give exactly the bits {@code PanamaKernels} gives: the same fused
 * multiply-adds in the same order, the same lane sums. They stand in for the SIMD kernels while
 * those are not yet compiled by C2 ({@link KernelWarmup}): before C2, every Vector API operation is
 * a call into its Java fallback and these plain loops are many times faster, and because the bits
 * are the same, a result never depends on which of the two ran.
 *
 * <p>What is reproduced, for a vector of {@code lanes} floats: a tile entry is {@code acc =
 * fma(A(r,q), B(q,c), acc)} for q increasing, from 0 or (with {@code add}) from {@code out}; a dot
 * product keeps four vector accumulators over blocks of 4 vectors, then one over single vectors,
 * adds them as {@code (s0 + s1) + (s2 + s3)}, sums the lanes as {@code PanamaKernels.sumLanes} does
 * (a tree of rotations for 16 lanes, else in lane order from 0), then adds the tail with {@code
 * fma}; {@code divide} and {@code add} are element-wise. {@code PanamaTwinTest} checks it bit for
 * bit against the SIMD kernels.
 */
final class PanamaTwin implements KernelProvider {

  private final int lanes;

  /** For vectors of {@code lanes} floats (the SIMD kernels' species length). */
  PanamaTwin(int lanes) {
    if (lanes < 1 || Integer.bitCount(lanes) != 1) {
      throw new IllegalArgumentException("lanes must be a power of 2, got " + lanes);
    }
    this.lanes = lanes;
  }

  @Override
  public String name() {
    return "panama-twin-" + lanes * 32;
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    KernelWarmup.twinWork(n);
    final int l = lanes;
    float[] s = new float[4 * l]; // s0 | s1 | s2 | s3
    int j = 0;
    for (int bound4 = n - 4 * l; j <= bound4; j += 4 * l) {
      for (int i = 0; i < 4 * l; i++) {
        s[i] = Math.fma(a[aOff + j + i], b[bOff + j + i], s[i]);
      }
    }
    for (; j <= n - l; j += l) {
      for (int i = 0; i < l; i++) {
        s[i] = Math.fma(a[aOff + j + i], b[bOff + j + i], s[i]);
      }
    }
    float[] v = new float[l];
    for (int i = 0; i < l; i++) {
      v[i] = (s[i] + s[l + i]) + (s[2 * l + i] + s[3 * l + i]);
    }
    float acc = sumLanes(v);
    for (; j < n; j++) {
      acc = Math.fma(a[aOff + j], b[bOff + j], acc);
    }
    return acc;
  }

  /** True: a tile entry is {@code acc = fma(A, B, acc)}, as in the SIMD kernels. */
  @Override
  public boolean fusedTiles() {
    return true;
  }

  @Override
  public float laneDot(float[] a, int aOff, float[] b, int bOff, int n) {
    KernelWarmup.twinWork(n);
    final int l = lanes;
    float[] s = new float[l];
    int j = 0;
    for (; j <= n - l; j += l) {
      for (int i = 0; i < l; i++) {
        s[i] = Math.fma(a[aOff + j + i], b[bOff + j + i], s[i]);
      }
    }
    float acc = sumLanes(s);
    for (; j < n; j++) {
      acc = Math.fma(a[aOff + j], b[bOff + j], acc);
    }
    return acc;
  }

  /** {@code PanamaKernels.sumLanes}: for 16 lanes v + rot(v, 8), + rot(4), + rot(2), + rot(1). */
  private float sumLanes(float[] v) {
    if (lanes == 16) {
      float[] w = new float[16];
      for (int by = 8; by >= 1; by >>= 1) {
        for (int i = 0; i < 16; i++) {
          w[i] = v[i] + v[(i + by) & 15];
        }
        float[] t = v;
        v = w;
        w = t;
      }
      return v[0];
    }
    float acc = 0f;
    for (int i = 0; i < lanes; i++) {
      acc += v[i];
    }
    return acc;
  }

  @Override
  public void divide(float[] v, int off, int n, float d) {
    for (int i = off; i < off + n; i++) {
      v[i] = v[i] / d;
    }
  }

  @Override
  public void add(float[] src, int sOff, float[] dst, int dOff, int n) {
    for (int i = 0; i < n; i++) {
      dst[dOff + i] += src[sOff + i];
    }
  }

  @Override
  public void tile(
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
      boolean add) {
    KernelWarmup.twinWork((long) mr * nr * k);
    for (int r0 = 0; r0 < mr; r0 += 4) {
      int c0 = 0;
      if (r0 + 4 <= mr) {
        for (; c0 + 4 <= nr; c0 += 4) {
          block(k, a, aOff + r0 * aRs, aRs, aCs, b, bOff + c0, ldb, out, r0 * NR + c0, add);
        }
      }
      for (int r = r0; r < Math.min(mr, r0 + 4); r++) {
        for (int c = c0; c < nr; c++) {
          int o = r * NR + c;
          float acc = add ? out[o] : 0f;
          int pa = aOff + r * aRs;
          int pb = bOff + c;
          for (int q = 0; q < k; q++) {
            acc = Math.fma(a[pa], b[pb], acc);
            pa += aCs;
            pb += ldb;
          }
          out[o] = acc;
        }
      }
    }
  }

  /** The Storkey row has no fused multiply-adds and no lane sums: every provider gives its bits. */
  @Override
  public void storkeyRow(
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
      float invN) {
    ScalarKernels.INSTANCE.storkeyRow(w, off, j0, j1, xi, ui, ri, x, u, r, invN);
  }

  /** Element-wise, the same bits in every provider: the plain-Java kernel's. */
  @Override
  public void maxMin(float[] v, int off, int ld, int rows, int n, float[] max, float[] min) {
    ScalarKernels.INSTANCE.maxMin(v, off, ld, rows, n, max, min);
  }

  /** Element-wise, the same bits in every provider: the plain-Java kernel's. */
  @Override
  public void expShift(
      float[] v, int off, int ld, int rows, int n, float beta, float[] shift, float[] sum) {
    ScalarKernels.INSTANCE.expShift(v, off, ld, rows, n, beta, shift, sum);
  }

  /** Element-wise, the same bits in every provider: the plain-Java kernel's. */
  @Override
  public void scale(float[] v, int off, int n, float f) {
    ScalarKernels.INSTANCE.scale(v, off, n, f);
  }

  /** Element-wise, the same bits in every provider: the plain-Java kernel's. */
  @Override
  public void axpby(float a, float[] x, int xOff, float b, float[] y, int yOff, int n) {
    ScalarKernels.INSTANCE.axpby(a, x, xOff, b, y, yOff, n);
  }

  /**
   * Four rows by four columns of a tile, the 16 sums in locals (registers, once compiled): each
   * value of A and B loaded is used four times, which makes this some four times faster than a loop
   * over single entries, and C2 compiles it within the first tens of milliseconds.
   */
  private static void block(
      int k,
      float[] a,
      int pa,
      int aRs,
      int aCs,
      float[] b,
      int pb,
      int ldb,
      float[] out,
      int o,
      boolean add) {
    float s00 = 0f, s01 = 0f, s02 = 0f, s03 = 0f;
    float s10 = 0f, s11 = 0f, s12 = 0f, s13 = 0f;
    float s20 = 0f, s21 = 0f, s22 = 0f, s23 = 0f;
    float s30 = 0f, s31 = 0f, s32 = 0f, s33 = 0f;
    if (add) {
      s00 = out[o];
      s01 = out[o + 1];
      s02 = out[o + 2];
      s03 = out[o + 3];
      s10 = out[o + NR];
      s11 = out[o + NR + 1];
      s12 = out[o + NR + 2];
      s13 = out[o + NR + 3];
      s20 = out[o + 2 * NR];
      s21 = out[o + 2 * NR + 1];
      s22 = out[o + 2 * NR + 2];
      s23 = out[o + 2 * NR + 3];
      s30 = out[o + 3 * NR];
      s31 = out[o + 3 * NR + 1];
      s32 = out[o + 3 * NR + 2];
      s33 = out[o + 3 * NR + 3];
    }
    for (int q = 0; q < k; q++) {
      float b0 = b[pb];
      float b1 = b[pb + 1];
      float b2 = b[pb + 2];
      float b3 = b[pb + 3];
      float a0 = a[pa];
      float a1 = a[pa + aRs];
      float a2 = a[pa + 2 * aRs];
      float a3 = a[pa + 3 * aRs];
      s00 = Math.fma(a0, b0, s00);
      s01 = Math.fma(a0, b1, s01);
      s02 = Math.fma(a0, b2, s02);
      s03 = Math.fma(a0, b3, s03);
      s10 = Math.fma(a1, b0, s10);
      s11 = Math.fma(a1, b1, s11);
      s12 = Math.fma(a1, b2, s12);
      s13 = Math.fma(a1, b3, s13);
      s20 = Math.fma(a2, b0, s20);
      s21 = Math.fma(a2, b1, s21);
      s22 = Math.fma(a2, b2, s22);
      s23 = Math.fma(a2, b3, s23);
      s30 = Math.fma(a3, b0, s30);
      s31 = Math.fma(a3, b1, s31);
      s32 = Math.fma(a3, b2, s32);
      s33 = Math.fma(a3, b3, s33);
      pa += aCs;
      pb += ldb;
    }
    out[o] = s00;
    out[o + 1] = s01;
    out[o + 2] = s02;
    out[o + 3] = s03;
    out[o + NR] = s10;
    out[o + NR + 1] = s11;
    out[o + NR + 2] = s12;
    out[o + NR + 3] = s13;
    out[o + 2 * NR] = s20;
    out[o + 2 * NR + 1] = s21;
    out[o + 2 * NR + 2] = s22;
    out[o + 2 * NR + 3] = s23;
    out[o + 3 * NR] = s30;
    out[o + 3 * NR + 1] = s31;
    out[o + 3 * NR + 2] = s32;
    out[o + 3 * NR + 3] = s33;
  }
}
