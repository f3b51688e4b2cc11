package io.engram.network;

import io.engram.kernels.Kernels;
import io.engram.learning.LearningRule;
import io.engram.learning.PatternBlock;
import io.engram.learning.TrainingListener;
import io.engram.learning.TrainingRecord;
import io.engram.weights.DenseWeights;
import io.engram.weights.LowRankWeights;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A Hopfield-style recurrent network of N neurons, the Java counterpart of CANNs' {@code
 * AmariHopfieldNetwork}: symmetric weights {@code W} (N x N), a state {@code s} (starts as all
 * ones) and {@link Dynamics} (activation, temperature, threshold, update mode).
 *
 * <ul>
 *   <li>Synchronous step: {@code s <- act(W s - θ)}; asynchronous step: one sweep {@code for i in
 *       order: s[i] <- act(W[i]·s - θ)} using the current state.
 *   <li>Energy {@code E = -1/2 sᵀ W s + θ Σ s} (float32).
 *   <li>Storage capacity {@code max(1, floor(0.14 N))}.
 * </ul>
 *
 * <p>Recall ({@link #recall}, {@link #recallBatch}) keeps its state per call and never changes the
 * network: a trained network may be recalled from many threads at once. Training, {@link #resize},
 * {@link #setState} and {@link #step} mutate it and must not run concurrently with anything else.
 * Every mutating method validates its input first and leaves the network unchanged when it throws.
 *
 * <p>Amari, S.-I. (1972), IEEE Trans. Computers C-21:1197; Hopfield, J. J. (1982), PNAS 79:2554.
 */
public final class AmariHopfieldNetwork {

  private Weights weights;
  private float[] state;
  private Dynamics dynamics;
  private WeightsMode weightsMode;
  private final List<TrainingRecord> history = new ArrayList<>();

  private AmariHopfieldNetwork(
      Weights weights, float[] state, Dynamics dynamics, WeightsMode weightsMode) {
    this.weights = weights;
    this.state = state;
    this.dynamics = dynamics;
    this.weightsMode = weightsMode;
  }

  /** N neurons, zero weights, CANNs' default dynamics (sign, T = 1, θ = 0, synchronous). */
  public static AmariHopfieldNetwork create(int numNeurons) {
    return create(numNeurons, Dynamics.DEFAULT);
  }

  /**
   * N neurons, zero weights, state all ones, the given dynamics, {@link WeightsMode#AUTO} weights
   * (low-rank while that is cheaper, then dense).
   *
   * @throws IllegalArgumentException if N < 1
   */
  public static AmariHopfieldNetwork create(int numNeurons, Dynamics dynamics) {
    return create(numNeurons, dynamics, WeightsMode.AUTO);
  }

  /**
   * N neurons, zero weights, state all ones, the given dynamics and weight representation.
   *
   * @throws IllegalArgumentException if N < 1, or N > {@link DenseWeights#MAX_SIZE} with {@link
   *     WeightsMode#DENSE}
   */
  public static AmariHopfieldNetwork create(int numNeurons, Dynamics dynamics, WeightsMode mode) {
    Objects.requireNonNull(dynamics, "dynamics");
    Objects.requireNonNull(mode, "mode");
    Weights w =
        mode == WeightsMode.DENSE
            ? DenseWeights.zeros(numNeurons)
            : LowRankWeights.zeros(numNeurons);
    return new AmariHopfieldNetwork(w, ones(numNeurons), dynamics, mode);
  }

  /**
   * A network over existing weights (not copied: the network takes ownership), state all ones. The
   * weights mode is {@link WeightsMode#AUTO} for low-rank weights and {@link WeightsMode#DENSE}
   * otherwise.
   */
  public static AmariHopfieldNetwork of(Weights weights, Dynamics dynamics) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(dynamics, "dynamics");
    WeightsMode mode = weights instanceof LowRankWeights ? WeightsMode.AUTO : WeightsMode.DENSE;
    return new AmariHopfieldNetwork(weights, ones(weights.size()), dynamics, mode);
  }

  /** How the weights are chosen to be stored; see {@link WeightsMode}. */
  public WeightsMode weightsMode() {
    return weightsMode;
  }

  /**
   * Sets the weights mode and converts the weights now if needed: to dense for {@link
   * WeightsMode#DENSE} (exact), to low-rank for {@link WeightsMode#LOW_RANK} (exact; possible only
   * for low-rank weights or weights without off-diagonal entries). {@link WeightsMode#AUTO} keeps
   * the current representation and decides at the next training call.
   *
   * @throws IllegalArgumentException if the conversion is impossible (N too large for dense, or
   *     dense weights with off-diagonal entries to low-rank); the network is then unchanged
   */
  public void setWeightsMode(WeightsMode mode) {
    Objects.requireNonNull(mode, "mode");
    Weights w = weights;
    if (mode == WeightsMode.DENSE && w instanceof LowRankWeights lr) {
      w = lr.toDense();
    } else if (mode == WeightsMode.LOW_RANK && !(w instanceof LowRankWeights)) {
      w = LowRankWeights.from(w);
    }
    this.weights = w;
    this.weightsMode = mode;
  }

  /** The representation the next training call should use, converting exactly when needed. */
  private Weights forTraining(Weights w, int morePatterns) {
    if (weightsMode == WeightsMode.AUTO
        && w instanceof LowRankWeights lr
        && !WeightsMode.lowRankIsCheaper(
            w.size(), (long) lr.rank() + morePatterns, lr.blockCount() + 1L)) {
      return lr.toDense();
    }
    return w;
  }

  private static float[] ones(int n) {
    float[] s = new float[n];
    Arrays.fill(s, 1f);
    return s;
  }

  /** N. */
  public int numNeurons() {
    return weights.size();
  }

  public Dynamics dynamics() {
    return dynamics;
  }

  /** Replaces the dynamics settings. */
  public void setDynamics(Dynamics dynamics) {
    this.dynamics = Objects.requireNonNull(dynamics, "dynamics");
  }

  /**
   * The live weights, for reading. Do not modify them directly: train through a {@link
   * io.engram.learning.Trainer} or {@link #train}.
   */
  public Weights weights() {
    return weights;
  }

  /** A dense row-major copy of W. */
  public float[] weightMatrix() {
    return weights.toDenseArray();
  }

  /** The current state, a copy. */
  public float[] state() {
    return state.clone();
  }

  /**
   * Sets the state (copied).
   *
   * @throws IllegalArgumentException if the length differs from N or a value is not finite
   */
  public void setState(float[] s) {
    checkCue(s, 0, numNeurons());
    this.state = s.clone();
  }

  /** Training calls so far, oldest first (unmodifiable). */
  public List<TrainingRecord> history() {
    return Collections.unmodifiableList(history);
  }

  /** Replaces the recorded history (used when loading a model). */
  public void setHistory(List<TrainingRecord> records) {
    history.clear();
    history.addAll(records);
  }

  /** Patterns stored by Hebbian-type calls so far (the sum of P over non-anti calls). */
  public int storedPatterns() {
    int total = 0;
    for (TrainingRecord r : history) {
      if (!r.rule().startsWith("anti")) {
        total += r.patterns();
      }
    }
    return total;
  }

  /** {@code max(1, floor(0.14 N))}, as CANNs' {@code storage_capacity}. */
  public int storageCapacity() {
    return storageCapacity(numNeurons());
  }

  /** {@code max(1, floor(0.14 n))}. */
  public static int storageCapacity(int n) {
    return Math.max(1, (int) Math.floor(0.14 * n));
  }

  /** The energy of the current state. */
  public float energy() {
    return energy(state);
  }

  /**
   * {@code E = -1/2 sᵀ W s + θ Σ s} of any state, in float32, with this network's threshold.
   *
   * @throws IllegalArgumentException on a wrong length
   */
  public float energy(float[] s) {
    if (s == null || s.length != numNeurons()) {
      throw new IllegalArgumentException(
          "state has length " + (s == null ? "null" : s.length) + ", expected " + numNeurons());
    }
    float[] field = new float[s.length];
    weights.multiply(s, field);
    return RecallEngine.energyFromField(s, field, dynamics.threshold());
  }

  /**
   * Resizes to {@code n} neurons when {@code n} differs from N: W becomes the top-left {@code
   * min(N, n)} block (or all zeros when not {@code preserve}) with a zero diagonal, and the state
   * becomes all ones. When {@code n == N} nothing changes (no call zeroes W when the dimension
   * stays the same).
   *
   * @throws IllegalArgumentException if n < 1 or too large
   */
  public void resize(int n, boolean preserve) {
    if (n == numNeurons()) {
      return;
    }
    Weights w = weights.resized(n, preserve);
    float[] s = ones(n);
    this.weights = w;
    this.state = s;
  }

  /**
   * Trains with a learning rule: validates, resizes on a dimension change, then applies the rule.
   * An empty pattern block is a no-op (returns null). A failed call leaves the network exactly as
   * it was.
   *
   * @param preserveOnResize keep the top-left block of W when the pattern length differs from N
   * @return the record of the call, also appended to {@link #history()}; null for no patterns
   */
  public TrainingRecord train(LearningRule rule, PatternBlock patterns, boolean preserveOnResize) {
    return train(rule, patterns, preserveOnResize, null);
  }

  /**
   * {@link #train(LearningRule, PatternBlock, boolean)}, reporting the progress of the long updates
   * to {@code listener} (see {@link TrainingListener}; null for none).
   */
  public TrainingRecord train(
      LearningRule rule,
      PatternBlock patterns,
      boolean preserveOnResize,
      TrainingListener listener) {
    if (listener == null) {
      return trainQuietly(rule, patterns, preserveOnResize);
    }
    return Kernels.reportingWork(
        listener::onProgress, () -> trainQuietly(rule, patterns, preserveOnResize));
  }

  private TrainingRecord trainQuietly(
      LearningRule rule, PatternBlock patterns, boolean preserveOnResize) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(patterns, "patterns");
    if (patterns.isEmpty()) {
      return null;
    }
    rule.check(patterns);
    int n = patterns.length();
    if (n != numNeurons()) {
      Weights w = forTraining(weights.resized(n, preserveOnResize), patterns.count());
      TrainingRecord rec = rule.apply(w, patterns);
      this.weights = w;
      this.state = ones(n);
      history.add(rec);
      return rec;
    }
    Weights w = forTraining(weights, patterns.count());
    TrainingRecord rec = rule.apply(w, patterns);
    this.weights = w;
    history.add(rec);
    return rec;
  }

  /** One update step of the network's own state (CANNs' {@code update()}); true if it changed. */
  public boolean step() {
    RecallResult r =
        RecallEngine.run(
            weights,
            dynamics,
            state,
            RecallOptions.defaults().withMaxIterations(1).withReportEnergy(false),
            0);
    this.state = r.state();
    return !r.converged();
  }

  /**
   * Recalls one cue with the default options (20 steps at most). See {@link #recall(float[],
   * RecallOptions)}.
   */
  public RecallResult recall(float[] cue) {
    return recall(cue, RecallOptions.defaults());
  }

  /**
   * Recalls one cue: the state starts at the cue, then up to {@code maxIterations} steps run,
   * stopping early at an exact fixed point (which does not change the output). The network is not
   * changed.
   *
   * @throws IllegalArgumentException if the cue length differs from N or a value is not finite, or
   *     an asynchronous order does not fit N
   */
  public RecallResult recall(float[] cue, RecallOptions options) {
    Objects.requireNonNull(options, "options");
    checkCue(cue, 0, numNeurons());
    Dynamics d = effective(options);
    return RecallEngine.run(weights, d, cue, options, 0);
  }

  /**
   * Recalls one cue as query {@code queryIndex} of a batch: identical to element {@code queryIndex}
   * of {@link #recallBatch} over the same cues (the index only matters for a seeded random
   * asynchronous order, whose permutations depend on it). For recall split across threads or
   * machines. The network is not changed.
   *
   * @throws IllegalArgumentException as {@link #recall(float[], RecallOptions)}, or if {@code
   *     queryIndex < 0}
   */
  public RecallResult recall(float[] cue, RecallOptions options, int queryIndex) {
    Objects.requireNonNull(options, "options");
    if (queryIndex < 0) {
      throw new IllegalArgumentException("query index must be >= 0, got " + queryIndex);
    }
    checkCue(cue, queryIndex, numNeurons());
    Dynamics d = effective(options);
    return RecallEngine.run(weights, d, cue, options, queryIndex);
  }

  /**
   * Recalls each cue independently (each starts from its own input), as CANNs' {@code
   * predict_batch}. The network is not changed.
   *
   * @throws IllegalArgumentException if any cue is invalid; nothing runs then
   */
  public List<RecallResult> recallBatch(float[][] cues, RecallOptions options) {
    Objects.requireNonNull(options, "options");
    if (cues == null) {
      throw new IllegalArgumentException("cues is null");
    }
    for (int q = 0; q < cues.length; q++) {
      checkCue(cues[q], q, numNeurons());
    }
    Dynamics d = effective(options);
    return RecallEngine.batch(weights, d, cues, options);
  }

  private Dynamics effective(RecallOptions options) {
    Dynamics d = options.dynamics() != null ? options.dynamics() : dynamics;
    if (d.updateMode() instanceof UpdateMode.FixedOrder f && f.length() != numNeurons()) {
      throw new IllegalArgumentException(
          "async order has length " + f.length() + ", expected N = " + numNeurons());
    }
    return d;
  }

  /**
   * Checks one cue: non-null, the expected length (any length >= 1 when {@code expected < 0}),
   * finite values.
   */
  static void checkCue(float[] cue, int index, int expected) {
    if (cue == null) {
      throw new IllegalArgumentException("query " + index + " is null");
    }
    if (expected >= 0 && cue.length != expected) {
      throw new IllegalArgumentException(
          "query " + index + " has length " + cue.length + ", expected " + expected);
    }
    if (cue.length == 0) {
      throw new IllegalArgumentException(
          "query " + index + " is empty; a network needs at least one neuron");
    }
    for (int i = 0; i < cue.length; i++) {
      if (!Float.isFinite(cue[i])) {
        throw new IllegalArgumentException(
            "query " + index + " has a non-finite value " + cue[i] + " at index " + i);
      }
    }
  }

  /**
   * Validates a batch of cues of any common length (for trainers that resize first).
   *
   * @return the common length, or -1 for an empty batch
   */
  public static int checkCues(float[][] cues) {
    if (cues == null) {
      throw new IllegalArgumentException("cues is null");
    }
    if (cues.length == 0) {
      return -1;
    }
    if (cues[0] == null) {
      throw new IllegalArgumentException("query 0 is null");
    }
    int n = cues[0].length;
    for (int q = 0; q < cues.length; q++) {
      checkCue(cues[q], q, n);
    }
    return n;
  }

  @Override
  public String toString() {
    return "AmariHopfieldNetwork[N="
        + numNeurons()
        + ", "
        + weights.representation()
        + ", "
        + dynamics.activation().id()
        + ", T="
        + dynamics.temperature()
        + ", θ="
        + dynamics.threshold()
        + ", "
        + dynamics.updateMode()
        + "]";
  }
}
