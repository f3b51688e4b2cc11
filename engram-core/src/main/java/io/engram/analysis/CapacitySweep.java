package io.engram.analysis;

import io.engram.kernels.Kernels;
import io.engram.learning.PatternBlock;
import io.engram.network.Memory;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;

/**
 * The capacity lab: stores growing numbers of patterns (loads P1 &lt; P2 &lt; …) in a memory built
 * by a {@link MemoryFactory}, and measures at each load how well they come back ({@link
 * CapacityPoint}): the one-step error, the share of exact fixed points, the share of noisy cues
 * recalled exactly, the mean final overlap and the mean number of steps, each over several trials
 * with a 95% interval.
 *
 * <p>One trial: a generator seeded from the sweep's seed and the trial's number draws the trial's
 * patterns ({@link PatternSource}; as many as the largest load) and, for each of them, the
 * positions its cue flips ({@code round(flip · N)} distinct positions), and erases or occludes
 * where a {@link Corruption} of those also asks for it (partial cues). At load P the memory holds
 * the first P patterns (growing prefixes of one set), the one-step test starts one retrieval step
 * at each of them, and the recall test runs the memory's default recall (for the classical network
 * at most 20 synchronous steps, stopping at a fixed point) from their cues.
 *
 * <p>Trials run in parallel, one per thread with single-threaded kernels (with one trial, or one
 * thread, the kernels use the threads instead). The result depends only on the settings and the
 * seed, never on the threads or their timing. Progress reaches a {@link Listener}; a sweep can be
 * cancelled through a flag or by interrupting the thread that runs it, and then returns nothing.
 *
 * <p>Immutable once built; {@link #run} may be called again (it gives the same result) and from
 * several threads.
 */
public final class CapacitySweep {

  /** Progress of a running sweep. */
  @FunctionalInterface
  public interface Listener {

    /**
     * Called after each load of each trial, one call at a time (from the sweep's worker threads).
     *
     * @param done the work finished so far, in stored patterns (the sum of P over the finished
     *     loads of all trials)
     * @param total the work of the whole sweep in the same unit
     */
    void progress(long done, long total);

    /**
     * Called with {@link #progress}, the same progress in multiply-adds as {@link #work()} counts
     * them: what a time estimate should be drawn from (the work of a load grows faster than its P).
     * Does nothing unless overridden.
     *
     * @param done the modelled work of the finished loads of all trials
     * @param total {@code work().total()}
     */
    default void progressWork(double done, double total) {}
  }

  /**
   * A measured pace of a sweep's own work ({@link #calibrate}): that of the largest copy timed, in
   * two parts, and how it grew with N between the two copies. The parts are timed apart because
   * they run at very different paces per multiply-add counted: the recall runs the memory's
   * kernels, while drawing the patterns and cues and building a memory are element-wise passes (for
   * a modern memory, copies of X: some hundred times slower per value than a kernel's
   * multiply-add). A copy that recalls fewer cues than its loads hold (enormous loads) spends most
   * of its time on the latter, which the sweep does not; one pace for both put such sweeps at 2 to
   * 20 times their time.
   *
   * @param perSecond the recall (the memory's steps from the stored patterns and the cues, with
   *     their passes over the states): its multiply-adds, as {@link #work()} counts them, per
   *     second of wall time in the largest copy timed
   * @param setupPerSecond the rest (training, drawing and comparing patterns and cues): its
   *     multiply-adds per second in the same copy
   * @param neurons that copy's N
   * @param growth the exponent g of pace ∝ N^g between the two copies, in [0, 1]; 0 where only one
   *     ran, or where either recalled fewer queries or smaller loads than the sweep's (no like for
   *     like)
   * @param spentNanos the wall time of the whole calibration
   */
  public record Pace(
      double perSecond, double setupPerSecond, int neurons, double growth, long spentNanos) {

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if a pace is not a finite number > 0, N is below 1, the
     *     growth is outside [0, 1] or NaN, or the time spent is negative
     */
    public Pace {
      if (!(perSecond > 0) || perSecond == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("pace must be a finite number > 0, got " + perSecond);
      }
      if (!(setupPerSecond > 0) || setupPerSecond == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(
            "setup pace must be a finite number > 0, got " + setupPerSecond);
      }
      if (neurons < 1) {
        throw new IllegalArgumentException("the copy's N must be >= 1, got " + neurons);
      }
      if (!(growth >= 0 && growth <= 1)) {
        throw new IllegalArgumentException("growth must be in [0, 1], got " + growth);
      }
      if (spentNanos < 0) {
        throw new IllegalArgumentException("spentNanos must be >= 0, got " + spentNanos);
      }
    }

    /**
     * The recall's pace expected at N: {@link #perSecond} grown as N^{@link #growth} from the
     * copy's N up to N, but not past {@value CapacitySweep#PACE_SATURATION} (where the kernels'
     * products are long enough to run at full width, and beyond which no growth was measured).
     *
     * @throws IllegalArgumentException if N is below 1
     */
    public double perSecondAt(int n) {
      return perSecond * grownTo(n);
    }

    /**
     * The pace of the rest expected at N: {@link #setupPerSecond} grown as {@link #perSecondAt}.
     *
     * @throws IllegalArgumentException if N is below 1
     */
    public double setupPerSecondAt(int n) {
      return setupPerSecond * grownTo(n);
    }

    private double grownTo(int n) {
      if (n < 1) {
        // a pace for no neurons, or fewer, was the copy's own
        throw new IllegalArgumentException("N must be >= 1, got " + n);
      }
      int upTo = Math.min(n, PACE_SATURATION);
      return upTo <= neurons ? 1 : Math.pow((double) upTo / neurons, growth);
    }
  }

