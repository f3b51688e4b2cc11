package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engram.internal.Json;
import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command line the docs show a user runs as written: the lines of the shell blocks of the
 * README, docs/*.md and engram-spark/README.md, and the examples of every command's --help, are
 * read from the text itself (so that a doc edit that breaks a command fails here) and run in a
 * temporary folder per doc, in the doc's order (later lines use what earlier ones wrote), in this
 * JVM through {@link ToolRun}. Each must exit 0, and each output it names (--out, --report, --grid,
 * --plot, --json, ...) must exist and read back (models, .npy, PNGs, JSON, CSV, image folders). The
 * blocks of example output the docs quote (the capacity table, meta.json, the JSON fields) are
 * compared in shape with what the commands print today.
 *
 * <p>What is not run as written, and why, is listed here: {@link #NOT_RUN} (lines that are not
 * Engram's: the build, Spark), {@link #scaled} (capacity sweeps run smaller: the doc's options,
 * fewer neurons and trials), {@link #HELP_INPUTS} (the --help examples name inputs they do not
 * make: the test makes small ones), the Spark model folder of engram-spark/README.md (the test
 * trains the model file Spark would have saved), and implicit outputs (demo's engram-demo.png in
 * the working folder is given as --out in the temporary folder, since this JVM's working folder is
 * the module's). A line of a shell block that is none of these fails the test.
 */
class DocCommandsTest {

  @TempDir Path tmp;

  /** The docs whose shell blocks are run, relative to the repository root. */
  static final List<String> DOCS =
      List.of(
          "README.md",
          "docs/CLI.md",
          "docs/USER_GUIDE.md",
          "docs/CAPACITY.md",
          "docs/MODEL_FORMAT.md",
          "docs/ARCHITECTURE.md",
          "engram-spark/README.md");

  /** Shell lines this test does not run, by how they start, and why. */
  static final Map<String, String> NOT_RUN =
      Map.of(
          "mvn ", "the build and the test suite, inside which this test runs",
          "spark-submit ",
              "needs a Spark installation; ParquetPipelineExampleTest and StandaloneClusterIT run"
                  + " the example class",
          "engram-spark/bench/run.sh", "a Spark benchmark of minutes (docs/BENCHMARKS.md)");

  /**
   * The inputs the --help examples name without making them, as the test makes them: N = 4096
   * throughout, since the examples resize images to 64x64.
   */
  static final Map<String, String> HELP_INPUTS =
      new LinkedHashMap<>(
          Map.of(
              "images/", "the demo's four images at 64x64 (demo --size 64x64 --images images/)",
              "photos/", "a copy of images/",
              "memories.npy", "8 random +-1 patterns of N = 4096 (remove 3,7 needs 8)",
              "more.npy", "4 random +-1 patterns of N = 4096",
              "spurious.npy", "3 random +-1 patterns of N = 4096",
              "q.npy", "4 random +-1 cues of N = 4096",
              "pm1.npy", "8 random +-1 patterns of N = 4096",
              "p.csv", "4 random +-1 patterns of N = 16",
              "faces.npy", "50 random +-1 patterns of N = 625 (25x25), standing in for faces"));

  /** The order the --help examples run in: corrupt's make the cues recall's examples read. */
  static final List<String> HELP_ORDER =
      List.of("corrupt", "train", "recall", "export", "inspect", "demo", "capacity", "completion");

  /** Options whose value is a file or folder the command writes. */
  static final Set<String> OUTPUTS =
      Set.of(
          "--out",
          "--report",
          "--grid",
          "--energy-plot",
          "--heatmap",
          "--plot",
          "--json",
          "--csv",
          "--weights",
          "--images");

