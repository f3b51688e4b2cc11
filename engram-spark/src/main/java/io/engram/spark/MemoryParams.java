package io.engram.spark;

import io.engram.learning.HebbianOptions;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.TrainingRecord;
import io.engram.network.UpdateMode;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;

/**
 * The definitions of {@link HopfieldMemoryParams} (names, documentation, validators, defaults),
 * shared by the estimator and the model, and the defaults that describe a trained memory. The
 * validators themselves are {@link ParamChecks}; what the parameters mean for the core, and which
 * apply to which memory kind and rule, is {@link ParamRules}.
 */
final class MemoryParams {

  /** The rules of the design, in the order the documentation lists them. */
  static final List<String> RULES = List.of("hebbian", "anti-hebbian", "pseudo-inverse", "storkey");

  static final List<String> MEMORIES = List.of("classical", "modern");
  static final List<String> SEPARATIONS = List.of("softmax", "polynomial", "rectified", "exp");
  static final List<String> ACTIVATIONS = List.of("sign", "tanh", "sigmoid");
  static final List<String> UPDATES = List.of("sync", "async");
  static final List<String> WEIGHTS = List.of("auto", "dense", "low-rank");
  static final List<String> STRATEGIES = List.of("auto", "collect", "reduce");
  static final List<String> HANDLE_INVALID = List.of("error", "skip", "keep");

  private MemoryParams() {}

  private static String options(List<String> values) {
    return " Supported options: " + String.join(", ", values) + ".";
  }

  static Param<String> featuresCol(Identifiable o) {
    return text(
        o,
        "featuresCol",
        "features column: one pattern (fit) or cue (transform) per row, all of the same length N;"
            + " array<float>, array<double>, another numeric array, or an ML Vector");
  }

  static Param<String> predictionCol(Identifiable o) {
    return text(
        o,
        "predictionCol",
        "output column: the recalled state (CANNs' predict), of the features column's type"
            + " (array<double> for array<double>, vector for vector, array<float> otherwise)");
  }

  static Param<String> stepsCol(Identifiable o) {
    return text(
        o,
        "stepsCol",
        "output column: update steps run for each query (int), including the one that confirmed"
            + " a fixed point; empty for none");
  }

  static Param<String> convergedCol(Identifiable o) {
    return text(
        o,
        "convergedCol",
        "output column: whether recall stopped at an exact fixed point or within the energy"
            + " tolerance (boolean); empty for none");
  }

  static Param<String> energyCol(Identifiable o) {
    return text(
        o,
        "energyCol",
        "output column: the energy of the recalled state, E = -1/2 s'Ws + threshold * sum(s) (modern"
            + " memory: its own energy)"
            + " (double); empty for none (recall then skips computing it)");
  }

  static IntParam maxIter(Identifiable o) {
    return new IntParam(
        o,
        "maxIter",
        "at most this many update steps per query (>= 0); recall stops earlier at an exact fixed"
            + " point, which does not change the result (engram recall --iterations). Unset on the"
            + " estimator: the memory's default, 20 (modern memory: 1)",
        ParamChecks.number(o, "maxIter", Integer.class, v -> v >= 0));
  }

  static DoubleParam tol(Identifiable o) {
    return new DoubleParam(
        o,
        "tol",
        "stop when a step changes the energy by less than this (absolute, >= 0); 0: off. For"
            + " tanh and sigmoid (engram recall --energy-tolerance)",
        ParamChecks.number(o, "tol", Double.class, v -> v >= 0 && v <= Double.MAX_VALUE));
  }

  static Param<String> memory(Identifiable o) {
    return choice(
        o,
        "memory",
        "memory kind: classical (a Hopfield network whose weights a rule learns) or modern (dense"
            + " associative memory: stores the patterns, retrieves with separation and beta)"
            + " (engram train --memory)."
            + options(MEMORIES),
        MEMORIES);
  }

  static Param<String> rule(Identifiable o) {
    return choice(
        o,
        "rule",
        "learning rule of the classical memory (engram train --rule): hebbian and anti-hebbian"
            + " reduce their sums on the cluster, pseudo-inverse reduces the P x P Gram matrix,"
            + " storkey (sequential) trains on the driver."
            + options(RULES),
        RULES);
  }

  static BooleanParam subtractMean(Identifiable o) {
    return new ParamChecks.Flag(
        o,
        "subtractMean",
        "centre the patterns by rho, the mean of all their values, before the update (engram"
            + " train --subtract-mean)");
  }

