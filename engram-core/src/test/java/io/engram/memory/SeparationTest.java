package io.engram.memory;

import static io.engram.fixtures.RandomVectors.bipolar;
import static io.engram.memory.ModernHopfieldMemoryTest.flip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianTrainer;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The binary update with separation functions (Krotov and Hopfield 2016; Demircigil et al. 2017):
 * the update rule itself, and the capacity far beyond the classical network's 0.14 N.
 */
class SeparationTest {

  /** One synchronous binary update of ξ, straight from the rule, in float64. */
  private static float[] naiveUpdate(float[][] x, float[] xi, Separation s, int degree, double b) {
    int n = xi.length;
    float[] next = new float[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (float[] pat : x) {
        double rest = 0;
        for (int j = 0; j < n; j++) {
          if (j != i) {
            rest += (double) pat[j] * xi[j];
          }
        }
        sum += f(pat[i] + rest, s, degree, b) - f(-pat[i] + rest, s, degree, b);
      }
      next[i] = sum > 0 ? 1f : sum < 0 ? -1f : xi[i];
    }
    return next;
  }

  private static double f(double v, Separation s, int degree, double beta) {
    return switch (s) {
      case POLYNOMIAL -> Math.pow(v, degree);
      case RECTIFIED -> v > 0 ? Math.pow(v, degree) : 0;
      case EXP -> Math.exp(beta * v);
      case SOFTMAX -> throw new IllegalArgumentException();
    };
  }

  @Test
  void oneStepIsTheBinaryUpdateRule() {
    Random rnd = new Random(21);
    int n = 21;
    float[][] x = bipolar(rnd, 15, n);
    ModernHopfieldMemory[] memories = {
      ModernHopfieldMemory.polynomial(n, 2),
      ModernHopfieldMemory.polynomial(n, 3),
      ModernHopfieldMemory.rectified(n, 4),
      ModernHopfieldMemory.exponential(n, 0.4f),
      ModernHopfieldMemory.exponential(n, 1f)
    };
    for (ModernHopfieldMemory m : memories) {
      m.store(x);
      for (int c = 0; c < 30; c++) {
        float[] cue = flip(rnd, x[c % x.length], 6);
        float[] ref = naiveUpdate(x, cue, m.separation(), m.degree(), m.beta());
        assertArrayEquals(ref, m.retrieve(cue).state(), m + " cue " + c);
      }
    }
  }

