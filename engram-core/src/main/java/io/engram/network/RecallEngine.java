package io.engram.network;

import io.engram.weights.Weights;
import java.util.ArrayList;
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
    final int[] fixedOrder =
        mode instanceof UpdateMode.FixedOrder f ? f.orderUnsafe() : null;
    final UpdateMode.RandomOrder random =
        mode instanceof UpdateMode.RandomOrder r ? r : null;
    final int[] perm = random != null ? new int[n] : null;
    final StepListener listener = o.stepListener();
    final boolean stepEnergy = listener != null || o.hasEnergyTolerance();
    final double tol = o.energyTolerance();

    float[] s = cue.clone();
    float[] next = fixedOrder == null && random == null ? new float[n] : null;
    float[] field = new float[n];
    boolean fieldValid = false; // field == W s for the current s

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
          float f = w.rowDot(idx, s);
          field[idx] = f;
          float v = act.apply(f - theta, temp);
          if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(s[idx])) {
            changed = true;
          }
          s[idx] = v;
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
   * float64 and the result rounded to float32 once, so the energy does not depend on the
   * summation order (exact whenever the fields are).
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

  static List<RecallResult> batch(Weights w, Dynamics d, float[][] cues, RecallOptions o) {
    List<RecallResult> out = new ArrayList<>(cues.length);
    QueryListener ql = o.queryListener();
    AtomicInteger done = new AtomicInteger();
    for (int q = 0; q < cues.length; q++) {
      RecallResult r = run(w, d, cues[q], o, q);
      out.add(r);
      if (ql != null) {
        ql.onQueryDone(q, done.incrementAndGet(), cues.length, r);
      }
    }
    return out;
  }
}
