package io.engram.network;

import io.engram.kernels.Kernels;
import io.engram.weights.DenseWeights;
import io.engram.weights.LowRankWeights;
import io.engram.weights.TrainingListener;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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
 * <p>Learning rules train it through {@link #apply(WeightUpdate, boolean, TrainingListener)} (see
 * {@code io.engram.learning}); recall runs its {@link RetrievalStep} in the shared {@link
 * RecallEngine}.
 *
 * <p>Recall ({@link #recall}, {@link #recallBatch}) keeps its state per call and never changes the
 * network: a trained network may be recalled from many threads at once. Training, {@link #resize},
 * {@link #setState} and {@link #step} mutate it and must not run concurrently with anything else; a
 * listener of a recall or a training call that trains, resizes or converts the network it reports
 * on is refused with an {@link IllegalStateException}. A recall, an energy or a training call that
 * another thread's training call overlaps fails fast, where it can, with a {@link
 * java.util.ConcurrentModificationException} (dense training updates W in place: such a recall read
 * weights from before and after the update), as Java's collections do: on a best-effort basis, not
 * a lock, so a program must not rely on it. Every mutating method validates its input first and
 * leaves the network unchanged when it throws.
 *
 * <p>Interrupting the calling thread does not stop training or recall: the call runs to the end,
 * with the result it has without the interrupt, and the thread's interrupt status stays set for the
 * caller to act on (a capacity sweep, {@code io.engram.analysis.CapacitySweep}, is what stops on an
 * interrupt).
 *
 * <p>Amari, S.-I. (1972), IEEE Trans. Computers C-21:1197; Hopfield, J. J. (1982), PNAS 79:2554.
 */
public final class AmariHopfieldNetwork implements Memory {

  /**
   * The largest weight magnitude training may produce ({@code Float.MAX_VALUE / 4}): an update that
   * could take some {@code |W_ij|} beyond it is rejected, so weights stay finite with room for the
   * fields of recall.
   */
  public static final double MAX_WEIGHT = Float.MAX_VALUE / 4.0;

  private Weights weights;
  private float[] state;
  private Dynamics dynamics;

  /**
   * The thread in {@link #apply}, null when none: a training listener called back from it that
   * trains, resizes or converts the same network is refused (the outer call then overwrote the
   * inner one's weights with its own, computed from the weights before it, while the history kept
   * both), and another thread that recalls, trains or takes an energy meanwhile gets a {@link
   * ConcurrentModificationException}. Not a lock: training needs exclusive access anyway (see the
   * class comment); this catches the caller re-entering from its own listener, and other threads
   * where it can, as Java's collections fail fast.
   */
  private volatile Thread trainer;

  /**
   * Incremented when {@link #apply} begins and again when it ends (odd while a training call runs):
   * a recall that finds it changed when it ends read weights that another thread updated in place
   * under it, and throws a {@link ConcurrentModificationException} instead of returning a state
   * recalled from a mixture of two weight matrices.
   */
  private final AtomicLong trainings = new AtomicLong();

  /**
   * Recalls with a step or query listener running now: such a listener that trains, resizes or
   * converts the network is refused (dense training updates W in place, under the recall reading
   * it). Recalls without listeners are not counted: they cannot call back, and concurrent recall
   * stays free of shared writes.
   */
  private final AtomicInteger listenedRecalls = new AtomicInteger();

  private void checkNotTraining(String what) {
    checkNoTrainingCall(what);
    if (listenedRecalls.get() > 0) {
      throw new IllegalStateException(
          "cannot "
              + what
              + " the network while one of its recalls runs (a step or query listener that calls"
              + " back into it, or a recall with a listener in another thread): do it after the"
              + " recall returns");
    }
  }

  /**
   * Refuses {@code what} from within a training call (its listener; an {@link
   * IllegalStateException}) or while another thread trains the network (a {@link
   * ConcurrentModificationException}): training may update W in place, so a recall or an energy
   * there would read weights half updated.
   */
  private void checkNoTrainingCall(String what) {
    Thread t = trainer;
    if (t == null) {
      return;
    }
    // a training listener runs on the training thread or on a kernel thread working for it
    if (t == Thread.currentThread() || Kernels.onKernelThread()) {
      throw new IllegalStateException(
          "cannot "
              + what
              + " the network from within one of its training calls (a training listener that"
              + " calls back into it): do it after the call returns");
    }
    throw new ConcurrentModificationException(
        "cannot "
            + what
            + " the network while another thread ('"
            + t.getName()
            + "') trains it: training updates the weights in place; do it after that call"
            + " returns (a network needs exclusive access while it trains)");
  }

  /**
   * Runs a recall that began when {@link #trainings} was {@code before}, counted in {@link
   * #listenedRecalls} when it has a listener, and fails if another thread trained the network
   * meanwhile.
   */
  private <T> T recalling(long before, RecallOptions options, Supplier<T> recall) {
    T result;
    if (options.stepListener() == null && options.queryListener() == null) {
      result = recall.get();
    } else {
      listenedRecalls.incrementAndGet();
      try {
        result = recall.get();
      } finally {
        listenedRecalls.decrementAndGet();
      }
    }
    checkNotTrainedSince(before, "recall");
    return result;
  }

  /**
   * Fails when a training call began or ended since {@link #trainings} was {@code before} (odd
   * {@code before}: one was running), after every read of W before this call (the fence).
   */
  private void checkNotTrainedSince(long before, String what) {
    VarHandle.fullFence();
    if (trainings.get() != before || (before & 1) != 0) {
      Thread t = trainer;
      throw new ConcurrentModificationException(
          "the network was trained by another thread"
              + (t == null ? "" : " ('" + t.getName() + "')")
              + " while this "
              + what
              + " ran, so it read weights from before and after the update; "
              + what
              + " again after the training returns (a network needs exclusive access while it"
              + " trains)");
    }
  }

  private WeightsMode weightsMode;
  private final ArrayList<TrainingRecord> history = new ArrayList<>();

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
   * @throws IllegalArgumentException if N &lt; 1
   */
  public static AmariHopfieldNetwork create(int numNeurons, Dynamics dynamics) {
    return create(numNeurons, dynamics, WeightsMode.AUTO);
  }

  /**
   * N neurons, zero weights, state all ones, the given dynamics and weight representation.
   *
   * @throws IllegalArgumentException if N &lt; 1, or N &gt; {@link DenseWeights#MAX_SIZE} with
   *     {@link WeightsMode#DENSE}, or the dynamics' asynchronous order is not of length N
   */
  public static AmariHopfieldNetwork create(int numNeurons, Dynamics dynamics, WeightsMode mode) {
    Objects.requireNonNull(dynamics, "dynamics");
    Objects.requireNonNull(mode, "mode");
    if (numNeurons >= 1) {
      dynamics.checkFits(numNeurons);
    }
    Weights w =
        mode == WeightsMode.DENSE
            ? DenseWeights.zeros(numNeurons)
            : LowRankWeights.zeros(numNeurons);
    return new AmariHopfieldNetwork(w, ones(numNeurons), dynamics, mode);
  }

  /**
   * A network over existing weights (not copied: the network takes ownership), state all ones. The
   * weights mode is {@link WeightsMode#DENSE} for dense weights and {@link WeightsMode#AUTO}
   * otherwise.
   *
   * @throws IllegalArgumentException if the weights can reach more than {@link #MAX_WEIGHT} in
   *     magnitude ({@link Weights#maxAbsBound()}: e.g. low-rank factors whose combination overflows
   *     float32), as no training makes them and no model file holds them
   */
  public static AmariHopfieldNetwork of(Weights weights, Dynamics dynamics) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(dynamics, "dynamics");
    checkBound(weights);
    WeightsMode mode = weights.lowRankCheaperWith(0) ? WeightsMode.AUTO : WeightsMode.DENSE;
    return new AmariHopfieldNetwork(weights, ones(weights.size()), dynamics, mode);
  }

  /**
   * A network restored as it was saved (a model file): weights (taken over, not copied), weights
   * mode, dynamics, state and training history.
   *
   * @throws IllegalArgumentException if the state does not fit N or is not finite, the dynamics'
   *     asynchronous order does not fit N, the mode contradicts the weights (dense mode with
   *     weights in another form, low-rank mode with dense weights), a history entry is null, or the
   *     weights can reach more than {@link #MAX_WEIGHT} in magnitude (as {@link #of})
   */
  public static AmariHopfieldNetwork restore(
      Weights weights,
      WeightsMode mode,
      Dynamics dynamics,
      float[] state,
      List<TrainingRecord> history) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(dynamics, "dynamics");
    Objects.requireNonNull(history, "history");
    for (int k = 0; k < history.size(); k++) {
      if (history.get(k) == null) {
        // (was taken, and a NullPointerException in storedPatterns() or on saving)
        throw new IllegalArgumentException("history entry " + k + " is null");
      }
    }
    int n = weights.size();
    Cues.checkState(state, n);
    dynamics.checkFits(n);
    checkBound(weights);
    boolean dense = weights.isDense();
    if (mode == WeightsMode.DENSE && !dense || mode == WeightsMode.LOW_RANK && dense) {
      throw new IllegalArgumentException(
          "weights mode "
              + mode.id()
              + " does not match the "
              + weights.representation().id()
              + " weights");
    }
    AmariHopfieldNetwork net = new AmariHopfieldNetwork(weights, state.clone(), dynamics, mode);
    net.history.addAll(history);
    return net;
  }

  /**
   * Refuses weights beyond {@link #MAX_WEIGHT}: a network over them was made (weights of caller's
   * factors whose sum overflowed float32 reached infinity), its recall failed naming the cue ("the
   * cue values are too large"), and the model file written from it was refused by its own reader.
   */
  private static void checkBound(Weights weights) {
    double bound = weights.maxAbsBound();
    if (!(bound <= MAX_WEIGHT)) {
      throw new IllegalArgumentException(
          "the weights can reach "
              + (float) bound
              + " in magnitude, beyond the float32 limit "
              + (float) MAX_WEIGHT
              + " that training keeps to (no model file holds such weights)");
    }
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
    checkNotTraining("convert");
    Weights w = weights;
    if (mode == WeightsMode.DENSE) {
      w = w.asDense();
    } else if (mode == WeightsMode.LOW_RANK) {
      w = w.asLowRank();
    }
    this.weights = w;
    this.weightsMode = mode;
  }

  private static float[] ones(int n) {
    float[] s = new float[n];
    Arrays.fill(s, 1f);
    return s;
  }

  /** N. */
  @Override
  public int numNeurons() {
    return weights.size();
  }

  public Dynamics dynamics() {
    return dynamics;
  }

  /** Replaces the dynamics settings. */
  public void setDynamics(Dynamics dynamics) {
    Objects.requireNonNull(dynamics, "dynamics").checkFits(numNeurons());
    this.dynamics = dynamics;
  }

  /**
   * The live weights, for reading. Do not modify them directly: train through a learning rule
   * ({@code io.engram.learning}) or {@link #apply}.
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
   * @throws NullPointerException "state" if {@code state} is null
   * @throws IllegalArgumentException if the length differs from N or a value is not finite
   */
  public void setState(float[] state) {
    Cues.checkState(state, numNeurons());
    this.state = state.clone();
  }

  /** Training calls so far, oldest first (unmodifiable). */
  public List<TrainingRecord> history() {
    return Collections.unmodifiableList(history);
  }

  /** Patterns stored so far: the sum of P over the calls that store their patterns. */
  public int storedPatterns() {
    int total = 0;
    for (TrainingRecord r : history) {
      if (r.stores()) {
        total += r.patterns();
      }
    }
    return total;
  }

  /** {@code max(1, floor(0.14 N))}, as CANNs' {@code storage_capacity}. */
  public int storageCapacity() {
    return storageCapacity(numNeurons());
  }

  /**
   * {@code max(1, floor(0.14 n))} for a network of n neurons, as CANNs' {@code storage_capacity} (a
   * property of a network, so of n >= 1 only).
   *
   * @throws IllegalArgumentException if {@code n < 1}: no network has that many neurons, and the
   *     formula's 1 for it meant nothing
   */
  public static int storageCapacity(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("storage capacity needs N >= 1 neurons, got " + n);
    }
    return Math.max(1, (int) Math.floor(0.14 * n));
  }

  /** The energy of the current state. */
  public float energy() {
    return energy(state);
  }

  /**
   * {@code E = -1/2 sᵀ W s + θ Σ s} of any state, in float32, with this network's threshold.
   *
   * @throws NullPointerException "state" if {@code state} is null
   * @throws IllegalArgumentException on a wrong length or a value that is not finite (the energy of
   *     such a state is NaN, not a number recall would report), or a state whose fields or energy
   *     overflow float32 (recall refuses a state whose fields overflow too; an energy beyond
   *     float32 of a state with finite fields, a huge threshold times N say, it reports as
   *     ±Infinity, the float32 rounding {@link RecallResult#energy()} documents)
   * @throws IllegalStateException if called from within a training call of this network (its
   *     listener), which may have W half updated; recall refuses it alike
   */
  public float energy(float[] state) {
    Objects.requireNonNull(state, "state");
    long before = trainings.get();
    checkNoTrainingCall("take the energy of");
    float[] s = state;
    if (s.length != numNeurons()) {
      throw new IllegalArgumentException(
          "state has length " + s.length + ", expected " + numNeurons());
    }
    for (int i = 0; i < s.length; i++) {
      if (!Float.isFinite(s[i])) {
        throw new IllegalArgumentException(
            "state has a non-finite value " + s[i] + " at index " + i);
      }
    }
    float e = new ClassicalStep(weights, dynamics).energy(s);
    checkNotTrainedSince(before, "energy");
    if (!Float.isFinite(e)) {
      throw new IllegalArgumentException(
          "the energy of this state is "
              + e
              + ": its fields W s or the energy overflow float32 (values up to "
              + maxAbs(s)
              + " in the state, weights up to "
              + (float) weights.maxAbsBound()
              + " in magnitude)");
    }
    return e;
  }

  private static float maxAbs(float[] s) {
    float m = 0;
    for (float v : s) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /**
   * Resizes to {@code n} neurons when {@code n} differs from N: W becomes the top-left {@code
   * min(N, n)} block (or all zeros when not {@code preserve}) with a zero diagonal, and the state
   * becomes all ones. An explicit asynchronous order ({@link UpdateMode#asynchronous(int[])}) keeps
   * the order of the neurons that remain ({@code 0..n-1}) and visits new ones last, in index order
   * (it kept its old length, which left a network that could neither recall, step nor be saved:
   * "async order has length 3, expected N = 4"). When {@code n == N} nothing changes (no call
   * zeroes W when the dimension stays the same).
   *
   * @throws IllegalArgumentException if n &lt; 1 or too large
   */
  public void resize(int n, boolean preserve) {
    if (n == numNeurons()) {
      return;
    }
    checkNotTraining("resize");
    Weights w = weights.resized(n, preserve);
    float[] s = ones(n);
    Dynamics d = dynamics.resizedTo(n);
    this.weights = w;
    this.state = s;
    this.dynamics = d;
  }

  /**
   * Applies one training call of a learning rule (see {@link WeightUpdate} for the order of
   * events): resize on a dimension change (as {@link #resize}, an explicit asynchronous order
   * included), conversion to dense weights for dense-only rules, the rule's check, the overflow
   * guard, the update, the history. A failed call leaves the network exactly as it was.
   *
   * @param update the prepared call
   * @param preserveOnResize keep the top-left block of W when the pattern length differs from N
   * @param listener progress of long updates (null: none); see {@link TrainingListener}
   * @return the record of the call, also appended to {@link #history()}
   * @throws IllegalArgumentException if the update cannot apply (dense-only rule on low-rank mode
   *     or too large an N, the rule's own check, or weights that would overflow float32)
   * @throws IllegalStateException if called from within a training call of this network (its
   *     listener) or a recall of it (its step or query listener); {@link #resize} and {@link
   *     #setWeightsMode} refuse it alike
   * @throws java.util.ConcurrentModificationException if another thread is training the network
   *     (best effort, see the class comment)
   */
  public TrainingRecord apply(
      WeightUpdate update, boolean preserveOnResize, TrainingListener listener) {
    Objects.requireNonNull(update, "update");
    checkNotTraining("train");
    trainer = Thread.currentThread(); // (a rule may report progress from its check too: Storkey's)
    trainings.incrementAndGet();
    VarHandle.fullFence(); // no write of W before other threads can see the count odd
    try {
      return applyOnce(update, preserveOnResize, listener);
    } finally {
      trainer = null;
      trainings.incrementAndGet();
    }
  }

  private TrainingRecord applyOnce(
      WeightUpdate update, boolean preserveOnResize, TrainingListener listener) {
    TrainingRecord rec = update.record();
    int n = update.neurons();
    Weights target = n != numNeurons() ? weights.resized(n, preserveOnResize) : weights;
    if (update.denseOnly()) {
      if (weightsMode == WeightsMode.LOW_RANK) {
        throw new IllegalArgumentException(
            rec.rule() + " needs dense weights, but the network's weights mode is low-rank");
      }
      if (n > DenseWeights.MAX_SIZE) {
        throw new IllegalArgumentException(
            rec.rule()
                + " needs dense weights, which hold at most N = "
                + DenseWeights.MAX_SIZE
                + " neurons; got N = "
                + n);
      }
      target = target.asDense();
    }
    update.check(target, weightsMode);
    double bound = update.maxAbsAfter(target);
    if (!(bound <= MAX_WEIGHT)) {
      // a bound that is NaN or beyond float32 (Storkey's, taken from weights computed in float32
      // that overflowed) was printed as "entries could reach NaN in magnitude"
      String entries =
          bound <= Float.MAX_VALUE
              ? "could reach " + (float) bound + " in magnitude (the limit is " + (float) MAX_WEIGHT
              : "would become NaN or infinite (the limit is "
                  + (float) MAX_WEIGHT
                  + " in magnitude";
      throw new IllegalArgumentException(
          rec.rule()
              + " would overflow float32 weights: entries "
              + entries
              + "); the patterns or the accumulated weights are too large");
    }
    // what the network needs after the update is allocated before it: past an update of dense
    // weights in place, no OutOfMemoryError may leave the call unrecorded
    float[] resizedState = n != numNeurons() ? ones(n) : null;
    Dynamics resizedDynamics = dynamics.resizedTo(n);
    history.ensureCapacity(history.size() + 1);
    Weights result = update.apply(target, weightsMode, listener);
    if (resizedState != null) {
      this.state = resizedState;
      this.dynamics = resizedDynamics;
    }
    this.weights = result;
    // read after the update: a rule may record what it found (e.g. an effective rank)
    TrainingRecord done = update.record();
    history.add(done);
    return done;
  }

  /** One update step of the network's own state (CANNs' {@code update()}); true if it changed. */
  public boolean step() {
    RecallResult r =
        RecallEngine.run(
                retrievalStep(dynamics),
                new float[][] {state},
                RecallOptions.defaults().withMaxIterations(1).withReportEnergy(false))
            .get(0);
    this.state = r.state();
    return !r.converged();
  }

  /** {@code classical}. */
  @Override
  public String kind() {
    return "classical";
  }

  /** {@link RecallOptions#defaults()}: at most 20 steps, CANNs' {@code num_iter}. */
  @Override
  public RecallOptions defaultRecallOptions() {
    return RecallOptions.defaults();
  }

  /**
   * The retrieval step with the options' dynamics (the network's own when they set none, or when
   * {@code options} is null, as for modern memory).
   */
  @Override
  public RetrievalStep retrievalStep(RecallOptions options) {
    return retrievalStep(effective(options == null ? RecallOptions.defaults() : options));
  }

  /**
   * The retrieval step of this network with the given dynamics (for custom recall loops).
   *
   * @throws IllegalArgumentException if the dynamics' asynchronous order does not fit N
   */
  public RetrievalStep retrievalStep(Dynamics dynamics) {
    Objects.requireNonNull(dynamics, "dynamics");
    checkNoTrainingCall("recall");
    dynamics.checkFits(numNeurons());
    return new ClassicalStep(weights, dynamics);
  }

  /**
   * Recalls one cue with the default options (20 steps at most). See {@link #recall(float[],
   * RecallOptions)}.
   */
  public RecallResult recall(float[] cue) {
    Objects.requireNonNull(cue, "cue");
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
    return recall(cue, options, 0);
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
    Objects.requireNonNull(cue, "cue");
    Objects.requireNonNull(options, "options");
    if (queryIndex < 0) {
      throw new IllegalArgumentException("query index must be >= 0, got " + queryIndex);
    }
    Cues.check(cue, queryIndex, numNeurons());
    long before = trainings.get();
    RetrievalStep step = retrievalStep(effective(options));
    return recalling(
        before,
        options,
        () -> RecallEngine.run(step, new float[][] {cue}, queryIndex, options).get(0));
  }

  /**
   * Recalls each cue independently (each starts from its own input), as CANNs' {@code
   * predict_batch}. The network is not changed.
   *
   * @throws IllegalArgumentException if any cue is invalid; nothing runs then
   */
  @Override
  public List<RecallResult> recallBatch(float[][] cues, RecallOptions options) {
    Objects.requireNonNull(cues, "cues");
    Objects.requireNonNull(options, "options");
    Cues.checkAll(cues, numNeurons());
    long before = trainings.get();
    RetrievalStep step = retrievalStep(effective(options));
    return recalling(before, options, () -> RecallEngine.run(step, cues, options));
  }

  /**
   * {@link #recallBatch(float[][], RecallOptions)} into the caller's rows: each query's steps write
   * into its row and one array of its own, and its final state ends in the row, which its result
   * holds (see {@link Memory#recallBatch(float[][], RecallOptions, float[][])}).
   *
   * @throws IllegalArgumentException if any cue or row is invalid; nothing runs then
   */
  @Override
  public List<RecallResult> recallBatch(float[][] cues, RecallOptions options, float[][] states) {
    Objects.requireNonNull(cues, "cues");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(states, "states");
    Cues.checkAll(cues, numNeurons());
    long before = trainings.get();
    RetrievalStep step = retrievalStep(effective(options));
    return recalling(before, options, () -> RecallEngine.run(step, cues, 0, options, states));
  }

  /**
   * CANNs' {@code predict_batch}: recalls each cue from its own input and leaves the network's
   * state at the last output. All cues must have one length; if it differs from N the network is
   * resized first (keeping the top-left block of W when {@code preserveOnResize}), as a training
   * call resizes it: the network's own explicit asynchronous order is resized with it (see {@link
   * #resize}). An order given in the options' dynamics is this call's, for the network as it will
   * be: it must be a permutation of {@code 0..L-1} for cues of length L. An empty batch changes
   * nothing.
   *
   * @throws IllegalArgumentException for ragged, empty or non-finite cues, or an asynchronous order
   *     in the options that does not fit the cues; nothing changes then (nor when the recall itself
   *     throws, e.g. through a step listener)
   */
  public List<RecallResult> predictBatch(
      float[][] cues, RecallOptions options, boolean preserveOnResize) {
    Objects.requireNonNull(cues, "cues");
    Objects.requireNonNull(options, "options");
    if (cues.length == 0) {
      return List.of();
    }
    if (cues[0] == null) {
      throw new IllegalArgumentException("query 0 is null");
    }
    int n = cues[0].length;
    for (int q = 0; q < cues.length; q++) {
      Cues.check(cues[q], q, n);
    }
    // checked before resizing, so that a bad call changes nothing: an order of the options must
    // fit the cues (the network's own is resized with it, as by training; it was refused, "async
    // order has length 4, expected N = 6", and an order of the options for the cues was refused
    // too, checked against the N before the resize)
    if (options.dynamics() != null
        && options.dynamics().updateMode() instanceof UpdateMode.FixedOrder f
        && f.length() != n) {
      throw new IllegalArgumentException(
          "async order of the options has length "
              + f.length()
              + ", but the cues have length "
              + n
              + (n != numNeurons()
                  ? " (the network is resized to them from N = " + numNeurons() + ")"
                  : "")
              + "; give an order of length "
              + n
              + ", or no dynamics in the options to use the network's own order, resized with it");
    }
    Weights before = weights;
    float[] stateBefore = state;
    Dynamics dynamicsBefore = dynamics;
    resize(n, preserveOnResize);
    List<RecallResult> results;
    try {
      results = recallBatch(cues, options);
    } catch (RuntimeException | Error e) {
      // a recall that throws (a step listener's exception aborts it) leaves N, W and the state as
      // they were: the resize was only for this call
      this.weights = before;
      this.state = stateBefore;
      this.dynamics = dynamicsBefore;
      throw e;
    }
    this.state = results.get(results.size() - 1).state().clone();
    return results;
  }

  private Dynamics effective(RecallOptions options) {
    Dynamics d = options.dynamics() != null ? options.dynamics() : dynamics;
    d.checkFits(numNeurons());
    return d;
  }

  @Override
  public String toString() {
    return "AmariHopfieldNetwork[N="
        + numNeurons()
        + ", "
        + weights.representation().id()
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
