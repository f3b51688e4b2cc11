package io.engram.network;

import static io.engram.fixtures.RandomVectors.bipolar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.weights.WeightsMode;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A query caught in a cycle of two states ends without the rest of its steps, with the result it
 * would have after all of them ({@link RecallEngine}): state, steps, convergence, energy and
 * matches, for both parities of the steps left.
 */
class TwoCycleTest {

  /**
   * A step on one-value states whose orbits are known: values of 10 and more go to {@code 20 - v}
   * (10 stays: a fixed point; 11 goes to 9, 15 to 5), other values above 2 to {@code v - 1}, 2 and
   * 1 swap (the cycle every value above 0 ends in, after a transient as long as the value), 0 and
   * below stay. Its matches name the state it stepped from, its energy is {@code -v}. Counts the
   * states it steps.
   */
  static final class Orbits implements RetrievalStep {
    final boolean alone;
    final AtomicLong stepped = new AtomicLong();

    Orbits(boolean alone) {
      this.alone = alone;
    }

    static float next(float v) {
      if (v >= 10) {
        return 20 - v;
      }
      if (v > 2) {
        return v - 1;
      }
      return v == 2 ? 1 : v == 1 ? 2 : v;
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public boolean batched() {
      return true;
    }

    @Override
    public boolean energyComesWithStep() {
      return false;
    }

    @Override
    public boolean dependsOnStateAlone() {
      return alone;
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
      stepped.addAndGet(count);
      for (int c = 0; c < count; c++) {
        next[c][0] = next(cur[c][0]);
        changed[c] = next[c][0] != cur[c][0];
        if (energies != null) {
          energies[c] = -cur[c][0];
        }
        if (matches != null) {
          matches[c] = new RecallResult.Match[] {new RecallResult.Match((int) cur[c][0], 0.5f)};
        }
      }
    }

    @Override
    public long cost() {
      return 1;
    }

    @Override
    public void energies(float[][] states, int count, double[] out) {
      for (int c = 0; c < count; c++) {
        out[c] = -states[c][0];
      }
    }
  }

  /** Another step, stepping the same states, whose cycles the engine may end or not; counts. */
  static final class Counting implements RetrievalStep {
    final RetrievalStep step;
    final boolean alone;
    final AtomicLong stepped = new AtomicLong();

    Counting(RetrievalStep step, boolean alone) {
      this.step = step;
      this.alone = alone && step.dependsOnStateAlone();
    }

    @Override
    public int size() {
      return step.size();
    }

    @Override
    public boolean batched() {
      return step.batched();
    }

    @Override
    public boolean allocatesStates() {
      return step.allocatesStates();
    }

    @Override
    public boolean energyComesWithStep() {
      return step.energyComesWithStep();
    }

    @Override
    public boolean dependsOnStateAlone() {
      return alone;
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
      stepped.addAndGet(count);
      step.step(cur, next, count, queries, sweep, changed, energies, matches, topK);
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
        boolean fixedPointsOnly,
        RecallResult.Match[][] matches,
        int topK) {
      stepped.addAndGet(count);
      step.step(
          cur, next, count, queries, sweep, changed, energies, fixedPointsOnly, matches, topK);
    }

    @Override
    public long cost() {
      return step.cost();
    }

    @Override
    public void energies(float[][] states, int count, double[] out) {
      step.energies(states, count, out);
    }
  }

  /** What stepping {@code v} on to the end gives: {state, steps, converged, last match}. */
  private static float[] stepThrough(float v, int maxIt) {
    float match = Float.NaN;
    for (int s = 0; s < maxIt; s++) {
      float w = Orbits.next(v);
      match = v;
      if (w == v) {
        return new float[] {v, s + 1, 1, match};
      }
      v = w;
    }
    return new float[] {v, maxIt, 0, match};
  }