  /** The N above which {@link Pace#perSecondAt} grows the pace no further. */
  static final int PACE_SATURATION = 1024;

  private final MemoryFactory factory;
  private final PatternSource source;
  private final int neurons;
  private final int[] loads;
  private final int trials;
  private final Corruption corruption;
  private final long seed;
  private final int maxIterations;

  /**
   * The most stored patterns and cues recalled per load: all but in {@link #calibrate}'s copies.
   */
  private final int maxQueries;

  private final int threads;

  private CapacitySweep(Builder b, Corruption corruption) {
    this.factory = b.factory;
    this.source = b.source;
    this.neurons = b.neurons;
    this.loads = b.loads.clone();
    this.trials = b.trials;
    this.corruption = corruption;
    this.seed = b.seed;
    this.maxIterations = b.maxIterations;
    this.maxQueries = b.maxQueries;
    this.threads = b.threads;
  }

  /**
   * A builder for a sweep of the memories the factory builds, with N neurons. Defaults: random
   * patterns, 10 trials, cues with 10% of their bits flipped, seed 42, the memory's own recall
   * options, all available threads. The loads must be given.
   */
  public static Builder builder(MemoryFactory factory, int neurons) {
    return new Builder(Objects.requireNonNull(factory, "factory"), neurons);
  }

  /** The loads, in increasing order (a copy). */
  public int[] loads() {
    return loads.clone();
  }

  /** N. */
  public int neurons() {
    return neurons;
  }

  /** Trials per load. */
  public int trials() {
    return trials;
  }

  /** The share of bits each cue flips. */
  public double flip() {
    return corruption.flip();
  }

  /** How each cue is made from its stored pattern: flipped, erased, occluded. */
  public Corruption corruption() {
    return corruption;
  }

  /** The seed the trials' generators come from. */
  public long seed() {
    return seed;
  }

  /** The patterns. */
  public PatternSource source() {
    return source;
  }

  /**
   * The work of the whole sweep as {@link Listener} counts it: trials times the sum of the loads.
   */
  public long totalWork() {
    long s = 0;
    for (int p : loads) {
      s += p;
    }
    return s * trials;
  }

  /**
   * The work of the whole sweep in multiply-adds, counted from its sizes before it runs, by the
   * factory's {@link MemoryFactory#work() cost model}: for each load P and each trial, building the
   * memory ({@link WorkModel#training}) and recall ({@link WorkModel#step} for each of the P stored
   * patterns once, and for each of the P cues as many times as the iteration bound allows), plus a
   * few passes of P N over the patterns and cues. Cheap: no memory is built.
   */
  public SweepWork work() {
    WorkModel m = factory.work();
    int k = iterations(m);
    double[] training = new double[loads.length];
    double[] recall = new double[loads.length];
    for (int l = 0; l < loads.length; l++) {
      int p = loads[l];
      training[l] = (double) trials * m.training(p, neurons);
      recall[l] = (double) trials * (steps(m, k, p) + (double) PASSES * p * neurons);
    }
    return new SweepWork(m.name(), loads, trials, k, training, recall);
  }

