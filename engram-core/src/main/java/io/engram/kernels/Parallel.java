package io.engram.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Splits kernel work over the cores: a private pool of daemon threads, dynamic scheduling of work
 * items through one atomic counter, the calling thread working too.
 *
 * <p>The number of threads is {@link Kernels#parallelism()} (the system property {@code
 * engram.threads}, default the number of available processors), reduced to 1 when the caller
 * already runs inside a {@link ForkJoinPool} (a parallel stream, or our own workers) or inside
 * {@link Kernels#sequentially} (a Spark task), so that parallel callers are never oversubscribed.
 */
final class Parallel {

  /** Work (in multiply-adds) below which splitting does not pay. */
  static final long MIN_PARALLEL_WORK = 1L << 21;

  private static final ForkJoinPool POOL =
      new ForkJoinPool(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          pool -> {
            ForkJoinWorkerThread t =
                ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setDaemon(true);
            t.setName("engram-kernel-" + t.getPoolIndex());
            return t;
          },
          // a worker that could not start another as it ended (ulimit -u) printed a stack trace of
          // "unable to create native thread"; the callers do the work without it
          (thread, e) -> {
            if (!(e instanceof OutOfMemoryError o && noThread(o))) {
              thread.getThreadGroup().uncaughtException(thread, e);
            }
          },
          false);

  /** Threads per call: set, or read from the property at first use (0 until then). */
  private static volatile int parallelism;

  private static final ThreadLocal<int[]> SEQUENTIAL_DEPTH =
      ThreadLocal.withInitial(() -> new int[1]);

  private Parallel() {}

  /**
   * See {@link Kernels#parallelism()}: {@link Kernels#setParallelism}'s, else the property's (read
   * here, not in the class's initialisation: a value it cannot have is an IllegalStateException at
   * each call, not a class that fails to load), else the number of processors.
   */
  static int parallelism() {
    int p = parallelism;
    if (p == 0) {
      p = Settings.threads(Runtime.getRuntime().availableProcessors());
      parallelism = p;
    }
    return p;
  }

  /** See {@link Kernels#setParallelism(int)}. */
  static void setParallelism(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + threads);
    }
    parallelism = threads;
  }

  /** See {@link Kernels#onKernelThread}. */
  static boolean onPoolThread() {
    return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == POOL;
  }

  /** See {@link Kernels#sequentially}. */
  static <T> T sequentially(java.util.function.Supplier<T> body) {
    int[] depth = SEQUENTIAL_DEPTH.get();
    depth[0]++;
    try {
      return body.get();
    } finally {
      depth[0]--;
    }
  }

  /** One work item; {@code scratch} is a per-thread tile buffer of MR*NR floats. */
  @FunctionalInterface
  interface Body {
    void run(int item, float[] scratch);
  }

  /** Threads to use for {@code work} multiply-adds split into {@code items} items. */
  static int threads(long work, int items) {
    if (items <= 1
        || work < MIN_PARALLEL_WORK
        || ForkJoinTask.inForkJoinPool()
        || SEQUENTIAL_DEPTH.get()[0] > 0) {
      return 1;
    }
    return Math.min(parallelism(), items);
  }

  /**
   * Runs {@code body} for items {@code 0..items-1} on {@code threads} threads; returns when all are
   * done, never earlier: an interrupt of the calling thread does not stop the call (it finishes,
   * and the thread's interrupt status is kept). The calling thread works too; a helper that has not
   * started by the time the caller runs out of items is called off instead of waited for (a pool
   * thread woken late, on a busy machine, made a call of two 14 µs items take 39 µs by the median
   * where one thread took 29 µs).
   */
  static void forEach(int items, int threads, Body body) {
    forEach(POOL, items, threads, body);
  }

  /**
   * {@link #forEach(int, int, Body)} with the helpers on {@code pool} instead of the kernels' own
   * (for tests: a pool of their own whose threads they hold busy, which the shared pool's other
   * users cannot disturb).
   */
  static void forEach(ForkJoinPool pool, int items, int threads, Body body) {
    AtomicInteger next = new AtomicInteger();
    run(
        pool,
        threads,
        () -> next.set(items),
        t ->
            () -> {
              // allocated by the thread that uses it (in its own allocation buffer, away from the
              // other threads' tiles)
              float[] scratch = new float[KernelProvider.MR * KernelProvider.NR];
              for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
                body.run(i, scratch);
              }
            });
  }

  /** One work item, with the state of the thread that runs it. */
  @FunctionalInterface
  interface StateBody<S> {
    void run(int item, S state);
  }

  /**
   * {@link #forEach(int, int, Body)} with a state of each thread's own (buffers), made by {@code
   * perThread} for every thread ({@code 0}: the caller) on the calling thread before any item runs.
   * An update that writes its output in place then allocates nothing once it has begun: one whose
   * buffers do not fit in the heap fails before it has written anything.
   */
  static <S> void forEach(int items, int threads, IntFunction<S> perThread, StateBody<S> body) {
    AtomicInteger next = new AtomicInteger();
    int workers = Math.max(1, threads);
    List<S> states = new ArrayList<>(workers);
    for (int t = 0; t < workers; t++) {
      states.add(perThread.apply(t));
    }
    run(
        POOL,
        threads,
        () -> next.set(items),
        t ->
            () -> {
              S state = states.get(t);
              for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
                body.run(i, state);
              }
            });
  }

  /**
   * Runs worker 0 on the calling thread and workers 1 to {@code threads - 1} on {@code pool};
   * returns when all that started are done (see {@link #forEach(int, int, Body)}). {@code stop}
   * leaves the items not yet taken to nobody.
   */
  private static void run(
      ForkJoinPool pool, int threads, Runnable stop, IntFunction<Runnable> workerOf) {
    Runnable worker = workerOf.apply(0);
    if (threads <= 1) {
      worker.run();
      return;
    }
    AtomicBoolean[] started = new AtomicBoolean[threads - 1];
    Future<?>[] helpers = new Future<?>[threads - 1];
    int submitted = 0;
    for (int t = 0; t < helpers.length; t++) {
      AtomicBoolean claim = started[t] = new AtomicBoolean();
      Runnable helper = workerOf.apply(t + 1);
      try {
        helpers[t] =
            pool.submit(
                () -> {
                  if (claim.compareAndSet(false, true)) {
                    helper.run();
                  }
                });
      } catch (OutOfMemoryError e) {
        if (!noThread(e)) {
          throw e;
        }
        // no thread for a helper (a limit on processes, ulimit -u): the threads there are do the
        // work (the caller at least); the task queued, if a worker ever takes it, does nothing
        claim.set(true);
        break;
      }
      submitted++;
    }
    Throwable failure = null;
    try {
      worker.run();
    } catch (RuntimeException | Error e) {
      failure = e;
      stop.run(); // stop the helpers early
    }
    // Every helper that started is waited for, also when this thread is interrupted: an interrupt
    // made the call throw an IllegalStateException while helpers still wrote their items into the
    // output (dense weights updated in place, half a training call without its history); the
    // call now completes and the interrupt status is set again at the end, for the caller to see
    boolean interrupted = false;
    for (int t = 0; t < submitted; t++) {
      Future<?> f = helpers[t];
      if (started[t].compareAndSet(false, true)) {
        // never started: it returns at once whenever a pool thread takes it
        f.cancel(false);
        continue;
      }
      while (true) {
        try {
          f.get();
          break;
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause();
          }
          break;
        } catch (InterruptedException e) {
          interrupted = true; // (get cleared the status: the next get waits)
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error er) {
      throw er;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  /**
   * Whether an {@link OutOfMemoryError} says that a thread could not be started (a limit on
   * processes and threads, {@code ulimit -u}, or no memory for its stack), not that the heap is
   * full.
   */
  static boolean noThread(OutOfMemoryError e) {
    return e.getMessage() != null && e.getMessage().contains("unable to create native thread");
  }
}
