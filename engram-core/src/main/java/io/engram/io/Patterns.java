package io.engram.io;

import io.engram.learning.PatternBlock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns numpy arrays into validated pattern blocks: a 2-D (P x N) array is P patterns, a 1-D array
 * is one pattern. Values of any supported dtype are converted to float32.
 */
public final class Patterns {

  private Patterns() {}

  /**
   * Patterns from one array: 2-D is P x N, 1-D is one pattern.
   *
   * @throws IllegalArgumentException for other ranks, non-finite values or zero-length patterns
   */
  public static PatternBlock fromArray(NdArray a) {
    checkFloat32Range(a, 0);
    if (a.rank() == 1) {
      return rows(a, 1, a.dim(0));
    }
    if (a.rank() == 2) {
      if (a.dim(0) == 0) {
        return PatternBlock.empty();
      }
      return rows(a, a.dim(0), a.dim(1));
    }
    throw new IllegalArgumentException(
        "patterns must be a 1-D or 2-D array, got shape " + Arrays.toString(a.shape()));
  }

  /**
   * Patterns from a list of arrays, one pattern each (CANNs' list of 1-D patterns).
   *
   * @throws IllegalArgumentException if an array is not 1-D ("pattern 2 is not 1-D: shape [3, 4]"),
   *     lengths differ, or values are not finite
   */
  public static PatternBlock fromArrays(List<NdArray> arrays) {
    List<float[]> rows = new ArrayList<>(arrays.size());
    for (int k = 0; k < arrays.size(); k++) {
      NdArray a = arrays.get(k);
      if (a.rank() != 1) {
        throw new IllegalArgumentException(
            "pattern " + k + " is not 1-D: shape " + Arrays.toString(a.shape()));
      }
      checkFloat32Range(a, k);
      rows.add(a.toFloatArray());
    }
    return PatternBlock.of(rows);
  }

  /**
   * The block of {@code p x n} values of {@code a}: float32 values straight from the array's bytes
   * (a float array of them first was one more copy of a large file: some 45 ms per 10 MB in a fresh
   * JVM), others converted.
   */
  private static PatternBlock rows(NdArray a, int p, int n) {
    if (a.dtype() == DType.FLOAT32) {
      return PatternBlock.ofRows(a.floats(), p, n);
    }
    return PatternBlock.ofRows(a.toFloatArray(), p, n);
  }

  /** float64 values beyond the float32 range would silently become infinities: name them. */
  private static void checkFloat32Range(NdArray a, int firstPattern) {
    if (a.dtype() != DType.FLOAT64) {
      return;
    }
    double[] d = a.toDoubleArray();
    int cols = a.rank() == 2 ? a.dim(1) : Math.max(1, a.size());
    for (int i = 0; i < d.length; i++) {
      if (Double.isFinite(d[i]) && Math.abs(d[i]) > Float.MAX_VALUE) {
        throw new IllegalArgumentException(
            "pattern "
                + (firstPattern + i / cols)
                + " has the value "
                + d[i]
                + " at index "
                + (i % cols)
                + ", outside the float32 range (patterns are float32)");
      }
    }
  }

  /** Reads patterns from a {@code .npy} file. */
  public static PatternBlock readNpy(Path file) throws IOException {
    NdArray a = Npy.read(file);
    try {
      return fromArray(a);
    } catch (IllegalArgumentException e) {
      throw new EngramFormatException(file + ": " + e.getMessage(), e);
    }
  }
}
