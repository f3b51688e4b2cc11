package io.engram.kernels;

/**
 * The Storkey update of one pattern on a dense symmetric matrix, behind {@link
 * Kernels#storkeyUpdate}: one pass over W, rows split over threads, each row rewritten in place by
 * {@link KernelProvider#storkeyRow} and, while it is still in the L1 cache, multiplied by the next
 * pattern with the same dot product as {@link Kernels#gemv} (so a sequence of patterns reads and
 * writes W once per pattern, not three times, and gives the same bits as one pattern at a time).
 * Stateless; thread-safe.
 */
final class Storkey {

  /** Rows of W per work item. */
  private static final int ROWS = 16;

  private Storkey() {}

  /** {@link Kernels#storkeyUpdate} on the given kernels (arguments as there). */
  static void update(
      KernelProvider kp,
      int n,
      float[] w,
      float[] x,
      float[] h,
      boolean zeroDiagonal,
      float[] xNext,
      float[] hNext) {
    if (n < 1) {
      throw new IllegalArgumentException("bad size n=" + n);
    }
    Bounds.checkRange("W", w, 0, (long) n * n);
    Bounds.checkRange("x", x, 0, n);
    Bounds.checkRange("h", h, 0, n);
    if ((xNext == null) != (hNext == null)) {
      throw new IllegalArgumentException("xNext and hNext are given together or not at all");
    }
    if (xNext != null) {
      Bounds.checkRange("xNext", xNext, 0, n);
      Bounds.checkRange("hNext", hNext, 0, n);
      if (hNext == w || hNext == x || hNext == h || hNext == xNext || xNext == w) {
        throw new IllegalArgumentException("hNext and xNext must not alias W, x, h or each other");
      }
    }
    if (w == x || w == h || x == h) {
      throw new IllegalArgumentException("W, x and h must be different arrays");
    }
    final float invN = 1f / n;
    // per neuron: u_i = x_i w_ii - h_i, r_i = x_i² / N (from W before the update)
    final float[] u = new float[n];
    final float[] r = new float[n];
    for (int i = 0; i < n; i++) {
      float wii = w[i * n + i];
      u[i] = x[i] * wii - h[i];
      r[i] = x[i] * x[i] * invN;
    }
    int items = (n + ROWS - 1) / ROWS;
    Parallel.forEach(
        items,
        Parallel.threads((long) n * n, items),
        (item, scratch) -> {
          int end = Math.min(n, (item + 1) * ROWS);
          for (int i = item * ROWS; i < end; i++) {
            int off = i * n;
            float xi = x[i];
            float wii = w[off + i];
            kp.storkeyRow(w, off, 0, i, xi, u[i], r[i], x, u, r, invN);
            kp.storkeyRow(w, off, i + 1, n, xi, u[i], r[i], x, u, r, invN);
            // the diagonal: h_ii = h_i - w_ii x_i (only k = i is left out)
            w[off + i] = zeroDiagonal ? 0f : wii + (xi * xi - 2f * xi * (h[i] - wii * xi)) * invN;
            if (xNext != null) {
              hNext[i] = kp.dot(w, off, xNext, 0, n);
            }
          }
        });
  }

  /** {@link Kernels#storkey} on the given kernels (arguments as there). */
  static void sequence(
      KernelProvider kp,
      int n,
      float[] w,
      float[] x,
      int p,
      boolean zeroDiagonal,
      Kernels.WorkListener listener) {
    if (n < 1 || p < 0) {
      throw new IllegalArgumentException("bad sizes n=" + n + " p=" + p);
    }
    Bounds.checkRange("W", w, 0, (long) n * n);
    Bounds.checkRange("X", x, 0, (long) p * n);
    if (w == x) {
      throw new IllegalArgumentException("W must not alias X");
    }
    if (p == 0) {
      return;
    }
    WorkReport report = listener == null ? null : new WorkReport(listener, (long) p * n * n);
    float[] xk = new float[n];
    float[] xNext = new float[n];
    float[] h = new float[n];
    float[] hNext = new float[n];
    System.arraycopy(x, 0, xk, 0, n);
    Kernels.gemv(kp, n, n, w, xk, h);
    for (int k = 0; k < p; k++) {
      boolean more = k + 1 < p;
      if (more) {
        System.arraycopy(x, (k + 1) * n, xNext, 0, n);
      }
      update(kp, n, w, xk, h, zeroDiagonal, more ? xNext : null, more ? hNext : null);
      float[] t = xk;
      xk = xNext;
      xNext = t;
      t = h;
      h = hNext;
      hNext = t;
      if (report != null) {
        report.add((long) n * n);
      }
    }
  }
}
