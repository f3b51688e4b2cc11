package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The pool that splits kernel work: every item once, and no wait for a helper never started. */
class ParallelTest {

  @Test
  void everyItemRunsExactlyOnce() {
    for (int threads = 1; threads <= 4; threads++) {
      for (int items = 0; items <= 9; items++) {
        for (int call = 0; call < 50; call++) {
          AtomicIntegerArray runs = new AtomicIntegerArray(items);
          Parallel.forEach(items, threads, (i, scratch) -> runs.incrementAndGet(i));
          for (int i = 0; i < items; i++) {
            assertEquals(1, runs.get(i), "threads " + threads + ", item " + i + " of " + items);
          }
        }
      }
    }
  }

  /**
   * Every pool thread busy elsewhere: the caller runs all items itself and returns, instead of
   * waiting for a helper that a pool thread would start only once free (before: blocked until the
   * other work ended).
   */
  @Test
  void aHelperThatNeverStartedIsNotWaitedFor() throws Exception {
    int poolThreads = Runtime.getRuntime().availableProcessors();
    CountDownLatch busy = new CountDownLatch(poolThreads);
    CountDownLatch release = new CountDownLatch(1);
    Thread other =
        new Thread(
            () ->
                // the caller and poolThreads helpers, one item each: the pool threads wait in
                // theirs until released, the caller in its own until they all have one
                Parallel.forEach(
                    poolThreads + 1,
                    poolThreads + 1,
                    (i, scratch) -> {
                      try {
                        if (Thread.currentThread() instanceof ForkJoinWorkerThread) {
                          busy.countDown();
                          release.await();
                        } else {
                          busy.await();
                        }
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
    other.setDaemon(true);
    other.start();
    try {
      assertTrue(busy.await(30, TimeUnit.SECONDS), "the pool's threads never all got an item");
      AtomicIntegerArray runs = new AtomicIntegerArray(2);
      long t0 = System.nanoTime();
      Thread caller =
          new Thread(() -> Parallel.forEach(2, 2, (i, scratch) -> runs.incrementAndGet(i)));
      caller.start();
      caller.join(10_000);
      assertTrue(
          !caller.isAlive(),
          "forEach still waits for its helper after "
              + (System.nanoTime() - t0) / 1_000_000
              + " ms, with every pool thread busy");
      assertEquals(1, runs.get(0));
      assertEquals(1, runs.get(1));
    } finally {
      release.countDown();
      other.join(30_000);
    }
  }
}
