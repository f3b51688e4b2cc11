package io.engram.io;

import io.engram.internal.Json;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link ModernHopfieldMemory} in a model file (for {@link ModelFile}): {@code meta.json} with
 * {@code "memory": "modern"}, N, P, the separation, β and the degree, and {@code X.npy}, the
 * float32 P x N stored patterns ({@code np.load(model)["X"]}). Nothing else may be in the archive.
 * Written with format version {@value #VERSION}, so that Engram releases from before modern memory
 * refuse the file by its version instead of failing on a missing member.
 */
final class ModernMemoryFile {

  /** The format version of modern memory files. */
  static final int VERSION = 2;

  static final String KIND = "modern";

  private static final String X = "X.npy";
  private static final Set<String> MEMBERS = Set.of("meta.json", X);

  private ModernMemoryFile() {}

  /**
   * The archive of a memory, not yet written.
   *
   * @throws IllegalArgumentException if X is more than one member can hold ({@link
   *     ModelFile#MAX_MEMBER_BYTES}), which {@link #read} would refuse: no file is made then
   */
  static NpzFile.Builder builder(ModernHopfieldMemory m) {
    int n = m.numNeurons();
    int p = m.size();
    ModelFile.checkMember("", p, n, "patterns");
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", ModelFile.FORMAT);
    meta.put("version", VERSION);
    meta.put("memory", KIND);
    meta.put("num_neurons", n);
    meta.put("num_patterns", p);
    meta.put("separation", m.separation().id());
    meta.put("beta", m.separation().usesBeta() ? (Object) m.beta() : null);
    meta.put("degree", m.separation().usesDegree() ? (Object) m.degree() : null);
    NpzFile.Builder b = NpzFile.builder();
    b.putBytes("meta.json", (Json.writePretty(meta) + "\n").getBytes(StandardCharsets.UTF_8));
    // streamed from the memory a block at a time: no copy of all of X
    b.putFloatRows("X", p, n, m::copyRows);
    return b;
  }

  /**
   * Reads and fully validates a modern memory whose {@code meta.json} is parsed.
   *
   * @throws EngramFormatException naming the file and the problem
   * @throws IllegalArgumentException for a field of the wrong type or range (the caller names the
   *     file)
   */
  static ModernHopfieldMemory read(NpzFile zip, Map<String, Object> meta, Path file)
      throws IOException {
    long version = Members.integer(meta, "version");
    if (version != VERSION) {
      throw new EngramFormatException(
          file
              + ": modern memory file of format version "
              + version
              + " is not supported (this Engram reads version "
              + VERSION
              + ")");
    }
    for (String name : zip.memberNames()) {
      if (!MEMBERS.contains(name)) {
        throw new EngramFormatException(
            file + ": unexpected member '" + name + "' in a modern memory file");
      }
    }
    if (!zip.contains(X)) {
      throw new EngramFormatException(file + ": modern memory file lacks '" + X + "'");
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
    int p = Members.count(meta, "num_patterns");
    ModelFile.checkStoredMember(file, "", p, n, "patterns");
    Separation sep = Separation.parse(Members.string(meta, "separation"));
    float beta = Float.NaN;
    int degree = 0;
    if (sep.usesBeta()) {
      beta = (float) Members.number(meta, "beta");
    } else if (meta.get("beta") != null) {
      throw new EngramFormatException(
          file
              + ": beta must be null for "
              + sep.id()
              + " separation, got "
              + Members.shown(meta.get("beta")));
    }
    if (sep.usesDegree()) {
      degree = Members.count(meta, "degree");
    } else if (meta.get("degree") != null) {
      throw new EngramFormatException(
          file
              + ": degree must be null for "
              + sep.id()
              + " separation, got "
              + Members.shown(meta.get("degree")));
    }
    // the settings checked before X is read
    ModernHopfieldMemory.of(n, sep, beta, degree);
    // straight into one array, a block at a time (shape, dtype, size and CRC checked), once the
    // member's size shows it holds X, instead of the member's bytes, then their floats; the memory
    // keeps that array (no copy of X)
    float[] rows = zip.floatRows(X, p, n);
    try {
      return ModernHopfieldMemory.wrap(n, sep, beta, degree, rows, p);
    } catch (IllegalArgumentException e) {
      throw new EngramFormatException(file + ": " + X + ": " + e.getMessage(), e);
    }
  }
}
