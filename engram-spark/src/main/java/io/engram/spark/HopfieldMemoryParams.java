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
 * training call) for reference; transform uses the columns, the recall limits and the dynamics,
 * whose values on a model default to the network's own and, when set, override them for recall (as
 * the flags of {@code engram recall} do).
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

  /** At most this many update steps per query (≥ 0). Default 20. */
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

  /** Weight representation: {@code auto}, {@code dense}, {@code low-rank}. Default {@code auto}. */
  Param<String> weights();

  /** Activation: {@code sign}, {@code tanh}, {@code sigmoid}. Default {@code sign}. */
  Param<String> activation();

  /** Temperature T > 0 of tanh and sigmoid. Default 1. */
  DoubleParam temperature();

  /** Threshold θ. Default 0. */
  DoubleParam threshold();

  /** Update mode: {@code sync} or {@code async}. Default {@code sync}. */
  Param<String> update();

  /** Seed of the random asynchronous order; setting it implies {@code async}. Default 0. */
  LongParam seed();

  default String getFeaturesCol() {
    return $(featuresCol());
  }

  default String getPredictionCol() {
    return $(predictionCol());
  }

  default String getStepsCol() {
    return $(stepsCol());
  }

  default String getConvergedCol() {
    return $(convergedCol());
  }

  default String getEnergyCol() {
    return $(energyCol());
  }

  default int getMaxIter() {
    return (Integer) $(maxIter());
  }

  default double getTol() {
    return (Double) $(tol());
  }

  default String getMemory() {
    return $(memory());
  }

  default String getRule() {
    return $(rule());
  }

  default boolean getSubtractMean() {
    return (Boolean) $(subtractMean());
  }

  default boolean getZeroDiagonal() {
    return (Boolean) $(zeroDiagonal());
  }

  default boolean getNormalize() {
    return (Boolean) $(normalize());
  }

  default boolean getPreserveOnResize() {
    return (Boolean) $(preserveOnResize());
  }

  default String getWeights() {
    return $(weights());
  }

  default String getActivation() {
    return $(activation());
  }

  default double getTemperature() {
    return (Double) $(temperature());
  }

  default double getThreshold() {
    return (Double) $(threshold());
  }

  default String getUpdate() {
    return $(update());
  }

  default long getSeed() {
    return (Long) $(seed());
  }
}
