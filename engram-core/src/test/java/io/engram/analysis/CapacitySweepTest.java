package io.engram.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.Engram;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The capacity sweep reproduces the published numbers for the Hebbian rule within sampling error
 * (fixed seeds; each check allows four standard errors of the trial mean, so a correct
 * implementation fails about once in 10⁴ per check), and behaves as a long computation should:
 * reproducible on any number of threads, progress, cancellation, clear errors.
 */
class CapacitySweepTest {

  /** The textbook rule: W = Σ ξξᵀ with a zero diagonal (integer weights, exact fields). */
  static final MemoryFactory TEXTBOOK =
      MemoryFactory.classical(HebbianRule.hebbian(new HebbianOptions(false, true, false, true)));

  /** CANNs' and engram train's defaults: mean subtracted, zero diagonal, 1/P. */
  static final MemoryFactory CANNS =
      MemoryFactory.classical(HebbianRule.hebbian(HebbianOptions.DEFAULTS));

  /** The standard error of the trial mean behind an estimate. */
  static double standardError(Estimate e) {
    return e.halfWidth() / SpecialFunctions.studentQuantile(0.95, e.trials() - 1);
  }

  /** The measured mean lies within four standard errors (plus {@code slack}) of the theory. */
  static void withinSampling(double expected, Estimate e, double slack, String what) {
    double bound = 4 * standardError(e) + slack;
    assertTrue(
        Math.abs(e.mean() - expected) <= bound,
        what + ": measured " + e.mean() + " ± " + e.halfWidth() + ", theory " + expected);
  }

  @Test
  void oneStepErrorMatchesTheExactBinomialTail() {
    int n = 400;
    // P/N = 0.105, 0.1375, 0.185, 0.37, 0.61: the textbook table's loads
    int[] loads = {42, 55, 74, 148, 244};
    List<CapacityPoint> points =
        CapacitySweep.builder(TEXTBOOK, n)
            .loads(loads)
            .trials(16)
            .flip(0)
            .maxIterations(1)
            .seed(11)
            .build()
            .run();
    for (CapacityPoint pt : points) {
      double exact = CapacityTheory.oneStepErrorExact(n, pt.patterns());
      withinSampling(exact, pt.oneStepError(), 0, "P = " + pt.patterns());
      assertEquals(16, pt.trials());
      // with a single step from the pattern, "recalled" is "stable"
      assertEquals(pt.stableFraction(), pt.recalledFraction());
    }
  }

  @Test
  void smallNetworksFollowTheExactTailNotTheLargeNLimit() {
    int n = 100;
    int p = 14;
    CapacityPoint pt =
        CapacitySweep.builder(TEXTBOOK, n)
            .loads(p)
            .trials(300)
            .flip(0)
            .maxIterations(1)
            .seed(3)
            .build()
            .run()
            .get(0);
    Estimate e = pt.oneStepError();
    withinSampling(CapacityTheory.oneStepErrorExact(n, p), e, 0, "exact tail");
    double limit = CapacityTheory.oneStepError(n, p);
    assertTrue(
        Math.abs(e.mean() - limit) > 3 * standardError(e),
        "the large-N limit " + limit + " is resolved from " + e);
  }

  @Test
  void meanSubtractionMakesNoMeasurableDifferenceForUnbiasedPatterns() {
    int n = 400;
    int[] loads = {55, 74, 148};
    for (MemoryFactory f : List.of(TEXTBOOK, CANNS)) {
      List<CapacityPoint> points =
          CapacitySweep.builder(f, n)
              .loads(loads)
              .trials(16)
              .flip(0)
              .maxIterations(1)
              .seed(5)
              .build()
              .run();
      for (CapacityPoint pt : points) {
        withinSampling(
            CapacityTheory.oneStepErrorExact(n, pt.patterns()),
            pt.oneStepError(),
            0,
            (f == CANNS ? "mean subtracted" : "textbook") + ", P = " + pt.patterns());
      }
    }
  }

