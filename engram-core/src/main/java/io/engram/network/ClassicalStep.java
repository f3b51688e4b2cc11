package io.engram.network;

import io.engram.weights.Weights;

/**
 * The retrieval step of the classical (Amari-Hopfield) network: {@code s ← act(W s - θ)} for all
 * neurons at once (synchronous), or one sweep {@code for i in order: s_i ← act(W_i·s - θ)} seeing
 * the current state (asynchronous). Energy {@code E = -½ sᵀWs + θ Σ s}.
 *
 * <p>Synchronous steps are batched: the live states are packed as the columns of one N x L matrix
 * and multiplied by W in one blocked product; the activation then reads the field matrix once, row
 * by row, and notes which states changed and their energies on the way. Asynchronous sweeps keep
 * the fields up to date neuron by neuron ({@link Weights#fieldTracker}). Immutable; thread-safe.
 */
final class ClassicalStep implements RetrievalStep {

  private final Weights w;
  private final Dynamics d;
  private final int n;

  ClassicalStep(Weights w, Dynamics d) {
    this.w = w;
    this.d = d;
    this.n = w.size();
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public boolean batched() {
    return !d.updateMode().isAsynchronous();
  }

  @Override
  public boolean energyComesWithStep() {
    return batched();
  }

  /** Synchronous updates: {@code act(W s - θ)} of the state alone, in any batch. */
  @Override
  public boolean dependsOnStateAlone() {
    return batched();
  }

  @Override
  public long cost() {
    long r = w.rank();
    return (long) n * Math.min(n, 4L * Math.max(1, r));
  }

  @Override
  public void step(
      float[][] cur,
      float[][] next,
      int count,
      int[] queries,
      int sweep,
      boolean[] changed,
      double[] energies,
      RecallResult.Match[][] matches,
      int topK) {
    if (batched()) {
      synchronous(cur, next, count, changed, energies);
    } else {
      for (int c = 0; c < count; c++) {
        if (energies != null) {
          energies[c] = energy(cur[c]);
        }
        changed[c] = sweep(cur[c], next[c], queries[c], sweep);
      }
    }
  }

  /**
   * The energies of {@code count} states from one product {@code W S}, as a synchronous step has
   * them: a state's energy is the same bits whichever states it is computed with (the product's
   * columns do not depend on each other), so a query's final energy does not depend on which
   * queries stop in the same step (a matrix-vector product for one state alone would round its
   * fields otherwise).
   */
  @Override
  public void energies(float[][] states, int count, double[] out) {
    float[] st = new float[n * count];
    float[] ft = new float[n * count];
    pack(states, count, st);
    w.multiplyColumns(st, count, ft);
    double[] quad = new double[count];
    double[] sum = new double[count];
    for (int i = 0, fi = 0; i < n; i++) {
      for (int c = 0; c < count; c++, fi++) {
        float s = states[c][i];
        quad[c] += (double) s * ft[fi];
        sum[c] += s;
      }
    }
    for (int c = 0; c < count; c++) {
      out[c] = energy(quad[c], sum[c], d.threshold());
    }
  }

  /** The energy of one state (one matrix-vector product). */
  float energy(float[] s) {
    float[] field = new float[n];
    w.multiply(s, field);
    return energy(s, field, d.threshold());
  }

  /**
   * {@code E = -1/2 s·(W s) + θ Σ s}, given {@code field = W s}: the two sums are accumulated in
   * float64 and the result rounded to float32 once, so the energy does not depend on the summation
   * order (exact whenever the fields are). The one definition of the classical energy.
   */
  static float energy(float[] s, float[] field, float theta) {
    double quad = 0;
    double sum = 0;
    for (int i = 0; i < s.length; i++) {
      quad += (double) s[i] * field[i];
      sum += s[i];
    }
    return energy(quad, sum, theta);
  }

  private static float energy(double quad, double sum, float theta) {
    return (float) (-0.5 * quad + (double) theta * sum);
  }

  /**
   * One synchronous step of {@code count} states: one product {@code F = W S} for all of them, then
   * {@code next = act(F - θ)} read row by row of F, with the changes and energies noted.
   */
  private void synchronous(
      float[][] cur, float[][] next, int count, boolean[] changed, double[] energies) {
    if (count == 1) {
      synchronousOne(cur[0], next[0], changed, energies);
      return;
    }
    float[] st = new float[n * count];
    float[] ft = new float[n * count];
    pack(cur, count, st);
    w.multiplyColumns(st, count, ft);
    int[] diff = new int[count];
    double[] quad = energies != null ? new double[count] : null;
    double[] sum = energies != null ? new double[count] : null;
    boolean notFinite = false;
    for (int i0 = 0; i0 < n; i0 += ROWS) {
      notFinite |= activate(ft, cur, next, count, i0, Math.min(n, i0 + ROWS), diff, quad, sum);
    }
    if (notFinite) {
      throw overflow();
    }
    float theta = d.threshold();
    for (int c = 0; c < count; c++) {
      changed[c] = NONZERO[(diff[c] | -diff[c]) >>> 31];
      if (energies != null) {
        energies[c] = energy(quad[c], sum[c], theta);
      }
    }
  }

  /**
   * Rows per call of {@link #activate} and {@link #packRows}. A step over all N rows in one loop
   * was compiled by C2 while its first call ran (on-stack replacement), when the loop had never
   * ended and no state had yet stopped changing: the compiled code trapped back into the
   * interpreter at the loop's end and at the first unchanged state, and was compiled again (four
   * times in a dense recall of N = 4096 from the command line, the step interpreted or in C1's code
   * meanwhile). In calls of a block of rows the loops end in every call.
   */
  private static final int ROWS = 64;

  /**
   * {@code NONZERO[(d | -d) >>> 31]} is {@code d != 0}, without a branch whose profile can flip.
   */
  private static final boolean[] NONZERO = {false, true};

  /**
   * {@code next = act(F - θ)} for rows {@code i0..i1} of F, the changes ({@code diff}), and the
   * energies' sums when {@code quad} is not null, in the order of a loop over all rows.
   *
   * @return whether a field is NaN or infinite
   */
  private boolean activate(
      float[] ft,
      float[][] cur,
      float[][] next,
      int count,
      int i0,
      int i1,
      int[] diff,
      double[] quad,
      double[] sum) {
    Activation act = d.activation();
    boolean sign = act == Activation.SIGN;
    float theta = d.threshold();
    float temp = d.temperature();
    boolean notFinite = false;
    for (int i = i0, fi = i0 * count; i < i1; i++) {
      for (int c = 0; c < count; c++, fi++) {
        float f = ft[fi];
        float x = f - theta;
        notFinite |= !(Math.abs(f) <= Float.MAX_VALUE); // NaN or infinite
        float v = sign ? Activation.sign(x) : act.apply(x, temp);
        float s = cur[c][i];
        diff[c] |= Float.floatToRawIntBits(v) ^ Float.floatToRawIntBits(s);
        next[c][i] = v;
        if (quad != null) {
          quad[c] += (double) s * f;
          sum[c] += s;
        }
      }
    }
    return notFinite;
  }

  /**
   * {@link #synchronous} for one state, read where it is (a column of its own) and with its sums in
   * locals: the same operations in the same order. The loops over the states inside the loop over
   * the neurons ran as scalar code with the sums in memory, 3/4 of a low-rank step of N = 16384, P
   * = 4 (a query alone: {@code predict}).
   */
  private void synchronousOne(float[] s0, float[] out, boolean[] changed, double[] energies) {
    float[] ft = new float[n];
    w.multiplyColumns(s0, 1, ft);
    Activation act = d.activation();
    boolean sign = act == Activation.SIGN;
    float theta = d.threshold();
    float temp = d.temperature();
    boolean energy = energies != null;
    int diff = 0;
    double quad = 0;
    double sum = 0;
    boolean notFinite = false;
    for (int i = 0; i < n; i++) {
      float f = ft[i];
      float x = f - theta;
      notFinite |= !(Math.abs(f) <= Float.MAX_VALUE); // NaN or infinite
      float v = sign ? Activation.sign(x) : act.apply(x, temp);
      float s = s0[i];
      diff |= Float.floatToRawIntBits(v) ^ Float.floatToRawIntBits(s);
      out[i] = v;
      if (energy) {
        quad += (double) s * f;
        sum += s;
      }
    }
    if (notFinite) {
      throw overflow();
    }
    changed[0] = diff != 0;
    if (energy) {
      energies[0] = energy(quad, sum, theta);
    }
  }

  /**
   * One asynchronous sweep from {@code s} into {@code out}: neurons in the fixed order, or the
   * seeded random permutation of this query and sweep, each update seeing the current state.
   *
   * @return whether some neuron changed
   */
  private boolean sweep(float[] s, float[] out, int query, int sweep) {
    System.arraycopy(s, 0, out, 0, n);
    int[] order;
    if (d.updateMode() instanceof UpdateMode.FixedOrder f) {
      order = f.orderUnsafe();
    } else {
      order = new int[n];
      ((UpdateMode.RandomOrder) d.updateMode()).permutation(query, sweep, order);
    }
    Activation act = d.activation();
    float theta = d.threshold();
    float temp = d.temperature();
    Weights.FieldTracker tracker = w.fieldTracker(out);
    boolean changed = false;
    for (int idx : order) {
      float f = tracker.field(idx);
      if (!(Math.abs(f) <= Float.MAX_VALUE)) {
        throw overflow();
      }
      float x = f - theta;
      float v = act.apply(x, temp);
      float before = out[idx];
      if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(before)) {
        changed = true;
        out[idx] = v;
        tracker.changed(idx, before, v);
      }
    }
    return changed;
  }

  private static IllegalArgumentException overflow() {
    return new IllegalArgumentException(
        "recall overflowed float32: a field W·s is not finite (the cue values are too large for"
            + " these weights)");
  }

  /** {@code st[i*count + c] = s[c][i]}: the states as columns, written row by row. */
  private void pack(float[][] s, int count, float[] st) {
    for (int i0 = 0; i0 < n; i0 += ROWS) {
      packRows(s, count, st, i0, Math.min(n, i0 + ROWS));
    }
  }

  /** {@link #pack} for rows {@code i0..i1}, in a call of its own ({@link #ROWS}). */
  private static void packRows(float[][] s, int count, float[] st, int i0, int i1) {
    for (int i = i0, fi = i0 * count; i < i1; i++) {
      for (int c = 0; c < count; c++, fi++) {
        st[fi] = s[c][i];
      }
    }
  }
}
