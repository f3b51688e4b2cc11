package io.engram.spark.examples;

import io.engram.spark.HopfieldMemory;
import java.io.IOException;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Store patterns from Parquet, recall noisy cues from Parquet, write the result as Parquet: the
 * whole round trip of a Spark ML pipeline, with the fitted pipeline saved and loaded back before it
 * is used.
 *
 * <pre>
 * spark-submit --class io.engram.spark.examples.ParquetPipelineExample \
 *   --jars engram-core-0.1.0-SNAPSHOT.jar engram-spark_2.13-0.1.0-SNAPSHOT.jar \
 *   patterns.parquet cues.parquet recalled.parquet model/
 * </pre>
 *
 * <p>Both inputs have a column {@code features} (array&lt;float&gt;, array&lt;double&gt; or an ML
 * vector; every row of the same length N); other columns pass through to the output, which adds
 * {@code recalled} (the recalled state), {@code steps}, {@code converged} and {@code energy}. The
 * model directory holds Spark's pipeline metadata and, under {@code stages/}, the memory's Engram
 * model file ({@code data/model.npz}, readable by {@code engram inspect} and {@code numpy.load}).
 */
public final class ParquetPipelineExample {

  private ParquetPipelineExample() {}

  /** Arguments: PATTERNS CUES OUT MODEL (any paths Spark reads and writes). */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println(
          "usage: ParquetPipelineExample PATTERNS.parquet CUES.parquet OUT.parquet MODEL_DIR");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("engram-parquet-pipeline").getOrCreate();
    try {
      long[] counts = run(spark, args[0], args[1], args[2], args[3]);
      System.out.printf(
          Locale.ROOT,
          "recalled %d cues (%d converged) into %s; model saved in %s%n",
          counts[0],
          counts[1],
          args[2],
          args[3]);
    } finally {
      spark.stop();
    }
  }

  /**
   * Fits the pipeline on the patterns, saves it to {@code modelDir} (replacing what is there),
   * loads it back, recalls the cues with it and writes them to {@code out} (replaced).
   *
   * @return the number of cues and how many of them converged
   * @throws IOException if the model cannot be saved
   */
  public static long[] run(
      SparkSession spark, String patterns, String cues, String out, String modelDir)
      throws IOException {
    Dataset<Row> train = spark.read().parquet(patterns);
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new HopfieldMemory()
                      .setFeaturesCol("features")
                      .setPredictionCol("recalled")
                      .setMaxIter(30)
                });
    PipelineModel fitted = pipeline.fit(train);
    fitted.write().overwrite().save(modelDir);

    PipelineModel model = PipelineModel.load(modelDir);
    model.transform(spark.read().parquet(cues)).write().mode(SaveMode.Overwrite).parquet(out);

    Row counts = spark.read().parquet(out).selectExpr("count(*)", "count_if(converged)").first();
    return new long[] {counts.getLong(0), counts.getLong(1)};
  }
}
