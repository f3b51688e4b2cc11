package io.engram.analysis;

import io.engram.learning.HebbianRule;
import io.engram.learning.LearningRule;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.weights.WeightsMode;
import java.util.Objects;

/**
 * What a memory kind costs, in multiply-adds, as a function of the number of stored patterns P and
 * their length N: how {@link CapacitySweep#work()} tells the work of a sweep before it runs. The
 * counts follow the kernels the memory uses (leading terms; the constant factors of the kernels
 * themselves are not in them: a sweep's time comes from a measured pace, {@link
 * CapacitySweep#calibrate}).
 *
 * <ul>
 *   <li>{@link #hebbian}: training stores the centred patterns in low-rank form (about 2 P N) while
 *       that is cheaper than dense weights ({@link WeightsMode#lowRankIsCheaper}), else forms the
 *       dense N x N matrix ({@code N² P / 2}, its upper triangle); a step costs {@code 2 P N}
 *       low-rank ({@code T s}, then {@code Tᵀ y}), {@code N²} dense.
 *   <li>{@link #storkey}: one pass over the dense N x N matrix per pattern, updating it and forming
 *       the next pattern's field ({@code 2 N² P}); a step costs {@code N²}.
 *   <li>{@link #pseudoInverse}: the Gram matrix ({@code P² N / 2}), its factor ({@code P³ / 3}),
 *       the orthonormal rows ({@code P² N / 2}), and, where dense weights are cheaper, the N x N
 *       matrix ({@code N² P / 2}); a step costs {@code 2 P N} in factored form, {@code N²} dense.
 *   <li>{@link #modern}: storing copies the patterns ({@code P N}); a step scores a query against
 *       all P patterns and sums them back ({@code 2 P N}). Its recall runs one step by default.
 * </ul>
 *
 * Implementations must be immutable and thread-safe.
 */
public interface WorkModel {

  /** A short name of the memory (for messages: {@code hebbian}, {@code storkey}, ...). */
  String name();

  /**
   * Multiply-adds to build a memory that holds P patterns of length N from nothing.
   *
   * @param p at least 1
   * @param n at least 1
   */
  double training(int p, int n);

  /**
   * Multiply-adds of one retrieval step of one query in a memory that holds P patterns of length N.
   */
  double step(int p, int n);

  /** The most steps the memory's own recall runs (20 for the classical network, 1 for modern). */
  int defaultIterations();

  /** The Hebbian (or anti-Hebbian) rule in a network of automatic weights (low-rank or dense). */
  static WorkModel hebbian() {
    return new Model("hebbian", Kind.HEBBIAN, 20);
  }

  /** The Storkey rule: dense weights only. */
  static WorkModel storkey() {
    return new Model("storkey", Kind.STORKEY, 20);
  }

  /** The pseudo-inverse rule in a network of automatic weights (factored or dense). */
  static WorkModel pseudoInverse() {
    return new Model("pseudo-inverse", Kind.PSEUDO_INVERSE, 20);
  }

  /**
   * A modern (dense associative) memory with softmax retrieval; named {@code softmax retrieval}
   * (the memory kinds' names belong to their classes).
   */
  static WorkModel modern() {
    return new Model("softmax retrieval", Kind.MODERN, 1);
  }

  /**
   * A classical network trained by the rule: the model of a rule of this library, and for another
   * rule the cost of dense outer-product training ({@code N² P / 2}) and dense steps ({@code N²}),
   * which no rule that forms the N x N matrix undercuts by much.
   */
  static WorkModel of(LearningRule rule) {
    Objects.requireNonNull(rule, "rule");
    if (rule instanceof HebbianRule) {
      return new Model(rule.name(), Kind.HEBBIAN, 20);
    }
    if (rule instanceof StorkeyRule) {
      return storkey();
    }
    if (rule instanceof PseudoInverseRule) {
      return pseudoInverse();
    }
    return new Model(rule.name(), Kind.DENSE, 20);
  }

  /** The kinds of cost the models of this library have. */
  enum Kind {
    HEBBIAN,
    STORKEY,
    PSEUDO_INVERSE,
    MODERN,
    DENSE
  }

  /** A model of this library. */
  record Model(String name, Kind kind, int defaultIterations) implements WorkModel {

    /** A memory that says nothing of its cost: counted as a classical one with dense weights. */
    static final Model UNKNOWN = new Model("memory", Kind.DENSE, 20);

    /** Checks the fields. */
    public Model {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      if (defaultIterations < 1) {
        throw new IllegalArgumentException(
            "defaultIterations must be >= 1, got " + defaultIterations);
      }
    }

    @Override
    public double training(int p, int n) {
      double pn = (double) p * n;
      double nn = (double) n * n;
      return switch (kind) {
        case HEBBIAN -> lowRank(p, n) ? 2 * pn : nn * p / 2 + pn;
        case STORKEY -> 2 * nn * p + nn;
        case PSEUDO_INVERSE -> {
          double pp = (double) p * p;
          double base = pp * n + pp * p / 3 + pn;
          yield lowRank(p, n) ? base : base + nn * p / 2;
        }
        case MODERN -> pn;
        case DENSE -> nn * p / 2 + pn;
      };
    }

    @Override
    public double step(int p, int n) {
      double nn = (double) n * n;
      return switch (kind) {
        case HEBBIAN, PSEUDO_INVERSE -> lowRank(p, n) ? 2.0 * p * n + n : nn;
        case STORKEY, DENSE -> nn;
        case MODERN -> 2.0 * p * n + p;
      };
    }

    private static boolean lowRank(int p, int n) {
      return WeightsMode.lowRankIsCheaper(n, p, 1);
    }
  }
}
