package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.internal.Json;
import io.engram.learning.HebbianTrainer;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Memory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modern memory in model files: round trips, the kind dispatch, and hostile files. */
class ModernModelFileTest {

  @TempDir Path dir;

  private static ModernHopfieldMemory sample(Separation s) {
    int n = 6;
    ModernHopfieldMemory m =
        switch (s) {
          case SOFTMAX -> ModernHopfieldMemory.softmax(n, 0.37f);
          case POLYNOMIAL -> ModernHopfieldMemory.polynomial(n, 4);
          case RECTIFIED -> ModernHopfieldMemory.rectified(n, 5);
          case EXP -> ModernHopfieldMemory.exponential(n, 1.5f);
        };
    m.store(new float[][] {{1, -1, 1, -1, 1, -1}, {1, 1, -1, -1, 1, 1}});
    m.store(new float[][] {{-1, -1, -1, 1, 1, 1}});
    return m;
  }

  /** A member's shape from its header alone; a missing member or a bad header is named. */
  @Test
  void aMembersShapeComesFromItsHeader() throws IOException {
    Path f = dir.resolve("m.npz");
    ModelFile.write(f, sample(Separation.SOFTMAX));
    try (NpzFile z = NpzFile.open(f)) {
      assertArrayEquals(new int[] {3, 6}, z.shape("X.npy"));
      assertArrayEquals(new int[] {3, 6}, z.shape("X"));
      EngramFormatException e = assertThrows(EngramFormatException.class, () -> z.shape("W"));
      assertTrue(e.getMessage().contains("no member 'W'"), e.getMessage());
      e = assertThrows(EngramFormatException.class, () -> z.shape("meta.json"));
      assertTrue(e.getMessage().contains("meta.json"), e.getMessage());
    }
  }

  @Test
  void roundTripsEverySeparation() throws IOException {
    for (Separation s : Separation.values()) {
      ModernHopfieldMemory m = sample(s);
      Path f = dir.resolve(s.id() + ".npz");
      ModelFile.write(f, m);
      assertEquals("modern", ModelFile.memoryKind(f));
      ModernHopfieldMemory back = (ModernHopfieldMemory) ModelFile.readMemory(f);
      assertEquals(m.separation(), back.separation());
      assertEquals(m.beta(), back.beta(), 0f);
      assertEquals(m.degree(), back.degree());
      assertEquals(3, back.size());
      assertArrayEquals(m.toArray(), back.toArray());
      float[] cue = {1, -1, 1, -1, 1, 1};
      assertArrayEquals(m.retrieve(cue).state(), back.retrieve(cue).state());
    }
    ModernHopfieldMemory continuous = ModernHopfieldMemory.softmax(3);
    continuous.store(new float[][] {{0.25f, -3.5f, 1e-3f}});
    Path f = dir.resolve("c.npz");
    ModelFile.write(f, continuous);
    assertArrayEquals(
        continuous.toArray(), ((ModernHopfieldMemory) ModelFile.readMemory(f)).toArray());
    ModernHopfieldMemory empty = ModernHopfieldMemory.softmax(4);
    ModelFile.write(f, empty);
    assertEquals(0, ((ModernHopfieldMemory) ModelFile.readMemory(f)).size());
  }

  @Test
  void metaJsonNamesTheKindAndNumpyShapeHoldsX() throws IOException {
    Path f = dir.resolve("m.npz");
    ModelFile.write(f, sample(Separation.SOFTMAX));
    Map<String, NdArray> all = NpzFile.readAll(f, 1 << 20);
    assertEquals(java.util.Set.of("X"), all.keySet());
    assertArrayEquals(new int[] {3, 6}, all.get("X").shape());
    assertEquals(DType.FLOAT32, all.get("X").dtype());
    Map<?, ?> meta;
    try (NpzFile z = NpzFile.open(f)) {
      meta =
          (Map<?, ?>) Json.parse(new String(z.bytes("meta.json", 1 << 16), StandardCharsets.UTF_8));
    }
    assertEquals("modern", meta.get("memory"));
    assertEquals("softmax", meta.get("separation"));
    assertEquals(0.37f, ((Number) meta.get("beta")).floatValue());
    assertEquals(null, meta.get("degree"));
    assertEquals(3L, meta.get("num_patterns"));
    assertEquals(2L, meta.get("version"));
  }

