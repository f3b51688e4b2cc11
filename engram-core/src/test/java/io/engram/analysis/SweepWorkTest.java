package io.engram.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.memory.ModernHopfieldMemory;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The work a capacity sweep counts before it runs ({@link CapacitySweep#work()}, {@link WorkModel})
 * grows with N, P, the trials, the iteration bound and the rule as the kernels' arithmetic does,
 * and the measured pace ({@link CapacitySweep#calibrate}) is cheap and usable.
 */
class SweepWorkTest {

  static final MemoryFactory HEBBIAN =
      MemoryFactory.classical(HebbianRule.hebbian(HebbianOptions.DEFAULTS));
  static final MemoryFactory STORKEY = MemoryFactory.classical(StorkeyRule.create());
  static final MemoryFactory PSEUDO_INVERSE = MemoryFactory.classical(PseudoInverseRule.create());
  static final MemoryFactory MODERN =
      ((MemoryFactory)
              patterns -> {
                ModernHopfieldMemory m = ModernHopfieldMemory.softmax(patterns.length());
                m.storeRows(patterns.toArray(), patterns.count());
                return m;
              })
          .withWork(WorkModel.modern());

  static SweepWork work(MemoryFactory f, int n, int trials, int iterations, int... loads) {
    return CapacitySweep.builder(f, n)
        .loads(loads)
        .trials(trials)
        .maxIterations(iterations)
        .build()
        .work();
  }

  /**
   * The passes of a load (drawing and comparing its patterns, 6 P N) are counted in a long range:
   * as an int product they wrapped for P N over 358 million (N = 30000, P = 20000 counted
   * -694967296 of its 3.6 billion).
   */
  @Test
  void aLoadsPassesDoNotWrapAtLargePN() {
    CapacitySweep sweep = CapacitySweep.builder(MODERN, 30000).loads(20000).trials(1).build();
    double recall = sweep.work().recall()[0];
    // the recall of a load: its steps, then its passes
    assertEquals((double) CapacitySweep.PASSES * 20000 * 30000, recall - sweep.stepWork(), 1e3);
  }

  @Test
  void theRulesCountTheirKernels() {
    int n = 1000;
    // Hebbian: low-rank while 4P + 3 < 2N (storing the centred patterns, steps of 2PN), then dense
    WorkModel h = HEBBIAN.work();
    assertEquals("hebbian", h.name());
    assertEquals(2.0 * 100 * n, h.training(100, n));
    assertEquals(2.0 * 100 * n + n, h.step(100, n));
    assertEquals((double) n * n * 600 / 2 + 600.0 * n, h.training(600, n));
    assertEquals((double) n * n, h.step(600, n));
    // Storkey: two passes over the N x N matrix per pattern, dense steps
    WorkModel s = STORKEY.work();
    assertEquals(2.0 * n * n * 100 + (double) n * n, s.training(100, n));
    assertEquals((double) n * n, s.step(100, n));
    // pseudo-inverse: Gram, factor and rows O(P²N + P³), the dense matrix above N/2
    WorkModel pi = PSEUDO_INVERSE.work();
    double p = 100;
    assertEquals(p * p * n + p * p * p / 3 + p * n, pi.training(100, n));
    assertEquals(2.0 * 100 * n + n, pi.step(100, n));
    p = 800;
    assertEquals(p * p * n + p * p * p / 3 + p * n + (double) n * n * p / 2, pi.training(800, n));
    // modern: stores X, a step scores and sums all P patterns
    WorkModel m = MODERN.work();
    assertEquals(1000.0 * n, m.training(1000, n));
    assertEquals(2.0 * 1000 * n + 1000, m.step(1000, n));
    assertEquals(1, m.defaultIterations());
    assertEquals(20, h.defaultIterations());
  }

  @Test
  void workScalesWithTheSizesAsTheArithmeticDoes() {
    // trials: linear
    SweepWork one = work(HEBBIAN, 400, 1, 0, 20, 40, 80);
    SweepWork ten = work(HEBBIAN, 400, 10, 0, 20, 40, 80);
    assertEquals(10 * one.total(), ten.total(), 1e-6 * ten.total());
    // at a fixed load fraction every term grows as N³ (up to the O(PN) passes)
    for (MemoryFactory f : new MemoryFactory[] {HEBBIAN, STORKEY, PSEUDO_INVERSE, MODERN}) {
      double small = work(f, 500, 2, 0, 50, 100, 250).total();
      double large = work(f, 1000, 2, 0, 100, 200, 500).total();
      double ratio = large / small;
      assertTrue(ratio > 7.5 && ratio < 8.1, f.work().name() + ": " + ratio);
    }
    // Storkey training is linear in P; the pseudo-inverse's grows faster than P²N
    WorkModel s = STORKEY.work();
    assertEquals(2, s.training(200, 1000) / s.training(100, 1000), 0.01);
    WorkModel pi = PSEUDO_INVERSE.work();
    assertTrue(pi.training(400, 1000) / pi.training(200, 1000) > 4);
    // the Hebbian low-rank step grows with P, the dense one does not
    WorkModel h = HEBBIAN.work();
    assertEquals(2, (h.step(200, 4000) - 4000) / (h.step(100, 4000) - 4000), 1e-12);
    assertEquals(h.step(3000, 4000), h.step(3500, 4000));
    // the rules at the same sizes: Hebbian low-rank < pseudo-inverse < Storkey (dense)
    double hebb = work(HEBBIAN, 1000, 1, 0, 100).total();
    double proj = work(PSEUDO_INVERSE, 1000, 1, 0, 100).total();
    double stork = work(STORKEY, 1000, 1, 0, 100).total();
    assertTrue(hebb < proj && proj < stork, hebb + " " + proj + " " + stork);
  }

  @Test
  void recallIsCountedUpToTheIterationBound() {
    SweepWork w1 = work(STORKEY, 300, 1, 1, 30);
    SweepWork w20 = work(STORKEY, 300, 1, 20, 30);
    SweepWork dflt = work(STORKEY, 300, 1, 0, 30);
    assertEquals(w20, dflt, "0: the memory's own bound, 20 for the classical network");
    assertEquals(20, dflt.iterations());
    double perStep = (double) 30 * (300 * 300 + CapacitySweep.STEP_PASSES * 300);
    // the one-step test and the cue's steps
    assertEquals(19 * perStep, w20.recall()[0] - w1.recall()[0], 1e-6 * w20.recall()[0]);
    assertArrayEquals(w1.training(), w20.training());
    assertEquals(1, work(MODERN, 300, 1, 0, 30).iterations(), "modern: one step");
  }

  @Test
  void theLargestLoadAndItsShare() {
    SweepWork w = work(PSEUDO_INVERSE, 500, 3, 0, 50, 100, 400);
    assertEquals(2, w.largestLoad());
    double sum = 0;
    for (int l = 0; l < 3; l++) {
      sum += w.share(l);
    }
    assertEquals(1, sum, 1e-12);
    assertTrue(w.share(2) > 0.5);
    assertEquals("pseudo-inverse", w.memory());
    assertEquals(3, w.trials());
    assertEquals(w.total() / 2e9, w.seconds(2e9), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> w.seconds(0));
    assertTrue(w.totalTraining() < w.total());
  }

  @Test
  void aFactoryThatSaysNothingIsCountedAsDenseWeights() {
    MemoryFactory plain = patterns -> HEBBIAN.build(patterns);
    assertSame(WorkModel.Model.UNKNOWN, plain.work());
    assertEquals(1000.0 * 1000, plain.work().step(10, 1000));
    // and a factory made with withWork still builds the same memories
    MemoryFactory told = plain.withWork(WorkModel.hebbian());
    assertEquals("hebbian", told.work().name());
    CapacitySweep a = CapacitySweep.builder(plain, 64).loads(4, 8).trials(2).build();
    CapacitySweep b = CapacitySweep.builder(told, 64).loads(4, 8).trials(2).build();
    assertEquals(a.run().toString(), b.run().toString());
  }

  @Test
  void progressInWorkReachesTheTotal() {
    CapacitySweep sweep = CapacitySweep.builder(HEBBIAN, 100).loads(5, 10, 20).trials(3).build();
    AtomicReference<double[]> last = new AtomicReference<>();
    sweep.run(
        new CapacitySweep.Listener() {
          @Override
          public void progress(long done, long total) {}

          @Override
          public void progressWork(double done, double total) {
            double[] before = last.get();
            assertTrue(before == null || done >= before[0]);
            last.set(new double[] {done, total});
          }
        },
        null);
    assertEquals(sweep.work().total(), last.get()[1], 1e-9 * last.get()[1]);
    assertEquals(last.get()[1], last.get()[0], 1e-9 * last.get()[1]);
  }

  /**
   * The largest budget times the larger copy until its time settles, as a smaller budget does:
   * start + Long.MAX_VALUE wrapped into the past, so that copy ran once, cold (its first round,
   * whose time the JIT's compiling is part of, was taken for the pace).
   */
  @Test
  void theLargestBudgetSettlesTheLargerCopyToo() {
    java.util.Map<Integer, Integer> builds = new java.util.concurrent.ConcurrentHashMap<>();
    MemoryFactory counting = HEBBIAN;
    MemoryFactory seen =
        new MemoryFactory() {
          @Override
          public io.engram.network.Memory build(io.engram.learning.PatternBlock p) {
            builds.merge(p.length(), 1, Integer::sum);
            return counting.build(p);
          }

          @Override
          public WorkModel work() {
            return counting.work();
          }
        };
    CapacitySweep sweep = CapacitySweep.builder(seen, 256).loads(2, 4).trials(1).threads(1).build();
    CapacitySweep.Pace pace = sweep.calibrate(Long.MAX_VALUE, null);
    assertEquals(java.util.Set.of(128, 256), builds.keySet());
    // one load a round: at least two rounds, as settling needs two times to compare
    assertTrue(builds.get(256) >= 2, builds::toString);
    assertEquals(256, pace.neurons(), pace::toString);
  }

  @Test
  void calibrationIsShortAndGivesAPace() {
    CapacitySweep sweep =
        CapacitySweep.builder(HEBBIAN, 2000).loads(100, 400, 1200).trials(50).build();
    long t0 = System.nanoTime();
    CapacitySweep.Pace pace = sweep.calibrate(300_000_000L, null);
    long spent = System.nanoTime() - t0;
    assertTrue(pace.perSecond() > 0, pace::toString);
    assertTrue(pace.setupPerSecond() > 0, pace::toString);
    assertTrue(pace.neurons() == 128 || pace.neurons() == 512, pace::toString);
    // the budget is kept, give or take the last copy (machines are busy: generous)
    assertTrue(spent < 5_000_000_000L, "calibration took " + spent / 1e6 + " ms");
    assertTrue(pace.spentNanos() <= spent, pace::toString);
    assertTrue(pace.growth() >= 0 && pace.growth() <= 1, pace::toString);
    // the pace grows with N as measured, up to the saturation, not beyond
    CapacitySweep.Pace p = new CapacitySweep.Pace(1e9, 1e8, 256, 1, 0);
    assertEquals(1e9, p.perSecondAt(100));
    assertEquals(2e9, p.perSecondAt(512), 1);
    assertEquals(p.perSecondAt(CapacitySweep.PACE_SATURATION), p.perSecondAt(40000));
    assertEquals(1e9, new CapacitySweep.Pace(1e9, 1e8, 256, 0, 0).perSecondAt(4096));
    assertEquals(2e8, p.setupPerSecondAt(512), 1);
    // a pace that no calibration makes is refused, not turned into -Infinity by perSecondAt
    for (double[] bad :
        new double[][] {
          {-1, 1e8, 256, 0, 0},
          {0, 1e8, 256, 0, 0},
          {Double.NaN, 1e8, 256, 0, 0},
          {Double.POSITIVE_INFINITY, 1e8, 256, 0, 0},
          {1e9, 0, 256, 0, 0},
          {1e9, Double.NaN, 256, 0, 0},
          {1e9, 1e8, 0, 0, 0},
          {1e9, 1e8, 256, -0.5, 0},
          {1e9, 1e8, 256, 7, 0},
          {1e9, 1e8, 256, Double.NaN, 0},
          {1e9, 1e8, 256, 0, -5}
        }) {
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class,
          () -> new CapacitySweep.Pace(bad[0], bad[1], (int) bad[2], bad[3], (long) bad[4]),
          java.util.Arrays.toString(bad));
    }
    // a copy keeps the largest loads at the same fractions of N, and the trials that run at once
    CapacitySweep copy = sweep.scaledTo(200, Double.POSITIVE_INFINITY);
    assertEquals(200, copy.neurons());
    assertArrayEquals(new int[] {120}, copy.loads());
    assertEquals(Math.min(50, io.engram.Engram.parallelism()), copy.trials());
    // enormous load fractions: fewer queries first (the loads kept), then smaller loads
    CapacitySweep huge = CapacitySweep.builder(MODERN, 64).loads(200000).trials(2).build();
    CapacitySweep fewer = huge.scaledTo(64, 1e10);
    assertArrayEquals(new int[] {200000}, fewer.loads());
    assertTrue(fewer.work().total() <= 1e10 && fewer.work().total() < huge.work().total() / 10);
    CapacitySweep smaller = huge.scaledTo(64, 1e9);
    assertTrue(smaller.loads()[0] < 200000 && smaller.loads()[0] >= 25000, smaller::toString);
    assertTrue(smaller.work().total() <= 1e9);
  }

  @Test
  void theRecallAndTheRestHaveTheirOwnPace() {
    // the recall's steps and the rest (building, drawing) add up to the work; a copy that recalls
    // fewer cues keeps all of the rest and loses steps
    CapacitySweep sweep = CapacitySweep.builder(MODERN, 64).loads(20000).trials(2).build();
    SweepWork w = sweep.work();
    double steps = sweep.stepWork();
    double rest = w.total() - steps;
    assertTrue(steps > 0.99 * w.total() && rest > 0, w::toString);
    CapacitySweep fewer = sweep.scaledTo(64, 1e9);
    assertArrayEquals(new int[] {20000}, fewer.loads());
    double fewerRest = fewer.work().total() - fewer.stepWork();
    assertEquals(rest, fewerRest, 1e-9 * rest);
    assertTrue(fewerRest > 0.01 * fewer.work().total(), "the rest weighs in the copy");
    // the time at a pace: the steps at theirs, the rest at its own
    CapacitySweep.Pace pace = new CapacitySweep.Pace(1e10, 1e8, 64, 0, 0);
    assertEquals(steps / 1e10 + rest / 1e8, sweep.seconds(pace), 1e-9 * sweep.seconds(pace));
    assertThrows(
        IllegalArgumentException.class,
        () -> sweep.seconds(new CapacitySweep.Pace(1e10, 0, 64, 0, 0)));
  }
}
