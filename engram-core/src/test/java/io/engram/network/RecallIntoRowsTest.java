package io.engram.network;

import static io.engram.fixtures.RandomVectors.bipolar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import io.engram.weights.WeightsMode;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The classical network's {@code recallBatch} into the caller's rows, and {@link Memory}'s default
 * of it: the results of {@code recallBatch}, bit for bit, each state in its row.
 */
class RecallIntoRowsTest {

  @Test
  void writesTheFinalStatesIntoTheRowsForEveryUpdateModeAndWeights() {
    Random rnd = new Random(5);
    int n = 96;
    float[][] x = new float[12][];
    for (int i = 0; i < x.length; i++) {
      x[i] = bipolar(rnd, n);
    }
    float[][] cues = new float[40][];
    for (int q = 0; q < cues.length; q++) {
      cues[q] = x[q % x.length].clone();
      for (int i = 0; i < n; i++) {
        if (rnd.nextDouble() < 0.2) {
          cues[q][i] = -cues[q][i];
        }
      }
    }
    for (WeightsMode mode : WeightsMode.values()) {
      for (UpdateMode um : List.of(UpdateMode.synchronous(), UpdateMode.asynchronous(7L))) {
        AmariHopfieldNetwork net =
            AmariHopfieldNetwork.create(n, Dynamics.DEFAULT.withUpdateMode(um), mode);
        HebbianTrainer.create(net).train(PatternBlock.of(x));
        RecallOptions o = net.defaultRecallOptions();
        List<RecallResult> expected = net.recallBatch(cues, o);
        float[][] rows = new float[cues.length][n];
        for (float[] r : rows) {
          Arrays.fill(r, Float.NaN);
        }
        String what = mode + " " + um;
        assertSame(expected, net.recallBatch(cues, o, rows), expected, rows, what);
        // the interface's default: recall, then copy
        Memory plain = plain(net);
        float[][] rows2 = new float[cues.length][n];
        assertSame(expected, plain.recallBatch(cues, o, rows2), expected, rows2, what + " default");
      }
    }
  }

  @Test
  void refusesRowsThatAreNotFit() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(8);
    float[][] cues = {bipolar(new Random(1), 8), bipolar(new Random(2), 8)};
    RecallOptions o = net.defaultRecallOptions();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> net.recallBatch(cues, o, new float[][] {cues[1], new float[8]}));
    assertEquals(
        "states row 0 is the same array as cue 1; each row must be an array of its own",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> plain(net).recallBatch(cues, o, new float[][] {new float[8]}));
    assertEquals("states has 1 rows for 2 cues; need one per cue", e.getMessage());
  }

  private static void assertSame(
      List<RecallResult> expected,
      List<RecallResult> got,
      List<RecallResult> e2,
      float[][] rows,
      String what) {
    assertEquals(expected.size(), got.size());
    for (int q = 0; q < got.size(); q++) {
      org.junit.jupiter.api.Assertions.assertSame(rows[q], got.get(q).state(), what);
      assertArrayEquals(expected.get(q).state(), got.get(q).state(), what + " query " + q);
      assertEquals(expected.get(q).steps(), got.get(q).steps(), what);
      assertEquals(expected.get(q).converged(), got.get(q).converged(), what);
      assertEquals(
          Double.doubleToLongBits(expected.get(q).energy()),
          Double.doubleToLongBits(got.get(q).energy()),
          what);
    }
  }

  /** The network behind the interface's defaults alone. */
  private static Memory plain(AmariHopfieldNetwork net) {
    return new Memory() {
      @Override
      public String kind() {
        return net.kind();
      }

      @Override
      public int numNeurons() {
        return net.numNeurons();
      }

      @Override
      public RecallOptions defaultRecallOptions() {
        return net.defaultRecallOptions();
      }

      @Override
      public List<RecallResult> recallBatch(float[][] cues, RecallOptions options) {
        return net.recallBatch(cues, options);
      }

      @Override
      public RetrievalStep retrievalStep(RecallOptions options) {
        return net.retrievalStep(options);
      }
    };
  }
}
