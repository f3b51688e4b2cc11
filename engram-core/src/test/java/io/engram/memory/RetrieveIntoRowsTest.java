package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ModernHopfieldMemory#retrieveAll(float[][], RecallOptions, float[][])}: the states of
 * {@code retrieveAll}, bit for bit, written into the caller's rows; and cues with values that are
 * not finite, which a softmax step finds as it runs, refused with the value named on every path.
 */
class RetrieveIntoRowsTest {

  /**
   * Shapes of the kernels' paths: a small memory's rows (P < 8), the scan over X in blocks, a batch
   * split into groups over the threads, a single query (X's transposed copy after a few steps).
   */
  static final String SHAPES =
      """
      4, 64, 5
      4, 16384, 4
      300, 40, 70
      700, 64, 600
      64, 32, 1
      """;

  static ModernHopfieldMemory memory(int p, int n, Random rnd) {
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 4f / n);
    m.store(ModernHopfieldMemoryTest.random(rnd, p, n, 1f));
    return m;
  }

  static float[][] cues(ModernHopfieldMemory m, int b, Random rnd) {
    float[][] c = new float[b][];
    for (int q = 0; q < b; q++) {
      c[q] = ModernHopfieldMemoryTest.flip(rnd, m.pattern(q % m.size()), m.numNeurons() / 5);
    }
    return c;
  }

  @ParameterizedTest
  @CsvSource(textBlock = SHAPES)
  void writesTheStatesOfRetrieveAllIntoTheRows(int p, int n, int b) {
    Random rnd = new Random(p * 31L + n);
    ModernHopfieldMemory m = memory(p, n, rnd);
    float[][] cues = cues(m, b, rnd);
    float[][] before = deepCopy(cues);
    for (RecallOptions o :
        List.of(
            m.defaultRecallOptions(),
            m.defaultRecallOptions().withMaxIterations(6).withTopK(3),
            m.defaultRecallOptions().withMaxIterations(0),
            m.defaultRecallOptions().withMaxIterations(5).withStateTolerance(1e-3f))) {
      List<RecallResult> expected = m.retrieveAll(cues, o);
      float[][] rows = new float[b][n];
      for (float[] r : rows) {
        Arrays.fill(r, Float.NaN); // what a row held before is never read
      }
      for (int round = 0; round < 3; round++) { // the same rows again, as a loop reuses them
        List<RecallResult> got = m.retrieveAll(cues, o, rows);
        assertEquals(b, got.size());
        for (int q = 0; q < b; q++) {
          RecallResult e = expected.get(q);
          RecallResult g = got.get(q);
          assertSame(rows[q], g.state(), "the result holds the caller's row");
          assertArrayEquals(e.state(), g.state(), "query " + q + " with " + o);
          assertEquals(e.steps(), g.steps());
          assertEquals(e.converged(), g.converged());
          assertEquals(Double.doubleToLongBits(e.energy()), Double.doubleToLongBits(g.energy()));
          assertEquals(e.matches(), g.matches());
        }
      }
      assertTrue(Arrays.deepEquals(before, cues), "the cues are never written");
    }
  }

  @Test
  void refusesRowsThatAreNotFitAndWritesNone() {
    Random rnd = new Random(3);
    ModernHopfieldMemory m = memory(6, 32, rnd);
    float[][] cues = cues(m, 3, rnd);
    RecallOptions o = m.defaultRecallOptions();
    float[] a = new float[32];
    float[] b = new float[32];
    float[] c = new float[32];
    assertEquals(
        "states",
        assertThrows(NullPointerException.class, () -> m.retrieveAll(cues, o, null)).getMessage());
    refused(
        "states has 2 rows for 3 cues; need one per cue",
        () -> m.retrieveAll(cues, o, new float[][] {a, b}));
    refused("states row 1 is null", () -> m.retrieveAll(cues, o, new float[][] {a, null, c}));
    refused(
        "states row 2 has length 31, expected 32",
        () -> m.retrieveAll(cues, o, new float[][] {a, b, new float[31]}));
    refused(
        "states row 2 is the same array as states row 0; each row must be an array of its own",
        () -> m.retrieveAll(cues, o, new float[][] {a, b, a}));
    refused(
        "states row 1 is the same array as cue 2; each row must be an array of its own",
        () -> m.retrieveAll(cues, o, new float[][] {a, cues[2], c}));
    float[][] bad = deepCopy(cues);
    bad[2] = new float[5];
    refused(
        "query 2 has length 5, expected 32", () -> m.retrieveAll(bad, o, new float[][] {a, b, c}));
    for (float[] r : new float[][] {a, b, c}) {
      assertArrayEquals(new float[32], r, "no row written");
    }
  }

  /** Every path, with and without rows: the value and where it is, as the scan before said. */
  @ParameterizedTest
  @CsvSource(textBlock = SHAPES)
  void aCueWithAValueThatIsNotFiniteIsRefusedNamingIt(int p, int n, int b) {
    Random rnd = new Random(p + 7L * n);
    ModernHopfieldMemory m = memory(p, n, rnd);
    for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      for (int at : new int[] {0, n / 2, n - 1}) {
        float[][] cues = cues(m, b, rnd);
        int q = b - 1;
        cues[q][at] = v;
        String expected = "query " + q + " has a non-finite value " + v + " at index " + at;
        List<RecallOptions> options = new ArrayList<>();
        options.add(m.defaultRecallOptions());
        options.add(m.defaultRecallOptions().withMaxIterations(0));
        options.add(m.defaultRecallOptions().withMaxIterations(3).withTopK(2));
        options.add(m.defaultRecallOptions().withStepListener((qq, s, e, stop, d) -> {}));
        for (RecallOptions o : options) {
          refused(expected, () -> m.retrieveAll(cues, o));
          refused(expected, () -> m.retrieveAll(cues, o, new float[b][n]));
          if (b == 1) {
            for (int k = 0; k < ModernHopfieldMemory.COPY_AFTER_STEPS + 2; k++) {
              refused(expected, () -> m.retrieve(cues[0], o)); // the transposed copy's path
            }
          }
        }
      }
    }
  }

  /** A finite cue whose scores overflow is refused as before: the scores are named, not the cue. */
  @Test
  void scoresThatOverflowAreStillNamedAsSuch() {
    Random rnd = new Random(11);
    ModernHopfieldMemory m = memory(4, 64, rnd);
    float[][] cues = cues(m, 2, rnd);
    float[] x0 = m.pattern(0);
    for (int i = 0; i < 64; i++) {
      cues[1][i] = Math.copySign(1e38f, x0[i]); // X·ξ of pattern 0 about 5e39
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.retrieveAll(cues));
    assertTrue(e.getMessage().startsWith("retrieval overflowed float32"), e.getMessage());
  }

  private static void refused(String message, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertEquals(message, e.getMessage());
  }

  private static float[][] deepCopy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
