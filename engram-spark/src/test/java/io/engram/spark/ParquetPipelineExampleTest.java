package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.ModelFile;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.spark.LocalSpark.Column;
import io.engram.spark.examples.ParquetPipelineExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example, run as a user would run it (in local mode here). */
class ParquetPipelineExampleTest {

  @TempDir Path tmp;

  /** Writes the example's inputs: P patterns and Q noisy cues of them, as Parquet. */
  static void writeInputs(Path patterns, Path cues, float[][] stored, float[][] noisy) {
    // one file: Spark may read several files in another order, and the sums depend on the order
    LocalSpark.frame(stored, Column.FLOATS, 1).write().parquet(patterns.toString());
    LocalSpark.frame(noisy, Column.FLOATS, 3).write().parquet(cues.toString());
  }

  /** The example's output against the core: train, then recall the cues, in id order. */
  static void assertOutputIsTheCores(Path out, float[][] stored, float[][] noisy) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(stored[0].length);
    HebbianRule.hebbian(HebbianOptions.DEFAULTS).train(net, PatternBlock.of(stored), true, null);
    List<RecallResult> want =
        net.recallBatch(noisy, RecallOptions.defaults().withMaxIterations(30));
    List<Row> got =
        LocalSpark.session().read().parquet(out.toString()).orderBy("id").collectAsList();
    HopfieldMemoryTest.assertRecalled(want, got, "recalled", true);
  }

  @Test
  void parquetInPipelineFitSavedReloadedParquetOut() throws Exception {
    float[][] stored = LocalSpark.patterns(6, 64, true, 41);
    float[][] noisy = LocalSpark.noisy(stored, 30, 10, 42);
    Path patterns = tmp.resolve("patterns.parquet");
    Path cues = tmp.resolve("cues.parquet");
    Path out = tmp.resolve("recalled.parquet");
    Path model = tmp.resolve("model");
    writeInputs(patterns, cues, stored, noisy);

    long[] counts =
        ParquetPipelineExample.run(
            LocalSpark.session(),
            patterns.toString(),
            cues.toString(),
            out.toString(),
            model.toString());
    assertEquals(30, counts[0]);
    assertTrue(counts[1] > 0 && counts[1] <= 30, "converged: " + counts[1]);
    assertOutputIsTheCores(out, stored, noisy);

    // the saved pipeline holds the memory's model file, which the core (and engram inspect) reads
    Path npz;
    try (Stream<Path> files = Files.walk(model)) {
      npz = files.filter(p -> p.endsWith("data/model.npz")).findFirst().orElseThrow();
    }
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(64);
    HebbianRule.hebbian(HebbianOptions.DEFAULTS).train(net, PatternBlock.of(stored), true, null);
    assertArrayEquals(net.weightMatrix(), ModelFile.read(npz).weightMatrix());
  }
}
