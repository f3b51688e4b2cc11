package io.engram.spark;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PseudoInverseOptions;
import io.engram.learning.PseudoInverseRule;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import io.engram.network.Activation;
import io.engram.network.Dynamics;
import io.engram.network.UpdateMode;
import io.engram.weights.WeightsMode;
import java.util.List;

/**
 * What the parameters of {@link HopfieldMemoryParams} mean for the core, and where they apply:
 * which parameters a memory kind or rule accepts (a parameter set where it does not apply is
 * refused, naming it), the rule, the dynamics, the modern memory's settings, the weights mode and
 * the recall options. The definitions themselves (names, documentation, validators, defaults) are
 * {@link MemoryParams}.
 */
final class ParamRules {

  private ParamRules() {}

  /**
   * Fails, naming the parameter, when an explicitly set parameter does not apply to the chosen
   * memory kind or rule (as {@code engram train} refuses such an option; defaults never count).
   *
   * <p>{@code strategy} is the estimator's alone (a model has no such parameter), hence the
   * estimator here.
   *
   * @throws IllegalArgumentException for a rule's option set for another rule or for modern memory,
   *     a modern memory's option set for the classical memory, or {@code strategy} set for the
   *     Storkey rule or modern memory
   */
  static void checkApplicable(HopfieldMemoryBase p) {
    boolean modern = "modern".equals(p.getMemory());
    String rule = p.getRule();
    boolean hebb = !modern && ("hebbian".equals(rule) || "anti-hebbian".equals(rule));
    boolean pinv = !modern && "pseudo-inverse".equals(rule);
    String what = modern ? "memory modern" : "rule " + rule;
    refuse(p, p.rule(), modern, what);
    refuse(p, p.subtractMean(), !hebb, what);
    refuse(p, p.normalize(), !hebb, what);
    refuse(p, p.zeroDiagonal(), modern, what);
    refuse(p, p.preserveOnResize(), modern, what);
    refuse(p, p.weights(), modern, what);
    // it chose nothing there: Storkey's rule always trains on the collected patterns, a modern
    // memory's are validated and sharded
    refuse(
        p,
        p.strategy(),
        !hebb && !pinv,
        what,
        "it chooses how the Hebbian and pseudo-inverse sums are formed");
    refuse(p, p.ridge(), !pinv, what);
    refuse(p, p.tolerance(), !pinv, what);
    refuse(p, p.separation(), !modern, what);
    refuse(p, p.beta(), !modern, what);
    refuse(p, p.degree(), !modern, what);
    for (org.apache.spark.ml.param.Param<?> q :
        List.of(p.bestCol(), p.weightCol(), p.broadcastLimit())) {
      refuse(p, q, !modern, what);
    }
    for (org.apache.spark.ml.param.Param<?> d :
        List.of(p.activation(), p.temperature(), p.threshold(), p.update(), p.seed())) {
      refuse(p, d, modern, what);
    }
    if (modern) {
      modernSettings(p, 1); // checks beta and degree against the separation
    }
  }

  /**
   * The parameters that mean something only to {@code fit}: the memory kind, the rule and its
   * options, the weights mode, the modern memory's settings. A model keeps them for reference (what
   * it was fitted with); its memory, not they, decides its recall.
   */
  static List<org.apache.spark.ml.param.Param<?>> trainingParams(HopfieldMemoryParams p) {
    return List.of(
        p.memory(),
        p.rule(),
        p.subtractMean(),
        p.zeroDiagonal(),
        p.normalize(),
        p.preserveOnResize(),
        p.weights(),
        p.ridge(),
        p.tolerance(),
        p.beta(),
        p.separation(),
        p.degree());
  }

  private static void refuse(
      HopfieldMemoryParams p, org.apache.spark.ml.param.Param<?> param, boolean bad, String what) {
    refuse(p, param, bad, what, null);
  }

  /**
   * Fails when {@code bad} and {@code param} is set: "{@code <uid>: <param> does not apply to
   * <what> (it is set)}", with "{@code ; <why>}" before the closing parenthesis where {@code why}
   * is not null.
   */
  private static void refuse(
      HopfieldMemoryParams p,
      org.apache.spark.ml.param.Param<?> param,
      boolean bad,
      String what,
      String why) {
    if (bad && p.isSet(param)) {
      throw new IllegalArgumentException(
          p.uid()
              + ": "
              + param.name()
              + " does not apply to "
              + what
              + " (it is set"
              + (why == null ? "" : "; " + why)
              + ")");
    }
  }

