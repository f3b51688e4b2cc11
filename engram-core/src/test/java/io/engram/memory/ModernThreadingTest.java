package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.RecallResult;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the class comment of {@link ModernHopfieldMemory} says about threads: retrieval may run
 * while another thread stores and removes patterns, and each takes one consistent state of the
 * memory (here: a kept pattern retrieves itself whichever state it takes); a change that begins
 * while another thread changes the memory fails fast with a ConcurrentModificationException naming
 * it.
 */
class ModernThreadingTest {

  private static final int N = 256;

  private static float[][] signs(SplittableRandom rnd, int p) {
    float[][] x = new float[p][N];
    for (float[] row : x) {
      for (int i = 0; i < N; i++) {
        row[i] = rnd.nextBoolean() ? 1f : -1f;
      }
    }
    return x;
  }

  @Test
  void retrievalRunsWhileAnotherThreadChangesThePatterns() throws Exception {
    SplittableRandom rnd = new SplittableRandom(11);
    float[][] kept = signs(rnd, 50);
    float[][] churn = signs(rnd, 5_000); // stored and removed again (the rows shift), over and over
    ModernHopfieldMemory memory = ModernHopfieldMemory.softmax(N, 1f);
    memory.store(kept);
    int[] last = new int[churn.length];
    for (int k = 0; k < last.length; k++) {
      last[k] = kept.length + k;
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger changes = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(2, r -> new Thread(r, "engram-test-storer"));
    try {
      Future<?> storing =
          pool.submit(
              () -> {
                while (!stop.get()) {
                  retried(() -> memory.store(churn));
                  retried(() -> memory.remove(last));
                  changes.incrementAndGet();
                }
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int retrieved = 0;
      boolean refused = false;
      while ((changes.get() < 20 || retrieved < 200 || !refused) && System.nanoTime() < deadline) {
        int q = retrieved % kept.length;
        // a kept pattern as its own cue: the churn's random patterns are far from it, so it
        // retrieves itself from either state, where a count of one state with the rows of the
        // other (after a removal shifted them) would not
        RecallResult r = memory.retrieve(kept[q]);
        assertEquals(List.of(q), List.of(argmaxOverlap(kept, r.state())), "retrieval " + retrieved);
        for (int i = 0; i < N; i++) {
          assertEquals(kept[q][i], r.state()[i], 0f, "retrieval " + retrieved + ", neuron " + i);
        }
        retrieved++;
        if (!refused) {
          try {
            memory.setSeparation(Separation.SOFTMAX, 1f, 0); // the settings it has: no change
          } catch (ConcurrentModificationException e) {
            assertTrue(
                e.getMessage()
                    .startsWith(
                        "cannot change the memory while another thread ('engram-test-storer')"
                            + " changes it"),
                e.getMessage());
            refused = true;
          }
        }
      }
      stop.set(true);
      storing.get(60, TimeUnit.SECONDS);
      assertTrue(changes.get() >= 20, "the other thread changed the memory " + changes + " times");
      assertTrue(retrieved >= 200, retrieved + " retrievals");
      assertTrue(refused, "no change began while the other thread changed the memory, in 20 s");
      assertEquals(kept.length, memory.size());
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  /** Runs a change, again while it is refused for a change of the test's thread. */
  private static void retried(Runnable change) {
    while (true) {
      try {
        change.run();
        return;
      } catch (ConcurrentModificationException e) {
        Thread.onSpinWait();
      }
    }
  }

  private static int argmaxOverlap(float[][] patterns, float[] state) {
    int best = -1;
    double bestOverlap = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < patterns.length; k++) {
      double o = 0;
      for (int i = 0; i < N; i++) {
        o += patterns[k][i] * state[i];
      }
      if (o > bestOverlap) {
        bestOverlap = o;
        best = k;
      }
    }
    return best;
  }
}