  static BooleanParam zeroDiagonal(Identifiable o) {
    return new ParamChecks.Flag(
        o,
        "zeroDiagonal",
        "set the diagonal of W to 0 after the update (engram train --zero-diagonal)");
  }

  static BooleanParam normalize(Identifiable o) {
    return new ParamChecks.Flag(
        o, "normalize", "divide the update by the number of patterns P (engram train --normalize)");
  }

  static BooleanParam preserveOnResize(Identifiable o) {
    return new ParamChecks.Flag(
        o,
        "preserveOnResize",
        "when the pattern length differs from the initial model's N, keep its top-left block of W"
            + " (engram train --preserve-on-resize)");
  }

  static Param<String> weights(Identifiable o) {
    return choice(
        o,
        "weights",
        "weight representation: auto (low-rank while the stored rank is well below N, then"
            + " dense), dense (N x N) or low-rank (the centred patterns of each call; trained on the"
            + " driver) (engram train --weights). Unset on the estimator: the initModel's, else"
            + " auto; a model's default is its network's."
            + options(WEIGHTS),
        WEIGHTS);
  }

  static Param<String> activation(Identifiable o) {
    return choice(
        o,
        "activation",
        "neuron activation: sign (sign(0) = 0), tanh(x/T) or sigmoid(x/T) (engram --activation)."
            + " Unset on the estimator: the initModel's, else sign; a model's default is its"
            + " network's."
            + options(ACTIVATIONS),
        ACTIVATIONS);
  }

  static DoubleParam temperature(Identifiable o) {
    return new DoubleParam(
        o,
        "temperature",
        "temperature T > 0 of tanh(x/T) and sigmoid(x/T), a float32 value (not one that rounds to"
            + " 0) (engram --temperature). Unset on the estimator: the initModel's, else 1; a"
            + " model's default is its network's",
        ParamChecks.number(
            o, "temperature", Double.class, v -> (float) v > 0 && v <= Float.MAX_VALUE));
  }

  static DoubleParam threshold(Identifiable o) {
    return new DoubleParam(
        o,
        "threshold",
        "threshold theta in act(W s - theta), a finite float32 value (engram --threshold). Unset"
            + " on the estimator: the initModel's, else 0; a model's default is its network's",
        ParamChecks.number(o, "threshold", Double.class, v -> Math.abs(v) <= Float.MAX_VALUE));
  }

  static Param<String> update(Identifiable o) {
    return choice(
        o,
        "update",
        "update mode: sync (all neurons at once) or async (one neuron at a time, in a random order"
            + " per sweep from seed) (engram --update). Unset on the estimator: async where a seed"
            + " is set, else the initModel's, else sync; a model's default is its network's."
            + options(UPDATES),
        UPDATES);
  }

  static LongParam seed(Identifiable o) {
    return new LongParam(
        o,
        "seed",
        "seed of the random asynchronous order; setting it implies update = async (update set"
            + " to sync wins, and the seed is ignored). With it, each row's order depends on the"
            + " row's index in the dataset (engram --seed). Unset on the estimator: no seed; a"
            + " model's default is its network's seed, where it has a random order",
        ParamChecks.number(o, "seed", Long.class, v -> true));
  }

  static DoubleParam ridge(Identifiable o) {
    return new DoubleParam(
        o,
        "ridge",
        "pseudo-inverse: ridge lambda >= 0, (X X' + lambda I)^-1 in place of (X X')^+, in the"
            + " units of the Gram matrix (engram train --ridge)",
        ParamChecks.number(o, "ridge", Double.class, v -> v >= 0 && v <= Double.MAX_VALUE));
  }

  static DoubleParam tolerance(Identifiable o) {
    return new DoubleParam(
        o,
        "tolerance",
        "pseudo-inverse: relative tolerance rcond for linear dependence, in [0, 1); NaN (the"
            + " default) for max(P, N) * 2^-23",
        ParamChecks.number(o, "tolerance", Double.class, v -> Double.isNaN(v) || v >= 0 && v < 1));
  }

  static DoubleParam beta(Identifiable o) {
    return new DoubleParam(
        o,
        "beta",
        "modern memory: inverse temperature beta > 0 of softmax and exp separation, a float32"
            + " value (not one that rounds to 0); NaN (the default) for the core's default,"
            + " 1/sqrt(N) for softmax and 1 for exp (engram train --beta)",
        ParamChecks.number(
            o,
            "beta",
            Double.class,
            v -> Double.isNaN(v) || (float) v > 0 && v <= Float.MAX_VALUE));
  }

