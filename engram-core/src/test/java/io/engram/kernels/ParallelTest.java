package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
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
   *
   * <p>The pool is one of the test's own, of one thread, held busy by a task of the test's: the
   * shared pool's threads were counted as {@code availableProcessors()} and all had to take an item
   * of a call on another thread within 30 s, so a pool thread still busy with another test's work,
   * or a pool of another size than that count, made the wait (or the caller's join, 10 s) run out
   * on a busy machine. Nothing here waits on time except the guards of a failure.
   */
  @Test
  void aHelperThatNeverStartedIsNotWaitedFor() throws Exception {
    ForkJoinPool pool = new ForkJoinPool(1);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      Future<?> blocker =
          pool.submit(
              () -> {
                busy.countDown();
                release.await();
                return null;
              });
      assertTrue(busy.await(60, TimeUnit.SECONDS), "the pool's one thread never took the task");
      Thread[] ranBy = new Thread[2];
      CountDownLatch returned = new CountDownLatch(1);
      Thread caller =
          new Thread(
              () -> {
                Parallel.forEach(pool, 2, 2, (i, scratch) -> ranBy[i] = Thread.currentThread());
                returned.countDown();
              });
      caller.setDaemon(true); // (a regression leaves it waiting for the helper until release)
      caller.start();
      // (a guard for a regression only: the call returns in microseconds)
      assertTrue(
          returned.await(60, TimeUnit.SECONDS),
          "forEach still waits for its helper, with the pool's one thread busy");
      assertEquals(caller, ranBy[0], "the caller ran item 0");
      assertEquals(caller, ranBy[1], "the caller ran item 1: the helper never started");
      assertFalse(blocker.isDone(), "the pool's thread was busy all along");
    } finally {
      release.countDown();
      pool.shutdown();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }
  }
}
