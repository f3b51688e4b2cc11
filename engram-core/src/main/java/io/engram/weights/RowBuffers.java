package io.engram.weights;

import java.nio.FloatBuffer;

/**
 * An N x N matrix's rows in read-only buffers ({@link DenseWeights#overRows}): part k holds rows
 * {@code k * rowsPerPart} onward, whole rows. Reads use absolute indices only, so the buffers'
 * positions never change and any number of threads may read at once.
 */
final class RowBuffers {

  private final int n;
  private final long partFloats;
  private final FloatBuffer[] parts;

  RowBuffers(int n, int rowsPerPart, FloatBuffer[] parts) {
    if (parts == null || rowsPerPart < 1) {
      throw new IllegalArgumentException("no row buffers (rows per part " + rowsPerPart + ")");
    }
    int expected = (int) (((long) n + rowsPerPart - 1) / rowsPerPart);
    if (parts.length != expected) {
      throw new IllegalArgumentException(
          parts.length + " row buffers for N = " + n + " in parts of " + rowsPerPart + " rows");
    }
    for (int k = 0; k < parts.length; k++) {
      long want = Math.min(rowsPerPart, n - (long) k * rowsPerPart) * n;
      if (parts[k] == null || parts[k].capacity() != want) {
        throw new IllegalArgumentException(
            "row buffer "
                + k
                + " holds "
                + (parts[k] == null ? "null" : parts[k].capacity())
                + " values, expected "
                + want);
      }
    }
    this.n = n;
    this.partFloats = (long) rowsPerPart * n;
    this.parts = parts.clone();
  }

  /** Value {@code index} of W (row-major). */
  float get(long index) {
    return parts[(int) (index / partFloats)].get((int) (index % partFloats));
  }

  /** Copies {@code len} values of W (row-major) from {@code from} into {@code dst[off..]}. */
  void copy(long from, float[] dst, int off, int len) {
    while (len > 0) {
      int k = (int) (from / partFloats);
      int at = (int) (from % partFloats);
      int take = Math.min(len, parts[k].capacity() - at);
      parts[k].get(at, dst, off, take);
      from += take;
      off += take;
      len -= take;
    }
  }

  /**
   * Copies {@code W[row0 .. row0+rows)[col0 .. col0+cols)} into {@code dst}, rows {@code cols}
   * apart.
   */
  void copyBlock(int row0, int rows, int col0, int cols, float[] dst) {
    for (int r = 0; r < rows; r++) {
      copy((long) (row0 + r) * n + col0, dst, r * cols, cols);
    }
  }

  /** {@code max |W_ij|}, or an exception naming the first value that is not finite. */
  float maxAbsFinite() {
    float[] block = new float[4096];
    long total = (long) n * n;
    float max = 0f;
    for (long at = 0; at < total; at += block.length) {
      int len = (int) Math.min(block.length, total - at);
      copy(at, block, 0, len);
      float m = maxAbs(block, len);
      if (!(m <= Float.MAX_VALUE)) {
        for (int i = 0; i < len; i++) {
          if (!Float.isFinite(block[i])) {
            long idx = at + i;
            throw new IllegalArgumentException(
                "weight W["
                    + (idx / n)
                    + "]["
                    + (idx % n)
                    + "] is "
                    + block[i]
                    + ", expected finite");
          }
        }
      }
      max = Math.max(max, m);
    }
    return max;
  }

  /** The largest {@code |v|} of {@code v[0..len)}: NaN or infinite if any value is. */
  private static float maxAbs(float[] v, int len) {
    // the bits of |v| compared as integers: infinities and NaNs above every finite value
    int max = 0;
    for (int i = 0; i < len; i++) {
      max = Math.max(max, Float.floatToRawIntBits(v[i]) & 0x7fffffff);
    }
    return Float.intBitsToFloat(max);
  }
}
