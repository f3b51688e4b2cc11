package io.engram.learning;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The one place where Engram needs numerical linear algebra: a factor {@code M} (k x p) of the
 * pseudo-inverse of a symmetric positive semi-definite p x p matrix C, {@code MᵀM = C⁺}, keeping
 * only the directions whose eigenvalue exceeds a cutoff (k of them: the effective rank). Float64,
 * through EJML:
 *
 * <ul>
 *   <li>fast path: the Cholesky factor {@code C = L Lᵀ} and {@code M = L⁻¹}, when it exists and
 *       {@code trace(C⁻¹) = ‖L⁻¹‖²_F < 1/cutoff}, which guarantees that every eigenvalue of C
 *       exceeds the cutoff (k = p);
 *   <li>otherwise the symmetric eigendecomposition {@code C = Q Λ Qᵀ} and {@code M = Λₖ^{-1/2} Qₖᵀ}
 *       over the eigenvalues above the cutoff, largest first (the Moore-Penrose pseudo-inverse with
 *       that tolerance).
 * </ul>
 *
 * Stateless.
 */
final class GramSolver {

  private GramSolver() {}

  /**
   * The factor.
   *
   * @param m k x p row-major, float64
   * @param rank k
   * @param method {@code cholesky} or {@code eigen}
   */
  record Factor(double[] m, int rank, String method) {}

  /**
   * Factors C.
   *
   * @param c p x p row-major, symmetric (only its values are read; not modified)
   * @param cutoff eigenvalues at or below it count as zero (> 0, or 0 to keep every positive one)
   * @throws IllegalArgumentException if C has non-finite values or the eigendecomposition fails
   */
  static Factor factor(double[] c, int p, double cutoff) {
    for (double v : c) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("the Gram matrix has a non-finite value " + v);
      }
    }
    if (p == 0) {
      return new Factor(new double[0], 0, "cholesky");
    }
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(p, true);
    if (chol.decompose(DMatrixRMaj.wrap(p, p, c.clone()))) {
      double[] l = chol.getT(null).data;
      for (int i = 0; i < p; i++) {
        for (int j = i + 1; j < p; j++) {
          l[i * p + j] = 0;
        }
      }
      TriangularSolver_DDRM.invertLower(l, p);
      double trace = 0;
      for (double v : l) {
        trace += v * v;
      }
      if (Double.isFinite(trace) && trace * cutoff < 1) {
        return new Factor(l, p, "cholesky");
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, true, true);
    if (!eig.decompose(DMatrixRMaj.wrap(p, p, c.clone()))) {
      throw new IllegalArgumentException(
          "the eigendecomposition of the " + p + " x " + p + " Gram matrix did not converge");
    }
    Integer[] order = new Integer[p];
    double[] lambda = new double[p];
    for (int i = 0; i < p; i++) {
      order[i] = i;
      lambda[i] = eig.getEigenvalue(i).real;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(lambda[b], lambda[a]));
    int k = 0;
    while (k < p && lambda[order[k]] > cutoff && lambda[order[k]] > 0) {
      k++;
    }
    double[] m = new double[k * p];
    for (int r = 0; r < k; r++) {
      int i = order[r];
      DMatrixRMaj q = eig.getEigenVector(i);
      double norm = 0;
      for (int j = 0; j < p; j++) {
        norm += q.get(j, 0) * q.get(j, 0);
      }
      double s = 1 / Math.sqrt(lambda[i] * norm);
      for (int j = 0; j < p; j++) {
        m[r * p + j] = q.get(j, 0) * s;
      }
    }
    return new Factor(m, k, "eigen");
  }
}
