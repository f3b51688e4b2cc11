package io.engram.spark;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.TrainingRecord;
import io.engram.network.UpdateMode;
import io.engram.weights.WeightsMode;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;

/**
 * The definitions of {@link HopfieldMemoryParams} (names, documentation, validators, defaults),
 * shared by the estimator and the model, and what the parameters mean for the core: the rule, the
 * dynamics, the weights mode and the recall options.
 */
final class MemoryParams {

  /** The rules of the design, in the order the documentation lists them. */
  static final List<String> RULES = List.of("hebbian", "anti-hebbian", "pseudo-inverse", "storkey");

  /** The rules this version trains. */
  static final List<String> TRAINABLE_RULES = List.of("hebbian", "anti-hebbian");

  static final List<String> MEMORIES = List.of("classical", "modern");
  static final List<String> TRAINABLE_MEMORIES = List.of("classical");
  static final List<String> ACTIVATIONS = List.of("sign", "tanh", "sigmoid");
  static final List<String> UPDATES = List.of("sync", "async");
  static final List<String> WEIGHTS = List.of("auto", "dense", "low-rank");
  static final List<String> STRATEGIES = List.of("auto", "collect", "reduce");

  private MemoryParams() {}

  private static String options(List<String> values) {
    return " Supported options: " + String.join(", ", values) + ".";
  }

  static Param<String> featuresCol(Identifiable o) {
    return new Param<>(
        o,
        "featuresCol",
        "features column: one pattern (fit) or cue (transform) per row, all of the same length N;"
            + " array<float>, array<double>, another numeric array, or an ML Vector");
  }

  static Param<String> predictionCol(Identifiable o) {
    return new Param<>(
        o,
        "predictionCol",
        "output column: the recalled state (CANNs' predict), of the features column's type"
            + " (array<double> for array<double>, vector for vector, array<float> otherwise)");
  }

  static Param<String> stepsCol(Identifiable o) {
    return new Param<>(
        o,
        "stepsCol",
        "output column: update steps run for each query (int), including the one that confirmed"
            + " a fixed point; empty for none");
  }

  static Param<String> convergedCol(Identifiable o) {
    return new Param<>(
        o,
        "convergedCol",
        "output column: whether recall stopped at an exact fixed point or within the energy"
            + " tolerance (boolean); empty for none");
  }

  static Param<String> energyCol(Identifiable o) {
    return new Param<>(
        o,
        "energyCol",
        "output column: the energy E = -1/2 s'Ws + threshold * sum(s) of the recalled state"
            + " (double); empty for none (recall then skips computing it)");
  }

  static IntParam maxIter(Identifiable o) {
    return new IntParam(
        o,
        "maxIter",
        "at most this many update steps per query (>= 0); recall stops earlier at an exact fixed"
            + " point, which does not change the result (engram recall --iterations)",
        ParamValidators.gtEq(0));
  }

  static DoubleParam tol(Identifiable o) {
    return new DoubleParam(
        o,
        "tol",
        "stop when a step changes the energy by less than this (absolute, >= 0); 0: off. For"
            + " tanh and sigmoid (engram recall --energy-tolerance)",
        ParamValidators.inRange(0, Double.MAX_VALUE, true, true));
  }

  static Param<String> memory(Identifiable o) {
    return new Param<>(
        o,
        "memory",
        "memory kind: classical (a Hopfield network whose weights a rule learns) or modern (dense"
            + " associative memory; not available in this version of engram-spark) (engram train"
            + " --memory)."
            + options(MEMORIES),
        ParamValidators.inArray(MEMORIES));
  }

  static Param<String> rule(Identifiable o) {
    return new Param<>(
        o,
        "rule",
        "learning rule of the classical memory (engram train --rule); this version of"
            + " engram-spark trains hebbian and anti-hebbian."
            + options(RULES),
        ParamValidators.inArray(RULES));
  }

  static BooleanParam subtractMean(Identifiable o) {
    return new BooleanParam(
        o,
        "subtractMean",
        "centre the patterns by rho, the mean of all their values, before the update (engram"
            + " train --subtract-mean)");
  }

  static BooleanParam zeroDiagonal(Identifiable o) {
    return new BooleanParam(
        o,
        "zeroDiagonal",
        "set the diagonal of W to 0 after the update (engram train --zero-diagonal)");
  }

  static BooleanParam normalize(Identifiable o) {
    return new BooleanParam(
        o, "normalize", "divide the update by the number of patterns P (engram train --normalize)");
  }

  static BooleanParam preserveOnResize(Identifiable o) {
    return new BooleanParam(
        o,
        "preserveOnResize",
        "when the pattern length differs from the initial model's N, keep its top-left block of W"
            + " (engram train --preserve-on-resize)");
  }

  static Param<String> weights(Identifiable o) {
    return new Param<>(
        o,
        "weights",
        "weight representation: auto (low-rank while the stored rank is well below N, then"
            + " dense), dense (N x N) or low-rank (the centred patterns of each call; trained on the"
            + " driver) (engram train --weights)."
            + options(WEIGHTS),
        ParamValidators.inArray(WEIGHTS));
  }

  static Param<String> activation(Identifiable o) {
    return new Param<>(
        o,
        "activation",
        "neuron activation: sign (sign(0) = 0), tanh(x/T) or sigmoid(x/T) (engram --activation)."
            + options(ACTIVATIONS),
        ParamValidators.inArray(ACTIVATIONS));
  }

