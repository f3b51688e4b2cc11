package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.internal.Json;
import io.engram.network.AmariHopfieldNetwork;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the files numpy wrote ({@code golden/make_golden.py}) and writes files numpy's layout. */
class NpyGoldenTest {

  static Path golden() {
    try {
      return Path.of(NpyGoldenTest.class.getResource("/golden/expected.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> expected() throws IOException {
    return (Map<String, Object>)
        Json.parse(Files.readString(golden().resolve("expected.json"), StandardCharsets.UTF_8));
  }

  private static double[] doubles(Object list) {
    List<?> l = (List<?>) list;
    double[] r = new double[l.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = ((Number) l.get(i)).doubleValue();
    }
    return r;
  }

  private static int[] ints(Object list) {
    List<?> l = (List<?>) list;
    int[] r = new int[l.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = ((Number) l.get(i)).intValue();
    }
    return r;
  }

  @Test
  @SuppressWarnings("unchecked")
  void readsEveryGoldenArray() throws IOException {
    List<Object> cases = (List<Object>) expected().get("arrays");
    assertEquals(48, cases.size());
    Set<String> kinds = new java.util.HashSet<>();
    for (Object o : cases) {
      Map<String, Object> c = (Map<String, Object>) o;
      String file = (String) c.get("file");
      NdArray a = Npy.read(golden().resolve(file));
      assertEquals(c.get("dtype"), a.dtype().code(), file);
      assertArrayEquals(ints(c.get("shape")), a.shape(), file);
      assertArrayEquals(doubles(c.get("values")), a.toDoubleArray(), 0.0, file);
      kinds.add(a.dtype().code() + (file.contains("_be_") ? ">" : "<"));
    }
    assertEquals(
        Set.of(
            "f2<", "f2>", "f4<", "f4>", "f8<", "f8>", "i1<", "i2<", "i2>", "i4<", "i4>", "i8<",
            "i8>", "u1<", "b1<"),
        kinds);
  }

  @Test
  void readsFloat16AsNumpyConvertsItToFloat32() throws IOException {
    // zeros, subnormals, the smallest normal, the largest finite values, infinities, NaN
    int[] bits = ints(expected().get("f2_le_special"));
    float[] got = Npy.read(golden().resolve("f2_le_special.npy")).toFloatArray();
    assertEquals(bits.length, got.length);
    for (int i = 0; i < bits.length; i++) {
      float want = Float.intBitsToFloat(bits[i]);
      if (Float.isNaN(want)) {
        assertTrue(Float.isNaN(got[i]), "value " + i + ": " + got[i]);
      } else {
        assertEquals(bits[i], Float.floatToRawIntBits(got[i]), "value " + i + ": " + got[i]);
      }
    }
  }

  @Test
  void readsNumpyArchivesStoredAndCompressed() throws IOException {
    for (String f : List.of("savez.npz", "savez_compressed.npz")) {
      Map<String, NdArray> m = NpzFile.readAll(golden().resolve(f), 1 << 20);
      assertEquals(Set.of("a", "b"), m.keySet(), f);
      assertArrayEquals(new int[] {2, 3}, m.get("a").shape());
      assertArrayEquals(
          new float[] {-1.875f, -1.5f, -1.125f, -0.75f, -0.375f, 0f},
          m.get("a").toFloatArray(),
          0f);
      assertArrayEquals(new int[] {-35, -28, -21, -14}, m.get("b").toIntArray());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void readsAModelWrittenByPythonFromTheFormatDocs() throws IOException {
    AmariHopfieldNetwork net = ModelFile.read(golden().resolve("model_v1_dense.npz"));
    assertEquals(4, net.numNeurons());
    double[] w = doubles(((Map<String, Object>) expected().get("model_v1_dense")).get("W"));
    float[] got = net.weightMatrix();
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], got[i], 1e-6, "W[" + i + "]");
    }
    assertEquals(2, net.storedPatterns());
    assertEquals("hebbian", net.history().get(0).rule());
  }

  @Test
  void writtenArraysReadBackBitForBit(@TempDir Path dir) throws IOException {
    float[] v = {1f, -2.5f, Float.MIN_VALUE, 3e38f, -0f, 7f};
    Path f = dir.resolve("a.npy");
    Npy.writeFloats(f, v, 2, 3);
    NdArray a = Npy.read(f);
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(v, a.toFloatArray(), 0f);
    // numpy pads the header so that the data starts at a multiple of 64
    assertEquals(0, (Files.size(f) - 4 * v.length) % 64);

    Path z = dir.resolve("b.npz");
    NpzFile.builder()
        .put("x", NdArray.ofInts(new int[] {3, 1, 2}, 3))
        .put("empty", NdArray.ofFloats(new float[0], 0, 5))
        .putBytes("note.txt", "hi".getBytes(StandardCharsets.UTF_8))
        .write(z);
    try (NpzFile npz = NpzFile.open(z)) {
      assertEquals(List.of("x.npy", "empty.npy", "note.txt"), List.copyOf(npz.memberNames()));
      assertArrayEquals(new int[] {3, 1, 2}, npz.array("x", 12).toIntArray());
      assertArrayEquals(new int[] {0, 5}, npz.array("empty.npy", 0).shape());
      assertEquals("hi", new String(npz.bytes("note.txt", 2), StandardCharsets.UTF_8));
    }
  }
}
