package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.ModelFile;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseRule;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.UpdateMode;
import io.engram.spark.LocalSpark.Column;
import io.engram.weights.WeightsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-JVM run: a standalone master and two workers (separate JVMs from the jars Maven
 * resolved, on 127.0.0.1), whose executors are separate JVMs again and get the Engram jars only
 * through {@code spark.jars}, as on a cluster. Training and recall there must equal the core's
 * here, element by element, and the README's {@code spark-submit} line must run the example.
 */
class StandaloneClusterIT {

  private static final Duration START = Duration.ofSeconds(150);
  private static final int N = 64;

  /**
   * Short-lived JVMs with little data: C1 only (startup, not peak speed, sets their time) and the
   * serial collector.
   */
  private static final String QUICK = " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  @TempDir static Path work;
  private static StandaloneCluster cluster;
  private static SparkSession spark;
  private static Path coreJar;
  private static Path sparkJar;
  private static final Set<String> executors = ConcurrentHashMap.newKeySet();
  private static float[][] stored;
  private static float[][] cues;

  @BeforeAll
  static void start() throws Exception {
    String classpath =
        Files.readString(Path.of(System.getProperty("engram.spark.classpathFile"))).trim();
    coreJar = StandaloneCluster.jarOf(AmariHopfieldNetwork.class, work);
    sparkJar = Path.of(System.getProperty("engram.spark.jar"));
    assertTrue(Files.isRegularFile(sparkJar), "the module's jar (package runs first): " + sparkJar);
    // two workers of two cores: this test's application and the spark-submit one run side by side
    cluster = StandaloneCluster.start(work, classpath, 2, 2, "1200m", START);
    spark =
        SparkSession.builder()
            .master(cluster.masterUrl())
            .appName("engram-standalone-it")
            .config("spark.jars", coreJar + "," + sparkJar)
            .config(clusterConf())
            .getOrCreate();
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskEnd(SparkListenerTaskEnd end) {
                executors.add(end.taskInfo().executorId());
              }
            });
    long deadline = System.nanoTime() + START.toNanos();
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < 3) {
      assertTrue(System.nanoTime() < deadline, "executors did not start\n" + cluster.tails());
      Thread.sleep(100);
    }
    stored = LocalSpark.patterns(8, N, true, 51);
    cues = LocalSpark.noisy(stored, 40, 12, 52);
  }

  /** One executor of one core and 512 MiB on each worker, the core's kernels as in this JVM. */
  private static java.util.Map<String, Object> clusterConf() {
    return java.util.Map.of(
        "spark.driver.host", "127.0.0.1",
        "spark.driver.bindAddress", "127.0.0.1",
        "spark.ui.enabled", "false",
        "spark.ui.showConsoleProgress", "false",
        "spark.executor.memory", "512m",
        "spark.executor.cores", "1",
        "spark.cores.max", "2",
        "spark.sql.shuffle.partitions", "2",
        "spark.executor.extraJavaOptions", StandaloneCluster.kernelFlags() + QUICK);
  }

  @AfterAll
  static void stop() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private static Dataset<Row> frame(float[][] x, Column c, int partitions) {
    return spark.createDataFrame(
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(LocalSpark.rows(x, c), partitions),
        LocalSpark.schema(c));
  }

  @Test
  void trainingAndRecallOnExecutorJvmsEqualTheCore() {
    executors.clear();
    // the ML pipeline API: patterns collected and trained as the core does, recall on executors
    HopfieldMemoryModel model = new HopfieldMemory().fit(frame(stored, Column.DOUBLES, 3));
    AmariHopfieldNetwork core = AmariHopfieldNetwork.create(N);
    HebbianRule.hebbian(HebbianOptions.DEFAULTS).train(core, PatternBlock.of(stored), true, null);
    assertArrayEquals(core.weightMatrix(), model.network().weightMatrix());
    HopfieldMemoryTest.assertRecalled(
        core.recallBatch(cues, RecallOptions.defaults()),
        model.transform(frame(cues, Column.VECTOR, 4)).collectAsList(),
        "prediction",
        true);

    // the RDD API: dense partial sums reduced across executors (exact for ±1 without centring),
    // recall in a seeded random asynchronous order, by query index
    HebbianRule raw = HebbianRule.hebbian(HebbianOptions.DEFAULTS.withSubtractMean(false));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    AmariHopfieldNetwork reduced =
        AmariHopfieldNetwork.create(
            N, Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(3L)), WeightsMode.DENSE);
    SparkHebbian.train(
        reduced, raw, sc.parallelize(Arrays.asList(stored), 4), SparkHebbian.Strategy.REDUCE);
    AmariHopfieldNetwork want =
        AmariHopfieldNetwork.create(
            N, Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(3L)), WeightsMode.DENSE);
    raw.train(want, PatternBlock.of(stored), true, null);
    assertArrayEquals(want.weightMatrix(), reduced.weightMatrix());
    List<RecallResult> r = want.recallBatch(cues, RecallOptions.defaults());
    List<RecalledState> got =
        SparkRecall.recall(
                reduced, sc.parallelize(Arrays.asList(cues), 4), RecallOptions.defaults())
            .collect();
    for (int q = 0; q < cues.length; q++) {
      assertEquals(q, got.get(q).id());
      assertArrayEquals(r.get(q).state(), got.get(q).state(), "query " + q);
      assertEquals(r.get(q).steps(), got.get(q).steps(), "query " + q);
      assertEquals(r.get(q).energy(), got.get(q).energy(), "query " + q);
    }
    // the tasks ran on both executors, neither of them the driver
    assertEquals(2, executors.size(), executors.toString());
    assertTrue(!executors.contains("driver"), executors.toString());
  }

  @Test
  void pseudoInverseAndShardedModernMemoryOnExecutorJvmsEqualTheCore() {
    executors.clear();
    // pseudo-inverse: the Gram matrix reduced from column blocks shuffled between the executors
    float[][] real = LocalSpark.patterns(12, N, false, 61);
    AmariHopfieldNetwork pinv = AmariHopfieldNetwork.create(N);
    PseudoInverseRule.create().train(pinv, PatternBlock.of(real), true, null);
    HopfieldMemoryModel p =
        new HopfieldMemory().setRule("pseudo-inverse").fit(frame(real, Column.FLOATS, 3));
    double[] d = ClassicalRulesTest.weightDiff(pinv, p.network());
    assertTrue(d[0] <= 1e-5 * d[1], "|dW| = " + d[0]);

    // modern memory kept sharded on the executors, each step merged on the driver
    float[][] x = LocalSpark.patterns(200, N, false, 62);
    float[][] q = LocalSpark.patterns(30, N, false, 63);
    ModernHopfieldMemory core = ModernHopfieldMemory.softmax(N, 0.5f);
    core.store(x);
    HopfieldMemoryModel m =
        new HopfieldMemory()
            .setMemory("modern")
            .setBeta(0.5)
            .setBroadcastLimit(0)
            .fit(frame(x, Column.FLOATS, 4));
    assertTrue(m.isSharded());
    ModernMemoryTest.assertRetrieved(
        core.retrieveAll(q), m.transform(frame(q, Column.FLOATS, 2)).collectAsList(), 2e-6);
    assertEquals(2, executors.size(), executors.toString());
  }

  /**
   * Whether spark-submit takes {@code jar} in {@code --jars}: Spark reads those paths as Hadoop
   * globs, then as URIs with only blanks quoted, so a path holding a glob character or one a URI
   * path may not hold ({@code [ ] { } * ? | ^ < > \ "}, a backquote, a percent sign) fails its
   * {@code main} with a URISyntaxException, in any folder the README's line is run from.
   */
  static boolean sparkSubmitTakes(Path jar) {
    String path = jar.toAbsolutePath().toString();
    if (path.matches(".*[\\[\\]{}*?%].*")) {
      return false;
    }
    try {
      new java.net.URI("file:" + path.replace(" ", "%20"));
      return true;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  @Test
  void sparkSubmitTakesPlainPathsOnly() {
    assertTrue(sparkSubmitTakes(Path.of("/work/p/engram-core/target/engram-core.jar")));
    assertTrue(sparkSubmitTakes(Path.of("/my projects/é/$HOME/engram-core.jar")));
    for (String odd :
        List.of("/a[x]/c.jar", "/a{b}/c.jar", "/a*/c.jar", "/a|b/c.jar", "/a%b/c.jar")) {
      assertTrue(!sparkSubmitTakes(Path.of(odd)), odd);
    }
  }

  @Test
  void theReadmesSparkSubmitLineRunsTheExample() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        sparkSubmitTakes(coreJar) && sparkSubmitTakes(sparkJar),
        "spark-submit refuses --jars paths holding glob or URI-reserved characters: " + coreJar);
    Path patterns = work.resolve("patterns.parquet");
    Path in = work.resolve("cues.parquet");
    Path out = work.resolve("recalled.parquet");
    Path model = work.resolve("model");
    frame(stored, Column.FLOATS, 1).write().parquet(patterns.toString());
    frame(cues, Column.FLOATS, 3).write().parquet(in.toString());

    // spark-submit is `spark-class org.apache.spark.deploy.SparkSubmit "$@"`
    Process submit =
        cluster.startJvm(
            "spark-submit",
            List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            cluster.masterUrl(),
            "--class",
            "io.engram.spark.examples.ParquetPipelineExample",
            "--jars",
            coreJar.toString(),
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.executor.memory=512m",
            "--conf",
            "spark.executor.cores=1",
            "--conf",
            "spark.cores.max=2",
            "--conf",
            "spark.executor.extraJavaOptions=" + StandaloneCluster.kernelFlags() + QUICK,
            sparkJar.toString(),
            patterns.toString(),
            in.toString(),
            out.toString(),
            model.toString());
    boolean done = submit.waitFor(START.toSeconds(), TimeUnit.SECONDS);
    String log = Files.readString(work.resolve("spark-submit.log"));
    assertTrue(done, "spark-submit did not finish in time\n" + cluster.tails());
    assertEquals(0, submit.exitValue(), "spark-submit failed\n" + cluster.tails());
    assertTrue(log.contains("recalled 40 cues ("), log);

    AmariHopfieldNetwork core = AmariHopfieldNetwork.create(N);
    HebbianRule.hebbian(HebbianOptions.DEFAULTS).train(core, PatternBlock.of(stored), true, null);
    HopfieldMemoryTest.assertRecalled(
        core.recallBatch(cues, RecallOptions.defaults().withMaxIterations(30)),
        spark.read().parquet(out.toString()).orderBy("id").collectAsList(),
        "recalled",
        true);
    Path npz;
    try (var files = Files.walk(model)) {
      npz = files.filter(p -> p.endsWith("data/model.npz")).findFirst().orElseThrow();
    }
    assertArrayEquals(core.weightMatrix(), ModelFile.read(npz).weightMatrix());
  }
}
