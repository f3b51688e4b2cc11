package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.UpdateMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** Distributed batch recall against the core's {@code recallBatch} on the same queries. */
class SparkRecallTest {

  private static JavaSparkContext sc;
  private static AmariHopfieldNetwork net;
  private static float[][] cues;

  @BeforeAll
  static void start() {
    sc = LocalSpark.context();
    int n = 48;
    float[][] stored = LocalSpark.patterns(4, n, true, 11);
    net = AmariHopfieldNetwork.create(n);
    HebbianRule.hebbian(HebbianOptions.DEFAULTS).train(net, PatternBlock.of(stored), true, null);
    SplittableRandom r = new SplittableRandom(12);
    cues = new float[50][];
    for (int q = 0; q < cues.length; q++) {
      cues[q] = stored[q % 4].clone();
      for (int f = 0; f < 8; f++) {
        int i = r.nextInt(n);
        cues[q][i] = -cues[q][i];
      }
    }
  }

  private static void assertSame(List<RecallResult> want, List<RecalledState> got) {
    assertEquals(want.size(), got.size());
    for (int q = 0; q < want.size(); q++) {
      RecalledState g = got.get(q);
      assertEquals(q, g.id());
      assertArrayEquals(want.get(q).state(), g.state(), "query " + q);
      assertEquals(want.get(q).steps(), g.steps(), "query " + q);
      assertEquals(want.get(q).converged(), g.converged(), "query " + q);
      assertEquals(want.get(q).energy(), g.energy(), "query " + q);
    }
  }

  @Test
  void matchesTheCoreForEveryUpdateModeAndActivation() {
    int n = net.numNeurons();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (i * 7) % n;
    }
    List<RecallOptions> options = new ArrayList<>();
    options.add(RecallOptions.defaults());
    options.add(
        RecallOptions.defaults()
            .withDynamics(Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(order))));
    options.add(
        RecallOptions.defaults()
            .withDynamics(Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(99L))));
    options.add(
        RecallOptions.defaults()
            .withMaxIterations(7)
            .withEnergyTolerance(1e-3)
            .withDynamics(
                Dynamics.DEFAULT
                    .withActivation(Activation.TANH)
                    .withTemperature(0.5)
                    .withThreshold(0.1)));
    options.add(RecallOptions.defaults().withReportEnergy(false).withMaxIterations(1));
    for (RecallOptions o : options) {
      List<RecallResult> want = net.recallBatch(cues, o);
      List<RecalledState> got =
          SparkRecall.recall(net, sc.parallelize(Arrays.asList(cues), 3), o).collect();
      assertSame(want, got);
    }
  }

  @Test
  void keepsIdsAndTheNetworksOwnDynamics() {
    AmariHopfieldNetwork async =
        AmariHopfieldNetwork.create(
            net.numNeurons(), Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(5L)));
    HebbianRule.hebbian(HebbianOptions.DEFAULTS)
        .train(async, PatternBlock.of(Arrays.copyOf(cues, 3)), true, null);
    List<Tuple2<Long, float[]>> keyed = new ArrayList<>();
    for (int q = cues.length - 1; q >= 0; q--) {
      keyed.add(new Tuple2<>((long) q, cues[q]));
    }
    List<RecalledState> got =
        new ArrayList<>(
            SparkRecall.recall(async, sc.parallelizePairs(keyed, 4), RecallOptions.defaults())
                .collect());
    got.sort(Comparator.comparingLong(RecalledState::id));
    assertSame(async.recallBatch(cues, RecallOptions.defaults()), got);
  }

  @Test
  void scalesWithoutCollecting() {
    int n = net.numNeurons();
    int perPartition = 50_000;
    long count = 4L * perPartition;
    // the queries are generated on the executors and never exist as one collection
    long converged =
        SparkRecall.recall(
                net,
                sc.parallelize(Arrays.asList(0, 1, 2, 3), 4)
                    .flatMap(part -> generated(part, perPartition, n)),
                RecallOptions.defaults())
            .filter(RecalledState::converged)
            .count();
    assertEquals(count, converged);
  }

  /**
   * Query {@code part · count + i}, made on the executor (a static method: no test instance is
   * captured).
   */
  private static Iterator<float[]> generated(int part, int count, int n) {
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < count;
      }

      @Override
      public float[] next() {
        long q = (long) part * count + i++;
        float[] c = new float[n];
        for (int j = 0; j < n; j++) {
          c[j] = ((q * 31 + j * 17) % 5) < 2 ? -1f : 1f;
        }
        return c;
      }
    };
  }

  @Test
  void rejectsWhatCannotRunOnExecutors() {
    RecallOptions listening = RecallOptions.defaults().withQueryListener((q, done, total, r) -> {});
    assertThrows(
        IllegalArgumentException.class,
        () -> SparkRecall.recall(net, sc.parallelize(Arrays.asList(cues), 2), listening));
    RecallOptions badOrder =
        RecallOptions.defaults()
            .withDynamics(
                Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(new int[] {1, 0})));
    assertThrows(
        IllegalArgumentException.class,
        () -> SparkRecall.recall(net, sc.parallelize(Arrays.asList(cues), 2), badOrder));
    // a bad query fails its task, named by its id
    float[][] bad = cues.clone();
    bad[3] = new float[5];
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                SparkRecall.recall(
                        net, sc.parallelize(Arrays.asList(bad), 2), RecallOptions.defaults())
                    .count());
    String all = "";
    for (Throwable t = e; t != null; t = t.getCause()) {
      all += t.getMessage() + " | ";
    }
    assertTrue(all.contains("query 3 has length 5, expected N = 48"), all);
  }
}