  @Test
  void overlapFollowsAgsBelowTheCriticalLoadAndCollapsesAbove() {
    int n = 500;
    List<CapacityPoint> points =
        CapacitySweep.builder(TEXTBOOK, n).loads(50, 100).trials(8).flip(0).seed(7).build().run();
    CapacityPoint below = points.get(0);
    // alpha = 0.10: AGS m = 0.998; finite N = 500 adds at most a few 1e-4
    withinSampling(CapacityTheory.agsOverlap(0.10), below.meanOverlap(), 5e-4, "alpha 0.10");
    CapacityPoint above = points.get(1);
    // alpha = 0.20 > alpha_c: no retrieval state (the smallest retrieval overlap is 0.967)
    assertEquals(0, CapacityTheory.agsOverlap(0.20));
    assertTrue(above.meanOverlap().high() < 0.8, "collapse: " + above.meanOverlap());
    assertTrue(above.stableFraction().high() < 0.05, "no fixed points: " + above.stableFraction());
    assertTrue(below.recalledFraction().mean() > 0.3, "below: " + below.recalledFraction());
  }

  @Test
  void theResultDependsOnTheSeedOnlyNotOnThreads() {
    CapacitySweep.Builder b =
        CapacitySweep.builder(CANNS, 200).loads(10, 25, 40).trials(4).flip(0.15).seed(99);
    List<CapacityPoint> one = b.threads(1).build().run();
    assertEquals(one, b.threads(2).build().run());
    assertEquals(one, b.threads(4).build().run());
    assertEquals(one, b.threads(2).build().run(), "run again");
    // a single trial runs its kernels on all threads; inside sequentially on one
    CapacitySweep single = b.trials(1).build();
    assertEquals(single.run(), Engram.sequentially(single::run));
    assertNotEquals(one, b.trials(4).seed(100).build().run());
  }

  @Test
  void progressCountsStoredPatternsUpToTheTotal() {
    CapacitySweep s = CapacitySweep.builder(CANNS, 100).loads(5, 10, 20).trials(3).build();
    assertEquals(105, s.totalWork());
    List<long[]> calls = new ArrayList<>();
    s.run((done, total) -> calls.add(new long[] {done, total}), null);
    assertEquals(9, calls.size());
    long previous = 0;
    for (long[] c : calls) {
      assertTrue(c[0] > previous && c[1] == 105);
      previous = c[0];
    }
    assertEquals(105, previous);
  }

  @Test
  void cancellingReturnsNothing() throws InterruptedException {
    for (int threads : new int[] {1, 2}) {
      CapacitySweep s =
          CapacitySweep.builder(CANNS, 200)
              .loads(10, 20, 30, 40)
              .trials(4)
              .threads(threads)
              .build();
      AtomicBoolean cancel = new AtomicBoolean();
      assertThrows(
          CancellationException.class, () -> s.run((d, t) -> cancel.set(true), cancel::get));
      // interrupting the thread that runs the sweep
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicBoolean flagAfter = new AtomicBoolean();
      Thread[] runner = new Thread[1];
      runner[0] =
          new Thread(
              () -> {
                try {
                  s.run((d, t) -> runner[0].interrupt(), null);
                } catch (RuntimeException e) {
                  thrown.set(e);
                  flagAfter.set(Thread.currentThread().isInterrupted());
                }
              });
      runner[0].start();
      runner[0].join();
      assertTrue(
          thrown.get() instanceof CancellationException, "threads " + threads + ": " + thrown);
      assertTrue(flagAfter.get(), "the interrupt flag is kept");
    }
  }

