package io.engram.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Cues made from stored patterns: flipped, erased and occluded values counted exactly, at distinct
 * positions; the flips alone are those the sweep and the command line made before erasure existed;
 * partial cues are completed by a memory.
 */
class CorruptionTest {

  private static float[] plusMinus(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextBoolean() ? 1f : -1f;
    }
    return x;
  }

  /** The flips as the sweep drew them before {@link Corruption}: a partial Fisher-Yates shuffle. */
  private static float[] flippedTheOldWay(float[] x, double flip, long seed) {
    float[] c = x.clone();
    int n = c.length;
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = 0; i < (int) Math.round(flip * n); i++) {
      int j = i + rnd.nextInt(n - i);
      int s = idx[i];
      idx[i] = idx[j];
      idx[j] = s;
      c[idx[i]] = -c[idx[i]];
    }
    return c;
  }

  @Test
  void flipsAloneAreTheFlipsOfBefore() {
    for (int n : new int[] {1, 7, 100, 1000}) {
      for (double f : new double[] {0, 0.1, 0.3, 1}) {
        float[] x = plusMinus(n, n);
        float[] c = x.clone();
        Corruption.flip(f).apply(c, new SplittableRandom(5));
        assertArrayEquals(flippedTheOldWay(x, f, 5), c, "n = " + n + ", flip " + f);
      }
    }
  }

  @Test
  void eachKindIsCountedExactlyAtDistinctPositions() {
    int n = 1000;
    float[] x = plusMinus(n, 3);
    Corruption c = Corruption.of(0.1, 0.25, 0.4);
    assertEquals(100, c.flips(n));
    assertEquals(250, c.erasures(n));
    assertEquals(400, c.occluded(n));
    float[] cue = x.clone();
    int[] scratch = new int[n + 5]; // longer than the row: fine
    assertEquals(0, c.apply(cue, new SplittableRandom(9), scratch));
    int flipped = 0;
    int erased = 0;
    for (int i = 0; i < n; i++) {
      if (i >= n - 400) {
        assertEquals(0f, cue[i], "the last 40% occluded, at " + i);
      } else if (cue[i] == 0f) {
        erased++;
      } else if (cue[i] == -x[i]) {
        flipped++;
      } else {
        assertEquals(x[i], cue[i]);
      }
    }
    assertEquals(100, flipped);
    assertEquals(250, erased);
    // the same generator gives the same cue
    float[] again = x.clone();
    c.apply(again, new SplittableRandom(9));
    assertArrayEquals(cue, again);
  }

  @Test
  void roundedCountsNeverExceedThePattern() {
    // round(1.5) + round(1.5) = 4 of 3 values: the second count takes what is left
    Corruption c = Corruption.of(0.5, 0.5, 0);
    assertEquals(2, c.flips(3));
    assertEquals(1, c.erasures(3));
    float[] cue = {1, 1, 1};
    c.apply(cue, new SplittableRandom(1));
    int zeros = 0;
    int negated = 0;
    for (float v : cue) {
      zeros += v == 0 ? 1 : 0;
      negated += v == -1 ? 1 : 0;
    }
    assertEquals(1, zeros);
    assertEquals(2, negated);
    // everything occluded: a cue of zeros, no generator draw needed
    float[] all = {1, -1, 1, -1};
    Corruption.of(0, 0, 1).apply(all, new SplittableRandom(1));
    assertArrayEquals(new float[4], all);
  }

  /**
   * Whether a cue depends on the generator, from the counts and not the shares: a share that rounds
   * to no value (1e-300 of N) or that takes every open value (all flipped, all erased) draws the
   * same cue from every generator, as occlusion alone does (the capacity lab runs one trial of
   * given data then, not several alike).
   */
  @Test
  void aCueVariesOnlyWhereSomeButNotAllOpenValuesAreChosen() {
    assertTrue(Corruption.of(0.1, 0, 0).varies(10));
    assertTrue(Corruption.of(0, 0.3, 0.5).varies(10));
    assertTrue(Corruption.of(0.5, 0.5, 0).varies(10)); // all chosen, but which are flipped varies
    assertFalse(Corruption.of(0, 0, 0.5).varies(10));
    assertFalse(Corruption.of(0, 0, 0).varies(10));
    assertFalse(Corruption.of(1e-300, 1e-300, 0).varies(10));
    assertFalse(Corruption.of(0.04, 0, 0).varies(10)); // round(0.4) = 0
    assertFalse(Corruption.of(1, 0, 0).varies(10));
    assertFalse(Corruption.of(0, 1, 0).varies(10));
    assertFalse(Corruption.of(0, 0.5, 0.5).varies(10));
    assertFalse(Corruption.of(0.5, 0.5, 0).varies(1)); // one value, flipped
    assertFalse(Corruption.of(0.1, 0, 0).varies(0));
    for (Corruption c :
        List.of(Corruption.of(1e-300, 0, 0), Corruption.of(1, 0, 0), Corruption.of(0, 0.5, 0.5))) {
      float[] x = plusMinus(10, 4);
      float[] a = x.clone();
      float[] b = x.clone();
      c.apply(a, new SplittableRandom(1));
      c.apply(b, new SplittableRandom(2));
      assertArrayEquals(a, b, c.toString());
    }
  }

  @Test
  void aNegatedZeroIsCounted() {
    float[] cue = new float[10];
    assertEquals(10, Corruption.flip(1).apply(cue, new SplittableRandom(2)));
  }

  @Test
  void sharesAreChecked() {
    for (double bad : new double[] {-0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Corruption.of(0, bad, 0));
      assertEquals("erase must be in [0, 1], got " + bad, e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Corruption.of(0.5, 0.5, 0.1));
    assertTrue(
        e.getMessage().startsWith("flip + erase + occlude must be at most 1"), e.getMessage());
    // decimal shares that add up to 1
    assertEquals(Corruption.of(0.7, 0.2, 0.1), Corruption.of(0.7, 0.2, 0.1));
    assertEquals("flip 0.7, erase 0.2, occlude 0.1", Corruption.of(0.7, 0.2, 0.1).toString());
    assertEquals("none", Corruption.of(0, 0, 0).toString());
    assertTrue(Corruption.of(-0.0, 0, 0).isNone());
    assertThrows(
        IllegalArgumentException.class,
        () -> Corruption.flip(0.1).apply(new float[4], new SplittableRandom(1), new int[3]));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CapacitySweep.builder(CapacitySweepTest.CANNS, 50)
                .loads(2)
                .erase(0.6)
                .flip(0.5)
                .build());
  }

  /**
   * Partial cues in a sweep: half of each of 3 random patterns of N = 200 occluded, a Hebbian
   * network (load 0.015) completes every one (the field of the half that is left points to the
   * stored pattern); the sweep says how the cues were made.
   */
  @Test
  void aSweepOfOccludedCuesMeasuresCompletion() {
    CapacitySweep sweep =
        CapacitySweep.builder(CapacitySweepTest.CANNS, 200)
            .loads(3)
            .trials(4)
            .flip(0)
            .occlude(0.5)
            .seed(11)
            .build();
    assertEquals(Corruption.of(0, 0, 0.5), sweep.corruption());
    // the same shares given as one
    assertEquals(
        Corruption.of(0.1, 0.2, 0.3),
        CapacitySweep.builder(CapacitySweepTest.CANNS, 200)
            .loads(3)
            .corruption(Corruption.of(0.1, 0.2, 0.3))
            .build()
            .corruption());
    List<CapacityPoint> points = sweep.run();
    assertEquals(1.0, points.get(0).recalledFraction().mean(), 1e-12);
    // all of each cue erased: nothing to complete from, nothing recalled
    CapacitySweep blank =
        CapacitySweep.builder(CapacitySweepTest.CANNS, 200)
            .loads(3)
            .trials(2)
            .flip(0)
            .erase(1)
            .seed(11)
            .build();
    assertEquals(0.0, blank.run().get(0).recalledFraction().mean(), 1e-12);
  }
}
