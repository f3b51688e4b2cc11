package io.engram.learning;

import io.engram.weights.Weights;
import java.util.Map;

/**
 * A learning rule: turns a validated pattern block into an in-place update of the weights.
 *
 * <p>This is Engram's extension point for learning, the counterpart of CANNs' model-specific {@code
 * apply_hebbian_learning} (chosen there with {@code prefer_generic=False}): pass your own rule to
 * {@link Trainer#of} or {@link io.engram.network.AmariHopfieldNetwork#train}. The network does the
 * validation, resizing and bookkeeping; the rule only does the arithmetic.
 *
 * <p>Contract: {@link #check} runs first and must reject anything the rule cannot apply, leaving
 * the weights untouched; {@link #apply} is then called with weights of size {@code
 * patterns.length()} and must not fail. Rules should be immutable and thread-safe.
 */
public interface LearningRule {

  /** A short name recorded in the model's history, e.g. {@code hebbian}. */
  String name();

  /** The options to record in the model's history. */
  Map<String, String> options();

  /** Whether W keeps a diagonal of zero under this rule (used to choose representations). */
  boolean zeroDiagonal();

  /**
   * Rejects input this rule cannot apply, before the weights are touched.
   *
   * @throws IllegalArgumentException naming the problem
   */
  default void check(PatternBlock patterns) {}

  /**
   * Applies the update to {@code weights} in place.
   *
   * @return the record of this call
   */
  TrainingRecord apply(Weights weights, PatternBlock patterns);
}