  /** The recall's step bound the work is counted with: the sweep's, or the memory's default. */
  private int iterations(WorkModel m) {
    return maxIterations > 0 ? maxIterations : m.defaultIterations();
  }

  /** One trial's recall steps at load P: each query's 1 + K steps, with their passes. */
  private double steps(WorkModel m, int k, int p) {
    int q = Math.min(p, maxQueries);
    return (double) q * (1.0 + k) * (m.step(p, neurons) + STEP_PASSES * neurons);
  }

  /**
   * The part of {@link #work()} that is the recall's steps (with their {@link #STEP_PASSES} passes
   * over the states): what {@link Pace#perSecond} times. The rest, training and the {@link #PASSES}
   * passes of each load, is what {@link Pace#setupPerSecond} times.
   */
  double stepWork() {
    WorkModel m = factory.work();
    int k = iterations(m);
    double s = 0;
    for (int p : loads) {
      s += steps(m, k, p);
    }
    return s * trials;
  }

  /**
   * The wall time this sweep should take, in seconds, at a pace {@link #calibrate} measured (on a
   * sweep of the same memory): its recall's work ({@link #work()}) at the recall's pace, the rest
   * at the pace of the rest, each as expected at this sweep's N.
   *
   * @throws IllegalArgumentException if a pace is not positive
   */
  public double seconds(Pace pace) {
    Objects.requireNonNull(pace, "pace");
    double steps = stepWork();
    double setup = Math.max(0, work().total() - steps);
    double ps = pace.perSecondAt(neurons);
    double pl = pace.setupPerSecondAt(neurons);
    if (!(ps > 0) || !(pl > 0)) {
      throw new IllegalArgumentException("pace must be > 0, got " + pace);
    }
    return steps / ps + setup / pl;
  }

  /**
   * Passes of P N per load and trial that {@link #work()} counts for the sweep itself: drawing the
   * patterns and cues, copying them, comparing the results.
   */
  static final int PASSES = 6;

  /**
   * Passes of N per query and step that {@link #work()} counts beside the memory's step: the
   * activation, the comparison with the previous states, the copy.
   */
  static final int STEP_PASSES = 4;

  /** The N of the first, smaller copy {@link #calibrate} times. */
  static final int CALIBRATION_START = 128;

  /** The N of the second, larger copy {@link #calibrate} times. */
  static final int CALIBRATION_END = 512;

  /**
   * The most multiply-adds of the first copy (its loads or queries cut where they would be more):
   * some milliseconds here, once the code is compiled.
   */
  static final double FIRST_COPY_WORK = 2e8;

  /** The most rounds {@link #calibrate} runs one copy. */
  static final int SETTLE_ROUNDS = 8;

