package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.engram.internal.Json;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grammar-based fuzzing of every command's options: seeded random command lines from the grammar
 * docs/CLI.md documents (random subsets of options, valid, boundary and malformed values, repeated
 * options, options of another command, {@code --opt=value} and {@code --opt value}, {@code --}
 * separators, combinations the docs call exclusive or required together), run in this JVM on small
 * inputs made once. Each case must end with exit 0 or 2; a refusal (2) is one line on stderr that
 * names an option or an input, with nothing on stdout and every file as it was; a success (0)
 * writes the outputs it promises, valid; and the same command line run again (from the same files)
 * gives the same status, text and outputs.
 *
 * <p>CI runs {@link #CI_CASES} cases; more with {@code -Dengram.fuzz.cases=5000} (or the
 * environment variable {@code ENGRAM_FUZZ_CASES}), another sequence with {@code
 * -Dengram.fuzz.seed=S} ({@code ENGRAM_FUZZ_SEED}). A failure names the case's seed and command
 * line, and every failure of the run is listed before the test fails; {@code
 * -Dengram.fuzz.case=SEED} runs that one case again, and {@code -Dengram.fuzz.messages=true} prints
 * one refusal of each shape, to read them over.
 */
class OptionFuzzTest {

  /** Cases in a CI run: a few seconds. */
  static final int CI_CASES = 250;

  @TempDir static Path dir;

  static Path in;
  static Path work;
  static Path pristine;

  /** Runs each case on its own thread, so that a hang fails the case rather than the build. */
  static ExecutorService runner;

