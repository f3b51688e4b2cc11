package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.RecallResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What recall --energy-plot keeps of every step: the traces of the queries the plot draws. */
class EnergyTraceTest {

  @Test
  void keepsEveryStepOfTheDrawnQueriesAndTheFinalEnergyOfTheRest() {
    int queries = Figures.MAX_ROWS + 10;
    int steps = 100;
    RecallCommand.EnergyTrace trace = new RecallCommand.EnergyTrace(queries);
    List<RecallResult> results = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      for (int it = 1; it <= steps; it++) {
        // energy after step it: -(q + it); before it: -(q + it - 1)
        trace.onStep(q, it, -(q + it), it == steps, -1);
      }
      results.add(new RecallResult(new float[1], steps, true, -(q + steps)));
    }
    List<double[]> e = trace.energies(results);
    assertEquals(queries, e.size());
    for (int q = 0; q < queries; q++) {
      if (q < Figures.MAX_ROWS) {
        double[] want = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
          want[t] = -(q + t);
        }
        assertArrayEquals(want, e.get(q), "query " + q);
      } else {
        assertArrayEquals(new double[] {-(q + steps)}, e.get(q), "query " + q);
      }
    }
  }

  /**
   * A long trace is drawn from the lowest and highest energy of each run of steps: at most {@link
   * Figures#ENERGY_POINTS} points, in step order, its envelope and its first and last step kept.
   */
  @Test
  void aLongTraceIsThinnedToItsEnvelope() {
    double[] e = new double[40_001];
    for (int t = 0; t < e.length; t++) {
      e[t] = t < 10 ? 10 - t : (t & 1) == 0 ? 0.5 : 0.25; // a transient, then a cycle of two
    }
    e[25_000] = -3; // one dip
    org.jfree.data.xy.XYSeries s = new org.jfree.data.xy.XYSeries("q", false, true);
    Figures.addThinned(s, e);
    assertTrue(s.getItemCount() <= Figures.ENERGY_POINTS + 1, "points: " + s.getItemCount());
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < s.getItemCount(); i++) {
      int t = s.getX(i).intValue();
      assertEquals(e[t], s.getY(i).doubleValue(), "step " + t);
      if (i > 0) {
        assertTrue(t > s.getX(i - 1).intValue(), "steps in order at " + i);
      }
      min = Math.min(min, e[t]);
      max = Math.max(max, e[t]);
    }
    assertEquals(-3, min);
    assertEquals(10, max);
    assertEquals(0, s.getX(0).intValue());
    assertEquals(e.length - 1, s.getX(s.getItemCount() - 1).intValue());
    // short traces are drawn whole
    org.jfree.data.xy.XYSeries whole = new org.jfree.data.xy.XYSeries("w", false, true);
    Figures.addThinned(whole, new double[] {3, 2, 1});
    assertEquals(3, whole.getItemCount());
    // and the plot of 50 such traces is drawn
    List<double[]> many = new ArrayList<>();
    for (int q = 0; q < 60; q++) {
      many.add(e);
    }
    assertEquals(800, Figures.energyPlot(many, "E").getWidth());
  }

  @Test
  void aQueryOfNoStepsHasItsFinalEnergy() {
    RecallCommand.EnergyTrace trace = new RecallCommand.EnergyTrace(2);
    trace.onStep(1, 1, -5, true, -2);
    List<double[]> e =
        trace.energies(
            List.of(
                new RecallResult(new float[1], 0, false, -7),
                new RecallResult(new float[1], 1, true, -5)));
    assertArrayEquals(new double[] {-7}, e.get(0));
    assertArrayEquals(new double[] {-3, -5}, e.get(1));
  }
}
