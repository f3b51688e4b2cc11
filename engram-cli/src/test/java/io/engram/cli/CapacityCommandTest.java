package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.analysis.CapacityPoint;
import io.engram.analysis.CapacitySweep;
import io.engram.analysis.MemoryFactory;
import io.engram.internal.Json;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engram capacity} and {@code engram demo --compare}: the contract's outputs (table, JSON,
 * CSV, PNG), that they are the library's sweep, bad input, and an interrupted run that leaves no
 * file.
 */
class CapacityCommandTest {

  @TempDir static Path dir;

  @BeforeAll
  static void files() throws IOException {
    Files.writeString(dir.resolve("pm.csv"), "1,-1,1,-1\n-1,-1,1,1\n1,1,1,-1\n");
    Files.writeString(dir.resolve("half.csv"), "1,-1,1,-1\n1,0.5,1,1\n");
  }

  private static String[] args(String... a) {
    String[] full = new String[a.length];
    for (int i = 0; i < a.length; i++) {
      full[i] = a[i].replace("@", dir.toString() + "/");
    }
    return full;
  }

  @Test
  @SuppressWarnings("unchecked")
  void withTwoTrialsTheTablesIntervalsAreTheJsonsWithinTheirRange() throws IOException {
    // two trials: Student's t (12.7 s/√2) gave "0.917 ±1.059" in the table where JSON said [0, 1]
    ToolRun.Result r =
        ToolRun.run(
            args(
                "capacity",
                "--neurons",
                "60",
                "--patterns",
                "2,6,10,14",
                "--trials",
                "2",
                "--json",
                "@two.json",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    Map<String, Object> json =
        (Map<String, Object>) Json.parse(Files.readString(dir.resolve("two.json")));
    assertEquals(
        Map.of(
            "one_step_error", "wilson",
            "stable_fraction", "wilson",
            "recalled_fraction", "wilson",
            "mean_overlap", "student-t",
            "mean_steps", "student-t"),
        json.get("intervals"));
    List<Map<String, Object>> points = (List<Map<String, Object>>) json.get("points");
    String[] fields = {
      "one_step_error", "stable_fraction", "recalled_fraction", "mean_overlap", "mean_steps"
    };
    String[] formats = {"%.5f", "%.3f", "%.3f", "%.4f", "%.2f"};
    java.util.regex.Pattern cell =
        java.util.regex.Pattern.compile(
            "(-?\\d+\\.\\d+)(?: ±(\\d+\\.\\d+)| \\[(-?\\d+\\.\\d+),(-?\\d+\\.\\d+)\\])");
    int rows = 0;
    int bar = -1;
    for (String line : r.out().split("\n")) {
      String[] tokens = line.trim().split("\\s+");
      if (tokens.length < 2 || !tokens[0].matches("\\d+") || !line.contains("|")) {
        continue;
      }
      // the columns line up: a lopsided overlap interval, [low,high], pushed the rest along
      assertTrue(bar < 0 || line.indexOf('|') == bar, r::out);
      bar = line.indexOf('|');
      Map<String, Object> pt = points.get(rows++);
      assertEquals(Integer.parseInt(tokens[0]), ((Number) pt.get("patterns")).intValue());
      java.util.regex.Matcher m = cell.matcher(line.substring(0, line.indexOf('|')));
      for (int q = 0; q < fields.length; q++) {
        assertTrue(m.find(), line);
        double mean = ((Number) pt.get(fields[q])).doubleValue();
        double low = ((Number) pt.get(fields[q] + "_low")).doubleValue();
        double high = ((Number) pt.get(fields[q] + "_high")).doubleValue();
        if (q < 3) {
          assertTrue(0 <= low && low <= mean && mean <= high && high <= 1, fields[q] + ": " + pt);
        }
        String f = formats[q];
        assertEquals(String.format(java.util.Locale.ROOT, f, mean), m.group(1), line);
        if (m.group(2) != null) {
          // ± h: both ends h from the mean at the cell's precision
          assertEquals(String.format(java.util.Locale.ROOT, f, mean - low), m.group(2), line);
          assertEquals(String.format(java.util.Locale.ROOT, f, high - mean), m.group(2), line);
        } else {
          assertEquals(String.format(java.util.Locale.ROOT, f, low), m.group(3), line);
          assertEquals(String.format(java.util.Locale.ROOT, f, high), m.group(4), line);
        }
      }
    }
    assertEquals(4, rows, r::out);
    assertTrue(r.out().contains("[low,high]"), r::out);
  }

  @Test
  void writesTheTableJsonCsvAndPlotOfTheLibrarysSweep() throws IOException {
    ToolRun.Result r =
        ToolRun.run(
            args(
                "capacity",
                "--rule",
                "hebbian",
                "--neurons",
                "200",
                "--patterns",
                "10,20,40",
                "--trials",
                "3",
                "--flip",
                "0.15",
                "--seed",
                "7",
                "--json",
                "@c.json",
                "--csv",
                "@c.csv",
                "--plot",
                "@c.png",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err());

    @SuppressWarnings("unchecked")
    Map<String, Object> json =
        (Map<String, Object>) Json.parse(Files.readString(dir.resolve("c.json")));
    assertEquals("hebbian", json.get("rule"));
    assertEquals(200L, json.get("neurons"));
    List<?> points = (List<?>) json.get("points");
    assertEquals(3, points.size());

    // the same sweep through the library: the command adds nothing of its own
    List<CapacityPoint> lib =
        CapacitySweep.builder(
                MemoryFactory.classical(HebbianRule.hebbian(HebbianOptions.DEFAULTS)), 200)
            .loads(10, 20, 40)
            .trials(3)
            .flip(0.15)
            .seed(7)
            .build()
            .run();
    String[] keys = {
      "one_step_error", "stable_fraction", "recalled_fraction", "mean_overlap", "mean_steps"
    };
    for (int i = 0; i < 3; i++) {
      Map<?, ?> m = (Map<?, ?>) points.get(i);
      CapacityPoint p = lib.get(i);
      assertEquals((long) p.patterns(), m.get("patterns"));
      assertEquals(p.patterns() / 200.0, (Double) m.get("load"), 1e-15);
      assertEquals(3L, m.get("trials"));
      double[] expected = {
        p.oneStepError().mean(),
        p.stableFraction().mean(),
        p.recalledFraction().mean(),
        p.meanOverlap().mean(),
        p.meanSteps().mean()
      };
      for (int k = 0; k < keys.length; k++) {
        assertEquals(expected[k], ((Number) m.get(keys[k])).doubleValue(), 1e-12, keys[k]);
        double lo = ((Number) m.get(keys[k] + "_low")).doubleValue();
        double hi = ((Number) m.get(keys[k] + "_high")).doubleValue();
        assertTrue(lo <= expected[k] && expected[k] <= hi, keys[k] + " interval");
      }
      assertTrue(m.containsKey("theory_one_step_error_exact"), "Hebbian on random patterns");
    }

    List<String> csv = Files.readAllLines(dir.resolve("c.csv"));
    assertEquals(4, csv.size());
    assertTrue(csv.get(0).startsWith("patterns,load,trials,one_step_error,"), csv.get(0));
    assertTrue(csv.get(2).startsWith("20,0.1,3,"), csv.get(2));

    BufferedImage png = ImageIO.read(dir.resolve("c.png").toFile());
    assertEquals(900, png.getWidth());

    String[] lines = r.out().split("\n");
    assertTrue(lines[0].startsWith("engram capacity: hebbian rule"), r.out());
    long rows = r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+0\\.\\d{3}\\s.*")).count();
    assertEquals(3, rows, r.out());
    assertTrue(r.out().contains("N/(4 ln N) = 9.4"), r.out());
  }

  /**
   * {@code --compare}: the four memories on the same patterns, loads and cues, each run exactly as
   * alone, side by side, with the one that holds the most named; the outputs hold all four.
   */
  @Test
  void compareSweepsEveryMemoryOnTheSamePatternsAndNamesTheOneThatHoldsTheMost()
      throws IOException {
    // the sweep, the same for --compare and for each memory alone
    List<String> sweep =
        List.of(
            "--neurons",
            "100",
            "--patterns",
            "5,15,40",
            "--trials",
            "2",
            "--flip",
            "0.1",
            "--seed",
            "3",
            "-q");
    List<String> all = new ArrayList<>(List.of("capacity", "--compare"));
    all.addAll(sweep);
    all.addAll(List.of("--json", "@cmp.json", "--csv", "@cmp.csv", "--plot", "@cmp.png"));
    ToolRun.Result r = ToolRun.run(args(all.toArray(new String[0])));
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err());
    String[] memories = {"hebbian", "storkey", "pseudo-inverse", "modern"};
    @SuppressWarnings("unchecked")
    Map<String, Object> json =
        (Map<String, Object>) Json.parse(Files.readString(dir.resolve("cmp.json")));
    List<?> runs = (List<?>) json.get("compare");
    assertEquals(4, runs.size());
    for (int k = 0; k < 4; k++) {
      Map<?, ?> run = (Map<?, ?>) runs.get(k);
      assertEquals(k == 3 ? "modern" : "classical", run.get("memory"));
      assertEquals(k == 3 ? null : memories[k], run.get("rule"));
      // the run is the one the memory makes alone with the same settings: the same numbers
      String[] alone =
          k == 3 ? new String[] {"--memory", "modern"} : new String[] {"--rule", memories[k]};
      List<String> a = new ArrayList<>(List.of("capacity"));
      a.addAll(List.of(alone));
      a.addAll(sweep);
      a.addAll(List.of("--json", "@alone.json"));
      assertEquals(0, ToolRun.run(args(a.toArray(new String[0]))).status());
      Map<?, ?> single = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("alone.json")));
      assertEquals(single.get("points"), run.get("points"), memories[k]);
      assertEquals(single.get("holds_99"), run.get("holds_99"), memories[k]);
    }
    // Hebb holds 5 of N = 100 random patterns and not 40 (0.14 N); the pseudo-inverse and modern
    // memory all three loads
    long hebbian = (Long) ((Map<?, ?>) runs.get(0)).get("holds_99");
    assertTrue(hebbian < 40, "hebbian holds " + hebbian);
    assertEquals(List.of("pseudo-inverse", "modern"), json.get("holds_most"));

    List<String> csv = Files.readAllLines(dir.resolve("cmp.csv"));
    assertEquals(1 + 4 * 3, csv.size());
    assertTrue(csv.get(0).startsWith("memory,patterns,load,trials,one_step_error,"), csv.get(0));
    assertTrue(csv.get(1).startsWith("hebbian,5,0.05,2,"), csv.get(1));
    assertTrue(csv.get(12).startsWith("modern,40,0.4,2,"), csv.get(12));
    assertEquals(900, ImageIO.read(dir.resolve("cmp.png").toFile()).getWidth());

    // the table: each memory's own, then the comparison
    for (String m :
        new String[] {"hebbian rule", "storkey rule", "pseudo-inverse rule", "modern"}) {
      assertTrue(r.out().contains("engram capacity: " + m), m + ": " + r.out());
    }
    assertTrue(
        r.out()
            .contains(
                "     P    P/N         hebbian         storkey  pseudo-inverse          modern\n"
                    + "     5  0.050  "),
        r.out());
    assertTrue(r.out().contains("Holds the most: pseudo-inverse and modern (every load"), r.out());
    for (String line : r.out().substring(r.out().indexOf("Compared:")).split("\n")) {
      assertTrue(line.length() <= 80, "a line of more than 80 columns: " + line);
    }

    // one memory holds every load: nothing to tell apart, only how far it goes
    ToolRun.Result alone =
        ToolRun.run(
            args(
                "capacity",
                "--compare",
                "--neurons",
                "50",
                "--patterns",
                "2,5,40",
                "--trials",
                "2",
                "-q"));
    assertEquals(0, alone.status(), alone::toString);
    assertTrue(
        alone
            .out()
            .endsWith(
                "Holds the most: modern (every load measured;\n"
                    + "  give larger loads with --patterns to see how far it goes).\n"),
        alone.out());

    // given data, all of it held: more loads cannot tell the memories apart, more noise can
    ToolRun.Result data = ToolRun.run(args("capacity", "--compare", "--data", "@pm.csv", "-q"));
    assertEquals(0, data.status(), data::toString);
    assertTrue(
        data.out()
            .endsWith(
                "Holds the most: pseudo-inverse and modern (all 3 of the given patterns;\n"
                    + "  more noise with --flip would tell them apart).\n"),
        data.out());
    // partial cues: the advice names what hides them; one memory alone holds all three
    data =
        ToolRun.run(args("capacity", "--compare", "--data", "@pm.csv", "--occlude", "0.25", "-q"));
    assertEquals(0, data.status(), data::toString);
    assertTrue(
        data.out()
            .endsWith(
                "Holds the most: modern (all 3 of the given patterns;\n"
                    + "  more of each cue hidden (--erase, --occlude) or noise (--flip) would show"
                    + " how much it withstands).\n"),
        data.out());

    // one memory or all: --rule, --memory, --beta, --subtract-mean name one
    for (String[] one :
        new String[][] {
          {"--rule", "storkey"},
          {"--memory", "modern"},
          {"--beta", "0.5"},
          {"--subtract-mean", "false"}
        }) {
      ToolRun.Result bad =
          ToolRun.run(
              args(
                  "capacity", "--compare", one[0], one[1], "--neurons", "50", "--json", "@x.json"));
      assertEquals(2, bad.status(), bad::toString);
      assertEquals(
          "engram: "
              + one[0]
              + (one[0].equals("--rule") || one[0].equals("--memory")
                  ? " chooses one memory"
                  : " sets an option of one memory")
              + ", and --compare sweeps all of them (hebbian, storkey, pseudo-inverse, modern)"
              + " with their defaults; leave one of the two out",
          bad.err().strip());
      assertFalse(Files.exists(dir.resolve("x.json")));
    }
  }

