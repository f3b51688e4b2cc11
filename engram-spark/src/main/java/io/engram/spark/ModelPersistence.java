package io.engram.spark;

import io.engram.network.Memory;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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

    /**
     * Spark's save, except that an overwrite writes the new model beside the old one first and
     * replaces it only once the whole model is written: a save that fails (patterns that cannot be
     * collected, a full disk) leaves the previous directory as it was, and a model saved over the
     * directory it was read from (or over its training data) has nothing deleted before it is
     * written.
     */
    @Override
    public void save(String path) throws IOException {
      Path target = new Path(path);
      FileSystem fs = target.getFileSystem(sc().hadoopConfiguration());
      Path parent = fs.makeQualified(target).getParent();
      if (!shouldOverwrite() || parent == null || !fs.exists(target)) {
        super.save(path);
        return;
      }
      String tag = "." + target.getName() + ".engram-" + UUID.randomUUID();
      Path fresh = new Path(parent, tag + ".new");
      Path old = new Path(parent, tag + ".old");
      try {
        saveImpl(fresh.toString());
        if (!fs.rename(target, old)) {
          throw new IOException("could not move " + target + " aside to replace it");
        }
        if (!fs.rename(fresh, target)) {
          fs.rename(old, target);
          throw new IOException("could not move the saved model to " + target);
        }
      } finally {
        fs.delete(fresh, true);
      }
      fs.delete(old, true);
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
      Memory net = ModelFiles.read(conf, new Path(path, ModelFiles.MODEL).toString());
      HopfieldMemoryModel model = new HopfieldMemoryModel(meta.uid(), net, null);
      meta.getAndSetParams(model, Option.empty());
      return model;
    }
  }
}