  /**
   * Measures the pace of this sweep's work on this machine, now: runs smaller copies of it ({@link
   * #scaledTo}: the same memory, iteration bound, flip and seed, the largest quarter of the loads
   * at the same fractions of N, as many trials as run at once; random patterns where the sweep's
   * are data), first at N = 128 (its work cut to {@value #FIRST_COPY_WORK} multiply-adds) again and
   * again until its time settles, for up to half the budget (the JIT compiles the code the sweep
   * runs: seconds for a modern memory, cold), then at N = 512 (at most this sweep's N) as large as
   * the rest of the budget allows, until its time settles too. Returns the paces of the larger: the
   * modelled work ({@link #work()}) of its recall's steps, and of the rest, over their best wall
   * times (each round's shared as its threads' time was; {@link #seconds(Pace)}), with the growth
   * of the pace between the two (where both are whole copies). At a given load fraction every part
   * of the work grows as N³, so a copy is a small model of the sweep whose recall stops early as
   * the sweep's does; what differs is the pace of the kernels at a larger N, which is not
   * extrapolated: it grows with N (longer vectors), so for N well above 512 the estimate errs on
   * the long side.
   *
   * @param budgetNanos the wall time to spend, about (the warm-up and the first copy always run; a
   *     negative budget is 0, one above {@code Long.MAX_VALUE / 4} is that)
   * @param cancelled polled as by {@link #run}; null: never
   * @throws CancellationException if cancelled or interrupted
   * @throws RuntimeException whatever the sweep would throw on the smaller copy
   */
  public Pace calibrate(long budgetNanos, BooleanSupplier cancelled) {
    long start = System.nanoTime();
    // at most some 73 years: start + budget stays a deadline that nanoTime differences compare
    // with (Long.MAX_VALUE wrapped it into the past, and the calibration was the shortest there is)
    long budget = Math.max(0, Math.min(budgetNanos, Long.MAX_VALUE / 4));
    long deadline = start + budget;
    // a small copy until its time settles: the JIT compiles the code the sweep runs
    CapacitySweep first = scaledTo(Math.min(neurons, CALIBRATION_START), FIRST_COPY_WORK);
    double[] pace = timeSettled(first, start + budget / 2, cancelled);
    int paceN = first.neurons;
    double growth = 0;
    int nc = Math.min(neurons, CALIBRATION_END);
    if (nc > paceN) {
      // a larger copy: as much as half of what is left holds at the paces so far, grown as N (as
      // they grow at these sizes); counted in the recall's multiply-adds, the rest weighing as
      // much more as it runs slower
      double left = (deadline - System.nanoTime()) / 1e9;
      double fits = pace[0] * left / 2 * nc / paceN;
      double weight = pace[0] / pace[1];
      CapacitySweep second = scaledTo(nc, fits, weight);
      if (second.weighted(weight) <= fits) {
        double[] p2 = timeSettled(second, deadline, cancelled);
        if (whole(first) && whole(second)) {
          growth =
              Math.max(0, Math.min(1, Math.log(p2[2] / pace[2]) / Math.log((double) nc / paceN)));
        }
        pace = p2;
        paceN = nc;
      }
    }
    return new Pace(pace[0], pace[1], paceN, growth, System.nanoTime() - start);
  }

  /**
   * The work of this sweep with the part that is not the recall's steps counted {@code weight}
   * times: its time at the recall's pace, where the rest runs {@code weight} times slower.
   */
  private double weighted(double weight) {
    double steps = stepWork();
    return steps + weight * Math.max(0, work().total() - steps);
  }

  /** Whether a copy of {@link #scaledTo} recalls every query of the loads at its N, uncut. */
  private boolean whole(CapacitySweep copy) {
    return copy.maxQueries == Integer.MAX_VALUE
        && Arrays.equals(copy.loads, scaledTo(copy.neurons, Double.POSITIVE_INFINITY).loads);
  }

  /**
   * Runs the copy again and again until two rounds take the same time within a quarter, {@value
   * #SETTLE_ROUNDS} rounds, or the deadline has passed, at least once; returns its best paces
   * (modelled work a second): of the recall's steps, of the rest, and of the whole. Each round's
   * wall time is shared between the two parts as its threads' time was.
   */
  private static double[] timeSettled(
      CapacitySweep copy, long deadline, BooleanSupplier cancelled) {
    double work = copy.work().total();
    double steps = copy.stepWork();
    long best = Long.MAX_VALUE;
    double bestSteps = Double.POSITIVE_INFINITY;
    double bestSetup = Double.POSITIVE_INFINITY;
    long previous = Long.MAX_VALUE;
    for (int round = 1; round <= SETTLE_ROUNDS; round++) {
      AtomicLongArray phases = new AtomicLongArray(2);
      long t0 = System.nanoTime();
      copy.run(null, cancelled, phases);
      long t1 = System.nanoTime();
      long dt = Math.max(1, t1 - t0);
      best = Math.min(best, dt);
      long setup = phases.get(0);
      long recall = phases.get(1);
      double share = setup + recall > 0 ? (double) recall / (setup + recall) : 0.5;
      bestSteps = Math.min(bestSteps, Math.max(1, dt * share));
      bestSetup = Math.min(bestSetup, Math.max(1, dt * (1 - share)));
      boolean settled = round > 1 && dt * 4 <= previous * 5 && previous * 4 <= dt * 5;
      previous = dt;
      if (settled || t1 - deadline > 0) {
        break;
      }
    }
    return new double[] {
      // (at least one unit of work each: a pace of 0 is no pace, and Pace refuses it)
      Math.max(1, steps) / (bestSteps / 1e9),
      Math.max(1, work - steps) / (bestSetup / 1e9),
      Math.max(1, work) / (best / 1e9)
    };
  }

