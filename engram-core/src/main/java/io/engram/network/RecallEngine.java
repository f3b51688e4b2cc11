package io.engram.network;

import io.engram.kernels.Kernels;
import io.engram.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The update loop shared by single and batch recall. Keeps all state per call, so one network can
 * be recalled from many threads at once.
 */
final class RecallEngine {

  private RecallEngine() {}

  static RecallResult run(Weights w, Dynamics d, float[] cue, RecallOptions o, int query) {
    final int n = w.size();
    final Activation act = d.activation();
    final float theta = d.threshold();
    final float temp = d.temperature();
    final UpdateMode mode = d.updateMode();
    final int[] fixedOrder = mode instanceof UpdateMode.FixedOrder f ? f.orderUnsafe() : null;
    final UpdateMode.RandomOrder random = mode instanceof UpdateMode.RandomOrder r ? r : null;
    final int[] perm = random != null ? new int[n] : null;
    final StepListener listener = o.stepListener();
    final boolean stepEnergy = listener != null || o.hasEnergyTolerance();
    final double tol = o.energyTolerance();

    float[] s = cue.clone();
    float[] next = fixedOrder == null && random == null ? new float[n] : null;
    float[] field = new float[n];
    boolean fieldValid = false; // field == W s for the current s
    // asynchronous: fields kept incrementally (O(R) per neuron for low-rank weights)
    Weights.FieldTracker tracker = next == null ? w.fieldTracker(s) : null;

    float prevEnergy = Float.NaN;
    if (stepEnergy) {
      w.multiply(s, field);
      fieldValid = true;
      prevEnergy = energyFromField(s, field, theta);
    }

    int steps = 0;
    boolean converged = false;
    final int maxIt = o.maxIterations();
    while (steps < maxIt) {
      steps++;
      boolean changed = false;
      if (next != null) {
        if (!fieldValid) {
          w.multiply(s, field);
        }
        for (int i = 0; i < n; i++) {
          float v = act.apply(field[i] - theta, temp);
          if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(s[i])) {
            changed = true;
          }
          next[i] = v;
        }
        if (changed) {
          float[] t = s;
          s = next;
          next = t;
          fieldValid = false;
        } else {
          fieldValid = true;
        }
      } else {
        int[] order = fixedOrder;
        if (order == null) {
          random.permutation(query, steps - 1, perm);
          order = perm;
        }
        for (int idx : order) {
          float f = tracker.field(idx);
          field[idx] = f;
          float v = act.apply(f - theta, temp);
          float before = s[idx];
          if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(before)) {
            changed = true;
            s[idx] = v;
            tracker.changed(idx, before, v);
          }
        }
        // without a change, every field was computed on the final state
        fieldValid = !changed;
      }
      converged = !changed;
      if (stepEnergy) {
        if (!fieldValid) {
          w.multiply(s, field);
          fieldValid = true;
        }
        float e = energyFromField(s, field, theta);
        float change = e - prevEnergy;
        prevEnergy = e;
        if (!converged && o.hasEnergyTolerance() && Math.abs(change) < tol) {
          converged = true;
        }
        if (listener != null) {
          listener.onStep(query, steps, e, converged, change);
        }
      }
      if (converged) {
        break;
      }
    }
    float energy = Float.NaN;
    if (o.reportEnergy()) {
      if (!fieldValid) {
        w.multiply(s, field);
      }
      energy = energyFromField(s, field, theta);
    }
    return new RecallResult(s, steps, converged, energy);
  }

  /**
   * {@code E = -1/2 s·(W s) + θ Σ s}, given {@code field = W s}: the two sums are accumulated in
   * float64 and the result rounded to float32 once, so the energy does not depend on the summation
   * order (exact whenever the fields are).
   */
  static float energyFromField(float[] s, float[] field, float theta) {
    double quad = 0;
    double sum = 0;
    for (int i = 0; i < s.length; i++) {
      quad += (double) s[i] * field[i];
      sum += s[i];
    }
    return (float) (-0.5 * quad + (double) theta * sum);
  }

  /**
   * Recalls every cue. Synchronous recall without per-step listeners or energy tolerance runs as
   * one blocked matrix product per step over all queries still live ({@link
   * Weights#multiplyColumns}), dropping each query at its fixed point; otherwise queries run one by
   * one, split over threads for large batches.
   */
  static List<RecallResult> batch(Weights w, Dynamics d, float[][] cues, RecallOptions o) {
    if (cues.length > 0
        && d.updateMode() instanceof UpdateMode.Synchronous
        && o.stepListener() == null
        && !o.hasEnergyTolerance()) {
      return batchSyncGrouped(w, d, cues, o);
    }
    RecallResult[] out = new RecallResult[cues.length];
    QueryListener ql = o.queryListener();
    AtomicInteger done = new AtomicInteger();
    long n = w.size();
    long work = n * Math.min(n, 4L * Math.max(1, w.rank())) * Math.max(1, o.maxIterations());
    Kernels.forEach(
        cues.length, work, q -> finish(run(w, d, cues[q], o, q), q, out, done, ql, cues.length));
    return new ArrayList<>(Arrays.asList(out));
  }

  /** Queries per group of a large synchronous batch. */
  static final int GROUP = 256;

  /** Fewest queries per group when a batch is split only to use every thread. */
  static final int MIN_GROUP = 64;

  /**
   * Synchronous batch recall in groups: a large batch is split into groups of about {@value #GROUP}
   * queries that run on separate threads, each with single-threaded kernels, so that the states and
   * fields of a group stay in cache and the threads never wait on each other; a batch of fewer than
   * {@code 2 *} {@value #MIN_GROUP} queries is one group whose products use every thread.
   */
  private static List<RecallResult> batchSyncGrouped(
      Weights w, Dynamics d, float[][] cues, RecallOptions o) {
    int nq = cues.length;
    int groups = 1;
    if (nq >= 2 * MIN_GROUP) {
      groups = Math.max((nq + GROUP - 1) / GROUP, Math.min(Kernels.parallelism(), nq / MIN_GROUP));
    }
    RecallResult[] out = new RecallResult[nq];
    AtomicInteger done = new AtomicInteger();
    if (groups == 1) {
      int[] all = new int[nq];
      for (int q = 0; q < nq; q++) {
        all[q] = q;
      }
      batchSync(w, d, cues, all, o, out, done);
    } else {
      int g = groups;
      long n = w.size();
      long workPerGroup = n * Math.min(n, 4L * Math.max(1, w.rank())) * ((nq + g - 1) / g);
      Kernels.forEach(
          g,
          workPerGroup,
          k -> {
            int from = (int) ((long) k * nq / g);
            int to = (int) ((long) (k + 1) * nq / g);
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) {
              idx[i] = from + i;
            }
            Kernels.sequentially(
                () -> {
                  batchSync(w, d, cues, idx, o, out, done);
                  return null;
                });
          });
    }
    return new ArrayList<>(Arrays.asList(out));
  }

  /**
   * Synchronous recall of the queries {@code idx}, all live ones in one product per step; the
   * results go to {@code results[idx[c]]}.
   */
  private static void batchSync(
      Weights w,
      Dynamics d,
      float[][] allCues,
      int[] idx,
      RecallOptions o,
      RecallResult[] results,
      AtomicInteger finished) {
    final int n = w.size();
    final int nq = idx.length;
    final int total = allCues.length;
    final float[][] cues = new float[nq][];
    for (int c = 0; c < nq; c++) {
      cues[c] = allCues[idx[c]];
    }
    final Activation act = d.activation();
    final float theta = d.threshold();
    final float temp = d.temperature();
    final QueryListener ql = o.queryListener();
    final int maxIt = o.maxIterations();
    float[][] s = new float[nq][];
    float[][] next = new float[nq][];
    for (int q = 0; q < nq; q++) {
      s[q] = cues[q].clone();
    }
    int[] live = new int[nq];
    for (int q = 0; q < nq; q++) {
      live[q] = q;
    }
    int nl = nq;
    float[] st = null;
    float[] ft = null;
    float[] col = new float[n];
    int step = 0;
    while (nl > 0 && step < maxIt) {
      step++;
      if (st == null || st.length != n * nl) {
        st = new float[n * nl];
        ft = new float[n * nl];
      }
      pack(s, live, nl, n, st);
      w.multiplyColumns(st, nl, ft);
      // the next states, row by row of the field matrix (contiguous; one pass over it instead
      // of one strided pass per query), and which queries changed
      float[][] curs = new float[nl][];
      float[][] nxts = new float[nl][];
      boolean[] changedAt = new boolean[nl];
      for (int c = 0; c < nl; c++) {
        int q = live[c];
        curs[c] = s[q];
        nxts[c] = next[q] == null ? (next[q] = new float[n]) : next[q];
      }
      activate(act, theta, temp, ft, n, nl, curs, nxts, changedAt);
      int kept = 0;
      for (int c = 0; c < nl; c++) {
        int q = live[c];
        float[] cur = s[q];
        float[] nx = next[q];
        boolean changed = changedAt[c];
        if (changed) {
          s[q] = nx;
          next[q] = cur;
          live[kept++] = q;
        } else {
          // fixed point: this step's field is W s for the final state
          float energy = o.reportEnergy() ? columnEnergy(ft, c, nl, cur, col, theta) : Float.NaN;
          finish(new RecallResult(cur, step, true, energy), idx[q], results, finished, ql, total);
        }
      }
      nl = kept;
    }
    if (nl > 0) {
      // out of steps (or maxIterations == 0): not converged; the energy needs one more product
      float[] fe = null;
      if (o.reportEnergy()) {
        st = new float[n * nl];
        fe = new float[n * nl];
        pack(s, live, nl, n, st);
        w.multiplyColumns(st, nl, fe);
      }
      for (int c = 0; c < nl; c++) {
        int q = live[c];
        float energy = fe != null ? columnEnergy(fe, c, nl, s[q], col, theta) : Float.NaN;
        finish(new RecallResult(s[q], step, false, energy), idx[q], results, finished, ql, total);
      }
    }
  }

  /**
   * The energy of state {@code s} whose field is column {@code c} of the n x nl matrix {@code
   * fields}.
   */
  private static float columnEnergy(
      float[] fields, int c, int nl, float[] s, float[] col, float theta) {
    for (int i = 0, fi = c; i < col.length; i++, fi += nl) {
      col[i] = fields[fi];
    }
    return energyFromField(s, col, theta);
  }

  /** Records a finished query and reports it. */
  private static void finish(
      RecallResult r,
      int query,
      RecallResult[] results,
      AtomicInteger finished,
      QueryListener ql,
      int total) {
    results[query] = r;
    int done = finished.incrementAndGet();
    if (ql != null) {
      ql.onQueryDone(query, done, total, r);
    }
  }

  /** {@code st[i*nl + c] = s[live[c]][i]}: the live states as columns, written row by row. */
  private static void pack(float[][] s, int[] live, int nl, int n, float[] st) {
    float[][] v = new float[nl][];
    for (int c = 0; c < nl; c++) {
      v[c] = s[live[c]];
    }
    for (int i = 0, fi = 0; i < n; i++) {
      for (int c = 0; c < nl; c++, fi++) {
        st[fi] = v[c][i];
      }
    }
  }

  /**
   * {@code nxt[c][i] = act(ft[i*nl + c] - theta)} for every live column c, and {@code changed[c]}
   * when some {@code nxt[c][i]} differs (bitwise) from {@code cur[c][i]}. Reads the field matrix
   * once, in order; the sign activation is computed without branches.
   */
  private static void activate(
      Activation act,
      float theta,
      float temp,
      float[] ft,
      int n,
      int nl,
      float[][] cur,
      float[][] nxt,
      boolean[] changed) {
    int[] diff = new int[nl];
    boolean sign = act == Activation.SIGN;
    for (int i = 0, fi = 0; i < n; i++) {
      for (int c = 0; c < nl; c++, fi++) {
        float x = ft[fi] - theta;
        float v = sign ? sign(x) : act.apply(x, temp);
        diff[c] |= Float.floatToRawIntBits(v) ^ Float.floatToRawIntBits(cur[c][i]);
        nxt[c][i] = v;
      }
    }
    for (int c = 0; c < nl; c++) {
      changed[c] = diff[c] != 0;
    }
  }

  /**
   * {@link Activation#SIGN} without data-dependent branches (the fields' signs are random, so the
   * enum's comparisons mispredict half the time): 1 for {@code x > 0}, -1 for {@code x < 0}, +0 for
   * ±0, NaN unchanged (same bits).
   */
  static float sign(float x) {
    int b = Float.floatToRawIntBits(x);
    int mag = b & 0x7fffffff;
    int unit = (b & 0x80000000) | 0x3f800000;
    return Float.intBitsToFloat(mag == 0 ? 0 : mag > 0x7f800000 ? b : unit);
  }
}
