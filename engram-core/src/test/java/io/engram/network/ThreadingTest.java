package io.engram.network;

import static io.engram.fixtures.RandomVectors.bipolar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.kernels.Kernels;
import io.engram.learning.HebbianTrainer;
import io.engram.learning.LearningRule;
import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.learning.Trainer;
import io.engram.weights.DenseWeights;
import io.engram.weights.ProjectionWeights;
import io.engram.weights.WeightsMode;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What the class comment of {@link AmariHopfieldNetwork} says about threads: recall from many
 * threads at once gives one thread's results bit for bit, whatever the weights (also when their
 * first use, which computes a deferred dense update, is concurrent); an interrupted thread's
 * training and recall run to the end, with the results of an uninterrupted one and the interrupt
 * status kept.
 */
class ThreadingTest {

  // N²·P/2 >= 2^21 multiply-adds: the update is split over the 2 kernel threads
  private static final int N = 300;
  private static final int P = 50;

  private int threadsBefore;

  @BeforeEach
  void twoThreads() {
    threadsBefore = Kernels.parallelism();
    Kernels.setParallelism(2);
  }

  @AfterEach
  void restore() {
    Thread.interrupted(); // (a failed test must not leave the runner's thread interrupted)
    Kernels.setParallelism(threadsBefore);
  }

  private static PatternBlock patterns(long seed, int p) {
    return patterns(seed, p, N);
  }

  private static PatternBlock patterns(long seed, int p, int n) {
    return PatternBlock.of(bipolar(new Random(seed), p, n));
  }