  @Test
  void kindsAreDispatchedAndTheClassicalReaderRefusesModernFiles() throws IOException {
    Path modern = dir.resolve("modern.npz");
    ModelFile.write(modern, (Memory) sample(Separation.POLYNOMIAL));
    EngramFormatException e =
        assertThrows(EngramFormatException.class, () -> ModelFile.read(modern));
    assertTrue(e.getMessage().contains(modern.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("modern memory, not a classical network"), e.getMessage());

    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(4);
    HebbianTrainer.create(net).train(new float[][] {{1, -1, 1, -1}});
    Path classical = dir.resolve("classical.npz");
    ModelFile.write(classical, (Memory) net);
    assertEquals("classical", ModelFile.memoryKind(classical));
    assertInstanceOf(AmariHopfieldNetwork.class, ModelFile.readMemory(classical));
    assertArrayEquals(net.weightMatrix(), ModelFile.read(classical).weightMatrix());
  }

  /** The members of a valid file, for mutation: meta.json text and X. */
  private static String validMeta() {
    return "{\"format\": \"engram-model\", \"version\": 2, \"memory\": \"modern\","
        + " \"num_neurons\": 4, \"num_patterns\": 2, \"separation\": \"softmax\", \"beta\": 0.5,"
        + " \"degree\": null}";
  }

  private static final float[] X = {1, -1, 1, -1, 1, 1, -1, -1};

  private static byte[] archive(String meta, Object... members) throws IOException {
    NpzFile.Builder b = NpzFile.builder();
    b.putBytes("meta.json", meta.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < members.length; i += 2) {
      Object v = members[i + 1];
      if (v instanceof NdArray a) {
        b.put((String) members[i], a);
      } else {
        b.putBytes((String) members[i], (byte[]) v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.writeTo(out);
    return out.toByteArray();
  }

  /** Reads the bytes as a model; returns the failure, which must name the file, or null. */
  private EngramFormatException readBytes(byte[] bytes) throws IOException {
    Path f = dir.resolve("case.npz");
    Files.write(f, bytes);
    try {
      ModelFile.readMemory(f);
      return null;
    } catch (EngramFormatException e) {
      assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
      return e;
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("not an EngramFormatException: " + e, e);
    }
  }

  private void assertRefused(String part, byte[] bytes) throws IOException {
    EngramFormatException e = readBytes(bytes);
    assertTrue(e != null, "accepted a file that should fail with '" + part + "'");
    assertTrue(
        e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
  }

  /** A float32 .npy of the given shape in Fortran (column-major) order, as numpy writes one. */
  private static byte[] fortranNpy(float[] rowMajor, int rows, int cols) {
    String dict =
        "{'descr': '<f4', 'fortran_order': True, 'shape': (" + rows + ", " + cols + "), }";
    int len = dict.length() + 1;
    int padded = (10 + len + 63) / 64 * 64 - 10;
    StringBuilder h = new StringBuilder(dict);
    while (h.length() < padded - 1) {
      h.append(' ');
    }
    h.append('\n');
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(10 + padded + 4 * rows * cols)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) padded);
    b.put(h.toString().getBytes(StandardCharsets.US_ASCII));
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        b.putFloat(rowMajor[i * cols + j]);
      }
    }
    return b.array();
  }

  @Test
  void xInFortranOrderIsReadAsNumpyReadsIt() throws IOException {
    Path f = dir.resolve("fortran.npz");
    Files.write(f, archive(validMeta(), "X.npy", fortranNpy(X, 2, 4)));
    ModernHopfieldMemory m = (ModernHopfieldMemory) ModelFile.readMemory(f);
    assertArrayEquals(X, m.toArray());
  }

  @Test
  void hostileModernFilesGetClearErrors() throws IOException {
    NdArray x = NdArray.ofFloats(X, 2, 4);
    assertEquals(null, readBytes(archive(validMeta(), "X", x)));
    assertRefused("lacks 'X.npy'", archive(validMeta()));
    assertRefused("unexpected member 'W.npy'", archive(validMeta(), "X", x, "W", x));
    assertRefused("unexpected member 'state.npy'", archive(validMeta(), "X", x, "state", x));
    assertRefused("X.npy has shape [4, 2]", archive(validMeta(), "X", NdArray.ofFloats(X, 4, 2)));
    assertRefused("X.npy has shape [8]", archive(validMeta(), "X", NdArray.ofFloats(X, 8)));
    assertRefused(
        "X.npy has dtype f8, expected f4",
        archive(validMeta(), "X", NdArray.ofDoubles(new double[8], 2, 4)));
    float[] nan = X.clone();
    nan[5] = Float.NaN;
    assertRefused("non-finite value NaN", archive(validMeta(), "X", NdArray.ofFloats(nan, 2, 4)));
    float[] huge = X.clone();
    huge[0] = 3e38f;
    assertRefused("squared norm", archive(validMeta(), "X", NdArray.ofFloats(huge, 2, 4)));
    // X larger than the meta says: refused by its header, before its values are read
    assertRefused(
        "X.npy has shape [100000, 4], expected [2, 4]",
        archive(validMeta(), "X", NdArray.ofFloats(new float[400_000], 100_000, 4)));
    // a meta that claims 2 x 10^9 values (8 GB) beside an X of 8: refused by X's size before an
    // array for the claim is made (the test JVM's heap could not hold one)
    assertRefused(
        "X.npy has shape [2, 4], expected [500000000, 4]",
        archive(
            validMeta().replace("\"num_patterns\": 2", "\"num_patterns\": 500000000"),
            "X",
            NdArray.ofFloats(X, 2, 4)));
    String[][] cases = {
      {"\"version\": 2", "\"version\": 1", "format version 1 is not supported"},
      {"\"version\": 2", "\"version\": 3", "format version 3 is newer than this Engram reads"},
      {"\"version\": 2", "\"version\": \"2\"", "'version' is \"2\", expected an integer"},
      {"\"modern\"", "\"quantum\"", "unknown memory kind \"quantum\""},
      {"\"modern\"", "7", "unknown memory kind 7"},
      {"\"engram-model\"", "\"pickle\"", "not an Engram model"},
      {"\"num_neurons\": 4", "\"num_neurons\": 0", "out of range"},
      {"\"num_neurons\": 4", "\"num_neurons\": 1e30", "num_neurons 1.0E30 out of range 1.."},
      {
        "\"num_patterns\": 2",
        "\"num_patterns\": 99999999999999999999",
        "'num_patterns' is 1.0E20, expected a count: out of range 0..2147483647"
      },
      {
        "\"version\": 2",
        "\"version\": 1e30",
        "'version' is 1.0E30, out of range -9223372036854775808..9223372036854775807"
      },
      {"\"num_neurons\": 4", "\"num_neurons\": 5", "X.npy has shape [2, 4], expected [2, 5]"},
      {"\"num_patterns\": 2", "\"num_patterns\": -1", "expected a count"},
      {"\"num_patterns\": 2", "\"num_patterns\": 3", "expected [3, 4]"},
      {"\"num_patterns\": 2", "\"num_patterns\": 2000000000", "more than one model file member"},
      {"\"softmax\"", "\"relu\"", "separation must be softmax, polynomial, rectified or exp"},
      {"\"beta\": 0.5", "\"beta\": -1", "beta must be a finite number > 0"},
      {"\"beta\": 0.5", "\"beta\": 0", "beta must be a finite number > 0"},
      {"\"beta\": 0.5", "\"beta\": 1e300", "beta must be a finite number > 0"},
      {"\"beta\": 0.5", "\"beta\": \"hot\"", "'beta' is \"hot\", expected a number"},
      {"\"beta\": 0.5", "\"beta\": null", "missing 'beta'"},
      {"\"degree\": null", "\"degree\": 3", "degree must be null for softmax"},
      {
        "\"degree\": null",
        "\"degree\": \"3\"",
        "degree must be null for softmax separation, got \"3\""
      },
      {"\"separation\": \"softmax\"", "\"separation\": \"polynomial\"", "beta must be null"},
      {
        "\"separation\": \"softmax\", \"beta\": 0.5",
        "\"separation\": \"rectified\", \"beta\": null",
        "missing 'degree'"
      },
      {"{\"format\"", "[{\"format\"", "bad meta.json"},
    };
    for (String[] c : cases) {
      assertTrue(validMeta().contains(c[0]), c[0]);
      assertRefused(c[2], archive(validMeta().replace(c[0], c[1]), "X", x));
    }
    String poly =
        validMeta()
            .replace("\"softmax\", \"beta\": 0.5", "\"polynomial\", \"beta\": null")
            .replace("\"degree\": null", "\"degree\": 3");
    assertEquals(null, readBytes(archive(poly, "X", x)));
    assertRefused("degree must be in 2..30", archive(poly.replace("\": 3", "\": 31"), "X", x));
    // a string was shown as the number it spells: "'degree' is 3, expected an integer"
    assertRefused(
        "'degree' is \"3\", expected an integer",
        archive(poly.replace("\"degree\": 3", "\"degree\": \"3\""), "X", x));
    float[] half = X.clone();
    half[2] = 0.5f;
    assertRefused("needs ±1 values", archive(poly, "X", NdArray.ofFloats(half, 2, 4)));
  }

  @Test
  void truncatedAndMutatedModernFilesFailCleanly() throws IOException {
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(16, 0.5f);
    SplittableRandom rnd = new SplittableRandom(9);
    float[][] x = new float[5][16];
    for (float[] r : x) {
      for (int i = 0; i < 16; i++) {
        r[i] = (float) rnd.nextGaussian();
      }
    }
    m.store(x);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelFile.builder(m).writeTo(out);
    byte[] ok = out.toByteArray();
    assertEquals(null, readBytes(ok));
    for (int len = 0; len < ok.length; len += 7) {
      assertTrue(readBytes(java.util.Arrays.copyOf(ok, len)) != null, "truncated to " + len);
    }
    for (int t = 0; t < 300; t++) {
      byte[] bad = ok.clone();
      int flips = 1 + rnd.nextInt(3);
      for (int f = 0; f < flips; f++) {
        bad[rnd.nextInt(bad.length)] ^= (byte) (1 + rnd.nextInt(255));
      }
      readBytes(bad); // accepted or a clean EngramFormatException naming the file
    }
  }
}
