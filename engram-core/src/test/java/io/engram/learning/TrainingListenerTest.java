package io.engram.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.fixtures.LogRecords;
import io.engram.kernels.Kernels;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.DenseWeights;
import io.engram.weights.WeightsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Progress of dense training: what the listener sees, and that it never changes the result. */
class TrainingListenerTest {

  // big enough to be split over 2 threads (N²·P/2 >= 2^21 multiply-adds), several row blocks
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
    Kernels.setParallelism(threadsBefore);
  }

  private static PatternBlock patterns(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[P][N];
    for (float[] row : x) {
      for (int i = 0; i < N; i++) {
        row[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    return PatternBlock.of(x);
  }

  private static AmariHopfieldNetwork dense() {
    return AmariHopfieldNetwork.create(N, Dynamics.DEFAULT, WeightsMode.DENSE);
  }

  @Test
  void denseTrainingReportsOrderedProgressUpToTheWholeUpdate() {
    List<long[]> calls = new ArrayList<>();
    AtomicBoolean inside = new AtomicBoolean();
    AtomicBoolean overlapped = new AtomicBoolean();
    AmariHopfieldNetwork net = dense();
    // W made first (an entry read): the update runs now, not deferred to the first use of W
    net.weights().get(0, 0);
    HebbianTrainer.create(net)
        .train(
            patterns(1),
            (done, total) -> {
              if (!inside.compareAndSet(false, true)) {
                overlapped.set(true);
              }
              synchronized (calls) {
                calls.add(new long[] {done, total});
              }
              inside.set(false);
            });
    assertFalse(overlapped.get(), "calls must come one at a time");
    long total = (long) P * N * (N + 1) / 2;
    assertTrue(calls.size() >= 2, "one call per block of rows, got " + calls.size());
    long last = 0;
    for (long[] c : calls) {
      assertEquals(total, c[1]);
      assertTrue(c[0] > last && c[0] <= total, "done must increase: " + c[0] + " after " + last);
      last = c[0];
    }
    assertEquals(total, last, "the last call reports the whole update");
  }

  /** The logger of the kernels' progress reports ({@code System.getLogger} of the facade). */
  private static final String KERNELS_LOGGER = "io.engram.kernels.Kernels";

  /**
   * The one WARNING a dropped listener leaves, with the listener's exception: captured, so that it
   * is asserted here rather than printed into the test output with its stack trace.
   */
  private static void assertDroppedOnce(LogRecords log) {
    assertEquals(
        List.of("progress listener failed; the kernel pass goes on without it"),
        log.messages(Level.WARNING));
    LogRecord r = log.records().get(0);
    assertEquals(KERNELS_LOGGER, r.getLoggerName());
    assertEquals("listener failure", r.getThrown().getMessage());
    assertTrue(r.getThrown() instanceof IllegalStateException, r.getThrown()::toString);
  }

  @Test
  void aListenerChangesNothingAndOneThatThrowsIsDropped() {
    PatternBlock a = patterns(2);
    PatternBlock b = patterns(3);
    AmariHopfieldNetwork quiet = dense();
    HebbianTrainer.create(quiet).train(a);
    AntiHebbianTrainer.create(quiet).train(b);

    AmariHopfieldNetwork heard = dense();
    AtomicInteger calls = new AtomicInteger();
    HebbianTrainer.create(heard).train(a, (d, t) -> calls.incrementAndGet());
    AtomicInteger thrown = new AtomicInteger();
    // the second call trains into weights that are no longer zero (the read-and-add path)
    try (LogRecords log = LogRecords.of(KERNELS_LOGGER)) {
      AntiHebbianTrainer.create(heard)
          .train(
              b,
              (d, t) -> {
                thrown.incrementAndGet();
                throw new IllegalStateException("listener failure");
              });
      assertDroppedOnce(log);
    }
    assertTrue(calls.get() > 0);
    assertEquals(1, thrown.get(), "a listener that threw is not called again");
    assertArrayEquals(quiet.weights().toDenseArray(), heard.weights().toDenseArray());
    assertEquals(2, heard.history().size(), "the failing listener did not stop the call");
  }

  /**
   * New dense weights trained once with few patterns keep the update's patterns; its work is done
   * where W is first used (a writer of the model, a recall), so the call reports it done at once.
   */
  @Test
  void aDeferredDenseUpdateReportsItsWorkDoneOnce() {
    List<long[]> calls = new ArrayList<>();
    AmariHopfieldNetwork net = dense();
    HebbianTrainer.create(net).train(patterns(7), (d, t) -> calls.add(new long[] {d, t}));
    assertTrue(((DenseWeights) net.weights()).isDeferred());
    long total = (long) P * N * (N + 1) / 2;
    assertEquals(1, calls.size());
    assertArrayEquals(new long[] {total, total}, calls.get(0));
  }

  /**
   * The deferred update told its listener directly: one that threw left the weights holding the
   * update and the call out of the history (0 stored patterns). It is dropped there too now.
   */
  @Test
  void aListenerThatThrowsOnADeferredUpdateIsDroppedAndTheCallRecorded() {
    AmariHopfieldNetwork quiet = dense();
    HebbianTrainer.create(quiet).train(patterns(8));
    AmariHopfieldNetwork heard = dense();
    AtomicInteger thrown = new AtomicInteger();
    try (LogRecords log = LogRecords.of(KERNELS_LOGGER)) {
      HebbianTrainer.create(heard)
          .train(
              patterns(8),
              (d, t) -> {
                thrown.incrementAndGet();
                throw new IllegalStateException("listener failure");
              });
      assertDroppedOnce(log);
    }
    assertTrue(((DenseWeights) heard.weights()).isDeferred());
    assertEquals(1, thrown.get());
    assertEquals(quiet.history(), heard.history());
    assertEquals(P, heard.storedPatterns());
    assertArrayEquals(quiet.weights().toDenseArray(), heard.weights().toDenseArray());
  }

  @Test
  void lowRankTrainingIsQuickAndReportsNothing() {
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(N, Dynamics.DEFAULT, WeightsMode.LOW_RANK);
    AtomicInteger calls = new AtomicInteger();
    HebbianTrainer.create(net).train(patterns(4), (d, t) -> calls.incrementAndGet());
    assertEquals(0, calls.get());
    assertEquals(1, net.history().size());
  }

  @Test
  void theListenerIsScopedToTheCall() {
    AtomicInteger calls = new AtomicInteger();
    AmariHopfieldNetwork net = dense();
    HebbianTrainer.create(net).train(patterns(5), (d, t) -> calls.incrementAndGet());
    int after = calls.get();
    HebbianTrainer.create(net).train(patterns(6));
    assertEquals(after, calls.get(), "a later call without a listener reports nothing");
  }
}
