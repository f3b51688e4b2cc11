package io.engram.memory;

import io.engram.kernels.BinaryRows;
import io.engram.kernels.Kernels;
import io.engram.network.RecallResult;
import io.engram.network.RetrievalStep;
import java.util.Arrays;

/**
 * The retrieval step of a modern Hopfield memory: the live states are the queries of one scan over
 * the stored patterns X, which gives the next states' sums, the energy statistics of the current
 * ones and the best matches in one pass; the step finishes them (next state, whether it changed,
 * energy, matches). {@link ModernHopfieldMemory}'s scan is one kernel call over X in one array
 * ({@code Kernels.softmaxRetrieval} or {@code Kernels.separationRetrieval}); a memory whose X is
 * held elsewhere (sharded over machines) supplies its own {@link Scan} to {@link #over}, so that
 * the finishing is the same arithmetic bit for bit. Immutable; thread-safe when its scan is.
 */
public final class ModernStep implements RetrievalStep {

  /**
   * The scan over the stored patterns X (P x N) that one step needs: for {@code count} queries, the
   * raw results of the core's retrieval kernels over all P patterns in pattern order. May be called
   * from several threads at once (on different queries).
   */
  @FunctionalInterface
  public interface Scan {
    /**
     * The raw results of one scan.
     *
     * @param queries count x N row-major states (read only; a fresh array the scan may keep)
     * @param count how many queries, at least 1
     * @param k how many best matches per query, 0..P
     * @param wantOut whether the next states' sums are needed (false when only energies are)
     * @return the results, whose arrays pass to the step (it reads them and keeps none)
     * @throws IllegalArgumentException for states the scan cannot take (overflow; not ±1 for the
     *     binary separations)
     */
    ScanResult scan(float[] queries, int count, int k, boolean wantOut);

    /**
     * For the softmax energy at tiny β ({@code 8 β M ‖ξ‖ < ln P}, where {@code β⁻¹ ln Σ_μ e^(β
     * s_μ)} and {@code β⁻¹ ln P} cancel): the scores' {@link LogMeanExp} over all P patterns for
     * {@code count} states, the parts of each block of patterns made by {@link LogMeanExp#over} and
     * merged in pattern order ({@link LogMeanExp#merge}). Asked for only at such β, once per step
     * for the states that need it. By default null: the scan cannot, and the energy keeps the form
     * {@code -lse/β + β⁻¹ ln P}, cancellation noise at tiny β.
     *
     * @param states count x N row-major states (read only; a fresh array the scan may keep)
     * @param count how many states, at least 1
     */
    default LogMeanExp logMeanExp(float[] states, int count) {
      return null;
    }
  }

  /**
   * The raw results of a {@link Scan} for {@code count} queries, row-major, as the core's retrieval
   * kernels write them. With {@code wantOut}, exactly one of {@code out} and {@code sums} (the
   * float64 one for polynomial and rectified); without, neither is read.
   *
   * @param out softmax and exp: the weighted means {@code Σ_μ e^(β s_μ - lse) x_μ} in float32,
   *     count x N; or null
   * @param sums count x N float64: softmax and exp the same means (rounded to float32 by the step),
   *     polynomial and rectified {@code Σ_μ c_μ x_μ}; or null
   * @param stat count values: softmax and exp {@code lse = ln Σ_μ e^(β s_μ)}, polynomial and
   *     rectified {@code Σ_μ d_μ} (so the field is {@code sums + ξ stat})
   * @param energy polynomial and rectified: count values {@code -Σ_μ F(s_μ)}; otherwise not read
   * @param topIndex count x k pattern indices (0..P-1), best first, ties by the smaller index
   * @param topScore count x k scores {@code s_μ = x_μ·ξ} of those patterns
   */
  public record ScanResult(
      float[] out,
      double[] sums,
      double[] stat,
      double[] energy,
      int[] topIndex,
      float[] topScore) {}

