package io.engram.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine tells a step when the energies of the states it changes are not needed (no step
 * listener, no energy tolerance), and then reports the energies of fixed points all the same.
 */
class FixedPointEnergiesTest {

  /**
   * {@code next = cur} with its first value halved toward 0 while above 1 (so a state becomes a
   * fixed point after a few steps); the energy of a state is its first value; records the flag it
   * was given on each call.
   */
  private static final class Halve implements RetrievalStep {
    final List<Boolean> flags = new ArrayList<>();

    @Override
    public int size() {
      return 2;
    }

    @Override
    public boolean batched() {
      return true;
    }

    @Override
    public boolean energyComesWithStep() {
      return true;
    }

    @Override
    public void step(
        float[][] cur,
        float[][] next,
        int count,
        int[] queries,
        int sweep,
        boolean[] changed,
        double[] energies,
        RecallResult.Match[][] matches,
        int topK) {
      step(cur, next, count, queries, sweep, changed, energies, false, matches, topK);
    }

    @Override
    public synchronized void step(
        float[][] cur,
        float[][] next,
        int count,
        int[] queries,
        int sweep,
        boolean[] changed,
        double[] energies,
        boolean fixedPointsOnly,
        RecallResult.Match[][] matches,
        int topK) {
      flags.add(fixedPointsOnly);
      for (int c = 0; c < count; c++) {
        next[c][0] = cur[c][0] > 1 ? cur[c][0] / 2 : cur[c][0];
        next[c][1] = cur[c][1];
        changed[c] = next[c][0] != cur[c][0];
        if (energies != null) {
          energies[c] = fixedPointsOnly && changed[c] ? Float.NaN : cur[c][0];
        }
      }
    }

    @Override
    public long cost() {
      return 2;
    }

    @Override
    public void energies(float[][] states, int count, double[] out) {
      for (int c = 0; c < count; c++) {
        out[c] = states[c][0];
      }
    }
  }

  private static final float[][] CUES = {{8, 0}, {1, 0}, {2, 0}};

  @Test
  void withoutListenerOrToleranceOnlyFixedPointsNeedTheirEnergy() {
    Halve step = new Halve();
    List<RecallResult> rs =
        RecallEngine.run(step, CUES, RecallOptions.defaults().withMaxIterations(10));
    assertFalse(step.flags.isEmpty());
    assertTrue(step.flags.stream().allMatch(f -> f), "every call told: " + step.flags);
    // 8 -> 4 -> 2 -> 1, a fixed point confirmed by the fourth step; 1 at once; 2 -> 1 in two
    float[] energy = {1, 1, 1};
    int[] steps = {4, 1, 2};
    for (int q = 0; q < 3; q++) {
      assertTrue(rs.get(q).converged());
      assertEquals(steps[q], rs.get(q).steps(), "query " + q);
      assertEquals(energy[q], rs.get(q).energy(), "query " + q + ": a fixed point's energy");
    }
    // out of steps: the final energy still comes from energies(), not from a skipped one
    Halve two = new Halve();
    RecallResult r =
        RecallEngine.run(two, CUES, RecallOptions.defaults().withMaxIterations(2)).get(0);
    assertFalse(r.converged());
    assertEquals(2f, r.energy());
  }

  @Test
  void aStepListenerOrAnEnergyToleranceGetsEveryEnergy() {
    Halve listened = new Halve();
    List<Double> seen = new ArrayList<>();
    RecallEngine.run(
        listened,
        CUES,
        RecallOptions.defaults()
            .withMaxIterations(10)
            .withStepListener((q, it, e, conv, change) -> seen.add(e)));
    assertTrue(listened.flags.stream().noneMatch(f -> f), "listener: " + listened.flags);
    assertTrue(seen.stream().noneMatch(e -> e.isNaN()), "energies seen: " + seen);
    Halve tolerant = new Halve();
    RecallEngine.run(
        tolerant, CUES, RecallOptions.defaults().withMaxIterations(10).withEnergyTolerance(1e-3));
    assertTrue(tolerant.flags.stream().noneMatch(f -> f), "tolerance: " + tolerant.flags);
  }
}
