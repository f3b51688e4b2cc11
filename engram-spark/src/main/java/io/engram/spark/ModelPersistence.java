package io.engram.spark;

import io.engram.network.Memory;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * How {@link HopfieldMemoryModel} is saved and read: Spark's {@code metadata/} (the parameters)
 * around {@code data/model.npz} (the memory's Engram model file, byte for byte what {@code engram
 * train} writes); a bare model file reads as a model with a random uid.
 */
final class ModelPersistence {

  private ModelPersistence() {}

  static final class Writer extends MLWriter {
    private final HopfieldMemoryModel model;

    Writer(HopfieldMemoryModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(model, path, sparkSession());
      ModelFiles.write(sc().hadoopConfiguration(), path, model.modelMemory().driverMemory());
    }
  }

  /**
   * The estimator's writer: Spark's parameters, refused where replacing the path would delete the
   * estimator's {@code initModel} (an overwrite deletes the path before it writes).
   */
  static final class EstimatorWriter extends DefaultParamsWriter {
    private final HopfieldMemory est;

    EstimatorWriter(HopfieldMemory est) {
      super(est);
      this.est = est;
    }

    /**
     * @throws IllegalArgumentException if {@code path} is the {@code initModel} or a folder that
     *     holds it
     */
    @Override
    public void save(String path) throws IOException {
      String init = est.getInitModel();
      if (!init.isEmpty() && ModelFiles.contains(sc().hadoopConfiguration(), path, init)) {
        throw new IllegalArgumentException(
            est.uid()
                + ": cannot save to "
                + path
                + ": it holds the initModel "
                + init
                + ", which saving there would delete");
      }
      super.save(path);
    }
  }

  static final class Reader extends MLReader<HopfieldMemoryModel> {
    @Override
    public HopfieldMemoryModel load(String path) {
      Configuration conf = sc().hadoopConfiguration();
      if (!ModelFiles.isDirectory(conf, path)) {
        return new HopfieldMemoryModel(
            Identifiable.randomUID("HopfieldMemoryModel"), ModelFiles.read(conf, path), null);
      }
      DefaultParamsReader.Metadata meta =
          DefaultParamsReader.loadMetadata(
              path, sparkSession(), HopfieldMemoryModel.class.getName());
      Memory net =
          ModelFiles.read(conf, new org.apache.hadoop.fs.Path(path, ModelFiles.MODEL).toString());
      HopfieldMemoryModel model = new HopfieldMemoryModel(meta.uid(), net, null);
      meta.getAndSetParams(model, Option.empty());
      return model;
    }
  }
}
