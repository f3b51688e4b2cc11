package io.engram.io;

import io.engram.internal.Json;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.Memory;
import io.engram.network.TrainingRecord;
import io.engram.network.UpdateMode;
import io.engram.weights.Representation;
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
import java.util.Objects;
import java.util.Set;

/**
 * Engram model files: a numpy {@code .npz} archive (an uncompressed zip of {@code .npy} files) that
 * {@code np.load} opens, holding
 *
 * <ul>
 *   <li>{@code meta.json}: format name {@code engram-model}, format version, N, the weight
 *       representation, the dynamics, and the training history (rule, options, P, rho per call);
 *   <li>the weights, as their representation's codec stores them (dense: {@code W.npy}, the float32
 *       N x N matrix, {@code np.load(model)["W"]}; see {@link WeightsCodec});
 *   <li>{@code state.npy}: the float32 state;
 *   <li>{@code order.npy}: the int32 asynchronous order, when the model has a fixed one.
 * </ul>
 *
 * <p>A model file holds one memory kind, named by {@code "memory"} in {@code meta.json}: {@code
 * classical} (the network above; also when the field is absent, as in files written before memory
 * kinds existed) or {@code modern} (a {@link ModernHopfieldMemory}: its stored patterns in {@code
 * X.npy}; see {@link ModernMemoryFile}). {@link #write(Path, Memory)} and {@link #readMemory}
 * handle every kind; {@link #read} returns the classical network and refuses other kinds by name.
 *
 * <p>Writing is atomic (temporary file and rename): a failure leaves an existing file untouched.
 * Reading validates everything: the zip structure, the entry names (no others allowed), entry sizes
 * against the sizes N implies (before reading them), the JSON metadata (format, version, types and
 * ranges), every array's dtype and shape, finiteness of the weights, and that the stored weights
 * cannot overflow float32 when combined. No code is executed and nothing is deserialised but
 * numbers and strings; {@link NpzFile} checks sizes, CRCs and the zip directory. The format is
 * documented in {@code docs/MODEL_FORMAT.md}. Errors are {@link EngramFormatException}s naming the
 * file and the problem.
 *
 * <p>Stateless: any number of threads may read and write model files at once; a reader of a file
 * that another thread (or program) replaces meanwhile reads the file it opened. Reading and writing
 * are file I/O, which an interrupt of the calling thread may stop as Java's file channels do: with
 * an IOException (when reading a {@link java.io.InterruptedIOException} naming the file and saying
 * it was interrupted, whose cause is Java's {@link java.nio.channels.ClosedByInterruptException};
 * when writing one naming the file that has that as its message), files left as they were and the
 * interrupt status kept. The weights of a dense model read in place (see {@code
 * docs/MODEL_FORMAT.md}) are read as recall needs them, and there, as for all of recall, an
 * interrupt does not stop the call.
 */
public final class ModelFile {

  /** The format name in {@code meta.json}. */
  public static final String FORMAT = "engram-model";

  /**
   * The format version of a classical network's file, which this class writes and reads (modern
   * memory files are version 2; see {@link #readMemory}).
   */
  public static final int VERSION = 1;

  /** The newest format version this Engram reads: modern memory files' (classical files are 1). */
  private static final int NEWEST_VERSION = ModernMemoryFile.VERSION;

  /**
   * The most bytes of values one array member of a model file may hold: the float32 values of one
   * Java array ({@link Npy#MAX_ELEMENTS}, 2³¹ − 9 floats, some 8 GiB), which is what a reader reads
   * the member into, a block at a time, and what the memory that writes it can hold. The members
   * that grow with P or N are bound by it ({@code X.npy} of a modern memory, a low-rank model's
   * {@code T<k>.npy}, the pseudo-inverse factor {@code V.npy}; a dense model's {@code W.npy} is N²
   * floats of at most 46340², within it). Readers refuse larger members, so the writers refuse them
   * too, before a file is made ({@link #memberOverflow}).
   */
  public static final long MAX_MEMBER_BYTES = 4L * Npy.MAX_ELEMENTS;

  private static final long MAX_META_BYTES = 1 << 22;
  private static final String META = "meta.json";
  private static final Set<String> COMMON = Set.of(META, "state.npy", "order.npy");

  private ModelFile() {}

