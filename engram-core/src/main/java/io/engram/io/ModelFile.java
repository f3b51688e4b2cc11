package io.engram.io;

import io.engram.internal.Json;
import io.engram.learning.TrainingRecord;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.UpdateMode;
import io.engram.weights.DenseWeights;
import io.engram.weights.Weights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Engram model files: a numpy {@code .npz} archive (an uncompressed zip of {@code .npy} files)
 * that {@code np.load} opens, holding
 *
 * <ul>
 *   <li>{@code meta.json}: format name {@code engram-model}, format version, N, the weight
 *       representation, the dynamics, and the training history (rule, options, P, rho per call);
 *   <li>{@code W.npy}: the dense float32 N x N weights ({@code np.load(model)["W"]});
 *   <li>{@code state.npy}: the float32 state;
 *   <li>{@code order.npy}: the int32 asynchronous order, when the model has a fixed one.
 * </ul>
 *
 * <p>Writing is atomic (temporary file and rename): a failure leaves an existing file untouched.
 * Reading validates everything: the zip structure, the entry names (no others allowed), entry
 * sizes against the sizes N implies (before reading them), the JSON metadata (format, version,
 * types and ranges), every array's dtype and shape, and finiteness of the weights. No code is
 * executed and nothing is deserialised but numbers and strings. Errors are {@link
 * EngramFormatException}s naming the file and the problem.
 */
public final class ModelFile {

  /** The format name in {@code meta.json}. */
  public static final String FORMAT = "engram-model";

  /** The format version this class writes (and the newest it reads). */
  public static final int VERSION = 1;

  private static final long MAX_META_BYTES = 1 << 22;
  private static final Set<String> KNOWN = Set.of("meta.json", "W.npy", "state.npy", "order.npy");

  private ModelFile() {}

  /** Atomically writes the network to {@code file} (exactly that path). */
  public static void write(Path file, AmariHopfieldNetwork network) throws IOException {
    Map<String, Object> meta = meta(network);
    byte[] metaBytes = Json.writePretty(meta).getBytes(StandardCharsets.UTF_8);
    int n = network.numNeurons();
    Weights w = network.weights();
    NdArray weights = NdArray.ofFloats(w.toDenseArray(), n, n);
    NdArray state = NdArray.ofFloats(network.state(), n);
    NdArray order =
        network.dynamics().updateMode() instanceof UpdateMode.FixedOrder f
            ? NdArray.ofInts(f.order(), n)
            : null;
    AtomicFiles.write(
        file,
        out -> {
          ZipOutputStream zip = new ZipOutputStream(out);
          storeBytes(zip, "meta.json", metaBytes);
          storeArray(zip, "W.npy", weights);
          storeArray(zip, "state.npy", state);
          if (order != null) {
            storeArray(zip, "order.npy", order);
          }
          zip.finish();
          zip.flush();
        });
  }

