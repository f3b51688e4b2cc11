package io.engram.spark;

import io.engram.network.Memory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.json4s.JNothing$;
import org.json4s.JObject;
import org.json4s.JValue;
import org.json4s.jackson.JsonMethods$;
import scala.Option;
import scala.Tuple2;

/**
 * How {@link HopfieldMemoryModel} is saved and read: Spark's {@code metadata/} (the parameters)
 * around {@code data/model.npz} (the memory's Engram model file, byte for byte what {@code engram
 * train} writes); a bare model file reads as a model with a random uid.
 */
final class ModelPersistence {

  private ModelPersistence() {}

  /** How old a staging folder of a save must be to count as left by a JVM that died: a day. */
  static final long STALE_AFTER_MILLIS = 24L * 3600 * 1000;

  /** Writes a stage into a folder that does not exist yet. */
  @FunctionalInterface
  interface StageWrite {
    void to(String path) throws IOException;
  }

  /**
   * The folder a stage is saved to, checked: {@code path} itself, or the folder a local symbolic
   * link names (written through, as the command line writes through one: the folder it names is
   * replaced, the link stays).
   *
   * @throws IllegalArgumentException for a special file, a file (or a link to one) or a link that
   *     loops
   */
  static String saveTarget(Configuration conf, String path) {
    ModelFiles.checkSaveTarget(conf, path);
    String real = ModelFiles.throughLink(conf, path);
    ModelFiles.checkNotAFile(conf, real, path);
    return real;
  }

  /**
   * Spark's save, except that the stage is written beside the path first and moved there only once
   * it is whole: a save that fails (patterns that cannot be collected, a parameter that cannot be
   * written, a full disk) leaves the path as it was, the previous directory of an overwrite or
   * nothing at all for a first save (where Spark's left a partial folder that the next save was
   * refused over), and a stage saved over the directory it was read from (or over its training
   * data) has nothing deleted before it is written.
   *
   * @param path the folder to save to, from {@link #saveTarget}
   * @param overwrite whether the writer was asked to overwrite (refused for a folder that is
   *     neither empty nor a saved stage: {@link #checkReplaceable})
   * @param plain Spark's own save (its refusal of a path that exists, without overwrite)
   * @param write writes the stage into a new folder ({@code saveImpl})
   */
  static void save(
      Configuration conf, String path, boolean overwrite, StageWrite plain, StageWrite write)
      throws IOException {
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(conf);
    Path parent = fs.makeQualified(target).getParent();
    boolean exists = fs.exists(target);
    if (parent == null || exists && !overwrite) {
      plain.to(path); // (Spark's refusal of a path that exists)
      return;
    }
    if (exists) {
      checkReplaceable(fs, target, path);
    }
    removeStale(fs, parent, target.getName());
    String tag = stagingPrefix(target.getName()) + UUID.randomUUID();
    Path fresh = new Path(parent, tag + ".new");
    Path old = new Path(parent, tag + ".old");
    try {
      write.to(fresh.toString());
      if (!exists) {
        // a first save, moved into place once whole: Spark's wrote into the path itself, and a
        // model file that could not be written (a full disk) left the parameters alone there
        if (fs.exists(target) || !fs.rename(fresh, target)) {
          throw new IOException(
              "could not move the saved stage to " + target + " (did another save make it?)");
        }
        return;
      }
      if (!fs.rename(target, old)) {
        throw new IOException("could not move " + target + " aside to replace it");
      }
      if (!fs.rename(fresh, target)) {
        fs.rename(old, target);
        throw new IOException("could not move the saved stage to " + target);
      }
    } finally {
      fs.delete(fresh, true);
    }
    fs.delete(old, true);
  }

  /**
   * Refuses to overwrite a folder that is neither empty nor a saved stage (one with {@code
   * metadata/}, whatever stage it holds): an overwrite deletes what was there, and a folder of
   * results, data or a home directory given by mistake (Spark's own writers delete it) would be
   * lost.
   *
   * @throws IllegalArgumentException naming the folder and what it holds
   */
  static void checkReplaceable(FileSystem fs, Path target, String path) throws IOException {
    if (!fs.getFileStatus(target).isDirectory() || fs.exists(new Path(target, "metadata"))) {
      return;
    }
    org.apache.hadoop.fs.FileStatus[] inside = fs.listStatus(target);
    if (inside.length == 0) {
      return;
    }
    StringBuilder names = new StringBuilder();
    for (int k = 0; k < Math.min(3, inside.length); k++) {
      names.append(k == 0 ? "" : ", ").append(inside[k].getPath().getName());
    }
    throw new IllegalArgumentException(
        path
            + " is not a saved stage (it has no metadata/, and holds "
            + inside.length
            + (inside.length == 1 ? " entry: " : " entries: ")
            + names
            + (inside.length > 3 ? ", ..." : "")
            + "); an overwrite replaces only a saved stage or an empty folder, and would delete"
            + " them; save elsewhere, or remove it first");
  }

