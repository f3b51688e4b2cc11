package io.engram.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * The outcome of recalling one query on a cluster: {@link io.engram.network.RecallResult} with the
 * query's id.
 *
 * <p>A plain final class with a record's accessors, {@code equals} (the state compared as a
 * reference, as a record compares an array component), {@code hashCode} and {@code toString}, not a
 * record: RDDs of it are serialised by the job's serializer, and Spark's Kryo (version 4, {@code
 * spark.serializer=org.apache.spark.serializer.KryoSerializer}) cannot serialise a record ("can't
 * get field offset on a record class"), so collecting {@link SparkRecall}'s results failed there.
 */
public final class RecalledState implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long id;
  private final float[] state;
  private final int steps;
  private final boolean converged;
  private final double energy;

  /**
   * @param id the query's id (its index when the queries came without ids)
   * @param state the final state (length N); kept, not copied
   * @param steps update steps executed, including the one that confirmed a fixed point
   * @param converged whether an exact fixed point (or the energy tolerance) stopped recall
   * @param energy the energy of the final state, as {@link
   *     io.engram.network.RecallResult#energy()}; NaN when not reported
   */
  public RecalledState(long id, float[] state, int steps, boolean converged, double energy) {
    this.id = id;
    this.state = state;
    this.steps = steps;
    this.converged = converged;
    this.energy = energy;
  }

  /** The query's id (its index when the queries came without ids). */
  public long id() {
    return id;
  }

  /** The final state (length N); the array itself, not a copy. */
  public float[] state() {
    return state;
  }

  /** Update steps executed, including the one that confirmed a fixed point. */
  public int steps() {
    return steps;
  }

  /** Whether an exact fixed point (or the energy tolerance) stopped recall. */
  public boolean converged() {
    return converged;
  }

  /** The energy of the final state; NaN when not reported. */
  public double energy() {
    return energy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecalledState r
        && id == r.id
        && state == r.state
        && steps == r.steps
        && converged == r.converged
        && Double.compare(energy, r.energy) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, System.identityHashCode(state), steps, converged, energy);
  }

  @Override
  public String toString() {
    return "RecalledState[id="
        + id
        + ", state="
        + state
        + ", steps="
        + steps
        + ", converged="
        + converged
        + ", energy="
        + energy
        + "]";
  }
}
