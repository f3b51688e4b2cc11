package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.weights.LowRankWeights;
import io.engram.weights.Weights;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The heat map's block means: through products for weights that are not dense (a low-rank W's
 * entries one by one cost R each: 48 s for N = 65536), the same means as entry by entry.
 */
class HeatmapTest {

  @Test
  void blockMeansOfLowRankWeightsAreThoseOfTheirDenseForm() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int n : new int[] {257, 700, 1031}) {
      int p = 9;
      float[] x = new float[p * n];
      for (int i = 0; i < x.length; i++) {
        x[i] = rnd.nextBoolean() ? 1f : -1f;
      }
      Weights low = LowRankWeights.zeros(n).plusGram(x, p, 0.1f, p, false, null);
      low.zeroDiagonal();
      assertTrue(!low.isDense());
      double[] viaProducts = Figures.blockMeans(low, Figures.HEATMAP_CELLS);
      double[] entryByEntry = Figures.blockMeans(low.asDense(), Figures.HEATMAP_CELLS);
      assertEquals(entryByEntry.length, viaProducts.length);
      double max = 0;
      for (double v : entryByEntry) {
        max = Math.max(max, Math.abs(v));
      }
      assertTrue(max > 0);
      for (int k = 0; k < viaProducts.length; k++) {
        assertEquals(entryByEntry[k], viaProducts[k], 1e-5 * max, "N = " + n + ", cell " + k);
      }
    }
  }
}