  /**
   * The start of the names of the folders a save of {@code name} stages beside it ({@code
   * .NAME.engram-}), with each ':' made '_': Hadoop reads a relative name with a colon before any
   * slash as a URI scheme, so a save to {@code /data/run:1} failed with "URISyntaxException:
   * Relative path in absolute URI: .run:1.engram-...new", a folder the user never named.
   */
  static String stagingPrefix(String name) {
    return "." + name.replace(':', '_') + ".engram-";
  }

  /**
   * Removes the folders that saves of {@code name} left beside it when their JVM died between
   * writing and swapping ({@code .NAME.engram-UUID.new} or {@code .old}), once a day old: a save
   * running now (this one or another job's) is never that old.
   */
  static void removeStale(FileSystem fs, Path parent, String name) throws IOException {
    String prefix = stagingPrefix(name);
    long before = System.currentTimeMillis() - STALE_AFTER_MILLIS;
    org.apache.hadoop.fs.FileStatus[] listed;
    try {
      listed = fs.listStatus(parent, p -> p.getName().startsWith(prefix));
    } catch (java.io.FileNotFoundException e) {
      return;
    }
    for (org.apache.hadoop.fs.FileStatus st : listed) {
      String rest = st.getPath().getName().substring(prefix.length());
      if (rest.matches("[0-9a-f-]{36}\\.(new|old)")
          && st.isDirectory()
          && st.getModificationTime() < before) {
        fs.delete(st.getPath(), true);
      }
    }
  }

  static final class Writer extends MLWriter {
    private final HopfieldMemoryModel model;

    Writer(HopfieldMemoryModel model) {
      this.model = model;
    }

    /** Spark's save, an overwrite staged ({@link ModelPersistence#save}). */
    @Override
    public void save(String path) throws IOException {
      Configuration conf = sc().hadoopConfiguration();
      String target = saveTarget(conf, path);
      ModelPersistence.save(conf, target, shouldOverwrite(), super::save, this::saveImpl);
    }

    /**
     * Writes the parameters and the model file; the memory is taken (collected, for patterns kept
     * on the cluster) before anything is written, so that a memory that cannot be had (patterns
     * lost with a stopped SparkContext, or unreadable) leaves no half-written folder behind.
     */
    @Override
    public void saveImpl(String path) {
      Memory memory = model.modelMemory().driverMemory();
      // with a record of the model file, which a load checks the file against
      DefaultParamsWriter.saveMetadata(
          model, path, sparkSession(), Option.apply(ModelFileCheck.record(memory)));
      ModelFiles.write(sc().hadoopConfiguration(), path, memory);
    }
  }

  /**
   * The estimator's writer: Spark's parameters, an overwrite staged as the model's, refused where
   * replacing the path would delete the estimator's {@code initModel}.
   */
  static final class EstimatorWriter extends DefaultParamsWriter {
    private final HopfieldMemory est;

    EstimatorWriter(HopfieldMemory est) {
      super(est);
      this.est = est;
    }

    /**
     * Spark's save, an overwrite staged ({@link ModelPersistence#save}).
     *
     * @throws IllegalArgumentException if {@code path} is the {@code initModel} or a folder that
     *     holds it, a file, or a special file
     */
    @Override
    public void save(String path) throws IOException {
      Configuration conf = sc().hadoopConfiguration();
      String target = saveTarget(conf, path);
      String init = est.getInitModel();
      if (!init.isEmpty() && ModelFiles.contains(conf, target, init)) {
        throw new IllegalArgumentException(
            est.uid()
                + ": cannot save to "
                + target
                + ": it holds the initModel "
                + init
                + ", which saving there would delete");
      }
      ModelPersistence.save(conf, target, shouldOverwrite(), super::save, this::saveImpl);
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
      DefaultParamsReader.Metadata meta = metadata(this, path, HopfieldMemoryModel.class);
      Memory net = ModelFiles.read(conf, new Path(path, ModelFiles.MODEL).toString());
      HopfieldMemoryModel model =
          setParams(meta, path, new HopfieldMemoryModel(meta.uid(), net, null));
      String swapped = ModelFileCheck.mismatch(meta, net);
      if (swapped != null) {
        throw bad(path, swapped, null);
      }
      model.markFitted(); // the values it was saved with
      return model;
    }
  }

  /** The estimator's reader: its parameters, checked as the model's are. */
  static final class EstimatorReader extends MLReader<HopfieldMemory> {
    @Override
    public HopfieldMemory load(String path) {
      DefaultParamsReader.Metadata meta = metadata(this, path, HopfieldMemory.class);
      return setParams(meta, path, new HopfieldMemory(meta.uid()));
    }
  }

