package io.engram.memory;

import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link ModernHopfieldMemory} separates its stored patterns during retrieval.
 *
 * <ul>
 *   <li>{@link #SOFTMAX}: continuous retrieval {@code ξ ← Xᵀ softmax(β X ξ)} (Ramsauer et al.
 *       2020), for any real patterns.
 *   <li>{@link #POLYNOMIAL}, {@link #RECTIFIED}, {@link #EXP}: the binary update of dense
 *       associative memory for ±1 patterns, {@code ξ_i ← sgn Σ_μ [F(ξ^μ_i + Σ_{j≠i} ξ^μ_j ξ_j) -
 *       F(-ξ^μ_i + Σ_{j≠i} ξ^μ_j ξ_j)]}, with the separation function {@code F(x) = xⁿ}, {@code
 *       max(x, 0)ⁿ} (Krotov and Hopfield 2016) or {@code e^(βx)} (Demircigil et al. 2017).
 * </ul>
 *
 * <p>Krotov, D. and Hopfield, J. J. (2016), "Dense associative memory for pattern recognition",
 * NeurIPS 29; Demircigil, M. et al. (2017), "On a model of associative memory with huge storage
 * capacity", J. Stat. Phys. 168:288; Ramsauer, H. et al. (2020), "Hopfield networks is all you
 * need", arXiv:2008.02217 (ICLR 2021).
 */
public enum Separation {
  /** {@code ξ ← Xᵀ softmax(β X ξ)}; uses β. */
  SOFTMAX("softmax"),
  /** {@code F(x) = xⁿ}; uses the degree n. */
  POLYNOMIAL("polynomial"),
  /** {@code F(x) = max(x, 0)ⁿ}; uses the degree n. */
  RECTIFIED("rectified"),
  /** {@code F(x) = e^(βx)}; uses β. */
  EXP("exp");

  private final String id;

  Separation(String id) {
    this.id = id;
  }

  /** The name in model files and on the command line: softmax, polynomial, rectified, exp. */
  public String id() {
    return id;
  }

  /** Whether this is a binary update for ±1 patterns (all but {@link #SOFTMAX}). */
  public boolean isBinary() {
    return this != SOFTMAX;
  }

  /**
   * Refuses, for a binary separation, values {@code v[off .. off+n-1]} that are not all ±1; a
   * softmax separation takes any values.
   *
   * @param what the vector's name in the message ("query 3", "row 290: column features")
   * @throws IllegalArgumentException naming {@code what}, the first other value, its index and this
   *     separation
   * @throws IndexOutOfBoundsException if {@code v[off .. off+n-1]} is not a range of {@code v}
   *     (every separation: a softmax one took any range, a binary one failed at its first index
   *     outside {@code v})
   */
  public void checkValues(float[] v, int off, int n, String what) {
    Objects.checkFromIndexSize(off, n, Objects.requireNonNull(v, "v").length);
    if (!isBinary()) {
      return;
    }
    for (int i = 0; i < n; i++) {
      float e = v[off + i];
      if (e != 1f && e != -1f) {
        throw new IllegalArgumentException(
            what
                + " has the value "
                + e
                + " at index "
                + i
                + "; "
                + id
                + " separation needs ±1 values");
      }
    }
  }

  /** Whether β applies ({@link #SOFTMAX}, {@link #EXP}). */
  public boolean usesBeta() {
    return this == SOFTMAX || this == EXP;
  }

  /** Whether the degree n applies ({@link #POLYNOMIAL}, {@link #RECTIFIED}). */
  public boolean usesDegree() {
    return this == POLYNOMIAL || this == RECTIFIED;
  }

  /**
   * The separation named {@code id} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the choices, for any other name
   */
  public static Separation parse(String id) {
    String s = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    for (Separation v : values()) {
      if (v.id.equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "separation must be softmax, polynomial, rectified or exp, got '" + id + "'");
  }
}
