package io.engram.network;

/**
 * Options for one recall or batch recall. Immutable; {@code with*} return modified copies.
 *
 * <ul>
 *   <li>{@code maxIterations} (default 20, CANNs' {@code num_iter}): at most this many steps.
 *   <li>{@code energyTolerance} (default off): opt-in early stop when {@code |ΔE| < tolerance}
 *       after a step, CANNs' {@code convergence_threshold}; meant for tanh/sigmoid. The exact
 *       fixed-point stop is always on; it never changes the result.
 *   <li>{@code stateTolerance} (default off): opt-in early stop when no value of the state moves by
 *       the tolerance or more, for continuous memories.
 *   <li>{@code topK} (default 1): best-matching stored patterns reported per query by memories that
 *       keep their patterns.
 *   <li>{@code dynamics} (default: the network's own): override activation, temperature, threshold
 *       or update mode for this call only.
 *   <li>{@code stepListener} / {@code queryListener}: progress reporting.
 *   <li>{@code reportEnergy} (default true): compute the final energy of each query.
 * </ul>
 *
 * <p>{@link #toString} shows the settings. {@code equals} and {@code hashCode} are identity (those
 * of {@link Object}): the options carry listeners, which are behaviour with no value to compare,
 * and are made for one call, not kept as keys; compare the getters to compare settings.
 */
public final class RecallOptions {

  /** CANNs' default {@code num_iter}. */
  public static final int DEFAULT_MAX_ITERATIONS = 20;

  private static final RecallOptions DEFAULTS =
      new RecallOptions(DEFAULT_MAX_ITERATIONS, Double.NaN, Double.NaN, 1, null, null, null, true);

  private final int maxIterations;
  private final double energyTolerance;
  private final double stateTolerance;
  private final int topK;
  private final Dynamics dynamics;
  private final StepListener stepListener;
  private final QueryListener queryListener;
  private final boolean reportEnergy;

  private RecallOptions(
      int maxIterations,
      double energyTolerance,
      double stateTolerance,
      int topK,
      Dynamics dynamics,
      StepListener stepListener,
      QueryListener queryListener,
      boolean reportEnergy) {
    this.maxIterations = maxIterations;
    this.energyTolerance = energyTolerance;
    this.stateTolerance = stateTolerance;
    this.topK = topK;
    this.dynamics = dynamics;
    this.stepListener = stepListener;
    this.queryListener = queryListener;
    this.reportEnergy = reportEnergy;
  }

  /** The defaults: 20 iterations, no tolerance stop, the network's dynamics, no listeners. */
  public static RecallOptions defaults() {
    return DEFAULTS;
  }

