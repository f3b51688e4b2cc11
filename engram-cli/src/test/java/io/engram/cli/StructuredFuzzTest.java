package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structure-aware fuzzing of every command that reads files: small valid inputs of each kind (model
 * files of every representation and memory kind, pattern and query {@code .npy} of every dtype,
 * CSV, PNG folders, orders) are mutated while keeping their containers valid (zip members rewritten
 * with recomputed CRC-32s, {@code .npy} headers rewritten with a correct length, PNG chunks with
 * recomputed CRCs), so that the checks behind the container (meta.json, headers, shapes, values)
 * are reached, and each is given to a command. Every case must end with exit 0 or 2; on 2 one line
 * on stderr and no file created or changed; never a stack trace or an exception's name; on 0 the
 * outputs hold finite numbers and a written model reads back.
 *
 * <p>Seeded: {@code -Dengram.fuzz.cases=N} runs more cases (the CI count is below), {@code
 * -Dengram.fuzz.seed=S} another sequence, {@code -Dengram.fuzz.only=K} case K alone (its inputs are
 * kept under {@code -Dengram.fuzz.keep=DIR}, to reproduce a failure by hand).
 */
class StructuredFuzzTest {

  /** Cases run in CI: a few seconds. */
  private static final int CI_CASES = 400;

  private static final int N = 8;

  @TempDir static Path dir;

  private static final Map<String, byte[]> models = new LinkedHashMap<>();
  private static final Map<String, byte[]> patternFiles = new LinkedHashMap<>();
  private static ExecutorService runner;

  private static final float[][] PATTERNS = {
    {1, -1, 1, -1, 1, -1, 1, 1}, {1, 1, -1, -1, 1, 1, -1, 1}, {-1, 1, 1, -1, -1, 1, 1, 1}
  };