  @BeforeAll
  static void inputs() throws IOException {
    in = Files.createDirectory(dir.resolve("in"));
    work = dir.resolve("case");
    SplittableRandom r = new SplittableRandom(11);
    float[] p = pm1(r, 3 * 16);
    Files.writeString(in.resolve("p.csv"), csv(p, 16));
    Npy.write(in.resolve("p.npy"), NdArray.ofFloats(p, 3, 16));
    Files.writeString(in.resolve("p8.csv"), csv(pm1(r, 2 * 8), 8));
    float[] q = p.clone();
    for (int i = 0; i < q.length; i += 5) {
      q[i] = -q[i];
    }
    float[] q2 = Arrays.copyOf(q, 2 * 16);
    Files.writeString(in.resolve("q.csv"), csv(q2, 16));
    Npy.write(in.resolve("q.npy"), NdArray.ofFloats(q2, 2, 16));
    Files.writeString(in.resolve("s.csv"), csv(Arrays.copyOf(p, 2 * 16), 16));
    Files.writeString(in.resolve("half.csv"), "0.5,1,-1,1,-1,1,-1,1,-1,1,-1,1,-1,1,-1,1\n");
    Path imgs = Files.createDirectory(in.resolve("imgs"));
    for (int k = 0; k < 2; k++) {
      BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
      for (int i = 0; i < 16; i++) {
        img.getRaster().setSample(i % 4, i / 4, 0, p[k * 16 + i] > 0 ? 255 : 0);
      }
      ImageIO.write(img, "png", imgs.resolve("i" + k + ".png").toFile());
    }
    Files.createDirectory(in.resolve("emptydir"));
    int[] order = new int[16];
    for (int i = 0; i < 16; i++) {
      order[i] = 15 - i;
    }
    Npy.write(in.resolve("order.npy"), NdArray.ofInts(order, 16));
    Npy.write(in.resolve("order8.npy"), NdArray.ofInts(Arrays.copyOf(order, 8), 8));
    train("m.npz", "--patterns", in("p.csv"));
    train("mt.npz", "--patterns", in("p.csv"), "--activation", "tanh", "--temperature", "0.5");
    train("ma.npz", "--patterns", in("p.csv"), "--seed", "3");
    train("mpi.npz", "--patterns", in("p.csv"), "--rule", "pseudo-inverse");
    train("mm.npz", "--patterns", in("p.csv"), "--memory", "modern");
    train("mp.npz", "--patterns", in("p.csv"), "--memory", "modern", "--separation", "polynomial");
    pristine = dir.resolve("pristine");
    try (Stream<Path> s = Files.walk(in)) {
      for (Path f : s.toList()) {
        Files.copy(f, pristine.resolve(in.relativize(f).toString()));
      }
    }
    runner =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, "fuzz-case");
              t.setDaemon(true);
              return t;
            });
  }

  @AfterAll
  static void stop() {
    if (runner != null) {
      runner.shutdownNow();
    }
  }

  private static void train(String model, String... args) {
    List<String> a = new ArrayList<>(List.of("train", "--out", in(model), "-q"));
    a.addAll(List.of(args));
    ToolRun.Result res = ToolRun.run(a.toArray(String[]::new));
    assertEquals(0, res.status(), res.toString());
  }

  private static float[] pm1(SplittableRandom r, int count) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = r.nextBoolean() ? 1 : -1;
    }
    return x;
  }

  private static String csv(float[] x, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < x.length; i++) {
      b.append((int) x[i]).append(i % n == n - 1 ? "\n" : ",");
    }
    return b.toString();
  }

  static String in(String name) {
    return in.resolve(name).toString();
  }

  static String out(String name) {
    return work.resolve(name).toString();
  }

  /** What a case's folder holds before it runs: copies of models to continue in place. */
  private static void resetWork() throws IOException {
    if (Files.exists(work)) {
      try (Stream<Path> s = Files.walk(work)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    Files.createDirectory(work);
    Files.copy(in.resolve("m.npz"), work.resolve("init.npz"));
    Files.copy(in.resolve("mm.npz"), work.resolve("initm.npz"));
  }

  // ---------------------------------------------------------------------------------------------
  // the grammar

  /** How an option's value is made. */
  interface Values {
    /** A value, or null for a flag given without one. */
    String next(SplittableRandom r);
  }

  /** An option of a command, with the values the grammar gives it. */
  record Opt(String name, Values values, boolean output) {}

  /** Numbers that are not what they look like, or not numbers, or at the edges of a type. */
  static final String[] NUMERIC_JUNK = {
    "",
    " ",
    "  3",
    "3 ",
    "\t1",
    "１",
    "٣",
    "+5",
    "0x10",
    "1_000",
    "5.",
    ".5",
    "5abc",
    "1e308",
    "-1e308",
    "1e309",
    "1e-400",
    "4.9e-324",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "-0",
    "-0.0",
    "0",
    "1",
    "-1",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "1e3",
    "0.1f",
    "1d",
    "0x1p-3",
    "true",
    "1,2",
    "1.5",
    "-1.5",
    "3.0"
  };

  static final String[] SIZE_JUNK = {
    "",
    "4x4",
    "4X4",
    "4 x 4",
    "4x",
    "x4",
    "0x4",
    "4x0",
    "-4x-4",
    "+4x+4",
    "４x４",
    "4x4x4",
    "big",
    "65536x65536",
    "2147483648x1",
    "1x16",
    "16x1",
    "2x8",
    "8x2",
    "3x3",
    "4.0x4"
  };

  static final String[] ENUM_JUNK = {
    "", " ", "x", "none", "HEBBIAN", " sync ", "Tanh", "anti_hebbian"
  };

  static final String[] BOOL_VALUES = {"true", "false", "TRUE", "False", "", "yes", "1", "null"};

  static Values pick(String... v) {
    return r -> v[r.nextInt(v.length)];
  }

  /** Mostly one of {@code valid}, else a value of {@code junk}. */
  static Values mostly(String[] valid, String[] junk) {
    return r -> r.nextInt(10) < 6 ? valid[r.nextInt(valid.length)] : junk[r.nextInt(junk.length)];
  }

  static Values ints(String... valid) {
    return mostly(valid, NUMERIC_JUNK);
  }

  static Values decimals(String... valid) {
    return mostly(valid, NUMERIC_JUNK);
  }

  static Values enums(String... valid) {
    return mostly(valid, ENUM_JUNK);
  }

  static Values sizes(String... valid) {
    return mostly(valid, SIZE_JUNK);
  }

  static final Values BOOL = pick(BOOL_VALUES);
  static final Values FLAG = r -> r.nextInt(12) == 0 ? (r.nextBoolean() ? "true" : "false") : null;

  /** Input paths: mostly good ones, some that are not there, empty, blank or a folder. */
  static Values inputs(String... good) {
    String[] bad = {"nope.csv", "", " ", "emptydir", "emptydir/", "p.csv/x"};
    return r -> {
      if (r.nextInt(10) < 8) {
        String g = good[r.nextInt(good.length)];
        return g.startsWith("case/") ? out(g.substring(5)) : in(g);
      }
      String b = bad[r.nextInt(bad.length)];
      return b.isBlank() ? b : in(b);
    };
  }

  /** Output paths in the case's folder: the right kind mostly, else another kind or a clash. */
  static Values outputs(String... good) {
    String[] other = {
      "o.png",
      "o.npy",
      "o.csv",
      "o.json",
      "o.npz",
      "o.txt",
      "d/",
      "missing/o.npy",
      "",
      " ",
      "init.npz"
    };
    return r -> {
      if (r.nextInt(10) < 8) {
        return out(good[r.nextInt(good.length)]);
      }
      if (r.nextInt(6) == 0) {
        return in("p.csv"); // an input as an output
      }
      String o = other[r.nextInt(other.length)];
      return o.isBlank() ? o : out(o);
    };
  }

  static Opt opt(String name, Values v) {
    return new Opt(name, v, false);
  }

  static Opt output(String name, Values v) {
    return new Opt(name, v, true);
  }

  /** A command: options every valid line has, and the others. */
  record Command(String name, List<Opt> required, List<Opt> optional) {}

  static List<Opt> dynamics() {
    return List.of(
        opt("--activation", enums("sign", "tanh", "sigmoid")),
        opt("--temperature", decimals("0.5", "1", "2")),
        opt("--threshold", decimals("0", "0.1", "-0.2")),
        opt("--update", enums("sync", "async")),
        opt("--order", inputs("order.npy", "order.npy", "order8.npy")),
        opt("--seed", ints("0", "1", "42", "-7")));
  }

  static final List<Command> COMMANDS = commands();

  static List<Command> commands() {
    List<Command> c = new ArrayList<>();
    List<Opt> train =
        new ArrayList<>(
            List.of(
                opt("--init", inputs("m.npz", "mt.npz", "mm.npz", "mp.npz", "case/init.npz")),
                opt("--rule", enums("hebbian", "anti-hebbian", "pseudo-inverse", "storkey")),
                opt("--ridge", decimals("0", "0.1", "10")),
                opt("--tolerance", decimals("0", "0.001", "0.5")),
                opt("--subtract-mean", BOOL),
                opt("--zero-diagonal", BOOL),
                opt("--normalize", BOOL),
                opt("--preserve-on-resize", BOOL),
                opt("--weights", enums("auto", "dense", "low-rank")),
                opt("--size", sizes("4x4", "2x8", "8x8")),
                opt("-q", FLAG),
                opt("--memory", enums("classical", "modern")),
                opt("--separation", enums("softmax", "polynomial", "rectified", "exp")),
                opt("--beta", decimals("0.25", "1", "2")),
                opt("--degree", ints("2", "3", "30", "31")),
                opt("--remove", mostly(new String[] {"0", "1", "0,1", "2", "5"}, NUMERIC_JUNK))));
    train.addAll(dynamics());
    c.add(
        new Command(
            "train",
            List.of(
                opt("--patterns", inputs("p.csv", "p.npy", "imgs", "p8.csv", "half.csv")),
                output("--out", outputs("m.npz", "m.npz", "init.npz", "initm.npz"))),
            train));
    List<Opt> recall =
        new ArrayList<>(
            List.of(
                opt("--size", sizes("4x4", "2x8", "8x2")),
                output("--grid", outputs("g.png")),
                opt("--stored", inputs("s.csv", "p.csv", "imgs")),
                output("--energy-plot", outputs("e.png")),
                opt("-q", FLAG),
                opt("--iterations", ints("0", "1", "5", "20", "100000")),
                opt("--state-tolerance", decimals("0", "0.01", "1")),
                opt("--top-k", ints("1", "2", "3", "10")),
                opt("--energy-tolerance", decimals("0", "0.01", "1")),
                output("--report", outputs("r.json"))));
    recall.addAll(dynamics());
    c.add(
        new Command(
            "recall",
            List.of(
                opt("--model", inputs("m.npz", "mt.npz", "ma.npz", "mpi.npz", "mm.npz", "mp.npz")),
                opt("--queries", inputs("q.csv", "q.npy", "imgs", "p8.csv", "half.csv")),
                output("--out", outputs("r.npy", "r.csv", "rd/"))),
            recall));
    c.add(
        new Command(
            "export",
            List.of(
                opt("--model", inputs("m.npz", "mpi.npz", "mm.npz")),
                output("--weights", outputs("w.npy"))),
            List.of(opt("-q", FLAG), opt("--quiet", FLAG))));
    c.add(
        new Command(
            "inspect",
            List.of(opt("MODEL", inputs("m.npz", "mt.npz", "mpi.npz", "mm.npz", "mp.npz"))),
            List.of(
                opt("--patterns", inputs("p.csv", "p.npy", "imgs", "p8.csv", "half.csv")),
                opt("--size", sizes("4x4", "2x8")),
                opt("--json", FLAG),
                output("--heatmap", outputs("h.png")))));
    c.add(
        new Command(
            "demo",
            List.of(output("--out", outputs("demo.png"))),
            List.of(
                opt("--size", sizes("4x4", "8x8", "16x16", "32x32")),
                opt("--patterns", ints("1", "2", "4", "16")),
                opt("--noise", decimals("0", "0.1", "0.3", "1")),
                opt("--occlude", decimals("0", "0.25", "0.5", "1")),
                opt("--seed", ints("0", "1", "42", "-7")),
                output("--images", outputs("imgs/", "imgs/")),
                opt("--neurons", ints("8", "16", "64")),
                opt("--compare", FLAG),
                opt("-q", FLAG))));
    c.add(
        new Command(
            "capacity",
            List.of(opt("--neurons", ints("8", "16", "32"))),
            List.of(
                opt("--rule", enums("hebbian", "anti-hebbian", "storkey", "pseudo-inverse")),
                opt("--compare", FLAG),
                opt("--memory", enums("classical", "modern")),
                opt("--beta", decimals("0.25", "1", "2")),
                opt(
                    "--patterns",
                    mostly(
                        new String[] {"1", "1,2", "2,4,6", "1, 3", "3,2", "2,2", "0,1"},
                        NUMERIC_JUNK)),
                opt("--trials", ints("1", "2", "3", "100001")),
                opt("--flip", decimals("0", "0.1", "0.5", "1")),
                opt("--erase", decimals("0", "0.1", "0.5")),
                opt("--occlude", decimals("0", "0.1", "0.5")),
                opt("--seed", ints("0", "1", "42", "-7")),
                opt("--iterations", ints("1", "5", "20", "0", "100001")),
                opt("--subtract-mean", BOOL),
                opt("--bias", decimals("0", "0.2", "-0.5", "1")),
                opt("--correlation", decimals("0", "0.3", "0.9", "1")),
                opt("--data", inputs("p.csv", "imgs", "p8.csv", "half.csv")),
                opt("--size", sizes("4x4", "2x8")),
                output("--json", outputs("c.json")),
                output("--csv", outputs("c.csv")),
                output("--plot", outputs("c.png")),
                opt(
                    "--time-limit",
                    mostly(
                        new String[] {"1h", "90s", "none", "PT2H", "500ms", "2d", "30min"},
                        new String[] {
                          "", "0s", "-1h", "5", "1e3s", "1 h", "forever", "99999999999999d"
                        })),
                opt("-q", FLAG))));
    c.add(
        new Command(
            "corrupt",
            List.of(
                opt("--patterns", inputs("p.csv", "p.npy", "imgs", "half.csv")),
                output("--out", outputs("n.npy", "n.csv", "nd/"))),
            List.of(
                opt("--flip", decimals("0", "0.1", "0.3", "1")),
                opt("--erase", decimals("0", "0.1", "0.5")),
                opt("--occlude", decimals("0", "0.1", "0.5")),
                opt("--seed", ints("0", "1", "42", "-7")),
                opt("--size", sizes("4x4", "2x8")),
                opt("-q", FLAG))));
    c.add(new Command("completion", List.of(), List.of()));
    return c;
  }

  /** A random command line of the grammar. */
  static List<String> commandLine(SplittableRandom r) {
    if (r.nextInt(40) == 0) {
      // help, and a first word that is no command
      return switch (r.nextInt(4)) {
        case 0 -> List.of("help", COMMANDS.get(r.nextInt(COMMANDS.size())).name());
        case 1 -> List.of("help", "nope");
        case 2 -> List.of(COMMANDS.get(r.nextInt(COMMANDS.size())).name(), "--help");
        default -> List.of("trian", "--patterns", in("p.csv"));
      };
    }
    Command c = COMMANDS.get(r.nextInt(COMMANDS.size()));
    List<List<String>> parts = new ArrayList<>();
    for (Opt o : c.required()) {
      // (demo's --out is always given: without it the figure goes to the working folder)
      if (r.nextInt(12) > 0 || c.name().equals("demo")) {
        parts.add(render(o, o.values().next(r), r));
      }
    }
    int density = 1 + r.nextInt(5); // in 10: how many optional options
    List<Opt> given = new ArrayList<>();
    for (Opt o : c.optional()) {
      if (r.nextInt(10) < density) {
        given.add(o);
        parts.add(render(o, o.values().next(r), r));
      }
    }
    if (!given.isEmpty() && r.nextInt(10) == 0) {
      Opt o = given.get(r.nextInt(given.size()));
      parts.add(render(o, o.values().next(r), r)); // repeated
    }
    if (r.nextInt(10) == 0) {
      // an option of another command
      Command other = COMMANDS.get(r.nextInt(COMMANDS.size()));
      List<Opt> all = new ArrayList<>(other.required());
      all.addAll(other.optional());
      all.removeIf(o -> o.name().equals("MODEL"));
      if (!all.isEmpty()) {
        Opt o = all.get(r.nextInt(all.size()));
        parts.add(render(o, o.values().next(r), r));
      }
    }
    // the order of options does not matter, but shuffle them: the checks must not depend on it
    for (int i = parts.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      List<String> t = parts.get(i);
      parts.set(i, parts.get(j));
      parts.set(j, t);
    }
    List<String> args = new ArrayList<>();
    args.add(c.name());
    for (List<String> p : parts) {
      args.addAll(p);
    }
    if (r.nextInt(25) == 0) {
      args.add(1 + r.nextInt(args.size()), "--"); // everything after it is a parameter
    }
    if (r.nextInt(40) == 0) {
      args.add(1 + r.nextInt(args.size()), r.nextBoolean() ? "stray" : "-x");
    }
    return args;
  }

  private static List<String> render(Opt o, String value, SplittableRandom r) {
    if (o.name().equals("MODEL")) {
      return List.of(value);
    }
    if (value == null) {
      return List.of(o.name());
    }
    if (r.nextInt(4) == 0 && !o.name().equals("-q")) {
      return List.of(o.name() + "=" + value);
    }
    return List.of(o.name(), value);
  }

  // ---------------------------------------------------------------------------------------------
  // the checks

  /** What a run did: its status, text and the files it left in the case folder. */
  record Outcome(ToolRun.Result result, Map<String, String> files) {}

  private static Outcome runCase(List<String> args) throws Exception {
    resetWork();
    Map<String, String> inputsBefore = ToolRun.snapshot(in);
    Map<String, String> workBefore = ToolRun.snapshot(work);
    Future<ToolRun.Result> f = runner.submit(() -> ToolRun.run(args.toArray(String[]::new)));
    ToolRun.Result res;
    try {
      res = f.get(120, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("did not finish in 120 s (a hang)");
    }
    if (!inputsBefore.equals(ToolRun.snapshot(in))) {
      // only an output given there may change it (the grammar's "an input as an output": a file
      // this command does not read), and the next case must find the inputs as they were
      restoreInputs();
      if (!(res.status() == 0 && writesInto(args, in))) {
        throw new AssertionError("an input file changed\n" + res);
      }
    }
    Map<String, String> after = contents(work);
    if (res.status() == 2 && !workBefore.equals(ToolRun.snapshot(work))) {
      throw new AssertionError("exit 2, but files were written or changed\n" + res);
    }
    return new Outcome(res, after);
  }

  /** Whether an output option of the command line names a file in {@code folder}. */
  private static boolean writesInto(List<String> args, Path folder) {
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String value =
          a.contains("=")
              ? a.substring(a.indexOf('=') + 1)
              : i + 1 < args.size() ? args.get(i + 1) : "";
      if (isOutput(args.get(0), name) && value.startsWith(folder.toString())) {
        return true;
      }
    }
    return false;
  }

  /** The inputs as {@link #inputs} made them. */
  private static void restoreInputs() throws IOException {
    try (Stream<Path> s = Files.walk(in)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    try (Stream<Path> s = Files.walk(pristine)) {
      for (Path f : s.toList()) {
        Files.copy(f, in.resolve(pristine.relativize(f).toString()));
      }
    }
  }

  /** The folder's files by content only (a second run writes them at another time). */
  private static Map<String, String> contents(Path d) throws IOException {
    Map<String, String> m = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.toList()) {
        m.put(
            d.relativize(p).toString(),
            Files.isDirectory(p) ? "dir" : Arrays.hashCode(Files.readAllBytes(p)) + "");
      }
    }
    return m;
  }

  /** The stderr of the last case checked ({@code -Dengram.fuzz.messages=true} lists them). */
  static String lastError = "";

  /** A refusal with its paths and numbers taken out: refusals of one kind have one shape. */
  static String shape(String err) {
    return err.replace(dir.toString(), "")
        .replaceAll("'[^']*'", "'_'")
        .replaceAll("[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?", "#");
  }

  /** The checks of one case; a problem is thrown as an AssertionError naming it. */
  static int check(List<String> args) throws Exception {
    Outcome first = runCase(args);
    ToolRun.Result res = first.result();
    lastError = res.err();
    String err = res.err();
    if (err.contains("Exception") || err.contains("\tat ") || err.contains("java.")) {
      throw new AssertionError("Java exception text on stderr\n" + res);
    }
    if (res.status() == 2) {
      if (!res.out().isEmpty()) {
        throw new AssertionError("exit 2 with output on stdout\n" + res);
      }
      if (!err.startsWith("engram: ")
          || !err.endsWith("\n")
          || err.indexOf('\n') != err.length() - 1) {
        throw new AssertionError("exit 2 needs exactly one line on stderr\n" + res);
      }
      if (err.matches("(?s).*'(-[-\\w]+)' \\(did you mean '\\1'.*")) {
        throw new AssertionError("a refusal that offers the option given\n" + res);
      }
      if (!namesSomething(err, args)) {
        throw new AssertionError("the refusal names no option or input\n" + res);
      }
    } else if (res.status() == 0) {
      for (String line : err.split("\n", -1)) {
        if (!line.isEmpty() && !line.startsWith("engram: ")) {
          throw new AssertionError("stderr line not of engram\n" + res);
        }
      }
      promisedOutputs(args, res);
    } else {
      throw new AssertionError("exit " + res.status() + " (neither 0 nor 2)\n" + res);
    }
    Outcome second = runCase(args);
    if (second.result().status() != res.status()
        || !second.result().out().equals(res.out())
        || !second.result().err().equals(res.err())
        || !second.files().equals(first.files())) {
      throw new AssertionError(
          "a second run differs\nfirst: "
              + res
              + "\n"
              + first.files()
              + "\nsecond: "
              + second.result()
              + "\n"
              + second.files());
    }
    return res.status();
  }

  private static boolean namesSomething(String err, List<String> args) {
    for (String given : args.subList(1, args.size())) {
      String a = EngramCli.printable(given); // (as the message writes it: a tab as \t)
      // a value named as it was given ("true: file not found" for inspect --json true)
      if (a.length() > 1 && err.contains(a) || err.startsWith("engram: " + a + ":")) {
        return true;
      }
    }
    return err.contains("--")
        || err.contains(dir.toString())
        || err.contains("MODEL")
        || err.contains("-q")
        || err.contains("is not a command")
        || err.contains("Unmatched argument")
        || err.contains("Unknown option");
  }

  /** The outputs a successful command line promises: each exists and is what it should be. */
  private static void promisedOutputs(List<String> args, ToolRun.Result res) throws IOException {
    String command = args.get(0);
    if (args.contains("--help") || command.equals("help")) {
      if (!res.out().contains("Usage:")) {
        throw new AssertionError("help without usage\n" + res);
      }
      return;
    }
    switch (command) {
      case "completion" -> {
        if (!res.out().contains("complete")) {
          throw new AssertionError("no completion script\n" + res);
        }
      }
      case "inspect" -> {
        if (args.contains("--json") || args.contains("--json=true")) {
          Json.parse(res.out());
        } else if (!res.out().contains("neurons")) {
          throw new AssertionError("inspect printed no description\n" + res);
        }
      }
      case "capacity" -> {
        if (!(res.out() + res.err()).contains("P/N")) {
          throw new AssertionError("capacity printed no table\n" + res);
        }
      }
      default -> {}
    }
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        break;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String value =
          a.contains("=")
              ? a.substring(a.indexOf('=') + 1)
              : i + 1 < args.size() ? args.get(i + 1) : "";
      if (isOutput(command, name)) {
        valid(name, value, res);
      }
    }
  }

  private static boolean isOutput(String command, String name) {
    for (Command c : COMMANDS) {
      if (c.name().equals(command)) {
        for (Opt o : c.required()) {
          if (o.name().equals(name)) {
            return o.output();
          }
        }
        for (Opt o : c.optional()) {
          if (o.name().equals(name)) {
            return o.output();
          }
        }
      }
    }
    return false;
  }

  private static void valid(String option, String value, ToolRun.Result res) throws IOException {
    Path p = Path.of(value);
    if (value.endsWith("/") || option.equals("--images")) { // (--images is a folder, always)
      try (Stream<Path> s = Files.list(p)) {
        List<Path> files = s.toList();
        if (files.isEmpty()) {
          throw new AssertionError(option + " " + value + ": an empty folder\n" + res);
        }
        for (Path f : files) {
          magic(option, f, "\u0089PNG", res);
        }
      }
      return;
    }
    if (!Files.isRegularFile(p)) {
      throw new AssertionError(option + " " + value + " was not written\n" + res);
    }
    String name = p.getFileName().toString();
    if (name.endsWith(".png")) {
      magic(option, p, "\u0089PNG", res);
    } else if (name.endsWith(".npz") || name.endsWith(".npy")) {
      // (either kind of content: np.load reads both by what they hold, whatever the name)
      byte[] b = Files.readAllBytes(p);
      if (!(b.length > 6 && (b[0] == 'P' && b[1] == 'K' || (b[0] & 0xff) == 0x93 && b[1] == 'N'))) {
        throw new AssertionError(option + " " + value + " is neither .npy nor .npz\n" + res);
      }
    } else if (name.endsWith(".json")) {
      Json.parse(Files.readString(p));
    } else if (name.endsWith(".csv")) {
      String text = Files.readString(p);
      if (text.isEmpty() || !text.matches("(?s)[-0-9a-z_.,eE\\s+]*")) {
        throw new AssertionError(option + " " + value + " is no CSV of numbers\n" + res);
      }
    }
  }

  private static void magic(String option, Path f, String start, ToolRun.Result res)
      throws IOException {
    byte[] b = Files.readAllBytes(f);
    String head = new String(b, 0, Math.min(b.length, start.length()), StandardCharsets.ISO_8859_1);
    if (!head.equals(start)) {
      throw new AssertionError(option + " " + f + " is not a " + start.strip() + " file\n" + res);
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void randomCommandLinesEndCleanly() throws Exception {
    int cases = setting("engram.fuzz.cases", "ENGRAM_FUZZ_CASES", CI_CASES);
    int seed = setting("engram.fuzz.seed", "ENGRAM_FUZZ_SEED", 20261201);
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, String> failures = new LinkedHashMap<>();
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    Map<String, String> refusals = new java.util.TreeMap<>();
    long start = System.nanoTime();
    String only = System.getProperty("engram.fuzz.case", "");
    for (int k = 0; k < (only.isEmpty() ? cases : 1); k++) {
      long caseSeed = only.isEmpty() ? r.nextLong() : Long.parseLong(only.strip());
      List<String> args = commandLine(new SplittableRandom(caseSeed));
      try {
        int status = check(args);
        statuses.merge(status, 1, Integer::sum);
        if (status == 2 && Boolean.getBoolean("engram.fuzz.messages")) {
          refusals.putIfAbsent(shape(lastError), show(args) + "\n    " + lastError.strip());
        }
      } catch (AssertionError e) {
        String key = e.getMessage().lines().findFirst().orElse("");
        failures.putIfAbsent(
            key + " | " + args.get(0),
            "case " + k + " (seed " + caseSeed + "): " + show(args) + "\n" + e.getMessage());
        if (e.getMessage().contains("a hang")) {
          break; // the runner's thread is still busy
        }
      }
    }
    for (String refusal : refusals.values()) {
      System.out.println(refusal);
    }
    System.out.printf(
        "OptionFuzzTest: %d cases (seed %d) in %.1f s, exit statuses %s, %d kinds of failure%n",
        cases, seed, (System.nanoTime() - start) / 1e9, statuses, failures.size());
    if (!failures.isEmpty()) {
      fail(failures.size() + " kinds of failure:\n\n" + String.join("\n\n", failures.values()));
    }
  }

  static int setting(String property, String env, int fallback) {
    String v = System.getProperty(property, System.getenv(env));
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
  }

  /** A command line as a shell would take it back. */
  static String show(List<String> args) {
    StringBuilder b = new StringBuilder("engram");
    for (String a : args) {
      b.append(' ');
      if (a.matches("[-A-Za-z0-9_./=,:+]+")) {
        b.append(a.replace(dir.toString() + "/", ""));
      } else {
        b.append('\'')
            .append(a.replace(dir.toString() + "/", "").replace("'", "'\\''"))
            .append('\'');
      }
    }
    return b.toString();
  }
}
