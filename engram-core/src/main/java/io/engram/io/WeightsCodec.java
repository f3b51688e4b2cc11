package io.engram.io;

import io.engram.weights.Representation;
import io.engram.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How one weight representation is stored in a model file, read back and described: one codec per
 * {@link Representation}, found through {@link #of}, whose switch is exhaustive, so adding a
 * representation makes the compiler ask for its codec. The model file, {@code engram inspect} and
 * Spark (which broadcasts model files) all go through these; nothing else knows how a
 * representation is laid out.
 */
sealed interface WeightsCodec permits DenseCodec, LowRankCodec, ProjectionCodec {

  /** The codec of a representation. */
  static WeightsCodec of(Representation r) {
    return switch (r) {
      case DENSE -> DenseCodec.INSTANCE;
      case LOW_RANK -> LowRankCodec.INSTANCE;
      case PROJECTION -> ProjectionCodec.INSTANCE;
    };
  }

  /**
   * Adds the weights' members to the archive and their fields to {@code meta.json}.
   *
   * @param w weights of this codec's representation
   */
  void write(NpzFile.Builder archive, Map<String, Object> meta, Weights w);

  /** Whether {@code member} (e.g. {@code W.npy}) is one this codec writes. */
  boolean owns(String member);

  /**
   * Reads and fully validates the weights of an N-neuron model.
   *
   * @throws EngramFormatException naming the file and the problem
   */
  Weights read(NpzFile archive, Map<String, Object> meta, int n, Path file) throws IOException;

  /**
   * Facts about the weights for people and {@code engram inspect --json}, beyond size and memory
   * (e.g. {@code rank}); in a stable order.
   */
  Map<String, Object> describe(Weights w);
}
