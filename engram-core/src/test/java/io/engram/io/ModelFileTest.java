package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.AntiHebbianTrainer;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianTrainer;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.UpdateMode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

  @TempDir Path tmp;

  private static AmariHopfieldNetwork sample(UpdateMode mode) {
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(6, new Dynamics(Activation.TANH, 0.5f, 0.25f, mode));
    HebbianTrainer.create(net, HebbianOptions.DEFAULTS.withZeroDiagonal(false))
        .train(new float[] {1, -1, 1, 1, -1, 0.5f}, new float[] {-1, -1, 1, 0, 1, 1});
    AntiHebbianTrainer.create(net).train(new float[] {1, 1, 1, -1, -1, -1});
    net.setState(new float[] {0.5f, -1, 1, 1, 0, -0.25f});
    return net;
  }

  @Test
  void round_trips_weights_state_dynamics_and_history() throws IOException {
    for (UpdateMode mode :
        new UpdateMode[] {
          UpdateMode.synchronous(),
          UpdateMode.asynchronous(123L),
          UpdateMode.asynchronous(new int[] {5, 4, 3, 2, 1, 0})
        }) {
      AmariHopfieldNetwork net = sample(mode);
      Path f = tmp.resolve("m.npz");
      ModelFile.write(f, net);
      AmariHopfieldNetwork back = ModelFile.read(f);
      assertArrayEquals(net.weightMatrix(), back.weightMatrix());
      assertArrayEquals(net.state(), back.state());
      assertEquals(net.dynamics(), back.dynamics());
      assertEquals(net.history(), back.history());
      assertEquals(2, back.storedPatterns());
    }
  }

  /**
   * The float32 values of the metadata (temperature, threshold, rho, a factor's divisor, beta) are
   * written as the shortest decimal of the float ({@code 0.8}), not widened to a double ({@code
   * 0.800000011920929}), and read back as the same float.
   */
  @Test
  void float32_metadata_is_written_as_the_shortest_decimal_of_the_float() throws IOException {
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(
            3, new Dynamics(Activation.TANH, 0.8f, 0.1f, UpdateMode.synchronous()));
    // rho, the mean of all entries: (1 + 1 - 1 + 1 + 1 + 1) / 6 = 2/3, a float with no short
    // decimal
    HebbianTrainer.create(net).train(new float[] {1, 1, -1}, new float[] {1, 1, 1});
    Path f = tmp.resolve("m.npz");
    ModelFile.write(f, net);
    String meta;
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(f.toFile())) {
      meta =
          new String(
              z.getInputStream(z.getEntry("meta.json")).readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(meta.contains("\"temperature\": 0.8,"), meta);
    assertTrue(meta.contains("\"threshold\": 0.1,"), meta);
    assertTrue(meta.contains("\"rho\": " + (2f / 3f) + "\n"), meta);
    assertFalse(meta.contains("0.800000011920929"), meta);
    AmariHopfieldNetwork back = ModelFile.read(f);
    assertEquals(net.dynamics(), back.dynamics());
    assertEquals(net.history(), back.history());

    io.engram.memory.ModernHopfieldMemory m =
        io.engram.memory.ModernHopfieldMemory.softmax(3, 0.3f);
    m.store(new float[][] {{1, -1, 1}});
    Path mf = tmp.resolve("mm.npz");
    ModelFile.write(mf, m);
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(mf.toFile())) {
      meta =
          new String(
              z.getInputStream(z.getEntry("meta.json")).readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(meta.contains("\"beta\": 0.3,"), meta);
    assertEquals(0.3f, ((io.engram.memory.ModernHopfieldMemory) ModelFile.readMemory(mf)).beta());
  }

  @Test
  void low_rank_models_round_trip_exactly_and_stay_low_rank() throws IOException {
    java.util.SplittableRandom r = new java.util.SplittableRandom(21);
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(40, Dynamics.DEFAULT, io.engram.weights.WeightsMode.LOW_RANK);
    float[][] a = new float[3][40];
    float[][] b = new float[2][40];
    float[][] c = new float[4][30];
    for (float[][] x : java.util.List.of(a, b, c)) {
      for (float[] row : x) {
        for (int i = 0; i < row.length; i++) {
          row[i] = (float) (r.nextDouble() * 2 - 1);
        }
      }
    }
    HebbianTrainer.create(net, HebbianOptions.DEFAULTS.withZeroDiagonal(false)).train(a);
    AntiHebbianTrainer.create(net, HebbianOptions.DEFAULTS.withNormalizeByPatterns(false)).train(b);
    net.resize(35, true); // shrink: drops columns, zeroes the diagonal
    HebbianTrainer.create(net, HebbianOptions.DEFAULTS.withZeroDiagonal(false))
        .train(
            java.util.Arrays.stream(c)
                .map(row -> java.util.Arrays.copyOf(row, 35))
                .toArray(float[][]::new));
    assertEquals("low-rank", net.weights().representation().id());
    Path f = tmp.resolve("lr.npz");
    ModelFile.write(f, net);
    AmariHopfieldNetwork back = ModelFile.read(f);
    assertEquals("low-rank", back.weights().representation().id());
    assertEquals(io.engram.weights.WeightsMode.LOW_RANK, back.weightsMode());
    assertArrayEquals(net.weightMatrix(), back.weightMatrix());
    float[] s = new float[35];
    for (int i = 0; i < s.length; i++) {
      s[i] = r.nextBoolean() ? 1 : -1;
    }
    float[] f1 = new float[35];
    float[] f2 = new float[35];
    net.weights().multiply(s, f1);
    back.weights().multiply(s, f2);
    assertArrayEquals(f1, f2, "fields must be bit-identical after a round trip");
    assertEquals(net.history(), back.history());
  }

  @Test
  void the_same_model_gives_the_same_bytes_in_any_time_zone() throws IOException {
    java.util.TimeZone before = java.util.TimeZone.getDefault();
    byte[][] bytes = new byte[2][];
    String[] zones = {"UTC", "America/New_York"};
    try {
      for (int z = 0; z < zones.length; z++) {
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(zones[z]));
        Path f = tmp.resolve("tz" + z + ".npz");
        ModelFile.write(f, sample(UpdateMode.synchronous()));
        bytes[z] = Files.readAllBytes(f);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(f.toFile())) {
          for (ZipEntry e : java.util.Collections.list(zip.entries())) {
            // no extended timestamp (a UTC time, which depends on the zone it was converted in)
            assertEquals(null, e.getExtra(), e.getName());
            assertEquals(java.time.LocalDateTime.of(1980, 1, 1, 0, 0, 2), e.getTimeLocal());
          }
        }
      }
    } finally {
      java.util.TimeZone.setDefault(before);
    }
    assertArrayEquals(bytes[0], bytes[1]);
  }

  @Test
  void a_million_neuron_model_is_saved_without_a_dense_matrix() throws IOException {
    int n = 1_000_000;
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    float[][] x = new float[2][n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = r.nextBoolean() ? 1 : -1;
      }
    }
    HebbianTrainer.create(net).train(x);
    Path f = tmp.resolve("big.npz");
    ModelFile.write(f, net);
    // T0 (2 x N), state and base diagonal: 16 bytes per neuron, against 4 N² = 4 TB dense
    assertTrue(Files.size(f) < 16L * n + 100_000, "size " + Files.size(f));
    AmariHopfieldNetwork back = ModelFile.read(f);
    assertEquals(n, back.numNeurons());
    assertArrayEquals(x[1], back.recall(x[1]).state());
  }

  @Test
  void write_all_changes_no_target_when_one_writer_fails() throws IOException {
    Path f = tmp.resolve("m.npz");
    ModelFile.write(f, sample(UpdateMode.synchronous()));
    byte[] before = Files.readAllBytes(f);
    // writeAll: one bad writer means no target changes
    Path other = tmp.resolve("other.txt");
    assertThrows(
        IOException.class,
        () ->
            AtomicFiles.writeAll(
                new java.util.LinkedHashMap<>(
                    Map.<Path, AtomicFiles.Writer>of(
                        other, out -> out.write(1),
                        f,
                            out -> {
                              throw new IOException("boom");
                            }))));
    assertFalse(Files.exists(other));
    assertArrayEquals(before, Files.readAllBytes(f));
  }

  private Path zip(String name, Map<String, byte[]> entries) throws IOException {
    Path f = tmp.resolve(name);
    try (OutputStream o = Files.newOutputStream(f);
        ZipOutputStream z = new ZipOutputStream(o)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return f;
  }

  private static byte[] meta(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static final String META =
      "{\"format\":\"engram-model\",\"version\":1,\"num_neurons\":2,\"weights\":\"dense\","
          + "\"dynamics\":{\"activation\":\"sign\",\"temperature\":1.0,\"threshold\":0.0,\"update\":\"sync\"},\"history\":[]}";

  @Test
  void rejects_invalid_models_naming_file_and_problem() throws IOException {
    byte[] w = Npy.toBytes(NdArray.ofFloats(new float[] {0, 1, 1, 0}, 2, 2));
    byte[] s = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1}, 2));
    byte[] wNaN = Npy.toBytes(NdArray.ofFloats(new float[] {0, Float.NaN, 1, 0}, 2, 2));
    byte[] w3 = Npy.toBytes(NdArray.ofFloats(new float[9], 3, 3));
    check("ok.npz", Map.of("meta.json", meta(META), "W.npy", w, "state.npy", s), null);
    check("nometa.npz", Map.of("W.npy", w, "state.npy", s), "lacks 'meta.json'");
    check(
        "extra.npz",
        Map.of("meta.json", meta(META), "W.npy", w, "state.npy", s, "evil.pkl", new byte[3]),
        "unexpected member 'evil.pkl'");
    check(
        "version.npz",
        Map.of(
            "meta.json",
            meta(META.replace("\"version\":1", "\"version\":7")),
            "W.npy",
            w,
            "state.npy",
            s),
        "version 7 is newer than this Engram reads");
    // a later version is named as such before anything a later Engram may have added (a memory
    // kind was refused as unknown, without the version); versions this Engram knows, of another
    // kind, are named as the wrong version for a classical network (it said "reads 1..1")
    check(
        "version3-kind.npz",
        Map.of(
            "meta.json",
            meta(META.replace("\"version\":1", "\"version\":3,\"memory\":\"sparse\"")),
            "W.npy",
            w,
            "state.npy",
            s),
        "model format version 3 is newer than this Engram reads (version 1 for classical"
            + " networks, 2 for modern memories): the file was written by a later Engram; read it"
            + " with that Engram or a later one");
    check(
        "version2.npz",
        Map.of(
            "meta.json",
            meta(META.replace("\"version\":1", "\"version\":2")),
            "W.npy",
            w,
            "state.npy",
            s),
        "model format version 2 is not the version of a classical network's file (1; version 2"
            + " files hold a modern memory, \"memory\": \"modern\")");
    check(
        "version0.npz",
        Map.of(
            "meta.json",
            meta(META.replace("\"version\":1", "\"version\":0")),
            "W.npy",
            w,
            "state.npy",
            s),
        "model format version 0 is not the version of a classical network's file (1)");
    check(
        "format.npz",
        Map.of(
            "meta.json", meta(META.replace("engram-model", "other")), "W.npy", w, "state.npy", s),
        "not an Engram model");
    check(
        "json.npz",
        Map.of("meta.json", meta("{\"format\": "), "W.npy", w, "state.npy", s),
        "bad meta.json");
    check("shape.npz", Map.of("meta.json", meta(META), "W.npy", w3, "state.npy", s), "W.npy");
    check(
        "nan.npz",
        Map.of("meta.json", meta(META), "W.npy", wNaN, "state.npy", s),
        "expected finite");
    check(
        "neurons.npz",
        Map.of(
            "meta.json",
            meta(META.replace("\"num_neurons\":2", "\"num_neurons\":-4")),
            "W.npy",
            w,
            "state.npy",
            s),
        "num_neurons -4");
    check(
        "temp.npz",
        Map.of(
            "meta.json",
            meta(META.replace("\"temperature\":1.0", "\"temperature\":0")),
            "W.npy",
            w,
            "state.npy",
            s),
        "temperature");
    check(
        "trunc.npz",
        Map.of(
            "meta.json",
            meta(META),
            "W.npy",
            java.util.Arrays.copyOf(w, w.length - 3),
            "state.npy",
            s),
        "truncated");
    Path garbage = tmp.resolve("garbage.npz");
    Files.write(garbage, "not a zip at all".getBytes(StandardCharsets.US_ASCII));
    EngramFormatException e =
        assertThrows(EngramFormatException.class, () -> ModelFile.read(garbage));
    assertTrue(e.getMessage().startsWith(garbage.toString()), e.getMessage());
  }

  private void check(String name, Map<String, byte[]> entries, String expected) throws IOException {
    Path f = zip(name, new java.util.TreeMap<>(entries));
    if (expected == null) {
      assertEquals(2, ModelFile.read(f).numNeurons());
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