  /**
   * A copy of this sweep at N = {@code nc} for {@link #calibrate}: the largest quarter of the loads
   * (where most of the work is), each {@code round(P nc / N)}, at least 1, repeats dropped; trials:
   * as many as run at once. While the copy's work is over {@code maxWork} (enormous load
   * fractions), it recalls only the first 1024, 256 or 64 of each load's patterns and cues, and
   * then has its loads halved again and again.
   */
  CapacitySweep scaledTo(int nc, double maxWork) {
    return scaledTo(nc, maxWork, 1);
  }

  /**
   * {@link #scaledTo(int, double)} with the work that is not the recall's steps counted {@code
   * weight} times ({@link #weighted}).
   */
  private CapacitySweep scaledTo(int nc, double maxWork, double weight) {
    int from = loads.length - Math.max(1, (loads.length + 3) / 4);
    int[] scaled = new int[loads.length - from];
    for (int shrink = 1; ; shrink *= 2) {
      int count = 0;
      for (int l = from; l < loads.length; l++) {
        int q = (int) Math.max(1, Math.round((double) loads[l] * nc / neurons / shrink));
        if (count == 0 || q > scaled[count - 1]) {
          scaled[count++] = q;
        }
      }
      int[] these = Arrays.copyOf(scaled, count);
      // fewer queries first (the memory's work stays that of its P), then smaller loads
      for (int queries : COPY_QUERIES) {
        CapacitySweep copy = copy(nc, these, queries);
        if (copy.weighted(weight) <= maxWork
            || queries == MIN_COPY_QUERIES && these[count - 1] == 1) {
          return copy;
        }
      }
    }
  }

  /**
   * The caps on the queries per load that {@link #scaledTo} tries, in order: a batch of 256 is a
   * full group of recall's, so the kernels run at the sweep's width down to there.
   */
  private static final int[] COPY_QUERIES = {Integer.MAX_VALUE, 1024, 256, 64, 16};

  private static final int MIN_COPY_QUERIES = 16;

  /** The copy of {@link #scaledTo} with these loads and at most so many queries per load. */
  private CapacitySweep copy(int nc, int[] scaled, int queries) {
    Builder b =
        builder(factory, nc)
            .loads(scaled)
            .trials(Math.min(trials, threads))
            .corruption(corruption)
            .seed(seed)
            .maxIterations(maxIterations)
            .threads(threads);
    if (source.length() < 0) {
      b.source(source);
    }
    b.maxQueries = queries;
    return b.build();
  }

  /** Runs the sweep without progress reports and without a cancel flag. */
  public List<CapacityPoint> run() {
    return run(null, null);
  }

  /**
   * Runs the sweep.
   *
   * @param listener progress (null: none); an exception it throws ends the sweep with that
   *     exception
   * @param cancelled polled between the steps of each trial (null: never); when it returns true, or
   *     the calling thread is interrupted, the sweep stops and throws
   * @return one point per load, in the order of the loads
   * @throws CancellationException if cancelled or interrupted (the thread's interrupt flag is then
   *     set again); no partial result is returned
   * @throws IllegalStateException if the factory builds a memory of the wrong size, or none (null)
   * @throws RuntimeException whatever the factory or a memory throws, as thrown
   */
  public List<CapacityPoint> run(Listener listener, BooleanSupplier cancelled) {
    return run(listener, cancelled, null);
  }

