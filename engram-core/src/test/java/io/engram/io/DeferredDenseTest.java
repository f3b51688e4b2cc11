package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.AntiHebbianTrainer;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianTrainer;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.weights.DenseWeights;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New dense weights trained once keep the update's patterns, not W ({@link
 * DenseWeights#isDeferred}): a model file written from them streams W's rows as they are computed
 * and has the same bytes as one written from the whole matrix; anything else that reads or changes
 * W computes it whole first, with the same results.
 */
class DeferredDenseTest {

  @TempDir Path tmp;

  private static float[][] patterns(int p, int n, long seed, boolean real) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = real ? (float) (r.nextDouble() * 2 - 0.7) : r.nextBoolean() ? 1f : -1f;
      }
    }
    return x;
  }

  private static AmariHopfieldNetwork trained(
      int n, float[][] x, HebbianOptions o, boolean anti, boolean wholeFirst) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, WeightsMode.DENSE);
    if (wholeFirst) {
      net.weights().get(0, 0); // an entry read: W is made now, and trained in place as before
    }
    if (anti) {
      AntiHebbianTrainer.create(net, o).train(x);
    } else {
      HebbianTrainer.create(net, o).train(x);
    }
    return net;
  }

  private static DenseWeights dense(AmariHopfieldNetwork net) {
    return (DenseWeights) net.weights();
  }

  @Test
  void aModelWrittenFromDeferredWeightsHasTheBytesOfOneWrittenFromTheWholeMatrix()
      throws IOException {
    int n = 333; // not a multiple of a tile: edge panels and tiles
    int k = 0;
    for (boolean real : new boolean[] {false, true}) {
      for (boolean anti : new boolean[] {false, true}) {
        for (boolean centre : new boolean[] {false, true}) {
          for (boolean zeroDiagonal : new boolean[] {true, false}) {
            HebbianOptions o = new HebbianOptions(centre, zeroDiagonal, !(real && anti), false);
            float[][] x = patterns(40, n, 3 + k, real);
            AmariHopfieldNetwork deferred = trained(n, x, o, anti, false);
            AmariHopfieldNetwork whole = trained(n, x, o, anti, true);
            String where = "real=" + real + " anti=" + anti + " " + o;
            assertTrue(dense(deferred).isDeferred(), where);
            assertFalse(dense(whole).isDeferred(), where);
            Path a = tmp.resolve("a" + k + ".npz");
            Path b = tmp.resolve("b" + k + ".npz");
            ModelFile.write(a, deferred);
            ModelFile.write(b, whole);
            assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(a), where);
            assertTrue(dense(deferred).isDeferred(), where + ": writing computed W whole");
            assertEquals(dense(whole).maxAbsBound(), dense(deferred).maxAbsBound(), 0, where);
            k++;
          }
        }
      }
    }
  }

  @Test
  void everyOtherReadOrChangeComputesTheWholeMatrixFirstWithTheSameResults() {
    int n = 150;
    float[][] x = patterns(30, n, 9, false);
    HebbianOptions o = HebbianOptions.DEFAULTS;
    AmariHopfieldNetwork whole = trained(n, x, o, false, true);
    float[] s = x[0].clone();
    float[] expected = new float[n];
    whole.weights().multiply(s, expected);

    AmariHopfieldNetwork a = trained(n, x, o, false, false);
    assertTrue(dense(a).isDeferred());
    float[] got = new float[n];
    a.weights().multiply(s, got);
    assertFalse(dense(a).isDeferred());
    assertArrayEquals(expected, got);
    assertArrayEquals(whole.weights().toDenseArray(), a.weights().toDenseArray());

    // recall, an entry, a copy, a further call, the dense array: each on weights still deferred
    float[][] cues = new float[5][];
    for (int q = 0; q < cues.length; q++) {
      cues[q] = x[q].clone();
      for (int i = 0; i < n; i += 7) {
        cues[q][i] = -cues[q][i];
      }
    }
    List<RecallResult> ref = whole.recallBatch(cues, RecallOptions.defaults());
    AmariHopfieldNetwork r = trained(n, x, o, false, false);
    List<RecallResult> rec = r.recallBatch(cues, RecallOptions.defaults());
    for (int q = 0; q < cues.length; q++) {
      assertArrayEquals(ref.get(q).state(), rec.get(q).state(), "cue " + q);
      assertEquals(ref.get(q).energy(), rec.get(q).energy(), "cue " + q);
    }
    AmariHopfieldNetwork e = trained(n, x, o, false, false);
    assertEquals(whole.weights().get(3, 77), e.weights().get(3, 77));
    AmariHopfieldNetwork c = trained(n, x, o, false, false);
    assertArrayEquals(whole.weights().toDenseArray(), c.weights().copy().toDenseArray());
    assertTrue(dense(c).isDeferred(), "a copy leaves the original as it was");
    float[][] more = patterns(10, n, 10, false);
    HebbianTrainer.create(whole, o).train(more);
    HebbianTrainer.create(c, o).train(more);
    assertArrayEquals(whole.weights().toDenseArray(), c.weights().toDenseArray());
  }

  @Test
  void onlyNewWeightsWithFewPatternsAndLittleWorkAreDeferred() {
    int n = 64;
    // more patterns than a quarter of N: W is made (the packed patterns would be as large)
    AmariHopfieldNetwork many =
        trained(n, patterns(17, n, 1, false), HebbianOptions.DEFAULTS, false, false);
    assertFalse(dense(many).isDeferred());
    AmariHopfieldNetwork few =
        trained(n, patterns(16, n, 1, false), HebbianOptions.DEFAULTS, false, false);
    assertTrue(dense(few).isDeferred());
    // a second call continues W: computed whole, then updated in place
    HebbianTrainer.create(few, HebbianOptions.DEFAULTS).train(patterns(2, n, 2, false));
    assertFalse(dense(few).isDeferred());
  }
}
