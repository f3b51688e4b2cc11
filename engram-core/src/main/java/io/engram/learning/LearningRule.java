package io.engram.learning;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.TrainingRecord;
import io.engram.network.WeightUpdate;
import io.engram.weights.TrainingListener;
import java.util.Map;
import java.util.Objects;

/**
 * A learning rule: a strategy that turns validated patterns into one training call of a network
 * ({@link WeightUpdate}). The network does everything around the arithmetic the same way for every
 * rule (resize, choice of dense weights for dense-only rules, the overflow guard, history, leaving
 * itself unchanged on failure); the rule states what it needs and does the arithmetic.
 *
 * <p>This is Engram's extension point for learning, the counterpart of CANNs' model-specific {@code
 * apply_hebbian_learning}: pass your own rule to {@link Trainer#of} or call {@link #train}. Adding
 * a rule is one class implementing this interface (see {@code docs/ARCHITECTURE.md}). Rules should
 * be immutable and thread-safe.
 */
public interface LearningRule {

  /**
   * A short name recorded in the model's history and used on the command line, e.g. {@code
   * hebbian}.
   */
  String name();

  /** The options to record in the model's history. */
  Map<String, String> options();

  /**
   * Validates the patterns and prepares the training call. Changes nothing.
   *
   * @param patterns at least one pattern
   * @throws IllegalArgumentException naming the problem (e.g. values that would overflow)
   */
  WeightUpdate prepare(PatternBlock patterns);

  /**
   * Trains the network on the patterns with this rule: {@code network.apply(prepare(patterns),
   * ...)}. An empty pattern set is a no-op (returns null). A failed call leaves the network exactly
   * as it was.
   *
   * @param preserveOnResize keep the top-left block of W when the pattern length differs from N
   * @param listener progress of long updates (null: none)
   * @return the record of the call (also in the network's history), or null for no patterns
   * @throws IllegalArgumentException naming the problem; the network is then unchanged
   */
  default TrainingRecord train(
      AmariHopfieldNetwork network,
      PatternBlock patterns,
      boolean preserveOnResize,
      TrainingListener listener) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(patterns, "patterns");
    if (patterns.isEmpty()) {
      return null;
    }
    return network.apply(prepare(patterns), preserveOnResize, listener);
  }
}
