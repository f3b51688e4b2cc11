package io.engram.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The theory curves against the published numbers they come from. */
class CapacityTheoryTest {

  /** Hertz, Krogh and Palmer's table: one-step error and the load P/N where it is reached. */
  private static final double[][] ONE_STEP_TABLE = {
    {0.001, 0.105}, {0.0036, 0.138}, {0.01, 0.185}, {0.05, 0.37}, {0.1, 0.61}
  };

  @Test
  void oneStepErrorGivesTheTextbookTable() {
    for (double[] row : ONE_STEP_TABLE) {
      double error = row[0];
      double load = row[1];
      // the table gives loads to two or three digits
      assertEquals(load, CapacityTheory.loadForOneStepError(error), 0.005, "error " + error);
      int n = 100_000;
      int p = (int) Math.round(load * n);
      assertEquals(error, CapacityTheory.oneStepError(n, p), error * 0.05, "load " + load);
    }
    assertEquals(
        0.5 * SpecialFunctions.erfc(Math.sqrt(1000 / 274.0)),
        CapacityTheory.oneStepError(1000, 137));
  }

  @Test
  void exactTailKeepsItsPrecisionAtLargeNAndRefusesSumsItCannotFinish() {
    // scipy.stats.binom.sf(k - 1, M, 0.5) with M = (P - 1)(N - 1), k = ceil((M + N - 1) / 2);
    // the first term from log-gamma was 0.0037237 here (M = 1.4e13: ln M! near 4e14), and
    // 1.5e-180 at N = 10^9
    assertEquals(
        0.003552204844469193,
        CapacityTheory.oneStepErrorExact(10_000_000, 1_380_000),
        0.003552204844469193 * 1e-7);
    // about 7.5e9 terms: it summed for minutes, now it says what to use instead
    IllegalArgumentException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                assertThrows(
                    IllegalArgumentException.class,
                    () -> CapacityTheory.oneStepErrorExact(Integer.MAX_VALUE, Integer.MAX_VALUE)));
    assertTrue(e.getMessage().contains("oneStepError(N, P)"), e.getMessage());
    // a deep tail is few terms at any N
    assertEquals(0, CapacityTheory.oneStepErrorExact(Integer.MAX_VALUE, 2));
  }

  @Test
  void exactTailMatchesIndependentSumsAndTendsToTheLargeNLimit() {
    // (N, P, exact tail) from an independent log-space sum in Python
    double[][] ref = {
      {100, 10, 0.0005078537559600491},
      {100, 14, 0.003139262424367029},
      {200, 37, 0.009355316421937855},
      {400, 42, 0.0009294761583259061},
      {400, 148, 0.05015177302594848},
      {1000, 138, 0.003491308212653492},
      {1000, 610, 0.10036109077730583},
      {2, 3, 0.25}
    };
    for (double[] r : ref) {
      double v = CapacityTheory.oneStepErrorExact((int) r[0], (int) r[1]);
      assertEquals(r[2], v, r[2] * 1e-9, "N = " + r[0] + ", P = " + r[1]);
    }
    assertEquals(1, CapacityTheory.oneStepErrorExact(1, 5), "a lone neuron has field 0");
    assertEquals(0, CapacityTheory.oneStepErrorExact(50, 1), "one pattern is always stable");
    // at finite N the tail lies below the limit at low loads; the gap closes as N grows
    double gap1000 =
        CapacityTheory.oneStepError(1000, 138) - CapacityTheory.oneStepErrorExact(1000, 138);
    double gap100k =
        CapacityTheory.oneStepError(100_000, 13_800)
            - CapacityTheory.oneStepErrorExact(100_000, 13_800);
    assertTrue(gap1000 > 0 && gap100k > 0 && gap100k < gap1000 / 5, gap1000 + " " + gap100k);
  }

  @Test
  void agsCriticalLoadAndOverlaps() {
    assertEquals(0.1379, CapacityTheory.AGS_CRITICAL_LOAD, 5e-5);
    assertEquals(0.998, CapacityTheory.agsOverlap(0.10), 5e-4);
    assertEquals(0.967, CapacityTheory.agsOverlap(CapacityTheory.AGS_CRITICAL_LOAD - 1e-9), 1e-3);
    assertEquals(1, CapacityTheory.agsOverlap(0));
    assertEquals(0, CapacityTheory.agsOverlap(0.14));
    double previous = 1;
    for (double a = 0.01; a < CapacityTheory.AGS_CRITICAL_LOAD; a += 0.01) {
      double m = CapacityTheory.agsOverlap(a);
      assertTrue(m <= previous && m > 0.96, a + " -> " + m);
      if (a >= 0.05) {
        // m solves the three equations: m = erf(y), y = m / sqrt(2 alpha r), r = 1 / (1 - C)^2
        // with C = sqrt(2 / (pi alpha r)) exp(-y^2)
        double y = inverseErf(m);
        double r = m * m / (2 * a * y * y);
        double c = 1 - 1 / Math.sqrt(r);
        assertEquals(c, Math.sqrt(2 / (Math.PI * a * r)) * Math.exp(-y * y), 1e-7, "load " + a);
      }
      previous = m;
    }
    assertThrows(IllegalArgumentException.class, () -> CapacityTheory.agsOverlap(-0.1));
    assertThrows(IllegalArgumentException.class, () -> CapacityTheory.agsOverlap(Double.NaN));
  }

  @Test
  void capacityFormulas() {
    int n = 1000;
    double ln = Math.log(n);
    assertEquals(72.382, CapacityTheory.mcEliece(n), 1e-3);
    assertEquals(n / (4 * ln), CapacityTheory.mcElieceAll(n), 1e-12);
    assertEquals(269.03, CapacityTheory.storkey(n), 1e-2);
    assertEquals(n, CapacityTheory.pseudoInverse(n));
    assertTrue(CapacityTheory.storkey(n) > CapacityTheory.mcEliece(n));
    assertThrows(IllegalArgumentException.class, () -> CapacityTheory.mcEliece(1));
    assertThrows(IllegalArgumentException.class, () -> CapacityTheory.oneStepError(0, 3));
    assertThrows(IllegalArgumentException.class, () -> CapacityTheory.loadForOneStepError(0.5));
  }

  private static double inverseErf(double m) {
    double lo = 0;
    double hi = 10;
    for (int i = 0; i < 200; i++) {
      double mid = 0.5 * (lo + hi);
      if (SpecialFunctions.erf(mid) < m) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }
}
