package io.engram.io;

import io.engram.weights.ProjectionWeights;
import io.engram.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pseudo-inverse weights in factored form in a model file: {@code V.npy} (float32 r x N, {@code
 * W_full = VᵀV}) and in {@code meta.json} an object {@code projection} with {@code rank} (r),
 * {@code ridge} (λ) and {@code diagonal_zeroed}. The full diagonal is recomputed from V.
 */
final class ProjectionCodec implements WeightsCodec {

  static final ProjectionCodec INSTANCE = new ProjectionCodec();

  private static final String MEMBER = "V.npy";

  private ProjectionCodec() {}

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if V is more than one member can hold ({@link
   *     ModelFile#MAX_MEMBER_BYTES}), which {@link #read} would refuse; checked before any copy
   */
  @Override
  public void write(NpzFile.Builder archive, Map<String, Object> meta, Weights w) {
    ProjectionWeights pw = (ProjectionWeights) w;
    int n = w.size();
    ModelFile.checkMember("pseudo-inverse factor V: ", pw.rank(), n, "rows");
    // streamed from the weights a block at a time: no copy of V
    archive.putFloatRows("V", pw.rank(), n, pw::copyFactorRows);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rank", pw.rank());
    m.put("ridge", pw.ridge());
    m.put("diagonal_zeroed", pw.diagonalZeroed());
    meta.put("projection", m);
  }

  @Override
  public boolean owns(String member) {
    return MEMBER.equals(member);
  }

  @Override
  public Weights read(NpzFile npz, Map<String, Object> meta, int n, Path file) throws IOException {
    Map<String, Object> m = Members.object(meta, "projection");
    int rank = Members.count(m, "rank");
    if (rank > n) {
      throw new EngramFormatException(file + ": projection rank " + rank + " exceeds N = " + n);
    }
    if (!npz.contains(MEMBER)) {
      throw new EngramFormatException(file + ": projection model lacks '" + MEMBER + "'");
    }
    ModelFile.checkStoredMember(file, MEMBER + ": ", rank, n, "rows");
    float[] v = npz.floatRows(MEMBER, rank, n);
    double ridge = Members.number(m, "ridge");
    checkRowLengths(v, rank, n, ridge, file);
    return ProjectionWeights.of(n, v, rank, ridge, Members.bool(m, "diagonal_zeroed"));
  }

  /**
   * The cause and the cure of rows that are not of unit length in files that Engram itself wrote:
   * builds from the pseudo-inverse rule's first (commit 5e6ab40) to ac246da stored such rows, of
   * squared length 0.18 to 1.55 (measured), for patterns too close to dependent for the float32
   * Gram matrix, and read them (until f82ade8); the message only named the row and its length.
   */
  private static final String OLD_ROWS =
      "; Engram builds before 2026-12-02 wrote such rows for patterns too close to dependent for"
          + " float32, which training now refuses: train the model again from its patterns with a"
          + " larger tolerance or a ridge";

  /**
   * Refuses a V whose rows are not what the pseudo-inverse rule makes: they are orthonormal, each
   * of squared length 1 (with a ridge, at most 1: {@code VᵀV} shrinks every direction). A V edited
   * to three times its length (any ridge), or to zeros (without a ridge; with one, shorter rows are
   * what the rule makes), was read, and training continued from it into weights that recalled none
   * of the patterns. One pass over V; orthogonality itself (r² N) is not checked.
   */
  private static void checkRowLengths(float[] v, int rank, int n, double ridge, Path file)
      throws EngramFormatException {
    String problem = ProjectionWeights.rowLengthProblem(v, rank, n, ridge, MEMBER);
    if (problem != null) {
      throw new EngramFormatException(file + ": invalid model: " + problem + OLD_ROWS);
    }
  }

  @Override
  public Map<String, Object> describe(Weights w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rank", w.rank());
    m.put("ridge", ((ProjectionWeights) w).ridge());
    return m;
  }
}