  /**
   * An empty modern memory of N values with the separation, β and degree the parameters give.
   *
   * @throws IllegalArgumentException for β or a degree that does not apply to the separation
   */
  static ModernHopfieldMemory modernSettings(HopfieldMemoryParams p, int n) {
    Separation s = Separation.parse(p.getSeparation());
    double b = p.getBeta();
    if (!Double.isNaN(b) && !s.usesBeta()) {
      throw new IllegalArgumentException(
          p.uid() + ": beta does not apply to " + s.id() + " separation (it is " + b + ")");
    }
    if (p.isSet(p.degree()) && !s.usesDegree()) {
      throw new IllegalArgumentException(
          p.uid() + ": degree does not apply to " + s.id() + " separation");
    }
    float beta = Double.isNaN(b) ? ModernHopfieldMemory.defaultBeta(s, n) : (float) b;
    return ModernHopfieldMemory.of(n, s, beta, s.usesDegree() ? p.getDegree() : 0);
  }

  /** The learning rule and its options. */
  static HebbianRule learningRule(HopfieldMemoryParams p) {
    HebbianOptions o =
        new HebbianOptions(
            p.getSubtractMean(), p.getZeroDiagonal(), p.getNormalize(), p.getPreserveOnResize());
    return "anti-hebbian".equals(p.getRule()) ? HebbianRule.antiHebbian(o) : HebbianRule.hebbian(o);
  }

  /**
   * {@code base} with every dynamics parameter that is set applied, as the command line applies its
   * flags: an explicit seed means a random asynchronous order from it; {@code update = sync} means
   * synchronous; {@code update = async} keeps an asynchronous base (a fixed order, say) or else
   * uses a random order from the seed's value.
   *
   * @throws IllegalArgumentException for a seed set together with {@code update = sync}
   */
  static Dynamics dynamics(HopfieldMemoryParams p, Dynamics base) {
    checkDynamics(p);
    Dynamics d = base;
    if (p.isSet(p.activation())) {
      d = d.withActivation(Activation.parse(p.getActivation()));
    }
    if (p.isSet(p.temperature())) {
      d = d.withTemperature(p.getTemperature());
    }
    if (p.isSet(p.threshold())) {
      d = d.withThreshold(p.getThreshold());
    }
    boolean sync = p.isSet(p.update()) && "sync".equals(p.getUpdate());
    boolean async = p.isSet(p.update()) && "async".equals(p.getUpdate());
    if (p.isSet(p.seed())) {
      d = d.withUpdateMode(UpdateMode.asynchronous(p.getSeed()));
    } else if (sync) {
      d = d.withUpdateMode(UpdateMode.synchronous());
    } else if (async && !d.updateMode().isAsynchronous()) {
      d = d.withUpdateMode(UpdateMode.asynchronous(p.getSeed()));
    }
    return d;
  }

  /**
   * @throws IllegalArgumentException for a seed set together with {@code update = sync}
   */
  static void checkDynamics(HopfieldMemoryParams p) {
    if (p.isSet(p.seed()) && p.isSet(p.update()) && "sync".equals(p.getUpdate())) {
      throw new IllegalArgumentException(
          p.uid()
              + ": seed "
              + p.getSeed()
              + " is set, but update is sync; a seed needs update = async (for synchronous"
              + " updates, clear the seed: clear(seed()), as a model fitted with a seed has it set)");
    }
  }

  /** The pseudo-inverse rule and its options. */
  static PseudoInverseRule pseudoInverseRule(HopfieldMemoryParams p) {
    return PseudoInverseRule.create(
        new PseudoInverseOptions(p.getZeroDiagonal(), p.getRidge(), p.getTolerance()));
  }

  /** The weights mode the parameter names. */
  static WeightsMode weightsMode(HopfieldMemoryParams p) {
    return WeightsMode.parse(p.getWeights());
  }

  /** What recall runs with under dynamics {@code d}. */
  static RecallSpec recallSpec(HopfieldMemoryParams p, Dynamics d) {
    double tol = p.getTol();
    return new RecallSpec(
        p.getMaxIter(),
        tol > 0 ? tol : Double.NaN,
        !p.getEnergyCol().isEmpty(),
        d.updateMode() instanceof UpdateMode.RandomOrder);
  }
}