  /**
   * The most floats of each per-thread buffer that the core's own scan reuses from call to call
   * (the queries' flat copy and the output sums; 1 MiB each): a fresh array of that size costs a
   * small memory's step more than its arithmetic (memory never touched before, zeroed on the way).
   */
  private static final int SCRATCH_FLOATS = 1 << 18;

  /** Per thread: the queries' buffer and the output buffer of the core's scan. */
  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[2][0]);

  private final Scan scan;

  /** Whether the scan is the core's kernel scan, which keeps neither of its arrays. */
  private final boolean ownScan;

  /**
   * X (p x n), when the scan is the core's and a softmax step over it reads the states where they
   * are and writes the next states straight into their arrays ({@link
   * Kernels#softmaxRetrievalRows}, for a small memory); else null.
   */
  private final float[] rowsX;

  private final int p;
  private final int n;
  private final Separation separation;
  private final float beta;

  /** Softmax: {@code β⁻¹ ln P + ½ M²}, the constant part of the energy. */
  private final double energyConstant;

  /** M, the largest norm of a stored pattern. */
  private final double maxNorm;

  /**
   * X (p x n), when the scan is the core's and the softmax energy of a state may need the scores
   * again in float64 ({@link #softmaxEnergies}); else null (the scan's {@link Scan#logMeanExp}).
   */
  private final float[] energyX;

  /**
   * X (p x n), when the scan is the core's and the separation is exp: the fields that float32
   * cannot decide are computed again from X and the scores in float64 ({@link #exactExp}); else
   * null.
   */
  private final float[] expX;

  private ModernStep(
      Scan scan,
      boolean ownScan,
      float[] x,
      int p,
      int n,
      Separation separation,
      float beta,
      double maxNorm) {
    this.scan = scan;
    this.ownScan = ownScan;
    this.rowsX =
        ownScan && separation == Separation.SOFTMAX && Kernels.retrievalByRows(p, n) ? x : null;
    this.p = p;
    this.n = n;
    this.separation = separation;
    this.beta = beta;
    this.energyConstant =
        separation == Separation.SOFTMAX ? Math.log(p) / beta + 0.5 * maxNorm * maxNorm : 0;
    this.maxNorm = maxNorm;
    this.energyX = ownScan && separation == Separation.SOFTMAX ? x : null;
    this.expX = ownScan && separation == Separation.EXP ? x : null;
  }

  /**
   * The step over X held in one array (p x n row-major, never modified): the kernels' scan, with
   * X's transposed copy when {@code transposed} gives one (n x p; null, or a supplier giving null:
   * not now), asked for by each scan of a single softmax query, whose scores then run in the SIMD
   * lanes.
   */
  ModernStep(
      float[] x,
      int p,
      int n,
      Separation separation,
      float beta,
      int degree,
      double maxNorm,
      java.util.function.Supplier<float[]> transposed,
      java.util.function.IntFunction<BinaryRows> bits) {
    this(
        kernelScan(x, p, n, separation, beta, degree, transposed, bits),
        true,
        x,
        p,
        n,
        separation,
        beta,
        maxNorm);
  }

  /**
   * The step of a modern memory whose scan over the stored patterns is {@code scan}: the same
   * finishing as {@link ModernHopfieldMemory#retrievalStep}, so that equal scan results give equal
   * steps bit for bit; except that with the exp separation a field too close to zero for float32 is
   * decided from X in float64 by the core's own step only (this step has no X, and keeps the
   * float32 field's sign).
   *
   * @param scan the scan over the stored patterns
   * @param p P, the number of stored patterns, at least 1
   * @param n N, the length of every state
   * @param separation the memory's separation
   * @param beta the memory's β
   * @param maxNorm M, the largest norm of a stored pattern (softmax energy)
   * @throws NullPointerException naming {@code scan} or {@code separation} if it is null
   * @throws IllegalArgumentException if P or N is below 1
   */
  public static ModernStep over(
      Scan scan, int p, int n, Separation separation, float beta, double maxNorm) {
    java.util.Objects.requireNonNull(scan, "scan");
    java.util.Objects.requireNonNull(separation, "separation");
    if (p < 1 || n < 1) {
      throw new IllegalArgumentException("P = " + p + " and N = " + n + " must be at least 1");
    }
    return new ModernStep(scan, false, null, p, n, separation, beta, maxNorm);
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public boolean batched() {
    return true;
  }

  /**
   * The core's own scan over more patterns than one chunk: its kernels share a batch's work over
   * the threads to the end (a thread with nothing left takes chunks of the stored patterns from
   * another's group of queries).
   */
  @Override
  public boolean parallelInside() {
    return ownScan && Kernels.retrievalBalancesBatches(p);
  }

  /**
   * The core's own scan: a state's next state, energy and matches are the same bits in any batch
   * and on any number of threads. (A scan given from elsewhere promises nothing of the kind.)
   */
  @Override
  public boolean dependsOnStateAlone() {
    return ownScan;
  }

  /** True: a softmax step copies its states out of the scan's buffer into new arrays. */
  @Override
  public boolean allocatesStates() {
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
      double[] energies,
      RecallResult.Match[][] matches,
      int topK) {
    step(cur, next, count, queries, sweep, changed, energies, false, matches, topK);
  }

  /**
   * With {@code fixedPointsOnly}, a state that the step changes gets NaN for its energy: its
   * squared norm (a pass over N values in float64, as long as the rest of a small memory's step for
   * N = 16384) is not computed.
   */
  @Override
  public void step(
      float[][] cur,
      float[][] next,
      int count,
      int[] queries,
      int sweep,
      boolean[] changed,
      double[] energies,
      boolean fixedPointsOnly,
      RecallResult.Match[][] matches,
      int topK) {
    int k = matches == null ? 0 : Math.min(topK, p);
    if (rowsX != null) {
      stepByRows(cur, next, count, changed, energies, fixedPointsOnly, matches, k);
      return;
    }
    ScanResult r = checked(scan.scan(flatten(cur, count), count, k, true), count, k, true);
    boolean poly = separation.usesDegree();
    float shrink = separation == Separation.EXP ? (float) Math.tanh(beta) : 0f;
    // exp: a float32 field within this of zero may have the wrong sign (exactExp decides it)
    double expTolerance = expX != null ? expFieldError() : -1;
    int[] undecided = expX != null ? new int[n] : null;
    float[] out = r.out();
    double[] sums = r.sums();
    double[] stat = r.stat();
    for (int c = 0; c < count; c++) {
      float[] s = cur[c];
      float[] t = next[c];
      if (separation == Separation.SOFTMAX && out != null) {
        if (t == null) {
          // a new array copied from the scan's buffer, not zeroed first (allocatesStates)
          t = next[c] = Arrays.copyOfRange(out, c * n, (c + 1) * n);
        } else {
          System.arraycopy(out, c * n, t, 0, n);
        }
      } else {
        if (t == null) {
          t = next[c] = new float[n];
        }
        if (separation == Separation.SOFTMAX) {
          for (int i = 0, o = c * n; i < n; i++, o++) {
            t[i] = (float) sums[o];
          }
        } else {
          int m = 0;
          for (int i = 0, o = c * n; i < n; i++, o++) {
            // the binary update: the sign of the field, a zero field keeps the value (the
            // polynomial fields are exact integers in float64 for ±1 data below 2^53)
            double field =
                poly
                    ? sums[o] + s[i] * stat[c]
                    : (double) (out != null ? out[o] : (float) sums[o]) - (double) shrink * s[i];
            t[i] = field > 0 ? 1f : field < 0 ? -1f : s[i];
            if (undecided != null && Math.abs(field) <= expTolerance) {
              undecided[m++] = i;
            }
          }
          if (m > 0) {
            exactExp(s, t, undecided, m);
          }
        }
      }
      finish(c, s, t, r, changed, matches, k);
    }
    if (energies != null) {
      energies(cur, count, r, fixedPointsOnly ? changed : null, energies);
    }
  }

  /**
   * State {@code c} of a step from {@code s} to {@code t}: whether it changed, its best matches
   * (its energy: {@link #energies(float[][], int, ScanResult, boolean[], double[])}).
   */
  private void finish(
      int c,
      float[] s,
      float[] t,
      ScanResult r,
      boolean[] changed,
      RecallResult.Match[][] matches,
      int k) {
    changed[c] = !sameBits(s, t);
    if (k > 0) {
      RecallResult.Match[] m = new RecallResult.Match[k];
      for (int j = 0; j < k; j++) {
        m[j] =
            new RecallResult.Match(
                r.topIndex()[c * k + j], weight(r.topScore()[c * k + j], r.stat()[c]));
      }
      matches[c] = m;
    }
  }

  /**
   * The softmax step of a small memory over X in one array: the states read where they are, the
   * next states written straight into their arrays (new ones where {@code next} has none); the same
   * bits as the scan's path.
   */
  private void stepByRows(
      float[][] cur,
      float[][] next,
      int count,
      boolean[] changed,
      double[] energies,
      boolean fixedPointsOnly,
      RecallResult.Match[][] matches,
      int k) {
    for (int c = 0; c < count; c++) {
      if (next[c] == null) {
        next[c] = new float[n];
      }
    }
    double[] stat = new double[count];
    int[] ti = new int[count * k];
    float[] ts = new float[count * k];
    Kernels.softmaxRetrievalRows(count, p, n, cur, rowsX, beta, next, stat, k, ti, ts);
    ScanResult r = new ScanResult(null, null, stat, null, ti, ts);
    for (int c = 0; c < count; c++) {
      finish(c, cur[c], next[c], r, changed, matches, k);
    }
    if (energies != null) {
      energies(cur, count, r, fixedPointsOnly ? changed : null, energies);
    }
  }

  @Override
  public void energies(float[][] states, int count, double[] out) {
    ScanResult r;
    if (rowsX != null) {
      // a small memory's statistics from the states where they are
      double[] stat = new double[count];
      Kernels.softmaxRetrievalRows(
          count, p, n, states, rowsX, beta, null, stat, 0, new int[0], new float[0]);
      r = new ScanResult(null, null, stat, null, new int[0], new float[0]);
    } else {
      r = checked(scan.scan(flatten(states, count), count, 0, false), count, 0, false);
    }
    energies(states, count, r, null, out);
  }

  /**
   * The energies of {@code states[0..count)} from the scan's results {@code r} into {@code out}
   * (NaN where {@code skip} is true: a changed state when only fixed points need theirs; skip null:
   * none).
   */
  private void energies(float[][] states, int count, ScanResult r, boolean[] skip, double[] out) {
    if (separation == Separation.SOFTMAX) {
      softmaxEnergies(states, count, r.stat(), skip, out);
      return;
    }
    for (int c = 0; c < count; c++) {
      out[c] =
          skip != null && skip[c]
              ? Double.NaN
              : separation == Separation.EXP
                  ? (float) (-r.stat()[c] / beta)
                  // float64: -Σ F(s) reaches N^n P (below 2^961 for n <= 30), beyond float32 from
                  // N^n = 2^128
                  : r.energy()[c];
    }
  }

  /**
   * The kernels' scan over X in one array: softmax ({@code stat = ln Σ e^(β s)}) or separation
   * ({@code stat = Σ d}), after checking that the states are ±1 for the binary separations.
   */
  private static Scan kernelScan(
      float[] x,
      int p,
      int n,
      Separation separation,
      float beta,
      int degree,
      java.util.function.Supplier<float[]> transposed,
      java.util.function.IntFunction<BinaryRows> bits) {
    return (q, count, k, wantOut) -> {
      // X's bits for a batch whose groups take their scores from blocks (not single queries)
      BinaryRows xb = count > 1 && bits != null ? bits.apply(count) : null;
      if (separation.isBinary()) {
        for (int c = 0; c < count; c++) {
          separation.checkValues(q, c * n, n, "state " + c);
        }
      }
      double[] stat = new double[count];
      int[] ti = new int[count * k];
      float[] ts = new float[count * k];
      return switch (separation) {
        case SOFTMAX, EXP -> {
          float[] out = wantOut ? buffer(1, count * n) : null;
          float[] xT =
              count == 1 && separation == Separation.SOFTMAX && transposed != null
                  ? transposed.get()
                  : null;
          Kernels.softmaxRetrieval(count, p, n, q, x, xT, xb, beta, out, stat, k, ti, ts);
          yield new ScanResult(out, null, stat, null, ti, ts);
        }
        case POLYNOMIAL, RECTIFIED -> {
          double[] sums = wantOut ? new double[count * n] : null;
          double[] energy = new double[count];
          Kernels.separationRetrieval(
              count,
              p,
              n,
              q,
              x,
              xb,
              degree,
              separation == Separation.RECTIFIED,
              sums,
              stat,
              energy,
              k,
              ti,
              ts);
          yield new ScanResult(null, sums, stat, energy, ti, ts);
        }
      };
    };
  }

  /**
   * The scan's results, their lengths checked.
   *
   * @throws IllegalStateException if they do not fit (a scan that breaks its contract)
   */
  private ScanResult checked(ScanResult r, int count, int k, boolean wantOut) {
    boolean poly = separation.usesDegree();
    boolean ok =
        r != null
            && r.stat() != null
            && r.stat().length >= count
            && (!poly || r.energy() != null && r.energy().length >= count)
            && r.topIndex() != null
            && r.topIndex().length >= count * k
            && r.topScore() != null
            && r.topScore().length >= count * k;
    if (ok && wantOut) {
      int values = count * n;
      ok =
          poly
              ? r.out() == null && r.sums() != null && r.sums().length >= values
              : r.out() != null
                  ? r.sums() == null && r.out().length >= values
                  : r.sums() != null && r.sums().length >= values;
    }
    if (!ok) {
      throw new IllegalStateException(
          "the scan's results do not fit "
              + count
              + " queries of N = "
              + n
              + " with k = "
              + k
              + " for "
              + separation.id()
              + " separation"
              + (wantOut ? " and the next states" : ""));
    }
    return r;
  }

  /**
   * The softmax energies (rounded to float32) of {@code states[0..count)}, whose scan gave {@code
   * lse = ln Σ_μ e^(β s_μ)}: {@code -lse/β + ½ ξᵀξ + β⁻¹ ln P + ½ M²}. Where every {@code β s_μ} is
   * small ({@code 8 β M ‖ξ‖ < ln P}), {@code lse} is {@code ln P} plus a term below its float32
   * rounding (the kernel sums {@code e^(β s - max)} in float32), and {@code (ln P - lse)/β} cancels
   * to noise divided by β (β = 1e-10, ±1 patterns of N = 64: 23.28 for 26.72; β = 1e-30: 0): the
   * energy is then computed from the scores in float64, as {@code -(s_max + β⁻¹ log1p(mean_μ
   * expm1(β (s_μ - s_max)))) + ½ ξᵀξ + ½ M²} ({@link LogMeanExp}: over X here, or the scan's, which
   * keeps the term; a scan that gives none keeps the first form).
   */
  private void softmaxEnergies(
      float[][] states, int count, double[] lse, boolean[] skip, double[] out) {
    double[] sq = new double[count];
    int[] tiny = new int[count];
    int m = 0;
    for (int c = 0; c < count; c++) {
      if (skip != null && skip[c]) {
        continue;
      }
      sq[c] = squaredNorm(states[c], 0, n);
      if (p > 1 && 8 * beta * maxNorm * Math.sqrt(sq[c]) < Math.log(p)) {
        tiny[m++] = c;
      }
    }
    LogMeanExp small = m == 0 ? null : logMeanExp(states, tiny, m);
    for (int c = 0, j = 0; c < count; c++) {
      if (skip != null && skip[c]) {
        out[c] = Double.NaN;
      } else if (small != null && j < m && tiny[j] == c) {
        out[c] = (float) (-small.value(j++) + 0.5 * sq[c] + 0.5 * maxNorm * maxNorm);
      } else {
        out[c] = (float) (-lse[c] / beta + 0.5 * sq[c] + energyConstant);
      }
    }
  }

  /**
   * The {@link LogMeanExp} of states {@code which[0..m)} over all P patterns: over X here, or the
   * scan's (null when it gives none).
   */
  private LogMeanExp logMeanExp(float[][] states, int[] which, int m) {
    float[] q = new float[m * n];
    for (int j = 0; j < m; j++) {
      System.arraycopy(states[which[j]], 0, q, j * n, n);
    }
    if (energyX != null) {
      return LogMeanExp.over(energyX, p, n, q, m, beta);
    }
    LogMeanExp r = scan.logMeanExp(q, m);
    if (r != null && (r.count() != m || r.rows() != p)) {
      throw new IllegalStateException(
          "the scan's log-mean-exp covers "
              + r.count()
              + " states over "
              + r.rows()
              + " patterns, expected "
              + m
              + " over P = "
              + p);
    }
    return r;
  }

  /**
   * A bound on the error of the exp separation's float32 field {@code m_i - tanh(β) ξ_i} (the
   * kernel's softmax mean {@code m = Σ_μ p_μ x_μ} less the shrink): the weights' exponents {@code β
   * s - max} rounded to float32 (at most {@code 2 β N} in magnitude for ±1 data), their {@code e^x}
   * (about 2 ulp), the sum of P terms and the normalisation, each a few units of {@code 2^-24};
   * four times that sum, so that a field further from zero has the sign of the exact one.
   */
  private double expFieldError() {
    return 0x1p-22 * (p + 2.0 * beta * n + 8);
  }

  /**
   * The exp separation's next values {@code t[idx[j]]} for the neurons whose float32 field is too
   * close to zero to decide, from the scores {@code s_μ = x_μ·ξ} and X in float64. The field of
   * neuron i is {@code 2 sinh(β) Σ_μ x_μi e^(β h_μi)} with {@code h_μi = s_μ - x_μi ξ_i}, whose
   * sign is that of {@code f = Σ_μ x_μi e^(β (h_μi - h_max))}. At small {@code β h} those weights
   * are 1 within float64's rounding (at β = 1e-30, {@code e^(β h)} is 1 for every h), so f is
   * computed as {@code Σ_μ x_μi + Σ_μ x_μi expm1(β (h_μi - h_max))}, the first sum an exact
   * integer: it keeps the terms of first order in β, which for a neuron whose stored values are
   * tied are {@code β Σ_μ x_μi h_μi}, the Hebbian field {@code β Σ_μ Σ_{j≠i} x_μi x_μj ξ_j}. A zero
   * f keeps {@code ξ_i}, as a zero field does everywhere in the binary update.
   *
   * <p>For ±1 values every score has the parity of N, so {@code h_max} is {@code s_max + 1} where a
   * pattern of the best score disagrees with {@code ξ_i} and {@code s_max - 1} otherwise: each
   * pattern's {@code expm1} takes one of four values, computed once per state (not once per neuron
   * and pattern), and many undecided neurons are summed row by row over X (the same order of terms,
   * so the same bits, as one neuron's column).
   */
  private void exactExp(float[] s, float[] t, int[] idx, int m) {
    double[] score = new double[p];
    double max = Double.NEGATIVE_INFINITY;
    for (int mu = 0; mu < p; mu++) {
      // ±1 data: exact integers, in any order. The scores are those LogMeanExp.over computes, in
      // four chains rather than its one on purpose: LogMeanExp takes real values, whose float64
      // sum depends on the order, and documents index order (so its bits are fixed whoever runs
      // it, a Spark shard or the core); here every partial sum is an exact integer (the binary
      // separations take ±1 patterns and cues only), so any order gives the same bits, and with
      // one chain a recall at beta 10 (P = 2000, N = 1024, 64 queries) took 1.20x as long
      // (median of 20 alternating rounds in one JVM; the loop alone 1.34x)
      double d0 = 0;
      double d1 = 0;
      double d2 = 0;
      double d3 = 0;
      int o = mu * n;
      int i = 0;
      for (; i + 4 <= n; i += 4, o += 4) {
        d0 += (double) expX[o] * s[i];
        d1 += (double) expX[o + 1] * s[i + 1];
        d2 += (double) expX[o + 2] * s[i + 2];
        d3 += (double) expX[o + 3] * s[i + 3];
      }
      for (; i < n; i++, o++) {
        d0 += (double) expX[o] * s[i];
      }
      double dot = (d0 + d1) + (d2 + d3);
      score[mu] = dot;
      max = Math.max(max, dot);
    }
    double b = beta;
    // [0]: h_max = s_max + 1 (a best pattern disagrees), [1]: h_max = s_max - 1; then agreeing
    // (h = s - 1) and disagreeing (h = s + 1) patterns
    double[][] agree = new double[2][p];
    double[][] disagree = new double[2][p];
    int tops = 0;
    for (int mu = 0; mu < p; mu++) {
      double d = score[mu] - max;
      tops += d == 0 ? 1 : 0;
      agree[0][mu] = Math.expm1(b * (d - 2));
      disagree[0][mu] = Math.expm1(b * d);
      agree[1][mu] = disagree[0][mu];
      disagree[1][mu] = Math.expm1(b * (d + 2)); // (d <= -2 wherever it is used)
    }
    int[] top = new int[tops];
    for (int mu = 0, k = 0; mu < p; mu++) {
      if (score[mu] == max) {
        top[k++] = mu;
      }
    }
    // per undecided neuron: which h_max, and its two sums
    int[] shift = new int[n];
    for (int j = 0; j < m; j++) {
      int i = idx[j];
      shift[i] = 1;
      for (int mu : top) {
        if (expX[mu * n + i] != s[i]) {
          shift[i] = 0;
          break;
        }
      }
    }
    double[] count = new double[n]; // Σ_μ x_μi, an exact integer
    double[] small = new double[n]; // Σ_μ x_μi expm1(β (h_μi - h_max)), each term in [-1, 0]
    if (m > n / 8) {
      // row by row over X for all neurons: x e = x (a + d)/2 + ξ (a - d)/2 for x, ξ = ±1 (a
      // the agreeing pattern's term, d the disagreeing one's), so per class two sums over the
      // rows, Σ_μ x_μ (a_μ + d_μ)/2 for every neuron, and Σ_μ (a_μ - d_μ)/2 for all
      double[][] both = new double[2][n];
      double[] apart = new double[2];
      for (int mu = 0; mu < p; mu++) {
        int xo = mu * n;
        double w0 = 0.5 * (agree[0][mu] + disagree[0][mu]);
        double w1 = 0.5 * (agree[1][mu] + disagree[1][mu]);
        apart[0] += 0.5 * (agree[0][mu] - disagree[0][mu]);
        apart[1] += 0.5 * (agree[1][mu] - disagree[1][mu]);
        double[] b0 = both[0];
        double[] b1 = both[1];
        for (int i = 0; i < n; i++) {
          double v = expX[xo + i];
          count[i] += v;
          b0[i] += w0 * v;
          b1[i] += w1 * v;
        }
      }
      for (int j = 0; j < m; j++) {
        int i = idx[j];
        small[i] = both[shift[i]][i] + s[i] * apart[shift[i]];
      }
    } else {
      for (int j = 0; j < m; j++) {
        int i = idx[j];
        double[] e0 = agree[shift[i]];
        double[] e1 = disagree[shift[i]];
        for (int mu = 0, o = i; mu < p; mu++, o += n) {
          float v = expX[o];
          count[i] += v;
          small[i] += v * (v == s[i] ? e0[mu] : e1[mu]);
        }
      }
    }
    for (int j = 0; j < m; j++) {
      int i = idx[j];
      double f = count[i] + small[i];
      t[i] = f > 0 ? 1f : f < 0 ? -1f : s[i];
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
   * {@code Σ v_i²} over {@code v[off..off+n)} in float64 (each square exact; infinite or NaN when a
   * value is), in one fixed order: each whole block of 16 values added into 16 partial sums (value
   * j of a block into sum j), the sums combined as a tree (sum j plus sum j + 8, then + 4, + 2, +
   * 1), then the last {@code n mod 16} values added one by one. Plain Java on purpose: a SIMD
   * version loading floats with a second vector species broke C2's compilation of the retrieval
   * kernels (ARCHITECTURE.md).
   */
  static double squaredNorm(float[] v, int off, int n) {
    // sixteen sums in locals (in an array C2 kept them in memory: 1.5-2.5x as long, measured)
    double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    double p4 = 0, p5 = 0, p6 = 0, p7 = 0;
    double p8 = 0, p9 = 0, p10 = 0, p11 = 0;
    double p12 = 0, p13 = 0, p14 = 0, p15 = 0;
    int i = 0;
    for (; i + 16 <= n; i += 16) {
      int o = off + i;
      double x0 = v[o + 0];
      p0 += x0 * x0;
      double x1 = v[o + 1];
      p1 += x1 * x1;
      double x2 = v[o + 2];
      p2 += x2 * x2;
      double x3 = v[o + 3];
      p3 += x3 * x3;
      double x4 = v[o + 4];
      p4 += x4 * x4;
      double x5 = v[o + 5];
      p5 += x5 * x5;
      double x6 = v[o + 6];
      p6 += x6 * x6;
      double x7 = v[o + 7];
      p7 += x7 * x7;
      double x8 = v[o + 8];
      p8 += x8 * x8;
      double x9 = v[o + 9];
      p9 += x9 * x9;
      double x10 = v[o + 10];
      p10 += x10 * x10;
      double x11 = v[o + 11];
      p11 += x11 * x11;
      double x12 = v[o + 12];
      p12 += x12 * x12;
      double x13 = v[o + 13];
      p13 += x13 * x13;
      double x14 = v[o + 14];
      p14 += x14 * x14;
      double x15 = v[o + 15];
      p15 += x15 * x15;
    }
    double s =
        (((p0 + p8) + (p4 + p12)) + ((p2 + p10) + (p6 + p14)))
            + (((p1 + p9) + (p5 + p13)) + ((p3 + p11) + (p7 + p15)));
    for (; i < n; i++) {
      double x = v[off + i];
      s += x * x;
    }
    return s;
  }

  /**
   * Buffer {@code which} of this thread, at least {@code floats} long (contents unspecified), or a
   * fresh array when larger than {@link #SCRATCH_FLOATS}.
   */
  private static float[] buffer(int which, int floats) {
    if (floats > SCRATCH_FLOATS) {
      return new float[floats];
    }
    float[][] s = SCRATCH.get();
    if (s[which].length < floats) {
      s[which] = new float[floats];
    }
    return s[which];
  }

  /** The rows in one array: this thread's buffer for the core's scan, else a fresh array. */
  private float[] flatten(float[][] rows, int count) {
    float[] q = ownScan ? buffer(0, count * n) : new float[count * n];
    for (int c = 0; c < count; c++) {
      System.arraycopy(rows[c], 0, q, c * n, n);
    }
    return q;
  }
}
