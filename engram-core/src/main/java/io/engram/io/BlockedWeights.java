package io.engram.io;

import io.engram.internal.Json;
import io.engram.network.TrainingRecord;
import io.engram.weights.DenseWeights;
import io.engram.weights.Weights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A symmetric weight matrix stored as a folder of square blocks, for matrices written piece by
 * piece (e.g. by a cluster, where no single machine holds all of W):
 *
 * <pre>
 *   DIR/manifest.json        {"format": "engram-blocked-weights", "version": 1,
 *                             "neurons": N, "block_size": B, "layout": "upper", "training": {...}}
 *   DIR/block-I-J.npy        float32 rows [I·B, min(N, (I+1)·B)) x columns [J·B, min(N, (J+1)·B)),
 *                            for every 0 &lt;= I &lt;= J &lt; ceil(N / B)
 * </pre>
 *
 * <p>Only the blocks on and above the diagonal are stored; the lower triangle is their mirror
 * ({@code W[j][i] = W[i][j]}); a diagonal block must itself be symmetric. Writers write every block
 * first and the manifest last, each file atomically, so a folder with a manifest is complete. The
 * optional {@code training} entry records the training call ({@code rule}, {@code options}, {@code
 * patterns}, {@code rho}) and is checked on read as a model's history entry is: {@code rule} a
 * string, {@code options} (optional) an object of strings, booleans or finite numbers, {@code
 * patterns} a count in {@code 0..2^31-1}, {@code rho} a finite number within float32 or null
 * (none).
 *
 * <p>Stateless and thread-safe; different blocks may be written concurrently.
 */
public final class BlockedWeights {

  /** The manifest's file name. */
  public static final String MANIFEST = "manifest.json";

  /** The manifest's {@code format} value. */
  public static final String FORMAT = "engram-blocked-weights";

  private BlockedWeights() {}

  /** {@code ceil(n / blockSize)}, the number of block rows (and columns). */
  public static int gridSize(int n, int blockSize) {
    checkGeometry(n, blockSize);
    return (int) (((long) n + blockSize - 1) / blockSize);
  }

  /**
   * The file name of block (I, J): {@code block-I-J.npy}.
   *
   * @throws IllegalArgumentException if I or J is negative (a name such as {@code block--1-0.npy}
   *     that no grid has)
   */
  public static String blockFileName(int bi, int bj) {
    if (bi < 0 || bj < 0) {
      throw new IllegalArgumentException("block (" + bi + ", " + bj + ") has a negative index");
    }
    return "block-" + bi + "-" + bj + ".npy";
  }

