package io.engram.cli;

import io.engram.analysis.MemoryFactory;
import io.engram.analysis.WorkModel;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.memory.ModernHopfieldMemory;
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

  /**
   * Loads of a default Storkey sweep: past its N / √(2 ln N) (0.27 N at N = 1000, 0.33 N at N =
   * 100), up to where recall has collapsed.
   */
  static final double[] STORKEY_LOADS = {
    0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.60
  };

  /**
   * Loads of a default pseudo-inverse sweep: every pattern is a fixed point up to P &lt; N, the
   * basins shrink on the way (attraction vanishes near P = N / 2 at 10% noise).
   */
  static final double[] PSEUDO_INVERSE_LOADS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99};

  /**
   * Loads of a default modern-memory sweep: far beyond the classical network's 0.14 N, up to 8 N
   * stored patterns (each load recalls all of its P patterns against all P: the cost grows as P²N).
   * With the default β = 1/√N, N = 100 holds up to about 128 N (CAPACITY.md).
   */
  static final double[] MODERN_LOADS = {0.5, 1, 2, 4, 8};

  /** The names {@code --rule} takes in this build (others are refused with exit 2). */
  static final List<String> RULES = List.of("hebbian", "anti-hebbian", "storkey", "pseudo-inverse");

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
    String r = ruleName(name);
    switch (r) {
      case "hebbian", "anti-hebbian" -> {
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
      case "storkey" -> {
        refuseSubtractMean(r, subtractMean);
        return new Entry(
            "storkey",
            MemoryFactory.classical(StorkeyRule.create()),
            Theory.STORKEY,
            STORKEY_LOADS);
      }
      case "pseudo-inverse" -> {
        refuseSubtractMean("pseudo-inverse", subtractMean);
        return new Entry(
            "pseudo-inverse",
            MemoryFactory.classical(PseudoInverseRule.create()),
            Theory.PSEUDO_INVERSE,
            PSEUDO_INVERSE_LOADS);
      }
      default -> throw new IllegalStateException(r);
    }
  }

  /**
   * The rule {@code --rule} names, by its own name: in any case, with {@code _} for {@code -}, and
   * the other names of two ({@code antihebbian}; {@code pseudoinverse}, {@code projection}). The
   * one reading of --rule for train and capacity (capacity refused train's "projection", and each
   * refused in its own words).
   *
   * @throws UserError for any other name
   */
  static String ruleName(String given) {
    String r = given.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (r) {
      case "hebbian", "storkey" -> r;
      case "anti-hebbian", "antihebbian" -> "anti-hebbian";
      case "pseudo-inverse", "pseudoinverse", "projection" -> "pseudo-inverse";
      default ->
          throw new UserError(
              "--rule must be hebbian, anti-hebbian, pseudo-inverse or storkey, got '"
                  + given
                  + "'");
    };
  }

  /**
   * A memory of the named kind ({@code --memory}); {@code classical} is the network of {@link
   * #rule}.
   *
   * @param beta the modern memory's inverse temperature (null: its default), checked by the caller
   * @throws UserError for an unknown kind or one this build does not have
   */
  static Entry memory(String kind, Double beta) {
    String k = kind.trim().toLowerCase(Locale.ROOT);
    if (k.equals("modern")) {
      MemoryFactory modern =
          patterns -> {
            int n = patterns.length();
            ModernHopfieldMemory m =
                beta == null
                    ? ModernHopfieldMemory.softmax(n)
                    : ModernHopfieldMemory.softmax(n, beta.floatValue());
            m.storeRows(patterns.toArray(), patterns.count());
            return m;
          };
      return new Entry("modern", modern.withWork(WorkModel.modern()), Theory.NONE, MODERN_LOADS);
    }
    throw new UserError("--memory must be classical or modern, got '" + kind + "'");
  }

  /**
   * The columns of {@code engram demo --compare}, in order: every rule and memory kind of this
   * build, with the options that matter for correlated images.
   */
  static List<Entry> compareColumns() {
    Entry centred = rule("hebbian", true);
    Entry plain = rule("hebbian", false);
    Entry storkey = rule("storkey", null);
    Entry projection = rule("pseudo-inverse", null);
    return List.of(
        new Entry("Hebbian", centred.factory(), centred.theory(), centred.defaultLoads()),
        new Entry("Hebbian, not centred", plain.factory(), plain.theory(), plain.defaultLoads()),
        new Entry("Storkey", storkey.factory(), storkey.theory(), storkey.defaultLoads()),
        new Entry(
            "pseudo-inverse", projection.factory(), projection.theory(), projection.defaultLoads()),
        memory("modern", null));
  }

  private static void refuseSubtractMean(String rule, Boolean subtractMean) {
    if (subtractMean != null) {
      // (in train's words)
      throw new UserError(
          "--subtract-mean does not apply to the "
              + rule
              + " rule (hebbian and anti-hebbian only)");
    }
  }
}
