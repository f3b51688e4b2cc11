package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
