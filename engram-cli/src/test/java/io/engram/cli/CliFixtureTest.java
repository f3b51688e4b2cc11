package io.engram.cli;

import static io.engram.fixtures.Fixtures.assertClose;
import static io.engram.fixtures.Fixtures.floats;
import static io.engram.fixtures.Fixtures.list;
import static io.engram.fixtures.Fixtures.map;
import static io.engram.fixtures.Fixtures.num;
import static io.engram.fixtures.Fixtures.opt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.fixtures.Fixtures;
import io.engram.internal.Json;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every CANNs reference case driven through the engram commands: train (with --init for successive
 * calls), recall (with --order for asynchronous cases, --report for steps, convergence and
 * energies), export (to compare W).
 *
 * <p>What the command line deliberately does differently is asserted as such: a recall query whose
 * length differs from the model's N is rejected (exit 2, model untouched) instead of resizing the
 * network, after which the rest of that case cannot follow the fixture; explicit resize steps and
 * lists of non-1-D arrays have no command-line form and are skipped.
 */
class CliFixtureTest {

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> everyCaseThroughTheCommands() throws IOException {
    List<Map<String, Object>> cases = Fixtures.cases();
    return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> run(c)));
  }

  private void run(Map<String, Object> c) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve((String) c.get("name")));
    Path model = dir.resolve("model.npz");
    Map<String, Object> m = map(c.get("model"));
    boolean modelExists = false;
    int n = (int) num(m.get("num_neurons"));
    double wAtol = 0;
    int stepNo = 0;
    for (Object so : list(c.get("steps"))) {
      Map<String, Object> step = map(so);
      String where = c.get("name") + " step " + stepNo++ + " (" + step.get("op") + ")";
      String op = (String) step.get("op");
      if (op.equals("resize")) {
        return; // no command-line form
      }
      if (op.equals("train")) {
        List<String> args = new ArrayList<>(List.of("train", "--out", model.toString()));
        if (modelExists) {
          args.add("--init");
          args.add(model.toString());
        } else {
          args.addAll(
              List.of(
                  "--activation", (String) m.get("activation"),
                  "--temperature", String.valueOf(num(m.get("temperature"))),
                  "--threshold", String.valueOf(num(m.get("threshold")))));
        }
        if ("antihebbian".equals(step.get("trainer"))) {
          args.addAll(List.of("--rule", "anti-hebbian"));
        }
        Map<String, Object> o = map(step.get("options"));
        args.addAll(
            List.of(
                "--subtract-mean", String.valueOf(opt(o, "subtract_mean")),
                "--zero-diagonal", String.valueOf(opt(o, "zero_diagonal")),
                "--normalize", String.valueOf(opt(o, "normalize_by_patterns")),
                "--preserve-on-resize", String.valueOf(opt(o, "preserve_on_resize"))));
        List<Path> files = patternFiles(step, dir, n);
        if (files == null) {
          return; // a list of non-1-D arrays: only the Java API can receive one
        }
        for (Path f : files) {
          args.add("--patterns");
          args.add(f.toString());
        }
        byte[] before = modelExists ? Files.readAllBytes(model) : null;
        ToolRun.Result r = ToolRun.run(args.toArray(new String[0]));
        if (step.containsKey("expect_error")) {
          assertEquals(2, r.status(), where + ": " + r);
          assertTrue(
              r.err().startsWith("engram: ") && r.err().strip().lines().count() == 1,
              where + ": " + r);
          if (before != null) {
            assertArrayEquals(
                before, Files.readAllBytes(model), where + ": model changed by a failed train");
          } else {
            assertTrue(!Files.exists(model), where);
          }
          Map<String, Object> e = map(step.get("expect_after_error"));
          wAtol = Math.max(wAtol, num(e.get("W_atol")));
          assertWeights(
              model,
              dir,
              floats((String) e.get("W")),
              (int) num(e.get("num_neurons")),
              wAtol,
              where);
          continue;
        }
        assertEquals(0, r.status(), where + ": " + r);
        modelExists = true;
        Map<String, Object> e = map(step.get("expect"));
        wAtol = num(e.get("W_atol"));
        n = (int) num(e.get("num_neurons"));
        assertWeights(model, dir, floats((String) e.get("W")), n, wAtol, where);
      } else {
        Path inputs = Fixtures.dir().resolve((String) step.get("inputs"));
        Path out = dir.resolve("out.npy");
        Path report = dir.resolve("report.json");
        Files.deleteIfExists(out);
        Files.deleteIfExists(report);
        List<String> args =
            new ArrayList<>(
                List.of(
                    "recall",
                    "--model",
                    model.toString(),
                    "--queries",
                    inputs.toString(),
                    "--out",
                    out.toString(),
                    "--report",
                    report.toString(),
                    "--iterations",
                    String.valueOf((int) num(step.get("num_iter")))));
        if (step.get("async_order") != null) {
          args.addAll(
              List.of(
                  "--order", Fixtures.dir().resolve((String) step.get("async_order")).toString()));
        }
        byte[] before = Files.readAllBytes(model);
        ToolRun.Result r = ToolRun.run(args.toArray(new String[0]));
        assertArrayEquals(before, Files.readAllBytes(model), where + ": recall changed the model");
        NdArray in = Npy.read(inputs);
        if (in.dim(in.rank() - 1) != n) {
          // the command line rejects a query of another length instead of resizing the model
          assertEquals(2, r.status(), where + ": " + r);
          assertTrue(r.err().contains("length") && r.err().contains("N = " + n), where + ": " + r);
          assertTrue(!Files.exists(out) && !Files.exists(report), where + ": output left behind");
          return;
        }
        assertEquals(0, r.status(), where + ": " + r);
        Map<String, Object> e = map(step.get("expect"));
        float[][] expected = Fixtures.array((String) e.get("outputs")).toFloatRows();
        float[][] got = Npy.read(out).toFloatRows();
        assertEquals(expected.length, got.length, where);
        @SuppressWarnings("unchecked")
        Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(report));
        List<Object> queries = list(rep.get("queries"));
        double energyAtol = num(e.get("energy_atol"));
        for (int q = 0; q < expected.length; q++) {
          String wq = where + " query " + q;
          assertClose(wq, expected[q], got[q], num(e.get("state_atol")));
          Map<String, Object> qr = map(queries.get(q));
          assertEquals(
              (int) num(list(e.get("steps")).get(q)), (int) num(qr.get("steps")), wq + " steps");
          assertEquals(list(e.get("converged")).get(q), qr.get("converged"), wq + " converged");
          double ee = num(list(e.get("energies")).get(q));
          double ge = num(qr.get("energy"));
          assertTrue(
              energyAtol == 0 ? (float) ge == (float) ee : Math.abs(ge - ee) <= energyAtol,
              wq + " energy " + ge + " vs " + ee);
        }
        assertWeights(model, dir, floats((String) e.get("W_after")), n, wAtol, where);
      }
    }
  }

  /** The pattern files of a train step, or null when the step cannot be expressed. */
  private static List<Path> patternFiles(Map<String, Object> step, Path dir, int n)
      throws IOException {
    if (step.get("patterns") != null) {
      return List.of(Fixtures.dir().resolve((String) step.get("patterns")));
    }
    List<Object> names = list(step.get("patterns_list"));
    if (names.isEmpty()) {
      Path empty = dir.resolve("empty.npy");
      Npy.write(empty, NdArray.ofFloats(new float[0], 0, n));
      return List.of(empty);
    }
    List<Path> files = new ArrayList<>();
    for (Object f : names) {
      if (Fixtures.array((String) f).rank() != 1) {
        return null;
      }
      files.add(Fixtures.dir().resolve((String) f));
    }
    return files;
  }

  private static void assertWeights(
      Path model, Path dir, float[] expected, int n, double atol, String where) throws IOException {
    Path w = dir.resolve("W.npy");
    ToolRun.Result r =
        ToolRun.run("export", "--model", model.toString(), "--weights", w.toString());
    assertEquals(0, r.status(), where + ": " + r);
    NdArray a = Npy.read(w);
    assertArrayEquals(new int[] {n, n}, a.shape(), where + " W shape");
    assertClose(where + " W", expected, a.toFloatArray(), atol);
  }
}
