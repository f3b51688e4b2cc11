package io.engram.network;

import static io.engram.fixtures.RandomVectors.bipolar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianTrainer;
import io.engram.learning.LearningRule;
import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.weights.WeightsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Batched and per-query recall, dense and low-rank weights, many threads and one: all give the same
 * results.
 */
class RecallEquivalenceTest {

  private static float[][] noisy(Random rnd, float[][] x, int rows, double flip) {
    float[][] c = new float[rows][];
    for (int q = 0; q < rows; q++) {
      c[q] = x[q % x.length].clone();
      for (int i = 0; i < c[q].length; i++) {
        if (rnd.nextDouble() < flip) {
          c[q][i] = -c[q][i];
        }
      }
    }
    return c;
  }

  private static AmariHopfieldNetwork net(WeightsMode mode, float[][] patterns, UpdateMode um) {
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(patterns[0].length, Dynamics.DEFAULT.withUpdateMode(um), mode);
    HebbianTrainer.create(net).train(PatternBlock.of(patterns));
    return net;
  }

  private static void assertSameResults(List<RecallResult> e, List<RecallResult> g, String what) {
    assertEquals(e.size(), g.size());
    for (int q = 0; q < e.size(); q++) {
      RecallResult a = e.get(q);
      RecallResult b = g.get(q);
      for (int i = 0; i < a.state().length; i++) {
        assertEquals(a.state()[i], b.state()[i], 0f, what + " query " + q + " neuron " + i);
      }
      assertEquals(a.steps(), b.steps(), what + " steps " + q);
      assertEquals(a.converged(), b.converged(), what + " converged " + q);
      assertEquals(
          a.energy(), b.energy(), 1e-3 * Math.abs(a.energy()) + 1e-3, what + " energy " + q);
    }
  }

  @Test
  void batchedSyncEqualsPerQueryInBothRepresentations() {
    Random rnd = new Random(11);
    int n = 300;
    float[][] x = bipolar(rnd, 12, n);
    float[][] cues = noisy(rnd, x, 37, 0.2);
    AmariHopfieldNetwork dense = net(WeightsMode.DENSE, x, UpdateMode.synchronous());
    AmariHopfieldNetwork low = net(WeightsMode.LOW_RANK, x, UpdateMode.synchronous());
    assertEquals("dense", dense.weights().representation().id());
    assertEquals("low-rank", low.weights().representation().id());
    for (int it : new int[] {0, 1, 3, 20}) {
      RecallOptions o = RecallOptions.defaults().withMaxIterations(it);
      // a step listener forces the one-query-at-a-time path
      RecallOptions perQuery = o.withStepListener((q, i, e, c, d) -> {});
      List<RecallResult> ref = dense.recallBatch(cues, perQuery);
      assertSameResults(ref, dense.recallBatch(cues, o), "dense batched it=" + it);
      assertSameResults(ref, low.recallBatch(cues, o), "low-rank batched it=" + it);
      assertSameResults(ref, low.recallBatch(cues, perQuery), "low-rank per query it=" + it);
    }
  }