  private static Map<String, Object> meta(AmariHopfieldNetwork net) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", VERSION);
    m.put("num_neurons", net.numNeurons());
    // low-rank weights are stored densely until the format gains low-rank entries
    m.put("weights", "dense");
    Dynamics d = net.dynamics();
    Map<String, Object> dyn = new LinkedHashMap<>();
    dyn.put("activation", d.activation().id());
    dyn.put("temperature", (double) d.temperature());
    dyn.put("threshold", (double) d.threshold());
    UpdateMode mode = d.updateMode();
    if (mode instanceof UpdateMode.RandomOrder r) {
      dyn.put("update", "async");
      dyn.put("seed", r.seed());
    } else if (mode instanceof UpdateMode.FixedOrder) {
      dyn.put("update", "async");
      dyn.put("order", "order.npy");
    } else {
      dyn.put("update", "sync");
    }
    m.put("dynamics", dyn);
    List<Object> hist = new ArrayList<>();
    for (TrainingRecord r : net.history()) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("rule", r.rule());
      h.put("options", new LinkedHashMap<>(r.options()));
      h.put("patterns", r.patterns());
      h.put("neurons", r.neurons());
      h.put("rho", Float.isNaN(r.rho()) ? null : (Object) (double) r.rho());
      hist.add(h);
    }
    m.put("history", hist);
    return m;
  }

  private static void storeBytes(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(bytes.length);
    e.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }

  private static void storeArray(ZipOutputStream zip, String name, NdArray a) throws IOException {
    // STORED entries need size and CRC up front: compute them in a first pass without buffering
    CrcCounter counter = new CrcCounter();
    Npy.write(a, counter);
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(counter.count);
    e.setCompressedSize(counter.count);
    e.setCrc(counter.crc.getValue());
    zip.putNextEntry(e);
    Npy.write(a, zip);
    zip.closeEntry();
  }

  private static final class CrcCounter extends OutputStream {
    final CRC32 crc = new CRC32();
    long count;

    @Override
    public void write(int b) {
      crc.update(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      crc.update(b, off, len);
      count += len;
    }
  }

  /**
   * Reads and fully validates a model file.
   *
   * @throws EngramFormatException if the file is not a valid Engram model
   * @throws NoSuchFileException if it does not exist
   */
  public static AmariHopfieldNetwork read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "model file not found");
    }
    if (!Files.isRegularFile(file)) {
      throw new EngramFormatException(file + ": not a regular file");
    }
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new EngramFormatException(file + ": not an Engram model (.npz) file: " + e.getMessage(), e);
    }
    try (zip) {
      Set<String> names = new HashSet<>();
      Enumeration<? extends ZipEntry> en = zip.entries();
      while (en.hasMoreElements()) {
        String name = en.nextElement().getName();
        if (!KNOWN.contains(name)) {
          throw new EngramFormatException(file + ": unexpected entry '" + name + "' in model file");
        }
        if (!names.add(name)) {
          throw new EngramFormatException(file + ": duplicate entry '" + name + "'");
        }
      }
      for (String required : List.of("meta.json", "W.npy", "state.npy")) {
        if (!names.contains(required)) {
          throw new EngramFormatException(file + ": model file lacks '" + required + "'");
        }
      }
      byte[] metaBytes = readEntry(zip, "meta.json", MAX_META_BYTES, file);
      Map<String, Object> meta;
      try {
        Object parsed = Json.parse(new String(metaBytes, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map)) {
          throw new IllegalArgumentException("meta.json is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) parsed;
        meta = m;
      } catch (IllegalArgumentException e) {
        throw new EngramFormatException(file + ": bad meta.json: " + e.getMessage(), e);
      }
      try {
        return build(zip, meta, file);
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new EngramFormatException(file + ": invalid model: " + e.getMessage(), e);
      }
    } catch (ZipException e) {
      throw new EngramFormatException(file + ": corrupt model file: " + e.getMessage(), e);
    }
  }

  private static AmariHopfieldNetwork build(ZipFile zip, Map<String, Object> meta, Path file)
      throws IOException {
    if (!FORMAT.equals(meta.get("format"))) {
      throw new EngramFormatException(file + ": not an Engram model (format is " + meta.get("format") + ")");
    }
    long version = integer(meta, "version");
    if (version < 1 || version > VERSION) {
      throw new EngramFormatException(
          file + ": model format version " + version + " is not supported (this Engram reads 1.." + VERSION + ")");
    }
    long nl = integer(meta, "num_neurons");
    if (nl < 1 || nl > DenseWeights.MAX_SIZE) {
      throw new EngramFormatException(file + ": num_neurons " + nl + " out of range 1.." + DenseWeights.MAX_SIZE);
    }
    int n = (int) nl;
    Object rep = meta.get("weights");
    if (!"dense".equals(rep)) {
      throw new EngramFormatException(file + ": unsupported weight representation '" + rep + "'");
    }
    Map<String, Object> dyn = object(meta, "dynamics");
    Activation act = Activation.parse(string(dyn, "activation"));
    float temperature = (float) number(dyn, "temperature");
    float threshold = (float) number(dyn, "threshold");
    String update = string(dyn, "update");
    UpdateMode mode;
    if ("sync".equals(update)) {
      mode = UpdateMode.synchronous();
    } else if ("async".equals(update)) {
      if (dyn.containsKey("seed")) {
        mode = UpdateMode.asynchronous(integer(dyn, "seed"));
      } else {
        if (zip.getEntry("order.npy") == null) {
          throw new EngramFormatException(file + ": async model without a seed or order.npy");
        }
        NdArray o = array(zip, "order.npy", 4L * n, file);
        expectShape(o, file, "order.npy", n);
        mode = UpdateMode.asynchronous(o.toIntArray());
      }
    } else {
      throw new EngramFormatException(file + ": unknown update mode '" + update + "'");
    }
    Dynamics dynamics = new Dynamics(act, temperature, threshold, mode);

    NdArray w = array(zip, "W.npy", 4L * n * n, file);
    expectShape(w, file, "W.npy", n, n);
    if (w.dtype() != DType.FLOAT32) {
      throw new EngramFormatException(file + ": W.npy has dtype " + w.dtype().code() + ", expected f4");
    }
    NdArray s = array(zip, "state.npy", 4L * n, file);
    expectShape(s, file, "state.npy", n);
    float[] state = s.toFloatArray();
    AmariHopfieldNetwork net = AmariHopfieldNetwork.of(DenseWeights.of(n, w.toFloatArray()), dynamics);
    net.setState(state);

    List<TrainingRecord> history = new ArrayList<>();
    Object h = meta.get("history");
    if (h != null) {
      if (!(h instanceof List)) {
        throw new EngramFormatException(file + ": history is not a list");
      }
      for (Object o : (List<?>) h) {
        if (!(o instanceof Map)) {
          throw new EngramFormatException(file + ": history entry is not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) o;
        Map<String, String> opts = new LinkedHashMap<>();
        Object ro = r.get("options");
        if (ro instanceof Map<?, ?> om) {
          for (Map.Entry<?, ?> e : om.entrySet()) {
            opts.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
          }
        }
        Object rho = r.get("rho");
        history.add(
            new TrainingRecord(
                string(r, "rule"),
                opts,
                (int) integer(r, "patterns"),
                (int) integer(r, "neurons"),
                rho == null ? Float.NaN : (float) ((Number) rho).doubleValue()));
      }
    }
    net.setHistory(history);
    return net;
  }

  private static void expectShape(NdArray a, Path file, String name, int... shape) throws EngramFormatException {
    if (!java.util.Arrays.equals(a.shape(), shape)) {
      throw new EngramFormatException(
          file + ": " + name + " has shape " + java.util.Arrays.toString(a.shape())
              + ", expected " + java.util.Arrays.toString(shape));
    }
  }

  private static NdArray array(ZipFile zip, String name, long dataBytes, Path file) throws IOException {
    byte[] b = readEntry(zip, name, dataBytes + Npy.MAX_HEADER_BYTES + 16, file);
    return Npy.parse(b, file + "!" + name);
  }

  private static byte[] readEntry(ZipFile zip, String name, long limit, Path file) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e.getSize() > limit) {
      throw new EngramFormatException(
          file + ": entry " + name + " declares " + e.getSize() + " bytes, more than the " + limit + " expected");
    }
    if (limit > Integer.MAX_VALUE - 8) {
      throw new EngramFormatException(file + ": entry " + name + " is too large");
    }
    try (InputStream in = zip.getInputStream(e)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(limit, e.getSize())));
      byte[] buf = new byte[1 << 16];
      long total = 0;
      int r;
      while ((r = in.read(buf)) > 0) {
        total += r;
        if (total > limit) {
          throw new EngramFormatException(
              file + ": entry " + name + " holds more than the " + limit + " bytes expected");
        }
        out.write(buf, 0, r);
      }
      return out.toByteArray();
    }
  }

  private static Object field(Map<String, Object> m, String key) {
    if (!m.containsKey(key) || m.get(key) == null) {
      throw new IllegalArgumentException("missing '" + key + "'");
    }
    return m.get(key);
  }

  private static long integer(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (!(v instanceof Long)) {
      throw new IllegalArgumentException("'" + key + "' is " + v + ", expected an integer");
    }
    return (Long) v;
  }

  private static double number(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException("'" + key + "' is " + v + ", expected a number");
    }
    return ((Number) v).doubleValue();
  }

  private static String string(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (!(v instanceof String)) {
      throw new IllegalArgumentException("'" + key + "' is " + v + ", expected a string");
    }
    return (String) v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("'" + key + "' is not an object");
    }
    return (Map<String, Object>) v;
  }
}
