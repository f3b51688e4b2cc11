package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engram.internal.Json;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer trips over (issue 9, section 4): the recall grid says what it shows, resized
 * images are announced, inspect prints numbers for people, the out-of-memory advice is computed,
 * and figures are drawn on a machine without fonts.
 */
class NewcomerTest {

  @TempDir Path dir;

  /**
   * inspect --patterns of a Hebbian model of correlated pictures said "capacity about 143 patterns"
   * and "0 of 20 patterns are fixed points" with no word on why or what to do: it now gives the
   * patterns' mean overlap beside random patterns' and, where the rule blends them, names the rule
   * and the memory that store such data; never for random patterns it holds, nor for the
   * pseudo-inverse rule.
   */
  @Test
  void inspectSaysWhenCorrelatedPatternsAreBeyondTheRule() throws IOException {
    int p = 20;
    float[] drawn = new float[p * 1024];
    for (int k = 0; k < p; k++) {
      System.arraycopy(io.engram.fixtures.DrawnImages.pattern(k, 32), 0, drawn, k * 1024, 1024);
    }
    Path pictures = dir.resolve("drawn.npy");
    Npy.write(pictures, NdArray.ofFloats(drawn, p, 1024));
    SplittableRandom rnd = new SplittableRandom(5);
    float[] random = new float[p * 1024];
    for (int i = 0; i < random.length; i++) {
      random[i] = rnd.nextBoolean() ? 1 : -1;
    }
    Path noise = dir.resolve("random.npy");
    Npy.write(noise, NdArray.ofFloats(random, p, 1024));
    String[][] cases = { // patterns, rule, whether the hint is expected
      {"drawn.npy", "hebbian", "yes"},
      {"drawn.npy", "storkey", "yes"},
      {"drawn.npy", "pseudo-inverse", "no"},
      {"random.npy", "hebbian", "no"},
    };
    for (String[] c : cases) {
      Path model = dir.resolve(c[1] + "-" + c[0] + ".npz");
      Path data = dir.resolve(c[0]);
      assertEquals(
          0,
          ToolRun.run(
                  "train",
                  "-q",
                  "--rule",
                  c[1],
                  "--patterns",
                  data.toString(),
                  "--out",
                  model.toString())
              .status());
      ToolRun.Result r = ToolRun.run("inspect", model.toString(), "--patterns", data.toString());
      assertEquals(0, r.status(), r.toString());
      Matcher m =
          Pattern.compile(
                  "pattern overlap    (\\d\\.\\d{3}), the mean \\|x\\.y\\|/N of two"
                      + " \\(random \\+/-1: 0\\.025\\)")
              .matcher(r.out());
      assertTrue(m.find(), r.out());
      double overlap = Double.parseDouble(m.group(1));
      assertTrue(c[0].equals("drawn.npy") ? overlap > 0.3 : overlap < 0.05, r.out());
      boolean hint =
          r.out()
              .contains(
                  "hint               the patterns are correlated, and the " + c[1] + " rule\n");
      assertEquals(c[2].equals("yes"), hint, c[1] + " " + c[0] + ": " + r.out());
      if (hint) {
        assertTrue(
            r.out()
                .contains(
                    "(train --rule pseudo-inverse) or\n"
                        + "                   modern memory (train --memory modern) stores them"),
            r.out());
        assertFalse(r.out().contains(" 20 of 20 patterns are fixed points"), r.out());
      }
      // the new lines fit 80 columns (they come last)
      for (String line : r.out().substring(r.out().indexOf("pattern overlap")).split("\n")) {
        assertTrue(line.length() <= 80, "a line of more than 80 columns: " + line);
      }
      Map<?, ?> json =
          (Map<?, ?>)
              Json.parse(
                  ToolRun.run("inspect", "--json", model.toString(), "--patterns", data.toString())
                      .out());
      assertEquals(overlap, ((Number) json.get("pattern_mean_overlap")).doubleValue(), 5e-4);
      assertEquals(20L, json.get("pattern_mean_overlap_of"));
    }
    // no hint where it does not hold: after unlearning them (anti-hebbian, whose aim is that
    // they are not fixed points), nor for real values, whose |x.y|/N grows with their scale
    // (independent values of about 100 were called correlated)
    Path unlearned = dir.resolve("unlearned.npz");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "-q",
                "--rule",
                "anti-hebbian",
                "--init",
                dir.resolve("hebbian-drawn.npy.npz").toString(),
                "--patterns",
                pictures.toString(),
                "--out",
                unlearned.toString())
            .status());
    float[] real = new float[p * 1024];
    for (int i = 0; i < real.length; i++) {
      real[i] = (float) (100 * (rnd.nextDouble() - 0.5));
    }
    Path scaled = dir.resolve("real.npy");
    Npy.write(scaled, NdArray.ofFloats(real, p, 1024));
    Path realModel = dir.resolve("real.npz");
    assertEquals(
        0,
        ToolRun.run("train", "-q", "--patterns", scaled.toString(), "--out", realModel.toString())
            .status());
    for (Path[] c : new Path[][] {{unlearned, pictures}, {realModel, scaled}}) {
      ToolRun.Result r = ToolRun.run("inspect", c[0].toString(), "--patterns", c[1].toString());
      assertEquals(0, r.status(), r.toString());
      assertTrue(r.out().contains("pattern overlap    "), r.out());
      assertFalse(r.out().contains("hint "), c[0] + ": " + r.out());
    }
    // values so large that the overlap has 36 digits before the point: six significant digits
    // (it printed 250000000000000000000000000000000000.000)
    float[] pm = new float[3 * 16];
    float[] large = new float[pm.length];
    for (int i = 0; i < pm.length; i++) {
      pm[i] = rnd.nextBoolean() ? 1 : -1;
      large[i] = 1e18f * pm[i];
    }
    Npy.write(dir.resolve("pm16.npy"), NdArray.ofFloats(pm, 3, 16));
    Npy.write(dir.resolve("large16.npy"), NdArray.ofFloats(large, 3, 16));
    Path pm16 = dir.resolve("pm16.npz");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "-q",
                "--patterns",
                dir.resolve("pm16.npy").toString(),
                "--out",
                pm16.toString())
            .status());
    ToolRun.Result big =
        ToolRun.run(
            "inspect", pm16.toString(), "--patterns", dir.resolve("large16.npy").toString());
    assertEquals(0, big.status(), big.toString());
    assertTrue(
        big.out().matches("(?s).*pattern overlap    [0-9.]+e\\+3[0-9], the mean .*"), big.out());
    // long patterns: the mean is taken over the first few, within a bound of work
    assertEquals(182, InspectCommand.overlapSample(1000, 4096));
    assertEquals(12, InspectCommand.overlapSample(1000, 1_000_000));
    assertEquals(2, InspectCommand.overlapSample(2, 1 << 30));
  }

  @Test
  void theGridNamesItsPatternsAndWhatEachOverlapIsAgainst() {
    Figures.GridText t =
        new Figures.GridText(
            "recalled by m.npz",
            "stored: images",
            "cue: noisy",
            Figures.GridText.names(List.of("letter.png", "ring.png"), 2),
            Figures.GridText.names(null, 2));
    // 0-based, as numpy, the report's "best" and train --remove index rows
    assertEquals(List.of("row 0", "row 1"), t.cueNames());
    String[] with = t.labels(1, 0.4, 1.0, true);
    assertEquals("ring.png", with[0]);
    assertEquals("overlap with stored 0.400", with[1]);
    assertEquals("overlap with stored 1.000", with[2]);
    String[] without = t.labels(0, 1, 0.875, false);
    assertEquals("row 0", without[0]);
    assertEquals("overlap with cue 0.875", without[1]);
  }

  @Test
  void theGridIsWideEnoughForItsLabelsAndHasATitle() {
    float[][] p = {{1, -1, 1, -1}, {-1, 1, -1, 1}};
    Figures.GridText t =
        new Figures.GridText(
            "recalled by m.npz",
            "stored: s.npy",
            "cue: q.npy",
            Figures.GridText.names(null, 2),
            Figures.GridText.names(null, 2));
    BufferedImage img = Figures.recallGrid(p, p, p, new Images.Size(2, 2), t);
    int cell = (img.getWidth() - Figures.GridLayout.PAD) / 3 - Figures.GridLayout.PAD;
    assertTrue(cell > 96, "cells widen to fit 'overlap with stored 1.000': " + cell);
    assertTrue(darkPixels(img, 0, 0, img.getWidth(), Figures.GridLayout.TITLE) > 50, "a title");
  }

  /** Pixels darker than mid-gray in a rectangle. */
  static int darkPixels(BufferedImage img, int x0, int y0, int w, int h) {
    int n = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        int rgb = img.getRGB(x, y);
        int g = ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
        n += g < 128 ? 1 : 0;
      }
    }
    return n;
  }

  private static void png(Path f, int w, int h, long seed) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    SplittableRandom r = new SplittableRandom(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, r.nextInt(256));
      }
    }
    ImageIO.write(img, "png", f.toFile());
  }

  @Test
  void imagesOfAnotherSizeAreResizedWithAWarning() throws IOException {
    Path images = Files.createDirectory(dir.resolve("images"));
    png(images.resolve("a.png"), 8, 8, 1);
    png(images.resolve("b.png"), 16, 8, 2);
    png(images.resolve("c.png"), 16, 16, 3);
    ToolRun.Result r =
        ToolRun.run(
            "train",
            "-q",
            "--patterns",
            images.toString(),
            "--out",
            dir.resolve("m.npz").toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(
        r.err()
            .startsWith(
                "engram: warning: 2 of 3 images are not 8x8 like the first, "
                    + images.resolve("a.png")
                    + " ("
                    + images.resolve("b.png")
                    + " is 16x8); they were resized to 8x8, distorting those of another shape."),
        r::toString);
    // the same shape: no distortion to speak of
    Files.delete(images.resolve("b.png"));
    r =
        ToolRun.run(
            "train",
            "-q",
            "--patterns",
            images.toString(),
            "--out",
            dir.resolve("m.npz").toString());
    assertTrue(r.err().contains("1 of 2 images is not 8x8"), r::toString);
    assertFalse(r.err().contains("distorting"), r::toString);
    // a size given: resizing is what was asked for
    r =
        ToolRun.run(
            "train",
            "-q",
            "--patterns",
            images.toString(),
            "--size",
            "8x8",
            "--out",
            dir.resolve("m.npz").toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err());
  }

  @Test
  void inspectPrintsNumbersAndOptionsForPeople() throws IOException {
    float[] x = new float[3 * 16];
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextBoolean() ? 1 : -1;
    }
    Path p = Files.write(dir.resolve("p.npy"), Npy.toBytes(NdArray.ofFloats(x, 3, 16)));
    String m = dir.resolve("m.npz").toString();
    assertEquals(0, ToolRun.run("train", "-q", "--patterns", p.toString(), "--out", m).status());
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "-q",
                "--patterns",
                p.toString(),
                "--init",
                m,
                "--out",
                m,
                "--subtract-mean",
                "false",
                "--seed",
                "5")
            .status());
    ToolRun.Result r = ToolRun.run("inspect", m);
    assertEquals(0, r.status(), r::toString);
    String out = r.out();
    assertFalse(out.contains("{") || out.contains("=true") || out.contains("=false"), out);
    Matcher rho = Pattern.compile("rho = (-?[0-9.e+-]+)").matcher(out);
    assertTrue(rho.find(), out);
    assertTrue(rho.group(1).replaceAll("[^0-9]", "").replaceFirst("^0+", "").length() <= 6, out);
    assertTrue(out.contains("subtract mean, zero diagonal, normalize by patterns"), out);
    assertTrue(out.contains("not centred"), out);
    assertTrue(out.contains("no subtract mean"), out);
    assertTrue(out.contains("T = 1, threshold = 0"), out);
    assertTrue(out.contains("asynchronous updates in a random order (seed 5)"), out);
    // the JSON for scripts keeps its numbers exact
    @SuppressWarnings("unchecked")
    Map<String, Object> j =
        (Map<String, Object>) Json.parse(ToolRun.run("inspect", m, "--json").out());
    assertTrue(j.containsKey("history"));
  }

  @Test
  void sizesForPeopleRoundAsPrintfDoes() {
    assertEquals("1023 B", InspectCommand.bytes(1023));
    assertEquals("1.0 KiB", InspectCommand.bytes(1024));
    assertEquals("1024.0 KiB", InspectCommand.bytes((1L << 20) - 1));
    assertEquals("384.0 KiB", InspectCommand.bytes(393216));
    assertEquals("1.00 GiB", InspectCommand.bytes(1L << 30));
    assertEquals("8589934592.00 GiB", InspectCommand.bytes(Long.MAX_VALUE));
    // halves, and every size near them, as %.1f / %.2f round the exact quotient (half up)
    SplittableRandom r = new SplittableRandom(3);
    List<Long> sizes = new ArrayList<>();
    for (int shift : new int[] {10, 20, 30}) {
      for (long k = 1; k < 2000; k++) {
        long half = (k << shift) / (shift == 30 ? 200 : 20); // multiples of a half step
        for (long d = -2; d <= 2; d++) {
          sizes.add(half + d);
        }
      }
    }
    for (int i = 0; i < 20000; i++) {
      sizes.add(r.nextLong(1L << (10 + r.nextInt(53))));
    }
    sizes.add(Long.MAX_VALUE / 100 - 1);
    sizes.add(Long.MAX_VALUE / 10);
    for (long b : sizes) {
      if (b < 1024) {
        continue;
      }
      String want =
          b < 1 << 20
              ? String.format(java.util.Locale.ROOT, "%.1f KiB", b / 1024.0)
              : b < 1 << 30
                  ? String.format(java.util.Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024))
                  : String.format(java.util.Locale.ROOT, "%.2f GiB", b / (1024.0 * 1024 * 1024));
      assertEquals(want, InspectCommand.bytes(b), "size " + b);
    }
  }

  @Test
  void numbersForPeople() {
    assertEquals("0.0416667", InspectCommand.number(0.0416666679084301));
    assertEquals("-0.048", InspectCommand.number((double) -0.048f));
    assertEquals("1", InspectCommand.number(1.0));
    assertEquals("-50.9155", InspectCommand.number(-50.91553));
    assertEquals("1.5e-07", InspectCommand.number(1.5e-7));
    assertEquals("2.5e+10", InspectCommand.number(2.5e10 + 0.5));
    assertEquals("NaN", InspectCommand.number(Double.NaN));
    assertEquals("-", InspectCommand.number("-"));
  }

  @Test
  void outOfMemoryAdviceIsComputedFromTheWork() throws Exception {
    // dense N = 3000: W is 34 MiB, more than a 32 MiB heap can hold
    SplittableRandom rnd = new SplittableRandom(3);
    float[] x = new float[5 * 3000];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextBoolean() ? 1 : -1;
    }
    Path p = Files.write(dir.resolve("p.npy"), Npy.toBytes(NdArray.ofFloats(x, 5, 3000)));
    // the Storkey rule updates W itself, pattern by pattern
    String[] args = {
      "train",
      "-q",
      "--weights",
      "dense",
      "--rule",
      "storkey",
      "--patterns",
      p.toString(),
      "--out",
      "m.npz"
    };
    ToolRun.Result r = ToolRun.fresh(dir, List.of(), List.of("-Xmx32m"), args);
    assertEquals(1, r.status(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(r.err().contains("training dense weights of N = 3000"), r::toString);
    assertTrue(r.err().contains("this JVM may use "), r::toString);
    Matcher xmx = Pattern.compile("ENGRAM_JAVA_OPTS=(-Xmx[0-9]+[mg])").matcher(r.err());
    assertTrue(xmx.find(), r::toString);
    assertFalse(r.err().contains("-Xmx8g"), r::toString);
    // the advice works
    r = ToolRun.fresh(dir, List.of(), List.of(xmx.group(1)), args);
    assertEquals(0, r.status(), r::toString);
    assertTrue(Files.exists(dir.resolve("m.npz")));
    // the Hebbian rule's W of few patterns is written as its rows are computed: no N x N array,
    // the model of a JVM with room for W
    String[] hebb = {
      "train", "-q", "--weights", "dense", "--patterns", p.toString(), "--out", "h32.npz"
    };
    r = ToolRun.fresh(dir, List.of(), List.of("-Xmx32m"), hebb);
    assertEquals(0, r.status(), r::toString);
    hebb[hebb.length - 1] = "h.npz";
    r = ToolRun.fresh(dir, List.of(), List.of(xmx.group(1)), hebb);
    assertEquals(0, r.status(), r::toString);
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("h.npz")), Files.readAllBytes(dir.resolve("h32.npz")));
  }

  @Test
  void outOfMemoryAdviceOnASmallMachineSuggestsLowRank() {
    long gib = 1L << 30;
    String a =
        Memory.advice("training dense weights of N = 46340 (...)", 40 * gib, 2 * gib, 16 * gib);
    assertTrue(a.contains("this machine has 16.00 GiB of memory in all"), a);
    assertTrue(a.contains("--weights low-rank"), a);
    assertFalse(a.contains("-Xmx"), a);
    String b =
        Memory.advice(
            "recalling 64 queries with a model of N = 4096", 300L << 20, 256L << 20, 16 * gib);
    assertTrue(b.endsWith("give it more with ENGRAM_JAVA_OPTS=-Xmx631m"), b);
    String c = Memory.advice(null, 0, 256L << 20, -1);
    assertTrue(c.contains("-Xmx512m (twice the present limit; the need is not known)"), c);
    // under a limit on the address space, by which bin/engram sizes the heap, an -Xmx beyond it
    // could not start: the limit is what to raise (the advice said -Xmx500m under 585 MiB)
    String d =
        Memory.shortfall("reading 65.0 MiB of input", 195L << 20, 66L << 20, 16 * gib, 600L << 20);
    assertTrue(
        d.endsWith(
            "this JVM may use 66.0 MiB, and this process may map at most 600.0 MiB (ulimit -v),"
                + " by which bin/engram sizes the heap: raise the limit to at least 1.46 GiB"
                + " (ulimit -v 1535232)"),
        d);
    assertFalse(d.contains("-Xmx"), d);
    String e =
        Memory.shortfall("reading 65.0 MiB of input", 195L << 20, 66L << 20, 16 * gib, 8 * gib);
    assertTrue(e.endsWith("give it more with ENGRAM_JAVA_OPTS=-Xmx500m"), e);
    assertEquals("2g", Memory.xmx(1025L << 20));
    assertEquals("1023m", Memory.xmx(1023L << 20));
  }

  @Test
  void aModelReadInPlaceCountsNoHeapForItsWeights() throws IOException {
    // a dense model of N = 200 read in place (asked for: by default W of at most 64 MiB is read
    // into an array): its W (160 KB) stays in the file; the recall's need is the queries
    SplittableRandom rnd = new SplittableRandom(3);
    float[] x = new float[20 * 200];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    Path p = dir.resolve("dense-p.npy");
    Files.write(p, Npy.toBytes(NdArray.ofFloats(x, 20, 200)));
    Path m = dir.resolve("dense-m.npz");
    ToolRun.Result r =
        ToolRun.run(
            "train", "-q", "--weights", "dense", "--patterns", p.toString(), "--out", m.toString());
    assertEquals(0, r.status(), r::toString);
    io.engram.network.Memory held = Inputs.readMemory("--model", m);
    assertFalse(Memory.inPlace(held));
    io.engram.network.Memory net;
    System.setProperty("engram.denseInHeap", "false");
    try {
      net = Inputs.readMemory("--model", m);
    } finally {
      System.clearProperty("engram.denseInHeap");
    }
    assertTrue(Memory.inPlace(net));
    Memory.reset();
    Memory.using(net, "recalling 2 queries", 1600);
    assertTrue(Memory.advice().contains("needs about 1.6 KiB of heap"), Memory.advice());
    Memory.reset();
    // held in the heap, W counts
    Memory.using(held, "recalling 2 queries", 1600);
    assertTrue(Memory.advice().contains("needs about 157.8 KiB of heap"), Memory.advice());
    Memory.reset();
  }

  /** The three figures, drawn by fresh JVMs started with the given prefix and options. */
  private List<BufferedImage> figures(List<String> prefix, List<String> jvm) throws Exception {
    Path work = Files.createDirectories(dir.resolve("work" + prefix.size() + jvm.size()));
    String imgs = work.resolve("imgs").toString();
    String m = work.resolve("m.npz").toString();
    ToolRun.Result r =
        ToolRun.run(
            "demo",
            "-q",
            "--size",
            "16x16",
            "--patterns",
            "2",
            "--images",
            imgs + "/",
            "--out",
            work.resolve("d.png").toString());
    assertEquals(0, r.status(), r::toString);
    r = ToolRun.run("train", "-q", "--patterns", imgs, "--out", m);
    assertEquals(0, r.status(), r::toString);
    r =
        ToolRun.fresh(
            work,
            prefix,
            jvm,
            "recall",
            "-q",
            "--model",
            m,
            "--queries",
            imgs,
            "--out",
            "r.npy",
            "--energy-plot",
            "e.png",
            "--grid",
            "g.png");
    assertEquals(0, r.status(), r::toString);
    r = ToolRun.fresh(work, prefix, jvm, "inspect", m, "--heatmap", "h.png");
    assertEquals(0, r.status(), r::toString);
    List<BufferedImage> all = new ArrayList<>();
    for (String f : List.of("g.png", "e.png", "h.png")) {
      all.add(ImageIO.read(work.resolve(f).toFile()));
    }
    return all;
  }

  private static void assertText(List<BufferedImage> figures) {
    for (BufferedImage img : figures) {
      // the title band holds text: dark pixels where the title is drawn
      assertTrue(darkPixels(img, 0, 0, img.getWidth(), 24) > 100, "a title was drawn");
    }
  }

  @Test
  void figuresAreDrawnWithTheBundledFont() throws Exception {
    assertText(figures(List.of(), List.of("-Xmx256m", "-Dengram.fonts=bundled")));
  }

  /**
   * On a machine without fontconfig and fonts (simulated: a private mount namespace in which the
   * font folders and fontconfig's files are empty), figures are still drawn. Needs root and unshare
   * (Linux); elsewhere this test is skipped.
   */
  @Test
  void figuresAreDrawnOnAMachineWithoutFonts() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "root, to make a mount namespace");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    StringBuilder hide = new StringBuilder("set -e; ");
    for (String d : List.of("/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts")) {
      hide.append("if [ -d ")
          .append(d)
          .append(" ]; then mount --bind ")
          .append(empty)
          .append(' ')
          .append(d)
          .append("; fi; ");
    }
    // fontconfig itself: its library replaced by an empty file
    hide.append("for l in $(ldconfig -p | awk '/libfontconfig/ {print $NF}'); do ")
        .append("mount --bind /dev/null \"$(readlink -f \"$l\")\" || true; done; ")
        .append("exec \"$@\"");
    List<String> prefix = List.of("unshare", "-m", "sh", "-c", hide.toString(), "sh");
    List<String> probeCmd = new ArrayList<>(prefix);
    probeCmd.add("true");
    Process probe = new ProcessBuilder(probeCmd).start();
    assumeTrue(probe.waitFor() == 0, "unshare -m and mount work here");
    // without the fallback, Java2D would fail here with "Fontconfig head is null"
    assertText(figures(prefix, List.of("-Xmx256m")));
  }
}
