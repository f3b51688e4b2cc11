package io.engram.kernels;

/** The plain-Java kernels: the reference the SIMD ones are tested against, and the fallback. */
final class ScalarKernels implements KernelProvider {

  static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    float acc = 0f;
    for (int j = 0; j < n; j++) {
      acc += a[aOff + j] * b[bOff + j];
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
  public void maxMin(float[] v, int off, int ld, int rows, int n, float[] max, float[] min) {
    for (int r = 0, o = off; r < rows; r++, o += ld) {
      for (int i = 0; i < n; i++) {
        float x = v[o + i];
        max[i] = Math.max(max[i], x);
        min[i] = Math.min(min[i], x);
      }
    }
  }

  @Override
  public void expShift(
      float[] v, int off, int ld, int rows, int n, float beta, float[] shift, float[] sum) {
    for (int r = 0, o = off; r < rows; r++, o += ld) {
      for (int i = 0; i < n; i++) {
        float e = Exp.exp(beta * v[o + i] - shift[i]);
        v[o + i] = e;
        sum[i] += e;
      }
    }
  }

  @Override
  public void scale(float[] v, int off, int n, float f) {
    for (int i = off; i < off + n; i++) {
      v[i] = v[i] * f;
    }
  }

  @Override
  public void axpby(float a, float[] x, int xOff, float b, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = Math.fma(a, x[xOff + i], b * y[yOff + i]);
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
          out[o + c] += x * b[pb + c];
        }
        pa += aCs;
        pb += ldb;
      }
    }
  }

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
    for (int j = j0; j < j1; j++) {
      float v = w[off + j];
      w[off + j] = (v + v * (ri + r[j])) + (xi * x[j] + (ui * x[j] + xi * u[j])) * invN;
    }
  }
}
