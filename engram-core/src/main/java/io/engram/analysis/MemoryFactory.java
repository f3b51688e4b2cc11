package io.engram.analysis;

import io.engram.learning.LearningRule;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Memory;
import java.util.Objects;

/**
 * Builds a memory holding given patterns: how {@link CapacitySweep} (and the command line's
 * comparisons) measure any learning rule or memory kind. A sweep calls it once per load and trial
 * with the first P patterns of that trial, from several threads at once: it must not share mutable
 * state between calls.
 *
 * <p>A classical network trained by a learning rule is {@link #classical(LearningRule)}; another
 * memory kind is a lambda, e.g. {@code patterns -> SomeMemory.of(patterns, beta)}.
 */
@FunctionalInterface
public interface MemoryFactory {

  /**
   * A new memory that has stored the patterns (P x N, in order).
   *
   * @param patterns at least one pattern; not modified
   * @return a memory of N neurons, used only by the caller
   */
  Memory build(PatternBlock patterns);

  /**
   * A classical network of N neurons with the default dynamics (sign, synchronous, no threshold)
   * trained on all patterns in one call of the rule.
   *
   * @param rule the learning rule (immutable, so shared between threads)
   */
  static MemoryFactory classical(LearningRule rule) {
    Objects.requireNonNull(rule, "rule");
    return patterns -> {
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(patterns.length());
      rule.train(net, patterns, true, null);
      return net;
    };
  }
}
