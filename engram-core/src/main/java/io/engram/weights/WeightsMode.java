package io.engram.weights;

import java.util.Locale;

/**
 * How a network stores its weights (the CLI's {@code --weights auto|dense|low-rank}).
 *
 * <ul>
 *   <li>{@link #DENSE}: the N x N matrix ({@link DenseWeights}); N ≤ {@value
 *       DenseWeights#MAX_SIZE}.
 *   <li>{@link #LOW_RANK}: the centred patterns of each training call ({@link LowRankWeights}),
 *       {@code W = Σ_b c_b T_bᵀ T_b + diag(g - h)}; any N.
 *   <li>{@link #AUTO}: low-rank while it is cheaper, dense otherwise; see {@link
 *       #lowRankIsCheaper}. A network that has switched to dense stays dense.
 * </ul>
 */
public enum WeightsMode {
  /** Low-rank while cheaper than dense (by {@link #lowRankIsCheaper}), dense otherwise. */
  AUTO,
  /** Always the dense N x N matrix. */
  DENSE,
  /** Always the low-rank form. */
  LOW_RANK;

  /** {@code auto}, {@code dense} or {@code low-rank}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses {@code auto}, {@code dense}, {@code low-rank} (also {@code low_rank}, {@code lowrank};
   * case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static WeightsMode parse(String s) {
    if (s != null) {
      String k = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      if (k.equals("lowrank")) {
        k = "low-rank";
      }
      for (WeightsMode m : values()) {
        if (m.id().equals(k)) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown weights mode '" + s + "', expected one of auto, dense, low-rank");
  }

  /**
   * The cost model behind {@link #AUTO}: applying low-rank weights with R stored rows in B train
   * calls to one state costs about {@code 4RN + 3BN} flops (T s, then Tᵀ(T s), then the diagonal
   * terms) and holds {@code RN} floats; dense costs {@code 2N²} flops and holds {@code N²} floats.
   * Low-rank is chosen when {@code 4R + 3B < 2N}, i.e. while R is below about N/2; it is the only
   * choice when N exceeds {@link DenseWeights#MAX_SIZE}.
   *
   * @throws IllegalArgumentException if N, R or B is negative
   */
  public static boolean lowRankIsCheaper(int n, long rank, long blocks) {
    if (n < 0 || rank < 0 || blocks < 0) {
      // a negative rank or count of calls made low-rank look cheaper than any dense matrix
      throw new IllegalArgumentException(
          "N, rank and blocks must be >= 0, got N = "
              + n
              + ", rank "
              + rank
              + ", blocks "
              + blocks);
    }
    if (n > DenseWeights.MAX_SIZE) {
      return true;
    }
    // R or B >= N is never cheaper (4R + 3B >= 4N); checked first so that 4R + 3B cannot overflow
    return rank < n && blocks < n && 4 * rank + 3 * blocks < 2L * n;
  }
}
