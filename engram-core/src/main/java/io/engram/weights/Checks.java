package io.engram.weights;

/** Argument checks (and the centring of patterns) shared by the weight representations. */
final class Checks {

  private Checks() {}

  /** {@code s} and {@code out}: distinct N x L arrays, L >= 1. */
  static void columns(int n, float[] s, int l, float[] out) {
    if (l < 1 || s == null || out == null || s.length != (long) n * l || out.length != s.length) {
      throw new IllegalArgumentException(
          "states must be N x L = "
              + n
              + " x "
              + l
              + " arrays, got lengths "
              + (s == null ? "null" : s.length)
              + " and "
              + (out == null ? "null" : out.length));
    }
    if (s == out) {
      throw new IllegalArgumentException("s and out must be different arrays");
    }
  }

  /** {@code t}: P x N patterns, P >= 1 (the argument of {@link Weights#addHebbian}). */
  static void patterns(float[] t, int p, int n) {
    if (p < 1 || t == null || t.length != (long) p * n) {
      throw new IllegalArgumentException(
          "patterns have length " + (t == null ? "null" : t.length) + ", expected " + p + "x" + n);
    }
  }

  /** A new array {@code x - shift}, value by value in float32. */
  static float[] centred(float[] x, float shift) {
    float[] t = new float[x.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = x[i] - shift;
    }
    return t;
  }
}
