package io.engram.kernels;

/** Range checks of the kernels' array arguments, with messages naming the array and the need. */
final class Bounds {

  private Bounds() {}

  static void checkRange(String name, float[] v, int off, long len) {
    if (v == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (off < 0 || len < 0 || off + len > v.length) {
      throw new IllegalArgumentException(
          name + " has length " + v.length + ", needs " + len + " values from offset " + off);
    }
  }

  static void checkStrided(
      String name, float[] v, int off, int rows, int rowStride, int cols, int colStride) {
    if (v == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (rows == 0 || cols == 0) {
      return;
    }
    long last = off + (long) (rows - 1) * rowStride + (long) (cols - 1) * colStride;
    if (off < 0 || rowStride < 0 || colStride < 0 || last >= v.length) {
      throw new IllegalArgumentException(
          name
              + " has length "
              + v.length
              + ", needs index "
              + last
              + " ("
              + rows
              + " x "
              + cols
              + ")");
    }
  }
}