  @Test
  void aFailingFactoryEndsTheSweepWithItsException() {
    IllegalStateException boom = new IllegalStateException("boom");
    MemoryFactory failing =
        p -> {
          if (p.count() == 20) {
            throw boom;
          }
          return CANNS.build(p);
        };
    for (int threads : new int[] {1, 2}) {
      CapacitySweep s =
          CapacitySweep.builder(failing, 50).loads(10, 20).trials(3).threads(threads).build();
      assertSame(boom, assertThrows(IllegalStateException.class, s::run));
    }
    MemoryFactory wrongSize = p -> CANNS.build(PatternBlock.of(new float[] {1, -1, 1}));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> CapacitySweep.builder(wrongSize, 50).loads(10).trials(1).build().run());
    assertTrue(e.getMessage().contains("N = 3"), e.getMessage());
  }

  /**
   * A listener that throws in one worker stops the others at once: the worker waited for first ran
   * every trial left before the exception came out (797 of 800 loads for a listener that threw at
   * its first call).
   */
  @Test
  void aThrowingListenerStopsEveryWorker() throws Exception {
    java.util.concurrent.CyclicBarrier bothStarted = new java.util.concurrent.CyclicBarrier(2);
    java.util.Set<Long> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.CountDownLatch thrown = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger builds =
        new java.util.concurrent.atomic.AtomicInteger();
    MemoryFactory factory =
        p -> {
          builds.incrementAndGet();
          long me = Thread.currentThread().getId();
          try {
            if (started.add(me)) { // both workers at work before either reports
              bothStarted.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } else if (me == java.util.Collections.min(started)) {
              // the worker waited for first goes on only once the other's listener has thrown,
              // and then slowly (5 ms a load), so that the thrower, however late a busy machine
              // lets it reach its catch, stops it long before it would have built the rest
              thrown.await(30, java.util.concurrent.TimeUnit.SECONDS);
              Thread.sleep(5);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return TEXTBOOK.build(p);
        };
    IllegalStateException boom = new IllegalStateException("listener says stop");
    CapacitySweep.Listener listener =
        (done, total) -> {
          // the worker started second throws: the first, whose result is waited for first, ran on
          long me = Thread.currentThread().getId();
          if (started.size() == 2 && me == java.util.Collections.max(started)) {
            thrown.countDown();
            throw boom;
          }
        };
    CapacitySweep s = CapacitySweep.builder(factory, 16).loads(1, 2).trials(200).threads(2).build();
    assertSame(boom, assertThrows(IllegalStateException.class, () -> s.run(listener, null)));
    // (the other worker may finish a few loads meanwhile; before, it built all 400)
    assertTrue(builds.get() < 100, builds.get() + " of 400 loads built after the listener threw");
  }

  @Test
  void userDataIsStoredAsGrowingPrefixes() {
    // rows of a 64 x 64 Hadamard matrix: orthogonal, so the field of each stored bit is (N - P)
    // times the bit, and every pattern is a fixed point for P < N
    int n = 64;
    float[][] h = new float[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        h[i][j] = Integer.bitCount(i & j) % 2 == 0 ? 1f : -1f;
      }
    }
    PatternSource data = PatternSource.of(PatternBlock.of(h));
    assertEquals("data", data.kind());
    assertTrue(!data.isUnbiasedRandom());
    List<CapacityPoint> points =
        CapacitySweep.builder(TEXTBOOK, n)
            .source(data)
            .loads(8, 32, 63)
            .trials(3)
            .flip(0)
            .build()
            .run();
    for (CapacityPoint pt : points) {
      assertEquals(0, pt.oneStepError().mean());
      assertEquals(1, pt.stableFraction().mean());
      // identical trials: the Wilson interval of all 3 P cues recalled, [n / (n + t²), 1]
      double cases = 3.0 * pt.patterns();
      double t = SpecialFunctions.studentQuantile(0.95, 2);
      assertEquals(1, pt.recalledFraction().high());
      assertEquals(cases / (cases + t * t), pt.recalledFraction().low(), 1e-12);
      assertEquals(1, pt.meanOverlap().mean());
      assertEquals(1, pt.meanSteps().mean(), "the fixed point is confirmed by one step");
    }
    // P = N: W = X^T X - N I = 0 for a full Hadamard basis; nothing is stable
    CapacityPoint full =
        CapacitySweep.builder(TEXTBOOK, n)
            .source(data)
            .loads(64)
            .trials(1)
            .flip(0)
            .build()
            .run()
            .get(0);
    assertEquals(0, full.stableFraction().mean());
    assertTrue(Double.isNaN(full.stableFraction().halfWidth()), "one trial: no interval");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PatternSource.of(PatternBlock.of(new float[] {1, -1}, new float[] {1, 0.5f})));
    assertEquals(
        "the capacity lab needs +1/-1 patterns; pattern 1 has 0.5 at index 1", e.getMessage());
    assertMessage(
        "load P = 65 needs more patterns than the 64 given",
        CapacitySweep.builder(TEXTBOOK, n).source(data).loads(65));
    assertMessage(
        "the data patterns have length 64, but N = 32",
        CapacitySweep.builder(TEXTBOOK, 32).source(data).loads(5));
  }

  @Test
  void badSettingsAreNamedWithTheirValues() {
    assertMessage("N must be >= 1, got 0", CapacitySweep.builder(CANNS, 0).loads(1));
    assertMessage("no loads (numbers of patterns) to measure", CapacitySweep.builder(CANNS, 10));
    assertMessage("loads must be >= 1, got 0", CapacitySweep.builder(CANNS, 10).loads(0, 1));
    assertMessage(
        "loads must increase without repeats, got 5 after 5",
        CapacitySweep.builder(CANNS, 10).loads(1, 5, 5));
    assertMessage(
        "loads must increase without repeats, got 3 after 5",
        CapacitySweep.builder(CANNS, 10).loads(5, 3));
    assertMessage(
        "trials must be >= 1, got 0", CapacitySweep.builder(CANNS, 10).loads(1).trials(0));
    assertMessage(
        "flip must be in [0, 1], got NaN",
        CapacitySweep.builder(CANNS, 10).loads(1).flip(Double.NaN));
    assertMessage(
        "flip must be in [0, 1], got 1.5", CapacitySweep.builder(CANNS, 10).loads(1).flip(1.5));
    assertMessage(
        "threads must be >= 1, got 0", CapacitySweep.builder(CANNS, 10).loads(1).threads(0));
    assertMessage(
        "maxIterations must be >= 0, got -1",
        CapacitySweep.builder(CANNS, 10).loads(1).maxIterations(-1));
    assertMessage(
        "P = 100000 patterns of N = 100000 do not fit in one array",
        CapacitySweep.builder(CANNS, 100_000).loads(100_000));
    // N = 1: loads up to 2^31 - 9; trials x their sum went past a long, totalWork() < 0
    MemoryFactory none = p -> null;
    assertMessage(
        "2147483647 trials of 4831838197 stored patterns (the loads together) are more than a long"
            + " counts",
        CapacitySweep.builder(none, 1)
            .loads(1 << 30, 3 << 29, Integer.MAX_VALUE - 10)
            .trials(Integer.MAX_VALUE));
    assertEquals(
        4831838197L * (Long.MAX_VALUE / 4831838197L),
        CapacitySweep.builder(none, 1)
            .loads(1 << 30, 3 << 29, Integer.MAX_VALUE - 10)
            .trials((int) (Long.MAX_VALUE / 4831838197L))
            .build()
            .totalWork());
    assertThrows(IllegalArgumentException.class, () -> PatternSource.biased(1));
    assertThrows(IllegalArgumentException.class, () -> PatternSource.correlated(-0.1));
    assertThrows(IllegalArgumentException.class, () -> PatternSource.correlated(Double.NaN));
  }

  private static void assertMessage(String expected, CapacitySweep.Builder b) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertEquals(expected, e.getMessage());
  }

  @Test
  void biasedAndCorrelatedPatternsHaveTheirStatistics() {
    int n = 500;
    int p = 200;
    float[] x = PatternSource.biased(0.4).draw(p, n, new SplittableRandom(1));
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    assertEquals(0.4, mean / x.length, 0.01);

    float[] c = PatternSource.correlated(0.25).draw(p, n, new SplittableRandom(2));
    double overlap = 0;
    int pairs = 0;
    for (int a = 0; a < p; a++) {
      for (int b = a + 1; b < p; b++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += c[a * n + i] * c[b * n + i];
        }
        overlap += s / n;
        pairs++;
      }
    }
    assertEquals(0.25, overlap / pairs, 0.03);

    float[] r = PatternSource.random().draw(3, 70, new SplittableRandom(3));
    for (float v : r) {
      assertTrue(v == 1f || v == -1f);
    }
    assertTrue(PatternSource.random().isUnbiasedRandom());
    assertTrue(!PatternSource.biased(0.1).isUnbiasedRandom());
  }

  @Test
  void aShareHasTheWilsonIntervalWithinZeroAndOne() {
    // two trials, 0 and 1: Student's t gave 0.5 ± 6.35, clipped to [0, 1] in JSON only
    double t1 = SpecialFunctions.studentQuantile(0.95, 1);
    Estimate split = Estimate.ofShare(new double[] {0, 1}, 5);
    assertEquals(0.5, split.mean());
    assertTrue(split.low() > 0 && split.high() < 1, split::toString);
    // the effective number of cases is p(1-p) T / s² = 1: Wilson's centre 0.5, half width
    // t/(1+t²) √(1/4 + t²/4)
    double half = t1 / (1 + t1 * t1) * Math.sqrt(0.25 + t1 * t1 / 4);
    assertEquals(0.5 - half, split.low(), 1e-12);
    assertEquals(0.5 + half, split.high(), 1e-12);
    assertEquals(half, split.halfWidth(), 1e-12);
    // every trial 0: [0, t²/(n + t²)] over all n = T · cases, not a width of 0
    double t2 = SpecialFunctions.studentQuantile(0.95, 2);
    Estimate none = Estimate.ofShare(new double[] {0, 0, 0}, 40);
    assertEquals(0, none.low());
    assertEquals(t2 * t2 / (120 + t2 * t2), none.high(), 1e-12);
    // far from 0 and 1 with many cases it is Student's interval of the trial means
    double[] v = new double[40];
    for (int i = 0; i < v.length; i++) {
      v[i] = 0.4 + 0.01 * (i % 7) - 0.03;
    }
    Estimate student = Estimate.of(v, 0, 1);
    Estimate wilson = Estimate.ofShare(v, 10_000);
    assertEquals(student.mean(), wilson.mean());
    assertEquals(student.low(), wilson.low(), 1e-2 * student.halfWidth());
    assertEquals(student.high(), wilson.high(), 1e-2 * student.halfWidth());
    // one trial: no interval, as of
    assertTrue(Double.isNaN(Estimate.ofShare(new double[] {0.5}, 4).low()));
    assertThrows(IllegalArgumentException.class, () -> Estimate.ofShare(new double[] {1.5}, 4));
    assertThrows(IllegalArgumentException.class, () -> Estimate.ofShare(new double[] {0.5}, 0));
    // every interval of a few trials lies within [0, 1] and holds its mean
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    for (int k = 0; k < 2000; k++) {
      int trials = 2 + rnd.nextInt(4);
      int cases = 1 + rnd.nextInt(30);
      double[] shares = new double[trials];
      for (int i = 0; i < trials; i++) {
        shares[i] = (double) rnd.nextInt(cases + 1) / cases;
      }
      Estimate e = Estimate.ofShare(shares, cases);
      assertTrue(
          0 <= e.low() && e.low() <= e.mean() && e.mean() <= e.high() && e.high() <= 1,
          () -> java.util.Arrays.toString(shares) + " of " + cases + ": " + e);
    }
  }

  @Test
  void estimatesAreStudentIntervalsClippedToTheRange() {
    Estimate e = Estimate.of(new double[] {1, 2, 3}, -10, 10);
    double hw = 4.302652729749462 / Math.sqrt(3);
    assertEquals(2, e.mean());
    assertEquals(hw, e.halfWidth(), 1e-9);
    assertEquals(2 - hw, e.low(), 1e-9);
    assertEquals(2 + hw, e.high(), 1e-9);
    assertTrue(e.contains(2.5) && !e.contains(5));
    Estimate clipped = Estimate.of(new double[] {0.9, 1, 1}, 0, 1);
    assertEquals(1, clipped.high());
    Estimate one = Estimate.of(new double[] {0.5}, 0, 1);
    assertTrue(Double.isNaN(one.low()) && !one.contains(0.5));
    assertThrows(IllegalArgumentException.class, () -> Estimate.of(new double[0], 0, 1));
    assertThrows(
        IllegalArgumentException.class, () -> Estimate.of(new double[] {Double.NaN}, 0, 1));
  }
}
