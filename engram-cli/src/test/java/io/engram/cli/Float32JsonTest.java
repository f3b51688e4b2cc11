package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON reports write a float32 value as the shortest decimal that reads back as that float
 * ({@code 0.8}), not widened to a double ({@code 0.800000011920929}); float64 values (means,
 * polynomial energies) as doubles.
 */
class Float32JsonTest {

  @TempDir Path tmp;
  Path patterns;

  @BeforeEach
  void setUp() throws IOException {
    SplittableRandom r = new SplittableRandom(11);
    int p = 3;
    int n = 16;
    float[] x = new float[p * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextBoolean() ? 1 : -1;
    }
    patterns = tmp.resolve("p.npy");
    Npy.write(patterns, NdArray.ofFloats(x, p, n));
  }

  /** The text of each number written for {@code key} (every occurrence, arrays included). */
  private static List<String> numbers(String json, String key) {
    List<String> found = new ArrayList<>();
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(key) + "\": (\\[[^\\]]*\\]|[^,\\n}]+)").matcher(json);
    while (m.find()) {
      for (String v : m.group(1).replaceAll("[\\[\\]\\s]", " ").trim().split("[ ,]+")) {
        if (!v.isEmpty() && !v.equals("null")) {
          found.add(v);
        }
      }
    }
    return found;
  }

  /** Every number of {@code key} is the shortest decimal of a float. */
  private static void assertFloat32(String json, String key, int atLeast) {
    List<String> values = numbers(json, key);
    assertTrue(values.size() >= atLeast, key + " missing in " + json);
    for (String v : values) {
      assertEquals(Float.toString(Float.parseFloat(v)), v, key + " in " + json);
    }
  }

  private ToolRun.Result ok(String... args) {
    ToolRun.Result r = ToolRun.run(args);
    assertEquals(0, r.status(), r::toString);
    return r;
  }

  @Test
  void classicalInspectAndRecallWriteFloat32ValuesAsFloats() throws IOException {
    Path model = tmp.resolve("m.npz");
    ok(
        "train",
        "--patterns",
        patterns.toString(),
        "--out",
        model.toString(),
        "--activation",
        "tanh",
        "--temperature",
        "0.8",
        "--threshold",
        "0.1");
    String json =
        ok("inspect", model.toString(), "--json", "--patterns", patterns.toString()).out();
    assertTrue(json.contains("\"temperature\": 0.8,"), json);
    assertTrue(json.contains("\"threshold\": 0.1,"), json);
    for (String key :
        List.of("rho", "weight_min", "weight_max", "max_abs_diagonal", "pattern_energies")) {
      assertFloat32(json, key, 1);
    }
    assertFalse(json.contains("0.800000011920929"), json);

    Path report = tmp.resolve("r.json");
    ok(
        "recall",
        "--model",
        model.toString(),
        "--queries",
        patterns.toString(),
        "--out",
        tmp.resolve("r.npy").toString(),
        "--report",
        report.toString());
    assertFloat32(Files.readString(report), "energy", 3);
  }

  @Test
  void modernInspectAndRecallWriteFloat32ValuesAsFloats() throws IOException {
    Path model = tmp.resolve("mm.npz");
    ok(
        "train",
        "--memory",
        "modern",
        "--beta",
        "0.3",
        "--patterns",
        patterns.toString(),
        "--out",
        model.toString());
    String json =
        ok("inspect", model.toString(), "--json", "--patterns", patterns.toString()).out();
    assertTrue(json.contains("\"beta\": 0.3,"), json);
    assertFloat32(json, "pattern_energies", 3);

    Path report = tmp.resolve("r.json");
    ok(
        "recall",
        "--model",
        model.toString(),
        "--queries",
        patterns.toString(),
        "--out",
        tmp.resolve("r.npy").toString(),
        "--report",
        report.toString(),
        "--top-k",
        "2");
    String rep = Files.readString(report);
    assertFloat32(rep, "energy", 3);
    assertFloat32(rep, "weight", 9); // best and the two matches of each of 3 queries
  }

  @Test
  void polynomialEnergiesStayFloat64() throws IOException {
    Path model = tmp.resolve("mp.npz");
    ok(
        "train",
        "--memory",
        "modern",
        "--separation",
        "polynomial",
        "--degree",
        "3",
        "--patterns",
        patterns.toString(),
        "--out",
        model.toString());
    Path report = tmp.resolve("r.json");
    ok(
        "recall",
        "--model",
        model.toString(),
        "--queries",
        patterns.toString(),
        "--out",
        tmp.resolve("r.npy").toString(),
        "--report",
        report.toString());
    List<String> energies = numbers(Files.readString(report), "energy");
    assertEquals(3, energies.size());
    for (String v : energies) {
      assertEquals(Double.toString(Double.parseDouble(v)), v);
    }
  }
}