  private static final Pattern FENCE =
      Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```", Pattern.DOTALL);

  static Path root() {
    Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path up = base.resolve("..").normalize();
    return Files.exists(up.resolve("docs/CLI.md")) ? up : base;
  }

  /** A fenced block of a doc: its language, its first line's number and its text. */
  record Block(String doc, String lang, int line, String text) {
    String where(int offset) {
      return doc + ":" + (line + offset);
    }
  }

  static List<Block> blocks(String doc) throws IOException {
    String text = Files.readString(root().resolve(doc));
    List<Block> out = new ArrayList<>();
    Matcher m = FENCE.matcher(text);
    while (m.find()) {
      int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 2;
      out.add(new Block(doc, m.group(1), line, m.group(2)));
    }
    return out;
  }

  static boolean isShell(Block b) {
    return b.lang().equals("sh") || b.lang().equals("bash") || b.lang().equals("shell");
  }

  /**
   * The command lines of a shell block with where each starts: continuation lines ending in {@code
   * \} joined, blank and comment lines left out.
   */
  static List<String[]> commandLines(Block b) {
    List<String[]> out = new ArrayList<>();
    String[] lines = b.text().split("\n", -1);
    StringBuilder cmd = new StringBuilder();
    int start = 0;
    for (int i = 0; i < lines.length; i++) {
      String t = lines[i].strip();
      if (cmd.length() == 0) {
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        start = i;
      }
      if (t.endsWith("\\")) {
        cmd.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      cmd.append(t);
      out.add(new String[] {b.where(start), cmd.toString()});
      cmd.setLength(0);
    }
    return out;
  }

  /** The --help examples of a command, continuation lines joined, comment lines left out. */
  static List<String> helpExamples(String command) {
    return examples(command + " --help", ToolRun.run(command, "--help").out());
  }

  /** The examples of a help text, continuation lines joined, comment lines left out. */
  static List<String> examples(String what, String help) {
    List<String> lines = help.lines().toList();
    int start = Math.max(lines.indexOf("Examples:"), lines.indexOf("Example:"));
    assertTrue(start >= 0, what + " has no examples");
    List<String> out = new ArrayList<>();
    StringBuilder cmd = new StringBuilder();
    for (String line : lines.subList(start + 1, lines.size())) {
      String t = line.strip();
      if (t.isEmpty()) {
        break;
      }
      if (t.startsWith("#")) {
        continue;
      }
      if (t.endsWith("\\")) {
        cmd.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      out.add(cmd.append(t).toString());
      cmd.setLength(0);
    }
    return out;
  }

  /**
   * A line's words as a POSIX shell splits them (quotes, backslashes), up to a comment; the
   * operators {@code &&} and {@code >} are words of their own.
   */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' || c == '"') {
        int end = line.indexOf(c, i + 1);
        assertTrue(end > i, "an unclosed quote in: " + line);
        w.append(line, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        w.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else if (c == '#' && !inWord) {
        break;
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }

  static boolean pathLike(String w) {
    return !w.startsWith("-")
        && (w.contains("/") || w.matches(".*\\.(npy|npz|csv|json|png|jpe?g|gif|bmp)"));
  }

  /**
   * Capacity sweeps run smaller than written (a sweep of N = 1000 takes 10-30 s): --neurons above
   * 128 becomes 128 and --trials at most 2; the options, loads and outputs are the doc's.
   */
  static List<String> scaled(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("capacity") || args.contains("--help")) {
      return args;
    }
    List<String> out = new ArrayList<>(args);
    int n = out.indexOf("--neurons");
    if (n > 0 && Integer.parseInt(out.get(n + 1)) > 128) {
      out.set(n + 1, "128");
    }
    int t = out.indexOf("--trials");
    if (t < 0) {
      out.addAll(List.of("--trials", "2"));
    } else if (Integer.parseInt(out.get(t + 1)) > 2) {
      out.set(t + 1, "2");
    }
    return out;
  }

  static boolean haveNumpy() {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static final boolean NUMPY = haveNumpy();

  /** Runs a python3 program in a folder: its exit status and output. */
  static ToolRun.Result python(Path dir, String code) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("python3", "-c", code)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 did not finish: " + code);
    return new ToolRun.Result(p.exitValue(), out, "");
  }

  static void writePlusMinusOne(Path file, int rows, int cols, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextBoolean() ? 1 : -1;
    }
    if (file.toString().endsWith(".csv")) {
      StringBuilder s = new StringBuilder();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          s.append(c == 0 ? "" : ",").append((int) v[r * cols + c]);
        }
        s.append('\n');
      }
      Files.writeString(file, s);
    } else {
      Npy.write(file, NdArray.ofFloats(v, rows, cols));
    }
  }

  /** Runs the command lines of one doc (or of the --help examples) in one folder, in order. */
  final class Session {
    final Path dir;
    final List<String> ran = new ArrayList<>();
    final Map<String, String> stdout = new LinkedHashMap<>();

    Session(String name) throws IOException {
      dir = Files.createDirectories(tmp.resolve(name));
    }

    String resolve(String w) {
      if (w.startsWith("~/")) {
        return dir.resolve("home").resolve(w.substring(2)).toString();
      }
      if (!pathLike(w)) {
        return w;
      }
      return dir.resolve(w) + (w.endsWith("/") ? "/" : "");
    }

    void line(String where, String line) throws Exception {
      List<String> all = words(line);
      List<String> segment = new ArrayList<>();
      for (int i = 0; i <= all.size(); i++) {
        if (i == all.size() || all.get(i).equals("&&")) {
          segment(where, line, segment);
          segment = new ArrayList<>();
        } else {
          segment.add(all.get(i));
        }
      }
    }

    private void segment(String where, String line, List<String> w) throws Exception {
      String text = String.join(" ", w);
      String context = where + ": " + line;
      if (w.get(0).equals("bin/engram") || w.get(0).equals("engram")) {
        engram(context, w.subList(1, w.size()));
      } else if (w.get(0).equals("python3") && w.size() == 3 && w.get(1).equals("-c")) {
        python3(context, w.get(2));
      } else if (text.matches("source <\\((bin/)?engram completion\\)")) {
        ToolRun.Result r = ToolRun.run("completion");
        assertEquals(0, r.status(), context + "\n" + r);
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), context);
        assertTrue(r.out().contains("\ncomplete -F _complete_engram"), context);
        ran.add(text);
      } else if (w.size() == 3 && w.get(0).equals("mkdir") && w.get(1).equals("-p")) {
        Files.createDirectories(Path.of(resolve(w.get(2))));
        ran.add(text);
      } else {
        String reason =
            NOT_RUN.entrySet().stream()
                .filter(e -> text.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        assertNotNull(
            reason,
            context
                + ": a command this test can neither run nor finds in NOT_RUN; run it or list it"
                + " there with the reason");
      }
    }

    private void python3(String context, String code) throws Exception {
      if (NUMPY) {
        ToolRun.Result r = python(dir, code);
        assertEquals(0, r.status(), context + "\n" + r.out());
        stdout.put(code, r.out());
      } else {
        // without numpy: the files it saves, made here (random +-1 of the shape it names)
        Matcher m =
            Pattern.compile(
                    "np\\.save\\('([^']+)', r\\.choice\\(\\[-1\\.?, 1\\.?\\], \\((\\d+), (\\d+)\\)\\)")
                .matcher(code);
        int made = 0;
        while (m.find()) {
          writePlusMinusOne(
              dir.resolve(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              made++);
        }
        assertTrue(
            made > 0 || !code.contains("np.save"),
            context + ": python3 with numpy is missing, and the files it saves cannot be made");
      }
      ran.add("python3 -c ...");
    }

    ToolRun.Result engram(String context, List<String> words) throws Exception {
      List<String> args = new ArrayList<>();
      Path redirect = null;
      for (int i = 0; i < words.size(); i++) {
        if (words.get(i).equals(">")) {
          redirect = Path.of(resolve(words.get(++i)));
          continue;
        }
        String w = words.get(i);
        int eq = w.indexOf('=');
        args.add(
            w.startsWith("--") && eq > 0
                ? w.substring(0, eq + 1) + resolve(w.substring(eq + 1))
                : resolve(w));
      }
      args = scaled(args);
      // demo writes engram-demo.png (engram-compare.png) into the working folder: give it here
      if (args.get(0).equals("demo") && !args.contains("--out") && !args.contains("--neurons")) {
        String name = args.contains("--compare") ? "engram-compare.png" : "engram-demo.png";
        args.addAll(List.of("--out", dir.resolve(name).toString()));
      }
      ToolRun.Result r = ToolRun.run(args.toArray(String[]::new));
      assertEquals(0, r.status(), context + "\nran: " + args + "\n" + r);
      if (redirect != null) {
        Files.writeString(redirect, r.out()); // as the shell would; fails where its folder is not
      }
      for (int i = 0; i + 1 < args.size(); i++) {
        if (OUTPUTS.contains(args.get(i))) {
          readsBack(context, Path.of(args.get(i + 1)));
        }
      }
      ran.add(String.join(" ", words));
      return r;
    }
  }

  /** An output exists and reads back as what its name says it is. */
  static void readsBack(String context, Path p) throws IOException {
    String name = p.getFileName().toString();
    assertTrue(Files.exists(p), context + ": " + p + " was not written");
    if (Files.isDirectory(p)) {
      List<Path> files;
      try (Stream<Path> s = Files.list(p)) {
        files = s.toList();
      }
      assertFalse(files.isEmpty(), context + ": " + p + " is empty");
      for (Path f : files) {
        readsBack(context, f);
      }
    } else if (name.endsWith(".npz")) {
      assertNotNull(ModelFile.readMemory(p), context);
    } else if (name.endsWith(".npy") && Files.size(p) > (8 << 20)) {
      // a large one (export's 4096 x 4096 weights) by its header and size alone
      long values = Npy.elements(p);
      assertTrue(values > 0 && Files.size(p) >= 4 * values, context + ": " + p + " is cut short");
    } else if (name.endsWith(".npy")) {
      assertTrue(Npy.read(p).size() > 0, context + ": " + p + " holds no values");
    } else if (name.endsWith(".png")) {
      BufferedImage image = ImageIO.read(p.toFile());
      assertNotNull(image, context + ": " + p + " is not an image");
    } else if (name.endsWith(".json")) {
      assertNotNull(Json.parse(Files.readString(p)), context);
    } else if (name.endsWith(".csv")) {
      assertTrue(Files.readAllLines(p).size() > 1, context + ": " + p + " has no rows");
    } else {
      fail(context + ": an output of a kind this test does not read back: " + p);
    }
  }

  private static Set<String> workingFolder() {
    try (Stream<Path> s = Files.list(Path.of("").toAbsolutePath())) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every shell line of every doc, in a folder per doc, in the doc's order. */
  @Test
  void everyShellLineOfTheDocsRunsAsWritten() throws Exception {
    Set<String> before = workingFolder();
    int commands = 0;
    List<String> problems = new ArrayList<>(); // the first of each doc: later lines use its outputs
    for (String doc : DOCS) {
      Session s = new Session(doc.replace('/', '-'));
      if (doc.equals("engram-spark/README.md")) {
        // a model Spark saved (model.write().save(dir)): "byte for byte the file engram train
        // writes", so engram train writes it; dense, as the numpy line reads W
        Path saved = Files.createDirectories(s.dir.resolve("dir/data"));
        writePlusMinusOne(s.dir.resolve("p.npy"), 4, 64, 1);
        assertEquals(
            0,
            ToolRun.run(
                    "train",
                    "-q",
                    "--weights",
                    "dense",
                    "--patterns",
                    s.dir.resolve("p.npy").toString(),
                    "--out",
                    saved.resolve("model.npz").toString())
                .status());
      }
      try {
        for (Block b : blocks(doc)) {
          if (isShell(b)) {
            for (String[] l : commandLines(b)) {
              s.line(l[0], l[1]);
            }
          }
        }
      } catch (AssertionError e) {
        problems.add(e.getMessage());
      }
      commands += s.ran.size();
      if (doc.equals("engram-spark/README.md") && NUMPY) {
        assertTrue(s.stdout.values().contains("(64, 64)\n"), s.stdout.toString());
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(commands > 30, "commands run: " + commands);
    assertEquals(before, workingFolder(), "a doc command wrote into the working folder");
  }

  /** Every example of every command's --help, in one folder, with the inputs made here. */
  @Test
  void everyHelpExampleRunsAsWritten() throws Exception {
    assertEquals(new TreeSet<>(HelpTest.COMMANDS), new TreeSet<>(HELP_ORDER));
    Session s = new Session("help");
    assertEquals(
        0,
        ToolRun.run(
                "demo",
                "-q",
                "--size",
                "64x64",
                "--images",
                s.dir.resolve("images") + "/",
                "--out",
                s.dir.resolve("made.png").toString())
            .status());
    Files.createDirectories(s.dir.resolve("photos"));
    try (Stream<Path> images = Files.list(s.dir.resolve("images"))) {
      for (Path p : images.toList()) {
        Files.copy(p, s.dir.resolve("photos").resolve(p.getFileName()));
      }
    }
    Object[][] arrays = {
      {"memories.npy", 8, 4096},
      {"more.npy", 4, 4096},
      {"spurious.npy", 3, 4096},
      {"q.npy", 4, 4096},
      {"pm1.npy", 8, 4096},
      {"p.csv", 4, 16},
      {"faces.npy", 50, 625},
    };
    for (int i = 0; i < arrays.length; i++) {
      writePlusMinusOne(
          s.dir.resolve((String) arrays[i][0]), (int) arrays[i][1], (int) arrays[i][2], 10 + i);
    }
    Set<String> made = new LinkedHashSet<>();
    for (Object[] a : arrays) {
      made.add((String) a[0]);
    }
    made.addAll(List.of("images/", "photos/"));
    assertEquals(HELP_INPUTS.keySet(), made, "HELP_INPUTS says how each input is made");
    int examples = 0;
    for (String c : HELP_ORDER) {
      for (String example : helpExamples(c)) {
        s.line(c + " --help", example);
        examples++;
      }
    }
    assertTrue(examples > 40, "examples: " + examples);
  }

  /**
   * The examples of {@code engram --help}, in their order, in a folder that holds only the user's
   * own memories.npy (the help names it as theirs): each runs on what the lines before it wrote.
   */
  @Test
  void theMainHelpsExamplesRunInTheirOrder() throws Exception {
    Session s = new Session("main-help");
    writePlusMinusOne(s.dir.resolve("memories.npy"), 30, 1024, 20);
    List<String> examples = examples("engram --help", ToolRun.run("--help").out());
    for (String example : examples) {
      s.line("engram --help", example);
    }
    assertEquals(examples.size(), s.ran.size(), s.ran::toString);
    assertTrue(examples.size() >= 10, "examples: " + examples);
  }

  /** The exact-recall counts demo --compare prints, by memory: " Storkey: 4 of 16 recalled". */
  static Map<String, Integer> compareCounts(String out) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^  ([^:]+): +(\\d+) of \\d+ recalled exactly").matcher(out);
    while (m.find()) {
      counts.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    return counts;
  }

  /**
   * The counts of demo --compare that USER_GUIDE.md and CAPACITY.md quote are the ones it prints:
   * each case is a sentence of a doc (blanks as one), the demo's options, and the counts that
   * sentence gives, by the memory names the demo prints.
   */
  @Test
  void theCompareDemosCountsTheDocsQuoteArePrinted() throws IOException {
    Object[][] cases = {
      {
        "docs/USER_GUIDE.md",
        "(measured: Hebbian 0 of 16, Storkey 4, pseudo-inverse 8, modern 11;",
        List.of("--occlude", "0.5"),
        Map.of("Hebbian", 0, "Storkey", 4, "pseudo-inverse", 8, "modern", 11)
      },
      {
        "docs/CAPACITY.md",
        "With all 16 letters (`--patterns 16`): Hebbian 0 and 0, Storkey 4, pseudo-inverse 16,"
            + " modern 16.",
        List.of("--patterns", "16"),
        Map.of(
            "Hebbian", 0,
            "Hebbian, not centred", 0,
            "Storkey", 4,
            "pseudo-inverse", 16,
            "modern", 16)
      },
      {
        "docs/CAPACITY.md",
        "Both Hebbian variants recall 0 of 8.",
        List.of("--patterns", "8"),
        Map.of("Hebbian", 0, "Hebbian, not centred", 0)
      },
      {
        "docs/CAPACITY.md",
        "Storkey's rule recalls 1 of 8",
        List.of("--patterns", "8"),
        Map.of("Storkey", 1)
      },
      {
        "docs/CAPACITY.md",
        "the pseudo-inverse rule and modern memory recall all 8 exactly.",
        List.of("--patterns", "8"),
        Map.of("pseudo-inverse", 8, "modern", 8)
      },
    };
    Map<List<String>, Map<String, Integer>> printed = new LinkedHashMap<>();
    for (Object[] c : cases) {
      String doc = Files.readString(root().resolve((String) c[0])).replaceAll("\\s+", " ");
      assertTrue(doc.contains((String) c[1]), c[0] + " no longer says: " + c[1]);
      @SuppressWarnings("unchecked")
      List<String> options = (List<String>) c[2];
      Map<String, Integer> counts =
          printed.computeIfAbsent(
              options,
              o -> {
                List<String> args = new ArrayList<>(List.of("demo", "--compare", "-q"));
                args.addAll(o);
                args.addAll(List.of("--out", tmp.resolve("compare.png").toString()));
                ToolRun.Result r = ToolRun.run(args.toArray(String[]::new));
                assertEquals(0, r.status(), r::toString);
                return compareCounts(r.out());
              });
      @SuppressWarnings("unchecked")
      Map<String, Integer> quoted = (Map<String, Integer>) c[3];
      for (Map.Entry<String, Integer> e : quoted.entrySet()) {
        assertEquals(
            e.getValue(),
            counts.get(e.getKey()),
            c[0] + " says '" + c[1] + "'; demo --compare " + options + " printed " + counts);
      }
    }
  }

  /**
   * The shape of a line of printed numbers: every number a 9, runs of blanks one blank, and an
   * interval one shape whether printed as {@code ±h} or as its ends {@code [low,high]} (which of
   * the two depends on the numbers).
   */
  static String shape(String line) {
    return line.replaceAll("[-+]?\\d+(\\.\\d+)?(e[-+]?\\d+)?", "9")
        .replace("[9,9]", "±9")
        .replaceAll(" +", " ")
        .strip();
  }

  /**
   * CAPACITY.md's quoted table (abridged) has the header, the columns and the closing line that the
   * capacity lab prints today.
   */
  @Test
  void theQuotedCapacityTableHasTodaysShape() throws IOException {
    Block quoted =
        blocks("docs/CAPACITY.md").stream()
            .filter(b -> b.lang().isEmpty() && b.text().contains("one-step error"))
            .findFirst()
            .orElseThrow();
    ToolRun.Result r =
        ToolRun.run(
            "capacity",
            "--rule",
            "hebbian",
            "--neurons",
            "100",
            "--patterns",
            "4,10,40",
            "--trials",
            "2");
    assertEquals(0, r.status(), r::toString);
    List<String> printed = r.out().lines().toList();
    List<String> doc = quoted.text().lines().filter(l -> !l.isBlank()).toList();
    // (the header's blanks as the run's widest cells make them: a column widens for a lopsided
    // interval, [low,high])
    assertTrue(
        printed.stream()
            .map(l -> l.replaceAll(" +", " "))
            .anyMatch(doc.get(0).replaceAll(" +", " ")::equals),
        "the header is not printed as quoted:\n" + r.out());
    Set<String> shapes = new TreeSet<>();
    for (String l : printed) {
      shapes.add(shape(l));
    }
    for (String l : doc.subList(1, doc.size())) {
      assertTrue(
          shapes.contains(shape(l)),
          "CAPACITY.md quotes a line the lab no longer prints in this shape: '"
              + l
              + "'\nprinted:\n"
              + r.out());
    }
  }

  static Object parseJsonBlock(Block b) {
    return Json.parse(b.text());
  }

  /** The keys of a JSON value, nested ones as {@code outer.inner}; lists by their first item. */
  static Set<String> keys(Object json, String prefix) {
    Set<String> out = new TreeSet<>();
    if (json instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = prefix + e.getKey();
        out.add(k);
        out.addAll(keys(e.getValue(), k + "."));
      }
    } else if (json instanceof List<?> l && !l.isEmpty()) {
      out.addAll(keys(l.get(0), prefix));
    }
    return out;
  }

  static Object metaJson(Path model) throws IOException {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(model.toFile())) {
      return Json.parse(
          new String(
              zip.getInputStream(zip.getEntry("meta.json")).readAllBytes(),
              StandardCharsets.UTF_8));
    }
  }

  /** MODEL_FORMAT.md's two meta.json examples have the keys today's files have. */
  @Test
  void theQuotedMetaJsonHasTodaysKeys() throws IOException {
    List<Block> json =
        blocks("docs/MODEL_FORMAT.md").stream().filter(b -> b.lang().equals("json")).toList();
    assertEquals(2, json.size());
    Path p = tmp.resolve("p.npy");
    writePlusMinusOne(p, 4, 64, 3);
    Path dense = tmp.resolve("dense.npz");
    Path modern = tmp.resolve("modern.npz");
    assertEquals(
        0,
        ToolRun.run("train", "-q", "--weights", "dense", "--patterns", p + "", "--out", dense + "")
            .status());
    assertEquals(
        0,
        ToolRun.run("train", "-q", "--memory", "modern", "--patterns", p + "", "--out", modern + "")
            .status());
    assertEquals(keys(metaJson(dense), ""), keys(parseJsonBlock(json.get(0)), ""));
    assertEquals(keys(metaJson(modern), ""), keys(parseJsonBlock(json.get(1)), ""));
  }

  /** The quoted names of a JSON object a doc spells out in prose, between two markers. */
  static Set<String> namedFields(String doc, String from, String to) throws IOException {
    String text = Files.readString(root().resolve(doc));
    int a = text.indexOf(from);
    int b = text.indexOf(to, a);
    assertTrue(a >= 0 && b > a, doc + ": no text between '" + from + "' and '" + to + "'");
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("\"([a-z0-9_<>]+)\"").matcher(text.substring(a, b));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * The JSON fields CLI.md names for capacity --json and USER_GUIDE.md for recall's report are the
   * fields the commands write.
   */
  @Test
  void theJsonFieldsTheDocsNameAreTheOnesWritten() throws IOException {
    // capacity --json: top level and points ("<field>_low" and "_high" for each measured field)
    Path c = tmp.resolve("c.json");
    assertEquals(
        0,
        ToolRun.run(
                "capacity",
                "-q",
                "--neurons",
                "64",
                "--patterns",
                "4,8",
                "--trials",
                "2",
                "--json",
                c.toString())
            .status());
    Map<?, ?> sweep = (Map<?, ?>) Json.parse(Files.readString(c));
    Set<String> written = new TreeSet<>();
    for (Object k : sweep.keySet()) {
      written.add((String) k);
    }
    for (Object k : ((Map<?, ?>) ((List<?>) sweep.get("points")).get(0)).keySet()) {
      String key = (String) k;
      written.add(
          key.endsWith("_low") || key.endsWith("_high")
              ? "<field>" + key.substring(key.lastIndexOf('_'))
              : key);
    }
    Set<String> named = namedFields("docs/CLI.md", "`--json FILE`: `{\"memory\"", "`--csv FILE`");
    named.remove("compare"); // the --compare form, described apart
    named.remove("holds_most");
    assertEquals(written, named, "CLI.md's capacity --json fields");
    // recall's report: the fields USER_GUIDE.md spells out, and "memory", which it names after
    Path p = tmp.resolve("p.npy");
    writePlusMinusOne(p, 3, 16, 4);
    Path m = tmp.resolve("m.npz");
    Path report = tmp.resolve("r.json");
    assertEquals(0, ToolRun.run("train", "-q", "--patterns", p + "", "--out", m + "").status());
    assertEquals(
        0,
        ToolRun.run(
                "recall",
                "-q",
                "--model",
                m + "",
                "--queries",
                p + "",
                "--out",
                tmp.resolve("r.npy") + "",
                "--report",
                report + "")
            .status());
    Set<String> reported = keys(Json.parse(Files.readString(report)), "");
    Set<String> spelled = new TreeSet<>();
    for (String f : namedFields("docs/USER_GUIDE.md", "The report is\n`{", "one entry per query")) {
      spelled.add(List.of("steps", "converged", "energy").contains(f) ? "queries." + f : f);
    }
    spelled.add("memory");
    assertEquals(reported, spelled, "USER_GUIDE.md's recall report");
    // inspect --json --patterns: the overlap fields CLI.md names
    ToolRun.Result r = ToolRun.run("inspect", "--json", m + "", "--patterns", p + "");
    Map<?, ?> inspect = (Map<?, ?>) Json.parse(r.out());
    assertTrue(inspect.containsKey("pattern_mean_overlap"), r.out());
    assertTrue(inspect.containsKey("pattern_mean_overlap_of"), r.out());
  }

  /**
   * MODEL_FORMAT.md's numpy blocks compute what Engram computes: W of a dense, a low-rank and a
   * pseudo-inverse model as engram export writes it, and one softmax step as engram recall does
   * (skipped where python3 with numpy is missing).
   */
  @Test
  void theModelFormatsNumpyBlocksComputeWhatEngramDoes() throws Exception {
    assumeTrue(NUMPY, "python3 with numpy not found");
    List<Block> py =
        blocks("docs/MODEL_FORMAT.md").stream().filter(b -> b.lang().equals("python")).toList();
    assertEquals(
        4,
        py.size(),
        "MODEL_FORMAT.md's python blocks: open, low-rank, pseudo-inverse," + " modern");
    Path p = tmp.resolve("p.npy");
    Path q = tmp.resolve("q.npy");
    writePlusMinusOne(p, 6, 64, 5);
    writePlusMinusOne(q, 3, 64, 6);
    String[][] train = {
      {"model.npz", "--weights", "dense"},
      {"lr.npz", "--zero-diagonal", "false"},
      {"pi.npz", "--rule", "pseudo-inverse"},
    };
    for (String[] t : train) {
      List<String> args = new ArrayList<>(List.of("train", "-q", "--patterns", p + ""));
      args.addAll(List.of(t).subList(1, t.length));
      args.addAll(List.of("--out", tmp.resolve(t[0]) + ""));
      assertEquals(0, ToolRun.run(args.toArray(String[]::new)).status(), args::toString);
    }
    // a second, anti-Hebbian call: the replay's negate and divisor
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "-q",
                "--patterns",
                q + "",
                "--init",
                tmp.resolve("lr.npz") + "",
                "--rule",
                "anti-hebbian",
                "--normalize",
                "false",
                "--out",
                tmp.resolve("lr.npz") + "")
            .status());
    for (String m : List.of("model", "lr", "pi")) {
      assertEquals(
          0,
          ToolRun.run(
                  "export",
                  "-q",
                  "--model",
                  tmp.resolve(m + ".npz") + "",
                  "--weights",
                  tmp.resolve("W-" + m + ".npy") + "")
              .status());
    }
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "-q",
                "--memory",
                "modern",
                "--patterns",
                p + "",
                "--out",
                tmp.resolve("modern.npz") + "")
            .status());
    assertEquals(
        0,
        ToolRun.run(
                "recall",
                "-q",
                "--model",
                tmp.resolve("modern.npz") + "",
                "--queries",
                q + "",
                "--out",
                tmp.resolve("r.npy") + "")
            .status());
    String open = py.get(0).text();
    String openOther = open.replace("W = m[\"W\"]", "pass  ");
    String code =
        "import numpy as np\n"
            + open
            + "assert abs(W - np.load('W-model.npy')).max() == 0\n"
            + openOther.replace("model.npz", "lr.npz")
            + py.get(1).text()
            + "assert abs(W - np.load('W-lr.npy')).max() < 1e-5, abs(W - np.load('W-lr.npy')).max()\n"
            + openOther.replace("model.npz", "pi.npz")
            + py.get(2).text()
            + "assert abs(W - np.load('W-pi.npy')).max() < 1e-5, abs(W - np.load('W-pi.npy')).max()\n"
            + py.get(3).text()
            + "assert abs(r - np.load('r.npy')).max() < 1e-5, abs(r - np.load('r.npy')).max()\n";
    ToolRun.Result r = python(tmp, code);
    assertEquals(0, r.status(), code + "\n" + r.out());
  }
}
