package io.engram.kernels;

import java.util.Arrays;

/**
 * The partial result of one query group of {@link Attention} over one chunk of stored patterns, and
 * its life: empty, updated block by block (for softmax, the online softmax: the largest {@code β s}
 * so far, the sum of {@code e^(β s - max)} and the output, rescaled when the maximum grows; for
 * separation, the sums in float64), merged with the next chunk's in chunk order, written out. Every
 * query goes through the same operations in the same order, whatever its group or thread.
 */
final class AttentionPartial {
  final int g;
  final float[] o; // softmax: g x n from oOff (the call's output, or its own), or null
  final int oOff;
  final int n;
  final double[] od; // separation: g x n, or null
  final float[] max; // softmax: the largest β s so far
  final double[] s1; // softmax: Σ e^(β s - max); separation: Σ d_μ
  final double[] s2; // separation: -Σ F(s)
  final TopK top; // null when k = 0

  /**
   * Whether {@code o} holds this result's output yet: until the first block is added, its rows hold
   * anything (the first block stores into them, or zeroes them first: {@link #zeroedOutput}).
   */
  private boolean written;

  /**
   * An empty partial result; with {@code outRow >= 0} its output is the call's own output rows from
   * {@code outRow} (not read before the first block writes them), else an array of its own.
   */
  AttentionPartial(Attention.Call c, int g, int outRow) {
    this.g = g;
    this.n = c.n();
    if (c.out() != null && outRow >= 0) {
      this.o = c.out();
      this.oOff = outRow * c.n();
    } else {
      this.o = c.out() != null ? new float[g * c.n()] : null;
      this.oOff = 0;
    }
    this.od = c.outD() != null ? new double[g * c.n()] : null;
    this.max = new float[g];
    this.s1 = new double[g];
    this.s2 = new double[g];
    this.top = c.k() > 0 ? new TopK(g, c.k()) : null;
    Arrays.fill(max, Float.NEGATIVE_INFINITY);
  }

  /**
   * Whether the next block is the first to reach the output (which it then stores rather than adds
   * to); after this call the output counts as written.
   */
  boolean firstOutput() {
    boolean first = !written;
    written = true;
    return first;
  }

  /** The output rows, zeroed when no block has reached them yet (to be added to). */
  float[] zeroedOutput() {
    if (firstOutput()) {
      Arrays.fill(o, oOff, oOff + g * n, 0f);
    }
    return o;
  }

  /** Back to the empty result, for the next chunk. */
  AttentionPartial reset() {
    written = false;
    if (od != null) {
      Arrays.fill(od, 0);
    }
    Arrays.fill(max, Float.NEGATIVE_INFINITY);
    Arrays.fill(s1, 0);
    Arrays.fill(s2, 0);
    if (top != null) {
      top.reset();
    }
    return this;
  }

  /**
   * The online softmax over one block: raise each query's maximum (rescaling its sum and partial
   * output by {@code e^(old - new)}), then {@code w = e^(β s - max)} in place and their sums.
   */
  static void softmaxWeights(
      Attention.Call c,
      AttentionPartial part,
      float[] sc,
      int g,
      int ld,
      int pb,
      float[] bmax,
      float[] bsum) {
    float beta = c.wt().beta();
    for (int q = 0; q < g; q++) {
      float m = Math.max(part.max[q], beta * bmax[q]);
      if (m > part.max[q]) {
        if (part.max[q] != Float.NEGATIVE_INFINITY) {
          double a = StrictMath.exp((double) part.max[q] - m);
          part.s1[q] *= a;
          if (part.o != null) {
            c.kp().scale(part.o, part.oOff + q * c.n(), c.n(), (float) a);
          }
        }
        part.max[q] = m;
      }
    }
    Arrays.fill(bsum, 0f);
    c.kp().expShift(sc, 0, ld, pb, g, beta, part.max, bsum);
    for (int q = 0; q < g; q++) {
      part.s1[q] += bsum[q];
    }
  }

  /** Merges {@code b} (the later chunk) into {@code a}. */
  static void merge(Attention.Call c, AttentionPartial a, AttentionPartial b) {
    int n = c.n();
    for (int q = 0; q < a.g; q++) {
      if (c.wt().softmax()) {
        float m = Math.max(a.max[q], b.max[q]);
        double fa = StrictMath.exp((double) a.max[q] - m);
        double fb = StrictMath.exp((double) b.max[q] - m);
        a.s1[q] = a.s1[q] * fa + b.s1[q] * fb;
        a.max[q] = m;
        if (a.o != null) {
          c.kp().axpby((float) fb, b.o, b.oOff + q * n, (float) fa, a.o, a.oOff + q * n, n);
        }
      } else {
        a.s1[q] += b.s1[q];
        a.s2[q] += b.s2[q];
        if (a.od != null) {
          for (int i = q * n; i < (q + 1) * n; i++) {
            a.od[i] += b.od[i];
          }
        }
      }
      if (a.top != null) {
        a.top.merge(b.top, q);
      }
    }
  }

  /** Writes a group's results (queries from g0) into the outputs. */
  static void finish(Attention.Call c, AttentionPartial a, int g0) {
    int n = c.n();
    for (int q = 0; q < a.g; q++) {
      int row = g0 + q;
      if (c.wt().softmax()) {
        c.stat1()[row] = a.max[q] + StrictMath.log(a.s1[q]);
        if (a.o != null && !Attention.normalisesWeights(c)) {
          c.kp().divide(a.o, a.oOff + q * n, n, (float) a.s1[q]);
        }
      } else {
        c.stat1()[row] = a.s1[q];
        c.stat2()[row] = a.s2[q];
      }
      if (a.o != null && a.o != c.out()) {
        System.arraycopy(a.o, a.oOff + q * n, c.out(), row * n, n);
      }
      if (a.od != null) {
        System.arraycopy(a.od, q * n, c.outD(), row * n, n);
      }
      if (a.top != null) {
        a.top.copyOut(q, c.topIndex(), c.topScore(), row);
      }
    }
  }
}
