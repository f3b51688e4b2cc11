package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.internal.Json;
import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import io.engram.network.AmariHopfieldNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract of DESIGN.md: names, outputs, exit statuses, no damage on failure. */
class CliContractTest {

  @TempDir Path tmp;
  Path patterns;
  Path queries;
  Path model;

  @BeforeEach
  void setUp() throws IOException {
    SplittableRandom r = new SplittableRandom(5);
    int p = 4;
    int n = 64;
    float[] x = new float[p * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextBoolean() ? 1 : -1;
    }
    patterns = tmp.resolve("patterns.npy");
    Npy.write(patterns, NdArray.ofFloats(x, p, n));
    float[] q = x.clone();
    for (int i = 0; i < q.length; i += 7) {
      q[i] = -q[i];
    }
    queries = tmp.resolve("queries.npy");
    Npy.write(queries, NdArray.ofFloats(q, p, n));
    model = tmp.resolve("model.npz");
    ToolRun.Result res =
        ToolRun.run("train", "--patterns", patterns.toString(), "--out", model.toString());
    assertEquals(0, res.status(), res.toString());
  }

  private Set snapshot() throws IOException {
    return new Set(tmp);
  }

  /** The folder's files and contents, to show that a failed command changed nothing. */
  static final class Set {
    final Map<String, String> files = new java.util.TreeMap<>();

