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
    for (int r = 0; r < mr; r++) {
      int o = r * NR;
      if (!add) {
        java.util.Arrays.fill(out, o, o + nr, 0f);
      }
      int pa = aOff + r * aRs;
      int pb = bOff;
      for (int q = 0; q < k; q++) {
        float x = a[pa];
        for (int c = 0; c < nr; c++) {
          out[o + c] = Math.fma(x, b[pb + c], out[o + c]);
        }
        pa += aCs;
        pb += ldb;
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
}
