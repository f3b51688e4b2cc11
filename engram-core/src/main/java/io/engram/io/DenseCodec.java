package io.engram.io;

import io.engram.weights.DenseWeights;
import io.engram.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dense weights in a model file: {@code W.npy}, float32 N x N ({@code np.load(model)["W"]}). */
final class DenseCodec implements WeightsCodec {

  static final DenseCodec INSTANCE = new DenseCodec();

  private static final String MEMBER = "W.npy";

  private DenseCodec() {}

  @Override
  public void write(NpzFile.Builder archive, Map<String, Object> meta, Weights w) {
    int n = w.size();
    archive.put("W", NdArray.ofFloats(w.toDenseArray(), n, n));
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
    NdArray w = npz.array(MEMBER, 4L * n * n);
    Members.expectShape(w, file, MEMBER, n, n);
    Members.expectDType(w, file, MEMBER, DType.FLOAT32);
    return DenseWeights.of(n, w.toFloatArray());
  }

  @Override
  public Map<String, Object> describe(Weights w) {
    return new LinkedHashMap<>();
  }
}