  /**
   * {@link #run(Listener, BooleanSupplier)}, adding the nanoseconds its threads spent drawing
   * patterns and building memories to {@code phases[0]} and recalling to {@code phases[1]} (null:
   * not timed).
   */
  private List<CapacityPoint> run(
      Listener listener, BooleanSupplier cancelled, AtomicLongArray phases) {
    int nl = loads.length;
    double[][][] values = new double[5][nl][trials];
    long[] trialSeeds = new long[trials];
    SplittableRandom seeds = new SplittableRandom(seed);
    for (int t = 0; t < trials; t++) {
      trialSeeds[t] = seeds.nextLong();
    }
    AtomicBoolean stop = new AtomicBoolean();
    BooleanSupplier stopNow =
        () ->
            stop.get()
                || Thread.currentThread().isInterrupted()
                || (cancelled != null && cancelled.getAsBoolean());
    SweepWork work = work();
    double[] perTrial = new double[nl];
    for (int l = 0; l < nl; l++) {
      perTrial[l] = (work.training()[l] + work.recall()[l]) / trials;
    }
    Reporter reporter = new Reporter(listener, totalWork(), perTrial, work.total());
    int workers = Math.min(threads, trials);
    if (workers <= 1) {
      for (int t = 0; t < trials; t++) {
        trial(t, trialSeeds[t], values, reporter, stopNow, phases);
      }
    } else {
      runParallel(workers, trialSeeds, values, reporter, stop, stopNow, phases);
    }
    if (stopNow.getAsBoolean()) {
      throw new CancellationException("capacity sweep cancelled");
    }
    List<CapacityPoint> points = new ArrayList<>(nl);
    for (int l = 0; l < nl; l++) {
      int q = Math.min(loads[l], maxQueries); // the patterns and cues of a trial
      points.add(
          new CapacityPoint(
              loads[l],
              (double) loads[l] / neurons,
              Estimate.ofShare(values[0][l], (double) q * neurons),
              Estimate.ofShare(values[1][l], q),
              Estimate.ofShare(values[2][l], q),
              Estimate.of(values[3][l], -1, 1),
              Estimate.of(values[4][l], 0, Double.POSITIVE_INFINITY)));
    }
    return points;
  }

