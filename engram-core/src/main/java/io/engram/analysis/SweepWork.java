package io.engram.analysis;

import java.util.Objects;

/**
 * The work of a capacity sweep in multiply-adds, counted from its sizes before it runs ({@link
 * CapacitySweep#work()}), per load and summed over the trials: building the memory ({@code
 * training}) and recalling from it ({@code recall}: the one-step test from every stored pattern and
 * up to the iteration bound from every cue, as though no recall stopped early, plus the sweep's own
 * passes over the patterns). Recall that stops early at a fixed point or a cycle makes the real
 * arithmetic smaller; a measured pace ({@link CapacitySweep#calibrate}) takes that into account.
 *
 * @param memory the memory's name ({@link WorkModel#name()})
 * @param loads the loads, in order
 * @param trials trials per load
 * @param iterations the bound on the steps of one recall from a cue
 * @param training multiply-adds of training at each load, all trials
 * @param recall multiply-adds of recall at each load, all trials
 */
public record SweepWork(
    String memory, int[] loads, int trials, int iterations, double[] training, double[] recall) {

  /**
   * Checks and copies the arrays.
   *
   * @throws IllegalArgumentException if there are no loads, a load is below 1 or not above the one
   *     before it (as {@link CapacitySweep.Builder#build} requires), the arrays' lengths differ,
   *     trials is below 1, iterations is negative, or a count of work is NaN, infinite or negative
   *     (e.g. from a {@link WorkModel} of the caller's: a sweep's time came out NaN)
   */
  public SweepWork {
    Objects.requireNonNull(memory, "memory");
    loads = Objects.requireNonNull(loads, "loads").clone();
    training = Objects.requireNonNull(training, "training").clone();
    recall = Objects.requireNonNull(recall, "recall").clone();
    if (loads.length == 0) {
      // (was taken: a work of nothing whose largest load was P = 0)
      throw new IllegalArgumentException("no loads (numbers of patterns)");
    }
    for (int l = 0; l < loads.length; l++) {
      // (loads 2, 1 were taken, and described as "2 loads up to P = 1")
      if (loads[l] < 1 || l > 0 && loads[l] <= loads[l - 1]) {
        throw new IllegalArgumentException(
            "loads must be >= 1 and increase without repeats, got "
                + java.util.Arrays.toString(loads));
      }
    }
    if (training.length != loads.length || recall.length != loads.length) {
      throw new IllegalArgumentException("one training and one recall count per load");
    }
    if (trials < 1 || iterations < 0) {
      throw new IllegalArgumentException(
          "need trials >= 1 and iterations >= 0, got " + trials + " and " + iterations);
    }
    for (int l = 0; l < loads.length; l++) {
      checkCount(memory, "training", loads[l], training[l]);
      checkCount(memory, "recall", loads[l], recall[l]);
    }
  }

  private static void checkCount(String memory, String part, int load, double count) {
    if (!(count >= 0) || count == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(
          part
              + " work of "
              + memory
              + " at load P = "
              + load
              + " is "
              + count
              + ", expected a finite number >= 0");
    }
  }

  /** The loads (a copy). */
  @Override
  public int[] loads() {
    return loads.clone();
  }

  /** Training work per load (a copy). */
  @Override
  public double[] training() {
    return training.clone();
  }

  /** Recall work per load (a copy). */
  @Override
  public double[] recall() {
    return recall.clone();
  }

  /** All of it: training and recall at every load. */
  public double total() {
    double s = 0;
    for (int l = 0; l < loads.length; l++) {
      s += training[l] + recall[l];
    }
    return s;
  }

  /** The training work of every load together. */
  public double totalTraining() {
    double s = 0;
    for (double t : training) {
      s += t;
    }
    return s;
  }

  /** The index of the load with the most work (the first of equals). */
  public int largestLoad() {
    int best = 0;
    for (int l = 1; l < loads.length; l++) {
      if (training[l] + recall[l] > training[best] + recall[best]) {
        best = l;
      }
    }
    return best;
  }

  /**
   * The share of the whole work done at load {@code l}, in [0, 1] (0 for work of nothing).
   *
   * @param l the load's index, in {@code 0..loads().length-1}
   * @throws IllegalArgumentException if {@code l} is outside that range (it was an index exception
   *     naming no argument, or 0 for work of nothing)
   */
  public double share(int l) {
    if (l < 0 || l >= loads.length) {
      throw new IllegalArgumentException(
          "load index l is " + l + ", expected 0.." + (loads.length - 1) + " (one per load)");
    }
    double t = total();
    return t > 0 ? (training[l] + recall[l]) / t : 0;
  }

  /**
   * The seconds this work takes at a pace of {@code perSecond} multiply-adds a second.
   *
   * @throws IllegalArgumentException if the pace is not a finite number > 0 (as {@link
   *     CapacitySweep.Pace} requires; an infinite one gave 0 seconds)
   */
  public double seconds(double perSecond) {
    if (!(perSecond > 0) || perSecond == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("pace must be a finite number > 0, got " + perSecond);
    }
    return total() / perSecond;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SweepWork w
        && memory.equals(w.memory)
        && trials == w.trials
        && iterations == w.iterations
        && java.util.Arrays.equals(loads, w.loads)
        && java.util.Arrays.equals(training, w.training)
        && java.util.Arrays.equals(recall, w.recall);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        memory,
        trials,
        iterations,
        java.util.Arrays.hashCode(loads),
        java.util.Arrays.hashCode(training),
        java.util.Arrays.hashCode(recall));
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "SweepWork[%s, %d loads up to P = %d, %d trials, %d iterations: %.3g multiply-adds"
            + " (training %.3g)]",
        memory,
        loads.length,
        loads.length == 0 ? 0 : loads[loads.length - 1],
        trials,
        iterations,
        total(),
        totalTraining());
  }
}
