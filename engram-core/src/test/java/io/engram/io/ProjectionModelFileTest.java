package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseOptions;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.DenseWeights;
import io.engram.weights.ProjectionWeights;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files of the new rules: pseudo-inverse weights in both forms round trip exactly, keep the
 * rule's state (so training continues from a file as from memory), and bad files are rejected.
 */
class ProjectionModelFileTest {

  @TempDir Path tmp;

  private static PatternBlock bipolar(SplittableRandom r, int p, int n) {
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    return PatternBlock.of(x);
  }

  @Test
  void pseudoInverseModelsRoundTripAndContinueAsInMemory() throws IOException {
    for (WeightsMode mode : new WeightsMode[] {WeightsMode.LOW_RANK, WeightsMode.DENSE}) {
      SplittableRandom r = new SplittableRandom(3);
      PseudoInverseRule rule =
          PseudoInverseRule.create(PseudoInverseOptions.DEFAULTS.withRidge(0.5));
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(30, Dynamics.DEFAULT, mode);
      rule.train(net, bipolar(r, 5, 30), true, null);
      Path f = tmp.resolve(mode.id() + ".npz");
      ModelFile.write(f, net);
      AmariHopfieldNetwork back = ModelFile.read(f);
      assertEquals(mode, back.weightsMode());
      assertEquals(net.weights().representation(), back.weights().representation());
      assertArrayEquals(net.weightMatrix(), back.weightMatrix());
      assertEquals(net.history(), back.history());
      assertEquals(5, ModelFile.describeWeights(back.weights()).get("rank"));
      assertEquals(0.5, ModelFile.describeWeights(back.weights()).get("ridge"));
      PatternBlock more = bipolar(r, 3, 30);
      rule.train(net, more, true, null);
      rule.train(back, more, true, null);
      assertArrayEquals(net.weightMatrix(), back.weightMatrix(), mode.id());
      assertEquals("8", back.history().get(1).options().get("effective_rank"));
    }
  }

  @Test
  void theFactoredFormIsStoredAsV() throws IOException {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(20);
    PseudoInverseRule.create().train(net, bipolar(new SplittableRandom(4), 4, 20), true, null);
    ProjectionWeights pw = assertInstanceOf(ProjectionWeights.class, net.weights());
    Path f = tmp.resolve("m.npz");
    ModelFile.write(f, net);
    try (NpzFile z = NpzFile.open(f)) {
      assertTrue(z.contains("V.npy"));
      NdArray v = z.array("V.npy", 1 << 20);
      assertArrayEquals(new int[] {4, 20}, v.shape());
      assertArrayEquals(pw.factor(), v.toFloatArray());
      String meta = new String(z.bytes("meta.json", 1 << 20), StandardCharsets.UTF_8);
      assertTrue(meta.contains("\"weights\": \"projection\""), meta);
      assertTrue(meta.contains("\"diagonal_zeroed\": true"), meta);
    }
  }

  @Test
  void storkeyModelsAreDenseAndRoundTrip() throws IOException {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(25);
    StorkeyRule.create(false).train(net, bipolar(new SplittableRandom(5), 4, 25), true, null);
    Path f = tmp.resolve("s.npz");
    ModelFile.write(f, net);
    AmariHopfieldNetwork back = ModelFile.read(f);
    DenseWeights d = assertInstanceOf(DenseWeights.class, back.weights());
    assertTrue(!d.isProjection());
    assertArrayEquals(net.weightMatrix(), back.weightMatrix());
    assertEquals("storkey", back.history().get(0).rule());
    assertEquals("false", back.history().get(0).options().get("zero_diagonal"));
  }

