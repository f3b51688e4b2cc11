package io.engram.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.AntiHebbianTrainer;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties that must hold for any input (fixed seeds). */
class NetworkPropertiesTest {

  static float[][] randomPm1(SplittableRandom r, int p, int n) {
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    return x;
  }

  static float[][] randomReal(SplittableRandom r, int p, int n) {
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return x;
  }

  /** Energy in float64 from the dense weights. */
  static double energy(float[] w, float[] s, int n) {
    double e = 0;
    for (int i = 0; i < n; i++) {
      double f = 0;
      for (int j = 0; j < n; j++) {
        f += (double) w[i * n + j] * s[j];
      }
      e += s[i] * f;
    }
    return -0.5 * e;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void energyNeverRisesUnderAsynchronousSignUpdates(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 20 + r.nextInt(150);
    int p = 1 + r.nextInt(Math.max(1, n / 4));
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    HebbianTrainer.create(net).train(seed % 2 == 0 ? randomPm1(r, p, n) : randomReal(r, p, n));
    float[] w = net.weightMatrix();
    for (int i = 0; i < n; i++) {
      assertEquals(0f, w[i * n + i]);
    }
    float[] cue = randomPm1(r, 1, n)[0];
    // one neuron at a time, through the library's own sweep with the energy listener
    List<Double> energies = new ArrayList<>();
    net.recall(
        cue,
        RecallOptions.defaults()
            .withMaxIterations(30)
            .withDynamics(net.dynamics().withUpdateMode(UpdateMode.asynchronous(seed)))
            .withStepListener((q, it, e, conv, de) -> energies.add(e)));
    float start = net.energy(cue);
    double prev = start;
    for (double e : energies) {
      assertTrue(
          e <= prev + 1e-4f * Math.max(1f, Math.abs(prev)),
          "energy rose from " + prev + " to " + e);
      prev = e;
    }
    // and single-neuron updates checked one by one in float64
    float[] s = cue.clone();
    double e0 = energy(w, s, n);
    for (int sweep = 0; sweep < 5; sweep++) {
      for (int i = 0; i < n; i++) {
        float v = Activation.SIGN.apply(net.weights().rowDot(i, s), 1f);
        s[i] = v;
        double e1 = energy(w, s, n);
        assertTrue(
            e1 <= e0 + 1e-6 * Math.max(1, Math.abs(e0)), "neuron " + i + ": " + e0 + " -> " + e1);
        e0 = e1;
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14})
  void storedPatternsBelowCapacityAreFixedPoints(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 300 + r.nextInt(400);
    int p = 2 + r.nextInt(4); // far below 0.14 N
    float[][] x = randomPm1(r, p, n);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    HebbianTrainer.create(net).train(x);
    assertTrue(p < net.storageCapacity());
    for (float[] pattern : x) {
      RecallResult res = net.recall(pattern, RecallOptions.defaults());
      assertTrue(res.converged());
      assertEquals(
          1, res.steps(), "a stored pattern must be confirmed as a fixed point by the first step");
      assertArrayEquals(pattern, res.state());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
  void antiHebbianCancelsHebbianExactly(int bits) {
    HebbianOptions o =
        new HebbianOptions((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0);
    SplittableRandom r = new SplittableRandom(bits);
    int n = 37;
    float[][] x = bits % 2 == 0 ? randomPm1(r, 9, n) : randomReal(r, 9, n);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    HebbianTrainer.create(net, o).train(x);
    AntiHebbianTrainer.create(net, o).train(x);
    for (float v : net.weightMatrix()) {
      assertEquals(0f, v, 0f);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void failedTrainLeavesTheNetworkBitForBitUnchanged(boolean zeroDiagonal) {
    SplittableRandom r = new SplittableRandom(99);
    int n = 25;
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    HebbianTrainer t =
        HebbianTrainer.create(net, HebbianOptions.DEFAULTS.withZeroDiagonal(zeroDiagonal));
    t.train(randomReal(r, 4, n));
    net.recallBatch(randomPm1(r, 2, n), RecallOptions.defaults());
    t.predict(randomPm1(r, 1, n)[0]);
    float[] w = net.weightMatrix();
    float[] s = net.state();
    int history = net.history().size();

    float[] nan = randomReal(r, 1, n)[0];
    nan[7] = Float.NaN;
    float[] inf = randomReal(r, 1, n)[0];
    inf[0] = Float.NEGATIVE_INFINITY;
    float[] huge = randomReal(r, 1, n)[0];
    huge[3] = 3e30f;
    List<float[][]> bad =
        List.of(
            new float[][] {randomReal(r, 1, n)[0], nan},
            new float[][] {inf},
            new float[][] {randomReal(r, 1, n)[0], randomReal(r, 1, n + 1)[0]},
            new float[][] {randomReal(r, 1, n + 3)[0], randomReal(r, 1, n)[0]},
            new float[][] {new float[0]},
            new float[][] {huge});
    for (float[][] b : bad) {
      assertThrows(IllegalArgumentException.class, () -> t.train(b));
      assertThrows(IllegalArgumentException.class, () -> AntiHebbianTrainer.create(net).train(b));
      assertBits(w, net.weightMatrix());
      assertBits(s, net.state());
      assertEquals(n, net.numNeurons());
      assertEquals(history, net.history().size());
    }
    // bad cues change nothing either
    float[] badCue = randomPm1(r, 1, n + 2)[0];
    badCue[1] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> t.predict(badCue));
    assertThrows(
        IllegalArgumentException.class,
        () -> t.predictBatch(new float[][] {randomPm1(r, 1, n + 2)[0], randomPm1(r, 1, n + 3)[0]}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            t.predict(
                randomPm1(r, 1, n + 2)[0],
                RecallOptions.defaults()
                    .withDynamics(
                        net.dynamics().withUpdateMode(UpdateMode.asynchronous(new int[] {0, 1})))));
    assertBits(w, net.weightMatrix());
    assertBits(s, net.state());
    assertEquals(n, net.numNeurons());
    // an empty set is a no-op
    assertEquals(null, t.train(PatternBlock.empty()));
    assertEquals(null, t.train(new float[0][]));
    assertBits(w, net.weightMatrix());
    assertEquals(history, net.history().size());
  }

  static void assertBits(float[] expected, float[] got) {
    assertEquals(expected.length, got.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]), "index " + i);
    }
  }
}
