package io.engram.learning;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.TrainingRecord;
import io.engram.weights.TrainingListener;
import java.util.List;
import java.util.Objects;

/**
 * Trains a network with one learning rule and recalls from it, as CANNs' {@code Trainer} base:
 * {@code train(patterns)}, {@code predict(pattern)}, {@code predictBatch(patterns)}.
 *
 * <p>Unlike {@link AmariHopfieldNetwork#recall}, {@code predict} follows CANNs: a cue whose length
 * differs from N resizes the network first (keeping the top-left block of W when {@code
 * preserveOnResize}), and the network's state is left at the output (of the last query of a batch).
 * Both validate all their input before changing anything.
 *
 * <p>Not thread-safe (it mutates its network). Use {@link AmariHopfieldNetwork#recall} for
 * concurrent read-only recall.
 */
public abstract class Trainer {

  private final AmariHopfieldNetwork network;
  private final boolean preserveOnResize;

  /**
   * @param network the network to train (not copied)
   * @param preserveOnResize keep the top-left block of W on a dimension change
   */
  protected Trainer(AmariHopfieldNetwork network, boolean preserveOnResize) {
    this.network = Objects.requireNonNull(network, "network");
    this.preserveOnResize = preserveOnResize;
  }

  /** A trainer for any learning rule. */
  public static Trainer of(
      AmariHopfieldNetwork network, LearningRule rule, boolean preserveOnResize) {
    Objects.requireNonNull(rule, "rule");
    return new Trainer(network, preserveOnResize) {
      @Override
      public LearningRule rule() {
        return rule;
      }
    };
  }

  /** The rule this trainer applies. */
  public abstract LearningRule rule();

  /** The trained network. */
  public final AmariHopfieldNetwork network() {
    return network;
  }

  public final boolean preserveOnResize() {
    return preserveOnResize;
  }

  /**
   * Trains on the patterns. An empty set is a no-op (returns null). All patterns are checked (same
   * length, finite values) before the network changes; a pattern length other than N resizes the
   * network first.
   *
   * @throws IllegalArgumentException naming the bad pattern; the network is then unchanged
   * @throws NullPointerException "patterns" when {@code patterns} is null (every overload)
   */
  public final TrainingRecord train(PatternBlock patterns) {
    Objects.requireNonNull(patterns, "patterns");
    return rule().train(network, patterns, preserveOnResize, null);
  }

  /**
   * {@link #train(PatternBlock)}, reporting the progress of long updates (dense weights) to {@code
   * listener}.
   */
  public final TrainingRecord train(PatternBlock patterns, TrainingListener listener) {
    Objects.requireNonNull(patterns, "patterns");
    return rule().train(network, patterns, preserveOnResize, listener);
  }

  /** {@link #train(PatternBlock)} on rows. */
  public final TrainingRecord train(float[]... patterns) {
    return train(PatternBlock.of(patterns));
  }

  /** {@link #train(PatternBlock)} on a list of rows. */
  public final TrainingRecord train(List<float[]> patterns) {
    return train(PatternBlock.of(patterns));
  }

  /** {@link #predict(float[], RecallOptions)} with the defaults (at most 20 steps). */
  public final RecallResult predict(float[] cue) {
    return predict(cue, RecallOptions.defaults());
  }

  /**
   * Recalls one cue and leaves the network's state at the output. A cue of another length resizes
   * the network first.
   *
   * @throws IllegalArgumentException for a non-finite or empty cue; the network is then unchanged
   */
  public final RecallResult predict(float[] cue, RecallOptions options) {
    List<RecallResult> r = predictBatch(new float[][] {cue}, options);
    return r.get(0);
  }

  /** {@link #predictBatch(float[][], RecallOptions)} with the defaults. */
  public final List<RecallResult> predictBatch(float[][] cues) {
    return predictBatch(cues, RecallOptions.defaults());
  }

  /**
   * Recalls each cue from its own input (CANNs' {@code predict_batch}); afterwards the network's
   * state is the last output. All cues must have one length; if it differs from N the network is
   * resized first. An empty batch changes nothing.
   *
   * @throws IllegalArgumentException for ragged, empty or non-finite cues; nothing changes then
   */
  public final List<RecallResult> predictBatch(float[][] cues, RecallOptions options) {
    return network.predictBatch(cues, options, preserveOnResize);
  }
}