  @Test
  void storkeyAndPseudoInverseAreMeasuredWithTheirCapacities() throws IOException {
    // Storkey at N = 100: about 1.00 stable at P = 20, 0.35 at P = 60 (issue 11's figures)
    ToolRun.Result r =
        ToolRun.run(
            args(
                "capacity",
                "--rule",
                "storkey",
                "--neurons",
                "100",
                "--patterns",
                "20,60",
                "--trials",
                "20",
                "--flip",
                "0",
                "--seed",
                "3",
                "--json",
                "@s.json",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> s =
        (Map<String, Object>) Json.parse(Files.readString(dir.resolve("s.json")));
    assertEquals("storkey", s.get("rule"));
    List<?> sp = (List<?>) s.get("points");
    double low = ((Number) ((Map<?, ?>) sp.get(0)).get("stable_fraction")).doubleValue();
    double high = ((Number) ((Map<?, ?>) sp.get(1)).get("stable_fraction")).doubleValue();
    assertTrue(low > 0.95 && high > 0.15 && high < 0.6, low + " at P = 20, " + high + " at 60");
    assertTrue(Files.readString(dir.resolve("s.json")).contains("\"storkey\""), "its capacity");

    // pseudo-inverse: every pattern a fixed point at P = 0.8 N
    r =
        ToolRun.run(
            args(
                "capacity",
                "--rule",
                "pseudo-inverse",
                "--neurons",
                "100",
                "--patterns",
                "40,80",
                "--trials",
                "4",
                "--flip",
                "0",
                "--json",
                "@p.json",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> p =
        (Map<String, Object>) Json.parse(Files.readString(dir.resolve("p.json")));
    assertEquals("pseudo-inverse", p.get("rule"));
    for (Object o : (List<?>) p.get("points")) {
      assertEquals(1.0, ((Number) ((Map<?, ?>) o).get("stable_fraction")).doubleValue(), 0);
    }
  }

  /** {@code --flip -0.0} is zero: "0%" in the header and the plot's title, 0.0 in the JSON. */
  @Test
  void aNegativeZeroFlipIsPrintedAsZero() throws IOException {
    ToolRun.Result r =
        ToolRun.run(
            args(
                "capacity",
                "--neurons",
                "12",
                "--patterns",
                "1",
                "--trials",
                "1",
                "--flip",
                "-0.0",
                "--bias",
                "-0.0",
                "--json",
                "@zero.json",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("cues with 0% of their bits flipped"), r::toString);
    assertTrue(r.out().contains("mean activity 0.0,"), r::toString);
    assertFalse(r.out().contains("-0"), r::toString);
    String json = Files.readString(dir.resolve("zero.json"));
    assertTrue(json.contains("\"flip\": 0.0,"), json);
    r = ToolRun.run("demo", "--neurons", "20", "--patterns", "1", "--noise", "-0.0");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("(0% noise)"), r::toString);
  }

  /** The image demo of one pixel counts "1 neuron" (it said "1 neurons"). */
  @Test
  void theImageDemoCountsItsNeurons() throws IOException {
    ToolRun.Result r = ToolRun.run(args("demo", "--size", "1x1", "--out", "@one.png"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("; 1 neuron); figure written to"), r::toString);
    r = ToolRun.run(args("demo", "--size", "2x1", "--out", "@two.png"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("; 2 neurons); figure written to"), r::toString);
  }

  /**
   * The demos from partial cues: --occlude hides the bottom of each cue (--noise then 0 unless
   * given); the image demo recalls its four images from their top halves, --compare names what the
   * cues are; refusals name the options.
   */
  @Test
  void theDemosCompleteOccludedCues() throws IOException {
    ToolRun.Result r =
        ToolRun.run(args("demo", "--size", "32x32", "--occlude", "0.5", "--out", "@half.png"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out()
            .startsWith(
                "Engram demo: 4 of 4 images came back exactly from cues with the bottom 50% hidden"
                    + " (mean overlap 0.500 -> 1.000;"),
        r::toString);
    r =
        ToolRun.run(
            args(
                "demo",
                "--compare",
                "--occlude",
                "0.5",
                "--patterns",
                "6",
                "--out",
                "@cmp-half.png",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out()
            .startsWith(
                "Engram demo --compare: 6 letters of 32x32 (1024 neurons), cues with the bottom 50% hidden:"),
        r::toString);
    // a share below 1% is told as it is ("0%" was printed for 4 of 1024 pixels hidden)
    r =
        ToolRun.run(
            args("demo", "--size", "32x32", "--occlude", "0.004", "--out", "@little.png", "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("from cues with the bottom 0.4% hidden"), r::toString);
    fails("--occlude must be in [0, 1], got 1.5", "demo", "--occlude", "1.5", "--out", "@x.png");
    fails(
        "--noise + --occlude must be at most 1 (each pixel of a cue is changed at most once), got"
            + " 0.6 + 0.5",
        "demo",
        "--noise",
        "0.6",
        "--occlude",
        "0.5",
        "--out",
        "@x.png");
    fails("--occlude does not apply to --neurons", "demo", "--neurons", "30", "--occlude", "0.5");
  }

  /**
   * A cue flips round(F N) bits: at N = 12, --flip 0.1 flips 1 (8.3%), and the header, the plot's
   * title and the JSON say so instead of "10%"; where F N is whole the header stays "10%".
   */
  @Test
  void theFlipsACueReallyHasAreReported() throws IOException {
    ToolRun.Result r =
        ToolRun.run(
            args(
                "capacity",
                "--neurons",
                "12",
                "--patterns",
                "1",
                "--trials",
                "1",
                "--flip",
                "0.1",
                "--json",
                "@flips.json",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out().contains(", cues with 1 of their 12 bits flipped (10% asked), seed 42"),
        r::toString);
    Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("flips.json")));
    assertEquals(0.1, root.get("flip"));
    assertEquals(1L, root.get("flipped_bits"));
    r = ToolRun.run(args("capacity", "--neurons", "20", "--patterns", "1", "--trials", "1", "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains(", cues with 10% of their bits flipped, seed 42"), r::toString);
    // a share too small for one bit: what was done and what was asked, not "0% ... erased"
    r =
        ToolRun.run(
            args(
                "capacity",
                "--neurons",
                "20",
                "--patterns",
                "1",
                "--trials",
                "1",
                "--erase",
                "1e-300",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out().contains(", cues with 0 of their 20 bits erased (1.0e-298% asked), seed 42"),
        r::toString);
  }

  /**
   * Partial cues in the lab: --erase and --occlude (--flip then 0 unless given), said in the header
   * and the JSON with the bits they set to 0; a Hebbian network at a low load completes half
   * patterns, and none with every bit erased; the three shares together at most 1.
   */
  @Test
  void partialCuesAreMeasuredAndReported() throws IOException {
    ToolRun.Result r =
        ToolRun.run(
            args(
                "capacity",
                "--neurons",
                "200",
                "--patterns",
                "2,4",
                "--trials",
                "2",
                "--occlude",
                "0.5",
                "--erase",
                "0.1",
                "--json",
                "@partial.json",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out().contains(", cues with 10% of their bits erased, the last 50% occluded, seed 42"),
        r::toString);
    Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("partial.json")));
    assertEquals(0.0, root.get("flip"));
    assertEquals(0L, root.get("flipped_bits"));
    assertEquals(0.1, root.get("erase"));
    assertEquals(20L, root.get("erased_bits"));
    assertEquals(0.5, root.get("occlude"));
    assertEquals(100L, root.get("occluded_bits"));
    for (Object point : (List<?>) root.get("points")) {
      assertEquals(1.0, ((Map<?, ?>) point).get("recalled_fraction"), point::toString);
    }
    r =
        ToolRun.run(
            args(
                "capacity",
                "--neurons",
                "20",
                "--patterns",
                "1",
                "--trials",
                "1",
                "--flip",
                "0.2",
                "--occlude",
                "0.3",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out().contains(", cues with 20% of their bits flipped, the last 30% occluded, seed 42"),
        r::toString);
    r =
        ToolRun.run(
            args(
                "capacity",
                "--neurons",
                "20",
                "--patterns",
                "1,2",
                "--trials",
                "1",
                "--erase",
                "1",
                "--json",
                "@blank.json",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("blank.json")));
    for (Object point : (List<?>) root.get("points")) {
      assertEquals(0.0, ((Map<?, ?>) point).get("recalled_fraction"), point::toString);
    }
    fails(
        "--flip + --erase + --occlude must be at most 1 (each position of a cue is corrupted at"
            + " most once), got 0.1 + 0.5 + 0.5",
        "capacity",
        "--neurons",
        "20",
        "--flip",
        "0.1",
        "--erase",
        "0.5",
        "--occlude",
        "0.5");
    // given data and no random positions, every trial is the same: one is run, and said so
    r =
        ToolRun.run(
            args(
                "capacity",
                "--data",
                "@pm.csv",
                "--occlude",
                "0.25",
                "--trials",
                "4",
                "--json",
                "@once.json",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertEquals(
        "engram: note: with --data and cues without random positions (no value flipped or"
            + " erased, or all of them), every trial is the same; running 1 trial, not 4",
        r.err().strip(),
        r::toString);
    root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("once.json")));
    assertEquals(1L, root.get("trials"));
    r =
        ToolRun.run(
            args(
                "capacity",
                "--data",
                "@pm.csv",
                "--occlude",
                "0.25",
                "--erase",
                "0.25",
                "--trials",
                "4",
                "--json",
                "@twice.json",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err(), r::toString);
    fails("--erase must be in [0, 1], got -1.0", "capacity", "--neurons", "20", "--erase", "-1");
    fails("--occlude must be in [0, 1], got 2.0", "capacity", "--neurons", "20", "--occlude", "2");
  }

  /**
   * Whether a trial of given data draws anything is told by the counts, not the shares: --erase
   * 1e-300 (no bit of 4), --flip 1 (every bit) and --erase 1 made the same cues in every trial, and
   * 4 trials ran alike, with intervals of 0; given --erase 0 or --occlude 0, --flip is 0 (as the
   * help says: 0 with --erase or --occlude), not the default 0.1 added to it.
   */
  @Test
  void trialsOfDataThatDrawNothingAreOneAndAGivenZeroShareLeavesFlipAtZero() throws IOException {
    for (String[] cue :
        List.of(
            new String[] {"--erase", "1e-300"},
            new String[] {"--flip", "1e-300"},
            new String[] {"--flip", "1"},
            new String[] {"--erase", "1"},
            new String[] {"--flip", "0.5", "--occlude", "0.5"})) {
      List<String> a =
          new java.util.ArrayList<>(
              List.of("capacity", "--data", "@pm.csv", "--trials", "4", "--json", "@same.json"));
      a.addAll(List.of(cue));
      a.add("-q");
      ToolRun.Result r = ToolRun.run(args(a.toArray(new String[0])));
      assertEquals(0, r.status(), r::toString);
      assertTrue(r.err().contains("every trial is the same; running 1 trial, not 4"), r::toString);
      Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("same.json")));
      assertEquals(1L, root.get("trials"), List.of(cue)::toString);
    }
    for (String zero : List.of("--erase", "--occlude")) {
      ToolRun.Result r =
          ToolRun.run(
              args(
                  "capacity",
                  "--neurons",
                  "20",
                  "--patterns",
                  "1",
                  "--trials",
                  "1",
                  zero,
                  "0",
                  "--json",
                  "@zero.json",
                  "-q"));
      assertEquals(0, r.status(), r::toString);
      Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("zero.json")));
      assertEquals(0.0, root.get("flip"), zero + " 0: " + r);
      assertEquals(0L, root.get("flipped_bits"), zero + " 0: " + r);
    }
  }

  /**
   * The load at large N: P = 2 of N = 40000 was "0.000" in the table's P/N column and "(0.000 N)"
   * in the line of what holds, as if nothing were stored; it is shown with two significant digits.
   */
  @Test
  void aSmallLoadOfALargeNetworkIsShownWithItsDigits() {
    assertEquals("0.000", CapacityReport.load(0));
    assertEquals("0.040", CapacityReport.load(0.04));
    assertEquals("0.001", CapacityReport.load(0.001));
    assertEquals("5.0e-4", CapacityReport.load(2.0 / 4000));
    assertEquals("5.0e-5", CapacityReport.load(2.0 / 40000));
    assertEquals("2.2e-9", CapacityReport.load(2.2e-9));
    ToolRun.Result r =
        ToolRun.run(
            "capacity",
            "--memory",
            "modern",
            "--neurons",
            "40000",
            "--patterns",
            "1,2",
            "--trials",
            "1",
            "-q");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("\n     2 5.0e-5  "), r::toString);
    assertTrue(r.out().contains("Holds: up to P = 2 (5.0e-5 N) at least 99%"), r::toString);
  }

  @Test
  void defaultLoadsFollowN() {
    assertArrayEquals(
        new int[] {20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 250, 300, 370, 610},
        CapacityCommand.defaultLoads(LabMemories.HEBBIAN_LOADS, 1000));
    assertArrayEquals(
        new int[] {1, 2, 3, 4, 6}, CapacityCommand.defaultLoads(LabMemories.HEBBIAN_LOADS, 10));
    assertArrayEquals(new int[] {1, 2, 3}, CapacityCommand.spread(3));
    assertArrayEquals(
        new int[] {5, 10, 15, 20, 25, 30, 35, 40, 45, 50}, CapacityCommand.spread(50));
  }

  @Test
  void userDataAreStoredAsPrefixes() throws IOException {
    ToolRun.Result r =
        ToolRun.run(args("capacity", "--data", "@pm.csv", "--trials", "2", "--json", "@d.json"));
    assertEquals(0, r.status(), r::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> json =
        (Map<String, Object>) Json.parse(Files.readString(dir.resolve("d.json")));
    assertEquals("data", json.get("source"));
    assertEquals(4L, json.get("neurons"));
    List<?> points = (List<?>) json.get("points");
    assertEquals(3, points.size(), "loads 1, 2, 3: every prefix of three patterns");
    assertFalse(((Map<?, ?>) points.get(0)).containsKey("theory_overlap"), "no theory for data");
  }

  /**
   * --size with array data (whose length is N) is an error, as it is without --data; it was ignored
   * without a word.
   */
  @Test
  void sizeIsForImageData() throws IOException {
    fails(
        "--size applies to --data images only; "
            + dir
            + "/pm.csv holds patterns of length 4,"
            + " not images",
        "capacity",
        "--data",
        "@pm.csv",
        "--size",
        "3x3",
        "--trials",
        "2",
        "--json",
        "@s.json");
  }

  /**
   * Images of mixed sizes in --data get the warning line train and recall print (they were resized
   * without a word); with --size, which asks for the resizing, nothing is printed.
   */
  @Test
  void mixedImageSizesAreNamed() throws IOException {
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    for (int k = 0; k < 3; k++) {
      int w = k == 2 ? 16 : 8;
      BufferedImage img = new BufferedImage(w, 8, BufferedImage.TYPE_INT_RGB);
      for (int i = 0; i < w * 8; i++) {
        img.setRGB(i % w, i / w, (i * 7 + k) % 3 == 0 ? 0xFFFFFF : 0);
      }
      ImageIO.write(img, "png", mixed.resolve(k + ".png").toFile());
    }
    ToolRun.Result r = ToolRun.run(args("capacity", "--data", "@mixed", "--trials", "2", "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.err().startsWith("engram: warning: 1 of 3 images is not 8x8 like the first"),
        r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    r = ToolRun.run(args("capacity", "--data", "@mixed", "--size", "8x8", "--trials", "2", "-q"));
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err(), "--size asked for the resizing: " + r);
  }

  /**
   * A modern memory's sweep names its beta in the table's header (sweeps with other betas had the
   * same header, and the plot the same title).
   */
  @Test
  void aModernSweepNamesItsBeta() {
    String[] common = {
      "capacity", "--memory", "modern", "--neurons", "100", "--patterns", "3", "--trials", "1", "-q"
    };
    ToolRun.Result r = ToolRun.run(common);
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out().startsWith("engram capacity: modern memory (beta 1/sqrt N = 0.100), N = 100,"),
        r::toString);
    r = ToolRun.run(cat(new String[] {"--beta", "2.5"}, common));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out().startsWith("engram capacity: modern memory (beta 2.5), N = 100,"), r::toString);
  }

  /**
   * A one-step error above 0.5 is drawn: the anti-Hebbian rule flips every bit of a stored pattern
   * (error 1), which lay above the error axis (it stopped at 0.5), leaving its panel empty.
   */
  @Test
  void aOneStepErrorAboveOneHalfIsDrawn() throws IOException {
    Path png = dir.resolve("anti.png");
    ToolRun.Result r =
        ToolRun.run(
            args(
                "capacity",
                "--rule",
                "anti-hebbian",
                "--neurons",
                "50",
                "--patterns",
                "3,5",
                "--trials",
                "2",
                "-q",
                "--plot",
                "@anti.png"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("1.00000"), r::toString);
    BufferedImage img = ImageIO.read(png.toFile());
    // the error panel is the middle third; its curve is the third colour (0, 158, 115)
    int green = 0;
    for (int y = img.getHeight() * 325 / 1000; y < img.getHeight() * 62 / 100; y++) {
      for (int x = img.getWidth() / 10; x < img.getWidth(); x++) {
        green += (img.getRGB(x, y) & 0xFFFFFF) == 0x009E73 ? 1 : 0;
      }
    }
    assertTrue(green > 20, "the error curve drawn in its panel: " + green + " pixels");
  }

  private static void fails(String expected, String... a) throws IOException {
    Map<String, String> before = ToolRun.snapshot(dir);
    ToolRun.Result r = ToolRun.run(args(a));
    assertEquals(2, r.status(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in " + r);
    assertTrue(r.err().startsWith("engram: "), r::toString);
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
    assertEquals(before, ToolRun.snapshot(dir), "nothing written by " + String.join(" ", a));
  }

  @Test
  void badInputIsOneLineAndWritesNothing() throws IOException {
    String[] out = {"--json", "@x.json", "--csv", "@x.csv", "--plot", "@x.png"};
    fails("--neurons must be in 1..46340, got 0", cat(out, "capacity", "--neurons", "0"));
    fails("--neurons N is required", cat(out, "capacity"));
    fails(
        "--patterns must increase without repeats, got 10 after 20",
        cat(out, "capacity", "--neurons", "100", "--patterns", "20,10"));
    fails(
        "--patterns must increase without repeats, got 10 after 10",
        cat(out, "capacity", "--neurons", "100", "--patterns", "10,10"));
    fails(
        "--patterns must be >= 1, got 0",
        cat(out, "capacity", "--neurons", "100", "--patterns", "0,5"));
    fails(
        "--patterns: 'x' is not a whole number",
        cat(out, "capacity", "--neurons", "100", "--patterns", "5,x"));
    // a whole number too large for a load: it was called "not a whole number"
    fails(
        "--patterns 99999999999 is too large (a load is at most 2147483647 patterns)",
        cat(out, "capacity", "--neurons", "100", "--patterns", "10,99999999999"));
    fails(
        "--patterns must be >= 1, got -99999999999",
        cat(out, "capacity", "--neurons", "100", "--patterns", "-99999999999"));
    fails(
        "--patterns: '' is not a whole number",
        cat(out, "capacity", "--neurons", "100", "--patterns", ""));
    // a file where the loads go (as train --patterns takes one), with or without --neurons
    String told =
        "--patterns: 'faces.npy' is not a whole number (--patterns takes the loads, numbers of"
            + " patterns such as 25,50,100; to measure your own patterns give them with --data"
            + " FILE)";
    fails(told, cat(out, "capacity", "--patterns", "faces.npy"));
    fails(told, cat(out, "capacity", "--neurons", "100", "--patterns", "faces.npy"));
    fails(
        "--patterns: 'img/' is not a whole number (--patterns takes the loads",
        cat(out, "capacity", "--patterns", "10,img/"));
    fails(
        "--flip must be in [0, 1], got NaN",
        cat(out, "capacity", "--neurons", "9", "--flip", "NaN"));
    fails(
        "--flip must be in [0, 1], got 2.0", cat(out, "capacity", "--neurons", "9", "--flip", "2"));
    fails(
        "--trials must be in 1..100000, got 0",
        cat(out, "capacity", "--neurons", "9", "--trials", "0"));
    fails(
        "--subtract-mean does not apply to the storkey rule (hebbian and anti-hebbian only)",
        cat(out, "capacity", "--neurons", "9", "--rule", "storkey", "--subtract-mean", "false"));
    fails(
        "--subtract-mean does not apply to the pseudo-inverse rule (hebbian and anti-hebbian only)",
        cat(
            out,
            "capacity",
            "--neurons",
            "9",
            "--rule",
            "pseudo-inverse",
            "--subtract-mean",
            "true"));
    fails(
        "--beta must be a finite number > 0, got -1.0",
        cat(out, "capacity", "--neurons", "9", "--memory", "modern", "--beta", "-1"));
    fails(
        "--beta 3.5E38 is outside float32, in which the memory computes: give a value from"
            + " 1.4E-45 to 3.4028235E38",
        cat(out, "capacity", "--neurons", "9", "--memory", "modern", "--beta", "3.5e38"));
    fails(
        "--rule must be hebbian, anti-hebbian, pseudo-inverse or storkey, got 'hopf'",
        cat(out, "capacity", "--neurons", "9", "--rule", "hopf"));
    fails(
        "--beta does not apply to the classical network (it applies to --memory modern)",
        cat(out, "capacity", "--neurons", "9", "--beta", "2"));
    fails(
        "--subtract-mean does not apply to modern memory",
        cat(out, "capacity", "--neurons", "9", "--memory", "modern", "--subtract-mean", "false"));
    fails(
        "--bias must be in (-1, 1), got 1.0",
        cat(out, "capacity", "--neurons", "9", "--bias", "1"));
    fails(
        "give at most one of --bias, --correlation and --data",
        cat(out, "capacity", "--neurons", "9", "--bias", "0.1", "--correlation", "0.1"));
    fails(
        "the capacity lab needs +1/-1 patterns; pattern 1 has 0.5 at index 1",
        cat(out, "capacity", "--data", "@half.csv"));
    fails(
        "--patterns 4 is more than the 3 patterns in --data",
        cat(out, "capacity", "--data", "@pm.csv", "--patterns", "2,4"));
    // (the note that one trial is run, given data and cues without random positions, came before
    // the refusal: two lines)
    fails(
        "--patterns 4 is more than the 3 patterns in --data",
        cat(
            out,
            "capacity",
            "--data",
            "@pm.csv",
            "--flip",
            "0",
            "--trials",
            "3",
            "--patterns",
            "2,4"));
    fails(
        "--neurons 5 does not match the --data patterns of length 4",
        cat(out, "capacity", "--data", "@pm.csv", "--neurons", "5"));
    // out of range: the range, not "does not match" (nor the data read first)
    fails(
        "--neurons must be in 1..46340, got -1",
        cat(out, "capacity", "--data", "@missing.npy", "--neurons", "-1"));
    fails("no such file or folder", cat(out, "capacity", "--data", "@missing.npy"));
    fails("is the --data input", "capacity", "--data", "@pm.csv", "--csv", "@pm.csv");
    fails(
        "is given twice as an output",
        "capacity",
        "--neurons",
        "9",
        "--json",
        "@same",
        "--csv",
        "@same");
    // both to standard output: said so, not "--csv /dev/stdout is given twice" ("-" typed)
    fails(
        "--json and --csv both write to standard output; give one of them a file",
        "capacity",
        "--neurons",
        "9",
        "--json",
        "-",
        "--csv",
        "-");
    fails(
        "--size applies to --data images only",
        cat(out, "capacity", "--neurons", "9", "--size", "3x3"));
    fails("does not exist", "capacity", "--neurons", "9", "--json", "@nowhere/c.json");
    Files.createDirectories(dir.resolve("folder"));
    fails("is a folder; give a file path", "capacity", "--neurons", "9", "--plot", "@folder");
  }

  private static String[] cat(String[] tail, String... head) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(List.of(tail));
    return all.toArray(new String[0]);
  }

  @Test
  void anInterruptedSweepLeavesNoFile() throws IOException, InterruptedException {
    Path work = Files.createDirectory(dir.resolve("interrupted"));
    // minutes of work: the run is stopped long before it could write
    List<String> cmd =
        freshJvm(
            "capacity",
            "--neurons",
            "800",
            "--trials",
            "2000",
            "--time-limit",
            "none", // the sweep must run, not be refused, to be interrupted
            "--json",
            "c.json",
            "--csv",
            "c.csv",
            "--plot",
            "c.png");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().put("ENGRAM_PROGRESS", "always");
    Process p = pb.start();
    p.getOutputStream().close();
    // the progress bar on stderr shows that the sweep is running
    try (InputStream err = p.getErrorStream()) {
      // (after the line of the time estimate: the bar itself, drawn with a carriage return)
      StringBuilder drawn = new StringBuilder();
      for (int c = err.read(); c >= 0 && c != '\r'; c = err.read()) {
        drawn.append((char) c);
      }
      assertTrue(p.isAlive(), "the command drew a progress bar: " + drawn);
      // Ctrl-C: SIGINT where the platform has kill, else the JVM's own termination. A test run
      // started as a background job of a shell ignores SIGINT, and so does the JVM it starts (it
      // installs no handler for an ignored signal): there SIGTERM, which stops it the same way.
      String signal = sigintIgnored() ? "-TERM" : "-INT";
      Process kill = new ProcessBuilder("kill", signal, Long.toString(p.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        p.destroy();
      }
      boolean stopped = p.waitFor(60, TimeUnit.SECONDS);
      if (!stopped) {
        p.destroyForcibly(); // a failed test leaves no sweep running for hours
      }
      assertTrue(stopped, "the command stopped");
      String bar = new String(err.readAllBytes(), StandardCharsets.UTF_8);
      // a bar cut short ends its line: the shell's prompt (or its "Terminated") came after the
      // bar, on the same line
      assertTrue(bar.endsWith("\n"), "a newline after the bar cut short: " + bar);
    }
    assertTrue(p.exitValue() != 0, "interrupted, not finished");
    try (var files = Files.list(work)) {
      assertEquals(List.of(), files.toList(), "no file, half-written or temporary");
    }
  }

  /** Whether this process ignores SIGINT (Linux: the SigIgn mask of /proc/self/status). */
  private static boolean sigintIgnored() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 2) != 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: SIGINT as a terminal sends it
    }
    return false;
  }

  /** The command line of engram in a fresh JVM with this test run's class path. */
  private static List<String> freshJvm(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx512m", "-cp", ToolRun.classPath()));
    cmd.add(EngramCli.class.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void demoCompareDrawsAColumnPerMemory() throws IOException {
    ToolRun.Result r =
        ToolRun.run(
            args(
                "demo",
                "--compare",
                "--size",
                "16x16",
                "--patterns",
                "6",
                "--out",
                "@cmp.png",
                "--images",
                "@letters/",
                "-q"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("6 letters of 16x16 (256 neurons)"), r.out());
    for (LabMemories.Entry e : LabMemories.compareColumns()) {
      assertTrue(
          r.out()
              .matches(
                  "(?s).*\\n  "
                      + java.util.regex.Pattern.quote(e.name() + ":")
                      + " +\\d+ of 6 recalled exactly.*"),
          r.out());
    }
    BufferedImage png = ImageIO.read(dir.resolve("cmp.png").toFile());
    // a row per letter, a column for the stored letter, the cue and each memory
    int columns = 2 + LabMemories.compareColumns().size();
    assertTrue(png.getHeight() >= 6 * 96 && png.getWidth() >= columns * 96, png.toString());
    try (var files = Files.list(dir.resolve("letters"))) {
      assertEquals(
          List.of("01-E.png", "02-F.png", "03-H.png", "04-L.png", "05-T.png", "06-I.png"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    fails("--neurons and --compare do not go together", "demo", "--compare", "--neurons", "50");
    fails(
        "--patterns must be in 1..16 for --compare, got 17",
        "demo",
        "--compare",
        "--patterns",
        "17",
        "--out",
        "@y.png");
  }

  /**
   * Out of memory, a sweep says what it needs: about 7 P N floats per trial at once, and the
   * weights. (Measured: the Storkey sweep below, N = 3000 up to P = 3000, two trials at once, ran
   * out of a 400 MB heap and finished in 500 MB; the estimate is 549 MiB.)
   */
  @Test
  void theOutOfMemoryAdviceKnowsWhatASweepNeeds() {
    Memory.reset();
    // Storkey: 7 P N floats per trial and its weights twice (the update runs on a copy)
    CapacityCommand.noteMemory("storkey", 3000, 3000, 2);
    String a = Memory.advice();
    assertTrue(
        a.startsWith(
            "out of memory: a capacity sweep of N = 3000 up to P = 3000 (2 trials at a time) needs"
                + " about 618.0 MiB of heap"),
        a);
    Memory.reset();
    // the pseudo-inverse: N x N weights and some 6 P x P floats of Gram matrices and factors
    CapacityCommand.noteMemory("pseudo-inverse", 4000, 2000, 1);
    assertTrue(Memory.advice().contains("needs about 366.2 MiB"), Memory.advice());
    Memory.reset();
    // P near N: dense N x N weights (cheaper than low-rank there), 7 P N floats beside them
    CapacityCommand.noteMemory("hebbian", 46340, 40000, 1);
    assertTrue(Memory.advice().contains("needs about 56.34 GiB"), Memory.advice());
    Memory.reset();
    // P far below N: low-rank weights, 2 P N floats
    CapacityCommand.noteMemory("hebbian", 10000, 100, 4);
    assertTrue(Memory.advice().contains("needs about 137.3 MiB"), Memory.advice());
    Memory.reset();
  }

  @Test
  void trialsRunFewerAtATimeWhereTheyWouldNotFitTheHeap() {
    long mib = 1L << 20;
    // Storkey N = 4000 up to 1000: 240 MB per trial (weights twice, 7 P N floats)
    assertEquals(240_000_000L, CapacityCommand.sweepBytes("storkey", 4000, 1000, 1));
    assertEquals(2, CapacityCommand.trialsAtOnce("storkey", 4000, 1000, 2, 6000 * mib));
    assertEquals(2, CapacityCommand.trialsAtOnce("storkey", 4000, 1000, 2, 700 * mib));
    // two at once (480 MB, a quarter more and 64 MiB) do not fit 600 MiB: one at a time
    assertEquals(1, CapacityCommand.trialsAtOnce("storkey", 4000, 1000, 2, 600 * mib));
    assertEquals(3, CapacityCommand.trialsAtOnce("storkey", 4000, 1000, 8, 1100 * mib));
    // one alone is tried while its estimate is within 1.5 times the heap (it may still fit) ...
    assertEquals(1, CapacityCommand.trialsAtOnce("storkey", 4000, 1000, 2, 200 * mib));
    // ... and refused beyond
    assertEquals(0, CapacityCommand.trialsAtOnce("storkey", 4000, 1000, 2, 150 * mib));
    assertEquals(1, CapacityCommand.trialsAtOnce("hebbian", 100, 10, 1, 16 * mib));
    // what the message names is what was compared with the heap, margin included (it said "2
    // trials need 5.22 GiB; this JVM may use 5.89 GiB", as though they fitted)
    long two = CapacityCommand.withMargin(CapacityCommand.sweepBytes("storkey", 4000, 1000, 2));
    assertEquals(480_000_000L + 120_000_000L + 64 * mib, two);
    assertEquals(2, CapacityCommand.trialsAtOnce("storkey", 4000, 1000, 2, two));
    assertEquals(1, CapacityCommand.trialsAtOnce("storkey", 4000, 1000, 2, two - 1));
  }

  @Test
  void aSweepFarBeyondTheHeapIsRefusedBeforeItRuns() {
    // N = 46340 up to P = 40000: about 56 GiB for one trial
    long one = CapacityCommand.sweepBytes("hebbian", 46340, 40000, 1);
    org.junit.jupiter.api.Assumptions.assumeTrue(one > Memory.maxHeap() + Memory.maxHeap() / 2);
    long t0 = System.nanoTime();
    ToolRun.Result r =
        ToolRun.run(
            args(
                "capacity",
                "--neurons",
                "46340",
                "--patterns",
                "40000",
                "--trials",
                "2",
                "--json",
                "@never.json",
                "-q"));
    assertEquals(2, r.status(), r::toString);
    assertTrue(
        r.err()
            .startsWith(
                "engram: a capacity sweep of N = 46340 up to P = 40000 (1 trial at a time) needs"
                    + " about 56.34 GiB of heap; this JVM may use "),
        r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertFalse(Files.exists(dir.resolve("never.json")));
    // refused at once, not after running the smaller loads
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), r::toString);
  }
}
