package io.engram.network;

import io.engram.kernels.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recall loop, written once for every memory kind: runs a {@link RetrievalStep} on each cue
 * until a stop, and reports the results.
 *
 * <ul>
 *   <li>Each query starts from its own cue and runs at most {@code maxIterations} steps.
 *   <li>A step that leaves a state bit for bit unchanged is a fixed point: the query stops there,
 *       {@code converged}, with the step count including the confirming step; the output equals
 *       that of running every step.
 *   <li>Opt-in tolerance stops: the energy changed by less than {@code energyTolerance}, or no
 *       value of the state moved by {@code stateTolerance} or more; either counts as converged.
 *   <li>A query caught in a cycle of two states (a step gave back, bit for bit, the state of two
 *       steps before) under a step that {@link RetrievalStep#dependsOnStateAlone} ends at once with
 *       the state, energy and matches it would have after {@code maxIterations} steps, not
 *       converged (synchronous updates of a symmetric W end in a fixed point or such a cycle): the
 *       same result without the steps. Not with a step listener or a tolerance stop, which see or
 *       judge every step.
 *   <li>Step listeners get the energy after every step, query listeners each finished query.
 * </ul>
 *
 * <p>Batched steps run all live queries of a group in one call per step; a large batch is split
 * into groups of about {@value #GROUP} queries on separate threads, each with single-threaded
 * kernels, so that a group's states stay in cache; smaller batches are one group whose kernels use
 * every thread. A step that is {@link RetrievalStep#parallelInside} gets whole batches instead.
 * Unbatched steps (asynchronous sweeps) run query by query over the threads. Results do not depend
 * on the grouping or the threads. Keeps all state per call: thread-safe.
 */
public final class RecallEngine {

  /** Queries per group of a large batch. */
  static final int GROUP = 256;

  /** The most values of state per call of a step that is {@link RetrievalStep#parallelInside}. */
  static final long INSIDE_FLOATS = 1L << 20;

  /** Fewest queries per group when a batch is split only to use every thread. */
  static final int MIN_GROUP = 64;

  private RecallEngine() {}

  /**
   * Recalls each cue with the step.
   *
   * @param step the memory's retrieval step
   * @param cues the cues, each of length {@code step.size()} (checked here) with finite values
   *     (checked by the caller, e.g. with {@link Cues#checkAll}); not modified
   * @param options iteration limit, stops, listeners
   * @return one result per cue, in order
   * @throws NullPointerException naming {@code step}, {@code cues} or {@code options} if it is null
   * @throws IllegalArgumentException if a cue is null or of another length
   */
  public static List<RecallResult> run(RetrievalStep step, float[][] cues, RecallOptions options) {
    return run(step, cues, 0, options);
  }

  /**
   * {@link #run(RetrievalStep, float[][], RecallOptions)} for cues that are queries {@code
   * firstQuery, firstQuery + 1, ...} of a larger batch: the step and the listeners see those
   * numbers (a seeded random asynchronous order depends on them), so a batch split over threads or
   * machines gives the same results as the whole batch.
   *
   * @throws IllegalArgumentException if {@code firstQuery < 0}
   */
  public static List<RecallResult> run(
      RetrievalStep step, float[][] cues, int firstQuery, RecallOptions options) {
    return run(step, cues, firstQuery, options, null);
  }

  /**
   * {@link #run(RetrievalStep, float[][], int, RecallOptions)} with each query's final state
   * written into the caller's row {@code states[q]}, which its result then holds (not a copy): a
   * loop of recalls that reuses its rows allocates no state arrays for their results, and a
   * one-step recall none at all (the step writes into the rows; with more steps each query has one
   * array of its own for the steps between). The rows are the caller's to keep apart from the cues
   * and from each other ({@link #checkStateRows} does).
   *
   * @param states null (new arrays), or one row of exactly {@code step.size()} values per cue
   * @throws IllegalArgumentException if {@code firstQuery < 0}, as {@link #run(RetrievalStep,
   *     float[][], RecallOptions)}, or for rows that {@link #checkStateRows} refuses
   */
  public static List<RecallResult> run(
      RetrievalStep step, float[][] cues, int firstQuery, RecallOptions options, float[][] states) {
    if (firstQuery < 0) {
      throw new IllegalArgumentException("first query index must be >= 0, got " + firstQuery);
    }
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(cues, "cues");
    Objects.requireNonNull(options, "options");
    for (int q = 0; q < cues.length; q++) {
      // (a cue of another length was "states must be N x L = 6 x 1 arrays, got lengths 2 and 6")
      if (cues[q] == null || cues[q].length != step.size()) {
        throw new IllegalArgumentException(
            "query "
                + (firstQuery + q)
                + (cues[q] == null
                    ? " is null"
                    : " has length " + cues[q].length + ", expected " + step.size()));
      }
    }
    if (states != null) {
      checkStateRows(states, cues, step.size());
    }
    int nq = cues.length;
    RecallResult[] out = new RecallResult[nq];
    Run run = new Run(step, cues, firstQuery, options, out, states);
    long work = Math.max(1, step.cost()) * Math.max(1, options.maxIterations());
    if (!step.batched()) {
      Kernels.forEach(nq, work, q -> run.group(new int[] {q}));
    } else if (step.parallelInside()) {
      // whole batches of up to INSIDE_FLOATS values of state (but a group per thread at least),
      // one after another
      int per =
          (int)
              Math.max(
                  (long) GROUP * Kernels.parallelism(),
                  Math.min(nq, INSIDE_FLOATS / Math.max(1, step.size())));
      for (int from = 0; from < nq; from += per) {
        run.group(range(from, Math.min(nq, from + per)));
      }
    } else {
      int groups = 1;
      if (nq >= 2 * MIN_GROUP) {
        groups =
            Math.max((nq + GROUP - 1) / GROUP, Math.min(Kernels.parallelism(), nq / MIN_GROUP));
      }
      if (groups == 1) {
        run.group(range(0, nq));
      } else {
        int g = groups;
        Kernels.forEach(
            g,
            work * ((nq + g - 1) / g),
            k -> {
              int[] idx = range((int) ((long) k * nq / g), (int) ((long) (k + 1) * nq / g));
              Kernels.sequentially(
                  () -> {
                    run.group(idx);
                    return null;
                  });
            });
      }
    }
    return new ArrayList<>(Arrays.asList(out));
  }

  /**
   * Checks the rows a recall is to write its final states into: one per cue, each of exactly {@code
   * n} values, none of them a cue or another row (compared by identity).
   *
   * @throws IllegalArgumentException naming the first row that is not fit
   */
  public static void checkStateRows(float[][] states, float[][] cues, int n) {
    Objects.requireNonNull(states, "states");
    Objects.requireNonNull(cues, "cues");
    if (states.length != cues.length) {
      throw new IllegalArgumentException(
          "states has " + states.length + " rows for " + cues.length + " cues; need one per cue");
    }
    IdentityHashMap<float[], Integer> seen = new IdentityHashMap<>(2 * cues.length);
    for (int q = 0; q < cues.length; q++) {
      if (cues[q] != null) {
        seen.putIfAbsent(cues[q], -1 - q);
      }
    }
    for (int q = 0; q < states.length; q++) {
      float[] r = states[q];
      if (r == null) {
        throw new IllegalArgumentException("states row " + q + " is null");
      }
      if (r.length != n) {
        throw new IllegalArgumentException(
            "states row " + q + " has length " + r.length + ", expected " + n);
      }
      Integer was = seen.putIfAbsent(r, q);
      if (was != null) {
        throw new IllegalArgumentException(
            "states row "
                + q
                + " is the same array as "
                + (was < 0 ? "cue " + (-1 - was) : "states row " + was)
                + "; each row must be an array of its own");
      }
    }
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  /** One batch recall: shared settings, results and the count of finished queries. */
  private static final class Run {
    final RetrievalStep step;
    final float[][] cues;
    final int base;
    final RecallOptions o;
    final RecallResult[] results;
    final AtomicInteger finished = new AtomicInteger();
    final StepListener listener;
    final boolean energyStop;
    final boolean stateStop;

    /** Energies are needed after every step (listener or energy tolerance). */
    final boolean stepEnergy;

    /** Energies are asked of every step (needed, or free and wanted at the end). */
    final boolean energyEachStep;

    final int topK;

    /** The caller's rows for the final states, or null. */
    final float[][] into;

    Run(
        RetrievalStep step,
        float[][] cues,
        int base,
        RecallOptions o,
        RecallResult[] results,
        float[][] into) {
      this.step = step;
      this.cues = cues;
      this.into = into;
      this.base = base;
      this.o = o;
      this.results = results;
      this.listener = o.stepListener();
      this.energyStop = o.hasEnergyTolerance();
      this.stateStop = o.hasStateTolerance();
      this.stepEnergy = listener != null || energyStop;
      this.energyEachStep = stepEnergy || (o.reportEnergy() && step.energyComesWithStep());
      this.topK = o.topK();
    }

    /** Recalls the queries {@code idx} together, one step call per step for all live ones. */
    void group(int[] idx) {
      final int n = step.size();
      final int nq = idx.length;
      final int maxIt = o.maxIterations();
      // cycles of two states: each live query keeps the state before its current one (one more
      // array of N per query), to which every changed next state is compared; with a step
      // listener or an energy tolerance, the steps left are reported without being run (their
      // energies alternate between the two states' own)
      final boolean cycles = step.dependsOnStateAlone() && !stateStop && maxIt > 2;
      float[][] before = cycles ? new float[nq][] : null;
      RecallResult.Match[][] beforeMatches =
          cycles && topK > 0 ? new RecallResult.Match[nq][] : null;
      int[] cycled = cycles ? new int[nq] : null;
      float[][] cur = new float[nq][];
      float[][] next = new float[nq][];
      for (int q = 0; q < nq; q++) {
        // the cue itself until the first step replaces it (a step never writes its states; a
        // result that is still the cue gets a copy): a one-step batch copies no cue
        cur[q] = cues[idx[q]];
        if (into != null) {
          next[q] = into[idx[q]]; // the first step writes into the caller's row
        }
      }
      double[] prevEnergy = new double[nq];
      Arrays.fill(prevEnergy, Double.NaN);
      RecallResult.Match[][] lastMatches = topK > 0 ? new RecallResult.Match[nq][] : null;
      int[] live = range(0, nq);
      int nl = nq;
      // per live slot, reused
      float[][] curL = new float[nq][];
      float[][] nextL = new float[nq][];
      int[] ids = new int[nq];
      boolean[] changed = new boolean[nq];
      double[] energies = energyEachStep ? new double[nq] : null;
      RecallResult.Match[][] matches = topK > 0 ? new RecallResult.Match[nq][] : null;
      // queries that stopped by the state tolerance: their energy is computed after the step
      int[] settled = new int[nq];
      int sweep = 0;
      final boolean stepAllocates = step.allocatesStates();
      while (nl > 0 && sweep < maxIt) {
        for (int c = 0; c < nl; c++) {
          int q = live[c];
          if (next[q] == null && !stepAllocates) {
            next[q] = new float[n];
          }
          curL[c] = cur[q];
          nextL[c] = next[q];
          ids[c] = base + idx[q];
        }
        // without a step listener or an energy tolerance, only fixed points keep their energy
        step.step(curL, nextL, nl, ids, sweep, changed, energies, !stepEnergy, matches, topK);
        for (int c = 0; c < nl; c++) {
          float[] made = nextL[c];
          if (made == null || made.length != n || made == curL[c]) {
            throw new IllegalStateException(
                "the retrieval step left next state "
                    + c
                    + " without an array of its own of N = "
                    + n);
          }
          next[live[c]] = made;
        }
        int kept = 0;
        int ns = 0;
        int nc = 0;
        for (int c = 0; c < nl; c++) {
          int q = live[c];
          double e = energies != null ? energies[c] : Double.NaN;
          if (stepEnergy && sweep > 0 && report(base + idx[q], sweep, e, prevEnergy[q])) {
            // the energy tolerance was met by the previous step: stop at its state
            finish(idx[q], cur[q], sweep, true, e, lastMatches == null ? null : lastMatches[q]);
            continue;
          }
          double energyBefore = prevEnergy[q]; // of the state before cur (a cycle's other state)
          prevEnergy[q] = e;
          if (matches != null) {
            if (beforeMatches != null) {
              beforeMatches[q] = lastMatches[q];
            }
            lastMatches[q] = matches[c];
          }
          if (!changed[c]) {
            // a fixed point, confirmed by step sweep + 1
            if (listener != null) {
              listener.onStep(base + idx[q], sweep + 1, e, true, 0.0);
            }
            if (o.reportEnergy() && energies == null) {
              settled[ns++] = q; // its energy is still to compute
            } else {
              finish(
                  idx[q],
                  cur[q],
                  sweep + 1,
                  true,
                  o.reportEnergy() ? e : Double.NaN,
                  match(lastMatches, q));
            }
            continue;
          }
          float[] t = cur[q];
          float[] made = next[q];
          if (cycles && before[q] != null && Arrays.equals(made, before[q])) {
            // made is the state of two steps before (the same bits: Arrays.equals tells -0 from
            // +0, and states hold no NaN): the states alternate t, made, t, ... from here, and
            // after maxIt steps the state is made if maxIt - (sweep + 1) is even, else t
            if (stepEnergy) {
              // steps sweep + 1 .. maxIt - 1 reported as running them would report them (after k
              // steps the state is made for k - sweep odd, t for even; finishAtLimit reports step
              // maxIt). Each changes the energy by as much as step sweep did, which the energy
              // tolerance has just found too much: none of them stops.
              double last = e;
              for (int k = sweep + 1; k < maxIt; k++) {
                double ek = ((k - sweep) & 1) == 1 ? energyBefore : e;
                if (listener != null) {
                  listener.onStep(base + idx[q], k, ek, false, ek - last);
                }
                last = ek;
              }
              prevEnergy[q] = last;
            }
            if (((maxIt - sweep - 1) & 1) == 0) {
              cur[q] = made;
            } else if (lastMatches != null) {
              lastMatches[q] = beforeMatches[q]; // those of the step from made's twin
            }
            cycled[nc++] = q;
            continue;
          }
          cur[q] = made;
          boolean settles = stateStop && maxChange(made, t) < o.stateTolerance();
          if (cycles) {
            // three arrays in turn: the next state goes where the state before t was
            float[] freed = before[q];
            before[q] = t;
            next[q] = freed == cues[idx[q]] ? null : freed;
          } else {
            next[q] = t == cues[idx[q]] ? null : t; // the cue is never written: a new array later
          }
          if (settles) {
            settled[ns++] = q;
            continue;
          }
          live[kept++] = q;
        }
        nl = kept;
        sweep++;
        if (ns > 0) {
          finishSettled(idx, cur, settled, ns, sweep, prevEnergy, lastMatches);
        }
        if (nc > 0) {
          // as if stepped on to the limit (no step energies or listener here)
          finishAtLimit(idx, cur, cycled, nc, maxIt, prevEnergy, lastMatches);
        }
      }
      if (nl > 0) {
        finishAtLimit(idx, cur, live, nl, sweep, prevEnergy, lastMatches);
      }
    }

    /**
     * Finishes the queries {@code qs[0..count)} that are out of steps after {@code steps} (or
     * maxIterations == 0): not converged, unless the last step met the energy tolerance.
     */
    private void finishAtLimit(
        int[] idx,
        float[][] cur,
        int[] qs,
        int count,
        int steps,
        double[] prevEnergy,
        RecallResult.Match[][] lastMatches) {
      double[] e = energies(cur, qs, count, o.reportEnergy() || (stepEnergy && steps > 0));
      for (int c = 0; c < count; c++) {
        int q = qs[c];
        boolean converged =
            stepEnergy && steps > 0 && report(base + idx[q], steps, e[c], prevEnergy[q]);
        finish(
            idx[q],
            cur[q],
            steps,
            converged,
            o.reportEnergy() ? e[c] : Double.NaN,
            match(lastMatches, q));
      }
    }

    /**
     * The energies of the states {@code cur[qs[0..count)]}, in one call of the step, or NaN each
     * when not {@code needed}.
     */
    private double[] energies(float[][] cur, int[] qs, int count, boolean needed) {
      double[] e = new double[count];
      if (needed) {
        float[][] states = new float[count][];
        for (int c = 0; c < count; c++) {
          states[c] = cur[qs[c]];
        }
        step.energies(states, count, e);
      } else {
        Arrays.fill(e, Double.NaN);
      }
      return e;
    }

    /**
     * Finishes the queries whose last step was a fixed point or met the state tolerance, once their
     * energy is known: one energy call for all of them.
     */
    private void finishSettled(
        int[] idx,
        float[][] cur,
        int[] settled,
        int ns,
        int steps,
        double[] prevEnergy,
        RecallResult.Match[][] lastMatches) {
      double[] e = energies(cur, settled, ns, o.reportEnergy() || stepEnergy);
      for (int c = 0; c < ns; c++) {
        int q = settled[c];
        if (stepEnergy && !Double.isNaN(prevEnergy[q]) && listener != null) {
          listener.onStep(base + idx[q], steps, e[c], true, e[c] - prevEnergy[q]);
        }
        finish(
            idx[q],
            cur[q],
            steps,
            true,
            o.reportEnergy() ? e[c] : Double.NaN,
            match(lastMatches, q));
      }
    }

    /**
     * Reports step {@code steps} (energy {@code e} after it, {@code before} before it) and says
     * whether it met the energy tolerance.
     */
    private boolean report(int query, int steps, double e, double before) {
      double change = e - before;
      boolean stop = energyStop && Math.abs(change) < o.energyTolerance();
      if (listener != null) {
        listener.onStep(query, steps, e, stop, change);
      }
      return stop;
    }

    private static RecallResult.Match[] match(RecallResult.Match[][] m, int q) {
      return m == null ? null : m[q];
    }

    /** Records a finished query and reports it. */
    private void finish(
        int query,
        float[] state,
        int steps,
        boolean converged,
        double energy,
        RecallResult.Match[] m) {
      if (into != null) {
        if (state != into[query]) {
          System.arraycopy(state, 0, into[query], 0, state.length);
          state = into[query];
        }
      } else if (state == cues[query]) {
        state = state.clone(); // never the caller's own array
      }
      RecallResult r =
          new RecallResult(state, steps, converged, energy, m == null ? List.of() : List.of(m));
      results[query] = r;
      int done = finished.incrementAndGet();
      QueryListener ql = o.queryListener();
      if (ql != null) {
        ql.onQueryDone(base + query, done, results.length, r);
      }
    }

    /** {@code max |a_i - b_i|}. */
    private static float maxChange(float[] a, float[] b) {
      float m = 0f;
      for (int i = 0; i < a.length; i++) {
        m = Math.max(m, Math.abs(a[i] - b[i]));
      }
      return m;
    }
  }
}
