package io.engram.spark;

import io.engram.network.Memory;
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