  /**
   * Spark's {@code metadata/} of the directory {@code path}, written for a stage of class {@code
   * type}.
   *
   * @throws UncheckedIOException naming the directory, if the metadata is missing, empty, not JSON,
   *     lacks a field, has a null or empty uid (json4s reads {@code "uid": null} as a null string,
   *     which failed later as a NullPointerException) or was written for another class
   */
  private static DefaultParamsReader.Metadata metadata(
      MLReader<?> reader, String path, Class<?> type) {
    DefaultParamsReader.Metadata meta;
    try {
      meta =
          DefaultParamsReader.loadMetadata(
              globEscaped(path), reader.sparkSession(), type.getName());
    } catch (Exception e) { // Spark and json4s throw checked exceptions unannounced
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof org.apache.hadoop.fs.ChecksumException) {
          // Spark said only "Encountered error while reading file ...", the cause deep in its trace
          throw bad(
              path,
              "metadata/ does not match its checksum (the .crc file Hadoop wrote beside it): it"
                  + " was changed after it was saved, by hand perhaps; delete the .crc files in"
                  + " metadata/ to keep the change, or save the stage again",
              e);
        }
      }
      throw bad(
          path,
          "metadata/ is not that of a "
              + type.getSimpleName()
              + " (one JSON object with class, uid, timestamp, sparkVersion and paramMap): "
              + e.getMessage(),
          e);
    }
    if (meta.uid() == null || meta.uid().isEmpty()) {
      throw bad(
          path,
          "the metadata's uid is "
              + (meta.uid() == null ? "null" : "empty")
              + "; a stage needs one",
          null);
    }
    return meta;
  }

  /** The characters that make a path a glob pattern for Hadoop (and Spark's readers). */
  private static final String GLOB = "\\[]{}*?";

  /**
   * {@code path} with every glob character escaped: Spark reads {@code metadata/} as a dataset,
   * whose path it expands as a glob, so a stage saved to {@code m[1]}, {@code m{a,b}} or {@code
   * m\x} could not be loaded (no such path, or a bad pattern), and one saved to {@code run?} was
   * read with the metadata of {@code run1} beside it. The writers and the model file take paths as
   * they are.
   */
  static String globEscaped(String path) {
    StringBuilder b = new StringBuilder(path.length() + 8);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (GLOB.indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /**
   * Sets the parameters the metadata holds on {@code stage}, each checked first: a parameter the
   * stage does not have, a value that does not decode to the parameter's type, or one that does not
   * read back as written (an int param of 4294967297 or 3.7, which Spark would take as 1 or 3) is
   * refused rather than set.
   *
   * @throws UncheckedIOException naming the directory and the parameter
   */
  private static <T extends Params> T setParams(
      DefaultParamsReader.Metadata meta, String path, T stage) {
    checkParams(meta.params(), "paramMap", path, stage);
    checkParams(meta.defaultParams(), "defaultParamMap", path, stage);
    // the parameters the stage leaves undefined (unset means something of its own: the estimator's
    // dynamics, a seed) take only a value the metadata says was set, not a saved default: earlier
    // versions defaulted them (seed 0), and such a default, copied by copy(extractParamMap()) as
    // set, would turn a fixed or synchronous order into a random one
    java.util.List<String> undefined = new java.util.ArrayList<>();
    for (Param<?> q : stage.params()) {
      if (!stage.hasDefault(q)) {
        undefined.add(q.name());
      }
    }
    try {
      meta.getAndSetParams(
          stage, Option.apply(scala.jdk.javaapi.CollectionConverters.asScala(undefined).toList()));
      if (meta.params() instanceof JObject obj) {
        scala.collection.Iterator<Tuple2<String, JValue>> it = obj.obj().iterator();
        while (it.hasNext()) {
          Tuple2<String, JValue> entry = it.next();
          if (undefined.contains(entry._1())) {
            Param<Object> param = stage.getParam(entry._1());
            stage.set(param, param.jsonDecode(JsonMethods$.MODULE$.compact(entry._2())));
          }
        }
      }
    } catch (RuntimeException e) { // a validator's refusal
      throw bad(path, e.getMessage(), e);
    }
    return stage;
  }

  private static void checkParams(JValue params, String field, String path, Params stage) {
    if (params instanceof JNothing$ && "defaultParamMap".equals(field)) {
      return; // metadata of Spark before 2.4
    }
    if (!(params instanceof JObject obj)) {
      throw bad(path, "the metadata's " + field + " is missing or not a JSON object", null);
    }
    scala.collection.Iterator<Tuple2<String, JValue>> it = obj.obj().iterator();
    while (it.hasNext()) {
      Tuple2<String, JValue> entry = it.next();
      String name = entry._1();
      if (!stage.hasParam(name)) {
        throw bad(path, "unknown parameter " + name, null);
      }
      Param<Object> param = stage.getParam(name);
      String written = JsonMethods$.MODULE$.compact(entry._2());
      String back;
      try {
        back = param.jsonEncode(param.jsonDecode(written));
      } catch (Exception e) { // json4s throws its checked MappingException unannounced
        throw bad(path, "parameter " + name + " has a value of the wrong type: " + written, e);
      }
      if (!back.equals(written)) {
        throw bad(
            path,
            "parameter "
                + name
                + " is "
                + written
                + ", which is not a value it holds (read as "
                + back
                + ")",
            null);
      }
    }
  }

  private static UncheckedIOException bad(String path, String problem, Throwable cause) {
    String message = "reading " + path + ": " + problem;
    return new UncheckedIOException(message, new IOException(message, cause));
  }
}
