package io.engram.spark;

import java.io.Serializable;

/**
 * The outcome of recalling one query on a cluster: {@link io.engram.network.RecallResult} with the
 * query's id.
 *
 * @param id the query's id (its index when the queries came without ids)
 * @param state the final state (length N)
 * @param steps update steps executed, including the one that confirmed a fixed point
 * @param converged whether an exact fixed point (or the energy tolerance) stopped recall
 * @param energy the energy of the final state, as {@link io.engram.network.RecallResult#energy()};
 *     NaN when not reported
 */
public record RecalledState(long id, float[] state, int steps, boolean converged, double energy)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