  @Test
  void aCycleEndsAtOnceWithTheResultOfEveryStep() {
    float[] starts = {0, -3, 1, 2, 3, 7, 12, 15, 10, 11, 2, 1};
    float[][] cues = new float[starts.length][];
    for (int q = 0; q < starts.length; q++) {
      cues[q] = new float[] {starts[q]};
    }
    for (int maxIt = 0; maxIt <= 23; maxIt++) {
      for (int topK : new int[] {0, 1}) {
        RecallOptions o = RecallOptions.defaults().withMaxIterations(maxIt).withTopK(topK);
        Orbits shortcut = new Orbits(true);
        List<RecallResult> got = RecallEngine.run(shortcut, cues, o);
        Orbits every = new Orbits(false);
        List<RecallResult> all = RecallEngine.run(every, cues, o);
        for (int q = 0; q < cues.length; q++) {
          float[] want = stepThrough(starts[q], maxIt);
          String what = "start " + starts[q] + ", " + maxIt + " steps, top " + topK;
          for (RecallResult r : List.of(got.get(q), all.get(q))) {
            assertEquals(want[0], r.state()[0], what + ": state");
            assertEquals((int) want[1], r.steps(), what + ": steps");
            assertEquals(want[2] == 1, r.converged(), what + ": converged");
            assertEquals(-want[0], r.energy(), what + ": energy");
            if (topK == 0 || maxIt == 0) {
              assertTrue(r.matches().isEmpty(), what);
            } else {
              assertEquals((int) want[3], r.matches().get(0).index(), what + ": match");
            }
          }
          assertTrue(got.get(q).state() != cues[q], what + ": a result is never a cue");
        }
        assertArrayEquals(new float[] {starts[0]}, cues[0]);
        if (maxIt >= 8) {
          // the four cues that start in the cycle of 1 and 2 end after three steps (the others
          // that reach it, later)
          assertTrue(
              shortcut.stepped.get() < every.stepped.get() - 4L * (maxIt - 6),
              maxIt
                  + " steps: "
                  + shortcut.stepped
                  + " states stepped, all steps "
                  + every.stepped);
        }
      }
    }
  }

  /**
   * A step listener or an energy tolerance sees every step of a cycle, in the same calls as when
   * every step runs, but the steps after the cycle is found are reported, not run; a state
   * tolerance runs every step.
   */
  @Test
  void aStepListenerOrAnEnergyToleranceSeesEveryStepOfACycleWithoutItsSteps() {
    float[] starts = {1, 11, 2, 15, 7, 0, 12};
    float[][] cues = new float[starts.length][];
    for (int q = 0; q < starts.length; q++) {
      cues[q] = new float[] {starts[q]};
    }
    for (int maxIt = 0; maxIt <= 23; maxIt++) {
      for (double tolerance : new double[] {Double.NaN, 0.5, 1.5}) {
        for (int topK : new int[] {0, 1}) {
          String what = maxIt + " steps, energy tolerance " + tolerance + ", top " + topK;
          List<List<String>> seenShort = calls(starts.length);
          List<List<String>> seenAll = calls(starts.length);
          Orbits shortcut = new Orbits(true);
          List<RecallResult> got =
              RecallEngine.run(shortcut, cues, options(maxIt, tolerance, topK, seenShort));
          Orbits every = new Orbits(false);
          List<RecallResult> all =
              RecallEngine.run(every, cues, options(maxIt, tolerance, topK, seenAll));
          for (int q = 0; q < cues.length; q++) {
            String wq = what + ", start " + starts[q];
            assertEquals(seenAll.get(q), seenShort.get(q), wq + ": the listener's calls");
            RecallResult a = all.get(q);
            RecallResult b = got.get(q);
            assertArrayEquals(a.state(), b.state(), wq);
            assertEquals(a.steps(), b.steps(), wq);
            assertEquals(a.converged(), b.converged(), wq);
            assertEquals(a.energy(), b.energy(), wq);
            assertEquals(a.matches(), b.matches(), wq);
          }
          if (maxIt >= 8 && Double.isNaN(tolerance)) {
            assertTrue(
                shortcut.stepped.get() < every.stepped.get() - 3L * (maxIt - 6),
                what + ": " + shortcut.stepped + " states stepped, all steps " + every.stepped);
          }
        }
      }
    }
    Orbits step = new Orbits(true);
    RecallEngine.run(
        step,
        new float[][] {{1}, {11}},
        RecallOptions.defaults().withStateTolerance(0.5f).withMaxIterations(30));
    assertEquals(60, step.stepped.get(), "a state tolerance runs every step");
  }

  private static List<List<String>> calls(int queries) {
    List<List<String>> l = new java.util.ArrayList<>();
    for (int q = 0; q < queries; q++) {
      l.add(java.util.Collections.synchronizedList(new java.util.ArrayList<>()));
    }
    return l;
  }

  private static RecallOptions options(
      int maxIt, double tolerance, int topK, List<List<String>> seen) {
    RecallOptions o =
        RecallOptions.defaults()
            .withMaxIterations(maxIt)
            .withTopK(topK)
            .withStepListener((q, s, e, c, d) -> seen.get(q).add(s + ":" + e + ":" + c + ":" + d));
    return Double.isNaN(tolerance) ? o : o.withEnergyTolerance(tolerance);
  }

