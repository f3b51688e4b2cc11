package io.engram.io;

import io.engram.weights.DenseWeights;
import io.engram.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dense weights in a model file: {@code W.npy}, float32 N x N ({@code np.load(model)["W"]}),
 * streamed in both directions so that a model needs one copy of W in memory (N up to 46340).
 */
final class DenseCodec implements WeightsCodec {

  static final DenseCodec INSTANCE = new DenseCodec();

  private static final String MEMBER = "W.npy";

  private DenseCodec() {}

  /** Streams W from the weights into the archive: no copy of the matrix is made. */
  @Override
  public void write(NpzFile.Builder archive, Map<String, Object> meta, Weights w) {
    DenseWeights d = w.asDense();
    int n = d.size();
    archive.putFloatRows("W", n, n, d::copyRows);
  }

  @Override
  public boolean owns(String member) {
    return MEMBER.equals(member);
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
    // straight into the weights' own array: one copy of W in memory, whatever N
    float[] w = new float[n * n];
    npz.readFloatRows(MEMBER, n, n, w);
    return DenseWeights.wrap(n, w);
  }

  @Override
  public Map<String, Object> describe(Weights w) {
    return new LinkedHashMap<>();
  }
}
