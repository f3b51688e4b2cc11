package io.engram.kernels;

/**
 * The matrix transpose behind {@link Kernels#transpose}: 64 x 64 tiles (a tile of the source and of
 * the target both fit in L1), column strips of tiles spread over the kernel threads. Copies values
 * exactly. Stateless; thread-safe.
 */
final class Transpose {

  private static final int TILE = 64;

  private Transpose() {}

  /** {@link Kernels#transpose} (arguments as there). */
  static void transpose(float[] a, int rows, int cols, float[] out) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("negative size rows=" + rows + " cols=" + cols);
    }
    Bounds.checkRange("A", a, 0, (long) rows * cols);
    Bounds.checkRange("out", out, 0, (long) rows * cols);
    if (a == out && rows * cols > 1) {
      throw new IllegalArgumentException("out must not alias A");
    }
    int strips = (cols + TILE - 1) / TILE;
    Parallel.forEach(
        strips,
        Parallel.threads((long) rows * cols, strips),
        (strip, scratch) -> {
          int j0 = strip * TILE;
          int j1 = Math.min(cols, j0 + TILE);
          for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j = j0; j < j1; j++) {
              int o = j * rows;
              for (int i = i0; i < i1; i++) {
                out[o + i] = a[i * cols + j];
              }
            }
          }
        });
  }
}
