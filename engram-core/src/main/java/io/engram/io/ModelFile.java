package io.engram.io;

import io.engram.internal.Json;
import io.engram.learning.TrainingRecord;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.UpdateMode;
import io.engram.weights.DenseWeights;
import io.engram.weights.LowRankWeights;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Engram model files: a numpy {@code .npz} archive (an uncompressed zip of {@code .npy} files) that
 * {@code np.load} opens, holding
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
 * Reading validates everything: the zip structure, the entry names (no others allowed), entry sizes
 * against the sizes N implies (before reading them), the JSON metadata (format, version, types and
 * ranges), every array's dtype and shape, and finiteness of the weights. No code is executed and
 * nothing is deserialised but numbers and strings; {@link NpzFile} checks sizes, CRCs and the zip
 * directory. The format is documented in {@code docs/MODEL_FORMAT.md}. Errors are {@link
 * EngramFormatException}s naming the file and the problem.
 */
public final class ModelFile {

  /** The format name in {@code meta.json}. */
  public static final String FORMAT = "engram-model";

  /** The format version this class writes (and the newest it reads). */
  public static final int VERSION = 1;

  private static final long MAX_META_BYTES = 1 << 22;
  private static final String META = "meta.json";
  private static final Set<String> KNOWN =
      Set.of(META, "W.npy", "state.npy", "order.npy", "base_diagonal.npy");
  private static final java.util.regex.Pattern FACTOR =
      java.util.regex.Pattern.compile("T(0|[1-9][0-9]{0,3})\\.npy");

  /** The most factors (training calls) a low-rank model may hold. */
  private static final int MAX_FACTORS = NpzFile.MAX_MEMBERS - 8;

  private ModelFile() {}

  /** Atomically writes the network to {@code file} (exactly that path). */
  public static void write(Path file, AmariHopfieldNetwork network) throws IOException {
    builder(network).write(file);
  }

  /**
   * The archive for a network, not yet written; for callers that write it somewhere other than a
   * file ({@link NpzFile.Builder#writeTo}).
   */
  public static NpzFile.Builder builder(AmariHopfieldNetwork network) {
    byte[] metaBytes = (Json.writePretty(meta(network)) + "\n").getBytes(StandardCharsets.UTF_8);
    int n = network.numNeurons();
    NpzFile.Builder b = NpzFile.builder().putBytes(META, metaBytes);
    putWeights(b, network.weights());
    b.put("state", NdArray.ofFloats(network.state(), n));
    if (network.dynamics().updateMode() instanceof UpdateMode.FixedOrder f) {
      b.put("order", NdArray.ofInts(f.order(), n));
    }
    return b;
  }

  /** The members that hold the weights, by representation ({@code meta.json}'s "weights"). */
  private static void putWeights(NpzFile.Builder b, Weights w) {
    // "dense": W.npy, float32 N x N.
    // "low-rank": T0.npy, T1.npy, ... (float32 P_k x N, the centred patterns of call k) and
    // base_diagonal.npy (float32 N); the calls' divisors and signs are in meta.json "factors".
    // Readers refuse "weights" values they do not know.
    int n = w.size();
    if (w instanceof LowRankWeights lr) {
      List<LowRankWeights.Factor> fs = lr.factors();
      for (int k = 0; k < fs.size(); k++) {
        LowRankWeights.Factor f = fs.get(k);
        b.put("T" + k, NdArray.ofFloats(f.patterns(), f.rows(), n));
      }
      b.put("base_diagonal", NdArray.ofFloats(lr.baseDiagonal(), n));
      return;
    }
    b.put("W", NdArray.ofFloats(w.toDenseArray(), n, n));
  }

