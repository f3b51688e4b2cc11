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
 * memory kind is a lambda, with {@link #withWork} telling what it costs ({@link WorkModel}), so
 * that a sweep's work can be told before it runs:
 *
 * <pre>{@code
 * MemoryFactory modern =
 *     patterns -> {
 *       var m = ModernHopfieldMemory.softmax(patterns.length());
 *       m.storeRows(patterns.rows(), patterns.count());
 *       return m;
 *     };
 * CapacitySweep.builder(modern.withWork(WorkModel.modern()), n).loads(5, 50).build().run();
 * }</pre>
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
   * What the memories this factory builds cost, for {@link CapacitySweep#work()}. The default, for
   * a factory that does not say, is the cost of a classical network with dense weights ({@link
   * WorkModel#of} for a rule it does not know).
   */
  default WorkModel work() {
    return WorkModel.Model.UNKNOWN;
  }

  /** This factory, saying that its memories cost what {@code work} counts. */
  default MemoryFactory withWork(WorkModel work) {
    Objects.requireNonNull(work, "work");
    MemoryFactory self = this;
    return new MemoryFactory() {
      @Override
      public Memory build(PatternBlock patterns) {
        return self.build(patterns);
      }

      @Override
      public WorkModel work() {
        return work;
      }
    };
  }

  /**
   * A classical network of N neurons with the default dynamics (sign, synchronous, no threshold)
   * trained on all patterns in one call of the rule; its {@link #work()} is {@link
   * WorkModel#of(LearningRule) the rule's}.
   *
   * @param rule the learning rule (immutable, so shared between threads)
   */
  static MemoryFactory classical(LearningRule rule) {
    Objects.requireNonNull(rule, "rule");
    MemoryFactory f =
        patterns -> {
          AmariHopfieldNetwork net = AmariHopfieldNetwork.create(patterns.length());
          rule.train(net, patterns, true, null);
          return net;
        };
    return f.withWork(WorkModel.of(rule));
  }
}