  static Param<String> separation(Identifiable o) {
    return choice(
        o,
        "separation",
        "modern memory: softmax (continuous, any real patterns) or the binary update of +-1"
            + " patterns with F(x) = x^n (polynomial), max(x, 0)^n (rectified) or exp(beta x) (exp)"
            + " (engram train --separation)."
            + options(SEPARATIONS),
        SEPARATIONS);
  }

  static IntParam degree(Identifiable o) {
    return new IntParam(
        o,
        "degree",
        "modern memory: degree n of the polynomial and rectified separations, 2..30 (engram train"
            + " --degree)",
        ParamChecks.number(
            o, "degree", Integer.class, v -> v >= 2 && v <= ModernHopfieldMemory.MAX_DEGREE));
  }

  static Param<String> bestCol(Identifiable o) {
    return text(
        o,
        "bestCol",
        "output column of modern memory: the index of the stored pattern that weighed most in the"
            + " last step (int; -1 when no step ran); empty for none");
  }

  static Param<String> weightCol(Identifiable o) {
    return text(
        o,
        "weightCol",
        "output column of modern memory: that pattern's softmax weight (softmax, exp) or overlap"
            + " x.s/N (polynomial, rectified) (double; NaN when no step ran); empty for none");
  }

  static LongParam broadcastLimit(Identifiable o) {
    return new LongParam(
        o,
        "broadcastLimit",
        "modern memory: the most bytes of stored patterns (4 P N) broadcast to every executor;"
            + " past it the patterns stay sharded across the partitions and each retrieval step"
            + " merges the shards' partial softmax sums (log-sum-exp). Default 2^28 (256 MiB)",
        ParamChecks.number(o, "broadcastLimit", Long.class, v -> v >= 0));
  }

  static Param<String> handleInvalid(Identifiable o) {
    return choice(
        o,
        "handleInvalid",
        "transform: what a row whose features cannot be recalled (null, another length than N, a"
            + " null element, NaN or infinite, not +-1 for a binary separation) does: error fails"
            + " the job naming the row, skip leaves the row out, keep gives it null output columns"
            + " (as VectorAssembler's). fit refuses such a pattern whatever it says."
            + options(HANDLE_INVALID),
        HANDLE_INVALID);
  }

  // ---- HopfieldMemory's own (not shared with the model) ----

  static Param<String> initModel(Identifiable o) {
    return text(
        o,
        "initModel",
        "a model to continue training, as successive engram train --init calls do: a saved"
            + " HopfieldMemoryModel directory or an Engram model file (.npz); its dynamics and"
            + " weights mode apply unless set here. Empty: a new network");
  }

  static Param<String> strategy(Identifiable o) {
    return choice(
        o,
        "strategy",
        "how the outer-product sum is formed: collect (the patterns go to the driver, which"
            + " trains with the core; bit-identical), reduce (one dense N x N partial sum per"
            + " partition, summed in a tree) or auto (collect while 2P <= N and P*N <= 2^26,"
            + " else reduce). Low-rank weights are always collected. For the hebbian,"
            + " anti-hebbian and pseudo-inverse rules only (ignored by storkey, low-rank weights"
            + " and a modern memory). Supported options: auto, collect, reduce.",
        STRATEGIES);
  }

  static LongParam collectLimit(Identifiable o) {
    return new LongParam(
        o,
        "collectLimit",
        "the most bytes of patterns (4 P N) that fit collects to the driver: storkey and"
            + " pseudo-inverse always collect them, modern memory with an initModel too, and the"
            + " Hebbian rules with strategy collect or low-rank weights (strategy auto sums on"
            + " the cluster rather than collect more); past it fit fails before collecting."
            + " Default 2^30 (1 GiB)",
        ParamChecks.number(o, "collectLimit", Long.class, v -> v >= 0));
  }

  /** The defaults of the estimator's own parameters. */
  static void setEstimatorDefaults(HopfieldMemory p) {
    p.setDefault(p.initModel(), "");
    p.setDefault(p.strategy(), "auto");
    p.setDefault(p.collectLimit(), SparkRules.DEFAULT_COLLECT_LIMIT);
  }

