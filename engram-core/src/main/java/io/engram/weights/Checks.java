package io.engram.weights;

/** Argument checks shared by the weight representations. */
final class Checks {

  private Checks() {}

  /** {@code s} and {@code out}: distinct N x L arrays, L >= 1. */
  static void columns(int n, float[] s, int l, float[] out) {
    if (l < 1 || s == null || out == null || s.length != (long) n * l || out.length != s.length) {
      throw new IllegalArgumentException(
          "states must be N x L = " + n + " x " + l + " arrays, got lengths "
              + (s == null ? "null" : s.length) + " and " + (out == null ? "null" : out.length));
    }
    if (s == out) {
      throw new IllegalArgumentException("s and out must be different arrays");
    }
  }
}
