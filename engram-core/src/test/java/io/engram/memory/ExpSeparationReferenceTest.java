package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.engram.internal.Json;
import io.engram.network.RecallResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One step of the exp separation ({@code F(x) = e^(βx)}) against the float64 reference of {@code
 * exp-separation/exp.json} (written by {@code exp-separation/make_exp.py}, numpy, its small cases
 * checked there against 100-digit decimals), for β from 1e-30 to 10: at tiny β the softmax weights
 * are equal in float32, and the float32 field's sign was noise wherever a neuron's stored values
 * are tied (38 to 125 of 256 neurons flipped where float64 keeps them); every neuron must now take
 * the reference's value, alone and in a batch, on every kernel path (fewer than 8 patterns, one
 * block, several blocks).
 */
class ExpSeparationReferenceTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> reference() throws IOException {
    try (InputStream in =
        ExpSeparationReferenceTest.class.getResourceAsStream("/exp-separation/exp.json")) {
      assertNotNull(in, "exp-separation/exp.json on the test class path");
      return (Map<String, Object>)
          Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static float[] values(String signs) {
    float[] v = new float[signs.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = signs.charAt(i) == '+' ? 1f : -1f;
    }
    return v;
  }

  private static float[][] rows(List<String> list) {
    return list.stream().map(ExpSeparationReferenceTest::values).toArray(float[][]::new);
  }

  /** The indices where {@code got} differs from {@code want}, for the message. */
  private static String differences(float[] want, float[] got) {
    StringBuilder b = new StringBuilder();
    int count = 0;
    for (int i = 0; i < want.length; i++) {
      if (want[i] != got[i]) {
        count++;
        if (count <= 10) {
          b.append(' ').append(i);
        }
      }
    }
    return count + " neurons differ:" + b;
  }

  @Test
  @SuppressWarnings("unchecked")
  void oneStepIsTheFloat64ReferenceFromBetaOneEMinus30To10() throws IOException {
    Map<String, Object> ref = reference();
    List<Number> betas = (List<Number>) ref.get("betas");
    List<Map<String, Object>> cases = (List<Map<String, Object>>) ref.get("cases");
    assertEquals(4, cases.size());
    int checked = 0;
    for (Map<String, Object> c : cases) {
      float[][] x = rows((List<String>) c.get("patterns"));
      float[][] queries = rows((List<String>) c.get("queries"));
      List<List<String>> steps = (List<List<String>>) c.get("steps");
      int n = x[0].length;
      for (int b = 0; b < betas.size(); b++) {
        float beta = betas.get(b).floatValue();
        ModernHopfieldMemory m = ModernHopfieldMemory.exponential(n, beta);
        m.store(x);
        float[][] want = rows(steps.get(b));
        List<RecallResult> batch = m.retrieveAll(queries, m.defaultRecallOptions());
        for (int q = 0; q < queries.length; q++) {
          String what = c.get("name") + ", β = " + beta + ", query " + q;
          float[] alone = m.retrieve(queries[q]).state();
          assertEquals("0 neurons differ:", differences(want[q], alone), what + " alone");
          assertEquals(
              "0 neurons differ:",
              differences(want[q], batch.get(q).state()),
              what + " in a batch");
          checked++;
        }
      }
    }
    assertEquals(7 * (12 + 10 + 12 + 12), checked);
  }

  @Test
  void aNeuronWhoseFieldIsExactlyZeroKeepsItsValueAtEveryBeta() {
    // Two patterns that differ in neuron 0 only. From either of them, both patterns give neuron 0
    // the same h = Σ_{j≠0} x_μj ξ_j (8), so its field Σ_μ x_μ0 e^(β h) is exactly zero at every β,
    // and a zero field keeps the value: each pattern is a fixed point. The float32 form m - tanh(β)
    // ξ_0 (m the softmax mean, (e^9β - e^7β) / (e^9β + e^7β) = tanh β in exact arithmetic) flipped
    // it at tiny β, where m is 0 in float32 and the field -tanh(β) ξ_0.
    int n = 9;
    float[] a = {1, 1, -1, 1, -1, -1, 1, 1, -1};
    float[] b = a.clone();
    b[0] = -1;
    for (float beta : new float[] {1e-30f, 1e-12f, 1e-6f, 1f}) {
      ModernHopfieldMemory m = ModernHopfieldMemory.exponential(n, beta);
      m.store(new float[][] {a, b});
      assertEquals("0 neurons differ:", differences(a, m.retrieve(a).state()), "a at β = " + beta);
      assertEquals("0 neurons differ:", differences(b, m.retrieve(b).state()), "b at β = " + beta);
    }
  }
}