  /** A string parameter that any value but null may take. */
  private static Param<String> text(Identifiable o, String name, String doc) {
    return new Param<>(o, name, doc, ParamChecks.Text.of(o.uid(), name, null));
  }

  /** A string parameter that takes one of {@code values}. */
  private static Param<String> choice(
      Identifiable o, String name, String doc, List<String> values) {
    return new Param<>(o, name, doc, ParamChecks.Text.of(o.uid(), name, values));
  }

  /**
   * The defaults of the shared parameters (CANNs' and the CLI's), but for those whose unset state
   * has a meaning of its own on the estimator: the dynamics ({@code activation}, {@code
   * temperature}, {@code threshold}, {@code update}: unset, the initModel's, else the core's) and
   * {@code weights} (the initModel's, else auto), {@code maxIter} (the memory's: 20 steps, one for
   * a modern memory) and {@code seed} (unset: none; set: a random asynchronous order). Leaving them
   * undefined there, as Spark leaves such parameters (a LogisticRegression's {@code thresholds}),
   * keeps them out of {@code extractParamMap()}, so that {@code copy(extractParamMap())} gives an
   * estimator that fits as the original. The model's defaults for them are its memory's ({@link
   * #setModelDefaults}).
   */
  static void setDefaults(HopfieldMemoryParams p) {
    p.setDefault(p.featuresCol(), "features");
    p.setDefault(p.predictionCol(), "prediction");
    p.setDefault(p.stepsCol(), "steps");
    p.setDefault(p.convergedCol(), "converged");
    p.setDefault(p.energyCol(), "energy");
    p.setDefault(p.tol(), 0.0);
    p.setDefault(p.memory(), "classical");
    p.setDefault(p.rule(), "hebbian");
    p.setDefault(p.subtractMean(), HebbianOptions.DEFAULTS.subtractMean());
    p.setDefault(p.zeroDiagonal(), HebbianOptions.DEFAULTS.zeroDiagonal());
    p.setDefault(p.normalize(), HebbianOptions.DEFAULTS.normalizeByPatterns());
    p.setDefault(p.preserveOnResize(), HebbianOptions.DEFAULTS.preserveOnResize());
    p.setDefault(p.ridge(), 0.0);
    p.setDefault(p.tolerance(), Double.NaN);
    p.setDefault(p.beta(), Double.NaN);
    p.setDefault(p.separation(), "softmax");
    p.setDefault(p.degree(), ModernHopfieldMemory.DEFAULT_DEGREE);
    p.setDefault(p.bestCol(), "best");
    p.setDefault(p.weightCol(), "weight");
    p.setDefault(p.broadcastLimit(), DEFAULT_BROADCAST_LIMIT);
    p.setDefault(p.handleInvalid(), "error");
  }

  /**
   * The model's defaults of the parameters {@link #setDefaults} leaves undefined, before its memory
   * sets its own: the core's dynamics (no seed), weights mode and step limit.
   */
  static void setModelDefaults(HopfieldMemoryParams p) {
    p.setDefault(p.maxIter(), RecallOptions.DEFAULT_MAX_ITERATIONS);
    p.setDefault(p.weights(), "auto");
    setDynamicsDefaults(p, Dynamics.DEFAULT);
  }

  /** The default {@code broadcastLimit}: 2^28 bytes (256 MiB). */
  static final long DEFAULT_BROADCAST_LIMIT = 1L << 28;

  /** Defaults that describe a modern memory: its kind, separation, β, degree; one step. */
  static void setModernDefaults(HopfieldMemoryParams p, ModernHopfieldMemory m) {
    p.setDefault(p.memory(), "modern");
    p.setDefault(p.separation(), m.separation().id());
    p.setDefault(p.beta(), m.separation().usesBeta() ? (double) m.beta() : Double.NaN);
    if (m.separation().usesDegree()) {
      p.setDefault(p.degree(), m.degree());
    }
    p.setDefault(p.maxIter(), m.defaultRecallOptions().maxIterations());
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
    if ("pseudo-inverse".equals(last.rule())) {
      p.setDefault(p.ridge(), Double.parseDouble(o.getOrDefault("ridge", "0")));
    }
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
    // a seed only where the network has one: a seed that is set means a random order, and a copy
    // through extractParamMap sets every defined parameter
    if (m instanceof UpdateMode.RandomOrder r) {
      p.setDefault(p.seed(), r.seed());
    }
  }
}
