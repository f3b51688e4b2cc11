package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.RecallResult;
import io.engram.spark.LocalSpark.Column;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The softmax energy of a sharded modern memory is the core's at every β: at tiny β ({@code 8 β M
 * ‖ξ‖ < ln P}) its terms {@code -β⁻¹ ln Σ e^(β s)} and {@code β⁻¹ ln P} cancel, and the sharded
 * path, which merged only the shards' float32 {@code lse}, gave cancellation noise (0.0 for 54.0 at
 * β = 1e-30 below) where the core computes the scores' log-mean-exp in float64.
 */
class ShardedEnergyTest {

  private static final int N = 64;
  private static final int P = 6;

  /** The βs, from where the terms cancel entirely to where one pattern takes all the weight. */
  private static final float[] BETAS = {1e-30f, 1e-20f, 1e-12f, 1e-6f, 1e-3f, 1f, 1e3f, 1e30f};

  private static float[][] x;
  private static float[] cue;

  /**
   * The patterns, written so that numpy makes the same: {@code x[μ][i] = 1 if (7μ + 3i + (μ i mod
   * 5)) mod 4 < 2 else -1}, P = 6, N = 64; the cue is pattern 1 with its first 10 values flipped.
   */
  @BeforeAll
  static void data() {
    LocalSpark.session();
    x = new float[P][N];
    for (int mu = 0; mu < P; mu++) {
      for (int i = 0; i < N; i++) {
        x[mu][i] = (7 * mu + 3 * i + (mu * i) % 5) % 4 < 2 ? 1f : -1f;
      }
    }
    cue = x[1].clone();
    for (int i = 0; i < 10; i++) {
      cue[i] = -cue[i];
    }
  }

  /** The patterns sharded over three partitions (two each), so that the parts merge. */
  private static ShardedMemory sharded(float beta) {
    return ShardedFit.of(
        LocalSpark.context().parallelize(Arrays.asList(x), 3),
        new ModernRows.Settings(io.engram.memory.Separation.SOFTMAX, beta, 0),
        null);
  }

  private static ModernHopfieldMemory core(float beta) {
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(N, beta);
    m.store(x);
    return m;
  }

  @Test
  void theShardedEnergyIsTheCoresAtEveryBeta() {
    float[][] states = {cue, x[0], x[3], new float[N]};
    Arrays.fill(states[3], 0.25f);
    for (float beta : BETAS) {
      ModernHopfieldMemory core = core(beta);
      ShardedMemory shards = sharded(beta);
      try {
        assertEquals(3, shards.partitions());
        double[] got = new double[states.length];
        shards.retrievalStep(null).energies(states, states.length, got);
        for (int q = 0; q < states.length; q++) {
          double want = core.energy(states[q]);
          assertEquals(want, got[q], 1e-6 * Math.abs(want), "beta " + beta + ", state " + q);
        }
        // the energies recall reports (of the state one step reaches)
        List<RecallResult> want = core.retrieveAll(states);
        List<RecallResult> rs = shards.recallBatch(states, core.defaultRecallOptions());
        for (int q = 0; q < states.length; q++) {
          double e = want.get(q).energy();
          assertEquals(e, rs.get(q).energy(), 1e-6 * Math.abs(e), "beta " + beta + ", query " + q);
        }
      } finally {
        shards.unpersist();
      }
    }
  }

  /**
   * The cue's energy against numpy in float64 (β as float32, as the memory holds it):
   *
   * <pre>
   * import numpy as np
   * mu, i = np.arange(6)[:, None], np.arange(64)[None, :]
   * x = np.where((7*mu + 3*i + (mu*i) % 5) % 4 < 2, 1.0, -1.0)
   * xi = x[1].copy(); xi[:10] *= -1
   * s = x @ xi                                   # [0, 44, 0, 8, 0, 8]
   * M2 = (x*x).sum(1).max()                      # 64
   * def E(b):
   *     b = float(np.float32(b))
   *     return -(s.max() + np.log1p(np.mean(np.expm1(b*(s - s.max()))))/b) + xi@xi/2 + M2/2
   * E(1e-30)   # 54.0 (-mean(s) + 64); the form -lse/b + ln(6)/b + ... gives 32.0 in float64
   * E(1e-3)    # 53.8769900084331
   * </pre>
   */
  @Test
  void theShardedEnergyAtTinyBetaIsNumpysFloat64Value() {
    double[][] cases = {{1e-30f, 54.0}, {1e-3f, 53.8769900084331}};
    for (double[] c : cases) {
      ShardedMemory shards = sharded((float) c[0]);
      try {
        double[] got = new double[1];
        shards.retrievalStep(null).energies(new float[][] {cue}, 1, got);
        assertEquals(c[1], got[0], 1e-6 * c[1], "beta " + c[0]);
      } finally {
        shards.unpersist();
      }
    }
  }

  /** What a user sees: the energy column of a sharded model's transform, against the core's. */
  @Test
  void aShardedModelsEnergyColumnIsTheCores() {
    float[][] cues = {cue, x[2], x[4]};
    for (float beta : new float[] {1e-30f, 1e-12f}) {
      // fitted and kept sharded; or held on the driver and sharded at transform (broadcastLimit 0)
      HopfieldMemoryModel model =
          beta == 1e-30f
              ? new HopfieldMemory()
                  .setMemory("modern")
                  .setBeta(beta)
                  .setBroadcastLimit(0)
                  .fit(LocalSpark.frame(x, Column.FLOATS, 3))
              : HopfieldMemoryModel.of(core(beta)).setBroadcastLimit(0);
      assertEquals(beta == 1e-30f, model.isSharded());
      List<Row> rows = model.transform(LocalSpark.frame(cues, Column.FLOATS, 2)).collectAsList();
      List<RecallResult> want = core(beta).retrieveAll(cues);
      for (int q = 0; q < cues.length; q++) {
        double e = want.get(q).energy();
        assertEquals(
            e, rows.get(q).<Double>getAs("energy"), 1e-6 * Math.abs(e), "beta " + beta + " " + q);
      }
    }
  }
}