  /** Atomically writes the network to {@code file} (exactly that path). */
  public static void write(Path file, AmariHopfieldNetwork network) throws IOException {
    Objects.requireNonNull(file, "file");
    builder(network).write(file);
  }

  /**
   * The archive for a network, not yet written; for callers that write it somewhere other than a
   * file ({@link NpzFile.Builder#writeTo}).
   */
  public static NpzFile.Builder builder(AmariHopfieldNetwork network) {
    Objects.requireNonNull(network, "network");
    int n = network.numNeurons();
    NpzFile.Builder b = NpzFile.builder();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("version", VERSION);
    meta.put("num_neurons", n);
    Weights w = network.weights();
    meta.put("weights", w.representation().id());
    Map<String, Object> codecFields = new LinkedHashMap<>();
    WeightsCodec.of(w.representation()).write(b, codecFields, w);
    meta.putAll(codecFields);
    meta.put("weights_mode", network.weightsMode().id());
    meta.put("dynamics", dynamicsJson(network.dynamics()));
    meta.put("history", historyJson(network.history()));
    b.putBytes(META, (Json.writePretty(meta) + "\n").getBytes(StandardCharsets.UTF_8));
    b.put("state", NdArray.ofFloats(network.state(), n));
    if (network.dynamics().updateMode() instanceof UpdateMode.FixedOrder f) {
      // an order of another length than N (set, then N changed by training): named as such
      network.dynamics().checkFits(n);
      b.put("order", NdArray.ofInts(f.order(), n));
    }
    return b;
  }

