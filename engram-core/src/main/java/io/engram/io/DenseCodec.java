package io.engram.io;

import io.engram.weights.DenseWeights;
import io.engram.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dense weights in a model file: {@code W.npy}, float32 N x N ({@code np.load(model)["W"]}),
 * streamed in both directions so that a model needs one copy of W in memory (N up to 46340). Dense
 * pseudo-inverse weights also keep the rule's state: {@code projection_diagonal.npy} (float32 N,
 * the full projection's diagonal) and in {@code meta.json} an object {@code projection} with {@code
 * rank} and {@code ridge}.
 */
final class DenseCodec implements WeightsCodec {

  static final DenseCodec INSTANCE = new DenseCodec();

  private static final String MEMBER = "W.npy";
  private static final String DIAGONAL = "projection_diagonal.npy";

  private DenseCodec() {}

  /** Streams W from the weights into the archive: no copy of the matrix is made. */
  @Override
  public void write(NpzFile.Builder archive, Map<String, Object> meta, Weights w) {
    DenseWeights d = w.asDense();
    int n = d.size();
    archive.putFloatRows("W", n, n, d::copyRows);
    if (d.isProjection()) {
      archive.put("projection_diagonal", NdArray.ofFloats(d.projectionDiagonal(), n));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rank", d.projectionRank());
      m.put("ridge", d.projectionRidge());
      meta.put("projection", m);
    }
  }

  @Override
  public boolean owns(String member) {
    return MEMBER.equals(member) || DIAGONAL.equals(member);
  }

  @Override
  public Weights read(NpzFile npz, Map<String, Object> meta, int n, Path file) throws IOException {
    if (n > DenseWeights.MAX_SIZE) {
      throw new EngramFormatException(
          file
              + ": num_neurons "
              + n
              + " is too large for dense weights (at most "
              + DenseWeights.MAX_SIZE
              + ")");
    }
    if (!npz.contains(MEMBER)) {
      throw new EngramFormatException(file + ": model file lacks '" + MEMBER + "'");
    }
    if (inPlace(n)) {
      // W read where it lies in the file as recall needs it, not into an array of its own now:
      // no heap for it, no zeroed array of N x N floats (a recall of N = 16384 took half the time
      // this way on the project machine; see BENCHMARKS.md); its first change copies it into the
      // weights
      DenseWeights.Rows rows = npz.floatRowsInPlace(MEMBER, n, n);
      if (rows != null) {
        return withProjection(npz, meta, n, file, DenseWeights.overRows(n, rows));
      }
    }
    // straight into the weights' own array: one copy of W in memory, whatever N
    npz.checkFloatRows(MEMBER, n, n);
    float[] w = new float[n * n];
    npz.readFloatRows(MEMBER, n, n, w);
    return withProjection(npz, meta, n, file, DenseWeights.wrap(n, w));
  }

  /**
   * The system property that reads a dense model's W into an array when the model is read ({@code
   * true}), or where it lies in the file as it is needed ({@code false}); unset, W of at most
   * {@link #IN_HEAP_MAX_BYTES} is read into an array, larger ones in place.
   */
  static final String IN_HEAP_PROPERTY = io.engram.kernels.Settings.DENSE_IN_HEAP;

  /**
   * The largest W (bytes) read into an array by default: 64 MiB, N = 4096. Below it the array costs
   * less than reading W from the file at every step of a recall (N = 2048 and 4096: 1.05x and 1.06x
   * by the median, 16 and 30 rounds of a 64-cue recall from the command line), at N = 8192 both
   * took the same time, and at N = 16384 (1 GiB) the array took twice as long and needs that much
   * heap (BENCHMARKS.md, Run W17).
   */
  static final long IN_HEAP_MAX_BYTES = 64L << 20;

  static boolean inPlace(int n) {
    Boolean inHeap = io.engram.kernels.Settings.flag(IN_HEAP_PROPERTY);
    return inHeap == null ? 4L * n * n > IN_HEAP_MAX_BYTES : !inHeap;
  }

  /**
   * The weights with the pseudo-inverse state of the file ({@code projection} in meta.json and
   * {@code projection_diagonal.npy}) when it has one; the one without the other is an error.
   */
  private static DenseWeights withProjection(
      NpzFile npz, Map<String, Object> meta, int n, Path file, DenseWeights d) throws IOException {
    if (!meta.containsKey("projection")) {
      if (npz.contains(DIAGONAL)) {
        throw new EngramFormatException(
            file + ": '" + DIAGONAL + "' without a 'projection' entry in meta.json");
      }
      return d;
    }
    Map<String, Object> m = Members.object(meta, "projection");
    if (!npz.contains(DIAGONAL)) {
      throw new EngramFormatException(file + ": dense projection model lacks '" + DIAGONAL + "'");
    }
    NdArray diag = npz.array(DIAGONAL, 4L * n);
    Members.expectShape(diag, file, DIAGONAL, n);
    Members.expectDType(diag, file, DIAGONAL, DType.FLOAT32);
    return d.withProjection(
        Members.number(m, "ridge"), Members.count(m, "rank"), diag.toFloatArray());
  }

  @Override
  public Map<String, Object> describe(Weights w) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (w instanceof DenseWeights d && d.isProjection()) {
      m.put("rank", d.projectionRank());
      m.put("ridge", d.projectionRidge());
    }
    return m;
  }
}
