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
    if (inPlace()) {
      // W read where it lies in the file as recall needs it, not into an array of its own now:
      // no heap for it, no zeroed array of N x N floats (0.3 s of a dense recall of N = 4096 on
      // the project machine; see BENCHMARKS.md); its first change copies it into the weights
      DenseWeights.Rows rows = npz.floatRowsInPlace(MEMBER, n, n);
      if (rows != null) {
        return withProjection(npz, meta, n, file, DenseWeights.overRows(n, rows));
      }
    }
    // straight into the weights' own array: one copy of W in memory, whatever N
    float[] w = new float[n * n];
    npz.readFloatRows(MEMBER, n, n, w);
    return withProjection(npz, meta, n, file, DenseWeights.wrap(n, w));
  }

  /**
   * The system property that reads a dense model's W into an array when the model is read ({@code
   * true}), instead of where it lies in the file as it is needed.
   */
  static final String IN_HEAP_PROPERTY = "engram.denseInHeap";

  private static boolean inPlace() {
    return !"true".equalsIgnoreCase(String.valueOf(System.getProperty(IN_HEAP_PROPERTY)).trim());
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
