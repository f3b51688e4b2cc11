package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PanamaTwin} gives the SIMD kernels' bits: against {@code PanamaKernels} itself for this
 * machine's vector width, every kernel and every path of the tile (8 x 32, 8 x 16, the generic
 * masked one; added or not; A row-major or transposed), and the drivers on top ({@link Gemm},
 * {@link Syrk}) over awkward sizes; for other widths, the dot product against a reference written
 * from its definition.
 */
class PanamaTwinTest {

  private static final int[] LENGTHS = {
    0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 1000, 1021, 4097
  };

  private static KernelProvider vector() {
    KernelProvider v = Providers.vector();
    assumeTrue(v != null, "Vector API module not present");
    return v;
  }

  /** The twin for the SIMD kernels in use ({@code panama-512}: 16 lanes). */
  private static PanamaTwin twinOf(KernelProvider v) {
    return new PanamaTwin(Integer.parseInt(v.name().substring("panama-".length())) / 32);
  }

  /** Bipolar values, -0, and real values whose products round (fused or not makes a difference). */
  private static float[] values(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = rnd.nextInt(8);
      v[i] =
          kind < 3
              ? (rnd.nextBoolean() ? 1f : -1f)
              : kind == 3
                  ? -0f
                  : (rnd.nextFloat() - 0.5f) * (float) Math.pow(2, rnd.nextInt(20) - 10);
    }
    return v;
  }

  private static void assertSameBits(float expected, float actual, String where) {
    assertEquals(
        Float.floatToRawIntBits(expected),
        Float.floatToRawIntBits(actual),
        where + ": " + expected + " vs " + actual);
  }

  @Test
  void theWidthReadWithoutTheModuleIsTheSimdKernelsWidth() {
    // a JVM without the Vector API module (Kernels.TWIN_PROPERTY) runs the twin at the width read
    // from java.base's vector support: it must be the SIMD kernels' (panama-512 here: 512 bits)
    int bits = Providers.preferredBitsWithoutModule();
    assertTrue(bits >= 64, "the width was not read: " + bits);
    KernelProvider v = vector();
    assertEquals(v.name(), "panama-" + Kernels.speciesBits(bits));
    assertEquals(twinOf(v).name(), new PanamaTwin(Kernels.speciesBits(bits) / 32).name());
  }

  @Test
  void dotGivesTheSimdBits() {
    KernelProvider v = vector();
    PanamaTwin twin = twinOf(v);
    Random rnd = new Random(21);
    for (int n : LENGTHS) {
      for (int off : new int[] {0, 3}) {
        float[] a = values(rnd, n + off);
        float[] b = values(rnd, n + off + 5);
        assertSameBits(
            v.dot(a, off, b, off + 2, n),
            twin.dot(a, off, b, off + 2, n),
            "n=" + n + " off=" + off);
      }
    }
  }

  /**
   * In each provider (SIMD, twin, plain Java): the rows added with weights, the bits of {@code
   * axpby} called row by row, for 0 to 7 rows; and for several outputs at once ({@code
   * axpyRowsEach}: 1 to 9 outputs, 0 to 9 rows, the SIMD kernels' four-by-four path and what is
   * left around it).
   */
  @Test
  void smallMemoryKernelsGiveTheBitsOfTheirDefinitions() {
    KernelProvider v = vector();
    Random rnd = new Random(23);
    for (KernelProvider kp : new KernelProvider[] {v, twinOf(v), ScalarKernels.INSTANCE}) {
      for (int n : LENGTHS) {
        for (int rows = 0; rows <= 7; rows++) {
          float[] x = values(rnd, rows * n + 1);
          float[] w = values(rnd, 3 * rows + 2);
          float[] y = values(rnd, n + 2);
          float[] expected = y.clone();
          for (int r = 0; r < rows; r++) {
            ScalarKernels.INSTANCE.axpby(w[1 + 3 * r], x, 1 + r * n, 1f, expected, 2, n);
          }
          kp.axpyRows(rows, w, 1, 3, x, 1, n, y, 2, n);
          for (int i = 0; i < y.length; i++) {
            assertSameBits(expected[i], y[i], kp.name() + " rows=" + rows + " n=" + n + " i=" + i);
          }
        }
        // several outputs at once: output j's weights the j-th of each row of w (m + 1 apart)
        for (int m : new int[] {1, 3, 4, 5, 9}) {
          for (int rows : new int[] {0, 1, 3, 4, 6, 8, 9}) {
            float[] x = values(rnd, rows * n + 1);
            float[] w = values(rnd, (m + 1) * rows + 2);
            int ldy = n + 3;
            float[] y = values(rnd, m * ldy + 2);
            float[] expected = y.clone();
            for (int j = 0; j < m; j++) {
              for (int r = 0; r < rows; r++) {
                ScalarKernels.INSTANCE.axpby(
                    w[1 + j + (m + 1) * r], x, 1 + r * n, 1f, expected, 2 + j * ldy, n);
              }
            }
            kp.axpyRowsEach(m, rows, w, 1, m + 1, x, 1, n, y, 2, ldy, n);
            for (int i = 0; i < y.length; i++) {
              assertSameBits(
                  expected[i],
                  y[i],
                  kp.name() + " each m=" + m + " rows=" + rows + " n=" + n + " i=" + i);
            }
            // into outputs that start at zero, whatever they hold: only their n values change
            float[] into = values(rnd, m * ldy + 2);
            float[] expectedInto = into.clone();
            for (int j = 0; j < m; j++) {
              java.util.Arrays.fill(expectedInto, 2 + j * ldy, 2 + j * ldy + n, 0f);
              for (int r = 0; r < rows; r++) {
                ScalarKernels.INSTANCE.axpby(
                    w[1 + j + (m + 1) * r], x, 1 + r * n, 1f, expectedInto, 2 + j * ldy, n);
              }
            }
            kp.axpyRowsEachInto(m, rows, w, 1, m + 1, x, 1, n, into, 2, ldy, n);
            for (int i = 0; i < into.length; i++) {
              assertSameBits(
                  expectedInto[i],
                  into[i],
                  kp.name() + " each into m=" + m + " rows=" + rows + " n=" + n + " i=" + i);
            }
          }
        }
      }
    }
  }

  /**
   * A small memory's kernels for queries and outputs held as rows: one-accumulator dot products
   * ({@code laneDot}) the same bits in the SIMD kernels and their twin, and as their definition
   * written out; four rows by four ({@code dot4x4}), a row passed more than once included, each
   * product the bits of {@code laneDot} in every provider; and the rows added into one to four
   * outputs of their own ({@code axpyRowsInto}) the bits of {@code axpby} row by row from zero,
   * with nothing past the first n values of an output touched.
   */
  @Test
  void rowKernelsOfSmallMemoriesGiveTheBitsOfTheirDefinitions() {
    KernelProvider v = vector();
    PanamaTwin twin = twinOf(v);
    int lanes = Integer.parseInt(v.name().substring("panama-".length())) / 32;
    Random rnd = new Random(24);
    for (int n : LENGTHS) {
      float[] a = values(rnd, n + 3);
      float[] b = values(rnd, n + 5);
      float lane = v.laneDot(a, 3, b, 1, n);
      assertSameBits(lane, twin.laneDot(a, 3, b, 1, n), "laneDot n=" + n);
      assertSameBits(
          referenceLaneDot(
              lanes, Arrays.copyOfRange(a, 3, n + 3), Arrays.copyOfRange(b, 1, n + 1), n),
          lane,
          "laneDot as defined, n=" + n);
    }
    for (KernelProvider kp : new KernelProvider[] {v, twin, ScalarKernels.INSTANCE}) {
      for (int n : LENGTHS) {
        float[] x = values(rnd, 4 * n + 7);
        float[][] rows = {values(rnd, n + 2), values(rnd, n), null, values(rnd, n + 9)};
        rows[2] = rows[0];
        int[] aOff = {7, 3 * n + 7, 7, n + 1};
        int[] bOff = {2, 0, 1, 9};
        float[] out = new float[16];
        kp.dot4x4(x, aOff, rows, bOff, n, out);
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            assertSameBits(
                kp.laneDot(x, aOff[i], rows[j], bOff[j], n),
                out[4 * i + j],
                kp.name() + " dot4x4 n=" + n + " " + i + "," + j);
          }
        }
        for (int m = 1; m <= 4; m++) {
          for (int r : new int[] {0, 1, 3, 4, 5, 7, 8, 9}) {
            float[] xs = values(rnd, r * n + 1);
            float[] w = values(rnd, 5 * r + 2);
            float[][] y = new float[m][];
            float[][] expected = new float[m][];
            for (int j = 0; j < m; j++) {
              y[j] = values(rnd, n + 3);
              expected[j] = y[j].clone();
              Arrays.fill(expected[j], 0, n, 0f);
              for (int row = 0; row < r; row++) {
                ScalarKernels.INSTANCE.axpby(
                    w[1 + j + 5 * row], xs, 1 + row * n, 1f, expected[j], 0, n);
              }
            }
            kp.axpyRowsInto(m, r, w, 1, 5, xs, 1, n, y, n);
            for (int j = 0; j < m; j++) {
              for (int i = 0; i < n + 3; i++) {
                assertSameBits(
                    expected[j][i],
                    y[j][i],
                    kp.name() + " into m=" + m + " rows=" + r + " n=" + n + " j=" + j + " i=" + i);
              }
            }
          }
        }
      }
    }
  }

  /** The one-accumulator dot product as PanamaKernels defines it, for any number of lanes. */
  private static float referenceLaneDot(int lanes, float[] a, float[] b, int n) {
    float[] s = new float[lanes];
    int j = 0;
    while (j + lanes <= n) {
      for (int l = 0; l < lanes; l++, j++) {
        s[l] = Math.fma(a[j], b[j], s[l]);
      }
    }
    float acc = sumLanesAsATree(s);
    for (; j < n; j++) {
      acc = Math.fma(a[j], b[j], acc);
    }
    return acc;
  }

  /** PanamaKernels' lane sum: for 16 lanes a tree of rotations (by 8, 4, 2, 1), else in order. */
  private static float sumLanesAsATree(float[] v) {
    if (v.length != 16) {
      float acc = 0f;
      for (float f : v) {
        acc += f;
      }
      return acc;
    }
    float[] t = v.clone();
    for (int by = 8; by >= 1; by /= 2) {
      float[] u = new float[16];
      for (int l = 0; l < 16; l++) {
        u[l] = t[l] + t[(l + by) & 15];
      }
      t = u;
    }
    return t[0];
  }

  /** The dot product as PanamaKernels defines it, written out for any number of lanes. */
  private static float referenceDot(int lanes, float[] a, float[] b, int n) {
    float[][] s = new float[4][lanes];
    int j = 0;
    while (j + 4 * lanes <= n) {
      for (int v = 0; v < 4; v++) {
        for (int l = 0; l < lanes; l++, j++) {
          s[v][l] = Math.fma(a[j], b[j], s[v][l]);
        }
      }
    }
    while (j + lanes <= n) {
      for (int l = 0; l < lanes; l++, j++) {
        s[0][l] = Math.fma(a[j], b[j], s[0][l]);
      }
    }
    float acc = 0f;
    for (int l = 0; l < lanes; l++) {
      acc += (s[0][l] + s[1][l]) + (s[2][l] + s[3][l]);
    }
    for (; j < n; j++) {
      acc = Math.fma(a[j], b[j], acc);
    }
    return acc;
  }

  @Test
  void dotForOtherVectorWidthsFollowsItsDefinition() {
    Random rnd = new Random(22);
    for (int lanes : new int[] {1, 2, 4, 8}) {
      PanamaTwin twin = new PanamaTwin(lanes);
      for (int n : LENGTHS) {
        float[] a = values(rnd, n);
        float[] b = values(rnd, n);
        assertSameBits(
            referenceDot(lanes, a, b, n), twin.dot(a, 0, b, 0, n), "lanes=" + lanes + " n=" + n);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new PanamaTwin(12));
  }

  @Test
  void sixteenLanesAreSummedAsATreeOfRotations() {
    // lanes 0 and 8 cancel first in the tree (v + rot(v, 8)), so all fourteen ones count (14);
    // in lane order the ones after 1e8 are lost to rounding until -1e8 comes (7)
    float[] a = new float[16];
    float[] b = new float[16];
    for (int i = 0; i < 16; i++) {
      a[i] = i == 0 ? 1e8f : i == 8 ? -1e8f : 1f;
      b[i] = 1f;
    }
    assertSameBits(14f, new PanamaTwin(16).dot(a, 0, b, 0, 16), "tree");
    assertSameBits(7f, referenceDot(16, a, b, 16), "lane order");
    KernelProvider v = Providers.vector();
    if (v != null && v.name().equals("panama-512")) {
      assertSameBits(14f, v.dot(a, 0, b, 0, 16), "SIMD kernels");
    }
  }

  @Test
  void divideAndAddGiveTheSimdBits() {
    KernelProvider v = vector();
    PanamaTwin twin = twinOf(v);
    Random rnd = new Random(23);
    for (int n : LENGTHS) {
      float[] x = values(rnd, n + 4);
      float[] y1 = x.clone();
      float[] y2 = x.clone();
      v.divide(y1, 2, n, 3f);
      twin.divide(y2, 2, n, 3f);
      float[] src = values(rnd, n + 1);
      v.add(src, 1, y1, 0, n);
      twin.add(src, 1, y2, 0, n);
      for (int i = 0; i < y1.length; i++) {
        assertSameBits(y1[i], y2[i], "n=" + n + " i=" + i);
      }
    }
  }

  @Test
  void everyTilePathGivesTheSimdBits() {
    KernelProvider v = vector();
    PanamaTwin twin = twinOf(v);
    Random rnd = new Random(24);
    int mrMax = KernelProvider.MR;
    int nrMax = KernelProvider.NR;
    for (int k : new int[] {0, 1, 3, 17, 100}) {
      for (int mr : new int[] {KernelProvider.TALL, mrMax, 7, 5, 4, 3, 1}) {
        for (int ldb : new int[] {nrMax, nrMax / 2, 20, 37}) {
          for (int nr : new int[] {Math.min(ldb, nrMax), Math.min(ldb, 13), 6, 1}) {
            for (boolean transposed : new boolean[] {false, true}) {
              for (boolean add : new boolean[] {false, true}) {
                // A is mr x k at offset 3, row-major (aRs = k) or transposed in place (aCs = mr)
                int aRs = transposed ? 1 : Math.max(k, 1);
                int aCs = transposed ? mr : 1;
                float[] a = values(rnd, 3 + mr * Math.max(k, 1) + 1);
                // B's last row padded to a whole tile (the SIMD kernels read rows whole, no
                // masks) or not (the masked path), in turn
                boolean padded = rnd.nextBoolean();
                float[] b = values(rnd, 2 + Math.max(k - 1, 0) * ldb + (padded ? nrMax : nr));
                float[] start = values(rnd, KernelProvider.TALL * nrMax);
                float[] o1 = start.clone();
                float[] o2 = start.clone();
                v.tile(mr, nr, k, a, 3, aRs, aCs, b, 2, ldb, o1, add);
                twin.tile(mr, nr, k, a, 3, aRs, aCs, b, 2, ldb, o2, add);
                String where =
                    "k="
                        + k
                        + (padded ? " padded" : "")
                        + " mr="
                        + mr
                        + " nr="
                        + nr
                        + " ldb="
                        + ldb
                        + " transposed="
                        + transposed
                        + " add="
                        + add;
                for (int r = 0; r < mr; r++) {
                  for (int c = 0; c < nr; c++) {
                    int i = r * nrMax + c;
                    assertSameBits(o1[i], o2[i], where + " (" + r + "," + c + ")");
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * {@code tileInto} and {@code tileAddInto}, on the SIMD kernels (their 12- and 8-row register
   * tiles, and the default path for other shapes), the twin and the plain-Java kernels: each writes
   * exactly the bits of its own {@code tile} then a copy or an {@code add} row by row, only inside
   * its mr x nr block of C; the SIMD kernels and the twin agree bit for bit.
   */
  @Test
  void tilesIntoCGiveTheBitsOfATileThenACopyOrAnAdd() {
    KernelProvider v = vector();
    KernelProvider[] kps = {v, twinOf(v), ScalarKernels.INSTANCE};
    Random rnd = new Random(25);
    int nrMax = KernelProvider.NR;
    for (int k : new int[] {0, 1, 3, 17, 100}) {
      for (int mr : new int[] {KernelProvider.TALL, 11, KernelProvider.MR, 5, 1}) {
        for (int ldb : new int[] {nrMax, nrMax / 2, 37}) {
          for (int nr : new int[] {Math.min(ldb, nrMax), 13, 1}) {
            for (boolean transposed : new boolean[] {false, true}) {
              for (int ldc : new int[] {nrMax, 45}) {
                int aRs = transposed ? 1 : Math.max(k, 1);
                int aCs = transposed ? mr : 1;
                float[] a = values(rnd, 3 + mr * Math.max(k, 1) + 1);
                float[] b = values(rnd, 2 + k * ldb + nrMax);
                float[] c0 = values(rnd, 5 + mr * ldc + 7);
                String where =
                    "k="
                        + k
                        + " mr="
                        + mr
                        + " nr="
                        + nr
                        + " ldb="
                        + ldb
                        + " ldc="
                        + ldc
                        + " transposed="
                        + transposed;
                float[][] into = new float[kps.length][];
                float[][] added = new float[kps.length][];
                for (int i = 0; i < kps.length; i++) {
                  KernelProvider kp = kps[i];
                  into[i] = c0.clone();
                  added[i] = c0.clone();
                  float[] scratch = new float[KernelProvider.TALL * nrMax];
                  kp.tileInto(mr, nr, k, a, 3, aRs, aCs, b, 2, ldb, into[i], 5, ldc, scratch);
                  kp.tileAddInto(mr, nr, k, a, 3, aRs, aCs, b, 2, ldb, added[i], 5, ldc, scratch);
                  // the definition: tiles of at most 8 rows, then a copy or an add per row
                  float[] copied = c0.clone();
                  float[] summed = c0.clone();
                  float[] t = new float[KernelProvider.MR * nrMax];
                  for (int r0 = 0; r0 < mr; r0 += KernelProvider.MR) {
                    int rows = Math.min(KernelProvider.MR, mr - r0);
                    kp.tile(rows, nr, k, a, 3 + r0 * aRs, aRs, aCs, b, 2, ldb, t, false);
                    for (int r = 0; r < rows; r++) {
                      System.arraycopy(t, r * nrMax, copied, 5 + (r0 + r) * ldc, nr);
                      for (int j = 0; j < nr; j++) {
                        summed[5 + (r0 + r) * ldc + j] += t[r * nrMax + j];
                      }
                    }
                  }
                  for (int j = 0; j < c0.length; j++) {
                    String at = where + " " + kp.name() + " [" + j + "]";
                    assertSameBits(copied[j], into[i][j], "tileInto " + at);
                    assertSameBits(summed[j], added[i][j], "tileAddInto " + at);
                  }
                }
                for (int j = 0; j < c0.length; j++) {
                  assertSameBits(into[1][j], into[0][j], "tileInto SIMD/twin " + where);
                  assertSameBits(added[1][j], added[0][j], "tileAddInto SIMD/twin " + where);
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void theDriversOnTheTwinGiveTheSimdBits() {
    KernelProvider v = vector();
    PanamaTwin twin = twinOf(v);
    Random rnd = new Random(25);
    int[][] shapes = {
      {1, 1, 1},
      {7, 3, 64},
      {13, 20, 40},
      {64, 4, 300},
      {33, 17, 1030},
      {9, 64, 5},
      {17, 1, 3},
      {600, 1, 1030}
    };
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      float[] a = values(rnd, m * k);
      float[] b = values(rnd, k * n);
      for (boolean transposed : new boolean[] {false, true}) {
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        int aRs = transposed ? 1 : k;
        int aCs = transposed ? m : 1;
        Gemm.gemm(v, m, n, k, a, 0, aRs, aCs, b, 0, n, c1, 0, n, false);
        Gemm.gemm(twin, m, n, k, a, 0, aRs, aCs, b, 0, n, c2, 0, n, false);
        for (int i = 0; i < c1.length; i++) {
          assertSameBits(c1[i], c2[i], "gemm " + m + "x" + n + "x" + k + " i=" + i);
        }
      }
    }
    for (int n : new int[] {1, 31, 40, 129}) {
      for (int p : new int[] {1, 7, Syrk.SYRK_KC + 3}) {
        float[] t = values(rnd, p * n);
        for (boolean zero : new boolean[] {false, true}) {
          float[] w0 = zero ? new float[n * n] : values(rnd, n * n);
          float[] w1 = w0.clone();
          float[] w2 = w0.clone();
          Syrk.syrkAdd(v, n, p, t, 0.25f, w1, p, true, zero, null);
          Syrk.syrkAdd(twin, n, p, t, 0.25f, w2, p, true, zero, null);
          for (int i = 0; i < w1.length; i++) {
            assertSameBits(w1[i], w2[i], "syrk n=" + n + " p=" + p + " zero=" + zero + " i=" + i);
          }
        }
      }
    }
  }
}
