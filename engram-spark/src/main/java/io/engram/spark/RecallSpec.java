package io.engram.spark;

import io.engram.network.RecallOptions;
import java.io.Serializable;

/**
 * The part of {@link RecallOptions} that travels to the executors with the tasks: the limits and
 * what to report. The dynamics (the network's, or an override) travel inside the broadcast model
 * file ({@link BroadcastNetwork}); listeners cannot run on executors and are refused earlier.
 */
final class RecallSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int maxIterations;
  private final double energyTolerance; // NaN: off
  private final boolean reportEnergy;
  private final boolean randomOrder;

  /**
   * @param randomOrder whether the effective update mode is a seeded random asynchronous order,
   *     whose permutations depend on each query's index
   */
  RecallSpec(int maxIterations, double energyTolerance, boolean reportEnergy, boolean randomOrder) {
    if (maxIterations < 0) {
      throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
    }
    this.maxIterations = maxIterations;
    this.energyTolerance = energyTolerance;
    this.reportEnergy = reportEnergy;
    this.randomOrder = randomOrder;
  }

  static RecallSpec of(RecallOptions o, boolean randomOrder) {
    return new RecallSpec(
        o.maxIterations(),
        o.hasEnergyTolerance() ? o.energyTolerance() : Double.NaN,
        o.reportEnergy(),
        randomOrder);
  }

  /** The options to run with on the executor (the broadcast network's own dynamics). */
  RecallOptions toOptions() {
    RecallOptions o =
        RecallOptions.defaults().withMaxIterations(maxIterations).withReportEnergy(reportEnergy);
    return Double.isNaN(energyTolerance) ? o : o.withEnergyTolerance(energyTolerance);
  }

  boolean randomOrder() {
    return randomOrder;
  }

  /**
   * The batch index the core gives a query with this id (only a seeded random order depends on it,
   * so other ids need not fit an int).
   *
   * @throws IllegalArgumentException for a random order and an id outside {@code 0..2^31-1}
   */
  int queryIndex(long id) {
    if (id >= 0 && id <= Integer.MAX_VALUE) {
      return (int) id;
    }
    if (randomOrder) {
      throw new IllegalArgumentException(
          "query id " + id + " is outside 0..2^31-1, needed for a seeded random async order");
    }
    return 0;
  }
}
