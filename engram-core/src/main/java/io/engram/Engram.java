package io.engram;

import io.engram.kernels.KernelWarmup;
import io.engram.kernels.Kernels;
import io.engram.kernels.Settings;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The library's runtime settings: which kernels run and on how many threads.
 *
 * <p>The numerical kernels use the Vector API ({@code jdk.incubator.vector}, SIMD) when the JVM
 * runs with {@code --add-modules jdk.incubator.vector}, else plain Java. System properties:
 *
 * <ul>
 *   <li>{@code engram.vectorization}: {@code auto} (the default), {@code panama} (the Vector API or
 *       an error) or {@code scalar} (plain Java);
 *   <li>{@code engram.threads}: the most threads one kernel call uses, a whole number from 1
 *       (default: all processors);
 *   <li>{@code engram.vectorBits}: {@code 128}, {@code 256} or {@code 512}, a narrower vector than
 *       the machine's (for tests);
 *   <li>{@code engram.warmup}: {@code false} turns {@link #startKernelWarmup} off;
 *   <li>{@code engram.denseInHeap}: {@code true} reads every dense model's W into the heap, {@code
 *       false} reads it where it lies in the file (default: by its size, see MODEL_FORMAT.md).
 * </ul>
 *
 * <p>A property set to another value is an {@link IllegalStateException} naming it, at the first
 * call that reads it ({@link #checkSettings} checks them all at once). Thread-safe.
 *
 * <p>A kernel call split over threads returns only when all of its work is done: interrupting the
 * calling thread does not stop it, and its interrupt status is kept.
 */
public final class Engram {

  private Engram() {}

  /**
   * Checks the system properties above, for a program that would rather refuse a mistyped setting
   * at its start than at the first call that reads it.
   *
   * @throws IllegalStateException naming the first property set to a value it cannot have, the
   *     value and what it may be ({@code "the setting engram.threads is 'two', expected a whole
   *     number of threads from 1, such as 2"})
   */
  public static void checkSettings() {
    Settings.checkAll();
    Kernels.requireValidSettings();
  }

  /** The kernels in use, e.g. {@code panama-512} (the Vector API, 512-bit) or {@code scalar}. */
  public static String kernels() {
    return Kernels.implementation();
  }

  /** Whether the SIMD (Vector API) kernels are in use. */
  public static boolean isVectorized() {
    return Kernels.isVectorized();
  }

  /** The most threads one kernel call uses. */
  public static int parallelism() {
    return Kernels.parallelism();
  }

  /**
   * Bounds the threads one kernel call uses (1 = single-threaded), for callers that parallelise
   * themselves. Applies to the whole JVM.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static void setParallelism(int threads) {
    Kernels.setParallelism(threads);
  }

  /**
   * For short-lived processes (one command line call): gets the SIMD kernels compiled by C2 on a
   * background daemon thread, and returns at once. Until they are, kernel calls on other threads
   * run plain-Java loops that give the same bits; without this a fresh JVM runs its first real work
   * on the uncompiled Vector API, many times slower. With {@code now} false the plain-Java loops
   * run every call until they have done a few hundred million multiply-adds, and only then does the
   * compiling thread start (small work never pays for it). Once per JVM; {@code
   * -Dengram.warmup=false} turns it off. Long-running programs do not need it.
   *
   * @param now start compiling at once (heavy kernel work is expected), else on demand
   */
  public static void startKernelWarmup(boolean now) {
    if (now) {
      KernelWarmup.start();
    } else {
      KernelWarmup.startOnDemand();
    }
  }

  /**
   * Runs {@code body} with every kernel call it makes on this thread single-threaded, for callers
   * that are parallel themselves but not in a fork/join pool (a Spark task, an executor service's
   * worker). Other threads are not affected; nesting is allowed.
   *
   * @return what {@code body} returns
   */
  public static <T> T sequentially(Supplier<T> body) {
    return Kernels.sequentially(Objects.requireNonNull(body, "body"));
  }
}
