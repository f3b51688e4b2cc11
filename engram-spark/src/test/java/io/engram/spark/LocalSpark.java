package io.engram.spark;

import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** One quiet {@code local[2]} context for a test class, bound to the loopback address. */
final class LocalSpark {

  private LocalSpark() {}

  static JavaSparkContext start(String name) {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName(name)
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.ui.showConsoleProgress", "false")
            .set("spark.sql.shuffle.partitions", "2");
    return new JavaSparkContext(conf);
  }

  /** P x N patterns: ±1 when {@code bipolar}, else Gaussian values around 0.3. */
  static float[][] patterns(int p, int n, boolean bipolar, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = bipolar ? (r.nextBoolean() ? 1f : -1f) : (float) (r.nextGaussian() * 0.7 + 0.3);
      }
    }
    return x;
  }
}
