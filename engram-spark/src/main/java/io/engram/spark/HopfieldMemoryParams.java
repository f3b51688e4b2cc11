package io.engram.spark;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The parameters that {@link HopfieldMemory} and {@link HopfieldMemoryModel} share, with their
 * getters. Each parameter names the {@code engram} command-line option it mirrors; {@code
 * explainParams()} prints them all with their current values. The model keeps the training
 * parameters it was fitted with (for a model read from a bare model file, those of its last
 * training call) for reference: set on a model to another value ({@code copy(ParamMap)}, a
 * pipeline's ParamMap), one is refused by {@code transformSchema} and {@code transform}, naming it,
 * as it would change nothing. Transform uses the columns, the recall limits and the dynamics, whose
 * values on a model default to the network's own and, when set, override them for recall (as the
 * flags of {@code engram recall} do).
 *
 * <p>A parameter that does not apply to the chosen memory kind or rule is ignored, as Spark's own
 * stages ignore theirs (a LinearRegression's {@code epsilon} outside the huber loss): {@code ridge}
 * and {@code tolerance} outside pseudo-inverse, {@code subtractMean} and {@code normalize} outside
 * the Hebbian rules, {@code strategy} for Storkey's rule, low-rank weights and modern memory, the
 * rule, its options and the dynamics for modern memory, {@code beta}, {@code degree}, {@code
 * bestCol}, {@code weightCol} and {@code broadcastLimit} for the classical memory, {@code beta} and
 * {@code degree} for a separation without them, a seed with {@code update = sync}. So a tuning grid
 * over rules and their options ({@code ParamGridBuilder} with CrossValidator or
 * TrainValidationSplit) fits every candidate, each with what applies to it (candidates that differ
 * only in ignored parameters fit the same memory). This differs from {@code engram train}, which
 * refuses such an option: a command line names one setting, a grid sets every option on every
 * candidate.
 *
 * <p>{@code stage.copy(stage.extractParamMap())}, as Spark's tuning, pipelines and persistence use
 * it, gives an equal stage that fits and transforms as the original: the parameters whose unset
 * state means something of its own have no default where it does (the estimator's dynamics and
 * weights, unset: the initModel's; its maxIter, unset: the memory kind's; its seed, unset: none; a
 * model's seed, where its network has no random order), so a copy leaves them unset, and the
 * others, set to their default, act as their default does.
 */
public interface HopfieldMemoryParams extends Params {

  /** Input column: one pattern (fit) or cue (transform) per row. Default {@code features}. */
  Param<String> featuresCol();

  /** Output column: the recalled state. Default {@code prediction}. */
  Param<String> predictionCol();

  /** Output column: update steps per query (int); empty for none. Default {@code steps}. */
  Param<String> stepsCol();

  /**
   * Output column: whether recall converged (boolean); empty for none. Default {@code converged}.
   */
  Param<String> convergedCol();

  /**
   * Output column: the energy of the recalled state (double); empty for none. Default {@code
   * energy}.
   */
  Param<String> energyCol();

  /**
   * At most this many update steps per query (≥ 0). No default on the estimator (unset: 20, or 1
   * for a modern memory); a model's default is its memory's.
   */
  IntParam maxIter();

  /** Energy-change tolerance (≥ 0; 0: off). Default 0. */
  DoubleParam tol();

  /** Memory kind: {@code classical} or {@code modern}. Default {@code classical}. */
  Param<String> memory();

  /**
   * Learning rule: {@code hebbian}, {@code anti-hebbian}, {@code pseudo-inverse}, {@code storkey}.
   * Default {@code hebbian}.
   */
  Param<String> rule();

  /** Centre the patterns by their mean before the update. Default true. */
  BooleanParam subtractMean();

  /** Set the diagonal of W to 0 after the update. Default true. */
  BooleanParam zeroDiagonal();

  /** Divide the update by the number of patterns P. Default true. */
  BooleanParam normalize();

  /** Keep the top-left block of W when N changes. Default true. */
  BooleanParam preserveOnResize();

  /**
   * Weight representation: {@code auto}, {@code dense}, {@code low-rank}. No default on the
   * estimator (unset: the initModel's, else {@code auto}); a model's default is its network's.
   */
  Param<String> weights();

  /**
   * Activation: {@code sign}, {@code tanh}, {@code sigmoid}. No default on the estimator (unset:
   * the initModel's, else {@code sign}); a model's default is its network's.
   */
  Param<String> activation();

  /**
   * Temperature T > 0 of tanh and sigmoid. No default on the estimator (unset: the initModel's,
   * else 1); a model's default is its network's.
   */
  DoubleParam temperature();

  /**
   * Threshold θ. No default on the estimator (unset: the initModel's, else 0); a model's default is
   * its network's.
   */
  DoubleParam threshold();

  /**
   * Update mode: {@code sync} or {@code async}. No default on the estimator (unset: async with a
   * seed, else the initModel's, else sync); a model's default is its network's. Set to {@code
   * sync}, it wins over a seed, which is then ignored.
   */
  Param<String> update();

  /**
   * Seed of the random asynchronous order; setting it implies {@code async} (unless {@code update}
   * is set to {@code sync}). No default on the estimator (unset: no seed); a model's default is its
   * network's seed where the network has a random order, else none.
   */
  LongParam seed();

  /** Pseudo-inverse ridge λ ≥ 0. Default 0. */
  DoubleParam ridge();

  /** Pseudo-inverse tolerance rcond in [0, 1), NaN for the core's default. Default NaN. */
  DoubleParam tolerance();

  /** Modern memory's β > 0, NaN for the core's default (1/√N softmax, 1 exp). Default NaN. */
  DoubleParam beta();

  /** Modern memory's separation: softmax, polynomial, rectified, exp. Default softmax. */
  Param<String> separation();

  /** Degree of the polynomial and rectified separations (2..30). Default 3. */
  IntParam degree();

  /** Output column of modern memory: the best stored pattern's index. Default {@code best}. */
  Param<String> bestCol();

  /** What transform does with a row it cannot recall: error, skip, keep. Default error. */
  Param<String> handleInvalid();

  /** Output column of modern memory: the best stored pattern's weight. Default {@code weight}. */
  Param<String> weightCol();

  /** Most bytes of modern memory's patterns broadcast; past it, sharded. Default 2^28. */
  LongParam broadcastLimit();

  /** The value of {@link #ridge()} (set, or its default). */
  default double getRidge() {
    return (Double) $(ridge());
  }

  /** The value of {@link #tolerance()} (set, or its default). */
  default double getTolerance() {
    return (Double) $(tolerance());
  }

  /** The value of {@link #beta()} (set, or its default). */
  default double getBeta() {
    return (Double) $(beta());
  }

  /** The value of {@link #separation()} (set, or its default). */
  default String getSeparation() {
    return $(separation());
  }

  /** The value of {@link #degree()} (set, or its default). */
  default int getDegree() {
    return (Integer) $(degree());
  }

  /** The value of {@link #handleInvalid()} (set, or its default). */
  default String getHandleInvalid() {
    return $(handleInvalid());
  }

  /** The value of {@link #bestCol()} (set, or its default). */
  default String getBestCol() {
    return $(bestCol());
  }

  /** The value of {@link #weightCol()} (set, or its default). */
  default String getWeightCol() {
    return $(weightCol());
  }

  /** The value of {@link #broadcastLimit()} (set, or its default). */
  default long getBroadcastLimit() {
    return (Long) $(broadcastLimit());
  }

  /** The value of {@link #featuresCol()} (set, or its default). */
  default String getFeaturesCol() {
    return $(featuresCol());
  }

  /** The value of {@link #predictionCol()} (set, or its default). */
  default String getPredictionCol() {
    return $(predictionCol());
  }

  /** The value of {@link #stepsCol()} (set, or its default). */
  default String getStepsCol() {
    return $(stepsCol());
  }

  /** The value of {@link #convergedCol()} (set, or its default). */
  default String getConvergedCol() {
    return $(convergedCol());
  }

  /** The value of {@link #energyCol()} (set, or its default). */
  default String getEnergyCol() {
    return $(energyCol());
  }

  /**
   * The value of {@link #maxIter()} (set, or its default); on an estimator where it is unset, the
   * memory's default: 20, or 1 for a modern memory (one retrieval step).
   */
  default int getMaxIter() {
    if (isDefined(maxIter())) {
      return (Integer) $(maxIter());
    }
    return "modern".equals(getMemory())
        ? 1
        : io.engram.network.RecallOptions.DEFAULT_MAX_ITERATIONS;
  }

  /** The value of {@link #tol()} (set, or its default). */
  default double getTol() {
    return (Double) $(tol());
  }

  /** The value of {@link #memory()} (set, or its default). */
  default String getMemory() {
    return $(memory());
  }

  /** The value of {@link #rule()} (set, or its default). */
  default String getRule() {
    return $(rule());
  }

  /** The value of {@link #subtractMean()} (set, or its default). */
  default boolean getSubtractMean() {
    return (Boolean) $(subtractMean());
  }

  /** The value of {@link #zeroDiagonal()} (set, or its default). */
  default boolean getZeroDiagonal() {
    return (Boolean) $(zeroDiagonal());
  }

  /** The value of {@link #normalize()} (set, or its default). */
  default boolean getNormalize() {
    return (Boolean) $(normalize());
  }

  /** The value of {@link #preserveOnResize()} (set, or its default). */
  default boolean getPreserveOnResize() {
    return (Boolean) $(preserveOnResize());
  }

  /**
   * The value of {@link #weights()} (set, or its default); on an estimator where it is unset,
   * {@code auto}, what a new network gets (with an initModel, fit keeps the initModel's).
   */
  default String getWeights() {
    return isDefined(weights()) ? $(weights()) : "auto";
  }

  /**
   * The value of {@link #activation()} (set, or its default); on an estimator where it is unset,
   * the core's default, {@code sign} (with an initModel, fit keeps the initModel's).
   */
  default String getActivation() {
    return isDefined(activation())
        ? $(activation())
        : io.engram.network.Dynamics.DEFAULT.activation().id();
  }

  /**
   * The value of {@link #temperature()} (set, or its default); on an estimator where it is unset,
   * the core's default, 1 (with an initModel, fit keeps the initModel's).
   */
  default double getTemperature() {
    return isDefined(temperature())
        ? (Double) $(temperature())
        : io.engram.network.Dynamics.DEFAULT.temperature();
  }

  /**
   * The value of {@link #threshold()} (set, or its default); on an estimator where it is unset, the
   * core's default, 0 (with an initModel, fit keeps the initModel's).
   */
  default double getThreshold() {
    return isDefined(threshold())
        ? (Double) $(threshold())
        : io.engram.network.Dynamics.DEFAULT.threshold();
  }

  /**
   * The value of {@link #update()} (set, or its default); on an estimator where it is unset, {@code
   * async} when a seed is set, else {@code sync} (with an initModel and no seed, fit keeps the
   * initModel's).
   */
  default String getUpdate() {
    if (isDefined(update())) {
      return $(update());
    }
    return isSet(seed()) ? "async" : "sync";
  }

  /**
   * The value of {@link #seed()} (set, or its default: a model's network's seed where it has a
   * random order); 0 where it is undefined (no seed: an estimator's unset, a model of a network
   * without a random order).
   */
  default long getSeed() {
    return isDefined(seed()) ? (Long) $(seed()) : 0L;
  }
}