  /**
   * Why {@code rows} rows of {@code cols} float32 values cannot be one member of a model file
   * ({@link #MAX_MEMBER_BYTES}), or null when they can: e.g. {@code 32768 patterns of length 65536
   * (8589934592 bytes) are more than one model file member can hold (at most 8589934556 bytes:
   * 32767 of this length)}. One wording for the writers, which refuse such a member before any work
   * or file, and the readers, which refuse it in a file.
   *
   * @param noun what the rows are, plural ({@code patterns}, {@code rows})
   * @throws IllegalArgumentException if {@code rows} or {@code cols} is negative
   * @throws NullPointerException if {@code noun} is null
   */
  public static String memberOverflow(long rows, long cols, String noun) {
    Objects.requireNonNull(noun, "noun"); // was written into the message as "null"
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(
          "rows and cols must be >= 0, got " + rows + " rows of length " + cols);
    }
    if (rows == 0 || cols == 0) {
      return null;
    }
    // compared by division: 4 * rows * cols may be beyond a long
    long fit = cols > MAX_MEMBER_BYTES / 4 ? 0 : MAX_MEMBER_BYTES / (4L * cols);
    if (rows <= fit) {
      return null;
    }
    return rows
        + " "
        + noun
        + " of length "
        + cols
        + " ("
        + java.math.BigInteger.valueOf(rows)
            .multiply(java.math.BigInteger.valueOf(cols))
            .shiftLeft(2)
        + " bytes) are more than one model file member can hold (at most "
        + MAX_MEMBER_BYTES
        + " bytes: "
        + (fit == 0 ? "not one" : String.valueOf(fit))
        + " of this length)";
  }

  /**
   * Throws when {@code rows x cols} float32 values cannot be one member of a model file ({@link
   * #memberOverflow}), the message prefixed by {@code what} (e.g. {@code low-rank factor T0: }).
   *
   * @throws IllegalArgumentException naming the sizes and the limit
   */
  static void checkMember(String what, long rows, long cols, String noun) {
    String why = memberOverflow(rows, cols, noun);
    if (why != null) {
      throw new IllegalArgumentException(what + why);
    }
  }

  /**
   * {@link #checkMember} for a reader: a file whose member would be {@code rows x cols} float32
   * values more than one member can hold is refused as a format error, {@code file: what why}.
   *
   * @throws EngramFormatException naming the file, the sizes and the limit
   */
  static void checkStoredMember(Path file, String what, long rows, long cols, String noun)
      throws EngramFormatException {
    String why = memberOverflow(rows, cols, noun);
    if (why != null) {
      throw new EngramFormatException(file + ": " + what + why);
    }
  }

  private static Map<String, Object> dynamicsJson(Dynamics d) {
    Map<String, Object> dyn = new LinkedHashMap<>();
    dyn.put("activation", d.activation().id());
    // float32 values as Float: written as the shortest decimal of the float (0.8, not the
    // widened 0.800000011920929), which reads back to the same float
    dyn.put("temperature", d.temperature());
    dyn.put("threshold", d.threshold());
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
    return dyn;
  }

  /**
   * The training history as {@code meta.json} stores it: per call, {@code rule}, {@code options},
   * {@code patterns}, {@code neurons}, {@code rho} (null when the call did not centre) and, for
   * calls that do not store their patterns (unlearning), {@code "stores": false}.
   */
  public static List<Object> historyJson(List<TrainingRecord> history) {
    Objects.requireNonNull(history, "history");
    List<Object> hist = new ArrayList<>();
    for (TrainingRecord r : history) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("rule", r.rule());
      h.put("options", new LinkedHashMap<>(r.options()));
      h.put("patterns", r.patterns());
      h.put("neurons", r.neurons());
      h.put("rho", Float.isNaN(r.rho()) ? null : (Object) r.rho());
      if (!r.stores()) {
        h.put("stores", false);
      }
      hist.add(h);
    }
    return hist;
  }

  /**
   * Facts about a network's weights for people and tools beyond size and memory (e.g. the rank of
   * low-rank weights), from their representation's codec.
   */
  public static Map<String, Object> describeWeights(Weights weights) {
    Objects.requireNonNull(weights, "weights");
    return WeightsCodec.of(weights.representation()).describe(weights);
  }

  /**
   * Reads and fully validates a model file of the classical network.
   *
   * @throws EngramFormatException if the file is not a valid Engram model of the classical network
   *     (a file of another memory kind is refused by name: read it with {@link #readMemory})
   * @throws NoSuchFileException if it does not exist
   */
  public static AmariHopfieldNetwork read(Path file) throws IOException {
    try (NpzFile npz = NpzFile.open(file)) {
      Map<String, Object> meta = meta(npz, file);
      String kind = kind(meta, file);
      if (!CLASSICAL.equals(kind)) {
        throw new EngramFormatException(
            file
                + ": holds a "
                + kind
                + " memory, not a classical network (read it with ModelFile.readMemory)");
      }
      try {
        return build(npz, meta, file);
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new EngramFormatException(file + ": invalid model: " + e.getMessage(), e);
      }
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw ReadInterrupts.named(file, e);
    }
  }

  /** The memory kind of a classical network's files. */
  private static final String CLASSICAL = "classical";

  /**
   * Atomically writes any memory to {@code file} (exactly that path): the classical network as
   * {@link #write(Path, AmariHopfieldNetwork)}, a {@link ModernHopfieldMemory} as its patterns.
   *
   * @throws IllegalArgumentException for a memory kind without a file format
   */
  public static void write(Path file, Memory memory) throws IOException {
    Objects.requireNonNull(file, "file");
    builder(memory).write(file);
  }

  /**
   * The archive for any memory, not yet written.
   *
   * @throws IllegalArgumentException for a memory kind without a file format
   */
  public static NpzFile.Builder builder(Memory memory) {
    Objects.requireNonNull(memory, "memory");
    if (memory instanceof AmariHopfieldNetwork net) {
      return builder(net);
    }
    if (memory instanceof ModernHopfieldMemory m) {
      return ModernMemoryFile.builder(m);
    }
    throw new IllegalArgumentException("no file format for memory kind " + memory.kind());
  }

  /**
   * Reads and fully validates a model file of any memory kind: an {@link AmariHopfieldNetwork} or a
   * {@link ModernHopfieldMemory}.
   *
   * @throws EngramFormatException if the file is not a valid Engram model
   * @throws NoSuchFileException if it does not exist
   */
  public static Memory readMemory(Path file) throws IOException {
    try (NpzFile npz = NpzFile.open(file)) {
      Map<String, Object> meta = meta(npz, file);
      String kind = kind(meta, file);
      try {
        return CLASSICAL.equals(kind)
            ? build(npz, meta, file)
            : ModernMemoryFile.read(npz, meta, file);
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new EngramFormatException(file + ": invalid model: " + e.getMessage(), e);
      }
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw ReadInterrupts.named(file, e);
    }
  }

  /**
   * The memory kind a model file holds ({@code classical} or {@code modern}), from its {@code
   * meta.json} alone (the arrays are neither read nor validated).
   *
   * @throws EngramFormatException if the file is not an Engram model or names an unknown kind
   */
  public static String memoryKind(Path file) throws IOException {
    try (NpzFile npz = NpzFile.open(file)) {
      return kind(meta(npz, file), file);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw ReadInterrupts.named(file, e);
    }
  }

  private static Map<String, Object> meta(NpzFile npz, Path file) throws IOException {
    if (!npz.contains(META)) {
      throw new EngramFormatException(file + ": model file lacks '" + META + "'");
    }
    byte[] metaBytes = npz.bytes(META, MAX_META_BYTES);
    String text = utf8(metaBytes, file);
    try {
      Object parsed = Json.parse(text);
      if (!(parsed instanceof Map)) {
        throw new IllegalArgumentException("meta.json is not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) parsed;
      return m;
    } catch (IllegalArgumentException e) {
      throw new EngramFormatException(file + ": bad meta.json: " + e.getMessage(), e);
    }
  }

  /**
   * {@code bytes}, meta.json's, as UTF-8 text. Bytes that are not UTF-8 (a Latin-1 'é' written by
   * hand, a corrupt archive) are refused naming the offset of the first: they were read as U+FFFD
   * without a word, and a string of them shown (a rule's name, an option) or written on by {@code
   * train --init} as that character.
   */
  private static String utf8(byte[] bytes, Path file) throws EngramFormatException {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult r =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
            .decode(in, out, true);
    if (r.isError()) {
      throw new EngramFormatException(
          file + ": " + META + " is not valid UTF-8 (byte " + in.position() + ")");
    }
    return out.flip().toString();
  }

  /**
   * The format check and the memory kind: {@code classical} when absent. A version newer than any
   * this Engram reads is refused first, whatever the rest says: a later Engram may add a memory
   * kind or change what a field means (the version is checked against the kind when the file is
   * read).
   */
  private static String kind(Map<String, Object> meta, Path file) throws EngramFormatException {
    if (!FORMAT.equals(meta.get("format"))) {
      throw new EngramFormatException(
          file + ": not an Engram model (format is " + meta.get("format") + ")");
    }
    if (meta.get("version") instanceof Long v && v > NEWEST_VERSION) {
      // it named only the unknown memory kind of such a file, or a range "1..1" of versions
      throw new EngramFormatException(
          file
              + ": model format version "
              + v
              + " is newer than this Engram reads (version "
              + VERSION
              + " for classical networks, "
              + NEWEST_VERSION
              + " for modern memories): the file was written by a later Engram; read it with"
              + " that Engram or a later one");
    }
    Object kind = meta.getOrDefault("memory", CLASSICAL);
    if (CLASSICAL.equals(kind) || ModernMemoryFile.KIND.equals(kind)) {
      return (String) kind;
    }
    throw new EngramFormatException(
        file
            + ": unknown memory kind "
            + Json.writePretty(kind)
            + " (this Engram reads classical, modern)");
  }

  private static AmariHopfieldNetwork build(NpzFile zip, Map<String, Object> meta, Path file)
      throws IOException {
    if (!FORMAT.equals(meta.get("format"))) {
      throw new EngramFormatException(
          file + ": not an Engram model (format is " + meta.get("format") + ")");
    }
    long version = Members.integer(meta, "version");
    if (version != VERSION) {
      throw new EngramFormatException(
          file
              + ": model format version "
              + version
              + " is not the version of a classical network's file ("
              + VERSION
              + (version == ModernMemoryFile.VERSION
                  ? "; version 2 files hold a modern memory, \"memory\": \"modern\")"
                  : ")"));
    }
    Representation rep;
    try {
      rep = Representation.fromId(String.valueOf(meta.get("weights")));
    } catch (IllegalArgumentException e) {
      throw new EngramFormatException(file + ": " + e.getMessage(), e);
    }
    WeightsCodec codec = WeightsCodec.of(rep);
    for (String name : zip.memberNames()) {
      if (!COMMON.contains(name) && !codec.owns(name)) {
        for (Representation other : Representation.values()) {
          if (WeightsCodec.of(other).owns(name)) {
            throw new EngramFormatException(
                file + ": a " + rep.id() + " model must not hold " + name);
          }
        }
        throw new EngramFormatException(file + ": unexpected member '" + name + "' in model file");
      }
    }
    if (!zip.contains("state.npy")) {
      throw new EngramFormatException(file + ": model file lacks 'state.npy'");
    }
    // (1e30 was "expected an integer": a whole number beyond a long is out of range too)
    long nl = Members.integerOrNearest(meta, "num_neurons");
    if (nl < 1 || nl > Npy.MAX_ELEMENTS) {
      throw new EngramFormatException(
          file
              + ": num_neurons "
              + Members.shown(meta.get("num_neurons"))
              + " out of range 1.."
              + Npy.MAX_ELEMENTS);
    }
    int n = (int) nl;
    Dynamics dynamics = dynamics(zip, Members.object(meta, "dynamics"), n, file);
    Weights weights = codec.read(zip, meta, n, file);
    if (!(weights.maxAbsBound() <= AmariHopfieldNetwork.MAX_WEIGHT)) {
      throw new EngramFormatException(
          file
              + ": the stored weights can reach "
              + (float) weights.maxAbsBound()
              + " in magnitude when combined, beyond the float32 limit "
              + (float) AmariHopfieldNetwork.MAX_WEIGHT);
    }
    NdArray s = zip.array("state.npy", 4L * n);
    Members.expectShape(s, file, "state.npy", n);
    Members.expectDType(s, file, "state.npy", DType.FLOAT32);
    float[] state = s.toFloatArray();
    for (int i = 0; i < state.length; i++) {
      if (!Float.isFinite(state[i])) {
        // named here, with the file and the member
        throw new EngramFormatException(
            file + ": state.npy has a non-finite value " + state[i] + " at index " + i);
      }
    }
    WeightsMode mode =
        meta.containsKey("weights_mode")
            ? WeightsMode.parse(Members.string(meta, "weights_mode"))
            : weights.isDense() ? WeightsMode.DENSE : WeightsMode.AUTO;
    return AmariHopfieldNetwork.restore(weights, mode, dynamics, state, history(meta, file));
  }

  private static Dynamics dynamics(NpzFile zip, Map<String, Object> dyn, int n, Path file)
      throws IOException {
    Activation act = Activation.parse(Members.string(dyn, "activation"));
    float temperature = (float) Members.number(dyn, "temperature");
    float threshold = (float) Members.number(dyn, "threshold");
    String update = Members.string(dyn, "update");
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
        mode = UpdateMode.asynchronous(Members.integer(dyn, "seed"));
      } else {
        if (!zip.contains("order.npy")) {
          throw new EngramFormatException(file + ": async model without a seed or order.npy");
        }
        NdArray o = zip.array("order.npy", 4L * n);
        Members.expectShape(o, file, "order.npy", n);
        mode = UpdateMode.asynchronous(o.toIntArray());
      }
    } else {
      throw new EngramFormatException(file + ": unknown update mode '" + update + "'");
    }
    return new Dynamics(act, temperature, threshold, mode);
  }

  private static List<TrainingRecord> history(Map<String, Object> meta, Path file)
      throws EngramFormatException {
    List<TrainingRecord> history = new ArrayList<>();
    Object h = meta.get("history");
    if (h == null) {
      return history;
    }
    if (!(h instanceof List)) {
      throw new EngramFormatException(file + ": history is not a list");
    }
    int index = 0;
    for (Object o : (List<?>) h) {
      if (!(o instanceof Map)) {
        throw new EngramFormatException(file + ": history entry is not an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> r = (Map<String, Object>) o;
      Map<String, String> opts;
      float rho;
      try {
        opts = Members.options(r);
        rho = Members.rho(r);
      } catch (IllegalArgumentException e) {
        throw new EngramFormatException(
            file + ": history entry " + index + ": " + e.getMessage(), e);
      }
      String rule = Members.string(r, "rule");
      // files written before "stores" existed: only anti-Hebbian calls did not store
      boolean stores =
          r.containsKey("stores") ? Members.bool(r, "stores") : !rule.startsWith("anti");
      history.add(
          new TrainingRecord(
              rule, opts, Members.count(r, "patterns"), Members.count(r, "neurons"), rho, stores));
      index++;
    }
    return history;
  }
}
