package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.ModelFile;
import io.engram.learning.HebbianTrainer;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.spark.LocalSpark.Column;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * engram-spark/README.md, "DataFrames and ML pipelines": the snippet as written (between the {@code
 * // ---} lines; a local folder for {@code hdfs:///models/faces}, and the bare model file made by
 * the core as {@code engram train --out model.npz} makes it), and the columns it says it adds.
 */
class ReadmeSnippetTest {

  @TempDir Path tmp;

  @Test
  void dataFramesAndPipelines() throws Exception {
    float[][] stored = LocalSpark.patterns(6, 64, true, 51);
    float[][] noisy = LocalSpark.noisy(stored, 6, 4, 52);
    Dataset<Row> patterns =
        LocalSpark.frame(stored, Column.FLOATS, 1).withColumnRenamed("features", "pixels");
    Dataset<Row> noisyCues =
        LocalSpark.frame(noisy, Column.FLOATS, 2).withColumnRenamed("features", "pixels");
    String faces = tmp.resolve("faces").toString();
    AmariHopfieldNetwork cli = AmariHopfieldNetwork.create(64);
    HebbianTrainer.create(cli).train(stored);
    String modelNpz = tmp.resolve("model.npz").toString();
    ModelFile.write(Path.of(modelNpz), cli);
    // ---
    HopfieldMemory memory =
        new HopfieldMemory() // an Estimator
            .setFeaturesCol("pixels") // array<float>, array<double>, vector
            .setRule("hebbian");
    HopfieldMemoryModel model = memory.fit(patterns); // one `engram train` call, on the cluster
    Dataset<Row> recalled = model.transform(noisyCues); // + prediction, steps, converged, energy
    model.write().overwrite().save(faces);
    HopfieldMemoryModel again = HopfieldMemoryModel.load(faces);
    HopfieldMemoryModel fromCli =
        HopfieldMemoryModel.load(modelNpz); // engram train --out model.npz

    new HopfieldMemory()
        .setFeaturesCol("pixels")
        .setRule("pseudo-inverse")
        .fit(patterns); // or "storkey"
    HopfieldMemoryModel modern =
        new HopfieldMemory()
            .setFeaturesCol("pixels")
            .setMemory("modern")
            .setBeta(0.5)
            .fit(patterns);
    modern.transform(noisyCues); // + prediction, steps, converged, energy, best, weight
    // ---
    new HopfieldMemory().setFeaturesCol("pixels").setRule("storkey").fit(patterns);
    List<String> added = List.of("prediction", "steps", "converged", "energy");
    List<String> columns = Arrays.asList(recalled.columns());
    assertTrue(columns.containsAll(added), columns.toString());
    List<String> modernColumns = Arrays.asList(modern.transform(noisyCues).columns());
    assertTrue(modernColumns.containsAll(List.of("best", "weight")), modernColumns.toString());
    assertArrayEquals(cli.weightMatrix(), again.network().weightMatrix());
    assertArrayEquals(cli.weightMatrix(), fromCli.network().weightMatrix());
    assertEquals(6, recalled.filter("converged").count());
  }
}
