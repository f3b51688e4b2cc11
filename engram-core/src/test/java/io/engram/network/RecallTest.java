package io.engram.network;

import static io.engram.network.NetworkPropertiesTest.assertBits;
import static io.engram.network.NetworkPropertiesTest.randomPm1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecallTest {

  private static AmariHopfieldNetwork trained(int n, int p, long seed) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    HebbianTrainer.create(net).train(randomPm1(new SplittableRandom(seed), p, n));
    return net;
  }

  private static float[] noisy(float[] x, double flip, SplittableRandom r) {
    float[] c = x.clone();
    for (int i = 0; i < c.length; i++) {
      if (r.nextDouble() < flip) {
        c[i] = -c[i];
      }
    }
    return c;
  }

  /**
   * A predict whose recall throws (a step listener's exception aborts it) after the network was
   * resized for its cues leaves N, W and the state as they were; and the energy of a state that is
   * not finite is refused (it was NaN).
   */
  @Test
  void aPredictThatThrowsLeavesTheNetworkAsItWas() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(4);
    HebbianTrainer.create(net).train(new float[][] {{1, -1, 1, -1}, {1, 1, -1, -1}});
    float[] w = net.weights().toDenseArray();
    float[] state = net.state().clone();
    RecallOptions failing =
        RecallOptions.defaults()
            .withStepListener(
                (q, it, e, c, d) -> {
                  throw new IllegalStateException("stop");
                });
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> net.predictBatch(new float[][] {{1, -1, 1}}, failing, true));
    assertEquals("stop", e.getMessage());
    assertEquals(4, net.numNeurons());
    assertArrayEquals(w, net.weights().toDenseArray());
    assertArrayEquals(state, net.state());
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class, () -> net.energy(new float[] {1, Float.NaN, 1, 1}));
    assertEquals("state has a non-finite value NaN at index 1", nan.getMessage());
  }

  /**
   * An asynchronous order of another length than N is refused where the network gets it, naming
   * both lengths (it reached the model writer, which said "63 values do not fill shape [64]").
   */
  @Test
  void anOrderOfAnotherLengthThanNIsRefusedWhereTheNetworkGetsIt() {
    Dynamics d = Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(new int[] {2, 1, 0}));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AmariHopfieldNetwork.create(4, d));
    assertEquals("async order has length 3, expected N = 4", e.getMessage());
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(4);
    e = assertThrows(IllegalArgumentException.class, () -> net.setDynamics(d));
    assertEquals("async order has length 3, expected N = 4", e.getMessage());
    assertEquals(Dynamics.DEFAULT, net.dynamics());
    AmariHopfieldNetwork three = AmariHopfieldNetwork.create(3, d);
    assertEquals(d, three.dynamics());
  }

  @Test
  void hand_computed_two_neuron_case() {
    // patterns [1,1] and [1,1] -> rho = 1 -> t = 0 -> W = 0 without centring: use no mean
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(2);
    HebbianTrainer.create(net, io.engram.learning.HebbianOptions.DEFAULTS.withSubtractMean(false))
        .train(new float[] {1, -1});
    // W = [[0, -1], [-1, 0]]
    assertArrayEquals(new float[] {0, -1, -1, 0}, net.weightMatrix());
    RecallResult r = net.recall(new float[] {1, 1});
    // step 1: field = [-1, -1] -> [-1, -1]; step 2: field [1, 1] -> [1, 1]: a two-cycle
    assertFalse(r.converged());
    assertEquals(20, r.steps());
    assertArrayEquals(new float[] {1, 1}, r.state());
    assertEquals(1f, r.energy()); // -1/2 * (1*-1 + 1*-1) = 1
    RecallResult fixed = net.recall(new float[] {1, -1});
    assertTrue(fixed.converged());
    assertEquals(1, fixed.steps());
    assertEquals(-1f, fixed.energy());
    assertEquals(-1f, net.energy(new float[] {1, -1}));
  }

  @Test
  void zero_iterations_return_the_cue() {
    AmariHopfieldNetwork net = trained(50, 3, 1);
    float[] cue = randomPm1(new SplittableRandom(2), 1, 50)[0];
    RecallResult r = net.recall(cue, RecallOptions.defaults().withMaxIterations(0));
    assertEquals(0, r.steps());
    assertFalse(r.converged());
    assertArrayEquals(cue, r.state());
    assertEquals(net.energy(cue), r.energy());
  }

  @Test
  void step_listener_sees_every_step_and_energy_changes() {
    AmariHopfieldNetwork net = trained(200, 5, 3);
    float[] cue =
        noisy(randomPm1(new SplittableRandom(3), 5, 200)[0], 0.3, new SplittableRandom(4));
    List<double[]> calls = new ArrayList<>();
    RecallResult r =
        net.recall(
            cue,
            RecallOptions.defaults()
                .withStepListener(
                    (q, it, e, conv, de) -> calls.add(new double[] {q, it, e, conv ? 1 : 0, de})));
    assertEquals(r.steps(), calls.size());
    double prev = net.energy(cue);
    for (int i = 0; i < calls.size(); i++) {
      double[] c = calls.get(i);
      assertEquals(0, c[0]);
      assertEquals(i + 1, c[1]);
      assertEquals(c[2] - prev, c[4], 1e-3f);
      prev = c[2];
      assertEquals(i == calls.size() - 1 && r.converged() ? 1 : 0, c[3]);
    }
    assertEquals(r.energy(), prev);
  }

  @Test
  void energy_tolerance_stops_continuous_dynamics_early() {
    AmariHopfieldNetwork net = trained(100, 4, 5);
    net.setDynamics(net.dynamics().withActivation(Activation.TANH).withTemperature(5));
    float[] cue = randomPm1(new SplittableRandom(6), 1, 100)[0];
    RecallResult full = net.recall(cue, RecallOptions.defaults().withMaxIterations(200));
    RecallResult tol =
        net.recall(cue, RecallOptions.defaults().withMaxIterations(200).withEnergyTolerance(1e-2));
    assertTrue(tol.converged());
    assertTrue(
        tol.steps() < full.steps() || !full.converged(), tol.steps() + " vs " + full.steps());
    assertThrows(
        IllegalArgumentException.class, () -> RecallOptions.defaults().withEnergyTolerance(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> RecallOptions.defaults().withEnergyTolerance(Double.NaN));
  }

  @Test
  void sigmoid_and_tanh_are_as_documented() {
    assertEquals(0f, Activation.SIGN.apply(0f, 1f));
    assertEquals(0, Float.floatToRawIntBits(Activation.SIGN.apply(-0f, 1f)));
    assertEquals(1f, Activation.SIGN.apply(1e-30f, 1f));
    assertEquals(-1f, Activation.SIGN.apply(-3f, 1f));
    assertEquals((float) Math.tanh(0.5), Activation.TANH.apply(1f, 2f));
    assertEquals(1f, Activation.TANH.apply(100f, 1f));
    assertEquals(0.5f, Activation.SIGMOID.apply(0f, 3f));
    assertEquals((float) (1 / (1 + Math.exp(-0.5))), Activation.SIGMOID.apply(1f, 2f), 1e-7f);
    assertEquals(Activation.TANH, Activation.parse(" Tanh "));
    assertThrows(IllegalArgumentException.class, () -> Activation.parse("relu"));
  }

  @Test
  void dynamics_reject_bad_settings() {
    Dynamics d = Dynamics.DEFAULT;
    assertThrows(IllegalArgumentException.class, () -> d.withTemperature(0));
    assertThrows(IllegalArgumentException.class, () -> d.withTemperature(-1));
    assertThrows(IllegalArgumentException.class, () -> d.withTemperature(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> d.withTemperature(1e300));
    assertThrows(IllegalArgumentException.class, () -> d.withThreshold(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> UpdateMode.asynchronous(new int[] {0, 0}));
    assertThrows(IllegalArgumentException.class, () -> UpdateMode.asynchronous(new int[] {0, 2}));
    assertThrows(IllegalArgumentException.class, () -> AmariHopfieldNetwork.create(0));
    AmariHopfieldNetwork net = trained(10, 2, 1);
    assertThrows(IllegalArgumentException.class, () -> net.recall(new float[9]));
    assertThrows(
        IllegalArgumentException.class,
        () -> net.recall(new float[] {Float.NaN, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            net.recall(
                new float[10],
                RecallOptions.defaults()
                    .withDynamics(d.withUpdateMode(UpdateMode.asynchronous(new int[] {1, 0})))));
    assertThrows(
        IllegalArgumentException.class, () -> RecallOptions.defaults().withMaxIterations(-1));
  }

  @Test
  void random_order_is_reproducible_and_per_query() {
    AmariHopfieldNetwork net = trained(300, 10, 8);
    float[][] cues = new float[6][];
    SplittableRandom r = new SplittableRandom(9);
    for (int q = 0; q < cues.length; q++) {
      cues[q] = randomPm1(r, 1, 300)[0];
    }
    RecallOptions o =
        RecallOptions.defaults()
            .withDynamics(net.dynamics().withUpdateMode(UpdateMode.asynchronous(77L)));
    List<RecallResult> a = net.recallBatch(cues, o);
    List<RecallResult> b = net.recallBatch(cues, o);
    for (int q = 0; q < cues.length; q++) {
      assertBits(a.get(q).state(), b.get(q).state());
      assertEquals(a.get(q).steps(), b.get(q).steps());
    }
    int[] p0 = new int[300];
    int[] p1 = new int[300];
    ((UpdateMode.RandomOrder) UpdateMode.asynchronous(77L)).permutation(0, 0, p0);
    ((UpdateMode.RandomOrder) UpdateMode.asynchronous(77L)).permutation(0, 1, p1);
    assertNotEquals(
        java.util.Arrays.toString(p0),
        java.util.Arrays.toString(p1),
        "each sweep gets its own order");
    int[] sorted = p0.clone();
    java.util.Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
  }

  @Test
  void one_network_can_be_recalled_from_many_threads() throws Exception {
    AmariHopfieldNetwork net = trained(256, 12, 10);
    SplittableRandom r = new SplittableRandom(11);
    float[][] cues = new float[64][];
    for (int q = 0; q < cues.length; q++) {
      cues[q] = randomPm1(r, 1, 256)[0];
    }
    List<RecallResult> expected = new ArrayList<>();
    for (float[] c : cues) {
      expected.add(net.recall(c));
    }
    List<RecallResult> batch = net.recallBatch(cues, RecallOptions.defaults());
    for (int q = 0; q < cues.length; q++) {
      // the batched kernel sums the fields in another order: same states, energies within rounding
      assertBits(expected.get(q).state(), batch.get(q).state());
      assertEquals(
          expected.get(q).energy(),
          batch.get(q).energy(),
          1e-5f * Math.abs(expected.get(q).energy()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<RecallResult>> futures = new ArrayList<>();
      for (int rep = 0; rep < 4; rep++) {
        for (float[] c : cues) {
          futures.add(pool.submit(() -> net.recall(c)));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        RecallResult got = futures.get(i).get();
        RecallResult want = expected.get(i % cues.length);
        assertBits(want.state(), got.state());
        assertEquals(want.steps(), got.steps());
        assertEquals(want.energy(), got.energy());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void large_batches_run_in_groups_with_the_same_results() {
    AmariHopfieldNetwork net = trained(128, 8, 31);
    SplittableRandom r = new SplittableRandom(32);
    float[][] cues = new float[300][];
    for (int q = 0; q < cues.length; q++) {
      cues[q] = randomPm1(r, 1, 128)[0];
    }
    java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger maxDone = new AtomicInteger();
    List<RecallResult> batch =
        net.recallBatch(
            cues,
            RecallOptions.defaults()
                .withQueryListener(
                    (q, done, total, res) -> {
                      assertEquals(300, total);
                      assertTrue(seen.add(q), "query " + q + " reported twice");
                      maxDone.accumulateAndGet(done, Math::max);
                    }));
    assertEquals(300, seen.size());
    assertEquals(300, maxDone.get());
    for (int q = 0; q < cues.length; q++) {
      RecallResult one = net.recall(cues[q]);
      assertBits(one.state(), batch.get(q).state());
      assertEquals(one.steps(), batch.get(q).steps(), "query " + q);
      assertEquals(one.converged(), batch.get(q).converged());
      assertEquals(
          one.energy(), batch.get(q).energy(), 1e-5f * Math.max(1f, Math.abs(one.energy())));
    }
  }

  @Test
  void query_listener_counts_queries() {
    AmariHopfieldNetwork net = trained(64, 3, 12);
    float[][] cues = randomPm1(new SplittableRandom(13), 7, 64);
    AtomicInteger calls = new AtomicInteger();
    net.recallBatch(
        cues,
        RecallOptions.defaults()
            .withQueryListener(
                (q, done, total, res) -> {
                  calls.incrementAndGet();
                  assertEquals(7, total);
                  assertTrue(done >= 1 && done <= 7);
                }));
    assertEquals(7, calls.get());
  }

  @Test
  void recall_restores_noisy_patterns_and_predict_sets_the_state() {
    int n = 400;
    float[][] x = randomPm1(new SplittableRandom(14), 6, n);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    HebbianTrainer t = HebbianTrainer.create(net);
    t.train(x);
    SplittableRandom r = new SplittableRandom(15);
    for (float[] p : x) {
      RecallResult res = t.predict(noisy(p, 0.2, r));
      assertArrayEquals(p, res.state());
      assertArrayEquals(p, net.state());
    }
  }

  @Test
  void resize_keeps_the_block_zeroes_the_diagonal_and_resets_the_state() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(3);
    HebbianTrainer.create(net, io.engram.learning.HebbianOptions.DEFAULTS.withZeroDiagonal(false))
        .train(new float[] {1, 2, 3}, new float[] {-1, 0, 2});
    float[] w = net.weightMatrix();
    net.setState(new float[] {1, -1, 1});
    net.resize(3, true);
    assertArrayEquals(w, net.weightMatrix(), "same N: nothing changes");
    assertArrayEquals(new float[] {1, -1, 1}, net.state());
    net.resize(2, true);
    assertArrayEquals(new float[] {0, w[1], w[3], 0}, net.weightMatrix());
    assertArrayEquals(new float[] {1, 1}, net.state());
    net.resize(4, false);
    assertArrayEquals(new float[16], net.weightMatrix());
  }
}