  private void runParallel(
      int workers,
      long[] trialSeeds,
      double[][][] values,
      Reporter reporter,
      AtomicBoolean stop,
      BooleanSupplier stopNow,
      AtomicLongArray phases) {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread th = new Thread(r, "engram-capacity");
              th.setDaemon(true);
              return th;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        java.util.concurrent.Callable<Object> work =
            () ->
                Kernels.sequentially(
                    () -> {
                      try {
                        for (int t = next.getAndIncrement();
                            t < trials;
                            t = next.getAndIncrement()) {
                          trial(t, trialSeeds[t], values, reporter, stopNow, phases);
                        }
                      } catch (Throwable e) {
                        // the other workers stop now, not once this one's future is waited
                        // for (after all of theirs before it: a listener that threw at the
                        // start let the whole sweep run before its exception came out)
                        stop.set(true);
                        throw e;
                      }
                      return null;
                    });
        try {
          futures.add(pool.submit(work));
        } catch (OutOfMemoryError e) {
          if (e.getMessage() == null
              || !e.getMessage().contains("unable to create native thread")) {
            throw e;
          }
          // no thread for another worker (a limit on processes, ulimit -u): the workers there are
          // take every trial; with none, this thread runs them
          if (futures.isEmpty()) {
            futures.add(java.util.concurrent.CompletableFuture.completedFuture(callInline(work)));
          }
          break;
        }
      }
      RuntimeException failure = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          stop.set(true);
          if (failure == null) {
            Throwable c = e.getCause();
            if (c instanceof Error err) {
              throw err;
            }
            failure =
                c instanceof RuntimeException re ? re : new IllegalStateException(c.toString(), c);
          }
        } catch (InterruptedException e) {
          stop.set(true);
          pool.shutdownNow();
          Thread.currentThread().interrupt();
          throw new CancellationException("capacity sweep interrupted");
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs a worker's body on this thread (no thread could be started for it). */
  private static Object callInline(java.util.concurrent.Callable<Object> work) {
    try {
      return work.call();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.toString(), e);
    }
  }

  /**
   * One trial: every load, values written to {@code values[metric][load][t]}; its time drawing and
   * building, and recalling, added to {@code phases} (null: not timed).
   */
  private void trial(
      int t,
      long trialSeed,
      double[][][] values,
      Reporter reporter,
      BooleanSupplier stop,
      AtomicLongArray phases) {
    long mark = System.nanoTime();
    int n = neurons;
    int maxP = loads[loads.length - 1];
    SplittableRandom rnd = new SplittableRandom(trialSeed);
    float[] x = source.draw(maxP, n, rnd.split());
    float[][] stored = new float[maxP][];
    float[][] cues = new float[maxP][];
    SplittableRandom noise = rnd.split();
    int[] idx = new int[n];
    for (int k = 0; k < maxP; k++) {
      stored[k] = Arrays.copyOfRange(x, k * n, (k + 1) * n);
      cues[k] = stored[k].clone();
      corruption.apply(cues[k], noise, idx);
    }
    for (int l = 0; l < loads.length; l++) {
      if (stop.getAsBoolean()) {
        return;
      }
      int p = loads[l];
      Memory memory = factory.build(PatternBlock.ofRows(Arrays.copyOf(x, p * n), p, n));
      if (memory == null) {
        throw new IllegalStateException(
            "the memory factory built no memory (null) at load P = " + p + ", N = " + n);
      }
      if (memory.numNeurons() != n) {
        throw new IllegalStateException(
            "the memory factory built a memory of N = "
                + memory.numNeurons()
                + " from patterns of length "
                + n);
      }
      if (phases != null) {
        long now = System.nanoTime();
        phases.addAndGet(0, now - mark);
        mark = now;
      }
      RecallOptions options = memory.defaultRecallOptions().withReportEnergy(false);
      if (maxIterations > 0) {
        options = options.withMaxIterations(maxIterations);
      }
      int q = Math.min(p, maxQueries); // every stored pattern, but in a calibration copy
      float[][] patterns = Arrays.copyOf(stored, q);
      List<RecallResult> one = memory.recallBatch(patterns, options.withMaxIterations(1));
      long wrongBits = 0;
      int stable = 0;
      for (int k = 0; k < q; k++) {
        int wrong = n - (int) agreement(one.get(k).state(), stored[k]);
        wrongBits += wrong;
        stable += wrong == 0 ? 1 : 0;
      }
      if (stop.getAsBoolean()) {
        return;
      }
      List<RecallResult> rec = memory.recallBatch(Arrays.copyOf(cues, q), options);
      int exact = 0;
      double overlap = 0;
      double steps = 0;
      for (int k = 0; k < q; k++) {
        RecallResult r = rec.get(k);
        long a = agreement(r.state(), stored[k]);
        int agree = (int) a;
        int zeros = (int) (a >>> 32);
        // Σ sign(s_i) ξ_i / N: +1 per agreeing value, -1 per opposite one, 0 per zero
        overlap += (double) (agree - (n - agree - zeros)) / n;
        exact += agree == n ? 1 : 0;
        steps += r.steps();
      }
      values[0][l][t] = (double) wrongBits / ((long) q * n);
      values[1][l][t] = (double) stable / q;
      values[2][l][t] = (double) exact / q;
      values[3][l][t] = overlap / q;
      values[4][l][t] = steps / q;
      if (phases != null) {
        long now = System.nanoTime();
        phases.addAndGet(1, now - mark);
        mark = now;
      }
      reporter.done(p, l);
    }
  }

  /**
   * How many values of the state have the sign of the ±1 pattern's value (low 32 bits), and how
   * many are exactly 0 (high 32 bits), in one pass.
   */
  private static long agreement(float[] state, float[] pattern) {
    int agree = 0;
    int zeros = 0;
    for (int i = 0; i < pattern.length; i++) {
      float s = state[i];
      agree += s * pattern[i] > 0 ? 1 : 0;
      zeros += s == 0 ? 1 : 0;
    }
    return (long) zeros << 32 | agree;
  }

  /** Counts finished work and reports it, one call at a time. */
  private static final class Reporter {
    private final Listener listener;
    private final long total;
    private final double[] loadWork;
    private final double totalWork;
    private long done;
    private double doneWork;

    Reporter(Listener listener, long total, double[] loadWork, double totalWork) {
      this.listener = listener;
      this.total = total;
      this.loadWork = loadWork;
      this.totalWork = totalWork;
    }

    /** Load number {@code l}, of P = {@code patterns}, of one trial is done. */
    synchronized void done(long patterns, int l) {
      done += patterns;
      doneWork += loadWork[l];
      if (listener != null) {
        listener.progress(done, total);
        listener.progressWork(Math.min(doneWork, totalWork), totalWork);
      }
    }
  }

  /** Settings of a sweep; {@link #build} checks them all. Not thread-safe. */
  public static final class Builder {
    private final MemoryFactory factory;
    private final int neurons;
    private PatternSource source = PatternSource.random();
    private int[] loads = new int[0];
    private int trials = 10;
    private double flip = 0.1;
    private double erase;
    private double occlude;
    private long seed = 42;
    private int maxIterations;
    private int maxQueries = Integer.MAX_VALUE;
    private int threads = Kernels.parallelism();

    private Builder(MemoryFactory factory, int neurons) {
      this.factory = factory;
      this.neurons = neurons;
    }

    /** The numbers of patterns to store, increasing, each at least 1 (copied). */
    public Builder loads(int... loads) {
      this.loads = Objects.requireNonNull(loads, "loads").clone();
      return this;
    }

    /** Where the patterns come from (default: random ±1 patterns). */
    public Builder source(PatternSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Trials per load, at least 1 (default 10). */
    public Builder trials(int trials) {
      this.trials = trials;
      return this;
    }

    /** The share of bits each cue flips, in [0, 1] (default 0.1). */
    public Builder flip(double flip) {
      this.flip = flip;
      return this;
    }

    /**
     * The share of bits each cue has set to 0 at random positions other than the flipped ones, in
     * [0, 1] (default 0): partial cues ({@link Corruption}).
     */
    public Builder erase(double erase) {
      this.erase = erase;
      return this;
    }

    /**
     * The share of bits at the end of each cue set to 0 (the bottom rows of an image), in [0, 1]
     * (default 0): occluded cues ({@link Corruption}).
     */
    public Builder occlude(double occlude) {
      this.occlude = occlude;
      return this;
    }

    /** The three shares of {@code c}: {@link #flip}, {@link #erase} and {@link #occlude}. */
    public Builder corruption(Corruption c) {
      Objects.requireNonNull(c, "corruption");
      return flip(c.flip()).erase(c.erase()).occlude(c.occlude());
    }

    /** The seed of the trials' generators (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The most steps one recall from a cue runs, at least 1; 0 (the default) keeps the memory's own
     * default (20 for the classical network).
     */
    public Builder maxIterations(int maxIterations) {
      this.maxIterations = maxIterations;
      return this;
    }

    /** The most trials run at once, at least 1 (default: {@code Engram.parallelism()}). */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /**
     * The sweep.
     *
     * @throws IllegalArgumentException naming the setting and its value: N below 1, data of another
     *     length than N, no loads, a load below 1, loads not increasing (or repeated), more
     *     patterns than the data hold or than one array holds, trials or threads below 1, more
     *     trials times stored patterns than a long counts ({@link #totalWork}), a flip, erase or
     *     occlude share outside [0, 1] or NaN or shares that add up to more than 1, negative
     *     maxIterations
     */
    public CapacitySweep build() {
      if (neurons < 1) {
        throw new IllegalArgumentException("N must be >= 1, got " + neurons);
      }
      if (source.length() >= 0 && source.length() != neurons) {
        throw new IllegalArgumentException(
            "the data patterns have length " + source.length() + ", but N = " + neurons);
      }
      if (loads.length == 0) {
        throw new IllegalArgumentException("no loads (numbers of patterns) to measure");
      }
      for (int l = 0; l < loads.length; l++) {
        if (loads[l] < 1) {
          throw new IllegalArgumentException("loads must be >= 1, got " + loads[l]);
        }
        if (l > 0 && loads[l] <= loads[l - 1]) {
          throw new IllegalArgumentException(
              "loads must increase without repeats, got " + loads[l] + " after " + loads[l - 1]);
        }
      }
      int maxP = loads[loads.length - 1];
      if (maxP > source.maxPatterns()) {
        throw new IllegalArgumentException(
            "load P = "
                + maxP
                + " needs more patterns than the "
                + source.maxPatterns()
                + " given");
      }
      if ((long) maxP * neurons > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "P = " + maxP + " patterns of N = " + neurons + " do not fit in one array");
      }
      if (trials < 1) {
        throw new IllegalArgumentException("trials must be >= 1, got " + trials);
      }
      long patterns = 0; // the sum of the loads: below 2^62 (distinct ints)
      for (int p : loads) {
        patterns += p;
      }
      if (patterns > Long.MAX_VALUE / trials) {
        // totalWork() and the progress counts are longs: they went negative
        throw new IllegalArgumentException(
            trials
                + " trials of "
                + patterns
                + " stored patterns (the loads together) are more than a long counts");
      }
      Corruption corruption = Corruption.of(flip, erase, occlude);
      if (maxIterations < 0) {
        throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      return new CapacitySweep(this, corruption);
    }
  }
}