    Set(Path dir) throws IOException {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (Files.isRegularFile(p)) {
            files.put(
                dir.relativize(p).toString(), java.util.Arrays.toString(Files.readAllBytes(p)));
          }
        }
      }
    }
  }

  private void assertUserError(String expectedText, String... args) throws IOException {
    Set before = snapshot();
    ToolRun.Result r = ToolRun.run(args);
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().startsWith("engram: "), r.toString());
    assertTrue(r.err().contains(expectedText), "expected '" + expectedText + "' in " + r);
    assertFalse(r.err().contains("\tat "), "stack trace: " + r);
    assertEquals(before.files, snapshot().files, "a failed command changed files: " + r);
  }

  @Test
  void recall_writes_float32_states_and_the_report() throws IOException {
    Path out = tmp.resolve("out");
    Path report = tmp.resolve("rep");
    ToolRun.Result r =
        ToolRun.run(
            "recall",
            "--model",
            model.toString(),
            "--queries",
            queries.toString(),
            "--out",
            out.toString(),
            "--report",
            report.toString());
    assertEquals(0, r.status(), r.toString());
    NdArray a = Npy.read(out); // written exactly at the path given, no extension added
    assertEquals(io.engram.io.DType.FLOAT32, a.dtype());
    assertArrayEquals(new int[] {4, 64}, a.shape());
    assertArrayEquals(Npy.read(patterns).toFloatArray(), a.toFloatArray());
    @SuppressWarnings("unchecked")
    Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(report));
    List<?> q = (List<?>) rep.get("queries");
    assertEquals(4, q.size());
    for (Object o : q) {
      Map<?, ?> m = (Map<?, ?>) o;
      assertTrue(m.get("steps") instanceof Long);
      assertEquals(Boolean.TRUE, m.get("converged"));
      assertTrue(((Number) m.get("energy")).doubleValue() < 0);
    }
  }

  @Test
  void dynamics_flags_override_the_model_for_recall_only() throws IOException {
    byte[] before = Files.readAllBytes(model);
    Path out = tmp.resolve("o.npy");
    ToolRun.Result r =
        ToolRun.run(
            "recall",
            "--model",
            model.toString(),
            "--queries",
            queries.toString(),
            "--out",
            out.toString(),
            "--activation",
            "tanh",
            "--temperature",
            "50",
            "--threshold",
            "0.1",
            "--update",
            "async",
            "--seed",
            "3",
            "--iterations",
            "5");
    assertEquals(0, r.status(), r.toString());
    assertArrayEquals(before, Files.readAllBytes(model));
    float[] got = Npy.read(out).toFloatArray();
    boolean fractional = false;
    for (float v : got) {
      fractional |= v != Math.rint(v);
    }
    assertTrue(fractional, "tanh states expected");
  }

  @Test
  void successive_training_with_init_and_out_on_the_same_file() throws IOException {
    ToolRun.Result r =
        ToolRun.run(
            "train",
            "--patterns",
            patterns.toString(),
            "--init",
            model.toString(),
            "--out",
            model.toString(),
            "--rule",
            "anti-hebbian");
    assertEquals(0, r.status(), r.toString());
    AmariHopfieldNetwork net = ModelFile.read(model);
    assertEquals(2, net.history().size());
    for (float v : net.weightMatrix()) {
      assertEquals(0f, v, "hebbian then anti-hebbian on the same patterns cancels");
    }
  }

  @Test
  void export_writes_the_dense_matrix() throws IOException {
    Path w = tmp.resolve("W.npy");
    assertEquals(
        0, ToolRun.run("export", "--model", model.toString(), "--weights", w.toString()).status());
    assertArrayEquals(ModelFile.read(model).weightMatrix(), Npy.read(w).toFloatArray());
    assertArrayEquals(new int[] {64, 64}, Npy.read(w).shape());
  }

  @Test
  void inspect_text_and_json() throws IOException {
    ToolRun.Result t = ToolRun.run("inspect", model.toString(), "--patterns", patterns.toString());
    assertEquals(0, t.status(), t.toString());
    assertTrue(t.out().contains("neurons            64"), t.out());
    assertTrue(t.out().contains("4 of 4 patterns are fixed points"), t.out());
    ToolRun.Result j = ToolRun.run("inspect", model.toString(), "--json");
    assertEquals(0, j.status());
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(j.out());
    assertEquals(64L, m.get("num_neurons"));
    assertEquals(4L, m.get("stored_patterns"));
    assertEquals(8L, m.get("capacity_estimate"));
    assertEquals(0.0, m.get("symmetry_error"));
  }

  /**
   * inspect --patterns recalls the patterns in batches: its count of fixed points and its energies
   * are those of one recall and one energy per pattern, past one batch and with a seeded
   * asynchronous order (whose permutation depends on the query's index in its batch).
   */
  @Test
  void inspect_fixed_points_and_energies_are_those_of_each_pattern_alone() throws IOException {
    SplittableRandom r = new SplittableRandom(8);
    int p = InspectCommand.FIXED_POINT_BATCH + 44;
    int n = 96;
    float[] x = new float[p * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextBoolean() ? 1 : -1;
    }
    Path many = tmp.resolve("many.npy");
    Npy.write(many, NdArray.ofFloats(x, p, n));
    // trained on a few of them: those are fixed points, most others are not
    Path few = tmp.resolve("few.npy");
    Npy.write(few, NdArray.ofFloats(java.util.Arrays.copyOf(x, 6 * n), 6, n));
    for (String update : new String[] {"sync", "async"}) {
      Path m = tmp.resolve(update + ".npz");
      ToolRun.Result t =
          ToolRun.run(
              "train", "--patterns", few.toString(), "--out", m.toString(), "--update", update);
      assertEquals(0, t.status(), t.toString());
      ToolRun.Result j =
          ToolRun.run("inspect", m.toString(), "--patterns", many.toString(), "--json");
      assertEquals(0, j.status(), j.toString());
      @SuppressWarnings("unchecked")
      Map<String, Object> got = (Map<String, Object>) Json.parse(j.out());
      AmariHopfieldNetwork net = ModelFile.read(m);
      var once = io.engram.network.RecallOptions.defaults().withMaxIterations(1);
      long fixed = 0;
      List<?> energies = (List<?>) got.get("pattern_energies");
      for (int k = 0; k < p; k++) {
        float[] row = java.util.Arrays.copyOfRange(x, k * n, (k + 1) * n);
        fixed += net.recall(row, once).converged() ? 1 : 0;
        // (JSON writes the float's shortest decimal)
        assertEquals(
            net.energy(row), ((Number) energies.get(k)).floatValue(), 0f, update + " " + k);
      }
      assertTrue(fixed >= 6 && fixed < p, update + ": " + fixed + " fixed points");
      assertEquals(fixed, got.get("patterns_that_are_fixed_points"), update);
    }
  }

  @Test
  void bad_input_gets_one_line_exit_2_and_changes_nothing() throws IOException {
    Path nan = tmp.resolve("nan.npy");
    Npy.write(nan, NdArray.ofDoubles(new double[] {1, Double.NaN}, 1, 2));
    Path shortQ = tmp.resolve("short.npy");
    Npy.write(shortQ, NdArray.ofFloats(new float[10], 10));
    Path csv = tmp.resolve("bad.csv");
    Files.writeString(csv, "1,2,3\n4,x,6\n", StandardCharsets.UTF_8);
    Path ragged = tmp.resolve("ragged.csv");
    Files.writeString(ragged, "1,2,3\n4,5\n", StandardCharsets.UTF_8);
    Path txt = tmp.resolve("notes.txt");
    Files.writeString(txt, "hello", StandardCharsets.UTF_8);
    Path out = tmp.resolve("never.npy");
    String m = model.toString();
    assertUserError(
        "non-finite value NaN", "train", "--patterns", nan.toString(), "--out", m, "--init", m);
    assertUserError(
        "non-finite value NaN",
        "train",
        "--patterns",
        nan.toString(),
        "--out",
        tmp.resolve("new.npz").toString());
    assertUserError(
        "line 2, column 2: 'x' is not a number", "train", "--patterns", csv.toString(), "--out", m);
    assertUserError("line 2 has 2 values", "train", "--patterns", ragged.toString(), "--out", m);
    assertUserError("does not end in .csv", "train", "--patterns", txt.toString(), "--out", m);
    assertUserError(
        "file not found", "train", "--patterns", tmp.resolve("missing.npy").toString(), "--out", m);
    Path two = tmp.resolve("two.npy");
    Npy.write(two, NdArray.ofFloats(new float[] {1, -1}, 1, 2));
    assertUserError(
        "have length 2, but",
        "train",
        "--patterns",
        patterns.toString(),
        "--patterns",
        two.toString(),
        "--out",
        m);
    assertUserError(
        "--rule must be", "train", "--patterns", patterns.toString(), "--out", m, "--rule", "oja");
    assertUserError(
        "temperature must be",
        "train",
        "--patterns",
        patterns.toString(),
        "--out",
        m,
        "--temperature",
        "0");
    assertUserError(
        "Invalid value",
        "train",
        "--patterns",
        patterns.toString(),
        "--out",
        m,
        "--zero-diagonal",
        "maybe");
    assertUserError("Missing required option", "train", "--out", m);
    // an order of another length than the patterns' N, with and without --init (it said "63
    // values do not fill shape [64]", from the model writer)
    Path o10 = orderFile(10);
    String orderError =
        "--order "
            + o10
            + ": has 10 entries, but the patterns have N = 64; an order is a"
            + " permutation of 0..N-1";
    assertUserError(
        orderError,
        "train",
        "--patterns",
        patterns.toString(),
        "--order",
        o10.toString(),
        "--out",
        tmp.resolve("new.npz").toString());
    assertUserError(
        orderError,
        "train",
        "--patterns",
        patterns.toString(),
        "--init",
        m,
        "--order",
        o10.toString(),
        "--out",
        m);
    assertUserError(
        "query 0 has length 10, but the model has N = 64",
        "recall",
        "--model",
        m,
        "--queries",
        shortQ.toString(),
        "--out",
        out.toString());
    assertUserError(
        "--iterations must be >= 0",
        "recall",
        "--model",
        m,
        "--queries",
        queries.toString(),
        "--out",
        out.toString(),
        "--iterations",
        "-2");
    assertUserError(
        "--order and --seed",
        "recall",
        "--model",
        m,
        "--queries",
        queries.toString(),
        "--out",
        out.toString(),
        "--order",
        shortQ.toString(),
        "--seed",
        "1");
    assertUserError(
        ": has 10 entries, but the model has N = 64; an order is a permutation of 0..N-1",
        "recall",
        "--model",
        m,
        "--queries",
        queries.toString(),
        "--out",
        out.toString(),
        "--order",
        orderFile(10).toString());
    assertUserError(
        "not a .npz",
        "recall",
        "--model",
        txt.toString(),
        "--queries",
        queries.toString(),
        "--out",
        out.toString());
    assertUserError(
        "does not exist",
        "recall",
        "--model",
        m,
        "--queries",
        queries.toString(),
        "--out",
        tmp.resolve("no/such/dir/o.npy").toString());
    assertUserError("'frobnicate' is not a command", "frobnicate");
  }

  private Path orderFile(int n) throws IOException {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = n - 1 - i;
    }
    Path f = tmp.resolve("order" + n + ".npy");
    Npy.write(f, NdArray.ofInts(o, n));
    return f;
  }

  @Test
  void help_on_every_command_has_examples() {
    for (String c : new String[] {"train", "recall", "export", "inspect", "demo"}) {
      ToolRun.Result r = ToolRun.run(c, "--help");
      assertEquals(0, r.status(), c);
      assertTrue(r.out().contains("Example"), c + ": " + r.out());
    }
  }
}
