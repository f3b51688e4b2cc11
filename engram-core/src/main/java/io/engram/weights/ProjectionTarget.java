package io.engram.weights;

import io.engram.kernels.Kernels;

/**
 * The weights one call of the pseudo-inverse rule adds its patterns to, in the form the network's
 * {@link WeightsMode} asks for: {@link ProjectionWeights} (factored) or {@link DenseWeights} that
 * keep the projection state. This is where the rule's two forms are told apart, so that the rule
 * itself ({@code io.engram.learning.PseudoInverseRule}) works on any weights through one interface:
 * {@link #residual} of the new patterns, then {@link #add} of the orthogonalised rows.
 *
 * <p>Not thread-safe; one target serves one call.
 */
public final class ProjectionTarget {

  private final ProjectionWeights factored; // the factored form, or null
  private final DenseWeights dense; // the dense form, or null
  private final int rank;
  private final double ridge;

  private ProjectionTarget(ProjectionWeights factored, DenseWeights dense, int rank, double ridge) {
    this.factored = factored;
    this.dense = dense;
    this.rank = rank;
    this.ridge = ridge;
  }

  /**
   * Whether these weights are a pseudo-inverse projection (in either form), which other rules'
   * outer-product updates must not change.
   */
  public static boolean holdsProjection(Weights w) {
    java.util.Objects.requireNonNull(w, "w");
    return w instanceof ProjectionWeights || w instanceof DenseWeights d && d.isProjection();
  }

  /**
   * The ridge that pseudo-inverse weights keep for all their patterns (0 for the plain
   * pseudo-inverse), or NaN where {@code w} is no projection ({@link #holdsProjection}): what a
   * further pseudo-inverse call on them must use.
   */
  public static double ridgeOf(Weights w) {
    java.util.Objects.requireNonNull(w, "w");
    if (w instanceof ProjectionWeights pw) {
      return pw.ridge();
    }
    return w instanceof DenseWeights d && d.isProjection() ? d.projectionRidge() : Double.NaN;
  }

  /**
   * The target for a call of {@code rows} new patterns on weights {@code w} (already of the call's
   * N). Factored when the mode is {@link WeightsMode#LOW_RANK}, or {@link WeightsMode#AUTO} with
   * weights that are not dense yet and a factored form that stays cheaper ({@link
   * WeightsMode#lowRankIsCheaper}) with {@code rows} more directions; else dense ({@code w} itself
   * when it is dense, otherwise its dense form, a new matrix). Nothing changes.
   *
   * @throws IllegalArgumentException if the weights are neither all zero nor a projection, or keep
   *     another ridge
   */
  public static ProjectionTarget of(Weights w, WeightsMode mode, int rows, double ridge) {
    Projection.checkRidge(ridge);
    int rank;
    double kept;
    if (w instanceof ProjectionWeights pw) {
      rank = pw.rank();
      kept = pw.ridge();
    } else if (w instanceof DenseWeights d && d.isProjection()) {
      rank = d.projectionRank();
      kept = d.projectionRidge();
    } else if (w.maxAbsBound() == 0) {
      rank = 0;
      kept = ridge;
    } else {
      throw new IllegalArgumentException(
          "pseudo-inverse continues only pseudo-inverse weights (or empty ones); this model's "
              + w.representation().id()
              + " weights come from another rule (or were cut down by a resize): train a new"
              + " model");
    }
    if (kept != ridge) {
      throw new IllegalArgumentException(
          "ridge "
              + ridge
              + " differs from the model's "
              + kept
              + "; a pseudo-inverse model keeps one ridge for all its patterns");
    }
    int n = w.size();
    boolean factoredForm =
        mode == WeightsMode.LOW_RANK
            || mode == WeightsMode.AUTO
                && !w.isDense()
                && WeightsMode.lowRankIsCheaper(n, (long) rank + rows, 1);
    if (factoredForm) {
      ProjectionWeights pw =
          w instanceof ProjectionWeights p ? p : ProjectionWeights.empty(n, ridge);
      return new ProjectionTarget(pw, null, rank, ridge);
    }
    return new ProjectionTarget(null, w.asDense(), rank, ridge);
  }

  /** The effective rank before the call. */
  public int rank() {
    return rank;
  }

  /** Whether the call goes to dense weights. */
  public boolean isDense() {
    return dense != null;
  }

  /**
   * {@code U = B - B W_full}, the part of the new patterns B that the weights do not reproduce yet
   * (see {@link ProjectionWeights#residual}). Nothing changes.
   *
   * @param b P x N row-major, not modified
   * @return U, P x N row-major (a new array)
   */
  public float[] residual(float[] b, int p) {
    return factored != null ? factored.residual(b, p) : denseResidual(dense, b, p);
  }

  /**
   * {@code U = B - B W_full} on dense weights: one matrix product with W ({@code 2·P·N²} flops) and
   * the full projection's diagonal in place of W's own; {@code U = B} for all-zero weights.
   */
  private static float[] denseResidual(DenseWeights d, float[] b, int p) {
    int n = d.size();
    Checks.patterns(b, p, n);
    float[] full = d.projectionDiagonalArray();
    float[] u = b.clone();
    if (full == null) {
      return u; // all zero (checked by of)
    }
    float[] w = d.array();
    float[] bw = new float[p * n];
    Kernels.gemm(p, n, n, b, 0, n, 1, w, 0, n, bw, 0, n, false);
    for (int k = 0; k < p; k++) {
      int o = k * n;
      for (int i = 0; i < n; i++) {
        u[o + i] = b[o + i] - (bw[o + i] + b[o + i] * (full[i] - w[i * n + i]));
      }
    }
    return u;
  }

  /**
   * An upper bound on every entry of the weights after {@link #add} of these rows: the current
   * bound plus {@code max_i Σ_k v_ki²}.
   */
  public double maxAbsAfter(float[] v, int k) {
    Weights w = factored != null ? factored : dense;
    return w.maxAbsBound() + Projection.rowBound(v, k, w.size());
  }

  /**
   * Adds k orthogonalised rows ({@code W_full += VᵀV}) and sets the diagonal: zero, or the full
   * projection's. Changes and returns the target's weights (the factored ones of the network, or
   * the dense ones, which may be a new matrix).
   *
   * @param v k x N row-major, not modified
   * @param listener progress of a dense update (null: none)
   * @throws IllegalArgumentException on a wrong length or a rank beyond N
   */
  public Weights add(float[] v, int k, boolean zeroDiagonal, TrainingListener listener) {
    if (factored != null) {
      factored.plusRows(v, k);
      factored.setDiagonalZeroed(zeroDiagonal);
      return factored;
    }
    return dense.plusProjectionRows(v, k, ridge, zeroDiagonal, listener);
  }
}
