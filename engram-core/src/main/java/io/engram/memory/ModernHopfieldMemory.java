package io.engram.memory;

import io.engram.kernels.BinaryRows;
import io.engram.kernels.Kernels;
import io.engram.kernels.TransposedCopy;
import io.engram.network.Memory;
import io.engram.network.RecallEngine;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.RetrievalStep;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Modern Hopfield memory (dense associative memory): stores the patterns themselves, X (P x N
 * float32), and retrieves the stored pattern nearest a cue, in one step, far beyond the classical
 * network's capacity of about 0.14 N.
 *
 * <pre>{@code
 * var memory = ModernHopfieldMemory.softmax(256);       // β = 1/√N
 * memory.store(patterns);                               // appends; returns the first new index
 * RecallResult r = memory.retrieve(noisyCue);           // one step
 * r.state(); r.energy(); r.matches().get(0).index();    // the stored pattern that weighed most
 * memory.remove(3);                                     // forget pattern 3 (later ones move up)
 * }</pre>
 *
 * <p><b>Softmax retrieval</b> (Ramsauer et al. 2020), the attention of transformers, for any real
 * patterns: {@code ξ ← Xᵀ softmax(β X ξ)}, with the energy
 *
 * <pre>{@code E(ξ) = -lse(β, X ξ) + ½ ξᵀξ + β⁻¹ ln P + ½ M²,   lse(β, z) = β⁻¹ ln Σ_μ e^(β z_μ)}
 * </pre>
 *
 * (M the largest stored pattern norm; {@code E >= 0}). Each step lowers E or leaves it (the update
 * is the concave-convex procedure on E). Small β retrieves the mean of the patterns (the metastable
 * global average), large β the single nearest pattern; {@code β = 1/√N} is the default. The softmax
 * subtracts its maximum and is streamed over blocks of patterns, so it neither overflows nor gives
 * NaN for any {@code β X ξ} whose values are finite floats; weights below {@code 2^-126} of the
 * largest are 0. Scores or {@code β} times scores that are not finite floats are an error.
 *
 * <p><b>Separation functions</b> for ±1 patterns and cues (Krotov and Hopfield 2016; Demircigil et
 * al. 2017): every neuron updated at once from the current state, {@code ξ_i ← sgn Σ_μ [F(ξ^μ_i +
 * Σ_{j≠i} ξ^μ_j ξ_j) - F(-ξ^μ_i + Σ_{j≠i} ξ^μ_j ξ_j)]} (a zero sum keeps {@code ξ_i}), with the
 * energy {@code E = -Σ_μ F(ξ^μ·ξ)} for {@code F(x) = xⁿ} or {@code max(x, 0)ⁿ}, and {@code E = -β⁻¹
 * ln Σ_μ e^(β ξ^μ·ξ)} (the logarithm of that energy, which has the same minima and stays in range)
 * for {@code F(x) = e^(βx)}. Polynomial F of degree n stores about {@code N^(n-1) / (2 (2n-3)!! ln
 * N)} random patterns without error ({@link #polynomialCapacity}); the exponential, exponentially
 * many.
 *
 * <p><b>Results</b>: {@link RecallResult#matches()} lists the stored patterns that weighed most in
 * the last step, best first ({@link RecallOptions#withTopK}, default 1): their index and their
 * softmax weight {@code e^(β s_μ) / Σ_ν e^(β s_ν)} (softmax and exp), or their overlap {@code ξ^μ·ξ
 * / N} in [-1, 1] (polynomial and rectified). Retrieval runs in {@link RecallEngine} with {@link
 * #defaultRecallOptions()} one step; more steps stop early at an exact fixed point or, with {@link
 * RecallOptions#withStateTolerance}, when no value moves by the tolerance.
 *
 * <p>Batch retrieval is two matrix products and a row softmax on the SIMD kernels, never holding
 * more of the B x P score matrix than one block per thread; see {@code Kernels.softmaxRetrieval}.
 *
 * <p>Retrieval never changes the memory and may run from many threads at once, also while another
 * thread changes it: retrieval and energies ({@link #retrieve}, {@link #retrieveAll}, {@link
 * #recallBatch}, {@link #retrievalStep}, {@link #energy}) take the patterns and settings as the
 * last completed change left them, never a mixture (the count of one state with the rows of
 * another), and a retrieval already running keeps the patterns it started with. {@link #store},
 * {@link #remove} and {@link #setSeparation} must not run concurrently with each other or with the
 * other readers ({@link #size}, {@link #pattern}, ...): a change that begins while another thread
 * changes the memory fails fast, where it can, with a {@link ConcurrentModificationException}
 * naming that thread, as Java's collections do (best effort, not a lock). Every mutating method
 * validates its input first and leaves the memory unchanged when it throws.
 *
 * <p>Ramsauer, H. et al. (2020), "Hopfield networks is all you need", arXiv:2008.02217; Krotov, D.
 * and Hopfield, J. J. (2016), NeurIPS 29; Demircigil, M. et al. (2017), J. Stat. Phys. 168:288.
 */
public final class ModernHopfieldMemory implements Memory {

  /** The degree used when none is given: 3. */
  public static final int DEFAULT_DEGREE = 3;

  /** The largest separation degree: 30. */
  public static final int MAX_DEGREE = 30;

  /** The most floats X may hold (a Java array). */
  static final long MAX_FLOATS = Integer.MAX_VALUE - 8L;

  /** The most room X keeps for patterns not stored yet: 2^24 floats (64 MiB). */
  static final long MAX_SLACK_FLOATS = 1L << 24;

  private final int n;
  private Separation separation;
  private float beta;
  private int degree;
  private float[] x = new float[0];
  private int p;
  private double maxNormSq;

  /**
   * What retrieval reads, as the last completed change left it: X (whose rows past {@code p} a
   * later store may fill in place, never the first {@code p}: a removal makes a new array), the
   * count, the largest squared norm and the settings. Published after every change.
   */
  private record Snapshot(
      float[] x, int p, double maxNormSq, Separation separation, float beta, int degree) {}

  private volatile Snapshot published;

  /** The thread changing the memory now, or null. */
  private volatile Thread changer;

  private void publish() {
    published = new Snapshot(x, p, maxNormSq, separation, beta, degree);
  }

  /**
   * Runs a change of the memory (refused while another thread changes it), then publishes the
   * fields for retrieval.
   */
  private <T> T changing(Supplier<T> change) {
    Thread t = changer;
    if (t != null) {
      throw new ConcurrentModificationException(
          "cannot change the memory while another thread ('"
              + t.getName()
              + "') changes it (a memory needs exclusive access while its patterns change)");
    }
    changer = Thread.currentThread();
    try {
      return change.get();
    } finally {
      publish();
      changer = null;
    }
  }

  private ModernHopfieldMemory(int n, Separation separation, float beta, int degree) {
    this.n = n;
    this.separation = separation;
    this.beta = beta;
    this.degree = degree;
    publish();
  }

  /**
   * An empty softmax memory for patterns of length N (1 to {@link #MAX_FLOATS}), {@code β = 1/√N}.
   */
  public static ModernHopfieldMemory softmax(int numNeurons) {
    return of(numNeurons, Separation.SOFTMAX, defaultBeta(Separation.SOFTMAX, numNeurons), 0);
  }

  /** An empty softmax memory for patterns of length N with the given β (finite, > 0). */
  public static ModernHopfieldMemory softmax(int numNeurons, float beta) {
    return of(numNeurons, Separation.SOFTMAX, beta, 0);
  }

  /** An empty memory of ±1 patterns with {@code F(x) = xⁿ}, n = {@code degree} (2..30). */
  public static ModernHopfieldMemory polynomial(int numNeurons, int degree) {
    return of(numNeurons, Separation.POLYNOMIAL, Float.NaN, degree);
  }

  /** An empty memory of ±1 patterns with {@code F(x) = max(x, 0)ⁿ}, n = {@code degree} (2..30). */
  public static ModernHopfieldMemory rectified(int numNeurons, int degree) {
    return of(numNeurons, Separation.RECTIFIED, Float.NaN, degree);
  }

  /**
   * An empty memory of ±1 patterns with {@code F(x) = e^(βx)} (β finite, > 0; 1 is Demircigil's).
   */
  public static ModernHopfieldMemory exponential(int numNeurons, float beta) {
    return of(numNeurons, Separation.EXP, beta, 0);
  }

  /**
   * An empty memory for patterns of length N.
   *
   * @param beta finite and > 0 for softmax and exp; NaN for the others
   * @param degree 2..{@value #MAX_DEGREE} for polynomial and rectified; 0 for the others
   * @throws IllegalArgumentException if {@code N < 1}, or N is more than one stored pattern can
   *     hold ({@link #MAX_FLOATS}, 2³¹ − 9: the patterns are kept in one Java array), or a
   *     parameter is out of range or does not apply
   */
  public static ModernHopfieldMemory of(
      int numNeurons, Separation separation, float beta, int degree) {
    if (numNeurons < 1) {
      throw new IllegalArgumentException("a memory needs N >= 1, got " + numNeurons);
    }
    if (numNeurons > MAX_FLOATS) {
      // such a memory was made, and refused every pattern it was given
      throw new IllegalArgumentException(
          "N = "
              + numNeurons
              + " is more than one stored pattern can hold: a memory keeps its patterns in one"
              + " array of at most "
              + MAX_FLOATS
              + " floats");
    }
    checkSettings(separation, beta, degree);
    return new ModernHopfieldMemory(numNeurons, separation, beta, degree);
  }

  /**
   * A memory of the given settings over {@code count} patterns in {@code rows} that the caller
   * hands over (not copied: the memory takes ownership, and the caller must not use the array
   * afterwards), checked as {@link #storeRows(float[], int)} checks them. For readers that fill X
   * from a file: a copy of it cost a modern recall a second array of X's size (in a fresh process,
   * memory touched for the first time). Later stores append as usual.
   *
   * @param rows {@code count x N} values, row-major; exactly that long
   * @throws IllegalArgumentException as {@link #of} and {@link #storeRows(float[], int)}, or if
   *     {@code rows} is not {@code count x N} long
   */
  public static ModernHopfieldMemory wrap(
      int numNeurons, Separation separation, float beta, int degree, float[] rows, int count) {
    ModernHopfieldMemory m = of(numNeurons, separation, beta, degree);
    Objects.requireNonNull(rows, "rows");
    checkRowCount(rows.length, count, numNeurons);
    m.checkRoom(count);
    m.append(rows, count);
    m.publish();
    return m;
  }

  /**
   * {@code 1/√N} for softmax, 1 for exp, NaN for the polynomial separations.
   *
   * @throws IllegalArgumentException if N is below 1 (softmax's β was then infinite or NaN)
   */
  public static float defaultBeta(Separation separation, int numNeurons) {
    Objects.requireNonNull(separation, "separation");
    if (numNeurons < 1) {
      throw new IllegalArgumentException("a memory needs N >= 1, got " + numNeurons);
    }
    return switch (separation) {
      case SOFTMAX -> (float) (1 / Math.sqrt(numNeurons));
      case EXP -> 1f;
      case POLYNOMIAL, RECTIFIED -> Float.NaN;
    };
  }

  private static void checkSettings(Separation s, float beta, int degree) {
    Objects.requireNonNull(s, "separation");
    if (s.usesBeta()) {
      if (!(beta > 0) || !Float.isFinite(beta)) {
        throw new IllegalArgumentException(
            "beta must be a finite number > 0 for " + s.id() + ", got " + beta);
      }
    } else if (!Float.isNaN(beta)) {
      throw new IllegalArgumentException(
          "beta does not apply to " + s.id() + " separation (got " + beta + ")");
    }
    if (s.usesDegree()) {
      if (degree < 2 || degree > MAX_DEGREE) {
        throw new IllegalArgumentException(
            "degree must be in 2.." + MAX_DEGREE + " for " + s.id() + ", got " + degree);
      }
    } else if (degree != 0) {
      throw new IllegalArgumentException(
          "degree does not apply to " + s.id() + " separation (got " + degree + ")");
    }
  }

  /**
   * Changes the separation and its parameters (as {@link #of}); the stored patterns stay.
   *
   * @throws IllegalArgumentException as {@link #of}, or when a binary separation is chosen while a
   *     stored pattern has a value other than ±1; the memory is then unchanged
   */
  public void setSeparation(Separation separation, float beta, int degree) {
    changing(
        () -> {
          setSeparationNow(separation, beta, degree);
          return null;
        });
  }

  private void setSeparationNow(Separation separation, float beta, int degree) {
    checkSettings(separation, beta, degree);
    if (separation.isBinary()) {
      for (int k = 0; k < p; k++) {
        separation.checkValues(x, k * n, n, "stored pattern " + k);
      }
    }
    this.separation = separation;
    this.beta = beta;
    this.degree = degree;
  }

  /** {@code modern}. */
  @Override
  public String kind() {
    return "modern";
  }

  /** N, the length of every pattern and cue. */
  @Override
  public int numNeurons() {
    return n;
  }

  /** How retrieval separates the patterns: softmax, or a binary update's separation function. */
  public Separation separation() {
    return separation;
  }

  /** β for softmax and exp; NaN for the polynomial separations. */
  public float beta() {
    return beta;
  }

  /** The degree n for polynomial and rectified; 0 for the others. */
  public int degree() {
    return degree;
  }

  /** P, the number of stored patterns. */
  public int size() {
    return p;
  }

  /** M, the largest norm of a stored pattern (0 when empty). */
  public double maxNorm() {
    return Math.sqrt(maxNormSq);
  }

  /** Bytes the stored patterns take (4 P N). */
  public long memoryBytes() {
    return 4L * p * n;
  }

  /**
   * Stores patterns after those already stored (successive calls append).
   *
   * @param patterns each of length N with finite values (±1 for the binary separations); not
   *     modified (copied)
   * @return the index of the first new pattern (the previous {@link #size()})
   * @throws IllegalArgumentException if a pattern is invalid, its squared norm exceeds the float32
   *     range, or P N would exceed 2^31 floats; nothing is stored then
   */
  public int store(float[][] patterns) {
    Objects.requireNonNull(patterns, "patterns");
    return changing(() -> storeNow(patterns));
  }

  private int storeNow(float[][] patterns) {
    for (int k = 0; k < patterns.length; k++) {
      float[] r = patterns[k];
      if (r == null) {
        // (was "pattern 1 has length null"; PatternBlock and recall say "is null")
        throw new IllegalArgumentException("pattern " + k + " is null");
      }
      if (r.length != n) {
        throw new IllegalArgumentException(
            "pattern " + k + " has length " + r.length + ", expected " + n);
      }
    }
    checkRoom(patterns.length);
    // one copy of each pattern, straight past the stored rows; the copies are what is checked
    float[] dst = roomFor(patterns.length);
    for (int k = 0; k < patterns.length; k++) {
      System.arraycopy(patterns[k], 0, dst, (p + k) * n, n);
    }
    return append(dst, patterns.length);
  }

  /**
   * Stores {@code count} patterns given row by row in {@code rows} ({@code count x N}, row-major;
   * not modified); as {@link #store(float[][])}.
   */
  public int storeRows(float[] rows, int count) {
    Objects.requireNonNull(rows, "rows");
    return storeRows(FloatBuffer.wrap(rows), count);
  }

  /**
   * Stores {@code count} patterns given row by row in a buffer, its values at the absolute indices
   * 0 to {@code count x N - 1} (not modified; its position is not used); as {@link
   * #storeRows(float[], int)}, without an array of the values first (e.g. a {@code PatternBlock}'s
   * {@code rows()}).
   */
  public int storeRows(FloatBuffer rows, int count) {
    Objects.requireNonNull(rows, "rows");
    return changing(() -> storeRowsNow(rows, count));
  }

  private int storeRowsNow(FloatBuffer rows, int count) {
    checkRowCount(rows.limit(), count, n);
    checkRoom(count);
    float[] dst = roomFor(count);
    rows.get(0, dst, p * n, count * n);
    return append(dst, count);
  }

  /** P N stays within {@link #MAX_FLOATS} with {@code count} more patterns. */
  private void checkRoom(int count) {
    if ((long) (p + count) * n > MAX_FLOATS) {
      throw new IllegalArgumentException(
          "storing "
              + count
              + " more patterns of length "
              + n
              + " would exceed "
              + MAX_FLOATS
              + " floats (P = "
              + p
              + " stored)");
    }
  }

  /**
   * Checks pattern {@code k} at {@code v[off..off+N)} (finite values, a squared norm within the
   * float32 range, ±1 for the binary separations) and returns its squared norm.
   */
  private double checkPattern(float[] v, int off, int k) {
    double sq = ModernStep.squaredNorm(v, off, n);
    if (!Double.isFinite(sq)) {
      // an infinite or NaN value: name the first
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(v[off + i])) {
          throw new IllegalArgumentException(
              "pattern " + k + " has a non-finite value " + v[off + i] + " at index " + i);
        }
      }
    }
    if (!(sq <= Float.MAX_VALUE)) {
      throw new IllegalArgumentException(
          "pattern " + k + " has squared norm " + sq + ", beyond the float32 range");
    }
    if (separation.isBinary()) {
      separation.checkValues(v, off, n, "pattern " + k);
    }
    return sq;
  }

  /**
   * An array for X with room for {@code count} more patterns after the P stored ones: X itself
   * while it has the room, else a copy of the stored rows in one half as long again as X, but at
   * most {@link #MAX_SLACK_FLOATS} longer (or just long enough; at most {@link #MAX_FLOATS}). So
   * patterns stored one call at a time cost amortised O(N) each instead of a copy of all of X each
   * (quadratic: 20,000 single stores of N = 256 took 13-16 s), and a large memory loaded from a
   * file and then given a few more patterns needs at most 64 MiB more than before. Rows written
   * past P in X are never read by a retrieval running meanwhile: it reads the P rows it started
   * with.
   */
  private float[] roomFor(int count) {
    long need = (long) (p + count) * n;
    if (need <= x.length) {
      return x;
    }
    return Arrays.copyOf(x, (int) (grownRows(x.length / n, p + count, n) * n));
  }

  /**
   * {@code values} hold {@code count} patterns of length {@code n}: a negative count is named as
   * such (it was "4 values are not -1 patterns of length 4").
   */
  private static void checkRowCount(int values, int count, int n) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if ((long) count * n != values) {
      throw new IllegalArgumentException(
          values + " values are not " + count + " patterns of length " + n);
    }
  }

  /** The patterns X grown from room for {@code rows} holds, for {@code need} (more) patterns. */
  static long grownRows(long rows, long need, int n) {
    long slack = Math.min(rows >> 1, Math.max(1, MAX_SLACK_FLOATS / n));
    return Math.max(need, Math.min(MAX_FLOATS / n, rows + slack));
  }

  /**
   * Checks the {@code count} new patterns at rows P.. of {@code dst} (from {@link #roomFor}) and
   * makes them stored; when one is invalid, throws with P and X as they were.
   */
  private int append(float[] dst, int count) {
    double max = maxNormSq;
    for (int k = 0; k < count; k++) {
      max = Math.max(max, checkPattern(dst, (p + k) * n, k));
    }
    int first = p;
    this.x = dst;
    this.p += count;
    this.transposed = null; // of the patterns before
    this.binary = null;
    this.maxNormSq = max;
    return first;
  }

  /**
   * Removes stored pattern {@code index}; the patterns after it move up by one (the modern
   * counterpart of unlearning).
   *
   * @return the removed pattern
   * @throws IllegalArgumentException if {@code index} is not in {@code 0..P-1}
   */
  public float[] remove(int index) {
    return remove(new int[] {index})[0];
  }

  /**
   * Removes the stored patterns at {@code indices} (any order) in one pass over X; the patterns
   * kept keep their order and move up (removing k patterns one call at a time would copy X k
   * times).
   *
   * @return the removed patterns, in the order of {@code indices}
   * @throws IllegalArgumentException if an index is not in {@code 0..P-1} or is given twice;
   *     nothing is removed then
   */
  public float[][] remove(int[] indices) {
    Objects.requireNonNull(indices, "indices");
    return changing(() -> removeNow(indices));
  }

  private float[][] removeNow(int[] indices) {
    boolean[] gone = new boolean[p];
    float[][] removed = new float[indices.length][];
    for (int j = 0; j < indices.length; j++) {
      int index = indices[j];
      removed[j] = pattern(index); // checks the range
      if (gone[index]) {
        throw new IllegalArgumentException(
            "pattern index " + index + " is given twice (P = " + p + ")");
      }
      gone[index] = true;
    }
    int kept = p - indices.length;
    float[] shrunk = new float[kept * n];
    double max = 0;
    int row = 0;
    for (int k = 0; k < p; k++) {
      if (!gone[k]) {
        System.arraycopy(x, k * n, shrunk, row * n, n);
        max = Math.max(max, ModernStep.squaredNorm(shrunk, row * n, n));
        row++;
      }
    }
    this.x = shrunk;
    this.p = kept;
    this.transposed = null;
    this.binary = null;
    this.maxNormSq = max;
    return removed;
  }

  /**
   * A copy of stored pattern {@code index}.
   *
   * @throws IllegalArgumentException if {@code index} is not in {@code 0..P-1}
   */
  public float[] pattern(int index) {
    if (index < 0 || index >= p) {
      throw new IllegalArgumentException(
          p == 0
              ? "pattern index " + index + ": the memory is empty (P = 0), it has no pattern"
              : "pattern index " + index + " is not in 0.." + (p - 1) + " (P = " + p + ")");
    }
    return Arrays.copyOfRange(x, index * n, (index + 1) * n);
  }

  /** A copy of X, row-major P x N. */
  public float[] toArray() {
    return Arrays.copyOf(x, p * n);
  }

  /**
   * Copies stored patterns {@code from .. from+count-1}, row-major, into {@code dst} from index 0
   * (a block at a time, as a file writer streams X without a copy of all of it).
   *
   * @throws IllegalArgumentException if the rows are not in {@code 0..P-1} or {@code dst} is
   *     shorter than {@code count * N}
   */
  public void copyRows(int from, int count, float[] dst) {
    Objects.requireNonNull(dst, "dst");
    if (from < 0 || count < 0 || from > p - count || (long) count * n > dst.length) {
      throw new IllegalArgumentException(
          "rows "
              + from
              + " + "
              + count
              + " of P = "
              + p
              + " into "
              + dst.length
              + " values (N = "
              + n
              + ")");
    }
    System.arraycopy(x, from * n, dst, 0, count * n);
  }

  /** The patterns X has room for now without growing (for tests). */
  int capacity() {
    return x.length / n;
  }

  /** One step by default ({@link RecallOptions#defaults()} with at most 1 iteration, top-1). */
  @Override
  public RecallOptions defaultRecallOptions() {
    return RecallOptions.defaults().withMaxIterations(1);
  }

  /** Retrieves one cue with {@link #defaultRecallOptions()} (one step). */
  public RecallResult retrieve(float[] cue) {
    Objects.requireNonNull(cue, "cue");
    return retrieve(cue, defaultRecallOptions());
  }

  /**
   * Retrieves one cue: the state starts at the cue, then up to {@code maxIterations} steps run.
   *
   * @throws IllegalArgumentException if the memory is empty, the cue is invalid (length, finite, ±1
   *     for binary separations) or the options set dynamics
   */
  public RecallResult retrieve(float[] cue, RecallOptions options) {
    Objects.requireNonNull(cue, "cue");
    return retrieveAll(new float[][] {cue}, options).get(0);
  }

  /** Retrieves each cue with {@link #defaultRecallOptions()}. */
  public List<RecallResult> retrieveAll(float[][] cues) {
    return retrieveAll(cues, defaultRecallOptions());
  }

  /**
   * Retrieves each cue independently, in one batch (queries grouped over the threads, each group
   * two matrix products per step).
   *
   * @throws IllegalArgumentException as {@link #retrieve(float[], RecallOptions)}; nothing runs
   */
  public List<RecallResult> retrieveAll(float[][] cues, RecallOptions options) {
    return retrieveChecked(cues, options, null);
  }

  /**
   * {@link #retrieveAll(float[][], RecallOptions)} with each query's final state written into the
   * caller's row {@code states[q]} (as numpy's {@code out=}), which its result then holds, not a
   * copy. A loop of retrievals that reuses its rows allocates no state arrays for them: the rows
   * stay in the processor's cache from call to call, where new arrays come from memory (Java zeroes
   * each). One step (the default) writes straight into the rows; with more, each query has one
   * array of its own for the steps between. The results are those of {@code retrieveAll}, bit for
   * bit.
   *
   * @param states one row of exactly N values per cue, each an array of its own: not a cue, not
   *     another row (overwritten; a row's contents before the call are not read)
   * @throws IllegalArgumentException as {@link #retrieve(float[], RecallOptions)}, or for a null,
   *     short or shared row; no row is written, except where a cue holds a value that is not finite
   *     or scores overflow: softmax steps find those as they run, and rows of other cues may then
   *     hold their states
   */
  public List<RecallResult> retrieveAll(float[][] cues, RecallOptions options, float[][] states) {
    Objects.requireNonNull(cues, "cues");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(states, "states");
    return retrieveChecked(cues, options, states);
  }

  private List<RecallResult> retrieveChecked(
      float[][] cues, RecallOptions options, float[][] states) {
    Objects.requireNonNull(cues, "cues");
    Objects.requireNonNull(options, "options");
    Snapshot s = published; // one state of the memory for the step and the cues' checks
    RetrievalStep step = retrievalStep(options, s);
    Separation separation = s.separation();
    // A softmax step finds a value that is not finite in a cue itself: every score of that cue
    // is then NaN or infinite, which the kernels refuse before they write the cue's output. So the
    // cues' own pass over their values (a tenth of a small memory's step) is left to the step when
    // no listener can see a step of the other cues before the refusal, and made only to name the
    // value when the step refuses.
    boolean stepFindsNonFinite =
        separation == Separation.SOFTMAX
            && options.maxIterations() > 0
            && options.stepListener() == null
            && options.queryListener() == null;
    for (int q = 0; q < cues.length; q++) {
      checkCue(cues[q], q, !stepFindsNonFinite, separation);
    }
    try {
      return RecallEngine.run(step, cues, 0, options, states);
    } catch (IllegalArgumentException e) {
      if (stepFindsNonFinite) {
        for (int q = 0; q < cues.length; q++) {
          checkCue(cues[q], q, true, separation); // names the value, if a cue has one
        }
      }
      throw e;
    }
  }

  /** {@link #retrieveAll(float[][], RecallOptions, float[][])}. */
  @Override
  public List<RecallResult> recallBatch(float[][] cues, RecallOptions options, float[][] states) {
    return retrieveAll(cues, options, states);
  }

  /** {@link #retrieveAll(float[][], RecallOptions)}. */
  @Override
  public List<RecallResult> recallBatch(float[][] cues, RecallOptions options) {
    return retrieveAll(cues, options);
  }

  /**
   * The retrieval step over the patterns stored now (later changes do not reach it).
   *
   * @throws IllegalArgumentException if the memory is empty or the options set dynamics (which
   *     belong to the classical network)
   */
  @Override
  public RetrievalStep retrievalStep(RecallOptions options) {
    return retrievalStep(options, published);
  }

  private RetrievalStep retrievalStep(RecallOptions options, Snapshot s) {
    if (options != null && options.dynamics() != null) {
      throw new IllegalArgumentException(
          "modern memory has no neuron dynamics (activation, threshold, update mode) to override");
    }
    if (s.p() == 0) {
      throw new IllegalArgumentException("the memory stores no patterns yet");
    }
    return new ModernStep(
        s.x(),
        s.p(),
        n,
        s.separation(),
        s.beta(),
        s.degree(),
        Math.sqrt(s.maxNormSq()),
        transposedForSingleQueries(s),
        binaryForBatches(s));
  }

  /**
   * The most floats of X (16 MiB) for which single-query softmax steps keep X's transposed copy: a
   * tile for one query uses one lane of each vector, and the scores from the copy run in all of
   * them (one query against P = 10,000 patterns of N = 256: 700 µs a step before). The copy costs
   * as much memory again as X and some ten steps' time to make, so it is made at the {@value
   * #COPY_AFTER_STEPS}th single-query step over the same patterns, and dropped when they change.
   */
  static final int MAX_COPIED_FLOATS = 1 << 22;

  /** Single-query steps over the same patterns before X's transposed copy is made. */
  static final int COPY_AFTER_STEPS = 4;

  /**
   * The work of a step's first product (queries x P x N multiply-adds) from which X's values are
   * packed as bits at once when they are all ±1 ({@link BinaryRows}): 2^28, against a pass over X
   * to pack it; below it they are packed at the {@value #BITS_AFTER_STEPS}th batch over the same
   * patterns, so that a one-off retrieval of a few queries never pays for the pass.
   */
  static final long BITS_AT_WORK = 1L << 28;

  /** Batches over the same patterns before X's bits are packed whatever their size. */
  static final int BITS_AFTER_STEPS = 4;

  /**
   * X's values packed as bits, for the patterns stored now (made on demand; its rows null when a
   * value is not ±1), or null.
   */
  private volatile Bits binary;

  /** X's bits if they have been made for the patterns stored now and X is ±1; else null. */
  BinaryRows binaryRowsMade() {
    Bits b = binary;
    return b != null && b.isOf(x, p) && b.made ? b.rows : null;
  }

  /** X's bits for the steps over the patterns stored now, when a block path can use them. */
  private Bits binaryForBatches(Snapshot s) {
    if (s.p() < BinaryRows.MIN_ROWS || n > BinaryRows.MAX_N) {
      return null;
    }
    Bits b = binary;
    if (b == null || !b.isOf(s.x(), s.p())) {
      b = new Bits(s.x(), s.p(), n);
      binary = b;
    }
    return b;
  }

  /**
   * X's bits, made when a batch's first product is large enough ({@link #BITS_AT_WORK}) or at the
   * {@value #BITS_AFTER_STEPS}th batch, unless they would take more than a quarter of the heap left
   * then (1/32 of X's size: they are a shortcut, never a reason to run out of memory); thread-safe,
   * made at most once.
   */
  static final class Bits implements java.util.function.IntFunction<BinaryRows> {
    private final float[] x;
    private final int p;
    private final int n;
    private final java.util.concurrent.atomic.AtomicInteger asks =
        new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean made;
    private volatile BinaryRows rows;

    Bits(float[] x, int p, int n) {
      this.x = x;
      this.p = p;
      this.n = n;
    }

    boolean isOf(float[] x, int p) {
      return this.x == x && this.p == p;
    }

    /** The bits for a batch of {@code queries} queries, or null (not now, or X is not ±1). */
    @Override
    public BinaryRows apply(int queries) {
      if (made) {
        return rows;
      }
      if ((long) queries * p * n < BITS_AT_WORK && asks.incrementAndGet() < BITS_AFTER_STEPS) {
        return null;
      }
      synchronized (this) {
        if (!made) {
          // an optional copy: never where it would take more than a quarter of the heap left
          Runtime rt = Runtime.getRuntime();
          long room = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
          long bytes = 8L * p * ((n + 63) / 64);
          rows = bytes <= room / 4 ? BinaryRows.of(x, p, n) : null;
          made = true;
        }
        return rows;
      }
    }
  }

  /** X's transposed copy for the patterns stored now, or null (see {@link #MAX_COPIED_FLOATS}). */
  private volatile TransposedCopy transposed;

  private TransposedCopy transposedForSingleQueries(Snapshot s) {
    if (s.separation() != Separation.SOFTMAX
        || s.p() < 16
        || (long) s.p() * n > MAX_COPIED_FLOATS) {
      return null;
    }
    TransposedCopy t = transposed;
    if (t == null || !t.isOf(s.x(), s.p())) {
      t = new TransposedCopy(s.x(), s.p(), n, COPY_AFTER_STEPS);
      transposed = t;
    }
    return t;
  }

  /**
   * The energy of a state (see the class comment): rounded to float32 for softmax and exp, in
   * float64 for the polynomial separations (whose energies leave the float32 range from {@code N^n
   * = 2^128}, e.g. N = 100 and n = 20).
   *
   * @throws IllegalArgumentException as {@link #retrieve(float[], RecallOptions)}
   */
  public double energy(float[] state) {
    Objects.requireNonNull(state, "state");
    Snapshot s = published;
    RetrievalStep step = retrievalStep(null, s);
    checkCue(state, 0, true, s.separation());
    double[] e = new double[1];
    step.energies(new float[][] {state}, 1, e);
    return e[0];
  }

  /**
   * The error-free capacity of a polynomial separation of degree {@code n} for random ±1 patterns
   * of length N (Krotov and Hopfield 2016): {@code N^(n-1) / (2 (2n-3)!! ln N)}, e.g. 362 for N =
   * 100, n = 3 (the classical network: 14).
   *
   * @throws IllegalArgumentException unless N >= 2 and n >= 2
   */
  public static double polynomialCapacity(int numNeurons, int degree) {
    if (numNeurons < 2 || degree < 2) {
      throw new IllegalArgumentException(
          "need N >= 2 and degree >= 2, got N=" + numNeurons + " degree=" + degree);
    }
    double doubleFactorial = 1;
    for (int k = 2 * degree - 3; k > 1; k -= 2) {
      doubleFactorial *= k;
    }
    return Math.pow(numNeurons, degree - 1) / (2 * doubleFactorial * Math.log(numNeurons));
  }

  /**
   * Checks a cue's length, its ±1 values for a binary {@code separation}, and that its values are
   * finite if {@code finite}.
   */
  private void checkCue(float[] cue, int index, boolean finite, Separation separation) {
    if (cue == null) {
      throw new IllegalArgumentException("query " + index + " is null");
    }
    if (cue.length != n) {
      throw new IllegalArgumentException(
          "query " + index + " has length " + cue.length + ", expected " + n);
    }
    // one SIMD pass: Σ v² is finite unless a value is infinite or NaN (or the sum overflows,
    // which the scan below then finds innocent)
    if (finite && !Float.isFinite(Kernels.dot(cue, 0, cue, 0, n))) {
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(cue[i])) {
          throw new IllegalArgumentException(
              "query " + index + " has a non-finite value " + cue[i] + " at index " + i);
        }
      }
    }
    if (separation.isBinary()) {
      separation.checkValues(cue, 0, n, "query " + index);
    }
  }

  @Override
  public String toString() {
    return "ModernHopfieldMemory[N="
        + n
        + ", P="
        + p
        + ", "
        + separation.id()
        + (separation.usesBeta() ? ", β=" + beta : "")
        + (separation.usesDegree() ? ", n=" + degree : "")
        + "]";
  }
}