  @BeforeAll
  static void seeds() throws IOException {
    runner =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "fuzz-case");
              t.setDaemon(true);
              return t;
            });
    Path s = Files.createDirectory(dir.resolve("seeds"));
    Files.writeString(s.resolve("p.csv"), csv(PATTERNS));
    Files.writeString(s.resolve("p1.csv"), csv(new float[][] {{1, 1, 1, -1, -1, 1, -1, -1}}));
    Files.write(
        s.resolve("ord.npy"), npy("<i4", false, new int[] {N}, ints(7, 6, 5, 4, 3, 2, 1, 0)));
    String p = s.resolve("p.csv").toString();
    String[][] trains = {
      {"heb", "--patterns", p},
      {"dense", "--patterns", p, "--weights", "dense"},
      {"anti", "--patterns", p, "--rule", "anti-hebbian"},
      {"pinv", "--patterns", p, "--rule", "pseudo-inverse"},
      {"pinvd", "--patterns", p, "--rule", "pseudo-inverse", "--weights", "dense"},
      {"storkey", "--patterns", p, "--rule", "storkey"},
      {"async", "--patterns", p, "--update", "async", "--order", s.resolve("ord.npy").toString()},
      {
        "tanh",
        "--patterns",
        p,
        "--update",
        "async",
        "--seed",
        "3",
        "--activation",
        "tanh",
        "--temperature",
        "0.5",
        "--normalize",
        "false",
        "--subtract-mean",
        "false"
      },
      {"softmax", "--patterns", p, "--memory", "modern"},
      {
        "poly", "--patterns", p, "--memory", "modern", "--separation", "polynomial", "--degree", "3"
      },
      {"rect", "--patterns", p, "--memory", "modern", "--separation", "rectified", "--degree", "2"},
      {"exp", "--patterns", p, "--memory", "modern", "--separation", "exp", "--beta", "0.5"},
    };
    for (String[] t : trains) {
      Path out = s.resolve(t[0] + ".npz");
      List<String> args = new ArrayList<>(List.of("train", "-q", "--out", out.toString()));
      args.addAll(Arrays.asList(t).subList(1, t.length));
      ToolRun.Result r = ToolRun.run(args.toArray(String[]::new));
      assertEquals(0, r.status(), () -> t[0] + ": " + r);
      models.put(t[0], Files.readAllBytes(out));
    }
    ToolRun.Result two =
        ToolRun.run(
            "train",
            "-q",
            "--init",
            s.resolve("heb.npz").toString(),
            "--patterns",
            s.resolve("p1.csv").toString(),
            "--out",
            s.resolve("heb2.npz").toString());
    assertEquals(0, two.status(), two::toString);
    models.put("heb2", Files.readAllBytes(s.resolve("heb2.npz")));

    float[] flat = new float[PATTERNS.length * N];
    for (int i = 0; i < PATTERNS.length; i++) {
      System.arraycopy(PATTERNS[i], 0, flat, i * N, N);
    }
    int[] shape = {PATTERNS.length, N};
    patternFiles.put("f4.npy", npy("<f4", false, shape, floats(flat, false)));
    patternFiles.put("f4be.npy", npy(">f4", false, shape, floats(flat, true)));
    patternFiles.put("f8.npy", npy("<f8", false, shape, doubles(flat)));
    patternFiles.put("f2.npy", npy("<f2", false, shape, halfs(flat)));
    patternFiles.put("i1.npy", npy("|i1", false, shape, bytes(flat)));
    patternFiles.put("i2.npy", npy("<i2", false, shape, shorts(flat)));
    patternFiles.put("i4.npy", npy("<i4", false, shape, ints(flat)));
    patternFiles.put("i8.npy", npy("<i8", false, shape, longs(flat)));
    patternFiles.put("u1.npy", npy("|u1", false, shape, bytes01(flat)));
    patternFiles.put("b1.npy", npy("|b1", false, shape, bytes01(flat)));
    patternFiles.put("f4-1d.npy", npy("<f4", false, new int[] {N}, floats(PATTERNS[0], false)));
    patternFiles.put("f4-fortran.npy", npy("<f4", true, shape, floats(transpose(flat), false)));
    patternFiles.put("p.csv", csv(PATTERNS).getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    runner.shutdownNow();
  }

  @Test
  void mutatedInputsFailCleanlyOrGiveFiniteResults() throws Exception {
    int cases = Integer.getInteger("engram.fuzz.cases", CI_CASES);
    long seed = Long.getLong("engram.fuzz.seed", 20261201L);
    int only = Integer.getInteger("engram.fuzz.only", -1);
    List<String> failures = new ArrayList<>();
    Map<String, Integer> outcomes = new java.util.TreeMap<>();
    long start = System.nanoTime();
    for (int k = 0; k < cases; k++) {
      if (only >= 0 && k != only) {
        continue;
      }
      String failure = runCase(k, new SplittableRandom(seed * 1_000_003L + k), outcomes);
      if (failure != null) {
        failures.add(failure);
        if (failures.size() >= 200) {
          break;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "StructuredFuzzTest: %d cases in %.1f s, outcomes %s, %d failures%n",
        cases,
        (System.nanoTime() - start) / 1e9,
        outcomes,
        failures.size());
    assertTrue(
        failures.isEmpty(), () -> failures.size() + " failures:\n" + String.join("\n\n", failures));
  }

  /** One case: its inputs, its command, its checks; the failure's description or null. */
  private static String runCase(int k, SplittableRandom rnd, Map<String, Integer> outcomes)
      throws Exception {
    String keep = System.getProperty("engram.fuzz.keep");
    Path work =
        keep != null
            ? Files.createDirectories(Path.of(keep, "case-" + k))
            : Files.createDirectory(dir.resolve("case-" + k));
    Path out = Files.createDirectory(work.resolve("out"));
    List<String> log = new ArrayList<>();
    List<String> args = new ArrayList<>();
    boolean modelCase = rnd.nextInt(100) < 55;
    String valid = work.resolve("q.npy").toString();
    Files.write(work.resolve("q.npy"), patternFiles.get("f4.npy"));
    Files.write(work.resolve("p.csv"), patternFiles.get("p.csv"));
    if (modelCase) {
      List<String> names = new ArrayList<>(models.keySet());
      String name = names.get(rnd.nextInt(names.size()));
      log.add("model " + name);
      byte[] model = mutateModel(models.get(name), rnd, log);
      Path m = work.resolve("m.npz");
      Files.write(m, model);
      modelCommand(rnd, args, m.toString(), valid, work, out, log);
    } else {
      String input = mutatedPatterns(rnd, work, log);
      patternCommand(rnd, args, input, valid, work, out, log);
    }
    log.add("args " + String.join(" ", args));
    Map<String, String> before = ToolRun.snapshot(work);
    Future<ToolRun.Result> f = runner.submit(() -> ToolRun.run(args.toArray(String[]::new)));
    ToolRun.Result r;
    try {
      r = f.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      runner.shutdownNow();
      runner = Executors.newSingleThreadExecutor();
      return describe(k, log, "no answer in 60 s (a hang)", null);
    } catch (java.util.concurrent.ExecutionException e) {
      return describe(k, log, "threw " + e.getCause(), null);
    }
    outcomes.merge(args.get(0) + " " + r.status(), 1, Integer::sum);
    String problem = check(r, before, work, out, args);
    if (problem != null) {
      return describe(k, log, problem, r);
    }
    if (keep == null) {
      deleteTree(work);
    }
    return null;
  }

  private static String describe(int k, List<String> log, String problem, ToolRun.Result r) {
    return "case "
        + k
        + ": "
        + problem
        + "\n  "
        + String.join("\n  ", log)
        + (r == null ? "" : "\n  " + r.toString().replace("\n", "\n  "));
  }

  private static String check(
      ToolRun.Result r, Map<String, String> before, Path work, Path out, List<String> args)
      throws IOException {
    String err = r.err();
    if (err.contains("Exception")
        || err.contains("\tat ")
        || err.contains("at io.")
        || err.contains("Error:")
        || err.contains("java.")
        || err.contains("cannot be cast")
        || r.out().contains("Exception")) {
      return "an exception's text on the output";
    }
    if (r.status() == 2) {
      if (err.strip().contains("\n") || err.isBlank()) {
        return "exit 2 without exactly one line on stderr";
      }
      if (!err.startsWith("engram: ")) {
        return "exit 2 with a line that does not start with 'engram: '";
      }
      if (!ToolRun.snapshot(work).equals(before)) {
        return "exit 2 but files changed";
      }
      return null;
    }
    if (r.status() != 0) {
      return "exit " + r.status();
    }
    if (r.out().contains("NaN") || r.out().matches("(?s).*(?<![a-z])-?Infinity.*")) {
      return "NaN or Infinity on stdout with exit 0";
    }
    try (Stream<Path> files = Files.walk(out)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String bad = checkOutput(p);
        if (bad != null) {
          return "exit 0 but " + out.relativize(p) + " " + bad;
        }
      }
    }
    return null;
  }

  private static String checkOutput(Path p) throws IOException {
    String name = p.getFileName().toString();
    if (name.endsWith(".npy")) {
      NdArray a = Npy.read(p);
      double[] v = a.toDoubleArray();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isFinite(v[i])) {
          return "holds " + v[i] + " at " + i;
        }
      }
    } else if (name.equals("cap.csv")) {
      String s = Files.readString(p);
      if (s.contains("NaN") || s.contains("Infinity")) {
        return "holds NaN or Infinity";
      }
    } else if (name.endsWith(".csv")) {
      for (String line : Files.readAllLines(p)) {
        for (String cell : line.split(",", -1)) {
          if (cell.isEmpty() || !Double.isFinite(Double.parseDouble(cell))) {
            return "holds the cell '" + cell + "'";
          }
        }
      }
    } else if (name.endsWith(".json")) {
      String s = Files.readString(p);
      if (s.contains("NaN") || s.contains("Infinity")) {
        return "holds NaN or Infinity";
      }
    } else if (name.endsWith(".npz")) {
      ToolRun.Result again = ToolRun.run("inspect", p.toString());
      if (again.status() != 0) {
        return "was written but does not read back: " + again.err().strip();
      }
    }
    return null;
  }

  // ---- commands

  private static void modelCommand(
      SplittableRandom rnd,
      List<String> a,
      String m,
      String q,
      Path work,
      Path out,
      List<String> log) {
    String p = work.resolve("p.csv").toString();
    switch (rnd.nextInt(9)) {
      case 0, 1, 2 -> {
        a.addAll(List.of("recall", "--model", m, "--queries", q, "-q"));
        a.addAll(List.of("--out", out.resolve(rnd.nextInt(4) == 0 ? "r.csv" : "r.npy").toString()));
        if (rnd.nextBoolean()) {
          a.addAll(List.of("--report", out.resolve("r.json").toString()));
        }
        if (rnd.nextInt(4) == 0) {
          a.addAll(List.of("--iterations", Integer.toString(rnd.nextInt(6))));
        }
        if (rnd.nextInt(5) == 0) {
          String[][] dyn = {
            {"--activation", "tanh"}, {"--activation", "sigmoid", "--temperature", "1e-30"},
            {"--update", "async", "--seed", "9"}, {"--threshold", "0.5"},
            {"--activation", "tanh", "--energy-tolerance", "1e-3"}, {"--top-k", "2"}
          };
          a.addAll(List.of(dyn[rnd.nextInt(dyn.length)]));
        }
        if (rnd.nextInt(6) == 0) {
          a.addAll(List.of("--grid", out.resolve("g.png").toString()));
        }
        if (rnd.nextInt(6) == 0) {
          a.addAll(List.of("--energy-plot", out.resolve("e.png").toString()));
        }
      }
      case 3, 4 -> {
        a.addAll(List.of("inspect", m));
        if (rnd.nextBoolean()) {
          a.add("--json");
        }
        if (rnd.nextBoolean()) {
          a.addAll(List.of("--patterns", p));
        }
        if (rnd.nextInt(5) == 0) {
          a.addAll(List.of("--heatmap", out.resolve("h.png").toString()));
        }
      }
      case 5 ->
          a.addAll(
              List.of("export", "--model", m, "--weights", out.resolve("W.npy").toString(), "-q"));
      case 6, 7 -> {
        String target = rnd.nextBoolean() ? m : out.resolve("m2.npz").toString();
        a.addAll(List.of("train", "-q", "--init", m, "--patterns", p, "--out", target));
      }
      default -> {
        a.addAll(
            List.of(
                "recall",
                "--model",
                m,
                "--queries",
                p,
                "-q",
                "--out",
                out.resolve("r.npy").toString()));
        a.addAll(List.of("--update", "async", "--seed", "5"));
      }
    }
  }

  private static void patternCommand(
      SplittableRandom rnd,
      List<String> a,
      String x,
      String q,
      Path work,
      Path out,
      List<String> log)
      throws IOException {
    Path seeds = dir.resolve("seeds");
    String[] kinds = {"heb", "dense", "softmax", "poly", "pinv", "storkey"};
    String model = seeds.resolve(kinds[rnd.nextInt(kinds.length)] + ".npz").toString();
    switch (rnd.nextInt(8)) {
      case 0, 1 -> {
        a.addAll(List.of("train", "-q", "--patterns", x, "--out", out.resolve("m.npz").toString()));
        String[][] rules = {
          {},
          {"--rule", "storkey"},
          {"--rule", "pseudo-inverse"},
          {"--rule", "anti-hebbian"},
          {"--memory", "modern"},
          {"--weights", "dense"},
          {"--memory", "modern", "--separation", "polynomial", "--degree", "3"}
        };
        a.addAll(List.of(rules[rnd.nextInt(rules.length)]));
      }
      case 2, 3 -> {
        a.addAll(List.of("recall", "-q", "--model", model, "--queries", x));
        a.addAll(List.of("--out", out.resolve(rnd.nextInt(4) == 0 ? "r.csv" : "r.npy").toString()));
        if (rnd.nextBoolean()) {
          a.addAll(List.of("--report", out.resolve("r.json").toString()));
        }
      }
      case 4 -> {
        a.addAll(List.of("corrupt", "-q", "--patterns", x, "--seed", "1"));
        String[] outs = {"c.npy", "c.csv", "imgs/"};
        a.addAll(
            List.of(
                "--out",
                out.resolve(outs[rnd.nextInt(outs.length)]) + (rnd.nextInt(3) == 0 ? "/" : "")));
        if (rnd.nextBoolean()) {
          a.addAll(List.of("--erase", "0.25"));
        }
      }
      case 5 ->
          a.addAll(
              List.of(
                  "capacity",
                  "-q",
                  "--data",
                  x,
                  "--patterns",
                  "1,2",
                  "--trials",
                  "2",
                  "--json",
                  out.resolve("cap.json").toString(),
                  "--csv",
                  out.resolve("cap.csv").toString()));
      case 6 -> {
        a.addAll(List.of("inspect", model, "--patterns", x));
        if (rnd.nextBoolean()) {
          a.add("--json");
        }
      }
      default -> {
        // the cue file is valid; the mutated one is --stored or --order
        a.addAll(
            List.of(
                "recall",
                "-q",
                "--model",
                seeds.resolve("heb.npz").toString(),
                "--queries",
                q,
                "--out",
                out.resolve("r.npy").toString()));
        if (rnd.nextBoolean()) {
          a.addAll(List.of("--stored", x, "--grid", out.resolve("g.png").toString()));
        } else {
          Path o = work.resolve("order.npy");
          byte[] ord = npy("<i4", false, new int[] {N}, ints(0, 2, 4, 6, 1, 3, 5, 7));
          Files.write(o, rnd.nextBoolean() ? ord : mutateNpy(ord, rnd, log));
          a.addAll(List.of("--update", "async", "--order", o.toString()));
        }
      }
    }
  }

  // ---- pattern inputs

  private static String mutatedPatterns(SplittableRandom rnd, Path work, List<String> log)
      throws IOException {
    int kind = rnd.nextInt(10);
    if (kind < 6) {
      List<String> names = new ArrayList<>(patternFiles.keySet());
      names.remove("p.csv");
      String name = names.get(rnd.nextInt(names.size()));
      log.add("patterns " + name);
      byte[] m = mutateNpy(patternFiles.get(name), rnd, log);
      Path f = work.resolve("x.npy");
      Files.write(f, m);
      return f.toString();
    }
    if (kind < 8) {
      log.add("patterns p.csv");
      Path f = work.resolve("x.csv");
      Files.write(f, mutateCsv(csv(PATTERNS), rnd, log).getBytes(StandardCharsets.UTF_8));
      return f.toString();
    }
    log.add("patterns PNG folder");
    Path d = Files.createDirectory(work.resolve("imgs"));
    int count = 1 + rnd.nextInt(3);
    for (int i = 0; i < count; i++) {
      Files.write(d.resolve("i" + i + ".png"), mutatePng(rnd, i, log));
    }
    return d.toString();
  }

  private static String mutateCsv(String text, SplittableRandom rnd, List<String> log) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n")));
    String[] cells = {
      "nan", "NaN", "inf", "-Infinity", "1e39", "-1e39", "1e308", "1e-320", "-0", "-0.0", "",
      " 1", "+1", "0x1p3", "1f", "１", "1e999999999", "3.4028235e38", "0.5", "2", "1,", "\"1\"",
      "1e-45", "99999999999999999999999999999", "1_0", "٣"
    };
    int n = 1 + rnd.nextInt(3);
    for (int t = 0; t < n; t++) {
      int op = rnd.nextInt(8);
      int li = rnd.nextInt(lines.size());
      List<String> row = new ArrayList<>(Arrays.asList(lines.get(li).split(",", -1)));
      switch (op) {
        case 0, 1, 2 -> {
          int ci = rnd.nextInt(row.size());
          String c = cells[rnd.nextInt(cells.length)];
          row.set(ci, c);
          log.add("csv cell " + li + "," + ci + " = " + c);
        }
        case 3 -> {
          row.remove(rnd.nextInt(row.size()));
          log.add("csv line " + li + " one cell fewer");
        }
        case 4 -> {
          row.add("1");
          log.add("csv line " + li + " one cell more");
        }
        case 5 -> {
          lines.add(li, "");
          log.add("csv empty line at " + li);
        }
        case 6 -> {
          lines.set(0, "\uFEFF" + lines.get(0));
          log.add("csv BOM");
          continue;
        }
        default -> {
          lines.replaceAll(l -> l.replace(",", rnd.nextBoolean() ? ";" : "\t"));
          log.add("csv other separator");
          continue;
        }
      }
      lines.set(Math.min(li, lines.size() - 1), String.join(",", row));
    }
    String sep = rnd.nextInt(5) == 0 ? "\r\n" : "\n";
    return String.join(sep, lines) + (rnd.nextBoolean() ? sep : "");
  }

  private static byte[] mutatePng(SplittableRandom rnd, int i, List<String> log)
      throws IOException {
    int[] types = {
      BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_INT_RGB,
      BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_INDEXED
    };
    int type = types[rnd.nextInt(types.length)];
    int w = 4;
    int h = 2;
    if (rnd.nextInt(4) == 0) {
      int[][] sizes = {{1, 1}, {8, 1}, {2, 4}, {3, 3}, {1, 8}, {16, 16}};
      int[] s = sizes[rnd.nextInt(sizes.length)];
      w = s[0];
      h = s[1];
    }
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rnd.nextBoolean() ? 0xFFFFFFFF : rnd.nextInt());
      }
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ImageIO.write(img, "png", b);
    byte[] png = b.toByteArray();
    log.add("png " + i + ": " + w + "x" + h + " type " + type);
    if (rnd.nextInt(3) != 0) {
      return png;
    }
    // chunk-level: IHDR fields or IDAT length, CRCs recomputed
    List<byte[]> chunks = pngChunks(png);
    int op = rnd.nextInt(5);
    byte[] ihdr = chunks.get(0);
    ByteBuffer hb = ByteBuffer.wrap(ihdr, 8, 13);
    switch (op) {
      case 0 -> {
        int[] dims = {0, 1, 65535, 100000, Integer.MAX_VALUE, -1, 46341};
        int dw = dims[rnd.nextInt(dims.length)];
        int dh = dims[rnd.nextInt(dims.length)];
        hb.putInt(8, dw).putInt(12, dh);
        log.add("png " + i + " IHDR declares " + dw + "x" + dh);
      }
      case 1 -> {
        int[] depths = {0, 1, 2, 3, 16, 32, 7};
        ihdr[16] = (byte) depths[rnd.nextInt(depths.length)];
        log.add("png " + i + " bit depth " + ihdr[16]);
      }
      case 2 -> {
        int[] colors = {0, 2, 3, 4, 6, 1, 7};
        ihdr[17] = (byte) colors[rnd.nextInt(colors.length)];
        log.add("png " + i + " color type " + ihdr[17]);
      }
      case 3 -> {
        for (int c = 0; c < chunks.size(); c++) {
          if (new String(chunks.get(c), 4, 4, StandardCharsets.ISO_8859_1).equals("IDAT")) {
            byte[] data = Arrays.copyOfRange(chunks.get(c), 8, chunks.get(c).length - 4);
            data = Arrays.copyOf(data, rnd.nextInt(data.length + 1));
            chunks.set(c, chunk("IDAT", data));
            log.add("png " + i + " IDAT cut to " + data.length);
            break;
          }
        }
        return join(chunks, png);
      }
      default -> {
        chunks.remove(chunks.size() - 1);
        log.add("png " + i + " no IEND");
        return join(chunks, png);
      }
    }
    chunks.set(0, chunk("IHDR", Arrays.copyOfRange(ihdr, 8, 21)));
    return join(chunks, png);
  }

  private static List<byte[]> pngChunks(byte[] png) {
    List<byte[]> chunks = new ArrayList<>();
    int at = 8;
    while (at + 12 <= png.length) {
      int len = ByteBuffer.wrap(png, at, 4).getInt();
      chunks.add(Arrays.copyOfRange(png, at, at + 12 + len));
      at += 12 + len;
    }
    return chunks;
  }

  private static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 4, 4 + data.length);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  private static byte[] join(List<byte[]> chunks, byte[] png) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(png, 0, 8);
    for (byte[] c : chunks) {
      b.writeBytes(c);
    }
    return b.toByteArray();
  }

  // ---- .npy

  /** A parsed .npy: its header dictionary's text and its data. */
  private record NpyParts(int major, String header, byte[] data) {}

  private static NpyParts parseNpy(byte[] b) {
    int major = b[6];
    int len;
    int at;
    if (major == 1) {
      len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
      at = 10;
    } else {
      len = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      at = 12;
    }
    String header = new String(b, at, len, StandardCharsets.ISO_8859_1);
    return new NpyParts(major, header, Arrays.copyOfRange(b, at + len, b.length));
  }

  static byte[] npy(String descr, boolean fortran, int[] shape, byte[] data) {
    StringBuilder s = new StringBuilder("(");
    for (int d : shape) {
      s.append(d).append(", ");
    }
    String shp = shape.length == 1 ? "(" + shape[0] + ",)" : s.substring(0, s.length() - 2) + ")";
    if (shape.length == 0) {
      shp = "()";
    }
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': "
            + shp
            + ", }";
    return npyRaw(1, dict, data);
  }

  private static byte[] npyRaw(int major, String dict, byte[] data) {
    int pre = major == 1 ? 10 : 12;
    int total = pre + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String h = dict + " ".repeat(pad) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(pre + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.ISO_8859_1))
        .put((byte) major)
        .put((byte) 0);
    if (major == 1) {
      b.putShort((short) h.length());
    } else {
      b.putInt(h.length());
    }
    b.put(h.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    return b.array();
  }

  private static final Pattern DESCR = Pattern.compile("'descr': *'([^']*)'");
  private static final Pattern SHAPE = Pattern.compile("'shape': *\\(([^)]*)\\)");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order': *(True|False)");

  static byte[] mutateNpy(byte[] npy, SplittableRandom rnd, List<String> log) {
    NpyParts p;
    try {
      p = parseNpy(npy);
    } catch (RuntimeException notNpy) {
      log.add("npy (not an .npy: kept)");
      return npy;
    }
    String h = p.header().strip();
    byte[] data = p.data();
    int major = p.major();
    int n = 1 + rnd.nextInt(2);
    for (int t = 0; t < n; t++) {
      int op = rnd.nextInt(12);
      switch (op) {
        case 10 -> {
          // every value scaled (float32 or float64 data): structure and signs kept
          boolean f8 = h.contains("'<f8'");
          if (!f8 && !h.contains("'<f4'")) {
            continue;
          }
          double[] factors = {1e10, 1e15, 1e19, 1e30, 1e-20, 1e-38, 1e-44, -1, 0, 1e5, 1e37, 1e200};
          double f = factors[rnd.nextInt(factors.length)];
          ByteBuffer b = ByteBuffer.wrap(data.clone()).order(ByteOrder.LITTLE_ENDIAN);
          int size = f8 ? 8 : 4;
          for (int at = 0; at + size <= b.capacity(); at += size) {
            if (f8) {
              b.putDouble(at, b.getDouble(at) * f);
            } else {
              b.putFloat(at, (float) (b.getFloat(at) * f));
            }
          }
          data = b.array();
          log.add("npy every value times " + f);
        }
        case 0 -> {
          String[] descrs = {
            "<f4", ">f4", "<f8", ">f8", "<f2", "|i1", "|u1", "|b1", "<i2", ">i2", "<i4", "<i8",
            "<u2", "<u4", "<u8", ">u8", "|O", "<c8", "|V4", "<U1", "|S4", "f4", "<f16", "=f4",
            "<m8", "<M8[s]", "", "<f3", "<i16"
          };
          String d = descrs[rnd.nextInt(descrs.length)];
          h = DESCR.matcher(h).replaceFirst(Matcher.quoteReplacement("'descr': '" + d + "'"));
          log.add("npy descr " + d);
        }
        case 1, 2 -> {
          String[] shapes = {
            "3, 8",
            "8, 3",
            "24,",
            "1, 24",
            "0, 8",
            "3, 0",
            "0,",
            "",
            "3, 8, 1",
            "1, 3, 8",
            "3, 9",
            "4, 8",
            "2, 8",
            "8,",
            "9,",
            "2147483647, 8",
            "3, 2147483647",
            "-1, 8",
            "3, -8",
            "4294967296, 8",
            "99999999999999999999, 8",
            "1, 1",
            "3,8,",
            "3 , 8"
          };
          String s = shapes[rnd.nextInt(shapes.length)];
          h = SHAPE.matcher(h).replaceFirst(Matcher.quoteReplacement("'shape': (" + s + ")"));
          log.add("npy shape (" + s + ")");
        }
        case 3 -> {
          String[] f = {"True", "False", "1", "None", "'False'"};
          String v = f[rnd.nextInt(f.length)];
          h = FORTRAN.matcher(h).replaceFirst("'fortran_order': " + v);
          log.add("npy fortran_order " + v);
        }
        case 4 -> {
          int[] majors = {1, 2, 3};
          major = majors[rnd.nextInt(majors.length)];
          log.add("npy version " + major + ".0");
        }
        case 5 -> {
          int cut =
              rnd.nextBoolean() ? rnd.nextInt(data.length + 1) : data.length + 1 + rnd.nextInt(40);
          data = Arrays.copyOf(data, cut);
          log.add("npy data length " + cut);
        }
        case 6 -> {
          String[] edits = {
            "{'descr': '<f4', 'shape': (3, 8), }",
            "{'descr': '<f4', 'fortran_order': False, }",
            "{}",
            "[]",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 8), 'extra': 1, }",
            "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (3, 8), }",
            "{\"descr\": \"<f4\", \"fortran_order\": false, \"shape\": [3, 8]}",
            "",
            "{'descr'",
            "{'shape': (3, 8), 'fortran_order': False, 'descr': '<f4', }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 8L), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 8), }\u00e9"
          };
          h = edits[rnd.nextInt(edits.length)];
          log.add("npy header " + h);
        }
        default -> {
          data = mutateValues(h, data, rnd, log);
        }
      }
    }
    return npyRaw(major, h, data);
  }

  /** Special values written over a few elements, encoded as the header's dtype says. */
  private static byte[] mutateValues(
      String h, byte[] data, SplittableRandom rnd, List<String> log) {
    Matcher m = DESCR.matcher(h);
    String d = m.find() ? m.group(1) : "<f4";
    int size =
        switch (d.length() < 2 ? "" : d.substring(1)) {
          case "f4", "i4", "u4" -> 4;
          case "f8", "i8", "u8" -> 8;
          case "f2", "i2", "u2" -> 2;
          case "i1", "u1", "b1" -> 1;
          default -> 4;
        };
    if (data.length < size) {
      return data;
    }
    byte[] copy = data.clone();
    ByteOrder order = d.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer b = ByteBuffer.wrap(copy).order(order);
    double[] specials = {
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      1e38,
      -1e38,
      3.4028235e38,
      1.4e-45,
      1e-40,
      -0.0,
      0,
      1e20,
      65504,
      2,
      0.5,
      1e300,
      4.9e-324,
      1e-310,
      -3.4028235e38,
      1e19,
      1.0e10
    };
    int count = rnd.nextInt(4) == 0 ? copy.length / size : 1 + rnd.nextInt(3);
    double v = specials[rnd.nextInt(specials.length)];
    boolean all = count == copy.length / size;
    log.add("npy values " + (all ? "all" : count) + " = " + v);
    for (int c = 0; c < count; c++) {
      int i = (all ? c : rnd.nextInt(copy.length / size)) * size;
      if (!all && c > 0 && rnd.nextBoolean()) {
        v = specials[rnd.nextInt(specials.length)];
        log.add("npy value " + c + " = " + v);
      }
      String kind = d.length() < 2 ? "f" : d.substring(1, 2);
      if (kind.equals("f")) {
        switch (size) {
          case 8 -> b.putDouble(i, v);
          case 2 -> b.putShort(i, half((float) v));
          default -> b.putFloat(i, (float) v);
        }
      } else {
        long[] ints = {Long.MAX_VALUE, Long.MIN_VALUE, -1, 255, 2, 0, 1L << 31, -(1L << 31) - 1};
        long iv = ints[rnd.nextInt(ints.length)];
        switch (size) {
          case 8 -> b.putLong(i, iv);
          case 4 -> b.putInt(i, (int) iv);
          case 2 -> b.putShort(i, (short) iv);
          default -> b.put(i, (byte) iv);
        }
      }
    }
    return copy;
  }

  // ---- models

  private record Member(String name, byte[] data) {}

  private static List<Member> unzip(byte[] zip) throws IOException {
    List<Member> ms = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        ms.add(new Member(e.getName(), in.readAllBytes()));
      }
    }
    return ms;
  }

  /** A zip of these members, stored (or some deflated), with correct CRCs and sizes. */
  private static byte[] zip(List<Member> ms, boolean deflate) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ByteArrayOutputStream central = new ByteArrayOutputStream();
    for (Member m : ms) {
      byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
      CRC32 crc = new CRC32();
      crc.update(m.data());
      byte[] stored = m.data();
      int method = 0;
      if (deflate) {
        Deflater def = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        def.setInput(m.data());
        def.finish();
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!def.finished()) {
          c.write(buf, 0, def.deflate(buf));
        }
        def.end();
        stored = c.toByteArray();
        method = 8;
      }
      int offset = body.size();
      ByteBuffer lh = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
      lh.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) method);
      lh.putShort((short) 0).putShort((short) 0x21).putInt((int) crc.getValue());
      lh.putInt(stored.length)
          .putInt(m.data().length)
          .putShort((short) name.length)
          .putShort((short) 0);
      body.writeBytes(lh.array());
      body.writeBytes(name);
      body.writeBytes(stored);
      ByteBuffer ch = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
      ch.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0);
      ch.putShort((short) method).putShort((short) 0).putShort((short) 0x21);
      ch.putInt((int) crc.getValue()).putInt(stored.length).putInt(m.data().length);
      ch.putShort((short) name.length).putShort((short) 0).putShort((short) 0);
      ch.putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset);
      central.writeBytes(ch.array());
      central.writeBytes(name);
    }
    ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
    end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
    end.putShort((short) ms.size()).putShort((short) ms.size());
    end.putInt(central.size()).putInt(body.size()).putShort((short) 0);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(body.toByteArray());
    all.writeBytes(central.toByteArray());
    all.writeBytes(end.array());
    return all.toByteArray();
  }

  static byte[] mutateModel(byte[] model, SplittableRandom rnd, List<String> log)
      throws IOException {
    List<Member> ms = unzip(model);
    // mostly one mutation, so that each reaches the checks behind the others
    int n = rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(2) : 1;
    for (int t = 0; t < n; t++) {
      int op = rnd.nextInt(18);
      int i = rnd.nextInt(ms.size());
      Member m = ms.get(i);
      switch (op) {
        case 0, 1, 2, 3, 12, 13 -> {
          int j = indexOf(ms, "meta.json");
          if (j < 0) {
            continue;
          }
          String meta = mutateJson(new String(ms.get(j).data(), StandardCharsets.UTF_8), rnd, log);
          byte[] bytes = meta.getBytes(StandardCharsets.UTF_8);
          if (rnd.nextInt(30) == 0) {
            bytes = Arrays.copyOf(bytes, bytes.length + 2);
            bytes[bytes.length - 2] = (byte) 0xC3;
            bytes[bytes.length - 1] = (byte) 0x28;
            log.add("meta.json ends in bytes that are not UTF-8");
          }
          ms.set(j, new Member("meta.json", bytes));
        }
        case 4, 5, 6 -> {
          if (!m.name().endsWith(".npy")) {
            continue;
          }
          log.add("member " + m.name() + ":");
          ms.set(i, new Member(m.name(), mutateNpy(m.data(), rnd, log)));
        }
        case 16, 17 -> {
          // every float32 value scaled: the structure and the signs kept, the magnitudes not
          if (!m.name().endsWith(".npy")) {
            continue;
          }
          try {
            NpyParts parts = parseNpy(m.data());
            if (!parts.header().contains("'<f4'")) {
              continue;
            }
            double[] factors = {1e10, 1e15, 1e19, 1e30, 1e-20, 1e-38, -1, 0, 1e5};
            double f = factors[rnd.nextInt(factors.length)];
            ByteBuffer b = ByteBuffer.wrap(parts.data().clone()).order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at + 4 <= b.capacity(); at += 4) {
              b.putFloat(at, (float) (b.getFloat(at) * f));
            }
            log.add("member " + m.name() + ": every value times " + f);
            ms.set(
                i, new Member(m.name(), npyRaw(parts.major(), parts.header().strip(), b.array())));
          } catch (RuntimeException notNpy) {
            continue;
          }
        }
        case 14, 15 -> {
          // values only, the header kept: what the weights or patterns hold
          if (!m.name().endsWith(".npy")) {
            continue;
          }
          log.add("member " + m.name() + ":");
          try {
            NpyParts parts = parseNpy(m.data());
            byte[] data = mutateValues(parts.header(), parts.data(), rnd, log);
            ms.set(i, new Member(m.name(), npyRaw(parts.major(), parts.header().strip(), data)));
          } catch (RuntimeException notNpy) {
            continue;
          }
        }
        case 7 -> {
          ms.remove(i);
          log.add("member " + m.name() + " removed");
          if (ms.isEmpty()) {
            ms.add(new Member("meta.json", "{}".getBytes(StandardCharsets.UTF_8)));
          }
        }
        case 8 -> {
          ms.add(rnd.nextInt(ms.size() + 1), new Member(m.name(), m.data()));
          log.add("member " + m.name() + " twice");
        }
        case 9 -> {
          String[] names = {
            "W.npy",
            "X.npy",
            "T0.npy",
            "T1.npy",
            "V.npy",
            "order.npy",
            "state.npy",
            "base_diagonal.npy",
            "projection_diagonal.npy",
            "extra.npy",
            "W",
            "meta.json.npy",
            "T-1.npy",
            "T01.npy",
            "../W.npy",
            "w.npy",
            "dir/",
            "T2147483648.npy"
          };
          String name = names[rnd.nextInt(names.length)];
          byte[] data =
              rnd.nextBoolean()
                  ? m.data()
                  : npy("<f4", false, new int[] {N}, floats(new float[N], false));
          ms.add(rnd.nextInt(ms.size() + 1), new Member(name, data));
          log.add(
              "member "
                  + name
                  + " added (bytes of "
                  + (data == m.data() ? m.name() : "zeros(8)")
                  + ")");
        }
        case 10 -> {
          Collections.shuffle(ms, new java.util.Random(rnd.nextLong()));
          log.add("members reordered");
        }
        default -> {
          int j = rnd.nextInt(ms.size());
          Member o = ms.get(j);
          ms.set(i, new Member(m.name(), o.data()));
          ms.set(j, new Member(o.name(), m.data()));
          log.add("members " + m.name() + " and " + o.name() + " swapped contents");
        }
      }
    }
    boolean deflate = rnd.nextInt(8) == 0;
    if (deflate) {
      log.add("deflated");
    }
    return zip(ms, deflate);
  }

  private static int indexOf(List<Member> ms, String name) {
    for (int i = 0; i < ms.size(); i++) {
      if (ms.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static final Pattern JSON_VALUE = Pattern.compile("^(\\s*\"([^\"]+)\": )(.*?)(,?)$");

  private static final String[] HOSTILE_VALUES = {
    "-1",
    "0",
    "1",
    "2",
    "7",
    "9",
    "16",
    "-0",
    "1.5",
    "8.0",
    "1e308",
    "1e999",
    "-1e999",
    "1e-400",
    "NaN",
    "Infinity",
    "-Infinity",
    "null",
    "true",
    "false",
    "\"x\"",
    "\"8\"",
    "\"\"",
    "[]",
    "{}",
    "2147483647",
    "2147483648",
    "-2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999",
    "3.4028236e38",
    "1e-45",
    "4.9e-324",
    "0x10",
    "010",
    "+1",
    ".5",
    "\"\\u0000\"",
    "\"ünï\u00e9\"",
    "\"\\ud800\"",
    "[1, 2]",
    "{\"a\": 1}",
    "\"sync\"",
    "\"async\"",
    "\"dense\"",
    "\"low-rank\"",
    "\"projection\"",
    "\"modern\"",
    "\"classical\"",
    "\"softmax\"",
    "\"polynomial\"",
    "\"exp\"",
    "\"rectified\"",
    "\"tanh\"",
    "\"sigmoid\"",
    "\"hebbian\"",
    "\"storkey\"",
    "\"pseudo-inverse\"",
    "\"anti-hebbian\"",
    "\"true\"",
    "\"false\"",
    "1e-30",
    "1e30",
    "3",
    "4",
    "24",
    "30",
    "31",
    "0.001",
    "1e-20",
    "1e20",
    "-1e-45",
    "5e-324",
    "1e-38",
    "3e38",
    "-3e38",
    "1e15",
    "0.1",
    "100",
    "-2"
  };

  static String mutateJson(String json, SplittableRandom rnd, List<String> log) {
    List<String> lines = new ArrayList<>(Arrays.asList(json.split("\n", -1)));
    int op = rnd.nextInt(12);
    int li = rnd.nextInt(lines.size());
    switch (op) {
      case 0, 1, 2, 3, 4, 5 -> {
        // a scalar value replaced (the lines of "key": value)
        List<Integer> scalars = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = JSON_VALUE.matcher(lines.get(i));
          if (m.matches() && !m.group(3).endsWith("{") && !m.group(3).endsWith("[")) {
            scalars.add(i);
          }
        }
        if (scalars.isEmpty()) {
          return json;
        }
        int at = scalars.get(rnd.nextInt(scalars.size()));
        Matcher m = JSON_VALUE.matcher(lines.get(at));
        m.matches();
        String v = HOSTILE_VALUES[rnd.nextInt(HOSTILE_VALUES.length)];
        lines.set(at, m.group(1) + v + m.group(4));
        log.add("meta.json " + m.group(2) + " = " + v);
      }
      case 6 -> {
        // a key removed (a whole object or list when it opens one), keeping the commas valid
        Matcher m = JSON_VALUE.matcher(lines.get(li));
        if (!m.matches()) {
          return json;
        }
        String v = m.group(3);
        int end = li;
        if (v.endsWith("{") || v.endsWith("[")) {
          int depth = 0;
          for (end = li; end < lines.size(); end++) {
            for (char c : lines.get(end).toCharArray()) {
              depth += c == '{' || c == '[' ? 1 : c == '}' || c == ']' ? -1 : 0;
            }
            if (depth == 0) {
              break;
            }
          }
        }
        String last = end < lines.size() ? lines.get(end) : "";
        for (int i = end; i >= li; i--) {
          lines.remove(i);
        }
        if (!last.strip().endsWith(",") && li > 0) {
          String prev = lines.get(li - 1);
          if (prev.endsWith(",")) {
            lines.set(li - 1, prev.substring(0, prev.length() - 1));
          }
        }
        log.add("meta.json key " + m.group(2) + " removed");
      }
      case 7 -> {
        Matcher m = JSON_VALUE.matcher(lines.get(li));
        if (!m.matches() || m.group(3).endsWith("{") || m.group(3).endsWith("[")) {
          return json;
        }
        lines.add(li, m.group(1) + HOSTILE_VALUES[rnd.nextInt(HOSTILE_VALUES.length)] + ",");
        log.add("meta.json key " + m.group(2) + " twice");
      }
      case 8 -> {
        String[] keys = {
          "extra",
          "W",
          "weights",
          "memory",
          "factors",
          "projection",
          "beta",
          "order",
          "degree",
          "seed"
        };
        String key = keys[rnd.nextInt(keys.length)];
        String v = HOSTILE_VALUES[rnd.nextInt(HOSTILE_VALUES.length)];
        lines.add(1, "  \"" + key + "\": " + v + ",");
        log.add("meta.json key " + key + " = " + v + " added first");
      }
      case 9 -> {
        Matcher m = JSON_VALUE.matcher(lines.get(li));
        if (!m.matches()) {
          return json;
        }
        String renamed = m.group(2).toUpperCase(Locale.ROOT) + (rnd.nextBoolean() ? "" : " ");
        lines.set(
            li,
            lines
                .get(li)
                .replaceFirst(
                    "\"" + Pattern.quote(m.group(2)) + "\"",
                    "\"" + Matcher.quoteReplacement(renamed) + "\""));
        log.add("meta.json key " + m.group(2) + " renamed " + renamed);
      }
      case 10 -> {
        String[] whole = {
          "",
          "[]",
          "1",
          "null",
          "\"engram-model\"",
          json.substring(0, json.length() / 2),
          "\uFEFF" + json,
          json + "x",
          json + "{}",
          "[".repeat(100) + "]".repeat(100),
          "{\"a\":".repeat(70) + "1" + "}".repeat(70),
          json.replace("\n", "\r\n"),
          json.replace("\"", "'"),
          json + "\u0000"
        };
        int w = rnd.nextInt(whole.length);
        log.add("meta.json whole replaced (form " + w + ")");
        return whole[w];
      }
      default -> {
        // a list entry (a factor, a history entry) duplicated or removed
        for (int i = 0; i < lines.size(); i++) {
          String l = lines.get(i);
          if (l.strip().equals("{") && i > 0 && lines.get(i - 1).strip().endsWith("[")) {
            int depth = 0;
            int end = i;
            for (; end < lines.size(); end++) {
              for (char c : lines.get(end).toCharArray()) {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
              }
              if (depth == 0) {
                break;
              }
            }
            List<String> entry = new ArrayList<>(lines.subList(i, end + 1));
            String lastLine = entry.get(entry.size() - 1);
            if (!lastLine.endsWith(",")) {
              entry.set(entry.size() - 1, lastLine + ",");
            }
            lines.addAll(i, entry);
            log.add("meta.json list entry at line " + i + " twice");
            break;
          }
        }
      }
    }
    return String.join("\n", lines);
  }

  // ---- encodings

  static String csv(float[][] rows) {
    StringBuilder s = new StringBuilder();
    for (float[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        s.append(i == 0 ? "" : ",").append((int) r[i]);
      }
      s.append('\n');
    }
    return s.toString();
  }

  private static float[] transpose(float[] flat) {
    float[] t = new float[flat.length];
    int rows = flat.length / N;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < N; j++) {
        t[j * rows + i] = flat[i * N + j];
      }
    }
    return t;
  }

  private static byte[] floats(float[] v, boolean big) {
    ByteBuffer b =
        ByteBuffer.allocate(4 * v.length)
            .order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  private static byte[] doubles(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putDouble(f);
    }
    return b.array();
  }

  private static byte[] halfs(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putShort(half(f));
    }
    return b.array();
  }

  private static byte[] bytes(float[] v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  private static byte[] bytes01(float[] v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) (v[i] > 0 ? 1 : 0);
    }
    return b;
  }

  private static byte[] shorts(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putShort((short) f);
    }
    return b.array();
  }

  private static byte[] ints(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putInt((int) f);
    }
    return b.array();
  }

  private static byte[] ints(int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int f : v) {
      b.putInt(f);
    }
    return b.array();
  }

  private static byte[] longs(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putLong((long) f);
    }
    return b.array();
  }

  /** float16 bits of a float (Java 17 has no Float.floatToFloat16). */
  private static short half(float f) {
    int sign = (Float.floatToRawIntBits(f) >>> 16) & 0x8000;
    float a = Math.abs(f);
    if (Float.isNaN(f)) {
      return (short) 0x7E00;
    }
    if (a >= 65520f) {
      return (short) (sign | 0x7C00);
    }
    if (a < 6.103515625e-5f) {
      return (short) (sign | Math.round(a / 5.9604645e-8f));
    }
    int exp = Math.getExponent(a);
    int mant = Math.round((a / Math.scalb(1f, exp) - 1) * 1024);
    if (mant == 1024) {
      exp++;
      mant = 0;
    }
    return (short) (sign | ((exp + 15) << 10) | mant);
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Collections.reverseOrder()).toList()) {
        try {
          Files.delete(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