  static DoubleParam temperature(Identifiable o) {
    return new DoubleParam(
        o,
        "temperature",
        "temperature T > 0 of tanh(x/T) and sigmoid(x/T) (engram --temperature)",
        ParamValidators.inRange(0, Double.MAX_VALUE, false, true));
  }

  static DoubleParam threshold(Identifiable o) {
    return new DoubleParam(
        o,
        "threshold",
        "threshold theta in act(W s - theta), finite (engram --threshold)",
        ParamValidators.inRange(-Double.MAX_VALUE, Double.MAX_VALUE, true, true));
  }

  static Param<String> update(Identifiable o) {
    return new Param<>(
        o,
        "update",
        "update mode: sync (all neurons at once) or async (one neuron at a time, in a random order"
            + " per sweep from seed) (engram --update)."
            + options(UPDATES),
        ParamValidators.inArray(UPDATES));
  }

  static LongParam seed(Identifiable o) {
    return new LongParam(
        o,
        "seed",
        "seed of the random asynchronous order; setting it implies update = async. With it, each"
            + " row's order depends on the row's index in the dataset (engram --seed)");
  }

  /** The defaults of the shared parameters (CANNs' and the CLI's). */
  static void setDefaults(HopfieldMemoryParams p) {
    p.setDefault(p.featuresCol(), "features");
    p.setDefault(p.predictionCol(), "prediction");
    p.setDefault(p.stepsCol(), "steps");
    p.setDefault(p.convergedCol(), "converged");
    p.setDefault(p.energyCol(), "energy");
    p.setDefault(p.maxIter(), RecallOptions.DEFAULT_MAX_ITERATIONS);
    p.setDefault(p.tol(), 0.0);
    p.setDefault(p.memory(), "classical");
    p.setDefault(p.rule(), "hebbian");
    p.setDefault(p.subtractMean(), HebbianOptions.DEFAULTS.subtractMean());
    p.setDefault(p.zeroDiagonal(), HebbianOptions.DEFAULTS.zeroDiagonal());
    p.setDefault(p.normalize(), HebbianOptions.DEFAULTS.normalizeByPatterns());
    p.setDefault(p.preserveOnResize(), HebbianOptions.DEFAULTS.preserveOnResize());
    p.setDefault(p.weights(), "auto");
    setDynamicsDefaults(p, Dynamics.DEFAULT);
  }

  /** Defaults that describe a network: its dynamics, weights mode and last training call. */
  static void setNetworkDefaults(HopfieldMemoryParams p, AmariHopfieldNetwork net) {
    setDynamicsDefaults(p, net.dynamics());
    p.setDefault(p.weights(), net.weightsMode().id());
    List<TrainingRecord> history = net.history();
    if (history.isEmpty()) {
      return;
    }
    TrainingRecord last = history.get(history.size() - 1);
    if (RULES.contains(last.rule())) {
      p.setDefault(p.rule(), last.rule());
    }
    Map<String, String> o = last.options();
    setIfBoolean(p, p.subtractMean(), o.get("subtract_mean"));
    setIfBoolean(p, p.zeroDiagonal(), o.get("zero_diagonal"));
    setIfBoolean(p, p.normalize(), o.get("normalize_by_patterns"));
    setIfBoolean(p, p.preserveOnResize(), o.get("preserve_on_resize"));
  }

  private static void setIfBoolean(HopfieldMemoryParams p, BooleanParam param, String v) {
    if ("true".equals(v) || "false".equals(v)) {
      p.setDefault(param, Boolean.parseBoolean(v));
    }
  }

  private static void setDynamicsDefaults(HopfieldMemoryParams p, Dynamics d) {
    p.setDefault(p.activation(), d.activation().id());
    p.setDefault(p.temperature(), (double) d.temperature());
    p.setDefault(p.threshold(), (double) d.threshold());
    UpdateMode m = d.updateMode();
    p.setDefault(p.update(), m.isAsynchronous() ? "async" : "sync");
    p.setDefault(p.seed(), m instanceof UpdateMode.RandomOrder r ? r.seed() : 0L);
  }

  /**
   * Fails, naming the value, when the memory kind or rule is one this version cannot train.
   *
   * @throws IllegalArgumentException for memory {@code modern}, or a rule other than {@code
   *     hebbian} and {@code anti-hebbian}
   */
  static void checkTrainable(HopfieldMemoryParams p) {
    String memory = p.getMemory();
    if (!TRAINABLE_MEMORIES.contains(memory)) {
      throw new IllegalArgumentException(
          p.uid()
              + ": memory '"
              + memory
              + "' is not available in this version of engram-spark (available: "
              + String.join(", ", TRAINABLE_MEMORIES)
              + ")");
    }
    String rule = p.getRule();
    if (!TRAINABLE_RULES.contains(rule)) {
      throw new IllegalArgumentException(
          p.uid()
              + ": rule '"
              + rule
              + "' is not available in this version of engram-spark (available: "
              + String.join(", ", TRAINABLE_RULES)
              + ")");
    }
  }

  /** The learning rule and its options. */
  static HebbianRule learningRule(HopfieldMemoryParams p) {
    checkTrainable(p);
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
              + " is set, but update is sync; a seed needs update = async");
    }
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
