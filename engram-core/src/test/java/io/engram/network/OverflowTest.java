package io.engram.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.EngramFormatException;
import io.engram.io.ModelFile;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.weights.DenseWeights;
import io.engram.weights.LowRankWeights;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Float32 overflow is refused where it would happen, not discovered later: accumulated training
 * calls, model files whose stored parts overflow when combined, and recall fields.
 */
class OverflowTest {

  private static final HebbianRule UNNORMALISED =
      HebbianRule.hebbian(
          HebbianOptions.DEFAULTS.withNormalizeByPatterns(false).withSubtractMean(false));

  private static PatternBlock big(float scale) {
    float[][] x = new float[3][16];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < 16; i++) {
        x[k][i] = ((i * 7 + k * 3) % 5 < 2 ? 1f : -1f) * scale;
      }
    }
    return PatternBlock.of(x);
  }

  @Test
  void successiveCallsStopBeforeTheWeightsOverflow() {
    for (WeightsMode mode : WeightsMode.values()) {
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(16, Dynamics.DEFAULT, mode);
      PatternBlock x = big(5e18f);
      int accepted = 0;
      IllegalArgumentException refused = null;
      for (int call = 0; call < 10 && refused == null; call++) {
        float[] before = net.weightMatrix();
        int historyBefore = net.history().size();
        try {
          UNNORMALISED.train(net, x, true, null);
          accepted++;
        } catch (IllegalArgumentException e) {
          refused = e;
          assertArrayEquals(
              before, net.weightMatrix(), mode + ": weights changed by a refused call");
          assertEquals(historyBefore, net.history().size());
        }
        for (float v : net.weightMatrix()) {
          assertTrue(Float.isFinite(v), mode + ": a weight became " + v);
        }
      }
      assertTrue(refused != null, mode + ": never refused");
      assertTrue(refused.getMessage().contains("overflow"), refused.getMessage());
      assertTrue(accepted >= 1, mode + ": the first call is representable and must pass");
    }
  }

  /**
   * Storkey's update computed on patterns of 1e19 overflows to NaN weights, whose bound is NaN: the
   * refusal said "entries could reach NaN in magnitude", a magnitude of nothing.
   */
  @Test
  void weightsThatOverflowToNaNAreNamedAsOverflowingNotAsAMagnitude() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(8);
    float[][] x = new float[2][8];
    java.util.Arrays.fill(x[0], 1e19f);
    java.util.Arrays.fill(x[1], 1e19f);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                io.engram.learning.StorkeyRule.create().train(net, PatternBlock.of(x), true, null));
    assertEquals(
        "storkey would overflow float32 weights: entries would become NaN or infinite (the limit"
            + " is "
            + (float) AmariHopfieldNetwork.MAX_WEIGHT
            + " in magnitude); the patterns or the accumulated weights are too large",
        e.getMessage());
    assertEquals(0, net.history().size());
  }

  @Test
  void aLowRankModelWhoseFactorsOverflowWhenCombinedIsRefused(@TempDir Path dir)
      throws IOException {
    float[] t = new float[2 * 8];
    for (int i = 0; i < t.length; i++) {
      t[i] = (i % 3 == 0 ? 1f : -1f) * 1e30f;
    }
    // every stored value is finite, but Σ t tᵀ is not. No network takes such weights
    // (AmariHopfieldNetwork.of refuses them), so the file is made from one of small factors with
    // the factor's member replaced
    float[] small = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      small[i] = t[i] * 1e-30f;
    }
    LowRankWeights w =
        LowRankWeights.of(
            8, List.of(new LowRankWeights.Factor(small, 2, 1f, false, true)), new float[8]);
    Path good = dir.resolve("good.npz");
    ModelFile.write(good, AmariHopfieldNetwork.of(w, Dynamics.DEFAULT));
    io.engram.io.NpzFile.Builder b = io.engram.io.NpzFile.builder();
    try (io.engram.io.NpzFile zip = io.engram.io.NpzFile.open(good)) {
      for (String m : zip.memberNames()) {
        b.putBytes(
            m,
            m.equals("T0.npy")
                ? io.engram.io.Npy.toBytes(io.engram.io.NdArray.ofFloats(t, 2, 8))
                : zip.bytes(m, 1 << 20));
      }
    }
    Path f = dir.resolve("bad.npz");
    b.write(f);
    EngramFormatException e = assertThrows(EngramFormatException.class, () -> ModelFile.read(f));
    assertTrue(e.getMessage().contains("float32"), e.getMessage());
    assertTrue(Files.exists(f));
  }

  @Test
  void recallRefusesFieldsThatAreNotNumbers() {
    // weights within the limit, cue values that are finite, but every product overflows with
    // both signs: the fields are Inf - Inf
    int n = 16;
    float[] w = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        w[i * n + j] = i == j ? 0f : (j % 2 == 0 ? 8e37f : -8e37f);
      }
    }
    AmariHopfieldNetwork net = AmariHopfieldNetwork.of(DenseWeights.of(n, w), Dynamics.DEFAULT);
    float[] cue = new float[n];
    java.util.Arrays.fill(cue, 1e30f);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> net.recall(cue));
    assertTrue(e.getMessage().contains("overflow"), e.getMessage());
  }
}