  /**
   * Atomically writes block (I, J), {@code I <= J}: row-major, rows {@code [I·B, min(N,(I+1)·B))}
   * by columns {@code [J·B, min(N,(J+1)·B))}.
   *
   * @throws IllegalArgumentException if {@code I > J}, a block index is outside the grid, or the
   *     block has the wrong number of values
   */
  public static void writeBlock(Path dir, int n, int blockSize, int bi, int bj, float[] block)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    int g = gridSize(n, blockSize);
    if (bi < 0 || bj < bi || bj >= g) {
      throw new IllegalArgumentException(
          "block (" + bi + ", " + bj + ") is not an upper block of a " + g + " x " + g + " grid");
    }
    int rows = extent(n, blockSize, bi);
    int cols = extent(n, blockSize, bj);
    if (block == null || block.length != rows * cols) {
      throw new IllegalArgumentException(
          "block ("
              + bi
              + ", "
              + bj
              + ") has "
              + (block == null ? "null" : block.length)
              + " values, expected "
              + rows
              + " x "
              + cols);
    }
    Npy.writeFloats(dir.resolve(blockFileName(bi, bj)), block, rows, cols);
  }

  /**
   * Atomically writes the manifest; call it after every block is written.
   *
   * @param training the training call that produced the weights, or null
   */
  public static void writeManifest(Path dir, int n, int blockSize, TrainingRecord training)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    checkGeometry(n, blockSize);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", 1);
    m.put("neurons", n);
    m.put("block_size", blockSize);
    m.put("layout", "upper");
    if (training != null) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("rule", training.rule());
      t.put("options", new LinkedHashMap<>(training.options()));
      t.put("patterns", training.patterns());
      t.put("rho", training.rho()); // NaN (no centring) is written as null
      m.put("training", t);
    }
    byte[] bytes = (Json.writePretty(m) + "\n").getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(dir.resolve(MANIFEST), out -> out.write(bytes));
  }

  /**
   * Writes whole weights as blocks plus the manifest (the core-side counterpart of a cluster's
   * writer, for tests and for exporting to tools that read blocks).
   */
  public static void write(Path dir, Weights weights, int blockSize, TrainingRecord training)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(weights, "weights");
    int n = weights.size();
    int g = gridSize(n, blockSize);
    float[] w = weights.toDenseArray();
    for (int bi = 0; bi < g; bi++) {
      for (int bj = bi; bj < g; bj++) {
        int r0 = bi * blockSize;
        int c0 = bj * blockSize;
        int rows = extent(n, blockSize, bi);
        int cols = extent(n, blockSize, bj);
        float[] b = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
          System.arraycopy(w, (r0 + r) * n + c0, b, r * cols, cols);
        }
        writeBlock(dir, n, blockSize, bi, bj, b);
      }
    }
    writeManifest(dir, n, blockSize, training);
  }

  /**
   * Reads a blocked folder into dense weights, mirroring the upper blocks.
   *
   * @throws EngramFormatException if the manifest is missing or malformed (its {@code training}
   *     entry included, naming the field at fault), a block is missing, has the wrong shape or
   *     dtype, holds a non-finite value, or N exceeds {@link DenseWeights#MAX_SIZE}
   * @throws IOException if reading fails
   */
  public static DenseWeights read(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Path mf = dir.resolve(MANIFEST);
    String text;
    try {
      text = Files.readString(mf, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new EngramFormatException(mf + ": no manifest (an incomplete or foreign folder)", e);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw ReadInterrupts.named(mf, e);
    }
    Map<?, ?> m;
    try {
      m = Json.parse(text) instanceof Map<?, ?> map ? map : null;
    } catch (IllegalArgumentException e) {
      throw new EngramFormatException(mf + ": not JSON: " + e.getMessage(), e);
    }
    if (m == null || !FORMAT.equals(m.get("format"))) {
      throw new EngramFormatException(mf + ": not an " + FORMAT + " manifest");
    }
    if (!Long.valueOf(1).equals(m.get("version"))) {
      throw new EngramFormatException(
          mf + ": unsupported version " + m.get("version") + ", expected 1");
    }
    if (!"upper".equals(m.get("layout"))) {
      throw new EngramFormatException(
          mf + ": unsupported layout " + m.get("layout") + ", expected upper");
    }
    int n = intField(m, "neurons", mf, DenseWeights.MAX_SIZE);
    int b = intField(m, "block_size", mf, Integer.MAX_VALUE);
    checkTraining(m.get("training"), mf);
    int g = gridSize(n, b);
    float[] w = new float[n * n];
    for (int bi = 0; bi < g; bi++) {
      for (int bj = bi; bj < g; bj++) {
        Path f = dir.resolve(blockFileName(bi, bj));
        int rows = extent(n, b, bi);
        int cols = extent(n, b, bj);
        NdArray a;
        try {
          a = Npy.read(f);
        } catch (NoSuchFileException e) {
          throw new EngramFormatException(f + ": block missing", e);
        }
        if (a.dtype() != DType.FLOAT32 || !Arrays.equals(a.shape(), new int[] {rows, cols})) {
          throw new EngramFormatException(
              f
                  + ": expected float32 of shape ("
                  + rows
                  + ", "
                  + cols
                  + "), got "
                  + a.dtype()
                  + " "
                  + Arrays.toString(a.shape()));
        }
        float[] v = a.toFloatArray();
        int r0 = bi * b;
        int c0 = bj * b;
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            float x = v[r * cols + c];
            if (!Float.isFinite(x)) {
              throw new EngramFormatException(f + ": value " + x + " at (" + r + ", " + c + ")");
            }
            if (bi == bj && Float.floatToIntBits(x) != Float.floatToIntBits(v[c * cols + r])) {
              throw new EngramFormatException(
                  f + ": diagonal block is not symmetric at (" + r + ", " + c + ")");
            }
            w[(r0 + r) * n + c0 + c] = x;
            w[(c0 + c) * n + r0 + r] = x;
          }
        }
      }
    }
    return DenseWeights.of(n, w);
  }

  /**
   * Checks the manifest's {@code training} entry (absent or null: none) as {@link ModelFile} checks
   * a history entry: it was written but never read, so a hand-edited or corrupted one (a rule of 5,
   * -1 patterns, a NaN rho) was accepted without a word.
   */
  private static void checkTraining(Object training, Path mf) throws EngramFormatException {
    if (training == null) {
      return;
    }
    if (!(training instanceof Map<?, ?>)) {
      throw new EngramFormatException(
          mf
              + ": training is "
              + Members.what(training)
              + ", expected an object (the training call: rule, options, patterns, rho)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> t = (Map<String, Object>) training;
    try {
      Members.string(t, "rule");
      Members.options(t);
      Members.count(t, "patterns");
      Members.rho(t);
    } catch (IllegalArgumentException e) {
      throw new EngramFormatException(mf + ": training: " + e.getMessage(), e);
    }
  }

  private static int intField(Map<?, ?> m, String key, Path mf, int max)
      throws EngramFormatException {
    if (m.get(key) instanceof Long v && v >= 1 && v <= max) {
      return (int) (long) v;
    }
    throw new EngramFormatException(
        mf
            + ": "
            + key
            + " is "
            + Members.shown(m.get(key))
            + ", expected an integer in 1.."
            + max);
  }

  private static int extent(int n, int blockSize, int block) {
    return Math.min(blockSize, n - block * blockSize);
  }

  private static void checkGeometry(int n, int blockSize) {
    if (n < 1 || blockSize < 1) {
      throw new IllegalArgumentException(
          "need N >= 1 and a block size >= 1, got N = " + n + ", block size " + blockSize);
    }
  }
}
