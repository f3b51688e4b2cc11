package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Rows of the Hebbian update computed a block at a time ({@link Syrk#rows}, {@link
 * Kernels.PackedGram}) against the whole update written over zeros by {@link Syrk#syrkAdd}, bit for
 * bit: every row range (from 0, across panel and tile edges, single rows, the last rows), sizes
 * around the tile, panel and k-block edges, centring, division, negation.
 */
class GramRowsTest {

  private static final int[] NS = {1, 7, 8, 9, 31, 32, 33, 65, 97, 300};

  private static int[] ps() {
    int kc = Syrk.SYRK_KC;
    return new int[] {0, 1, 5, 31, kc, kc + 1, 2 * kc + 3};
  }

  private static void check(KernelProvider kp, long seed) {
    Random rnd = new Random(seed);
    for (int n : NS) {
      for (int p : ps()) {
        if ((long) n * n * p > 50_000_000L) {
          continue; // (the suite's time: n = 300 runs up to one k-block and one more pattern)
        }
        float[] x = new float[p * n];
        for (int i = 0; i < x.length; i++) {
          int kind = rnd.nextInt(8);
          x[i] =
              kind < 4
                  ? (rnd.nextBoolean() ? 1f : -1f)
                  : kind == 4 ? -0f : kind == 5 ? 0.25f : rnd.nextFloat() * 3f - 1.5f;
        }
        float[][] cases = {{p + 0.5f, 1f, 0f}, {3f, 0f, 0.25f}, {1f, 0f, 0f}, {p, 1f, 0.25f}};
        for (float[] c : cases) {
          float divisor = Math.max(1f, c[0]);
          boolean negate = c[1] != 0f;
          float shift = c[2];
          String where =
              kp.name()
                  + " n="
                  + n
                  + " p="
                  + p
                  + " divisor="
                  + divisor
                  + " negate="
                  + negate
                  + " shift="
                  + shift;
          float[] whole = new float[n * n];
          Syrk.syrkAdd(kp, n, p, x, shift, whole, divisor, negate, true, null);
          float[] tp = Syrk.pack(n, p, x, shift);
          // whole rows at once, then in blocks of assorted sizes and starts
          for (int block : new int[] {n, 1, 8, 13, 64}) {
            float[] got = new float[n * n];
            for (int r = 0; r < n; r += block) {
              int count = Math.min(block, n - r);
              float[] dst = new float[count * n + 3]; // longer than needed: only count*n written
              dst[count * n] = 42f;
              Syrk.rows(kp, n, p, tp, divisor, negate, r, count, dst);
              assertEquals(42f, dst[count * n], where + ": wrote past the rows");
              System.arraycopy(dst, 0, got, r * n, count * n);
            }
            assertBits(whole, got, n, where + " block=" + block);
          }
        }
      }
    }
  }

  @Test
  void scalarKernelsGiveTheUpdatesBits() {
    check(ScalarKernels.INSTANCE, 21);
  }

  @Test
  void vectorKernelsGiveTheUpdatesBits() {
    KernelProvider v = Providers.vector();
    assumeTrue(v != null, "Vector API module not present");
    check(v, 22);
  }

  /** The public form on the kernels of this process: rows and the whole update alike. */
  @Test
  void packedGramRowsAndAddToAgreeWithSyrkAdd() {
    Random rnd = new Random(5);
    int n = 517;
    int p = 40;
    float[] x = new float[p * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    float[] original = x.clone();
    Kernels.PackedGram g = Kernels.packGram(n, p, x, 0f, p, false);
    java.util.Arrays.fill(x, 7f); // packed: a later change of the caller's array is not seen
    float[] whole = new float[n * n];
    Kernels.syrkAdd(n, p, original, 0f, whole, p, false, true, null);
    float[] added = new float[n * n];
    g.addTo(added, true, null);
    assertBits(whole, added, n, "addTo");
    float[] rows = new float[n * n];
    for (int r = 0; r < n; r += 64) {
      int count = Math.min(64, n - r);
      float[] dst = new float[count * n];
      g.rows(r, count, dst);
      System.arraycopy(dst, 0, rows, r * n, count * n);
    }
    assertBits(whole, rows, n, "rows");
    assertEquals((long) p * 544, g.packedFloats()); // 517 columns padded to 17 tiles of 32
  }

  @Test
  void rowsOutsideTheMatrixOrAShortArrayAreRefused() {
    Kernels.PackedGram g = Kernels.packGram(10, 2, new float[20], 0f, 1f, false);
    assertThrows(IllegalArgumentException.class, () -> g.rows(-1, 2, new float[20]));
    assertThrows(IllegalArgumentException.class, () -> g.rows(9, 2, new float[20]));
    assertThrows(IllegalArgumentException.class, () -> g.rows(0, 2, new float[19]));
    assertThrows(IllegalArgumentException.class, () -> g.addTo(new float[99], true, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.packGram(10, 2, new float[19], 0f, 1f, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.packGram(10, 2, new float[20], Float.NaN, 1f, false));
  }

  private static void assertBits(float[] ref, float[] got, int n, String where) {
    SyrkBitExactTest.assertBits(ref, got, n, where);
  }
}