  /**
   * At most this many update steps.
   *
   * @throws IllegalArgumentException if negative
   */
  public RecallOptions withMaxIterations(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("maxIterations must be >= 0, got " + n);
    }
    return new RecallOptions(
        n,
        energyTolerance,
        stateTolerance,
        topK,
        dynamics,
        stepListener,
        queryListener,
        reportEnergy);
  }

  /**
   * Stop when a step changes the energy by less than {@code tolerance} (absolute).
   *
   * @throws IllegalArgumentException unless {@code tolerance} is finite and > 0
   */
  public RecallOptions withEnergyTolerance(double tolerance) {
    if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
      throw new IllegalArgumentException(
          "energy tolerance must be a finite number > 0, got " + tolerance);
    }
    return new RecallOptions(
        maxIterations,
        tolerance,
        stateTolerance,
        topK,
        dynamics,
        stepListener,
        queryListener,
        reportEnergy);
  }

  /** Switches the energy tolerance stop off again. */
  public RecallOptions withoutEnergyTolerance() {
    return new RecallOptions(
        maxIterations,
        Double.NaN,
        stateTolerance,
        topK,
        dynamics,
        stepListener,
        queryListener,
        reportEnergy);
  }

  /**
   * Stop when a step moves no value of the state by {@code tolerance} or more ({@code max |Δξ_i| <
   * tolerance}), for continuous memories (modern Hopfield retrieval); counts as converged.
   *
   * @throws IllegalArgumentException unless {@code tolerance} is finite and > 0
   */
  public RecallOptions withStateTolerance(double tolerance) {
    if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
      throw new IllegalArgumentException(
          "state tolerance must be a finite number > 0, got " + tolerance);
    }
    return new RecallOptions(
        maxIterations,
        energyTolerance,
        tolerance,
        topK,
        dynamics,
        stepListener,
        queryListener,
        reportEnergy);
  }

  /**
   * How many best-matching stored patterns to report per query, for memories that keep their
   * patterns (default 1; 0 for none).
   *
   * @throws IllegalArgumentException if negative
   */
  public RecallOptions withTopK(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("top-k must be >= 0, got " + k);
    }
    return new RecallOptions(
        maxIterations,
        energyTolerance,
        stateTolerance,
        k,
        dynamics,
        stepListener,
        queryListener,
        reportEnergy);
  }

  /** Use these dynamics instead of the network's (null: the network's). */
  public RecallOptions withDynamics(Dynamics d) {
    return new RecallOptions(
        maxIterations,
        energyTolerance,
        stateTolerance,
        topK,
        d,
        stepListener,
        queryListener,
        reportEnergy);
  }

  /** Per-step progress (null: none). */
  public RecallOptions withStepListener(StepListener l) {
    return new RecallOptions(
        maxIterations,
        energyTolerance,
        stateTolerance,
        topK,
        dynamics,
        l,
        queryListener,
        reportEnergy);
  }

  /** Per-query progress (null: none). */
  public RecallOptions withQueryListener(QueryListener l) {
    return new RecallOptions(
        maxIterations,
        energyTolerance,
        stateTolerance,
        topK,
        dynamics,
        stepListener,
        l,
        reportEnergy);
  }

  /** Whether to compute each query's final energy (false: {@link RecallResult#energy()} is NaN). */
  public RecallOptions withReportEnergy(boolean report) {
    return new RecallOptions(
        maxIterations,
        energyTolerance,
        stateTolerance,
        topK,
        dynamics,
        stepListener,
        queryListener,
        report);
  }

  public int maxIterations() {
    return maxIterations;
  }

  /** The tolerance, or NaN when the tolerance stop is off. */
  public double energyTolerance() {
    return energyTolerance;
  }

  public boolean hasEnergyTolerance() {
    return !Double.isNaN(energyTolerance);
  }

  /** The state tolerance, or NaN when that stop is off. */
  public double stateTolerance() {
    return stateTolerance;
  }

  public boolean hasStateTolerance() {
    return !Double.isNaN(stateTolerance);
  }

  /** Best-matching stored patterns to report per query (memories that keep patterns). */
  public int topK() {
    return topK;
  }

  /** The override, or null. */
  public Dynamics dynamics() {
    return dynamics;
  }

  public StepListener stepListener() {
    return stepListener;
  }

  public QueryListener queryListener() {
    return queryListener;
  }

  public boolean reportEnergy() {
    return reportEnergy;
  }

  /**
   * The settings, e.g. {@code RecallOptions[maxIterations=20, energyTolerance=off,
   * stateTolerance=off, topK=1, dynamics=the network's, stepListener=none, queryListener=none,
   * reportEnergy=true]}: a tolerance that is on as its value, an override of the dynamics as {@link
   * Dynamics#toString}, a listener as {@code set} or {@code none} (not its class and identity
   * hash).
   */
  @Override
  public String toString() {
    return "RecallOptions[maxIterations="
        + maxIterations
        + ", energyTolerance="
        + (hasEnergyTolerance() ? String.valueOf(energyTolerance) : "off")
        + ", stateTolerance="
        + (hasStateTolerance() ? String.valueOf(stateTolerance) : "off")
        + ", topK="
        + topK
        + ", dynamics="
        + (dynamics == null ? "the network's" : dynamics)
        + ", stepListener="
        + (stepListener == null ? "none" : "set")
        + ", queryListener="
        + (queryListener == null ? "none" : "set")
        + ", reportEnergy="
        + reportEnergy
        + "]";
  }
}
