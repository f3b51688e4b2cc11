package io.engram.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capacity evidence for the Storkey and pseudo-inverse rules, measured by the lab's sweep. */
class RulesCapacityTest {

  /** The Storkey rule with its defaults (zero diagonal). */
  static MemoryFactory storkey() {
    return MemoryFactory.classical(StorkeyRule.create());
  }

  /** The pseudo-inverse rule with its defaults (zero diagonal). */
  static MemoryFactory pseudoInverse() {
    return MemoryFactory.classical(PseudoInverseRule.create());
  }

  /**
   * Storkey's share of stable patterns at N = 100 (random ±1, zero diagonal): about 1.00, 0.99,
   * 0.89 and 0.35 at P = 20, 30, 40 and 60 (the numbers of issue 11, themselves from simulation:
   * allowed four standard errors plus 0.03).
   */
  @Test
  void storkeyStableShareAtN100() {
    int[] loads = {20, 30, 40, 60};
    double[] expected = {1.00, 0.99, 0.89, 0.35};
    List<CapacityPoint> points =
        CapacitySweep.builder(storkey(), 100)
            .loads(loads)
            .trials(40)
            .flip(0)
            .maxIterations(1)
            .seed(21)
            .build()
            .run();
    for (int i = 0; i < loads.length; i++) {
      CapacitySweepTest.withinSampling(
          expected[i], points.get(i).stableFraction(), 0.03, "Storkey, P = " + loads[i]);
    }
  }

  /**
   * Every stored pattern is an exact fixed point of the pseudo-inverse rule for P &lt; N, while the
   * margin {@code 1 - P_ii} left by the zeroed diagonal is above float32 resolution: up to P = 0.9
   * N at N = 100 and 0.99 N at N = 400 (at P = 99, N = 100 the largest {@code P_ii} is about 1 -
   * 10⁻⁶ and recall in float32 keeps about 70% of the patterns; at P = N - 1 the default rank
   * tolerance also drops the Gram matrix's smallest eigenvalues; see CAPACITY.md).
   */
  @Test
  void pseudoInverseFixedPointsUpToN() {
    int n = 100;
    List<CapacityPoint> points =
        CapacitySweep.builder(pseudoInverse(), n)
            .loads(10, 30, 50, 70, 90)
            .trials(6)
            .flip(0)
            .maxIterations(1)
            .seed(22)
            .build()
            .run();
    for (CapacityPoint pt : points) {
      assertEquals(1, pt.stableFraction().mean(), "P = " + pt.patterns());
      assertEquals(0, pt.oneStepError().mean(), "P = " + pt.patterns());
    }
    // and at 0.99 N of a larger network, where the margins are about 1/100
    for (CapacityPoint pt :
        CapacitySweep.builder(pseudoInverse(), 400)
            .loads(396)
            .trials(2)
            .flip(0)
            .maxIterations(1)
            .seed(24)
            .build()
            .run()) {
      assertEquals(1, pt.stableFraction().mean(), "N = 400, P = " + pt.patterns());
    }
    // far below N the basins are wide: cues with 10% noise come back
    CapacityPoint low =
        CapacitySweep.builder(pseudoInverse(), n)
            .loads(20)
            .trials(6)
            .flip(0.1)
            .seed(23)
            .build()
            .run()
            .get(0);
    assertTrue(low.recalledFraction().mean() > 0.9, low.recalledFraction().toString());
  }
}