  /**
   * A Hebbian network loaded beyond its capacity, random cues: synchronous recall falls into cycles
   * of two states, and ends them early with the results of every step (dense and low-rank weights,
   * even and odd step limits).
   */
  @Test
  void anOverloadedNetworkGivesTheSameResultsWithoutItsCycles() {
    Random rnd = new Random(5);
    int n = 120;
    float[][] x = bipolar(rnd, 40, n);
    float[][] cues = bipolar(rnd, 60, n);
    for (WeightsMode mode : new WeightsMode[] {WeightsMode.DENSE, WeightsMode.LOW_RANK}) {
      AmariHopfieldNetwork net =
          AmariHopfieldNetwork.create(
              n, Dynamics.DEFAULT.withUpdateMode(UpdateMode.synchronous()), mode);
      HebbianTrainer.create(net).train(PatternBlock.of(x));
      int cycling = 0;
      for (int maxIt : new int[] {3, 4, 9, 20, 21, 64}) {
        RecallOptions o = RecallOptions.defaults().withMaxIterations(maxIt);
        assertTrue(net.retrievalStep(o).dependsOnStateAlone(), "synchronous updates");
        Counting every = new Counting(net.retrievalStep(o), false);
        Counting shortcut = new Counting(net.retrievalStep(o), true);
        List<RecallResult> all = RecallEngine.run(every, cues, o);
        List<RecallResult> got = RecallEngine.run(shortcut, cues, o);
        long unconverged = all.stream().filter(r -> !r.converged()).count();
        if (maxIt == 64) {
          // each of them in a cycle well before step 30, ended there
          assertTrue(
              every.stepped.get() - shortcut.stepped.get() >= 34 * unconverged,
              mode + ": " + shortcut.stepped + " states stepped of " + every.stepped);
        }
        for (int q = 0; q < cues.length; q++) {
          RecallResult a = all.get(q);
          RecallResult b = got.get(q);
          String what = mode + ", " + maxIt + " steps, query " + q;
          assertArrayEquals(a.state(), b.state(), what);
          assertEquals(a.steps(), b.steps(), what);
          assertEquals(a.converged(), b.converged(), what);
          // the same bits, whichever states it was computed with (ClassicalStep.energies)
          assertEquals(a.energy(), b.energy(), what);
          if (maxIt == 64 && !b.converged()) {
            cycling++;
          }
        }
      }
      assertTrue(cycling >= 5, mode + ": only " + cycling + " of 60 queries cycle");
    }
  }

  /**
   * A modern memory's binary (polynomial) update, which can cycle too: the same states and matches.
   */
  @Test
  void aModernMemoryGivesTheSameResultsAndMatchesWithoutItsCycles() {
    Random rnd = new Random(8);
    int n = 64;
    ModernHopfieldMemory m = ModernHopfieldMemory.polynomial(n, 2);
    m.store(bipolar(rnd, 60, n));
    float[][] cues = bipolar(rnd, 80, n);
    int cycling = 0;
    for (int maxIt : new int[] {5, 8, 33}) {
      RecallOptions o = m.defaultRecallOptions().withMaxIterations(maxIt).withTopK(2);
      assertTrue(m.retrievalStep(o).dependsOnStateAlone(), "the core's scan");
      Counting every = new Counting(m.retrievalStep(o), false);
      Counting shortcut = new Counting(m.retrievalStep(o), true);
      List<RecallResult> all = RecallEngine.run(every, cues, o);
      List<RecallResult> got = RecallEngine.run(shortcut, cues, o);
      if (maxIt == 33) {
        assertTrue(
            shortcut.stepped.get() < every.stepped.get(),
            shortcut.stepped + " of " + every.stepped);
      }
      for (int q = 0; q < cues.length; q++) {
        String what = maxIt + " steps, query " + q;
        assertArrayEquals(all.get(q).state(), got.get(q).state(), what);
        assertEquals(all.get(q).steps(), got.get(q).steps(), what);
        assertEquals(all.get(q).converged(), got.get(q).converged(), what);
        assertEquals(all.get(q).matches(), got.get(q).matches(), what);
        assertEquals(all.get(q).energy(), got.get(q).energy(), what);
        if (maxIt == 33 && !got.get(q).converged()) {
          cycling++;
        }
      }
    }
    assertTrue(cycling >= 1, "no query cycles");
  }
}
