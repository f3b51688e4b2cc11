package io.engram.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.engram.internal.Json;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.TrainingRecord;
import io.engram.weights.DenseWeights;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both rules against the numpy reference cases of {@code rules/rules.json} (written by {@code
 * rules/make_rules.py}, plain float64 numpy from the textbook formulas): duplicate and dependent
 * patterns, successive calls ({@code --init}), zero diagonal on and off, a ridge; the
 * pseudo-inverse in every weights mode.
 */
class RuleReferenceTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cases() throws IOException {
    try (InputStream in = RuleReferenceTest.class.getResourceAsStream("/rules/rules.json")) {
      assertNotNull(in, "rules/rules.json on the test class path");
      return (Map<String, Object>)
          Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @SuppressWarnings("unchecked")
  private static float[][] rows(Object list) {
    List<List<Number>> l = (List<List<Number>>) list;
    float[][] r = new float[l.size()][];
    for (int k = 0; k < r.length; k++) {
      List<Number> row = l.get(k);
      r[k] = new float[row.size()];
      for (int i = 0; i < r[k].length; i++) {
        r[k][i] = row.get(i).floatValue();
      }
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  private static double[][] matrix(Object list) {
    List<List<Number>> l = (List<List<Number>>) list;
    double[][] r = new double[l.size()][];
    for (int k = 0; k < r.length; k++) {
      r[k] = l.get(k).stream().mapToDouble(Number::doubleValue).toArray();
    }
    return r;
  }

  private static void assertWeights(
      double[][] want, AmariHopfieldNetwork net, double tol, String m) {
    int n = want.length;
    float[] got = net.weightMatrix();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(want[i][j], got[i * n + j], tol, m + ": W[" + i + "][" + j + "]");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void pseudoInverseMatchesNumpyInEveryWeightsMode() throws IOException {
    List<Map<String, Object>> list = (List<Map<String, Object>>) cases().get("pseudo_inverse");
    assertFalse(list.isEmpty());
    for (Map<String, Object> c : list) {
      List<Object> calls = (List<Object>) c.get("calls");
      double[][] want = matrix(c.get("W"));
      int rank = ((Number) c.get("rank")).intValue();
      PseudoInverseRule rule =
          PseudoInverseRule.create(
              PseudoInverseOptions.DEFAULTS
                  .withZeroDiagonal((Boolean) c.get("zero_diagonal"))
                  .withRidge(((Number) c.get("ridge")).doubleValue()));
      for (WeightsMode mode : WeightsMode.values()) {
        String name = c.get("name") + " (" + mode.id() + ")";
        AmariHopfieldNetwork net = AmariHopfieldNetwork.create(want.length, Dynamics.DEFAULT, mode);
        TrainingRecord last = null;
        for (Object call : calls) {
          last = rule.train(net, PatternBlock.of(rows(call)), true, null);
        }
        assertWeights(want, net, 2e-5, name);
        assertEquals(rank, net.weights().rank() < 0 ? denseRank(net) : net.weights().rank(), name);
        assertEquals(Integer.toString(rank), last.options().get("effective_rank"), name);
      }
    }
  }

  private static int denseRank(AmariHopfieldNetwork net) {
    return ((DenseWeights) net.weights()).projectionRank();
  }

  @Test
  @SuppressWarnings("unchecked")
  void storkeyMatchesNumpy() throws IOException {
    List<Map<String, Object>> list = (List<Map<String, Object>>) cases().get("storkey");
    assertFalse(list.isEmpty());
    for (Map<String, Object> c : list) {
      String name = (String) c.get("name");
      List<Object> calls = (List<Object>) c.get("calls");
      double[][] want = matrix(c.get("W"));
      int n = want.length;
      AmariHopfieldNetwork net;
      if (c.get("initial_W") != null) {
        double[][] w0 = matrix(c.get("initial_W"));
        float[] flat = new float[n * n];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            flat[i * n + j] = (float) w0[i][j];
          }
        }
        net = AmariHopfieldNetwork.of(DenseWeights.of(n, flat), Dynamics.DEFAULT);
      } else {
        net = AmariHopfieldNetwork.create(n);
      }
      StorkeyRule rule = StorkeyRule.create((Boolean) c.get("zero_diagonal"));
      for (Object call : calls) {
        rule.train(net, PatternBlock.of(rows(call)), true, null);
      }
      assertWeights(want, net, 2e-6, name);
      assertEquals(calls.size(), net.history().size(), name);
    }
  }
}