  /**
   * A dense network of n neurons holding W in an array, trained once: the next update reads and
   * adds.
   */
  private static AmariHopfieldNetwork trainedDense(int n) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, WeightsMode.DENSE);
    HebbianTrainer.create(net).train(patterns(1, P, n));
    net.weights().get(0, 0); // W computed now: not deferred
    return net;
  }

  /**
   * An interrupt made the kernels' wait for their helper threads throw an IllegalStateException
   * (InterruptedException) while the helpers still wrote into W: dense weights changed in place,
   * the call not in the history. It now completes as without the interrupt, which stays set.
   */
  @Test
  void anInterruptedThreadsTrainingCompletesAndKeepsTheInterrupt() {
    // N = 1024: 8 blocks of rows, which the helper thread is in time to share
    AmariHopfieldNetwork quiet = trainedDense(1024);
    HebbianTrainer.create(quiet).train(patterns(2, P, 1024));
    AmariHopfieldNetwork interrupted = trainedDense(1024);
    Thread.currentThread().interrupt();
    HebbianTrainer.create(interrupted).train(patterns(2, P, 1024));
    assertTrue(Thread.interrupted(), "the interrupt status is kept");
    assertEquals(2, interrupted.history().size());
    assertArrayEquals(quiet.weightMatrix(), interrupted.weightMatrix());

    // the pseudo-inverse and Storkey rules' dense updates alike
    for (LearningRule rule : List.of(PseudoInverseRule.create(), StorkeyRule.create())) {
      AmariHopfieldNetwork a = AmariHopfieldNetwork.create(N, Dynamics.DEFAULT, WeightsMode.DENSE);
      AmariHopfieldNetwork b = AmariHopfieldNetwork.create(N, Dynamics.DEFAULT, WeightsMode.DENSE);
      Trainer.of(a, rule, true).train(patterns(3, P));
      Thread.currentThread().interrupt();
      Trainer.of(b, rule, true).train(patterns(3, P));
      assertTrue(Thread.interrupted(), rule.name());
      assertArrayEquals(a.weightMatrix(), b.weightMatrix(), rule.name());
      assertEquals(a.history(), b.history(), rule.name());
    }
  }

  @Test
  void anInterruptedThreadsRecallCompletesAndKeepsTheInterrupt() {
    AmariHopfieldNetwork net = trainedDense(N);
    float[][] cues = bipolar(new Random(4), 64, N);
    RecallOptions async =
        RecallOptions.defaults().withDynamics(Dynamics.DEFAULT.withUpdateMode(asyncMode()));
    for (RecallOptions o : List.of(RecallOptions.defaults(), async)) {
      List<RecallResult> expected = net.recallBatch(cues, o);
      Thread.currentThread().interrupt();
      List<RecallResult> got = net.recallBatch(cues, o);
      assertTrue(Thread.interrupted(), "the interrupt status is kept");
      assertSame(expected, got);
    }
  }

  private static UpdateMode asyncMode() {
    return UpdateMode.asynchronous(9L);
  }

  private static void assertSame(List<RecallResult> expected, List<RecallResult> got) {
    assertEquals(expected.size(), got.size());
    for (int q = 0; q < expected.size(); q++) {
      assertArrayEquals(expected.get(q).state(), got.get(q).state(), "query " + q);
      assertEquals(expected.get(q).steps(), got.get(q).steps(), "query " + q);
      assertEquals(
          Double.doubleToLongBits(expected.get(q).energy()),
          Double.doubleToLongBits(got.get(q).energy()),
          "query " + q);
    }
  }

  /**
   * Networks of every weight form, each built twice: one recalled by one thread, the other by four
   * threads at once from its first use on (a deferred dense update is computed then).
   */
  @Test
  void concurrentRecallGivesOneThreadsResultsForEveryWeightForm() throws Exception {
    List<Supplier<AmariHopfieldNetwork>> forms =
        List.of(
            () -> {
              AmariHopfieldNetwork n =
                  AmariHopfieldNetwork.create(N, Dynamics.DEFAULT, WeightsMode.DENSE);
              HebbianTrainer.create(n).train(patterns(5, 20));
              assertTrue(((DenseWeights) n.weights()).isDeferred());
              return n;
            },
            () -> {
              AmariHopfieldNetwork n = AmariHopfieldNetwork.create(N);
              HebbianTrainer.create(n).train(patterns(5, 20));
              return n;
            },
            () -> {
              AmariHopfieldNetwork n = AmariHopfieldNetwork.create(N);
              Trainer.of(n, PseudoInverseRule.create(), true).train(patterns(6, 30));
              assertTrue(n.weights() instanceof ProjectionWeights);
              return n;
            },
            () -> {
              AmariHopfieldNetwork n = AmariHopfieldNetwork.create(N);
              Trainer.of(n, StorkeyRule.create(), true).train(patterns(7, 30));
              return n;
            });
    float[][] cues = bipolar(new Random(8), 24, N);
    RecallOptions async =
        RecallOptions.defaults().withDynamics(Dynamics.DEFAULT.withUpdateMode(asyncMode()));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Supplier<AmariHopfieldNetwork> form : forms) {
        AmariHopfieldNetwork alone = form.get();
        List<RecallResult> sync = alone.recallBatch(cues, RecallOptions.defaults());
        List<RecallResult> asyn = alone.recallBatch(cues, async);
        AmariHopfieldNetwork shared = form.get();
        String what = shared.weights().representation().id();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int first = t;
          runs.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int rep = 0; rep < 3; rep++) {
                      assertSame(sync, shared.recallBatch(cues, RecallOptions.defaults()));
                      assertSame(asyn, shared.recallBatch(cues, async));
                      int q = (first + rep) % cues.length;
                      assertSame(List.of(asyn.get(q)), List.of(shared.recall(cues[q], async, q)));
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : runs) {
          f.get(); // an assertion failure inside is rethrown here
        }
        assertFalse(shared.history().isEmpty(), what);
        assertArrayEquals(alone.weightMatrix(), shared.weightMatrix(), what);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Recall, energy and training while another thread trains the network fail fast with a
   * ConcurrentModificationException naming that thread (they read W that dense training updates in
   * place: recall returned states of weights half updated, without a word); the training completes
   * as if alone.
   */
  @Test
  void callsWhileAnotherThreadTrainsFailFast() throws Exception {
    AmariHopfieldNetwork net = trainedDense(N);
    AmariHopfieldNetwork alone = trainedDense(N);
    HebbianTrainer.create(alone).train(patterns(2, P));
    float[] cue = bipolar(new Random(3), N);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "engram-test-trainer"));
    try {
      Future<?> training =
          pool.submit(
              () ->
                  HebbianTrainer.create(net)
                      .train(
                          patterns(2, P),
                          (done, total) -> {
                            inside.countDown();
                            try {
                              release.await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                          }));
      assertTrue(inside.await(30, TimeUnit.SECONDS), "the training reported no progress");
      List<Executable> calls =
          List.of(
              () -> net.recall(cue),
              () -> net.recallBatch(new float[][] {cue}, RecallOptions.defaults()),
              () -> net.energy(cue),
              () -> HebbianTrainer.create(net).train(patterns(4, 1)));
      for (Executable call : calls) {
        ConcurrentModificationException e =
            assertThrows(ConcurrentModificationException.class, call);
        assertTrue(
            e.getMessage().contains("while another thread ('engram-test-trainer') trains it"),
            e.getMessage());
      }
      release.countDown();
      training.get(30, TimeUnit.SECONDS);
      assertEquals(2, net.history().size(), "the refused training left no record");
      assertArrayEquals(alone.weightMatrix(), net.weightMatrix());
      assertEquals(alone.recall(cue), net.recall(cue));
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  /**
   * A recall that another thread's training overlaps (it began while the recall ran) throws when it
   * ends instead of returning a state recalled partly from the old weights and partly from the new.
   * Timing-dependent in which check fires; a recall of 64 cues lasts far longer than the gap
   * between two trainings, so both are met within the first rounds.
   */
  @Test
  void aRecallThatATrainingOverlapsFailsWhenItEnds() throws Exception {
    AmariHopfieldNetwork net = trainedDense(N);
    float[][] cues = bipolar(new Random(5), 64, N);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "engram-test-trainer"));
    try {
      Future<?> training =
          pool.submit(
              () -> {
                for (long seed = 10; !stop.get(); seed++) {
                  HebbianTrainer.create(net).train(patterns(seed, 5));
                }
              });
      boolean atStart = false;
      boolean atEnd = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!(atStart && atEnd) && System.nanoTime() < deadline) {
        try {
          net.recallBatch(cues, RecallOptions.defaults());
        } catch (ConcurrentModificationException e) {
          String m = e.getMessage();
          if (m.contains("while another thread ('engram-test-trainer') trains it")) {
            atStart = true;
          } else {
            assertTrue(
                m.startsWith(
                        "the network was trained by another thread ('engram-test-trainer') while this"
                            + " recall ran, so it read weights from before and after the update")
                    || m.startsWith(
                        "the network was trained by another thread while this recall ran"),
                m);
            atEnd = true;
          }
        }
      }
      stop.set(true);
      training.get(30, TimeUnit.SECONDS);
      assertTrue(atEnd, "no recall overlapped a training in 60 s");
      assertTrue(atStart, "no recall began during a training in 60 s");
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }
}
