package io.engram.spark;

import java.util.Objects;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;

/**
 * The parameters of {@link HopfieldMemoryModel}: their fields, made for the model's uid, and their
 * accessors (Spark finds a stage's parameters through its public no-argument methods that return a
 * {@link Param}; javac gives the public model a public bridge for each, as this class is
 * package-private). The model adds its memory, the setters, transform and persistence; the
 * definitions are in {@link MemoryParams}, the defaults are set by the model from its memory.
 */
abstract class HopfieldMemoryModelBase extends Model<HopfieldMemoryModel>
    implements HopfieldMemoryParams {
  private static final long serialVersionUID = 1L;

  private final String uid;

  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> stepsCol;
  private final Param<String> convergedCol;
  private final Param<String> energyCol;
  private final IntParam maxIter;
  private final DoubleParam tol;
  private final Param<String> memory;
  private final Param<String> rule;
  private final BooleanParam subtractMean;
  private final BooleanParam zeroDiagonal;
  private final BooleanParam normalize;
  private final BooleanParam preserveOnResize;
  private final Param<String> weights;
  private final Param<String> activation;
  private final DoubleParam temperature;
  private final DoubleParam threshold;
  private final Param<String> update;
  private final LongParam seed;
  private final DoubleParam ridge;
  private final DoubleParam tolerance;
  private final DoubleParam beta;
  private final Param<String> separation;
  private final IntParam degree;
  private final Param<String> bestCol;
  private final Param<String> handleInvalid;
  private final Param<String> weightCol;
  private final LongParam broadcastLimit;

  /**
   * The parameters of a model with this uid. Each parameter names this object as its parent, as
   * Spark's own stages' do (so {@code this} escapes by design: javac 21+ warns of it).
   */
  @SuppressWarnings("this-escape")
  HopfieldMemoryModelBase(String uid) {
    this.uid = Objects.requireNonNull(uid, "uid");
    featuresCol = MemoryParams.featuresCol(this);
    predictionCol = MemoryParams.predictionCol(this);
    stepsCol = MemoryParams.stepsCol(this);
    convergedCol = MemoryParams.convergedCol(this);
    energyCol = MemoryParams.energyCol(this);
    maxIter = MemoryParams.maxIter(this);
    tol = MemoryParams.tol(this);
    memory = MemoryParams.memory(this);
    rule = MemoryParams.rule(this);
    subtractMean = MemoryParams.subtractMean(this);
    zeroDiagonal = MemoryParams.zeroDiagonal(this);
    normalize = MemoryParams.normalize(this);
    preserveOnResize = MemoryParams.preserveOnResize(this);
    weights = MemoryParams.weights(this);
    activation = MemoryParams.activation(this);
    temperature = MemoryParams.temperature(this);
    threshold = MemoryParams.threshold(this);
    update = MemoryParams.update(this);
    seed = MemoryParams.seed(this);
    ridge = MemoryParams.ridge(this);
    tolerance = MemoryParams.tolerance(this);
    beta = MemoryParams.beta(this);
    separation = MemoryParams.separation(this);
    degree = MemoryParams.degree(this);
    bestCol = MemoryParams.bestCol(this);
    handleInvalid = MemoryParams.handleInvalid(this);
    weightCol = MemoryParams.weightCol(this);
    broadcastLimit = MemoryParams.broadcastLimit(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Param<String> featuresCol() {
    return featuresCol;
  }

  @Override
  public Param<String> predictionCol() {
    return predictionCol;
  }

  @Override
  public Param<String> stepsCol() {
    return stepsCol;
  }

  @Override
  public Param<String> convergedCol() {
    return convergedCol;
  }

  @Override
  public Param<String> energyCol() {
    return energyCol;
  }

  @Override
  public IntParam maxIter() {
    return maxIter;
  }

  @Override
  public DoubleParam tol() {
    return tol;
  }

  @Override
  public Param<String> memory() {
    return memory;
  }

  @Override
  public Param<String> rule() {
    return rule;
  }

  @Override
  public BooleanParam subtractMean() {
    return subtractMean;
  }

  @Override
  public BooleanParam zeroDiagonal() {
    return zeroDiagonal;
  }

  @Override
  public BooleanParam normalize() {
    return normalize;
  }

  @Override
  public BooleanParam preserveOnResize() {
    return preserveOnResize;
  }

  @Override
  public Param<String> weights() {
    return weights;
  }

  @Override
  public Param<String> activation() {
    return activation;
  }

  @Override
  public DoubleParam temperature() {
    return temperature;
  }

  @Override
  public DoubleParam threshold() {
    return threshold;
  }

  @Override
  public Param<String> update() {
    return update;
  }

  @Override
  public LongParam seed() {
    return seed;
  }

  @Override
  public DoubleParam ridge() {
    return ridge;
  }

  @Override
  public DoubleParam tolerance() {
    return tolerance;
  }

  @Override
  public DoubleParam beta() {
    return beta;
  }

  @Override
  public Param<String> separation() {
    return separation;
  }

  @Override
  public IntParam degree() {
    return degree;
  }

  @Override
  public Param<String> bestCol() {
    return bestCol;
  }

  @Override
  public Param<String> handleInvalid() {
    return handleInvalid;
  }

  @Override
  public Param<String> weightCol() {
    return weightCol;
  }

  @Override
  public LongParam broadcastLimit() {
    return broadcastLimit;
  }
}
