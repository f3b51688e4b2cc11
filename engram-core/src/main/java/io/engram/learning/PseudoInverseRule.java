package io.engram.learning;

import io.engram.kernels.Kernels;
import io.engram.network.TrainingRecord;
import io.engram.network.WeightUpdate;
import io.engram.weights.ProjectionTarget;
import io.engram.weights.ProjectionWeights;
import io.engram.weights.TrainingListener;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The pseudo-inverse (projection) rule (Personnaz, Guyon &amp; Dreyfus 1985, 1986; Kanter &amp;
 * Sompolinsky 1987): with the P patterns stored so far as the rows of X (P x N),
 *
 * <pre>
 *   W = Xᵀ (X Xᵀ)⁺ X               (or Xᵀ (X Xᵀ + λI)⁻¹ X with a ridge λ > 0)
 *   then diag(W) = 0               when zeroDiagonal (the default)
 * </pre>
 *
 * For {@code λ = 0}, W before zeroing is the orthogonal projection onto the span of the patterns,
 * so every stored pattern that is linearly independent of the others is an exact fixed point of
 * {@code sign(W s)} (with the zero diagonal too, for ±1 patterns at moderate load), however
 * correlated the patterns are, up to P = N independent ones. This is what makes it hold real
 * images, where the Hebbian rule fails.
 *
 * <p>Successive calls mean "all patterns stored so far": a call adds its patterns B as new rows of
 * X by the exact block update {@code W_full' = W_full + Uᵀ(λI + B Uᵀ)⁺U} with {@code U = B - B
 * W_full} (the part of B not yet reproduced), so {@code train(A); train(B)} equals {@code train(A ∪
 * B)} up to float32 rounding. The patterns are used as given (no mean is subtracted, no
 * normalisation): options that do not apply are not offered.
 *
 * <p>Linearly dependent or duplicate patterns do not fail: {@code (λI + B Uᵀ)⁺} is a Moore-Penrose
 * pseudo-inverse with the relative tolerance of {@link PseudoInverseOptions#tolerance()}, and the
 * call records the effective rank (independent directions stored so far) in its {@link
 * TrainingRecord} options ({@code effective_rank}, {@code rank_added}, {@code tolerance}, {@code
 * solver}). The P x P factorisation is float64 (EJML: Cholesky when every direction is clearly
 * independent, else the symmetric eigendecomposition); the products with the patterns are float32
 * on the SIMD kernels.
 *
 * <p>Weights: the natural form is {@link io.engram.weights.ProjectionWeights} ({@code W_full =
 * VᵀV}, r x N floats, recall in O(r·N)); under {@link WeightsMode#AUTO} it is used while cheaper
 * than the dense matrix, as for the Hebbian rule, then dense {@link io.engram.weights.DenseWeights}
 * that keep the projection's diagonal and rank aside so that later calls continue exactly. A call
 * continues only pseudo-inverse weights (or all-zero ones) with the same ridge; Hebbian and
 * anti-Hebbian calls do not continue pseudo-inverse weights (see {@link HebbianRule}).
 *
 * <p>Personnaz, L., Guyon, I. &amp; Dreyfus, G. (1985), J. Physique Lett. 46:L359; (1986), Phys.
 * Rev. A 34:4217; Kanter, I. &amp; Sompolinsky, H. (1987), Phys. Rev. A 35:380. Immutable and
 * thread-safe.
 */
public final class PseudoInverseRule implements LearningRule {

  private final PseudoInverseOptions options;

  private PseudoInverseRule(PseudoInverseOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** With the defaults: zero diagonal, no ridge, the default tolerance. */
  public static PseudoInverseRule create() {
    return new PseudoInverseRule(PseudoInverseOptions.DEFAULTS);
  }

  /** With the given options. */
  public static PseudoInverseRule create(PseudoInverseOptions options) {
    return new PseudoInverseRule(options);
  }

  /** The options. */
  public PseudoInverseOptions pseudoInverseOptions() {
    return options;
  }

  @Override
  public String name() {
    return "pseudo-inverse";
  }

  /** {@code zero_diagonal}, {@code ridge} and {@code tolerance} ({@code auto} for the default). */
  @Override
  public Map<String, String> options() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("zero_diagonal", Boolean.toString(options.zeroDiagonal()));
    m.put("ridge", Double.toString(options.ridge()));
    m.put(
        "tolerance",
        Double.isNaN(options.tolerance()) ? "auto" : Double.toString(options.tolerance()));
    return m;
  }

  @Override
  public WeightUpdate prepare(PatternBlock patterns) {
    Objects.requireNonNull(patterns, "patterns");
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("no patterns to train on");
    }
    return new Update(patterns, null);
  }

  /**
   * As {@link #prepare(PatternBlock)}, with the Gram matrix {@code B Bᵀ} of the patterns computed
   * elsewhere (for example summed from the partitions of a cluster, in float64): for weights that
   * store no pattern yet, where {@code U = B} and the call's P x P matrix is that Gram ({@code +
   * λI} with a ridge). The result then equals {@code prepare(patterns)}'s up to the rounding of the
   * Gram matrix; the products with the patterns still run here.
   *
   * @param gram P x P row-major, symmetric, float64; not modified
   * @throws IllegalArgumentException for no patterns or a Gram matrix of another size; when the
   *     update is applied, for weights that already store patterns (their effective rank is not 0)
   */
  public WeightUpdate prepare(PatternBlock patterns, double[] gram) {
    Objects.requireNonNull(patterns, "patterns");
    Objects.requireNonNull(gram, "gram");
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("no patterns to train on");
    }
    long p = patterns.count();
    if (gram.length != p * p) {
      throw new IllegalArgumentException(
          "the Gram matrix has " + gram.length + " values, expected P x P = " + p * p);
    }
    return new Update(patterns, gram);
  }

  @Override
  public String toString() {
    return name() + options();
  }

  /** One call: {@link #check} computes the new rows (the part that can fail), apply adds them. */
  private final class Update implements WeightUpdate {
    private final PatternBlock patterns;
    private final int n;
    private final int p;
    private final double rcond;
    private final double[] gram; // B Bᵀ given by the caller, or null
    private Plan plan;

    Update(PatternBlock patterns, double[] gram) {
      this.patterns = patterns;
      this.gram = gram;
      this.n = patterns.length();
      this.p = patterns.count();
      this.rcond = options.toleranceFor(p, n);
    }

    @Override
    public int neurons() {
      return n;
    }

    @Override
    public boolean denseOnly() {
      return false;
    }

    @Override
    public void check(Weights target, WeightsMode mode) {
      plan = plan(target, mode);
    }

    @Override
    public double maxAbsAfter(Weights target) {
      if (plan == null) {
        plan = plan(target, WeightsMode.AUTO);
      }
      return plan.bound;
    }

    @Override
    public Weights apply(Weights target, WeightsMode mode, TrainingListener listener) {
      if (plan == null) {
        plan = plan(target, mode);
      }
      return plan.target.add(plan.rows, plan.k, options.zeroDiagonal(), listener);
    }

    @Override
    public TrainingRecord record() {
      Map<String, String> m = options();
      m.put("tolerance", String.format(Locale.ROOT, "%.6g", rcond));
      if (plan != null) {
        m.put("effective_rank", Integer.toString(plan.target.rank() + plan.k));
        m.put("rank_added", Integer.toString(plan.k));
        m.put("solver", plan.method);
      }
      return new TrainingRecord(name(), m, p, n, Float.NaN, true);
    }

    /** The new rows for the target's form (which the network's mode decides). */
    private Plan plan(Weights target, WeightsMode mode) {
      Plan pl = new Plan();
      double ridge = options.ridge();
      pl.target = ProjectionTarget.of(target, mode, p, ridge);
      float[] b = patterns.data();
      float[] u;
      double[] c;
      if (gram != null) {
        if (pl.target.rank() != 0) {
          throw new IllegalArgumentException(
              "a precomputed Gram matrix needs weights that store no patterns yet, but these have"
                  + " effective rank "
                  + pl.target.rank());
        }
        u = b;
        c = gram.clone();
        for (int i = 0; i < p; i++) {
          c[i * p + i] += ridge;
        }
      } else {
        u = pl.target.residual(b, p);
        c = ridge == 0 ? gram(u, p, n) : crossGram(b, u, p, n, ridge);
      }
      double scale = 0;
      double largest = 0;
      for (int k = 0; k < p; k++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          double x = b[k * n + i];
          s += x * x;
          largest = Math.max(largest, Math.abs(x));
        }
        scale = Math.max(scale, s);
      }
      if (largest > 0 && largest * largest < Float.MIN_NORMAL) {
        // the float32 products underflow: ±1e-25 stored nothing (rank 0, W all zeros), silently
        throw new IllegalArgumentException(
            "pattern values of at most "
                + (float) largest
                + " in magnitude are too small for the pseudo-inverse's float32 products (their"
                + " squares fall below float32's normal range); scale the patterns up: the"
                + " projection does not depend on their scale");
      }
      if (largest > 0 && largest * largest / (scale + ridge) < Float.MIN_NORMAL) {
        // W = Xᵀ (X Xᵀ + λI)⁻¹ X has entries of about x_i x_j / (|x|² + λ): a ridge of 1e308
        // made every float32 weight 0, and the call stored nothing, silently (exit 0)
        throw new IllegalArgumentException(
            "the ridge "
                + ridge
                + " is too large for these patterns (values up to "
                + (float) largest
                + ", squared length up to "
                + (float) scale
                + "): the weights, about x_i x_j / (|x|² + ridge), would fall below float32's"
                + " normal range, and the call would store nothing; give a ridge of at most "
                + (float) (largest * largest / Float.MIN_NORMAL - scale)
                + " (a ridge near the patterns' squared length already smooths them much)");
      }
      if (gram == null && !allFinite(c)) {
        // (it was "the Gram matrix has a non-finite value Infinity", naming neither the patterns
        // nor what to do)
        throw new IllegalArgumentException(
            "pattern values up to "
                + (float) largest
                + " in magnitude are too large for the pseudo-inverse's float32 products (their"
                + " Gram matrix X Xᵀ overflows float32); scale the patterns down: the projection"
                + " does not depend on their scale");
      }
      GramSolver.Factor f = GramSolver.factor(c, p, rcond * rcond * scale);
      pl.k = f.rank();
      pl.method = f.method();
      int rank = pl.target.rank();
      if (rank + pl.k > n) {
        if (ridge > 0) {
          // (it blamed "numerical noise in the patterns?" for 80 random ±1 patterns of N = 64)
          throw new IllegalArgumentException(
              "with a ridge ("
                  + ridge
                  + ") every pattern is a direction of its own (the ridge lifts X Xᵀ + λI above the"
                  + " tolerance), and a model holds at most N = "
                  + n
                  + " of them: this call would make "
                  + (rank + pl.k)
                  + "; store at most N patterns with a ridge, or train without one (more than N"
                  + " patterns then give the projection onto their span)");
        }
        throw new IllegalArgumentException(
            "the effective rank would exceed N = " + n + " (numerical noise in the patterns?)");
      }
      float[] m = new float[f.rank() * p];
      for (int i = 0; i < m.length; i++) {
        m[i] = (float) f.m()[i];
      }
      pl.rows = new float[pl.k * n];
      if (f.method().equals("cholesky")) {
        // M = L⁻¹ is lower triangular: row block [i0, i1) needs only the first i1 rows of U
        for (int i0 = 0; i0 < pl.k; i0 += TRIANGLE_BLOCK) {
          int i1 = Math.min(pl.k, i0 + TRIANGLE_BLOCK);
          Kernels.gemm(i1 - i0, n, i1, m, i0 * p, p, 1, u, 0, n, pl.rows, i0 * n, n, false);
        }
      } else {
        Kernels.gemm(pl.k, n, p, m, 0, p, 1, u, 0, n, pl.rows, 0, n, false);
      }
      for (float v : pl.rows) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(
              "the pseudo-inverse overflowed float32 (patterns too large or too close to"
                  + " dependent); use a ridge");
        }
      }
      checkRowLengths(pl.rows, pl.k, n, ridge);
      pl.bound = pl.target.maxAbsAfter(pl.rows, pl.k);
      return pl;
    }
  }

  /**
   * Refuses rows that are not what the rule makes: each of squared length 1 (at most 1 with a
   * ridge), within {@link ProjectionWeights#ROW_LENGTH_TOLERANCE}, the bound the model file's
   * reader holds V to. Patterns close to dependent at a large scale (equal offsets of 32831,
   * differences of 128) have a float32 Gram matrix too inexact to orthonormalize them: their rows
   * came out of squared length 1.03, were stored, and the model written was refused by its own
   * reader.
   */
  private static void checkRowLengths(float[] rows, int k, int n, double ridge) {
    double tol = ProjectionWeights.ROW_LENGTH_TOLERANCE;
    for (int r = 0; r < k; r++) {
      double sq = 0;
      for (int i = r * n, end = i + n; i < end; i++) {
        sq += (double) rows[i] * rows[i];
      }
      if (sq > 1 + tol || (ridge == 0 && sq < 1 - tol)) {
        throw new IllegalArgumentException(
            "the patterns are too close to dependent for the pseudo-inverse in float32: direction "
                + r
                + " of this call came out with squared length "
                + (float) sq
                + ", not "
                + (ridge == 0 ? "1" : "at most 1")
                + " (the float32 Gram matrix X Xᵀ is too inexact for it); drop such directions"
                + " with a larger tolerance, or use a ridge");
      }
    }
  }

  /**
   * Rows of {@code L⁻¹ U} per matrix product: about 2/3 of the full product's flops at P = 1000
   * (the upper triangle of {@code L⁻¹} is zero), with U packed once per block.
   */
  private static final int TRIANGLE_BLOCK = 256;

  /** What a call adds, and to which weights. */
  private static final class Plan {
    ProjectionTarget target;
    float[] rows; // k x n
    int k;
    String method;
    double bound;
  }

  /** {@code U Uᵀ} (P x P, float64 from a float32 symmetric rank-k update). */
  static double[] gram(float[] u, int p, int n) {
    float[] ut = transpose(u, p, n);
    float[] g = new float[p * p];
    Kernels.syrkAdd(p, n, ut, 0f, g, 1f, false, true, null);
    double[] c = new double[p * p];
    for (int i = 0; i < c.length; i++) {
      c[i] = g[i];
    }
    return c;
  }

  /** {@code (B Uᵀ + U Bᵀ)/2 + λI} (P x P, float64 from a float32 product). */
  static double[] crossGram(float[] b, float[] u, int p, int n, double ridge) {
    float[] ut = transpose(u, p, n);
    float[] g = new float[p * p];
    Kernels.gemm(p, p, n, b, 0, n, 1, ut, 0, p, g, 0, p, false);
    double[] c = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        c[i * p + j] = 0.5 * ((double) g[i * p + j] + g[j * p + i]);
      }
      c[i * p + i] += ridge;
    }
    return c;
  }

  private static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    Kernels.transpose(a, rows, cols, t);
    return t;
  }

  private static boolean allFinite(double[] v) {
    for (double x : v) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }
}
