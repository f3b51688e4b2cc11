package io.engram.memory;

import io.engram.kernels.Kernels;
import io.engram.network.RecallResult;
import io.engram.network.RetrievalStep;

/**
 * The retrieval step of {@link ModernHopfieldMemory}: the live states are the queries of one kernel
 * call ({@link Kernels#softmaxRetrieval} or {@link Kernels#separationRetrieval}), which gives the
 * next states, the energy of the current ones and the best matches in one pass over the stored
 * patterns. Holds the patterns as they were when it was made (never modified); thread-safe.
 */
final class ModernStep implements RetrievalStep {

  private final float[] x;
  private final int p;
  private final int n;
  private final Separation separation;
  private final float beta;
  private final int degree;

  /** Softmax: {@code β⁻¹ ln P + ½ M²}, the constant part of the energy. */
  private final double energyConstant;

  ModernStep(
      float[] x, int p, int n, Separation separation, float beta, int degree, double maxNorm) {
    this.x = x;
    this.p = p;
    this.n = n;
    this.separation = separation;
    this.beta = beta;
    this.degree = degree;
    this.energyConstant =
        separation == Separation.SOFTMAX ? Math.log(p) / beta + 0.5 * maxNorm * maxNorm : 0;
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public boolean batched() {
    return true;
  }

  @Override
  public boolean energyComesWithStep() {
    return true;
  }

  @Override
  public long cost() {
    return 2L * p * n;
  }

  @Override
  public void step(
      float[][] cur,
      float[][] next,
      int count,
      int[] queries,
      int sweep,
      boolean[] changed,
      float[] energies,
      RecallResult.Match[][] matches,
      int topK) {
    float[] q = flatten(cur, count);
    int k = matches == null ? 0 : Math.min(topK, p);
    boolean poly = separation.usesDegree();
    float[] out = poly ? null : new float[count * n];
    double[] outD = poly ? new double[count * n] : null;
    double[] stat = new double[count];
    double[] energy = new double[count];
    int[] ti = new int[count * k];
    float[] ts = new float[count * k];
    run(q, count, out, outD, stat, energy, k, ti, ts);
    float shrink = separation == Separation.EXP ? (float) Math.tanh(beta) : 0f;
    for (int c = 0; c < count; c++) {
      float[] s = cur[c];
      float[] t = next[c];
      if (separation == Separation.SOFTMAX) {
        System.arraycopy(out, c * n, t, 0, n);
      } else {
        for (int i = 0, o = c * n; i < n; i++, o++) {
          // the binary update: the sign of the field, a zero field keeps the value (the
          // polynomial fields are exact integers in float64 for ±1 data below 2^53)
          double field = poly ? outD[o] + s[i] * stat[c] : (double) out[o] - (double) shrink * s[i];
          t[i] = field > 0 ? 1f : field < 0 ? -1f : s[i];
        }
      }
      changed[c] = !sameBits(s, t);
      if (energies != null) {
        energies[c] = energy(s, stat[c], energy[c]);
      }
      if (k > 0) {
        RecallResult.Match[] m = new RecallResult.Match[k];
        for (int j = 0; j < k; j++) {
          m[j] = new RecallResult.Match(ti[c * k + j], weight(ts[c * k + j], stat[c]));
        }
        matches[c] = m;
      }
    }
  }

  @Override
  public void energies(float[][] states, int count, float[] out) {
    double[] stat = new double[count];
    double[] energy = new double[count];
    run(flatten(states, count), count, null, null, stat, energy, 0, null, null);
    for (int c = 0; c < count; c++) {
      out[c] = energy(states[c], stat[c], energy[c]);
    }
  }

  /** One kernel call: softmax ({@code stat = ln Σ e^(β s)}) or separation ({@code stat = Σ d}). */
  private void run(
      float[] q,
      int count,
      float[] out,
      double[] outD,
      double[] stat,
      double[] energy,
      int k,
      int[] ti,
      float[] ts) {
    if (separation.isBinary()) {
      for (int c = 0; c < count; c++) {
        ModernHopfieldMemory.checkBinary(q, c * n, n, "state " + c, separation);
      }
    }
    switch (separation) {
      case SOFTMAX, EXP -> Kernels.softmaxRetrieval(count, p, n, q, x, beta, out, stat, k, ti, ts);
      case POLYNOMIAL, RECTIFIED ->
          Kernels.separationRetrieval(
              count,
              p,
              n,
              q,
              x,
              degree,
              separation == Separation.RECTIFIED,
              outD,
              stat,
              energy,
              k,
              ti,
              ts);
    }
  }

  /** The energy of state {@code s} from the kernel's statistics (see the memory's comment). */
  private float energy(float[] s, double stat, double separationEnergy) {
    switch (separation) {
      case SOFTMAX -> {
        return (float) (-stat / beta + 0.5 * squaredNorm(s, 0, s.length) + energyConstant);
      }
      case EXP -> {
        return (float) (-stat / beta);
      }
      default -> {
        return (float) separationEnergy;
      }
    }
  }

  /** The softmax weight {@code e^(β s - lse)} of a score, or the overlap {@code s/N}. */
  private float weight(float score, double stat) {
    if (separation.usesBeta()) {
      // β s rounded to float32 as the kernel rounds it, so the best weight is at most 1
      return (float) Math.min(1.0, StrictMath.exp((double) (beta * score) - stat));
    }
    return (float) ((double) score / n);
  }

  /** Whether the arrays hold the same bits (no NaN ever reaches a state). */
  private static boolean sameBits(float[] a, float[] b) {
    // Arrays.equals compares floatToIntBits, which differs from the raw bits only for NaN
    return java.util.Arrays.equals(a, b);
  }

  /**
   * {@code Σ v_i²} over {@code v[off..off+len)} in float64, four partial sums in a fixed order
   * (infinite or NaN when a value is).
   */
  static double squaredNorm(float[] v, int off, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = off;
    int end = off + len;
    for (; i + 4 <= end; i += 4) {
      s0 += (double) v[i] * v[i];
      s1 += (double) v[i + 1] * v[i + 1];
      s2 += (double) v[i + 2] * v[i + 2];
      s3 += (double) v[i + 3] * v[i + 3];
    }
    for (; i < end; i++) {
      s0 += (double) v[i] * v[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private float[] flatten(float[][] rows, int count) {
    float[] q = new float[count * n];
    for (int c = 0; c < count; c++) {
      System.arraycopy(rows[c], 0, q, c * n, n);
    }
    return q;
  }
}
