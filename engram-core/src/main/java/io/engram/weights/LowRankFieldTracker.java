package io.engram.weights;

/**
 * Fields for asynchronous updates of low-rank weights in O(R) per neuron: keeps {@code y_b = T_b s}
 * (float64) up to date as neurons change, and forms {@code W[i]·s = Σ_b ±(T_b[:,i]·y_b - q_b[i]
 * s_i)/d_b + g_i s_i} from it. Reads the state it was made with; not thread-safe.
 */
final class LowRankFieldTracker implements Weights.FieldTracker {

  private final LowRankBlock[] bs;
  private final float[] g;
  private final float[] s;
  private final float[][] tt;
  private final double[][] y;

  LowRankFieldTracker(int n, LowRankBlock[] bs, float[] g, float[] s) {
    this.bs = bs;
    this.g = g;
    this.s = s;
    int nb = bs.length;
    this.tt = new float[nb][];
    this.y = new double[nb][];
    for (int b = 0; b < nb; b++) {
      LowRankBlock blk = bs[b];
      tt[b] = blk.transposed(n);
      double[] yb = new double[blk.p];
      for (int k = 0; k < blk.p; k++) {
        double acc = 0;
        int o = k * n;
        for (int i = 0; i < n; i++) {
          acc += (double) blk.t[o + i] * s[i];
        }
        yb[k] = acc;
      }
      y[b] = yb;
    }
  }

  @Override
  public float field(int i) {
    double f = (double) g[i] * s[i];
    for (int b = 0; b < bs.length; b++) {
      LowRankBlock blk = bs[b];
      float[] t = tt[b];
      double[] yb = y[b];
      int o = i * blk.p;
      double z = 0;
      for (int k = 0; k < blk.p; k++) {
        z += t[o + k] * yb[k];
      }
      z -= (double) blk.q[i] * s[i];
      f += blk.scale(z);
    }
    return (float) f;
  }

  @Override
  public void changed(int i, float before, float after) {
    double d = (double) after - before;
    if (d == 0) {
      return;
    }
    for (int b = 0; b < bs.length; b++) {
      float[] t = tt[b];
      double[] yb = y[b];
      int p = yb.length;
      int o = i * p;
      for (int k = 0; k < p; k++) {
        yb[k] += t[o + k] * d;
      }
    }
  }
}