  /**
   * A query recalled alone gets the bits it gets in a batch: state, steps and energy, dense and
   * low-rank Hebbian weights, pseudo-inverse (dense and factored) and Storkey weights (a product of
   * one column has the tiles' bits: Gemm.gemmByChains, Gemm.gemmByLanes), the energy exactly too
   * (ClassicalStep.energies: one product whatever the number of states).
   */
  @Test
  void aQueryAloneGetsTheBitsItGetsInABatch() {
    Random rnd = new Random(13);
    int n = 300;
    float[][] x = bipolar(rnd, 40, n); // overloaded: cycles and slow convergence
    float[][] cues = noisy(rnd, x, 24, 0.3);
    List<AmariHopfieldNetwork> nets = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (WeightsMode mode : new WeightsMode[] {WeightsMode.DENSE, WeightsMode.LOW_RANK}) {
      nets.add(net(mode, x, UpdateMode.synchronous()));
      names.add("Hebbian " + mode);
      // the other rules: pseudo-inverse (dense, and factored: V), Storkey (dense)
      for (LearningRule rule :
          new LearningRule[] {PseudoInverseRule.create(), StorkeyRule.create()}) {
        if (rule instanceof StorkeyRule && mode == WeightsMode.LOW_RANK) {
          continue;
        }
        AmariHopfieldNetwork other = AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, mode);
        rule.train(other, PatternBlock.of(x), true, null);
        nets.add(other);
        names.add(
            rule.getClass().getSimpleName() + " " + other.weights().getClass().getSimpleName());
      }
    }
    for (int m = 0; m < nets.size(); m++) {
      AmariHopfieldNetwork net = nets.get(m);
      String mode = names.get(m);
      for (int it : new int[] {1, 7, 20}) {
        RecallOptions o = RecallOptions.defaults().withMaxIterations(it);
        List<RecallResult> batch = net.recallBatch(cues, o);
        for (int q = 0; q < cues.length; q++) {
          RecallResult alone = net.recallBatch(new float[][] {cues[q]}, o).get(0);
          RecallResult b = batch.get(q);
          String what = mode + ", " + it + " steps, query " + q;
          assertTrue(java.util.Arrays.equals(b.state(), alone.state()), what + ": state");
          assertEquals(b.steps(), alone.steps(), what);
          assertEquals(b.converged(), alone.converged(), what);
          assertEquals(
              Double.doubleToRawLongBits(b.energy()),
              Double.doubleToRawLongBits(alone.energy()),
              what);
          // and the network's energy of that state is the one the recall reports
          assertEquals(
              Double.doubleToRawLongBits(b.energy()),
              Double.doubleToRawLongBits(net.energy(b.state())),
              what + ": energy(state)");
        }
      }
    }
  }

  /**
   * The same for graded dynamics (tanh and sigmoid, a temperature and a threshold): a query alone
   * steps through its own loop (ClassicalStep.synchronousOne), a batch through the columns' loop.
   */
  @Test
  void aQueryAloneGetsTheBitsItGetsInABatchWithGradedDynamics() {
    Random rnd = new Random(14);
    int n = 200;
    float[][] x = bipolar(rnd, 12, n);
    float[][] cues = noisy(rnd, x, 9, 0.25);
    for (Activation act : new Activation[] {Activation.TANH, Activation.SIGMOID}) {
      for (WeightsMode mode : new WeightsMode[] {WeightsMode.DENSE, WeightsMode.LOW_RANK}) {
        Dynamics dyn = new Dynamics(act, 0.5f, 0.1f, UpdateMode.synchronous());
        AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n, dyn, mode);
        HebbianTrainer.create(net).train(PatternBlock.of(x));
        for (int it : new int[] {1, 5}) {
          RecallOptions o = RecallOptions.defaults().withMaxIterations(it);
          List<RecallResult> batch = net.recallBatch(cues, o);
          for (int q = 0; q < cues.length; q++) {
            RecallResult alone = net.recallBatch(new float[][] {cues[q]}, o).get(0);
            RecallResult b = batch.get(q);
            String what = act + " " + mode + ", " + it + " steps, query " + q;
            assertTrue(java.util.Arrays.equals(b.state(), alone.state()), what + ": state");
            assertEquals(b.steps(), alone.steps(), what);
            assertEquals(
                Double.doubleToRawLongBits(b.energy()),
                Double.doubleToRawLongBits(alone.energy()),
                what);
          }
        }
      }
    }
  }

  /**
   * The cues are read in place, never written, and no result is a cue array: with no step, a fixed
   * point at the first step, one step, several steps with a state tolerance, synchronous and
   * asynchronous, a cue passed twice included.
   */
  @Test
  void resultsNeverShareOrChangeTheCues() {
    Random rnd = new Random(16);
    float[][] x = bipolar(rnd, 4, 96);
    float[][] cues = noisy(rnd, x, 6, 0.1);
    cues[3] = x[1].clone(); // a stored pattern: a fixed point at once
    cues[5] = cues[0]; // the same array twice
    float[][] before = new float[cues.length][];
    for (int q = 0; q < cues.length; q++) {
      before[q] = cues[q].clone();
    }
    for (UpdateMode um : new UpdateMode[] {UpdateMode.synchronous(), UpdateMode.asynchronous(7L)}) {
      AmariHopfieldNetwork net = net(WeightsMode.DENSE, x, um);
      for (RecallOptions o :
          new RecallOptions[] {
            RecallOptions.defaults().withMaxIterations(0),
            RecallOptions.defaults().withMaxIterations(1),
            RecallOptions.defaults().withMaxIterations(5),
            RecallOptions.defaults().withMaxIterations(5).withStateTolerance(0.5f)
          }) {
        List<RecallResult> rs = net.recallBatch(cues, o);
        for (int q = 0; q < cues.length; q++) {
          for (float[] c : cues) {
            assertTrue(rs.get(q).state() != c, um + " " + o + ": query " + q + " returns a cue");
          }
          assertTrue(
              java.util.Arrays.equals(before[q], cues[q]),
              um + " " + o + ": cue " + q + " changed");
        }
        assertTrue(rs.get(0).state() != rs.get(5).state(), "two queries share one state array");
      }
    }
  }

  @Test
  void asyncLowRankEqualsDense() {
    Random rnd = new Random(12);
    int n = 200;
    float[][] x = bipolar(rnd, 8, n);
    float[][] cues = noisy(rnd, x, 9, 0.25);
    UpdateMode um = UpdateMode.asynchronous(42L);
    AmariHopfieldNetwork dense = net(WeightsMode.DENSE, x, um);
    AmariHopfieldNetwork low = net(WeightsMode.LOW_RANK, x, um);
    RecallOptions o = RecallOptions.defaults();
    assertSameResults(dense.recallBatch(cues, o), low.recallBatch(cues, o), "async");
  }

  @Test
  void autoSwitchesToDenseWhenRankGrows() {
    Random rnd = new Random(13);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(40);
    assertEquals(WeightsMode.AUTO, net.weightsMode());
    HebbianTrainer t = HebbianTrainer.create(net);
    t.train(PatternBlock.of(bipolar(rnd, 4, 40)));
    assertEquals("low-rank", net.weights().representation().id());
    float[] before = net.weightMatrix();
    AmariHopfieldNetwork copy =
        AmariHopfieldNetwork.create(40, Dynamics.DEFAULT, WeightsMode.DENSE);
    net.setWeightsMode(WeightsMode.DENSE);
    assertEquals("dense", net.weights().representation().id());
    float[] after = net.weightMatrix();
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i], after[i], 0f);
    }
    net.setWeightsMode(WeightsMode.AUTO);
    AmariHopfieldNetwork auto = AmariHopfieldNetwork.create(40);
    HebbianTrainer ta = HebbianTrainer.create(auto);
    ta.train(PatternBlock.of(bipolar(rnd, 5, 40)));
    assertEquals("low-rank", auto.weights().representation().id());
    ta.train(PatternBlock.of(bipolar(rnd, 30, 40)));
    assertEquals("dense", auto.weights().representation().id());
    assertEquals(40, copy.numNeurons());
  }

  @Test
  void largeLowRankNetworkNeedsNoDenseMatrix() {
    Random rnd = new Random(14);
    int n = 200_000; // a dense matrix would need 160 GB
    float[][] x = bipolar(rnd, 3, n);
    AmariHopfieldNetwork net = net(WeightsMode.AUTO, x, UpdateMode.synchronous());
    assertEquals("low-rank", net.weights().representation().id());
    List<RecallResult> r = net.recallBatch(noisy(rnd, x, 2, 0.2), RecallOptions.defaults());
    for (int q = 0; q < r.size(); q++) {
      assertTrue(r.get(q).converged());
      float[] s = r.get(q).state();
      for (int i = 0; i < n; i++) {
        assertEquals(x[q][i], s[i], 0f);
      }
    }
  }

  @Test
  void concurrentRecallEqualsSequential() throws Exception {
    Random rnd = new Random(15);
    int n = 256;
    float[][] x = bipolar(rnd, 10, n);
    for (WeightsMode mode : new WeightsMode[] {WeightsMode.DENSE, WeightsMode.LOW_RANK}) {
      for (UpdateMode um :
          new UpdateMode[] {UpdateMode.synchronous(), UpdateMode.asynchronous(5L)}) {
        AmariHopfieldNetwork net = net(mode, x, um);
        float[][] cues = noisy(rnd, x, 24, 0.2);
        List<RecallResult> seq = new ArrayList<>();
        for (float[] c : cues) {
          seq.add(net.recall(c));
        }
        ExecutorService ex = Executors.newFixedThreadPool(6);
        try {
          List<Future<RecallResult>> fs = new ArrayList<>();
          for (int rep = 0; rep < 4; rep++) {
            for (float[] c : cues) {
              fs.add(ex.submit(() -> net.recall(c)));
            }
          }
          List<RecallResult> par = new ArrayList<>();
          for (int i = 0; i < cues.length; i++) {
            par.add(fs.get(i).get());
          }
          for (Future<RecallResult> f : fs) {
            f.get();
          }
          assertSameResults(seq, par, mode + " " + um);
        } finally {
          ex.shutdownNow();
        }
      }
    }
  }
}
