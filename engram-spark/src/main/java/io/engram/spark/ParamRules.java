package io.engram.spark;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PseudoInverseOptions;
import io.engram.learning.PseudoInverseRule;
import io.engram.memory.Separation;
import io.engram.network.Activation;
import io.engram.network.Dynamics;
import io.engram.network.UpdateMode;
import io.engram.weights.WeightsMode;
import java.util.List;

/**
 * What the parameters of {@link HopfieldMemoryParams} mean for the core: the rule, the dynamics,
 * the modern memory's settings, the weights mode and the recall options. A parameter that does not
 * apply to the chosen memory kind or rule (ridge for the Hebbian rules, strategy for Storkey's, the
 * dynamics for a modern memory...) is ignored, as Spark's own stages ignore theirs (so that a
 * tuning grid over rules and their options works, and {@code copy(extractParamMap())} too). The
 * definitions themselves (names, documentation, validators, defaults) are {@link MemoryParams}.
 */
final class ParamRules {

  private ParamRules() {}

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

  /**
   * The separation, β and degree the parameters give, for an empty modern memory of any N ({@link
   * ModernRows.Settings#at}); β where the separation has none (polynomial, rectified) and the
   * degree where it has none (softmax, exp) are ignored, as every parameter that does not apply is.
   */
  static ModernRows.Settings modernSettings(HopfieldMemoryParams p) {
    return new ModernRows.Settings(Separation.parse(p.getSeparation()), p.getBeta(), p.getDegree());
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
   * flags: {@code update = sync} means synchronous (a seed set too is then ignored: it orders
   * asynchronous updates only); otherwise a seed that is set means a random asynchronous order from
   * it; {@code update = async} keeps an asynchronous base (a fixed order, say) or else uses a
   * random order from the seed's value (0 where it is unset).
   *
   * <p>Set, not defined, decides: on the estimator these parameters have no default (unset: the
   * initModel's setting, else the core's), so {@code copy(extractParamMap())} leaves them unset; on
   * a model their defaults are the network's own settings, and a seed is defined only for a network
   * with a random order, so a copy that sets them all recalls as the network does.
   */
  static Dynamics dynamics(HopfieldMemoryParams p, Dynamics base) {
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
    if (sync) {
      d = d.withUpdateMode(UpdateMode.synchronous());
    } else if (p.isSet(p.seed())) {
      d = d.withUpdateMode(UpdateMode.asynchronous(p.getSeed()));
    } else if (async && !d.updateMode().isAsynchronous()) {
      d = d.withUpdateMode(UpdateMode.asynchronous(p.getSeed()));
    }
    return d;
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
