package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad-input case listed in docs/CLI.md: exit status 2, one line on stderr with the message,
 * and no file written or changed.
 */
class BadInputTest {

  @TempDir static Path dir;

  @BeforeAll
  static void files() throws IOException {
    Files.writeString(dir.resolve("p.csv"), "1,-1,1,-1,1,-1\n1,1,-1,-1,1,1\n");
    Files.writeString(dir.resolve("q5.csv"), "1,-1,1,-1,1\n");
    Files.createDirectory(dir.resolve("empty"));
    Files.createDirectory(dir.resolve("junk"));
    Files.writeString(dir.resolve("junk/broken.png"), "this is not a PNG");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "--patterns",
                dir.resolve("p.csv").toString(),
                "--out",
                dir.resolve("m.npz").toString())
            .status());
    Files.write(
        dir.resolve("cut.npz"),
        java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("m.npz")), 200));
  }

  private static void fails(String expected, String... args) throws IOException {
    Map<String, String> before = ToolRun.snapshot(dir);
    String[] full = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      full[i] = args[i].replace("@", dir.toString() + "/");
    }
    ToolRun.Result r = ToolRun.run(full);
    assertEquals(2, r.status(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in " + r);
    assertTrue(r.err().startsWith("engram: "), r::toString);
    assertTrue(!r.err().contains("\tat "), "no stack trace: " + r);
    assertEquals(
        before, ToolRun.snapshot(dir), "nothing written or changed by " + String.join(" ", args));
  }

  /**
   * recall --temperature with the sign activation (the model's, or --activation sign) changes
   * nothing: exit 2 naming why. With tanh it applies; train keeps T in the model, where a recall
   * with --activation tanh uses it.
   */
  @Test
  void temperatureWithTheSignActivation() throws IOException {
    fails(
        "--temperature does not apply to the model's sign activation (only tanh(x/T) and"
            + " sigmoid(x/T) use T); give --activation tanh or sigmoid too, or leave --temperature"
            + " out",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--temperature",
        "2",
        "--out",
        "@r.npy");
    fails(
        "--temperature does not apply to --activation sign",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--activation",
        "sign",
        "--temperature",
        "2",
        "--out",
        "@r.npy");
    Path work = Files.createTempDirectory(dir, "temperature");
    String tanh = work.resolve("tanh.npz").toString();
    String p = dir.resolve("p.csv").toString();
    String[][] fine = {
      {
        "recall",
        "--model",
        dir.resolve("m.npz").toString(),
        "--queries",
        p,
        "--activation",
        "tanh",
        "--temperature",
        "2",
        "--out",
        work.resolve("r1.npy").toString()
      },
      {"train", "--patterns", p, "--activation", "tanh", "--temperature", "2", "--out", tanh},
      {
        "recall",
        "--model",
        tanh,
        "--queries",
        p,
        "--temperature",
        "0.5",
        "--out",
        work.resolve("r2.npy").toString()
      },
      {
        "train",
        "--patterns",
        p,
        "--activation",
        "sign",
        "--temperature",
        "2",
        "--out",
        work.resolve("sign.npz").toString()
      }
    };
    for (String[] args : fine) {
      ToolRun.Result r = ToolRun.run(args);
      assertEquals(0, r.status(), () -> String.join(" ", args) + ": " + r);
    }
  }

  @Test
  void images() throws IOException {
    fails("no images in this folder", "train", "--patterns", "@empty", "--out", "@new.npz");
    fails(
        "not a readable PNG, JPEG, GIF or BMP image",
        "train",
        "--patterns",
        "@junk",
        "--out",
        "@new.npz");
    fails(
        "--size must be WxH",
        "train",
        "--patterns",
        "@p.csv",
        "--size",
        "big",
        "--out",
        "@new.npz");
    fails(
        "--size 0x5 is out of range (1x1 up to 4194304 pixels)",
        "train",
        "--patterns",
        "@p.csv",
        "--size",
        "0x5",
        "--out",
        "@new.npz");
  }

  @Test
  void corrupt() throws IOException {
    fails(
        "--flip must be in [0, 1], got 1.5",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--flip",
        "1.5",
        "--out",
        "@n.npy");
    fails(
        "are not square images; give their shape with --size",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--out",
        "@noisy/");
    fails(
        "--size 3x3 has 9 pixels, but the patterns have length 6",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--size",
        "3x3",
        "--out",
        "@noisy/");
    fails(
        "--out " + dir + "/no/such/: its parent folder does not exist",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--size",
        "2x3",
        "--out",
        "@no/such/");
    fails("file not found", "corrupt", "--patterns", "@absent.npy", "--out", "@n.npy");
    // partial cues: each share in [0, 1], the three together at most 1
    fails(
        "--erase must be in [0, 1], got -0.1",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--erase",
        "-0.1",
        "--out",
        "@n.npy");
    fails(
        "--occlude must be in [0, 1], got NaN",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--occlude",
        "nan",
        "--out",
        "@n.npy");
    fails(
        "--flip + --erase + --occlude must be at most 1 (each position of a cue is corrupted at"
            + " most once), got 0.5 + 0.6 + 0.0",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--flip",
        "0.5",
        "--erase",
        "0.6",
        "--out",
        "@n.npy");
    // without --flip, the default 0.3 is added to what is asked
    fails(
        "got 0.3 + 0.0 + 0.8",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--flip",
        "0.3",
        "--occlude",
        "0.8",
        "--out",
        "@n.npy");
  }

  /**
   * {@code corrupt}: --flip is 0.3 unless --erase or --occlude is given, then 0 unless given; the
   * summary says what was done; erased and occluded values are 0 in the .npy, and a folder of PNGs
   * of them comes with a note that images read as cues lose them.
   */
  @Test
  void corruptMakesPartialCues() throws IOException {
    Path n = dir.resolve("partial.npy");
    try {
      ToolRun.Result r =
          ToolRun.run(
              "corrupt", "--patterns", dir.resolve("p.csv").toString(), "--out", n.toString());
      assertEquals(0, r.status(), r::toString);
      assertTrue(
          r.out().startsWith("flipped 2 of 6 values in each of 2 patterns (seed 42)"), r::toString);
      // --erase 0 (or --occlude 0) given: --flip is 0, not the default 0.3 (a sweep of
      // --erase 0, 0.1, 0.2 had 30% flipped at its first point only)
      for (String zero : List.of("--erase", "--occlude")) {
        r =
            ToolRun.run(
                "corrupt",
                "--patterns",
                dir.resolve("p.csv").toString(),
                zero,
                "0",
                "--out",
                n.toString());
        assertEquals(0, r.status(), r::toString);
        assertTrue(
            r.out()
                .startsWith(
                    (zero.equals("--erase") ? "erased" : "occluded")
                        + " 0 of 6 values in each of 2 patterns; written"),
            r::toString);
        assertArrayEquals(
            new float[] {1, -1, 1, -1, 1, -1, 1, 1, -1, -1, 1, 1},
            io.engram.io.Npy.read(n).toFloatArray(),
            zero + " 0");
      }
      r =
          ToolRun.run(
              "corrupt",
              "--patterns",
              dir.resolve("p.csv").toString(),
              "--erase",
              "0.34",
              "--occlude",
              "0.5",
              "--out",
              n.toString());
      assertEquals(0, r.status(), r::toString);
      assertTrue(
          r.out().startsWith("erased 2 and occluded 3 of 6 values in each of 2 patterns (seed 42)"),
          r::toString);
      float[] cues = io.engram.io.Npy.read(n).toFloatArray();
      float[] p = {1, -1, 1, -1, 1, -1, 1, 1, -1, -1, 1, 1};
      for (int k = 0; k < 2; k++) {
        int zeros = 0;
        for (int i = 0; i < 6; i++) {
          float v = cues[6 * k + i];
          assertTrue(
              v == 0 || v == p[6 * k + i], "nothing flipped: " + java.util.Arrays.toString(cues));
          zeros += v == 0 ? 1 : 0;
          if (i >= 3) {
            assertEquals(0f, v, "the last half occluded");
          }
        }
        assertEquals(5, zeros);
      }
      r =
          ToolRun.run(
              "corrupt",
              "--patterns",
              dir.resolve("p.csv").toString(),
              "--flip",
              "0.2",
              "--erase",
              "0.5",
              "--size",
              "2x3",
              "--out",
              dir.resolve("partial/") + "/");
      assertEquals(0, r.status(), r::toString);
      assertTrue(r.out().startsWith("flipped 1 and erased 3 of 6 values"), r::toString);
      assertTrue(
          r.err().startsWith("engram: note: the PNGs show erased and occluded values as gray;"),
          r::toString);
    } finally {
      Files.deleteIfExists(n);
      if (Files.isDirectory(dir.resolve("partial"))) {
        try (var files = Files.list(dir.resolve("partial"))) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(dir.resolve("partial"));
      }
    }
  }

  /**
   * An image folder output (--out DIR/, demo --images) that cannot be made: under a file it was
   * "its parent folder does not exist", though the parent existed; a link to nothing was "exists
   * and is not a folder". A file output of the folder's own name (demo --out x --images x/, recall
   * --out d/ --report d) was "--out x: is a folder", a folder the command itself had made.
   */
  @Test
  void imageFolderOutputsThatCannotBeMade() throws IOException {
    Path work = Files.createTempDirectory(dir, "folders");
    String w = "@" + dir.relativize(work) + "/";
    Files.createSymbolicLink(work.resolve("gone"), Path.of("nowhere"));
    try {
      fails(
          "--out " + dir + "/p.csv/x/: " + dir + "/p.csv is not a folder",
          "corrupt",
          "--patterns",
          "@p.csv",
          "--size",
          "2x3",
          "--out",
          "@p.csv/x/");
      fails(
          "--out "
              + work
              + "/gone/: is a symbolic link to nowhere, which does not exist; give a"
              + " folder",
          "corrupt",
          "--patterns",
          "@p.csv",
          "--size",
          "2x3",
          "--out",
          w + "gone/");
      String tooLong = "a".repeat(300);
      fails(
          "--out " + work + "/" + tooLong + "/: File name too long",
          "corrupt",
          "--patterns",
          "@p.csv",
          "--size",
          "2x3",
          "--out",
          w + tooLong + "/");
      fails(
          "--images "
              + work
              + "/x/: its name is also that of the --out file "
              + work
              + "/x; each"
              + " output must be a path of its own",
          "demo",
          "--size",
          "4x4",
          "--out",
          w + "x",
          "--images",
          w + "x/");
      fails(
          "--out "
              + work
              + "/d/: its name is also that of the --report file "
              + work
              + "/d; each"
              + " output must be a path of its own",
          "recall",
          "--model",
          "@m.npz",
          "--queries",
          "@p.csv",
          "--size",
          "2x3",
          "--out",
          w + "d/",
          "--report",
          w + "d");
    } finally {
      Files.delete(work.resolve("gone"));
      Files.delete(work);
    }
  }

  @Test
  void recall() throws IOException {
    fails(
        "query 0 has length 5, but the model has N = 6 neurons",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@q5.csv",
        "--out",
        "@r.npy");
    fails(
        "--stored must hold one pattern of length 6 per query (2), got 1",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--grid",
        "@g.png",
        "--stored",
        "@q5.csv");
    // --size with nothing to resize or shape: train and corrupt ignored it without a word
    fails(
        "--size 2x3 resizes images, but --patterns holds arrays (.npy, .csv); leave --size out",
        "train",
        "--patterns",
        "@p.csv",
        "--out",
        "@t.npz",
        "--size",
        "2x3");
    fails(
        "--size 2x3 resizes images, but --patterns holds arrays (.npy, .csv); leave --size out",
        "train",
        "--memory",
        "modern",
        "--patterns",
        "@p.csv",
        "--out",
        "@t.npz",
        "--size",
        "2x3");
    fails(
        "--size 2x3 resizes images, but --patterns and --out are arrays (.npy, .csv)",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--out",
        "@c.npy",
        "--size",
        "2x3");
    // a --size that is not the model's N: it was ignored without a word for a .npy --out
    fails(
        "--size 2x2 has 4 pixels, but the model has N = 6 neurons",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--size",
        "2x2");
    // --stored is for the grid only: without one it was read and ignored without a word
    fails(
        "--stored gives the --grid figure its first column and overlaps; give --grid FILE.png too",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--stored",
        "@p.csv");
    fails("cut.npz", "recall", "--model", "@cut.npz", "--queries", "@p.csv", "--out", "@r.npy");
    fails(
        "are not square images",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--grid",
        "@g.png");
    // (a name without an ending: r.npy is refused as --report's name first, being no JSON name)
    fails(
        "is given twice as an output",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r",
        "--report",
        "@r");
  }

  @Test
  void demoAndInspect() throws IOException {
    fails(
        "--patterns must be in 1..4 for the image demo, got 9",
        "demo",
        "--patterns",
        "9",
        "--out",
        "@d.png");
    fails("the demo allows up to 16384", "demo", "--size", "256x256", "--out", "@d.png");
    fails("--noise must be in [0, 1]", "demo", "--noise", "2", "--out", "@d.png");
    fails("cut.npz", "inspect", "@cut.npz", "--heatmap", "@w.png");
    // the random-pattern demo writes no files: options for files were ignored without a word
    fails(
        "--images does not apply to --neurons: the random-pattern demo prints a table and writes"
            + " no files",
        "demo",
        "--neurons",
        "30",
        "--images",
        "@imgs/");
    fails("--out does not apply to --neurons", "demo", "--neurons", "30", "--out", "@d.png");
    fails("--size does not apply to --neurons", "demo", "--neurons", "30", "--size", "8x8");
  }

  /**
   * An output whose name says image but which would get data, or the other way round: refused
   * before anything runs ({@code recall --out r.png} wrote a .npy named r.png, {@code --grid g.npy}
   * a PNG named g.npy).
   */
  @Test
  void outputNamesThatPromiseAnotherKindOfFile() throws IOException {
    fails(
        "/r.png names a .png image, but a file gets the recalled states as .npy (as .csv when"
            + " its name ends in .csv); for images give a folder, --out DIR/",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.png");
    fails(
        "/n.JPG names a .JPG image, but a file gets the cues",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--flip",
        "0.1",
        "--out",
        "@n.JPG");
    fails(
        "/m2.png names a .png image, but the model is an .npz archive",
        "train",
        "--patterns",
        "@p.csv",
        "--out",
        "@m2.png");
    fails(
        "/m2.gif names a .gif image, but the model is an .npz archive",
        "train",
        "--memory",
        "modern",
        "--patterns",
        "@p.csv",
        "--out",
        "@m2.gif");
    fails(
        "/W.png names a .png image, but the weights are written as a float32 .npy array;"
            + " for a picture of them give inspect --heatmap W.png",
        "export",
        "--model",
        "@m.npz",
        "--weights",
        "@W.png");
    fails(
        "/g.npy names a .npy file, but --grid draws a PNG image; give a name ending in .png",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--grid",
        "@g.npy");
    fails(
        "/e.json names a .json file, but --energy-plot draws a PNG image",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--energy-plot",
        "@e.json");
    fails("/h.npz names a .npz file", "inspect", "@m.npz", "--heatmap", "@h.npz");
    fails("/d.csv names a .csv file", "demo", "--out", "@d.csv");
    fails(
        "/c.csv names a .csv file",
        "capacity",
        "--neurons",
        "16",
        "--patterns",
        "1,2",
        "--plot",
        "@c.csv");
    // the text outputs: recall --report r.png, capacity --json c.png and --csv c.PNG wrote JSON or
    // CSV text under an image's name
    fails(
        "/r.png names a .png image, but --report is written as JSON; give a name ending in .json",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--report",
        "@r.png");
    fails(
        "/c.png names a .png image, but --json is written as JSON; give a name ending in .json"
            + " (for a picture of the curves give --plot FILE.png)",
        "capacity",
        "--neurons",
        "16",
        "--patterns",
        "1,2",
        "--json",
        "@c.png");
    fails(
        "/c.PNG names a .PNG image, but --csv is written as CSV text; give a name ending in .csv"
            + " (for a picture of the curves give --plot FILE.png)",
        "capacity",
        "--neurons",
        "16",
        "--patterns",
        "1,2",
        "--csv",
        "@c.PNG");
  }

  /**
   * An output named for a format Engram never writes: {@code recall --out r.tsv}, {@code r.txt} or
   * {@code r.csv.gz} wrote a binary .npy under that name, {@code --grid g.svg} or {@code demo --out
   * d.pdf} a PNG, exit 0. A text output may be named .txt (it is text); a name without an ending
   * stays free.
   */
  @Test
  void outputNamesOfFormatsEngramDoesNotWrite() throws IOException {
    String[] recall = {"recall", "--model", "@m.npz", "--queries", "@p.csv", "--out"};
    for (String name : new String[] {"r.tsv", "r.txt", "r.csv.gz", "r.h5", "r.MAT"}) {
      String[] args = java.util.Arrays.copyOf(recall, recall.length + 1);
      args[recall.length] = "@" + name;
      fails(
          "/"
              + name
              + " names a "
              + name.substring(name.lastIndexOf('.'))
              + " file, but a file gets the recalled states as .npy (as .csv when its name ends in"
              + " .csv); give a name ending in .npy, .npz or .csv",
          args);
    }
    fails(
        "/w.txt names a .txt file, but the weights are written as a float32 .npy array",
        "export",
        "--model",
        "@m.npz",
        "--weights",
        "@w.txt");
    fails(
        "/g.svg names a .svg file, but --grid draws a PNG image; give a name ending in .png",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--grid",
        "@g.svg");
    fails("/d.pdf names a .pdf file, but --out draws a PNG image", "demo", "--out", "@d.pdf");
    fails("/h.jpg names a .jpg file", "inspect", "@m.npz", "--heatmap", "@h.jpg");
    Path work = Files.createTempDirectory(dir, "named");
    for (String[] args :
        new String[][] {
          {
            "recall",
            "--model",
            dir.resolve("m.npz").toString(),
            "--queries",
            dir.resolve("p.csv").toString(),
            "-q",
            "--out",
            work.resolve("states").toString(),
            "--report",
            work.resolve("report.txt").toString()
          },
          {
            "capacity",
            "--neurons",
            "16",
            "--patterns",
            "1,2",
            "--trials",
            "2",
            "-q",
            "--csv",
            work.resolve("c.txt").toString()
          }
        }) {
      ToolRun.Result r = ToolRun.run(args);
      assertEquals(0, r.status(), () -> String.join(" ", args) + ": " + r);
    }
    assertTrue(Files.readString(work.resolve("report.txt")).startsWith("{"));
    assertTrue(Files.readString(work.resolve("c.txt")).startsWith("patterns,"));
  }

  /**
   * An output named as another of the data files Engram reads and writes: {@code train --out q.csv}
   * wrote an .npz archive over a CSV of patterns (exit 0), {@code recall --report r.npy} JSON under
   * a .npy name. A .npy and an .npz name stand for each other (np.load reads either by its
   * contents): {@code train --out m.npy} still writes the model.
   */
  @Test
  void outputNamesThatPromiseAnotherDataFile() throws IOException {
    Path other = dir.resolve("q.csv");
    Files.writeString(other, "1,-1,1,-1\n");
    try {
      fails(
          "/q.csv names a .csv file, but the model is an .npz archive; give a name ending in"
              + " .npz or .npy",
          "train",
          "--patterns",
          "@p.csv",
          "--out",
          "@q.csv");
      fails(
          "/m.json names a .json file, but the model is an .npz archive",
          "train",
          "--memory",
          "modern",
          "--patterns",
          "@p.csv",
          "--out",
          "@m.json");
      fails(
          "/r.json names a .json file, but a file gets the recalled states as .npy (as .csv when"
              + " its name ends in .csv); give a name ending in .npy, .npz or .csv",
          "recall",
          "--model",
          "@m.npz",
          "--queries",
          "@p.csv",
          "--out",
          "@r.json");
      fails(
          "/r.csv names a .csv file, but --report is written as JSON; give a name ending in .json",
          "recall",
          "--model",
          "@m.npz",
          "--queries",
          "@p.csv",
          "--out",
          "@r.npy",
          "--report",
          "@r.csv");
      fails(
          "/W.csv names a .csv file, but the weights are written as a float32 .npy array; give a"
              + " name ending in .npy or .npz",
          "export",
          "--model",
          "@m.npz",
          "--weights",
          "@W.csv");
      fails(
          // (the cues, noisy or partial: "the noisy patterns" of --occlude's was wrong)
          "/n.json names a .json file, but a file gets the cues as .npy",
          "corrupt",
          "--patterns",
          "@p.csv",
          "--occlude",
          "0.5",
          "--out",
          "@n.json");
      fails(
          "/c.npy names a .npy file, but --json is written as JSON; give a name ending in .json",
          "capacity",
          "--neurons",
          "16",
          "--patterns",
          "1,2",
          "--json",
          "@c.npy");
      fails(
          "/c.json names a .json file, but --csv is written as CSV text; give a name ending in"
              + " .csv",
          "capacity",
          "--neurons",
          "16",
          "--patterns",
          "1,2",
          "--csv",
          "@c.json");
      Path model = dir.resolve("m.npy");
      ToolRun.Result r =
          ToolRun.run(
              "train",
              "-q",
              "--patterns",
              dir.resolve("p.csv").toString(),
              "--out",
              model.toString());
      assertEquals(0, r.status(), r::toString);
      assertTrue(Files.size(model) > 0, r::toString);
      Files.delete(model);
    } finally {
      Files.deleteIfExists(other);
    }
  }

  /**
   * A boolean option that takes a value takes true or false (any case); picocli took an empty value
   * (an unset variable), {@code null} and {@code Optional.empty} as false, silently.
   */
  @Test
  void booleanValuesAreTrueOrFalse() throws IOException {
    for (String option :
        new String[] {
          "--subtract-mean", "--zero-diagonal", "--normalize", "--preserve-on-resize"
        }) {
      for (String value : new String[] {"", " ", "null", "Optional.empty", "yes"}) {
        fails(
            "Invalid value for option '" + option + "': '" + value + "' is not true or false",
            "train",
            "--patterns",
            "@p.csv",
            "--out",
            "@new.npz",
            option,
            value);
      }
    }
    fails(
        "Invalid value for option '--subtract-mean': '' is not true or false",
        "train",
        "--patterns",
        "@p.csv",
        "--out",
        "@new.npz",
        "--subtract-mean=");
    fails(
        "Invalid value for option '--subtract-mean': '' is not true or false",
        "capacity",
        "--neurons",
        "16",
        "--patterns",
        "1,2",
        "--subtract-mean",
        "");
    fails(
        "Expected parameter for option '--normalize' but found '--out'",
        "train",
        "--patterns",
        "@p.csv",
        "--normalize",
        "--out",
        "@new.npz");
    // every boolean option that takes a value, of every command, checks it so
    for (picocli.CommandLine c : EngramCli.withAllSubcommands().getSubcommands().values()) {
      for (picocli.CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
        if ((o.type() == boolean.class || o.type() == Boolean.class) && o.arity().max() > 0) {
          assertTrue(
              o.preprocessor() instanceof EngramCli.TrueOrFalse,
              c.getCommandName() + " " + o.longestName());
        }
      }
    }
    Path out = dir.resolve("upper.npz");
    try {
      ToolRun.Result r =
          ToolRun.run(
              "train",
              "--patterns",
              dir.resolve("p.csv").toString(),
              "--out",
              out.toString(),
              "--subtract-mean",
              "FALSE",
              "--normalize=True");
      assertEquals(0, r.status(), r::toString);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * Gives each value to every option of every command whose type {@code kinds} names, checks that
   * each is refused as not of that kind, with {@code why}, and returns how many options it tried.
   */
  private static int refusedByEveryOption(
      java.util.Map<Class<?>, String> kinds, String[] values, String why) throws IOException {
    int checked = 0;
    for (picocli.CommandLine c : EngramCli.withAllSubcommands().getSubcommands().values()) {
      for (picocli.CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
        String kind = kinds.get(o.type());
        if (kind == null) {
          continue;
        }
        for (String v : values) {
          fails(
              "Invalid value for option '"
                  + o.longestName()
                  + "': '"
                  + v
                  + "' is not "
                  + kind
                  + " ("
                  + why
                  + ")",
              c.getCommandName(),
              o.longestName() + "=" + v);
        }
        checked++;
      }
    }
    return checked;
  }

  /**
   * A whole number on the command line is an optional sign and ASCII digits, in every option that
   * takes one: picocli's int and long options read the digits of any script ({@code --iterations
   * ١٢} ran 12 steps, {@code --seed １} seeded with 1), and so did {@code --size ４x４} and capacity's
   * loads, where every decimal option refused them.
   */
  @Test
  void wholeNumbersAreAsciiDigitsInEveryOption() throws IOException {
    String[] foreign = {"١٢", "１２", "१२", "-١", "1٢"};
    java.util.Map<Class<?>, String> kinds =
        java.util.Map.of(
            int.class,
            "an int",
            Integer.class,
            "an int",
            long.class,
            "a long",
            Long.class,
            "a long");
    int checked = refusedByEveryOption(kinds, foreign, "digits 0-9 only");
    // train --degree --seed, recall --iterations --top-k --seed, demo --patterns --seed --neurons,
    // capacity --neurons --trials --seed --iterations, corrupt --seed
    assertTrue(checked >= 13, "whole-number options found: " + checked);
    // --size WxH, in every command that takes it
    String[][] sized = {
      {"train", "--patterns", "@p.csv", "--out", "@new.npz"},
      {"recall", "--model", "@m.npz", "--queries", "@p.csv", "--out", "@r.npy"},
      {"inspect", "@m.npz"},
      {"demo", "--out", "@demo.png"},
      {"capacity", "--data", "@p.csv", "--patterns", "1,2"},
      {"corrupt", "--patterns", "@p.csv", "--out", "@c.csv"},
    };
    for (String[] command : sized) {
      for (String size : new String[] {" 4x4 ", "4x 4"}) {
        String[] args = java.util.Arrays.copyOf(command, command.length + 2);
        args[command.length] = "--size";
        args[command.length + 1] = size;
        fails("--size must be WxH, e.g. 64x64, got '" + size + "'", args);
      }
      for (String size : new String[] {"４x４", "٤", "2x٣"}) {
        String[] args = java.util.Arrays.copyOf(command, command.length + 2);
        args[command.length] = "--size";
        args[command.length + 1] = size;
        fails("--size must be WxH, e.g. 64x64, got '" + size + "' (digits 0-9 only)", args);
      }
    }
    // capacity's loads
    fails(
        "--patterns: '٢' is not a whole number (digits 0-9 only)",
        "capacity",
        "--neurons",
        "16",
        "--patterns",
        "1,٢");
    fails(
        "--patterns: '１０' is not a whole number (digits 0-9 only)",
        "capacity",
        "--neurons",
        "16",
        "--patterns",
        "１０");
    // ASCII is read as before: a sign, the range of the type, nothing else
    assertEquals(-5, EngramCli.wholeNumber("-5", Integer.MIN_VALUE, Integer.MAX_VALUE));
    assertEquals(7, EngramCli.wholeNumber("+7", Integer.MIN_VALUE, Integer.MAX_VALUE));
    assertEquals(
        Long.MIN_VALUE, EngramCli.wholeNumber("" + Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE));
    for (String bad :
        new String[] {"", "-", "+", " 1", "1 ", "0x10", "1_000", "2147483648", "1e3"}) {
      org.junit.jupiter.api.Assertions.assertThrows(
          NumberFormatException.class,
          () -> EngramCli.wholeNumber(bad, Integer.MIN_VALUE, Integer.MAX_VALUE),
          bad);
    }
    fails(
        "Invalid value for option '--iterations': '12x' is not an int (see",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--iterations",
        "12x");
  }

  /**
   * A whole number beyond its option's type ({@code --iterations 99999999999999999999}) was "is not
   * an int", as if it were no number: it is too large (or too small), with the largest (smallest)
   * the option accepts, its own limit where it has one.
   */
  @Test
  void wholeNumberBeyondItsTypeIsNamedTooLargeWithTheLimit() throws IOException {
    String[] recall = {"recall", "--model", "@m.npz", "--queries", "@p.csv", "--out", "@r.npy"};
    fails(
        "engram: --iterations 99999999999999999999: too large; at most 2147483647 (see 'engram"
            + " recall --help')",
        concat(recall, "--iterations", "99999999999999999999"));
    fails(
        "engram: --iterations -99999999999999999999: too small; at least 0 (see",
        concat(recall, "--iterations", "-99999999999999999999"));
    fails(
        "engram: --top-k 2147483648: too large; at most 2147483647 (see",
        concat(recall, "--top-k", "2147483648"));
    fails(
        "engram: --seed 9223372036854775808: too large; at most 9223372036854775807 (see",
        concat(recall, "--seed", "9223372036854775808"));
    fails(
        "engram: --seed -9223372036854775809: too small; at least -9223372036854775808 (see",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--out",
        "@q.csv",
        "--seed",
        "-9223372036854775809");
    // the option's own limit, smaller than its type's
    fails(
        "engram: --iterations 3000000000: too large; at most 100000 (see 'engram capacity",
        "capacity",
        "--neurons",
        "16",
        "--iterations",
        "3000000000");
    fails(
        "engram: --trials 99999999999: too large; at most 100000 (see",
        "capacity",
        "--neurons",
        "16",
        "--trials",
        "99999999999");
    fails(
        "engram: --neurons 99999999999: too large; at most 20000 (see 'engram demo",
        "demo",
        "--neurons",
        "99999999999",
        "--out",
        "@d.png");
    fails(
        "engram: --degree +99999999999: too large; at most 30 (see 'engram train",
        "train",
        "--memory",
        "modern",
        "--separation",
        "polynomial",
        "--degree",
        "+99999999999",
        "--patterns",
        "@p.csv",
        "--out",
        "@x.npz");
    // not a number at all: as before
    fails(
        "Invalid value for option '--iterations': '1x99999999999' is not an int (see",
        concat(recall, "--iterations", "1x99999999999"));
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /**
   * A decimal number on the command line is what a person or numpy writes, in every option that
   * takes one: Java's {@code Double.valueOf}, which picocli used, also read {@code 0.1f}, {@code
   * 1d}, hex floats and blanks around the number, which no whole-number option or CSV cell takes.
   * NaN and the infinities still reach each option's own check, which names them.
   */
  @Test
  void decimalsAreWrittenAsDecimalsInEveryOption() throws IOException {
    String[] javaOnly = {"0.1f", "1d", "0x1p-3", " 1", "1 ", "1_0", "٠.٥", "1.0e", ".", "e3"};
    java.util.Map<Class<?>, String> kinds =
        java.util.Map.of(
            double.class,
            "a double",
            Double.class,
            "a double",
            float.class,
            "a float",
            Float.class,
            "a float");
    int checked = refusedByEveryOption(kinds, javaOnly, "a decimal number such as 0.5, -2 or 1e-3");
    // train --beta --rho --temperature --threshold ..., recall's tolerances and dynamics, corrupt's
    // noise, capacity's noise and tolerances
    assertTrue(checked >= 8, "decimal options found: " + checked);
    // what is read: a sign, digits, '.', an exponent; NaN and infinities in any case
    for (String[] ok :
        new String[][] {
          {"0.5", "0.5"},
          {"-2", "-2.0"},
          {"+.5", "0.5"},
          {"5.", "5.0"},
          {"1e-3", "0.001"},
          {"1E+3", "1000.0"},
          {"nan", "NaN"},
          {"NaN", "NaN"},
          {"-inf", "-Infinity"},
          {"Infinity", "Infinity"},
          {"+INF", "Infinity"}
        }) {
      assertEquals(ok[1], EngramCli.decimal(ok[0], "a double").toString(), ok[0]);
    }
    // a finite decimal beyond the type's range, or too close to 0, is not read as Infinity or 0
    // (--beta 1e-400 was refused as "got 0.0", --ridge 1e-400 taken as 0, --beta 1e309 named as
    // "got Infinity")
    refusedByEveryOption(
        kinds,
        new String[] {"1e309", "-1e309"},
        "beyond its range: at most 1.7976931348623157E308 in magnitude");
    refusedByEveryOption(
        kinds,
        new String[] {"1e-400", "4.9e-325", "-1e-400"},
        "too close to 0: it would be read as 0, the smallest is 4.9E-324; give 0 if 0 is meant");
    fails(
        "Invalid value for option '--beta': '1e-400' is not a double (too close to 0: it would be"
            + " read as 0, the smallest is 4.9E-324; give 0 if 0 is meant) (see 'engram train",
        "train",
        "--memory",
        "modern",
        "--beta",
        "1e-400",
        "--patterns",
        "@p.csv",
        "--out",
        "@new.npz");
    for (String[] ok :
        new String[][] {
          {"-0", "-0.0"}, {"0e-400", "0.0"}, {"4.9e-324", "4.9E-324"}, {"1e308", "1.0E308"}
        }) {
      assertEquals(ok[1], EngramCli.decimal(ok[0], "a double").toString(), ok[0]);
    }
    assertEquals(
        Float.MAX_VALUE,
        new EngramCli.FloatConverter().convert("3.4028235e38").floatValue(),
        "the largest float");
    org.junit.jupiter.api.Assertions.assertThrows(
        picocli.CommandLine.TypeConversionException.class,
        () -> new EngramCli.FloatConverter().convert("1e39"));
    org.junit.jupiter.api.Assertions.assertThrows(
        picocli.CommandLine.TypeConversionException.class,
        () -> new EngramCli.FloatConverter().convert("1e-46"));
    // the hand-written syntax check says what the regular expression it replaced said, for every
    // string of up to 4 characters over the characters that matter
    java.util.regex.Pattern decimalSyntax =
        java.util.regex.Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    String alphabet = "09.eE+-x ";
    for (int len = 0; len <= 4; len++) {
      int total = (int) Math.pow(alphabet.length(), len);
      for (int k = 0; k < total; k++) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0, v = k; j < len; j++, v /= alphabet.length()) {
          sb.append(alphabet.charAt(v % alphabet.length()));
        }
        String t = sb.toString();
        assertEquals(decimalSyntax.matcher(t).matches(), Decimals.isDecimal(t), "'" + t + "'");
      }
    }
    for (String t : new String[] {"nan", "-NaN", "+inf", "-Infinity", "INF"}) {
      assertTrue(Decimals.notFinite(t) != null, t);
    }
    for (String t : new String[] {"na", "infinit", "--inf", "inf ", " nan", "1nan"}) {
      assertEquals(null, Decimals.notFinite(t), t);
    }
    // and each option names what is not finite itself
    fails(
        "--beta must be a finite number > 0, got NaN",
        "train",
        "--memory",
        "modern",
        "--beta",
        "nan",
        "--patterns",
        "@p.csv",
        "--out",
        "@new.npz");
  }

  /**
   * The dynamics and tolerance options out of their range are named as options: the library's
   * messages said "temperature must be a finite float32 value, got 1.0E39" and "state tolerance
   * must be a finite number > 0, got -0.0", naming no option.
   */
  @Test
  void dynamicsAndToleranceMessagesNameTheOption() throws IOException {
    String[] recall = {"recall", "--model", "@m.npz", "--queries", "@p.csv", "--out", "@r.npy"};
    String[][] cases = {
      {
        "--temperature must be a finite float32 value, got 1.0E39",
        "--activation",
        "tanh",
        "--temperature",
        "1e39"
      },
      {"--threshold must be a finite float32 value, got -1.0E39", "--threshold", "-1e39"},
      {"--state-tolerance must be a finite number > 0, got -0.0", "--state-tolerance", "-0"},
      {
        "--energy-tolerance must be a finite number > 0, got 0.0",
        "--activation",
        "tanh",
        "--energy-tolerance",
        "0"
      },
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOf(recall, recall.length + c.length - 1);
      System.arraycopy(c, 1, args, recall.length, c.length - 1);
      fails(c[0], args);
    }
    fails(
        "--temperature must be a finite number > 0, got -0.0",
        "train",
        "--patterns",
        "@p.csv",
        "--activation",
        "tanh",
        "--temperature",
        "-0",
        "--out",
        "@new.npz");
  }

  /**
   * One file given twice to {@code --patterns} (train, corrupt) was read twice without a word, its
   * patterns stored twice: refused, naming the file, also under another name (./p.csv, a link, an
   * absolute path) and as an image of a folder given too. Two files with the same content are two
   * files.
   */
  @Test
  void theSameFileGivenTwiceIsRefused() throws IOException {
    Path twice = dir.resolve("twice");
    Files.createDirectories(twice.resolve("imgs"));
    Files.writeString(twice.resolve("p.csv"), "1,-1,1,-1\n1,1,-1,-1\n");
    Files.writeString(twice.resolve("copy.csv"), "1,-1,1,-1\n1,1,-1,-1\n");
    Files.createSymbolicLink(twice.resolve("link.csv"), Path.of("p.csv"));
    for (int k = 0; k < 2; k++) {
      java.awt.image.BufferedImage img =
          new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setSample(k, k, 0, 255);
      assertTrue(
          javax.imageio.ImageIO.write(img, "png", twice.resolve("imgs/i" + k + ".png").toFile()));
    }
    String give = "; give each file once (to repeat patterns, repeat their rows in one file)";
    String p = "@twice/p.csv";
    String pShown = dir + "/twice/p.csv";
    for (String command : new String[] {"train", "corrupt"}) {
      String out = command.equals("train") ? "@twice/m.npz" : "@twice/c.csv";
      fails(
          pShown + " is given twice" + give,
          command,
          "--patterns",
          p,
          "--patterns",
          p,
          "--out",
          out);
      fails(
          dir
              + "/twice/./p.csv is read twice: it is the same file as "
              + pShown
              + ", given before"
              + give,
          command,
          "--patterns",
          p,
          "--patterns",
          "@twice/./p.csv",
          "--out",
          out);
      fails(
          dir
              + "/twice/link.csv is read twice: it is the same file as "
              + pShown
              + ", given before",
          command,
          "--patterns",
          p,
          "--patterns",
          "@twice/link.csv",
          "--out",
          out);
      // a third file between them changes nothing
      fails(
          pShown + " is given twice",
          command,
          "--patterns",
          p,
          "--patterns",
          "@twice/copy.csv",
          "--patterns",
          p,
          "--out",
          out);
    }
    String img = dir + "/twice/imgs/i1.png";
    fails(
        img
            + " is read twice: it is also in the folder "
            + dir
            + "/twice/imgs, given before"
            + give,
        "train",
        "--patterns",
        "@twice/imgs",
        "--patterns",
        "@twice/imgs/i1.png",
        "--out",
        "@twice/m.npz");
    fails(
        img + " (in the folder " + dir + "/twice/imgs) is read twice: it is given before as " + img,
        "train",
        "--patterns",
        "@twice/imgs/i1.png",
        "--patterns",
        "@twice/imgs",
        "--out",
        "@twice/m.npz");
    fails(
        dir + "/twice/imgs is given twice",
        "corrupt",
        "--patterns",
        "@twice/imgs",
        "--patterns",
        "@twice/imgs",
        "--out",
        "@twice/c/");
    // two files that hold the same patterns are two files: both read
    ToolRun.Result r =
        ToolRun.run(
            "train",
            "--patterns",
            twice.resolve("p.csv").toString(),
            "--patterns",
            twice.resolve("copy.csv").toString(),
            "--out",
            twice.resolve("m.npz").toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals(4, io.engram.io.ModelFile.read(twice.resolve("m.npz")).storedPatterns());
    Files.delete(twice.resolve("m.npz"));
  }

  /**
   * Files given without their options ('recall m.npz q.npy', the way many tools take them): the
   * line said only that --model, --queries and --out were missing, as if no file had been given.
   */
  @Test
  void filesWithoutTheirOptions() throws IOException {
    fails(
        "unexpected arguments '"
            + dir
            + "/m.npz', '"
            + dir
            + "/p.csv': 'engram recall' takes"
            + " only options, each value after its name; missing: --model MODEL, --queries"
            + " FILE|DIR, --out FILE|DIR/",
        "recall",
        "@m.npz",
        "@p.csv");
    // an option's value, also a boolean's, is not taken for a stray argument
    fails(
        "unexpected argument '"
            + dir
            + "/q.npy': 'engram recall' takes only options, each value"
            + " after its name; missing: --queries FILE|DIR",
        "recall",
        "--model",
        "@m.npz",
        "--iterations",
        "3",
        "@q.npy",
        "--out",
        "@r.npy");
    fails(
        "unexpected argument 'extra': 'engram train' takes only options, each value after its"
            + " name; missing: --out MODEL",
        "train",
        "--patterns",
        "@p.csv",
        "--zero-diagonal",
        "false",
        "extra");
    // and the other way round: inspect takes its model without --model, as recall does not
    String inspect =
        "Unknown option: '--model': 'engram inspect' takes its MODEL without an option"
            + " name ('engram inspect MODEL')";
    fails(inspect, "inspect", "--model", "@m.npz");
    fails(inspect, "inspect", "--model=@m.npz", "--patterns", "@p.csv");
  }

  /**
   * A command copied from a page that set its dashes as typography: '—patterns' was "unexpected",
   * and '–-out' made picocli say --out was missing. The line names the character and the option.
   */
  @Test
  void optionsWithTypographicDashes() throws IOException {
    String page =
        "not the '-' options start with (a command copied from a page that set its"
            + " dashes as typography?); write ";
    fails(
        "'\u2014patterns' starts with '\u2014' (U+2014 EM DASH), " + page + "--patterns",
        "train",
        "\u2014patterns",
        "@p.csv",
        "--out",
        "@m2.npz");
    fails(
        "'\u2013-out' starts with '\u2013' (U+2013 EN DASH), " + page + "--out",
        "train",
        "--patterns",
        "@p.csv",
        "\u2013-out",
        "@m2.npz");
    fails(
        "(U+2212 MINUS SIGN), " + page + "--flip=0.1",
        "corrupt",
        "--patterns",
        "@p.csv",
        "\u2212\u2212flip=0.1",
        "--out",
        "@c.npy");
    // one that names no option is an argument like any other
    fails(
        "unexpected argument '\u2014frobnicate': 'engram train' takes only options, each value"
            + " after its name; missing: --out MODEL",
        "train",
        "\u2014frobnicate");
  }

  /**
   * An output whose name starts with '-' is a slip: picocli takes a word that is not one of the
   * command's options as the value before it, and 'train ... --out --report' (recall's option)
   * wrote a model named '--report'. './--report' names such a file on purpose. Outputs only: an
   * input of such a name that exists is read, one that does not is not found.
   */
  @Test
  void anOutputNamedLikeAnOption() throws IOException {
    String hint =
        ": the name starts with '-', as an option does (was a value left out before it?);";
    fails(
        "--out --report" + hint + " to write a file of that name, give ./--report",
        "train",
        "--patterns",
        "@p.csv",
        "--out",
        "--report");
    fails(
        "--report -v" + hint,
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--report",
        "-v");
    fails("--weights -w.npy" + hint, "export", "--model", "@m.npz", "--weights", "-w.npy");
    // '-' alone is standard output, and a name with '-' inside is a name
    ToolRun.Result r =
        ToolRun.run("train", "-q", "--patterns", dir + "/p.csv", "--out", dir + "/-m.npz");
    assertEquals(0, r.status(), r::toString);
    Files.delete(dir.resolve("-m.npz"));
  }

  /**
   * A name of only blanks (a quoted space, a variable of spaces) is no name: an output of that name
   * was written (a file or folder called ' '), an input was "engram: : file not found".
   */
  @Test
  void namesOfOnlyBlanks() throws IOException {
    // every output in the test's folder ('@'), so that a name taken again is written there
    String blank = "': the name is only blanks (spaces, tabs); give a name";
    fails("/ " + blank, "train", "--patterns", "@p.csv", "--out", "@ ");
    fails("/\\t" + blank, "train", "--patterns", "@p.csv", "--out", "@\t");
    fails(
        "/ /" + blank,
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--size",
        "3x2",
        "--out",
        "@ /");
    fails(
        "--report '" + dir + "/ " + blank,
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--report",
        "@ ");
    fails(
        "/empty/ " + blank,
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy",
        "--report",
        "@empty/ ");
    fails("/  " + blank, "export", "--model", "@m.npz", "--weights", "@  ");
    fails("/ " + blank, "capacity", "--neurons", "16", "--patterns", "1,2", "--json", "@ ");
    fails(
        "Invalid value for option '--patterns' (FILE): the path ' ' is only blanks (spaces, tabs)",
        "train",
        "--patterns",
        " ",
        "--out",
        "@new.npz");
    fails(
        "Invalid value for positional parameter at index 0 (MODEL): the path '\\t' is only blanks",
        "inspect",
        "\t");
  }

  /**
   * inspect --patterns of a file without patterns (an empty CSV, a 0 x N array): the report was
   * printed without its pattern lines, exit 0, as if --patterns had not been given.
   */
  @Test
  void inspectPatternsThatHoldNone() throws IOException {
    Files.writeString(dir.resolve("none.csv"), "");
    io.engram.io.Npy.write(
        dir.resolve("none.npy"), io.engram.io.NdArray.ofFloats(new float[0], 0, 6));
    Path modern = dir.resolve("modern.npz");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "--memory",
                "modern",
                "--patterns",
                dir.resolve("p.csv").toString(),
                "--out",
                modern.toString())
            .status());
    try {
      fails("/none.csv: holds no patterns", "inspect", "@m.npz", "--patterns", "@none.csv");
      fails(
          "/none.npy: holds no patterns", "inspect", "@m.npz", "--json", "--patterns", "@none.npy");
      fails("/none.csv: holds no patterns", "inspect", "@modern.npz", "--patterns", "@none.csv");
    } finally {
      Files.delete(modern);
      Files.delete(dir.resolve("none.csv"));
      Files.delete(dir.resolve("none.npy"));
    }
  }

  /**
   * A modern memory of no patterns (train --memory modern --init EMPTY with an empty file writes
   * one): inspect --patterns printed the report without its pattern lines, exit 0, as if --patterns
   * had not been given; recall said "the memory stores no patterns yet", naming no file.
   */
  @Test
  void aModernMemoryOfNoPatterns() throws IOException {
    Path work = Files.createTempDirectory(dir, "nopatterns");
    Path empty = work.resolve("empty.npz");
    try {
      io.engram.io.ModelFile.write(empty, io.engram.memory.ModernHopfieldMemory.softmax(6));
      fails(
          "/empty.npz: the modern memory stores no patterns, so there is nothing to compare"
              + " --patterns with; store some first (train --memory modern --init)",
          "inspect",
          "@" + dir.relativize(empty),
          "--patterns",
          "@p.csv");
      fails(
          "/empty.npz: the modern memory stores no patterns, so there is nothing to recall;"
              + " store some first (train --memory modern --init)",
          "recall",
          "--model",
          "@" + dir.relativize(empty),
          "--queries",
          "@p.csv",
          "--out",
          "@r.npy");
      // inspect alone describes it
      ToolRun.Result r = ToolRun.run("inspect", empty.toString());
      assertEquals(0, r.status(), r::toString);
      assertTrue(r.out().contains("stored patterns    0"), r::toString);
    } finally {
      Files.deleteIfExists(empty);
      Files.delete(work);
    }
  }

  /**
   * A classical model whose weights are near the float32 limit (one pattern of 4.5e18, not
   * normalised): a ±1 state's energy -1/2 sᵀWs is beyond float32. inspect --patterns refused it,
   * but recall --report wrote "energy": null for it, exit 0, without a word.
   */
  @Test
  void anEnergyBeyondFloat32IsRefusedNotReportedAsNull() throws IOException {
    Path work = Files.createTempDirectory(dir, "energy");
    Path big = work.resolve("big.csv");
    Path ones = work.resolve("ones.csv");
    Path model = work.resolve("big.npz");
    Files.writeString(big, String.join(",", java.util.Collections.nCopies(16, "4.5e18")) + "\n");
    Files.writeString(ones, String.join(",", java.util.Collections.nCopies(16, "1")) + "\n");
    try {
      ToolRun.Result r =
          ToolRun.run(
              "train",
              "--patterns",
              big.toString(),
              "--normalize",
              "false",
              "--subtract-mean",
              "false",
              "--out",
              model.toString());
      assertEquals(0, r.status(), r::toString);
      String w = "@" + dir.relativize(work) + "/";
      for (String option : new String[] {"--report", "--energy-plot"}) {
        fails(
            "/ones.csv: the energy of query 0 is -Infinity, beyond float32 (the model's weights are"
                + " too large for an energy -1/2 sᵀWs of these states); leave --report and"
                + " --energy-plot out to recall without energies",
            "recall",
            "--model",
            w + "big.npz",
            "--queries",
            w + "ones.csv",
            "--out",
            w + "r.npy",
            option,
            w + (option.equals("--report") ? "r.json" : "e.png"));
      }
      // without them the states are recalled
      r =
          ToolRun.run(
              "recall",
              "--model",
              model.toString(),
              "--queries",
              ones.toString(),
              "--out",
              work.resolve("r.npy").toString());
      assertEquals(0, r.status(), r::toString);
    } finally {
      try (var s = Files.list(work)) {
        for (Path f : s.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(work);
    }
  }

  /**
   * train --tolerance NaN: the library reads NaN as "the default tolerance", so a typed NaN was
   * taken (exit 0); it is refused as every other option's NaN is, and the message of an
   * out-of-range value no longer offers NaN.
   */
  @Test
  void pseudoInverseToleranceIsANumber() throws IOException {
    for (String v : new String[] {"NaN", "-Infinity", "1", "-0.5"}) {
      fails(
          "--tolerance must be a number in [0, 1), got " + Double.parseDouble(v),
          "train",
          "--patterns",
          "@p.csv",
          "--out",
          "@new.npz",
          "--rule",
          "pseudo-inverse",
          "--tolerance",
          v);
    }
  }

  /**
   * An input whose name is longer than the system takes (255 bytes): the system says so, and the
   * message does too; it said the file "cannot be reached (permission denied on a folder above
   * it?)", and capacity --data "no such file or folder".
   */
  @Test
  void inputNamesTooLongForTheSystem() throws IOException {
    String name = "a".repeat(300);
    fails(
        name + ".npy: cannot be reached: File name too long",
        "train",
        "--patterns",
        "@" + name + ".npy",
        "--out",
        "@new.npz");
    fails(
        name + ".npz: cannot be reached: File name too long",
        "recall",
        "--model",
        "@" + name + ".npz",
        "--queries",
        "@p.csv",
        "--out",
        "@r.npy");
    fails(
        name + ".npy: cannot be reached: File name too long",
        "capacity",
        "--data",
        "@" + name + ".npy",
        "--patterns",
        "1");
  }

  /**
   * A value outside an option's fixed set names the option, as --rule, --memory and --update do:
   * --weights and --activation passed on the library's words ("unknown weights mode 'Tanh',
   * expected one of auto, dense, low-rank"), which named no option (found by OptionFuzzTest).
   */
  @Test
  void choicesNameTheirOption() throws IOException {
    fails(
        "engram: --weights must be auto, dense or low-rank, got 'Tanh'\n",
        "train",
        "--patterns",
        "@p.csv",
        "--weights",
        "Tanh",
        "--out",
        "@new.npz");
    fails(
        "engram: --activation must be sign, tanh or sigmoid, got 'x'\n",
        "train",
        "--patterns",
        "@p.csv",
        "--activation",
        "x",
        "--out",
        "@new.npz");
    fails(
        "engram: --activation must be sign, tanh or sigmoid, got 'relu'\n",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--activation",
        "relu",
        "--out",
        "@r.npy");
  }

  /**
   * A --size of 0 or too many pixels names --size, in every command that takes it: it was "image
   * size 0x5 out of range (...)", no option named; and one beyond a whole number's range
   * (2147483648x1) was "--size must be WxH", which it is (found by OptionFuzzTest).
   */
  @Test
  void sizeOutOfRangeNamesTheOption() throws IOException {
    fails(
        "engram: --size 0x5 is out of range (1x1 up to 4194304 pixels)\n",
        "train",
        "--patterns",
        "@p.csv",
        "--size",
        "0x5",
        "--out",
        "@new.npz");
    fails(
        "engram: --size 65536x65536 is out of range (1x1 up to 4194304 pixels)\n",
        "inspect",
        "@m.npz",
        "--size",
        "65536x65536");
    fails(
        "engram: --size 2147483648x1 is out of range (1x1 up to 4194304 pixels)\n",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--size",
        "2147483648x1",
        "--out",
        "@n/");
    fails(
        "engram: --size -4x-4 is out of range (1x1 up to 4194304 pixels)\n",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--size",
        "-4x-4",
        "--out",
        "@r/");
    fails(
        "engram: --size 4x0 is out of range (1x1 up to 4194304 pixels)\n",
        "demo",
        "--size",
        "4x0",
        "--out",
        "@d.png");
  }

  /**
   * An --order that is no permutation names --order and its file: the library's "async order entry
   * 0 is 3, expected 0..2" named neither (found by OptionFuzzTest).
   */
  @Test
  void orderThatIsNoPermutationNamesTheOption() throws IOException {
    io.engram.io.Npy.write(
        dir.resolve("o3.npy"), io.engram.io.NdArray.ofInts(new int[] {3, 2, 1}, 3));
    io.engram.io.Npy.write(
        dir.resolve("o6twice.npy"), io.engram.io.NdArray.ofInts(new int[] {0, 0, 1, 2, 3, 4}, 6));
    fails(
        "engram: --order " + dir + "/o3.npy: async order entry 0 is 3, expected 0..2\n",
        "train",
        "--patterns",
        "@p.csv",
        "--order",
        "@o3.npy",
        "--out",
        "@new.npz");
    fails(
        "engram: --order "
            + dir
            + "/o6twice.npy: async order is not a permutation: 0 appears twice\n",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--order",
        "@o6twice.npy",
        "--out",
        "@r.npy");
  }

  /**
   * recall: an --order of another length than the model's N names --order, as train does; it was
   * the library's "async order has length 2, expected N = 6" (found by option fuzzing).
   */
  @Test
  void recallOrderOfAnotherLengthNamesTheOption() throws IOException {
    io.engram.io.Npy.write(dir.resolve("o2.npy"), io.engram.io.NdArray.ofInts(new int[] {1, 0}, 2));
    fails(
        "engram: --order "
            + dir
            + "/o2.npy: has 2 entries, but the model has N = 6; an order is a permutation of"
            + " 0..N-1\n",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--order",
        "@o2.npy",
        "--out",
        "@r.npy");
  }

  /**
   * capacity: an unknown --memory is named before the options that depend on the kind: with --rule
   * or --subtract-mean it was taken for modern memory ("--rule applies to the classical network,
   * not to --memory foo"; "... not to --memory modern"), found while fuzzing the options.
   */
  @Test
  void capacityNamesAnUnknownMemoryFirst() throws IOException {
    fails(
        "engram: --memory must be classical or modern, got 'foo'\n",
        "capacity",
        "--neurons",
        "8",
        "--memory",
        "foo",
        "--rule",
        "storkey");
    fails(
        "engram: --memory must be classical or modern, got 'foo'\n",
        "capacity",
        "--neurons",
        "8",
        "--memory",
        "foo",
        "--subtract-mean",
        "true");
  }

  /**
   * train and capacity read --rule alike: the same names (capacity refused train's "projection")
   * and the same refusal (capacity's was "--rule must be one of hebbian, anti-hebbian, storkey,
   * pseudo-inverse, got 'oja'", train's "--rule must be hebbian, anti-hebbian, pseudo-inverse or
   * storkey, got 'oja'"), found while fuzzing the options.
   */
  @Test
  void trainAndCapacityReadTheRuleAlike() throws IOException {
    String refusal =
        "engram: --rule must be hebbian, anti-hebbian, pseudo-inverse or storkey, got 'oja'\n";
    fails(refusal, "train", "--patterns", "@p.csv", "--rule", "oja", "--out", "@new.npz");
    fails(refusal, "capacity", "--neurons", "8", "--rule", "oja");
    for (String name : List.of("projection", "Pseudo_Inverse", " STORKEY ", "antihebbian")) {
      ToolRun.Result r =
          ToolRun.run(
              "capacity",
              "--neurons",
              "8",
              "--patterns",
              "1,2",
              "--trials",
              "1",
              "-q",
              "--rule",
              name);
      assertEquals(0, r.status(), () -> name + ": " + r);
      Path m = dir.resolve("rule.npz");
      ToolRun.Result t =
          ToolRun.run(
              "train",
              "--patterns",
              dir.resolve("p.csv").toString(),
              "--rule",
              name,
              "--out",
              m.toString());
      assertEquals(0, t.status(), () -> name + ": " + t);
      Files.delete(m);
    }
  }

  /**
   * An option that does not apply to the chosen rule or memory is refused in the same words by
   * train and capacity: capacity had its own ("--subtract-mean applies to the Hebbian rules, not to
   * --rule storkey", "--beta applies to --memory modern only", "--rule applies to the classical
   * network, not to --memory modern"), found while fuzzing the options.
   */
  @Test
  void trainAndCapacityRefuseAnOptionThatDoesNotApplyAlike() throws IOException {
    String[] train = {"train", "--patterns", "@p.csv", "--out", "@new.npz"};
    String[] capacity = {"capacity", "--neurons", "8"};
    for (String[] command : List.of(train, capacity)) {
      fails(
          "engram: --subtract-mean does not apply to the storkey rule (hebbian and anti-hebbian"
              + " only)\n",
          cat(command, "--rule", "storkey", "--subtract-mean", "false"));
      fails(
          "engram: --subtract-mean does not apply to the pseudo-inverse rule (hebbian and"
              + " anti-hebbian only)\n",
          cat(command, "--rule", "pseudo-inverse", "--subtract-mean", "true"));
      fails(
          "engram: --subtract-mean does not apply to modern memory\n",
          cat(command, "--memory", "modern", "--subtract-mean", "true"));
      fails(
          "engram: --rule does not apply to modern memory\n",
          cat(command, "--memory", "modern", "--rule", "storkey"));
      fails(
          "engram: --beta does not apply to the classical network (it applies to --memory"
              + " modern)\n",
          cat(command, "--beta", "2"));
      fails(
          "engram: --beta does not apply to the classical network (it applies to --memory"
              + " modern)\n",
          cat(command, "--memory", "classical", "--beta", "2"));
    }
  }

  private static String[] cat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /**
   * train --weights low-rank where no low-rank form can be: with the storkey rule (dense weights
   * only), or continuing a model whose weights have none without their patterns (a storkey --init,
   * dense weights). Named as the option now; it was the library's words, "storkey needs dense
   * weights, but the network's weights mode is low-rank" and "dense weights with nonzero
   * off-diagonal entries (W[0][3] = -0.75) have no exact low-rank form without their training
   * patterns; train in low-rank mode instead" (found while fuzzing the options).
   */
  @Test
  void lowRankWeightsWhereThereIsNoLowRankForm() throws IOException {
    for (String rule : List.of("storkey")) {
      assertEquals(
          0,
          ToolRun.run(
                  "train",
                  "--patterns",
                  dir.resolve("p.csv").toString(),
                  "--rule",
                  rule,
                  "--out",
                  dir.resolve(rule + ".npz").toString())
              .status());
    }
    fails(
        "engram: --weights low-rank does not apply to the storkey rule, which keeps dense"
            + " weights; give --weights dense or auto, or leave --weights out\n",
        "train",
        "--patterns",
        "@p.csv",
        "--rule",
        "storkey",
        "--weights",
        "low-rank",
        "--out",
        "@new.npz");
    for (String model : List.of("storkey.npz")) {
      fails(
          "engram: --weights low-rank does not apply to --init "
              + dir
              + "/"
              + model
              + ": its weights have no exact low-rank form without their training patterns;"
              + " train a new model with --weights low-rank, or leave --weights out\n",
          "train",
          "--patterns",
          "@p.csv",
          "--init",
          "@" + model,
          "--weights",
          "low-rank",
          "--out",
          "@new.npz");
    }
  }

  /**
   * recall --size with array queries, an array --out and no --grid: nothing to resize or shape,
   * refused as train's and corrupt's are; it passed without a word (found while fuzzing the
   * options). With an image output it shapes the images, as before.
   */
  @Test
  void recallSizeWithNothingToShape() throws IOException {
    fails(
        "engram: --size 3x2 resizes images, but --queries and --out are arrays (.npy, .csv);"
            + " leave --size out\n",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@p.csv",
        "--size",
        "3x2",
        "--out",
        "@r.npy");
    Path folder = dir.resolve("shaped");
    ToolRun.Result r =
        ToolRun.run(
            "recall",
            "--model",
            dir.resolve("m.npz").toString(),
            "--queries",
            dir.resolve("p.csv").toString(),
            "--size",
            "3x2",
            "--out",
            folder + "/");
    assertEquals(0, r.status(), r::toString);
    try (var files = Files.list(folder)) {
      assertEquals(2, files.count());
    }
    ToolRun.Result g =
        ToolRun.run(
            "recall",
            "--model",
            dir.resolve("m.npz").toString(),
            "--queries",
            dir.resolve("p.csv").toString(),
            "--size",
            "3x2",
            "--out",
            dir.resolve("shaped.npy").toString(),
            "--grid",
            dir.resolve("shaped.png").toString());
    assertEquals(0, g.status(), g::toString);
  }

  /**
   * An option given after {@code --} (which ends the options: what follows is read as arguments) is
   * named as such: it was "Unknown option: '--occlude' (did you mean '--occlude'?)", or a required
   * option "missing" though given, or "Unknown option: '-q'" (found by OptionFuzzTest).
   */
  @Test
  void anOptionAfterTheEndOfOptions() throws IOException {
    fails(
        "engram: '--occlude' comes after '--', which ends the options (what follows it is read as"
            + " arguments); give the options before '--' (see 'engram demo --help')\n",
        "demo",
        "--",
        "--occlude",
        "1");
    fails(
        "engram: '--out' comes after '--', which ends the options (what follows it is read as"
            + " arguments); give the options before '--' (see 'engram train --help')\n",
        "train",
        "--patterns",
        "@p.csv",
        "--",
        "--out",
        "@new.npz");
    fails(
        "engram: '--json' comes after '--', which ends the options (what follows it is read as"
            + " arguments); give the options before '--' (see 'engram inspect --help')\n",
        "inspect",
        "--",
        "@m.npz",
        "--json");
    fails(
        "engram: '-q' comes after '--', which ends the options (what follows it is read as"
            + " arguments); give the options before '--' (see 'engram corrupt --help')\n",
        "corrupt",
        "--patterns",
        "@p.csv",
        "--out",
        "@n.npy",
        "--",
        "-q");
    fails(
        "engram: '--patterns' comes after '--', which ends the options (what follows it is read"
            + " as arguments); give the options before '--' (see 'engram capacity --help')\n",
        "capacity",
        "--neurons",
        "8",
        "--",
        "--patterns=1");
  }

  /**
   * A warning about the inputs (images resized to the first one's size, flipped zeros) followed by
   * the error that ends the command: only the error line is written, as for every exit 2; the
   * warning came first and made the message two lines. On success the warning stays (ImageToolTest,
   * NewcomerTest, CsvInputTest).
   */
  @Test
  void aFailedCommandWritesItsErrorLineOnly() throws IOException {
    Path imgs = Files.createDirectory(dir.resolve("mixed"));
    for (int[] wh : new int[][] {{3, 3}, {3, 2}}) {
      java.awt.image.BufferedImage img =
          new java.awt.image.BufferedImage(
              wh[0], wh[1], java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      img.setRGB(0, 0, 0xFFFFFFFF);
      javax.imageio.ImageIO.write(
          img, "png", imgs.resolve((wh[1] == 3 ? "a" : "b") + ".png").toFile());
    }
    Files.writeString(dir.resolve("zeros.csv"), "0,1,0,1,0,1\n");
    String[][] cases = {
      {
        "query 0 has length 9, but the model has N = 6",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@mixed",
        "--out",
        "@r.npy"
      },
      {
        "patterns have length 9, but the model has N = 6",
        "inspect",
        "@m.npz",
        "--patterns",
        "@mixed"
      },
      {
        "patterns of length 6 are not square images",
        "corrupt",
        "--patterns",
        "@zeros.csv",
        "--flip",
        "1",
        "--out",
        "@noisy/"
      },
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      fails(c[0], args);
      for (int i = 0; i < args.length; i++) {
        args[i] = args[i].replace("@", dir.toString() + "/");
      }
      ToolRun.Result r = ToolRun.run(args);
      assertEquals(1, r.err().strip().lines().count(), () -> "one line: " + r);
    }
  }

  /**
   * inspect --patterns of a modern memory with a pattern so large (1e20) that its energy is beyond
   * float32: exit 2 naming the pattern, as recall's --report and a classical model's inspect do; it
   * printed "mean Infinity, std NaN" (JSON: null), exit 0.
   */
  @Test
  void inspectOfAModernMemoryWithAnEnergyBeyondFloat32() throws IOException {
    Path modern = dir.resolve("modern-big.npz");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "--memory",
                "modern",
                "--patterns",
                dir.resolve("p.csv").toString(),
                "--out",
                modern.toString())
            .status());
    Files.writeString(dir.resolve("big.csv"), "1,-1,1,-1,1e20,-1\n1,1,-1,-1,1,1\n");
    try {
      String expected =
          "/big.csv: the energy of pattern 0 is Infinity, beyond float32 (the stored patterns are"
              + " too large for an energy of these patterns)";
      fails(expected, "inspect", "@modern-big.npz", "--patterns", "@big.csv");
      fails(expected, "inspect", "@modern-big.npz", "--json", "--patterns", "@big.csv");
    } finally {
      Files.delete(modern);
      Files.delete(dir.resolve("big.csv"));
    }
  }

  /**
   * train --rule pseudo-inverse of patterns too close to dependent for its float32 Gram matrix (a
   * float32 file read as int32: offsets of 32831, differences of 128): exit 2 naming the cause and
   * the cures, nothing written. It wrote a model, exit 0, that no command could read ("row 1 of
   * V.npy has squared length 1.0322509, expected 1"); --tolerance 0.01 stores it.
   */
  @Test
  void pseudoInverseOfPatternsTooCloseToDependentForFloat32() throws IOException {
    Files.writeString(
        dir.resolve("near.csv"),
        "32831,32959,32831,32959,32831,32959\n"
            + "32831,32831,32959,32959,32831,32831\n"
            + "32959,32831,32831,32959,32959,32831\n");
    try {
      for (String weights : new String[] {"auto", "dense"}) {
        fails(
            "engram: the patterns are too close to dependent for the pseudo-inverse in float32:"
                + " direction 1 of this call came out with squared length",
            "train",
            "--rule",
            "pseudo-inverse",
            "--weights",
            weights,
            "--patterns",
            "@near.csv",
            "--out",
            "@near.npz");
      }
      Path near = dir.resolve("near.npz");
      ToolRun.Result ok =
          ToolRun.run(
              "train",
              "-q",
              "--rule",
              "pseudo-inverse",
              "--tolerance",
              "0.01",
              "--patterns",
              dir.resolve("near.csv").toString(),
              "--out",
              near.toString());
      assertEquals(0, ok.status(), ok::toString);
      assertEquals(0, ToolRun.run("inspect", near.toString()).status());
      Files.delete(near);
    } finally {
      Files.delete(dir.resolve("near.csv"));
    }
  }

  /**
   * A Unix domain socket given as an input: the system refuses to open it (ENXIO), and the line was
   * that reason alone, "s: No such device or address", of a file the user can see in ls.
   */
  @Test
  void socketAsAnInput() throws IOException {
    Path where = Files.createTempDirectory("engram-socket");
    Path sock = where.resolve("s");
    try (java.nio.channels.ServerSocketChannel server =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(java.net.UnixDomainSocketAddress.of(sock));
      String s = sock.toString();
      String expected =
          s + ": is a socket, which cannot be opened and read as a file; give a file, or a pipe";
      fails(expected, "train", "--patterns", s, "--out", "@sm.npz");
      fails(expected, "recall", "--model", "@m.npz", "--queries", s, "--out", "@r.npy");
      fails(
          expected,
          "recall",
          "--model",
          "@m.npz",
          "--queries",
          "@p.csv",
          "--order",
          s,
          "--out",
          "@r.npy");
      fails(expected, "inspect", "@m.npz", "--patterns", s);
      fails(expected, "corrupt", "--patterns", s, "--out", "@c.npy");
      fails(expected, "capacity", "--data", s, "-q");
    } finally {
      Files.deleteIfExists(sock);
      Files.delete(where);
    }
  }

  /**
   * train --ridge so large that every float32 weight underflows: the model stored nothing (weight
   * range [0, 0]) and the command said it had trained, exit 0.
   */
  @Test
  void aRidgeThatStoresNothing() throws IOException {
    fails(
        "the ridge 1.0E308 is too large for these patterns (values up to 1.0, squared length up to"
            + " 6.0): the weights, about x_i x_j / (|x|² + ridge), would fall below float32's"
            + " normal range, and the call would store nothing; give a ridge of at most ",
        "train",
        "--patterns",
        "@p.csv",
        "--rule",
        "pseudo-inverse",
        "--ridge",
        "1e308",
        "--out",
        "@ridge.npz");
  }

  /**
   * A zip archive given where patterns go is named for what it is: an Engram model (where --model
   * or --init was meant), or np.savez's arrays. Both were "not a .npy file, and its name does not
   * end in .csv".
   */
  @Test
  void anArchiveGivenAsPatternsIsNamed() throws IOException {
    fails(
        dir.resolve("m.npz")
            + ": is an Engram model, not patterns (a .npy array, a .csv file or images); a model"
            + " is read by recall --model, train --init and inspect",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@m.npz",
        "--out",
        "@r.npy");
    Path savez = dir.resolve("savez.npz");
    try (java.util.zip.ZipOutputStream z =
        new java.util.zip.ZipOutputStream(Files.newOutputStream(savez))) {
      z.putNextEntry(new java.util.zip.ZipEntry("a.npy"));
      io.engram.io.Npy.write(io.engram.io.NdArray.ofFloats(new float[] {1, -1, 1, -1}, 2, 2), z);
      z.closeEntry();
    }
    try {
      fails(
          savez
              + ": is a zip archive (np.savez's arrays?), not one array of patterns; save the"
              + " patterns with np.save as a .npy file",
          "train",
          "--patterns",
          "@savez.npz",
          "--out",
          "@s.npz");
    } finally {
      Files.delete(savez);
    }
  }

  /**
   * An empty pattern file is called empty (an empty p.npy was "not a .npy file, and its name does
   * not end in .csv"), as is an empty model (it was "not a .npz (zip) archive: zip file is empty").
   */
  @Test
  void emptyFilesAreCalledEmpty() throws IOException {
    Path where = Files.createTempDirectory("engram-empty");
    try {
      Path npy = Files.write(where.resolve("e.npy"), new byte[0]);
      Path npz = Files.write(where.resolve("e.npz"), new byte[0]);
      fails(
          npy + ": is empty (0 bytes by the size the system gives), not a .npy file",
          "train",
          "--patterns",
          npy.toString(),
          "--out",
          "@e.npz");
      fails(
          npz + ": is empty (0 bytes by the size the system gives), not a .npz (zip) archive",
          "inspect",
          npz.toString());
    } finally {
      try (java.util.stream.Stream<Path> s = Files.list(where)) {
        for (Path f : s.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(where);
    }
  }

  /**
   * A path that starts with a ~ the shell did not expand ({@code --out=~/m.npz}, {@code --patterns
   * "~/p.npy"}; the shell expands ~ only at the start of a word) says so: it was "folder does not
   * exist: /work/~" or "~/p.npy: file not found". (The tests run in a folder without a file ~.)
   */
  @Test
  void aTildeTheShellDidNotExpandIsNamed() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("~")));
    fails(
        "--out ~/engram-never.npz: starts with ~, which the shell did not expand (it expands ~"
            + " only at the start of a word: not after --out=, nor inside quotes), and nothing here"
            + " is named ~; write --out ~/engram-never.npz (no quotes) or $HOME/engram-never.npz",
        "train",
        "--patterns",
        "@p.csv",
        "--out=~/engram-never.npz");
    fails(
        "Invalid value for option '--patterns' (FILE): '~/p.csv': no such file: it starts with ~,"
            + " which the shell did not expand",
        "train",
        "--patterns=~/p.csv",
        "--out",
        "@t.npz");
    fails("'~nobody/m.npz': no such file: it starts with ~nobody,", "inspect", "~nobody/m.npz");
  }

  /**
   * Arrays of types numpy writes and Engram does not read are named as such, not as a malformed
   * file: an array of Python objects ({@code np.save(f, a, allow_pickle=True)}, {@code '|O'}) and a
   * datetime64 array ({@code '<M8[s]'}) were "malformed .npy header: unsupported dtype". One byte
   * too many is "1 unexpected byte" (it was "1 unexpected bytes").
   */
  @Test
  void numpyTypesEngramDoesNotReadAreNotMalformedFiles() throws IOException {
    fails(
        "obj.npy: unsupported dtype '|O': an array of Python objects (pickled), which Engram does"
            + " not read; save an array of numbers, e.g. np.save(f, np.asarray(a,"
            + " dtype=np.float32))",
        "train",
        "--patterns",
        npy("obj.npy", "|O", new byte[0]),
        "--out",
        "@o.npz");
    fails(
        "date.npy: unsupported dtype '<M8[s]' (expected bool, int8..int64, uint8..uint64,"
            + " float16, float32 or float64)",
        "train",
        "--patterns",
        npy("date.npy", "<M8[s]", new byte[16]),
        "--out",
        "@o.npz");
    fails(
        "extra.npy: 1 unexpected byte after the .npy data",
        "train",
        "--patterns",
        npy("extra.npy", "<f4", new byte[9]),
        "--out",
        "@o.npz");
  }

  /** A .npy file in {@link #dir} of shape (2,) with the given dtype and data bytes; its path. */
  private static String npy(String name, String descr, byte[] data) throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2,), }";
    StringBuilder header = new StringBuilder(dict);
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.write(header.length() & 0xFF);
    b.write(header.length() >> 8);
    b.write(header.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    b.write(data);
    return Files.write(dir.resolve(name), b.toByteArray()).toString();
  }

  /**
   * An image whose name does not say so ({@code pic.dat}, {@code a.png.bak}), or of a format Engram
   * does not read (TIFF, WebP), is named as what it is: each was "not a .npy file, and its name
   * does not end in .csv". A text file that starts with BM is no BMP image.
   */
  @Test
  void imagesUnderOtherNamesOrInOtherFormatsAreNamed() throws IOException {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    assertTrue(javax.imageio.ImageIO.write(img, "png", dir.resolve("pic.dat").toFile()));
    assertTrue(javax.imageio.ImageIO.write(img, "bmp", dir.resolve("a.bmp.bak").toFile()));
    assertTrue(javax.imageio.ImageIO.write(img, "tiff", dir.resolve("t.tif").toFile()));
    Files.write(dir.resolve("w.webp"), "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII));
    Files.writeString(dir.resolve("bm.txt"), "BM,1\n");
    String endings = "(.png, .jpg, .jpeg, .gif, .bmp), by which Engram knows images";
    fails(
        "--patterns "
            + dir.resolve("pic.dat")
            + ": is a PNG image, but its name does not end like"
            + " one "
            + endings
            + "; give it a name that does",
        "train",
        "--patterns",
        "@pic.dat",
        "--out",
        "@o.npz");
    fails(
        "--queries " + dir.resolve("a.bmp.bak") + ": is a BMP image, but its name",
        "recall",
        "--model",
        "@m.npz",
        "--queries",
        "@a.bmp.bak",
        "--out",
        "@o.npy");
    fails(
        "--patterns "
            + dir.resolve("t.tif")
            + ": is a TIFF image, which Engram does not read (it"
            + " reads PNG, JPEG, GIF and BMP); convert it, e.g. to PNG",
        "corrupt",
        "--patterns",
        "@t.tif",
        "--out",
        "@o.npy");
    fails(
        dir.resolve("w.webp") + ": is a WebP image, which Engram does not read",
        "inspect",
        "@m.npz",
        "--patterns",
        "@w.webp");
    fails(
        dir.resolve("bm.txt") + ": not a .npy file, and its name does not end in .csv",
        "train",
        "--patterns",
        "@bm.txt",
        "--out",
        "@o.npz");
  }

  /**
   * A .npy array or an image given as a model ({@code inspect p.npy}, {@code recall --model
   * cue.png}) is named as what it is, with the command that makes a model of it: it was "not a .npz
   * (zip) archive: zip END header not found". Other files that are no archive keep that line.
   */
  @Test
  void patternsOrAnImageGivenAsAModelAreNamed() throws IOException {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    assertTrue(javax.imageio.ImageIO.write(img, "png", dir.resolve("cue.png").toFile()));
    String npy = npy("two.npy", "<f4", new byte[8]);
    fails(
        npy
            + ": is a .npy array, not a model (the .npz file engram train writes: engram train"
            + " --patterns "
            + npy
            + " --out m.npz)",
        "inspect",
        npy);
    fails(
        "--model " + dir.resolve("cue.png") + ": is a PNG image, not a model (the .npz file",
        "recall",
        "--model",
        "@cue.png",
        "--queries",
        "@p.csv",
        "--out",
        "@o.npy");
    fails(
        "--init " + npy + ": is a .npy array, not a model",
        "train",
        "--init",
        npy,
        "--patterns",
        "@p.csv",
        "--out",
        "@o.npz");
    fails(dir.resolve("p.csv") + ": not a .npz (zip) archive", "inspect", "@p.csv");
  }
}