  private static byte[] meta(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static final String DYN =
      "\"dynamics\":{\"activation\":\"sign\",\"temperature\":1.0,\"threshold\":0.0,\"update\":\"sync\"},\"history\":[]}";

  private static String projectionMeta(String projection) {
    return "{\"format\":\"engram-model\",\"version\":1,\"num_neurons\":2,\"weights\":\"projection\","
        + projection
        + DYN;
  }

  @Test
  void rejectsBadProjectionModels() throws IOException {
    byte[] s = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1}, 2));
    byte[] v1 = Npy.toBytes(NdArray.ofFloats(new float[] {0.6f, 0.8f}, 1, 2));
    byte[] w = Npy.toBytes(NdArray.ofFloats(new float[] {0, 1, 1, 0}, 2, 2));
    byte[] d = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1}, 2));
    String ok = "\"projection\":{\"rank\":1,\"ridge\":0.0,\"diagonal_zeroed\":true},";
    check(
        "ok.npz", Map.of("meta.json", meta(projectionMeta(ok)), "V.npy", v1, "state.npy", s), null);
    check(
        "rank.npz",
        Map.of(
            "meta.json",
            meta(projectionMeta(ok.replace("\"rank\":1", "\"rank\":2"))),
            "V.npy",
            v1,
            "state.npy",
            s),
        "V.npy");
    check(
        "big.npz",
        Map.of(
            "meta.json",
            meta(projectionMeta(ok.replace("\"rank\":1", "\"rank\":3"))),
            "V.npy",
            v1,
            "state.npy",
            s),
        "rank 3 exceeds N = 2");
    check(
        "ridge.npz",
        Map.of(
            "meta.json",
            meta(projectionMeta(ok.replace("0.0", "-1.0"))),
            "V.npy",
            v1,
            "state.npy",
            s),
        "ridge is -1.0");
    // V's rows are unit vectors (orthonormal; shorter with a ridge): a V edited by hand to three
    // times its length, or to zeros, was read, and training continued from it into weights that
    // recalled none of the patterns
    byte[] v3 = Npy.toBytes(NdArray.ofFloats(new float[] {1.8f, 2.4f}, 1, 2));
    byte[] v0 = Npy.toBytes(NdArray.ofFloats(new float[] {0, 0}, 1, 2));
    check(
        "long.npz",
        Map.of("meta.json", meta(projectionMeta(ok)), "V.npy", v3, "state.npy", s),
        "row 0 of V.npy has squared length 9.0");
    check(
        "long-ridge.npz",
        Map.of(
            "meta.json",
            meta(projectionMeta(ok.replace("0.0", "0.5"))),
            "V.npy",
            v3,
            "state.npy",
            s),
        "row 0 of V.npy has squared length 9.0");
    check(
        "zero.npz",
        Map.of("meta.json", meta(projectionMeta(ok)), "V.npy", v0, "state.npy", s),
        "row 0 of V.npy has squared length 0.0");
    check(
        "short-ridge.npz",
        Map.of(
            "meta.json",
            meta(projectionMeta(ok.replace("0.0", "0.5"))),
            "V.npy",
            Npy.toBytes(NdArray.ofFloats(new float[] {0.3f, 0.4f}, 1, 2)),
            "state.npy",
            s),
        null);
    check(
        "nov.npz", Map.of("meta.json", meta(projectionMeta(ok)), "state.npy", s), "lacks 'V.npy'");
    check(
        "noproj.npz",
        Map.of("meta.json", meta(projectionMeta("")), "V.npy", v1, "state.npy", s),
        "missing 'projection'");
    check(
        "mixed.npz",
        Map.of("meta.json", meta(projectionMeta(ok)), "V.npy", v1, "W.npy", w, "state.npy", s),
        "must not hold W.npy");
    String dense =
        "{\"format\":\"engram-model\",\"version\":1,\"num_neurons\":2,\"weights\":\"dense\",";
    check(
        "orphan.npz",
        Map.of(
            "meta.json",
            meta(dense + DYN),
            "W.npy",
            w,
            "projection_diagonal.npy",
            d,
            "state.npy",
            s),
        "without a 'projection' entry");
    check(
        "nodiag.npz",
        Map.of(
            "meta.json",
            meta(dense + "\"projection\":{\"rank\":1,\"ridge\":0.0}," + DYN),
            "W.npy",
            w,
            "state.npy",
            s),
        "lacks 'projection_diagonal.npy'");
    check(
        "dense-ok.npz",
        Map.of(
            "meta.json",
            meta(dense + "\"projection\":{\"rank\":1,\"ridge\":0.0}," + DYN),
            "W.npy",
            w,
            "projection_diagonal.npy",
            d,
            "state.npy",
            s),
        null);
  }

  private void check(String name, Map<String, byte[]> entries, String expected) throws IOException {
    Path f = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(f);
        ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : new TreeMap<>(entries).entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    if (expected == null) {
      assertEquals(2, ModelFile.read(f).numNeurons(), name);
      return;
    }
    EngramFormatException e =
        assertThrows(EngramFormatException.class, () -> ModelFile.read(f), name);
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains(expected),
        name + ": expected '" + expected + "' in: " + e.getMessage());
  }
}