  @Test
  void energiesAreTheSeparationEnergies() {
    Random rnd = new Random(22);
    int n = 30;
    float[][] x = bipolar(rnd, 12, n);
    float[] xi = flip(rnd, x[3], 5);
    ModernHopfieldMemory poly = ModernHopfieldMemory.polynomial(n, 3);
    poly.store(x);
    ModernHopfieldMemory ex = ModernHopfieldMemory.exponential(n, 0.5f);
    ex.store(x);
    double ePoly = 0;
    double sumExp = 0;
    for (float[] pat : x) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += pat[i] * xi[i];
      }
      ePoly -= s * s * s;
      sumExp += Math.exp(0.5 * s);
    }
    assertEquals(ePoly, poly.energy(xi), 1e-3);
    assertEquals(-Math.log(sumExp) / 0.5, ex.energy(xi), 1e-4);
  }

  /**
   * The degrees of Krotov and Hopfield's experiments (n = 20, 30) on N = 100: a stored pattern's
   * energy {@code -Σ_μ (x^μ·ξ)ⁿ} is about {@code -100^30 = -1e60}, far beyond float32 (3.4e38); the
   * memory, the recall results and the step listener report it in float64, not -Infinity.
   */
  @Test
  void highDegreeEnergiesAreFiniteBeyondTheFloat32Range() {
    Random rnd = new Random(23);
    int n = 100;
    float[][] x = bipolar(rnd, 20, n);
    for (Separation s : new Separation[] {Separation.POLYNOMIAL, Separation.RECTIFIED}) {
      for (int degree : new int[] {20, 30}) {
        ModernHopfieldMemory m =
            s == Separation.RECTIFIED
                ? ModernHopfieldMemory.rectified(n, degree)
                : ModernHopfieldMemory.polynomial(n, degree);
        m.store(x);
        String what = s.id() + " n=" + degree;
        float[] cue = flip(rnd, x[7], 4); // overlap 92: 92^20 = 1.9e39
        double expected = 0;
        for (float[] pat : x) {
          double o = 0;
          for (int i = 0; i < n; i++) {
            o += pat[i] * cue[i];
          }
          expected -= s == Separation.RECTIFIED && o <= 0 ? 0 : Math.pow(o, degree);
        }
        assertTrue(expected < -Float.MAX_VALUE, what + ": " + expected);
        assertEquals(expected, m.energy(cue), 1e-12 * -expected, what);
        List<Double> seen = new java.util.ArrayList<>();
        RecallResult r =
            m.retrieve(
                cue,
                m.defaultRecallOptions()
                    .withMaxIterations(3)
                    .withStepListener((q, it, e, conv, change) -> seen.add(e)));
        assertArrayEquals(x[7], r.state(), what);
        // the stored pattern's own energy: -(100^n + the other overlaps^n)
        assertTrue(r.energy() <= -Math.pow(n, degree), what + ": " + r.energy());
        assertTrue(Double.isFinite(r.energy()), what);
        assertTrue(seen.stream().allMatch(Double::isFinite), what + ": " + seen);
        assertEquals(r.energy(), seen.get(seen.size() - 1), what);
      }
    }
  }

  /**
   * N = 100, F = x³: the error-free capacity N^(n-1) / (2 (2n-3)!! ln N) is 362 patterns, against
   * 14 (0.14 N) for the classical network. At P = 100 every stored pattern is a fixed point and is
   * recalled in one step from 10 flipped bits, where Hebbian weights keep none; at P = 200 (14
   * times the classical capacity) still at least 95%.
   */
  @Test
  void cubicSeparationStoresFarMoreThanTheClassicalNetwork() {
    int n = 100;
    assertEquals(361.9, ModernHopfieldMemory.polynomialCapacity(n, 3), 0.1);
    assertEquals(14, AmariHopfieldNetwork.storageCapacity(n));
    Random rnd = new Random(23);
    for (int p : new int[] {100, 200}) {
      float[][] x = bipolar(rnd, p, n);
      ModernHopfieldMemory m = ModernHopfieldMemory.polynomial(n, 3);
      m.store(x);
      float[][] noisy = new float[p][];
      for (int k = 0; k < p; k++) {
        noisy[k] = flip10(rnd, x[k]);
      }
      int fixed = countExact(m.retrieveAll(x), x);
      int recalled =
          countExact(m.retrieveAll(noisy, m.defaultRecallOptions().withMaxIterations(5)), x);

      AmariHopfieldNetwork hebb = AmariHopfieldNetwork.create(n);
      HebbianTrainer.create(hebb).train(io.engram.learning.PatternBlock.of(x));
      int hebbFixed =
          countExact(hebb.recallBatch(x, RecallOptions.defaults().withMaxIterations(1)), x);
      int hebbRecalled = countExact(hebb.recallBatch(noisy, RecallOptions.defaults()), x);
      String figures =
          "P="
              + p
              + ": cubic fixed "
              + fixed
              + ", recalled "
              + recalled
              + "; Hebb fixed "
              + hebbFixed
              + ", recalled "
              + hebbRecalled;
      if (p == 100) {
        assertEquals(p, fixed, figures);
        assertEquals(p, recalled, figures);
      } else {
        assertTrue(fixed >= 0.95 * p && recalled >= 0.95 * p, figures);
      }
      assertTrue(hebbFixed <= 0.05 * p && hebbRecalled <= 0.05 * p, figures);
    }
  }

  /** Exactly 10 distinct values flipped. */
  private static float[] flip10(Random rnd, float[] v) {
    float[] c = v.clone();
    int[] idx = rnd.ints(0, v.length).distinct().limit(10).toArray();
    for (int i : idx) {
      c[i] = -c[i];
    }
    return c;
  }

  private static int countExact(List<RecallResult> rs, float[][] x) {
    int ok = 0;
    for (int k = 0; k < x.length; k++) {
      ok += Arrays.equals(rs.get(k).state(), x[k]) ? 1 : 0;
    }
    return ok;
  }

  /** F = e^x (Demircigil et al.): 5000 patterns of N = 100, each recalled from 20 flipped bits. */
  @Test
  void exponentialSeparationStoresManyMore() {
    int n = 100;
    int p = 5000;
    Random rnd = new Random(24);
    float[][] x = bipolar(rnd, p, n);
    ModernHopfieldMemory m = ModernHopfieldMemory.exponential(n, 1f);
    m.store(x);
    float[][] noisy = new float[p][];
    for (int k = 0; k < p; k++) {
      noisy[k] = x[k].clone();
      int[] idx = rnd.ints(0, n).distinct().limit(20).toArray();
      for (int i : idx) {
        noisy[k][i] = -noisy[k][i];
      }
    }
    List<RecallResult> rs = m.retrieveAll(noisy);
    assertEquals(p, countExact(rs, x));
    for (int k = 0; k < p; k++) {
      assertEquals(k, rs.get(k).matches().get(0).index());
    }
  }

  @Test
  void binarySeparationsNeedPlusMinusOne() {
    ModernHopfieldMemory m = ModernHopfieldMemory.polynomial(3, 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.store(new float[][] {{1, 0, -1}}));
    assertTrue(e.getMessage().contains("±1"), e.getMessage());
    m.store(new float[][] {{1, 1, -1}});
    assertThrows(IllegalArgumentException.class, () -> m.retrieve(new float[] {1, 0.5f, -1}));
    RecallResult r = m.retrieve(new float[] {1, -1, -1});
    assertArrayEquals(new float[] {1, 1, -1}, r.state());
    assertEquals(1f / 3, r.matches().get(0).weight(), 1e-6f); // the overlap of the cue
  }
}
