package io.engram.cli;

import io.engram.analysis.MemoryFactory;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import java.util.List;
import java.util.Locale;

/**
 * The rules and memory kinds that {@code engram capacity} measures and {@code engram demo
 * --compare} draws side by side, by their command-line names: THE place to extend when a rule or a
 * memory kind is added (one case in {@link #rule} or {@link #memory}, one column in {@link
 * #compareColumns}).
 */
final class LabMemories {

  private LabMemories() {}

  /** Which published capacity results describe a memory (for random ±1 patterns). */
  enum Theory {
    /**
     * The Hebbian rule: one-step error, AGS overlap, McEliece's bounds (only without mean
     * subtraction or for unbiased patterns, where it makes no difference).
     */
    HEBBIAN,
    /** The Storkey rule: {@code N / √(2 ln N)}. */
    STORKEY,
    /** The pseudo-inverse rule: exact up to P &lt; N. */
    PSEUDO_INVERSE,
    /** Nothing to draw. */
    NONE
  }

  /**
   * A memory the lab can build.
   *
   * @param name as shown in tables, headers and JSON ({@code hebbian}, …)
   * @param factory builds it from patterns
   * @param theory the curves to draw beside its measurements
   * @param defaultLoads the loads of a default sweep, as fractions of N
   */
  record Entry(String name, MemoryFactory factory, Theory theory, double[] defaultLoads) {}

  /** Loads of a default Hebbian sweep: fine steps up to past α_c, then up to the table's 0.61. */
  static final double[] HEBBIAN_LOADS = {
    0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.25, 0.30, 0.37, 0.61
  };

  /** The names {@code --rule} takes in this build (others are refused with exit 2). */
  static final List<String> RULES = List.of("hebbian", "anti-hebbian");

  /**
   * The classical network trained with the named rule.
   *
   * @param name as given to {@code --rule}
   * @param subtractMean the Hebbian rules' mean subtraction (null: the default, true, as {@code
   *     engram train})
   * @throws UserError for an unknown rule, a rule this build does not have, or an option that does
   *     not apply to the rule
   */
  static Entry rule(String name, Boolean subtractMean) {
    String r = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    switch (r) {
      case "hebbian", "anti-hebbian", "antihebbian" -> {
        boolean anti = !r.equals("hebbian");
        HebbianOptions o =
            HebbianOptions.DEFAULTS.withSubtractMean(subtractMean == null || subtractMean);
        HebbianRule rule = anti ? HebbianRule.antiHebbian(o) : HebbianRule.hebbian(o);
        return new Entry(
            rule.name(),
            MemoryFactory.classical(rule),
            anti ? Theory.NONE : Theory.HEBBIAN,
            HEBBIAN_LOADS);
      }
      // EXTEND HERE at the merge of issue 11 (and drop the names from notAvailable):
      //   case "storkey" -> new Entry("storkey", MemoryFactory.classical(StorkeyRule.create()),
      //       Theory.STORKEY, new double[] {0.05, 0.1, ..., 0.5});
      //   case "pseudo-inverse" -> new Entry("pseudo-inverse",
      //       MemoryFactory.classical(PseudoInverseRule.create()), Theory.PSEUDO_INVERSE,
      //       new double[] {0.1, 0.2, ..., 0.9, 0.99});
      // and refuse --subtract-mean for them (below).
      case "storkey", "pseudo-inverse", "pseudoinverse" -> throw notAvailable("--rule " + r);
      default ->
          throw new UserError(
              "--rule must be one of "
                  + String.join(", ", RULES)
                  + " (pseudo-inverse and storkey are not in this build), got '"
                  + name
                  + "'");
    }
  }

  /**
   * A memory of the named kind ({@code --memory}); {@code classical} is the network of {@link
   * #rule}.
   *
   * @param beta the modern memory's inverse temperature (null: its default)
   * @throws UserError for an unknown kind or one this build does not have
   */
  static Entry memory(String kind, Double beta) {
    String k = kind.trim().toLowerCase(Locale.ROOT);
    // EXTEND HERE at the merge of issue 12:
    //   case "modern" -> new Entry("modern", p -> { ModernHopfieldMemory m = beta == null
    //       ? ModernHopfieldMemory.softmax(p.length())
    //       : ModernHopfieldMemory.softmax(p.length(), beta.floatValue());
    //       m.storeRows(p.toArray(), p.count()); return m; }, Theory.NONE,
    //       new double[] {0.1, 0.25, 0.5, 1, 2, 4});
    if (k.equals("modern")) {
      throw notAvailable("--memory modern");
    }
    throw new UserError("--memory must be classical or modern, got '" + kind + "'");
  }

  /**
   * The columns of {@code engram demo --compare}, in order: every rule and memory kind of this
   * build, with the options that matter for correlated images.
   */
  static List<Entry> compareColumns() {
    // EXTEND HERE at the merges of issues 11 and 12: add storkey, pseudo-inverse and modern, e.g.
    //   rule("storkey", null), rule("pseudo-inverse", null), memory("modern", null)
    Entry centred = rule("hebbian", true);
    Entry plain = rule("hebbian", false);
    return List.of(
        new Entry("Hebbian", centred.factory(), centred.theory(), centred.defaultLoads()),
        new Entry("Hebbian, not centred", plain.factory(), plain.theory(), plain.defaultLoads()));
  }

  private static UserError notAvailable(String what) {
    return new UserError(what + " is not available in this build");
  }
}