  private static Map<String, Object> meta(AmariHopfieldNetwork net) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", VERSION);
    m.put("num_neurons", net.numNeurons());
    if (net.weights() instanceof LowRankWeights lr) {
      m.put("weights", "low-rank");
      List<Object> fs = new ArrayList<>();
      for (LowRankWeights.Factor f : lr.factors()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("rows", f.rows());
        e.put("divisor", (double) f.divisor());
        e.put("negate", f.negate());
        e.put("zero_diagonal_after", f.zeroDiagonalAfter());
        fs.add(e);
      }
      m.put("factors", fs);
    } else {
      m.put("weights", "dense");
    }
    m.put("weights_mode", net.weightsMode().id());
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
    m.put("history", historyJson(net.history()));
    return m;
  }

  /**
   * The training history as {@code meta.json} stores it: per call, {@code rule}, {@code options},
   * {@code patterns}, {@code neurons} and {@code rho} (null when the call did not centre).
   */
  public static List<Object> historyJson(List<TrainingRecord> history) {
    List<Object> hist = new ArrayList<>();
    for (TrainingRecord r : history) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("rule", r.rule());
      h.put("options", new LinkedHashMap<>(r.options()));
      h.put("patterns", r.patterns());
      h.put("neurons", r.neurons());
      h.put("rho", Float.isNaN(r.rho()) ? null : (Object) (double) r.rho());
      hist.add(h);
    }
    return hist;
  }

  /**
   * Reads and fully validates a model file.
   *
   * @throws EngramFormatException if the file is not a valid Engram model
   * @throws NoSuchFileException if it does not exist
   */
  public static AmariHopfieldNetwork read(Path file) throws IOException {
    try (NpzFile npz = NpzFile.open(file)) {
      for (String name : npz.memberNames()) {
        if (!KNOWN.contains(name) && !FACTOR.matcher(name).matches()) {
          throw new EngramFormatException(
              file + ": unexpected member '" + name + "' in model file");
        }
      }
      for (String required : List.of(META, "state.npy")) {
        if (!npz.contains(required)) {
          throw new EngramFormatException(file + ": model file lacks '" + required + "'");
        }
      }
      byte[] metaBytes = npz.bytes(META, MAX_META_BYTES);
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
        return build(npz, meta, file);
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new EngramFormatException(file + ": invalid model: " + e.getMessage(), e);
      }
    }
  }

  private static AmariHopfieldNetwork build(NpzFile zip, Map<String, Object> meta, Path file)
      throws IOException {
    if (!FORMAT.equals(meta.get("format"))) {
      throw new EngramFormatException(
          file + ": not an Engram model (format is " + meta.get("format") + ")");
    }
    long version = integer(meta, "version");
    if (version < 1 || version > VERSION) {
      throw new EngramFormatException(
          file
              + ": model format version "
              + version
              + " is not supported (this Engram reads 1.."
              + VERSION
              + ")");
    }
    long nl = integer(meta, "num_neurons");
    long maxN = "dense".equals(meta.get("weights")) ? DenseWeights.MAX_SIZE : Npy.MAX_ELEMENTS;
    if (nl < 1 || nl > maxN) {
      throw new EngramFormatException(file + ": num_neurons " + nl + " out of range 1.." + maxN);
    }
    int n = (int) nl;
    Map<String, Object> dyn = object(meta, "dynamics");
    Activation act = Activation.parse(string(dyn, "activation"));
    float temperature = (float) number(dyn, "temperature");
    float threshold = (float) number(dyn, "threshold");
    String update = string(dyn, "update");
    UpdateMode mode;
    if (zip.contains("order.npy") && !("async".equals(update) && !dyn.containsKey("seed"))) {
      // an order that would be silently ignored: the file contradicts itself
      throw new EngramFormatException(
          file
              + ": order.npy is present, but the dynamics say update '"
              + update
              + "'"
              + (dyn.containsKey("seed") ? " with a seed" : "")
              + "; an order is used only by async updates without a seed");
    }
    if ("sync".equals(update)) {
      mode = UpdateMode.synchronous();
    } else if ("async".equals(update)) {
      if (dyn.containsKey("seed")) {
        mode = UpdateMode.asynchronous(integer(dyn, "seed"));
      } else {
        if (!zip.contains("order.npy")) {
          throw new EngramFormatException(file + ": async model without a seed or order.npy");
        }
        NdArray o = zip.array("order.npy", 4L * n);
        expectShape(o, file, "order.npy", n);
        mode = UpdateMode.asynchronous(o.toIntArray());
      }
    } else {
      throw new EngramFormatException(file + ": unknown update mode '" + update + "'");
    }
    Dynamics dynamics = new Dynamics(act, temperature, threshold, mode);

    Weights weights = readWeights(zip, meta, n, file);
    NdArray s = zip.array("state.npy", 4L * n);
    expectShape(s, file, "state.npy", n);
    expectDType(s, file, "state.npy", DType.FLOAT32);
    float[] state = s.toFloatArray();
    AmariHopfieldNetwork net = AmariHopfieldNetwork.of(weights, dynamics);
    net.setState(state);
    if (meta.containsKey("weights_mode")) {
      WeightsMode wm = WeightsMode.parse(string(meta, "weights_mode"));
      if (wm == WeightsMode.DENSE && !(weights instanceof DenseWeights)
          || wm == WeightsMode.LOW_RANK && !(weights instanceof LowRankWeights)) {
        throw new EngramFormatException(
            file + ": weights_mode " + wm.id() + " does not match the stored weights");
      }
      net.setWeightsMode(wm);
    }

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
                count(r, "patterns"),
                count(r, "neurons"),
                rho == null ? Float.NaN : (float) ((Number) rho).doubleValue()));
      }
    }
    net.setHistory(history);
    return net;
  }

  private static Weights readWeights(NpzFile npz, Map<String, Object> meta, int n, Path file)
      throws IOException {
    Object rep = meta.get("weights");
    if ("dense".equals(rep)) {
      if (!npz.contains("W.npy")) {
        throw new EngramFormatException(file + ": model file lacks 'W.npy'");
      }
      NdArray w = npz.array("W.npy", 4L * n * n);
      expectShape(w, file, "W.npy", n, n);
      expectDType(w, file, "W.npy", DType.FLOAT32);
      return DenseWeights.of(n, w.toFloatArray());
    }
    if ("low-rank".equals(rep)) {
      if (npz.contains("W.npy")) {
        throw new EngramFormatException(file + ": a low-rank model must not hold W.npy");
      }
      Object fo = meta.get("factors");
      if (!(fo instanceof List<?> list)) {
        throw new EngramFormatException(file + ": low-rank model without a 'factors' list");
      }
      if (list.size() > MAX_FACTORS) {
        throw new EngramFormatException(
            file + ": " + list.size() + " factors, more than " + MAX_FACTORS);
      }
      for (String name : npz.memberNames()) {
        java.util.regex.Matcher mt = FACTOR.matcher(name);
        if (mt.matches() && Integer.parseInt(mt.group(1)) >= list.size()) {
          throw new EngramFormatException(
              file + ": member '" + name + "' has no entry in 'factors'");
        }
      }
      List<LowRankWeights.Factor> factors = new ArrayList<>();
      for (int k = 0; k < list.size(); k++) {
        if (!(list.get(k) instanceof Map)) {
          throw new EngramFormatException(file + ": factor " + k + " is not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> f = (Map<String, Object>) list.get(k);
        int rows = count(f, "rows");
        String member = "T" + k + ".npy";
        if (!npz.contains(member)) {
          throw new EngramFormatException(file + ": low-rank model lacks '" + member + "'");
        }
        NdArray t = npz.array(member, 4L * rows * n);
        expectShape(t, file, member, rows, n);
        expectDType(t, file, member, DType.FLOAT32);
        factors.add(
            new LowRankWeights.Factor(
                t.toFloatArray(),
                rows,
                (float) number(f, "divisor"),
                bool(f, "negate"),
                bool(f, "zero_diagonal_after")));
      }
      if (!npz.contains("base_diagonal.npy")) {
        throw new EngramFormatException(file + ": low-rank model lacks 'base_diagonal.npy'");
      }
      NdArray base = npz.array("base_diagonal.npy", 4L * n);
      expectShape(base, file, "base_diagonal.npy", n);
      expectDType(base, file, "base_diagonal.npy", DType.FLOAT32);
      return LowRankWeights.of(n, factors, base.toFloatArray());
    }
    throw new EngramFormatException(
        file
            + ": unsupported weight representation '"
            + rep
            + "' (this Engram reads: dense, low-rank)");
  }

  private static void expectDType(NdArray a, Path file, String name, DType d)
      throws EngramFormatException {
    if (a.dtype() != d) {
      throw new EngramFormatException(
          file + ": " + name + " has dtype " + a.dtype().code() + ", expected " + d.code());
    }
  }

  private static void expectShape(NdArray a, Path file, String name, int... shape)
      throws EngramFormatException {
    if (!java.util.Arrays.equals(a.shape(), shape)) {
      throw new EngramFormatException(
          file
              + ": "
              + name
              + " has shape "
              + java.util.Arrays.toString(a.shape())
              + ", expected "
              + java.util.Arrays.toString(shape));
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

  private static int count(Map<String, Object> m, String key) {
    long v = integer(m, key);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'" + key + "' is " + v + ", expected a count");
    }
    return (int) v;
  }

  private static boolean bool(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (!(v instanceof Boolean)) {
      throw new IllegalArgumentException("'" + key + "' is " + v + ", expected true or false");
    }
    return (Boolean) v;
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
