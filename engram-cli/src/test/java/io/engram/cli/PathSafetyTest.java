package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path is safe (issue 9, findings F1, F2, F3 and F7): an output that is an input, a folder, a
 * special file, or the same file as another output is an error that changes nothing; a link is
 * written through; devices and /dev/stdout are written directly; several outputs are all or
 * nothing; pipes are read once; temporary files do not pile up.
 */
class PathSafetyTest {

  @TempDir Path dir;

  private String p;
  private String q;
  private String m;

  static final float[][] PATTERNS = {
    {1, -1, 1, -1, 1, -1, 1, -1, 1, 1, -1, -1, 1, 1, -1, -1},
    {1, 1, 1, 1, -1, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1, -1},
    {-1, 1, 1, -1, -1, 1, 1, -1, 1, -1, -1, 1, 1, -1, -1, 1}
  };

  static byte[] npy(float[][] rows) {
    float[] flat = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
    }
    return Npy.toBytes(NdArray.ofFloats(flat, rows.length, rows[0].length));
  }

  @BeforeEach
  void files() throws IOException {
    p = Files.write(dir.resolve("p.npy"), npy(PATTERNS)).toString();
    q = Files.write(dir.resolve("q.npy"), npy(PATTERNS)).toString();
    m = dir.resolve("m.npz").toString();
    ToolRun.Result r = ToolRun.run("train", "-q", "--patterns", p, "--out", m);
    assertEquals(0, r.status(), r::toString);
  }

  /** Runs a command that must fail with exit 2 and one line naming {@code expected}. */
  private ToolRun.Result fails(String expected, String... args) throws IOException {
    Map<String, String> before = ToolRun.snapshot(dir);
    ToolRun.Result r = ToolRun.run(args);
    assertEquals(2, r.status(), r::toString);
    assertTrue(r.err().startsWith("engram: "), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in " + r);
    assertEquals(before, ToolRun.snapshot(dir), () -> "files changed by " + String.join(" ", args));
    return r;
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  /**
   * A file name with control characters (a newline, a terminal's escape sequences, text reordering
   * marks) is named in one line, its controls written as escapes: printed as they were, a newline
   * split the error over two lines, and an escape sequence reached the terminal.
   */
  @Test
  void aNameWithControlCharactersIsNamedInOneLine() throws Exception {
    String r = path("r.npy");
    fails(
        "a\\nb.npz: file not found",
        "recall",
        "--model",
        path("a\nb.npz"),
        "--queries",
        q,
        "--out",
        r);
    fails(
        "m\\x1b[31mred\\u202e.npz: file not found",
        "recall",
        "--model",
        path("m\u001b[31mred\u202e.npz"),
        "--queries",
        q,
        "--out",
        r);
    fails(
        "x\\ty/m.npz: folder does not exist",
        "train",
        "--patterns",
        p,
        "--out",
        path("x\ty/m.npz"));
    fails("'\\x01' is not a command", "\u0001");
    assertEquals("plain, ü and 漢字 stay", EngramCli.printable("plain, ü and 漢字 stay"));
    assertEquals("\\r\\x7f\\x85\\u2066", EngramCli.printable("\r\u007f\u0085\u2066"));
    // the invisible format characters too, as the model files' member names; not the joiners
    assertEquals("a\\u200bb\\ufeffc\\u061c", EngramCli.printable("a\u200bb\ufeffc\u061c"));
    assertEquals("می\u200cخواهم", EngramCli.printable("می\u200cخواهم"));
    // line and paragraph separators: line breaks where a message is shown
    assertEquals("a\\u2028b\\u2029c", EngramCli.printable("a\u2028b\u2029c"));
    // a file written under such a name is named the same way in the closing line
    ToolRun.Result ok = ToolRun.run("corrupt", "--patterns", p, "--out", path("c\t1.npy"));
    assertEquals(0, ok.status(), ok::toString);
    assertTrue(ok.out().contains("written to " + dir + "/c\\t1.npy\n"), ok::toString);
    assertTrue(Files.exists(dir.resolve("c\t1.npy")));
  }

  /**
   * The closing lines of train (either memory kind) and recall name their output with its controls
   * written as escapes, as corrupt's, export's and demo's do: they printed the name as it was, so
   * that a newline split the line and an escape sequence reached the terminal.
   */
  @Test
  void theClosingLinesOfTrainAndRecallEscapeTheirOutputsName() {
    String model = path("m\u001b[31m.npz");
    ToolRun.Result t = ToolRun.run("train", "--patterns", p, "--out", model);
    assertEquals(0, t.status(), t::toString);
    assertTrue(t.out().endsWith("model written to " + dir + "/m\\x1b[31m.npz\n"), t::toString);
    ToolRun.Result modern =
        ToolRun.run("train", "--memory", "modern", "--patterns", p, "--out", path("x\ny.npz"));
    assertEquals(0, modern.status(), modern::toString);
    assertTrue(modern.out().endsWith("model written to " + dir + "/x\\ny.npz\n"), modern::toString);
    ToolRun.Result r =
        ToolRun.run("recall", "--model", model, "--queries", q, "--out", path("r\tq.npy"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().endsWith("states written to " + dir + "/r\\tq.npy\n"), r::toString);
    assertEquals(1, r.out().lines().count(), r::toString);
  }

  /**
   * Bytes of a name that are not valid in the locale's character set (a Latin-1 name on a UTF-8
   * system) reach Java as U+FFFD: such an input was reported as not found, and an output was
   * written under another name (the bytes of U+FFFD). Both now say what happened; a file whose name
   * really holds U+FFFD is still read.
   */
  @Test
  void aNameWithBytesJavaCannotHoldIsNamedAsSuch() throws Exception {
    fails(
        "no such file, and the name holds \uFFFD, which stands for bytes that are not valid",
        "train",
        "--patterns",
        path("l\uFFFD.npy"),
        "--out",
        path("m2.npz"));
    fails(
        "the name holds \uFFFD, which stands for bytes that are not valid",
        "train",
        "--patterns",
        p,
        "--out",
        path("o\uFFFD.npz"));
    fails(
        "the name holds \uFFFD",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("d\uFFFD") + "/");
    Path real = Files.copy(Path.of(p), dir.resolve("x\uFFFD.npy"));
    ToolRun.Result r = ToolRun.run("train", "-q", "--patterns", real.toString(), "--out", m);
    assertEquals(0, r.status(), r::toString);
  }

  /**
   * An empty path is refused with the option's name: {@code Path.of("")} is the working folder, so
   * that an unset variable in {@code --patterns "$DATA"} trained on whatever images were there, and
   * an empty {@code --out} wrote its images there.
   */
  @Test
  void anEmptyPathIsAnError() throws Exception {
    String r = path("r.npy");
    // each path option of each command, given "": refused, naming the option as shown
    record Empty(String option, String... args) {}
    List<Empty> inputs =
        List.of(
            new Empty("option '--patterns' (FILE)", "train", "--patterns", "", "--out", m),
            new Empty("option '--patterns' (FILE)", "train", "--patterns=", "--out", m),
            new Empty("option '--init'", "train", "--patterns", p, "--init", "", "--out", m),
            new Empty("option '--model'", "recall", "--model", "", "--queries", q, "--out", r),
            new Empty("'--queries'", "recall", "--model", m, "--queries", "", "--out", r),
            new Empty(
                "'--stored'", "recall", "--model", m, "--queries", q, "--stored", "", "--out", r),
            new Empty(
                "'--order'",
                "recall",
                "--model",
                m,
                "--queries",
                q,
                "--order",
                "",
                "--update",
                "async",
                "--out",
                r),
            new Empty("(MODEL)", "inspect", ""),
            new Empty("'--patterns'", "inspect", m, "--patterns", ""),
            new Empty("'--model'", "export", "--model", "", "--weights", path("w.npy")),
            new Empty("'--data'", "capacity", "-q", "--data", ""));
    for (Empty e : inputs) {
      fails(e.option() + ": the path is empty", e.args());
    }
    // capacity's outputs say it in their own words
    fails("--json is empty; give a file path", "capacity", "-q", "--neurons", "16", "--json", "");
    // outputs whose empty path named the working folder: run where images would have landed
    Path work = Files.createDirectory(dir.resolve("work"));
    Files.copy(Path.of(p), work.resolve("p.npy"));
    Files.copy(Path.of(m), work.resolve("m.npz"));
    Map<String, String> before = ToolRun.snapshot(work);
    for (String[] args :
        List.of(
            new String[] {"recall", "--model", "m.npz", "--queries", "p.npy", "--out", ""},
            new String[] {"corrupt", "--patterns", "p.npy", "--out", ""},
            new String[] {"demo", "-q", "--size", "4x4", "--images", ""})) {
      ToolRun.Result res = ToolRun.fresh(work, args);
      assertEquals(2, res.status(), res::toString);
      assertEquals(1, res.err().lines().count(), res::toString);
      assertTrue(res.err().contains(" is empty; give a"), res::toString);
      assertEquals(before, ToolRun.snapshot(work), () -> "files written by " + res);
    }
  }

  /** A link that leads nowhere, or into a loop, is named as a link, input or output. */
  @Test
  void aBrokenLinkIsNamedAsOne() throws IOException {
    Path dangling = Files.createSymbolicLink(dir.resolve("d.npz"), dir.resolve("none/x.npz"));
    Path a = dir.resolve("a.npy");
    Files.createSymbolicLink(a, dir.resolve("b.npy"));
    Files.createSymbolicLink(dir.resolve("b.npy"), a);
    String link = "a symbolic link to a file that does not exist (or links that loop)";
    fails(
        dangling + ": " + link,
        "recall",
        "--model",
        dangling.toString(),
        "--queries",
        q,
        "--out",
        path("r.npy"));
    fails(
        a + ": " + link, "recall", "--model", m, "--queries", a.toString(), "--out", path("r.npy"));
    fails(a + ": " + link, "train", "--patterns", a.toString(), "--out", path("m2.npz"));
    fails(
        "--out "
            + dangling
            + ": folder does not exist: "
            + dir.resolve("none")
            + " (where the symbolic link "
            + dangling
            + " leads)",
        "train",
        "--patterns",
        p,
        "--out",
        dangling.toString());
    fails("missing.npy: file not found", "train", "--patterns", path("missing.npy"), "--out", m);
  }

  /**
   * Files and folders this user may not read, search or write are named in one line and nothing
   * changes. Root may do all of it: there the test does not run (checked by hand as nobody).
   */
  @Test
  void permissionsAreNamed() throws IOException {
    // beside dir, whose snapshot reads every file in it
    Path other = Files.createTempDirectory("engram-permissions");
    Path locked = Files.copy(Path.of(m), other.resolve("locked.npz"));
    Path sealed = Files.createDirectory(other.resolve("sealed"));
    Files.copy(Path.of(q), sealed.resolve("q.npy"));
    Path readOnly = Files.copy(Path.of(m), dir.resolve("ro.npz"));
    Path lockedImage = other.resolve("locked.png");
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
        "png",
        lockedImage.toFile());
    try {
      // (inside the try: where the test does not run, its folder is removed all the same)
      assumeTrue(
          lockedImage.toFile().setReadable(false, false)
              && locked.toFile().setReadable(false, false)
              && sealed.toFile().setExecutable(false, false)
              && readOnly.toFile().setWritable(false, false)
              && !Files.isReadable(locked),
          "a user whom permissions bind");
      fails(
          locked + ": permission denied",
          "recall",
          "--model",
          locked.toString(),
          "--queries",
          q,
          "--out",
          path("r.npy"));
      fails(locked + ": permission denied", "inspect", locked.toString());
      // an image: it was "not a readable image (Can't read input file!)"
      fails(
          lockedImage + ": permission denied",
          "train",
          "--patterns",
          lockedImage.toString(),
          "--out",
          path("li.npz"));
      fails(
          "q.npy: cannot be reached (permission denied on a folder above it?)",
          "recall",
          "--model",
          m,
          "--queries",
          sealed.resolve("q.npy").toString(),
          "--out",
          path("r.npy"));
      fails(
          "permission denied (on ",
          "recall",
          "--model",
          m,
          "--queries",
          q,
          "--out",
          sealed.resolve("r.npy").toString());
      fails(
          "--out " + readOnly + ": is read-only for this user; it is not replaced",
          "train",
          "--patterns",
          p,
          "--out",
          readOnly.toString());
    } finally {
      sealed.toFile().setExecutable(true, false);
      locked.toFile().setReadable(true, false);
      lockedImage.toFile().setReadable(true, false);
      readOnly.toFile().setWritable(true, false);
      try (Stream<Path> s = Files.walk(other)) {
        for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(x);
        }
      }
    }
  }

  // F1: an output that names an input

  @Test
  void anOutputThatIsAnInputIsAnErrorAndChangesNothing() throws IOException {
    fails(
        "--out " + m + " is the --model input", "recall", "--model", m, "--queries", q, "--out", m);
    fails("--heatmap " + m + " is the MODEL input", "inspect", m, "--heatmap", m);
    fails("--weights " + m + " is the --model input", "export", "--model", m, "--weights", m);
    fails("--out " + p + " is the --patterns input", "train", "--patterns", p, "--out", p);
    fails(
        "--grid " + q + " is the --queries input",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("r.npy"),
        "--grid",
        q);
    Path order = Files.write(dir.resolve("o.npy"), Npy.toBytes(NdArray.ofInts(order16(), 16)));
    fails(
        "is the --order input",
        "train",
        "--patterns",
        p,
        "--order",
        order.toString(),
        "--out",
        order.toString());
    fails(
        "--out " + p + " is the --patterns input",
        "corrupt",
        "--patterns",
        q,
        "--patterns",
        p,
        "--out",
        p);
  }

  static int[] order16() {
    int[] o = new int[16];
    for (int i = 0; i < 16; i++) {
      o[i] = 15 - i;
    }
    return o;
  }

  @Test
  void identityIsTheFileNotItsSpelling() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("link.npz"), Path.of("m.npz"));
    fails(
        "is the same file as the --model input " + m,
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        link.toString());
    Path hard = Files.createLink(dir.resolve("hard.npz"), Path.of(m));
    fails(
        "is the same file as the --model input",
        "export",
        "--model",
        m,
        "--weights",
        hard.toString());
    fails(
        "is the same file as the --model input",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        dir.resolve("sub/../m.npz").toString().replace("sub/..", "."));
    // two outputs that are one file through a linked folder (F7); names without an ending, which
    // both outputs take (r.npy is no name for --report, and is refused as such first)
    Files.createSymbolicLink(dir.resolve("here"), Path.of("."));
    fails(
        "--report " + path("here/r") + " is the same file as --out " + path("r"),
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("r"),
        "--report",
        path("here/r"));
  }

  @Test
  void imageOutputsThatWouldReplaceInputImagesAreErrors() throws IOException {
    Path images = Files.createDirectory(dir.resolve("images"));
    for (int k = 0; k < 3; k++) {
      Files.write(
          images.resolve("img" + k + ".png"),
          Images.png(Images.toImage(PATTERNS[k], new Images.Size(4, 4))));
    }
    fails(
        "is the --patterns input",
        "corrupt",
        "--patterns",
        images.toString(),
        "--out",
        images + "/");
    ToolRun.Result r =
        ToolRun.run("train", "-q", "--patterns", images.toString(), "--out", path("mi.npz"));
    assertEquals(0, r.status(), r::toString);
    fails(
        "is the --queries input",
        "recall",
        "--model",
        path("mi.npz"),
        "--queries",
        images.toString(),
        "--out",
        images + "/");
  }

  @Test
  void trainInitAndOutMayBeTheSameModel() throws IOException {
    byte[] before = Files.readAllBytes(Path.of(m));
    Path link = Files.createSymbolicLink(dir.resolve("cur.npz"), Path.of("m.npz"));
    ToolRun.Result r =
        ToolRun.run("train", "-q", "--patterns", p, "--init", link.toString(), "--out", m);
    assertEquals(0, r.status(), r::toString);
    assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(Path.of(m))));
    assertEquals(6, ModelFile.read(Path.of(m)).storedPatterns());
    assertTrue(Files.isSymbolicLink(link));
  }

  // F2: special files

  @Test
  void aSymlinkOutputIsWrittenThroughAndStaysALink() throws IOException {
    Path real = Files.writeString(dir.resolve("real.npy"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("out.npy"), Path.of("real.npy"));
    ToolRun.Result r =
        ToolRun.run("recall", "-q", "--model", m, "--queries", q, "--out", link.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(Files.isSymbolicLink(link));
    assertEquals(3, Npy.read(real).shape()[0]);
    // a dangling link: the file is made where it points
    Path dangling = Files.createSymbolicLink(dir.resolve("d.npz"), Path.of("made.npz"));
    r = ToolRun.run("train", "-q", "--patterns", p, "--out", dangling.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(Files.isSymbolicLink(dangling));
    assertEquals(16, ModelFile.read(dir.resolve("made.npz")).numNeurons());
  }

  @Test
  void foldersAndNamedPipesAreRefusedDevicesAreWrittenDirectly() throws Exception {
    Files.createDirectory(dir.resolve("folder"));
    fails(
        "--out " + path("folder") + ": is a folder",
        "train",
        "--patterns",
        p,
        "--out",
        path("folder"));
    fails(
        ": is a folder",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("r.npy"),
        "--report",
        dir.toString());

    assumeTrue(Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null")));
    Path r1 = Files.writeString(dir.resolve("r.npy"), "old");
    ToolRun.Result r =
        ToolRun.run(
            "recall",
            "-q",
            "--model",
            m,
            "--queries",
            q,
            "--out",
            r1.toString(),
            "--report",
            "/dev/null");
    assertEquals(0, r.status(), r::toString);
    assertEquals(3, Npy.read(r1).shape()[0]);
    assertEquals(
        0020000, ((Integer) Files.getAttribute(Path.of("/dev/null"), "unix:mode")) & 0170000);

    Path fifo = dir.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo works");
    fails(
        "is a named pipe",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("r.npy"),
        "--report",
        fifo.toString());
    assertEquals(
        0010000,
        ((Integer) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000);
  }

  /** F3: a later output that cannot be written leaves the earlier ones as they were. */
  @Test
  void severalOutputsAreAllOrNothing() throws IOException {
    Path r1 = Files.writeString(dir.resolve("r.npy"), "old");
    assumeTrue(Files.exists(Path.of("/dev/full")), "a /dev/full that fails every write");
    fails(
        "--report /dev/full: could not write (No space left on device); no file was changed",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        r1.toString(),
        "--report",
        "/dev/full",
        "--grid",
        path("g.png"),
        "--size",
        "4x4");
    assertEquals("old", Files.readString(r1));
    // a missing folder is found before any work
    fails(
        "folder does not exist",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        r1.toString(),
        "--report",
        path("nowhere/rep.json"));
  }

  /**
   * {@code --out /dev/fd/N} on a regular file that is not standard output or error is exit 2 with
   * the file named, and the file stays: such a descriptor may be one the JVM opened itself ({@code
   * /dev/fd/3}, its {@code lib/modules}, was replaced by a recall). Here a shell opens descriptor 7
   * on a file of the test's own before it starts the command, so a regression replaces only that.
   */
  @Test
  void aDescriptorOnAFileOtherThanStandardOutputIsNotReplaced() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")) && Files.exists(Path.of("/bin/sh")));
    Path precious = dir.resolve("precious.bin");
    Files.writeString(precious, "keep me");
    String[] r =
        shell("7<precious.bin", "recall", "--model", m, "--queries", q, "--out", "/dev/fd/7");
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "engram: --out /dev/fd/7: is file descriptor 7 of this process, open on the file "
            + precious.toRealPath()
            + "; it is not replaced (write to a file by its name, to standard output, or to a"
            + " pipe)",
        r[1].strip());
    assertEquals("keep me", Files.readString(precious));
  }

  /**
   * Standard output is written through its descriptor, never by opening {@code /dev/stdout} again:
   * a file given read-only ({@code 1<f}) was overwritten, and with standard output closed ({@code
   * >&-}) the JVM's own {@code lib/modules} was (that case is not run here: a regression would
   * break the JDK running the tests). A failed write there is exit 2 with the reason, also for a
   * command whose only output is standard output ({@code inspect --json > /dev/full} was exit 0).
   */
  @Test
  void standardOutputIsWrittenThroughItsDescriptorAndItsFailuresAreErrors() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")) && Files.exists(Path.of("/bin/sh")));
    Path victim = dir.resolve("victim.npy");
    Files.writeString(victim, "keep me");
    for (String out : List.of("-", "/dev/stdout", "/dev/fd/1")) {
      String[] r =
          shell("1<victim.npy", "recall", "-q", "--model", m, "--queries", q, "--out", out);
      assertEquals("2", r[0], r[1]);
      assertEquals(
          "engram: --out "
              + (out.equals("-") ? "- (standard output)" : out)
              + ": could not write (Bad file descriptor); no file was changed",
          r[1].strip());
      assertEquals("keep me", Files.readString(victim));
    }
    assumeTrue(Files.exists(Path.of("/dev/full")), "a /dev/full");
    for (String[] command :
        List.of(
            new String[] {"inspect", m, "--json"},
            new String[] {"inspect", m},
            new String[] {"completion"})) {
      String[] r = shell(">/dev/full", command);
      assertEquals("2", r[0], String.join(" ", command) + ": " + r[1]);
      assertEquals(
          "engram: standard output: could not write (No space left on device)", r[1].strip());
    }
  }

  /**
   * A command that wrote its files and then could not print its summary line ({@code train ... >
   * /dev/full}) fails, exit 2, and says that the files were written all the same, by option (one
   * name per option and a count of the others): it said only "could not write", so a script that
   * took the exit status for "nothing written" and ran {@code train --init m.npz --out m.npz} again
   * stored its patterns twice.
   */
  @Test
  void aSummaryLineThatCannotBePrintedNamesTheFilesWritten() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/full")) && Files.exists(Path.of("/bin/sh")));
    Path model = dir.resolve("summary.npz");
    Files.deleteIfExists(model);
    String[] r = shell(">/dev/full", "train", "--patterns", q, "--out", model.toString());
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "engram: standard output: could not write (No space left on device); the command's"
            + " files were written all the same, only its summary line was lost: --out "
            + model,
        r[1].strip());
    assertTrue(Files.size(model) > 0, "the model stays");
    r = shell(">/dev/full", "demo", "--size", "8x8", "--out", "d.png", "--images", "letters/");
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "engram: standard output: could not write (No space left on device); the command's"
            + " files were written all the same, only its summary line was lost: --out d.png,"
            + " --images letters/letter.png and 3 more",
        r[1].strip());
    // with nothing written, the line is as before
    r = shell(">/dev/full", "inspect", model.toString());
    assertEquals(
        "engram: standard output: could not write (No space left on device)", r[1].strip());
    assertEquals(
        "--out m.npz, --images d/a.png and 2 more",
        Outputs.byOption(
            List.of("--out m.npz", "--images d/a.png", "--images d/b.png", "--images d/c.png")));
  }

  /**
   * A reader of standard output that leaves before the data are all written ({@code recall --out -
   * | head -c 1}) ends the command quietly with 141, as a tool killed by SIGPIPE ends, and as the
   * text of inspect or capacity does: an output's data there was reported as "could not write
   * (Broken pipe)", exit 2.
   */
  @Test
  void aReaderThatLeavesEndsAnOutputOnStandardOutputQuietly() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash, for the pipe's exit statuses");
    SplittableRandomPatterns.write(dir.resolve("many.npy"), 4000, 16); // 256 KB: over a pipe's
    ProcessBuilder engram =
        cli("recall", "-q", "--model", m, "--queries", "many.npy", "--out", "-");
    List<String> cmd = new java.util.ArrayList<>(List.of("/bin/bash", "-c"));
    cmd.add("\"$@\" | head -c 1 > /dev/null; exit \"${PIPESTATUS[0]}\"");
    cmd.add("bash");
    cmd.addAll(engram.command());
    Map<String, String> before = ToolRun.snapshot(dir);
    Process pr = new ProcessBuilder(cmd).directory(dir.toFile()).start();
    String err = new String(pr.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
    assertEquals("", err);
    assertEquals(141, pr.exitValue());
    assertEquals(before, ToolRun.snapshot(dir));
  }

  /**
   * The command line in a JVM of its own started by a shell with the given redirections (for
   * descriptors a ProcessBuilder cannot set up); returns the exit status and stderr.
   */
  private String[] shell(String redirections, String... args) throws Exception {
    StringBuilder line = new StringBuilder("exec");
    for (String a : cli(args).command()) {
      line.append(" '").append(a.replace("'", "'\\''")).append('\'');
    }
    line.append(' ').append(redirections);
    Process pr =
        new ProcessBuilder("/bin/sh", "-c", line.toString())
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String err = new String(pr.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
    return new String[] {String.valueOf(pr.exitValue()), err};
  }

  /**
   * A command writing a folder of images, ended by SIGTERM once its temporary files appear, leaves
   * neither temporary files nor the folder it made (the shutdown removed the files it had listed
   * while the command went on making new ones: hundreds were left); and PNGs are encoded without
   * ImageIO's file cache (in java.io.tmpdir, outside the folder, left by a kill -9).
   */
  @Test
  void aFolderOfImagesInterruptedLeavesNoTemporaryFileNorTheFolder() throws Exception {
    Images.png(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_BYTE_GRAY));
    assertFalse(javax.imageio.ImageIO.getUseCache(), "ImageIO's file cache is off");
    SplittableRandomPatterns.write(dir.resolve("many.npy"), 6000, 64);
    Path folder = dir.resolve("noisy");
    for (int attempt = 0; attempt < 3; attempt++) {
      Process pr =
          cli("corrupt", "-q", "--patterns", "many.npy", "--out", "noisy/")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      long seen = 0;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (pr.isAlive() && seen < 20 && System.nanoTime() < deadline) {
        if (Files.isDirectory(folder)) {
          try (Stream<Path> s = Files.list(folder)) {
            seen = s.count();
          } catch (IOException e) {
            seen = 0; // removed meanwhile
          }
        }
        Thread.sleep(2);
      }
      if (!pr.isAlive()) {
        // finished before 20 temporary files were seen: nothing to interrupt; again, or skip
        deleteTree(folder);
        continue;
      }
      pr.destroy(); // SIGTERM
      assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
      assertEquals(143, pr.exitValue());
      assertFalse(Files.exists(folder), "the folder the command made is gone");
      try (Stream<Path> s = Files.list(dir)) {
        assertEquals(List.of(), s.filter(f -> f.toString().endsWith(".tmp")).toList());
      }
      return;
    }
    assumeTrue(false, "the command finished before it could be interrupted");
  }

  /** ±1 patterns for the interruption test. */
  private static final class SplittableRandomPatterns {
    static void write(Path file, int p, int n) throws IOException {
      java.util.SplittableRandom r = new java.util.SplittableRandom(3);
      float[] x = new float[p * n];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextBoolean() ? 1f : -1f;
      }
      Npy.write(file, NdArray.ofFloats(x, p, n));
    }
  }

  private static void deleteTree(Path d) throws IOException {
    if (Files.isDirectory(d)) {
      try (Stream<Path> s = Files.list(d)) {
        for (Path f : s.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(d);
    }
  }

  /**
   * With an output's data on standard output, the summary line goes to standard error: standard
   * output holds exactly the file ({@code export --weights - > W.npy} and {@code recall --out -}
   * had the summary after the .npy; export had no -q either).
   */
  @Test
  void theSummaryLineDoesNotFollowDataOnStandardOutput() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/stdout")), "a /dev/stdout");
    String[][] commands = {
      {"export", "--model", m, "--weights", "-"},
      {"recall", "--model", m, "--queries", q, "--out", "-"},
      {"export", "-q", "--model", m, "--weights", "-"}
    };
    String[][] toFile = {
      {"export", "-q", "--model", m, "--weights", "ref.npy"},
      {"recall", "-q", "--model", m, "--queries", q, "--out", "ref.npy"},
      {"export", "-q", "--model", m, "--weights", "ref.npy"}
    };
    for (int i = 0; i < commands.length; i++) {
      Path captured = dir.resolve("captured.npy");
      Path err = dir.resolve("err.txt");
      Process pr =
          cli(commands[i]).redirectOutput(captured.toFile()).redirectError(err.toFile()).start();
      assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, pr.exitValue(), Files.readString(err));
      Process ref = cli(toFile[i]).start();
      assertTrue(ref.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, ref.exitValue());
      assertArrayEquals(
          Files.readAllBytes(dir.resolve("ref.npy")),
          Files.readAllBytes(captured),
          String.join(" ", commands[i]));
      String summary = Files.readString(err);
      assertEquals(
          commands[i][1].equals("-q") ? "" : "1 line",
          summary.isEmpty() ? "" : summary.strip().lines().count() + " line",
          summary);
      // naming standard output, which '-' is ("states written to -" before)
      assertTrue(summary.isEmpty() || summary.strip().endsWith(" to standard output"), summary);
    }
  }

  /** F2: {@code --out /dev/stdout} streams the file to standard output. */
  @Test
  void devStdoutStreams() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/stdout")), "a /dev/stdout");
    Path out = dir.resolve("captured.npy");
    Process pr =
        cli("recall", "-q", "--model", m, "--queries", q, "--out", "/dev/stdout")
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, pr.exitValue());
    NdArray a = Npy.read(out);
    assertArrayEquals(new int[] {3, 16}, a.shape());
  }

  /** The command line in a JVM of its own (as a user runs it), in {@code dir}. */
  private ProcessBuilder cli(String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                ToolRun.classPath(),
                EngramCli.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile());
  }

  /** A process of the command line, with stdin from a file and stdout into one. */
  private int piped(Path in, Path out, String... args) throws Exception {
    Process pr =
        cli(args)
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
    return pr.exitValue();
  }

  /**
   * {@code -} is standard input for an input and standard output for an output, as for most tools
   * (it wrote a file named "-", and read one). With an output on stdout, capacity's table goes to
   * stderr, so that stdout holds only that output.
   */
  @Test
  void aDashIsStandardInputOrOutput() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/stdin")) && Files.exists(Path.of("/dev/stdout")));
    Path states = dir.resolve("states.npy");
    assertEquals(
        0, piped(Path.of(q), states, "recall", "-q", "--model", m, "--queries", "-", "--out", "-"));
    assertArrayEquals(new int[] {3, 16}, Npy.read(states).shape());
    Path json = dir.resolve("sweep.json");
    assertEquals(
        0,
        piped(
            Path.of(q),
            json,
            "capacity",
            "-q",
            "--neurons",
            "16",
            "--patterns",
            "1,2",
            "--trials",
            "2",
            "--json",
            "-"));
    Map<?, ?> sweep = (Map<?, ?>) io.engram.internal.Json.parse(Files.readString(json));
    assertEquals(16L, ((Number) sweep.get("neurons")).longValue());
    Path model = dir.resolve("from-stdin.npz");
    assertEquals(
        0,
        piped(
            Path.of(p),
            dir.resolve("out.txt"),
            "train",
            "--patterns",
            "-",
            "--out",
            model.toString()));
    assertEquals(3, ModelFile.read(model).storedPatterns());
    assertFalse(Files.exists(dir.resolve("-")), "no file named -");
    // standard input from a pipe, twice: its second read would be empty, its patterns missing
    Path twice = dir.resolve("twice.npz");
    Process pr =
        cli("train", "--patterns", "-", "--patterns", "-", "--out", twice.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (OutputStream in = pr.getOutputStream()) {
      in.write(Files.readAllBytes(Path.of(p)));
    }
    String err = new String(pr.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, pr.exitValue(), err);
    assertTrue(err.contains("- (standard input) is given twice"), err);
    assertFalse(Files.exists(twice));
    // standard input from a file (< p.csv): the same, not "/dev/stdin is given twice", a path the
    // user never typed
    pr =
        cli("train", "--patterns", "-", "--patterns", "-", "--out", twice.toString())
            .redirectInput(Path.of(p).toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    err = new String(pr.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, pr.exitValue(), err);
    assertTrue(err.startsWith("engram: --patterns - (standard input) is given twice"), err);
    assertFalse(err.contains("/dev/stdin"), err);
    assertFalse(Files.exists(twice));
  }

  /**
   * Standard input redirected from a CSV file ({@code --patterns - < p.csv}) has its format told by
   * its first bytes, as a pipe's is (USER_GUIDE): it was refused as "/dev/stdin: not a .npy file,
   * and its name does not end in .csv", a name the user never gave, while {@code cat p.csv |} was
   * read.
   */
  @Test
  void standardInputRedirectedFromACsvFileIsRead() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/stdin")));
    StringBuilder text = new StringBuilder();
    for (float[] row : PATTERNS) {
      for (int i = 0; i < row.length; i++) {
        text.append(i == 0 ? "" : ",").append((int) row[i]);
      }
      text.append('\n');
    }
    Path csv = Files.writeString(dir.resolve("p.csv"), text);
    Path model = dir.resolve("from-csv.npz");
    assertEquals(
        0,
        piped(csv, dir.resolve("out.txt"), "train", "--patterns", "-", "--out", model.toString()));
    assertEquals(3, ModelFile.read(model).storedPatterns());
    Path cues = dir.resolve("cues.npy");
    assertEquals(
        0, piped(csv, cues, "corrupt", "-q", "--patterns", "-", "--erase", "0.5", "--out", "-"));
    assertArrayEquals(new int[] {3, 16}, Npy.read(cues).shape());
    // a bad cell of standard input is named as the user gave it, not as /dev/stdin
    Path bad = Files.writeString(dir.resolve("bad.csv"), "1,x\n");
    Process pr =
        cli("train", "--patterns", "-", "--out", dir.resolve("bad.npz").toString())
            .redirectInput(bad.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String err = new String(pr.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, pr.exitValue(), err);
    assertEquals(
        "engram: --patterns - (standard input): line 1, column 2: 'x' is not a number",
        err.strip(),
        err);
  }

  /**
   * Standard input read by two options (a model and patterns, patterns and an order) is refused
   * before either reads it: the second read found a pipe empty, or a file redirected with {@code <}
   * read again as data of another kind ("/dev/stdin: not a .npy file" of {@code inspect -
   * --patterns - < m.npz}, which named no problem).
   */
  @Test
  void standardInputForTwoOptionsIsAnError() throws IOException {
    fails(
        "MODEL and --patterns both read standard input; give one of them a file",
        "inspect",
        "-",
        "--patterns",
        "-");
    fails(
        "--patterns and --init both read standard input",
        "train",
        "--patterns",
        "-",
        "--init",
        "-",
        "--out",
        path("t.npz"));
    fails(
        "--queries and --order both read standard input",
        "recall",
        "--model",
        m,
        "--queries",
        "-",
        "--order",
        "-",
        "--out",
        path("r.npy"));
  }

  /**
   * A write that fails on the disk (full, over a quota, over the size limit of {@code ulimit -f},
   * as here) names the output and says that nothing changed, as one to a device does: it was
   * "engram: I/O error: No space left on device", of no file. The model it would have replaced is
   * unchanged, and no temporary file is left.
   */
  @Test
  void aWriteTheDiskRefusesNamesTheOutput() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")));
    SplittableRandom rnd = new SplittableRandom(5);
    float[][] rows = new float[4][300];
    for (float[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        r[i] = rnd.nextBoolean() ? 1 : -1;
      }
    }
    Path big = Files.write(dir.resolve("big.npy"), npy(rows));
    Map<String, String> before = ToolRun.snapshot(dir);
    ToolRun.Result r =
        ToolRun.fresh(
            dir,
            List.of("/bin/sh", "-c", "ulimit -f 64 && exec \"$@\"", "sh"),
            List.of("-Xmx256m"),
            "train",
            "--patterns",
            big.toString(),
            "--weights",
            "dense",
            "--out",
            m);
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: --out " + m + ": could not write (File too large); no file was changed",
        r.err().strip(),
        r::toString);
    assertEquals(before, ToolRun.snapshot(dir));
    // the same to standard output, a file of the shell's: what reached it is said to be there
    // (it was "--out /dev/stdout: ...; no file was changed" after 64 KiB had reached the file)
    ToolRun.Result s =
        ToolRun.fresh(
            dir,
            List.of("/bin/sh", "-c", "ulimit -f 64 && exec \"$@\" > out.npz", "sh"),
            List.of("-Xmx256m"),
            "train",
            "--patterns",
            big.toString(),
            "--weights",
            "dense",
            "--out",
            "-");
    assertEquals(2, s.status(), s::toString);
    assertTrue(
        s.err()
            .strip()
            .matches(
                "engram: --out - \\(standard output\\): could not write \\(File too large\\)"
                    + " after [0-9]+ bytes had reached it: what it holds of this output is"
                    + " incomplete; no other file was changed"),
        s::toString);
  }

  /**
   * {@code -} for a folder of images is an error: standard output holds one stream, and {@code demo
   * --images -} made a folder named "-" in the working folder (as {@code -} for a file once wrote a
   * file of that name).
   */
  @Test
  void aDashIsNoFolderOfImages() throws IOException {
    try {
      fails(
          "--images -: standard output is one stream, not a folder of images; give a folder path",
          "demo",
          "-q",
          "--size",
          "4x4",
          "--out",
          path("d.png"),
          "--images",
          "-");
    } finally {
      assertFalse(Files.exists(Path.of("-")), "no folder named -");
    }
  }

  // F7

  @Test
  void anOutputPathEndingInASlashIsAnError() throws IOException {
    fails("--out newdir/: ends in /", "train", "--patterns", p, "--out", "newdir/");
    assertFalse(Files.exists(Path.of("newdir")));
    fails(
        "--weights " + path("w") + "/: ends in /",
        "export",
        "--model",
        m,
        "--weights",
        path("w") + "/");
    fails("--heatmap", "inspect", m, "--heatmap", path("h") + "/");
    fails(
        "--report",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("r.npy"),
        "--report",
        path("x") + "/");
    fails("--out", "demo", "--out", path("d") + "/");
    fails("--out is empty", "train", "--patterns", p, "--out", "");
  }

  @Test
  void aLongValidNameWorks() throws IOException {
    String name = "m".repeat(251) + ".npz"; // 255 bytes, the longest name
    ToolRun.Result r = ToolRun.run("train", "-q", "--patterns", p, "--out", path(name));
    assertEquals(0, r.status(), r::toString);
    assertEquals(16, ModelFile.read(dir.resolve(name)).numNeurons());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.filter(f -> f.getFileName().toString().startsWith(".")).count());
    }
  }

  /** Starts writing the bytes into a named pipe (as a shell's {@code <(...)} does). */
  private Path pipe(String name, byte[] bytes) throws Exception {
    Path fifo = dir.resolve(name);
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo works");
    Thread t =
        new Thread(
            () -> {
              try (OutputStream o = Files.newOutputStream(fifo)) {
                o.write(bytes);
              } catch (IOException e) {
                // the reader went away: the test's assertions say what happened
              }
            });
    t.setDaemon(true);
    t.start();
    return fifo;
  }

  @Test
  void pipesAreReadOnce() throws Exception {
    Path npyPipe = pipe("p-pipe", npy(PATTERNS));
    ToolRun.Result r =
        ToolRun.run("train", "-q", "--patterns", npyPipe.toString(), "--out", path("a.npz"));
    assertEquals(0, r.status(), r::toString);
    Path csvPipe = pipe("c-pipe", csv(PATTERNS).getBytes(StandardCharsets.UTF_8));
    r = ToolRun.run("train", "-q", "--patterns", csvPipe.toString(), "--out", path("b.npz"));
    assertEquals(0, r.status(), r::toString);
    assertArrayEquals(
        ModelFile.read(Path.of(m)).weightMatrix(),
        ModelFile.read(dir.resolve("a.npz")).weightMatrix());
    assertArrayEquals(
        ModelFile.read(Path.of(m)).weightMatrix(),
        ModelFile.read(dir.resolve("b.npz")).weightMatrix());
    Path orderPipe = pipe("o-pipe", Npy.toBytes(NdArray.ofInts(order16(), 16)));
    r =
        ToolRun.run(
            "recall",
            "-q",
            "--model",
            m,
            "--queries",
            q,
            "--out",
            path("r.npy"),
            "--order",
            orderPipe.toString());
    assertEquals(0, r.status(), r::toString);
    Path qPipe = pipe("q-pipe", npy(PATTERNS));
    r =
        ToolRun.run(
            "recall", "-q", "--model", m, "--queries", qPipe.toString(), "--out", path("r2.npy"));
    assertEquals(0, r.status(), r::toString);
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("r.npy")), Files.readAllBytes(dir.resolve("r2.npy")));
    Path fifo = dir.resolve("model-pipe");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0);
    fails(
        "a model must be a regular file",
        "recall",
        "--model",
        fifo.toString(),
        "--queries",
        q,
        "--out",
        path("r3.npy"));
  }

  @Test
  void anEndlessDeviceIsNotReadAsInput() throws IOException {
    assumeTrue(Files.exists(Path.of("/dev/zero")), "a /dev/zero");
    fails("/dev/zero: is a device", "train", "--patterns", "/dev/zero", "--out", path("z.npz"));
    fails(
        "/dev/zero: is a device",
        "recall",
        "--model",
        m,
        "--queries",
        "/dev/zero",
        "--out",
        path("z.npy"));
    fails(
        "/dev/zero: is a device",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("z.npy"),
        "--order",
        "/dev/zero");
    fails(
        "a model must be a regular file",
        "export",
        "--model",
        "/dev/zero",
        "--weights",
        path("w.npy"));
  }

  static String csv(float[][] rows) {
    StringBuilder sb = new StringBuilder();
    for (float[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        sb.append(i == 0 ? "" : ",").append((int) r[i]);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Test
  void staleTemporaryFilesOfKilledCommandsAreRemovedByTheNextWrite() throws Exception {
    Process gone =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
            .redirectErrorStream(true)
            .start();
    gone.getInputStream().readAllBytes();
    assertTrue(gone.waitFor(60, TimeUnit.SECONDS));
    assumeTrue(ProcessHandle.of(gone.pid()).isEmpty(), "the finished process's id is free");
    Path stale =
        Files.write(dir.resolve(".m.npz.engram-" + gone.pid() + "-k3j9.tmp"), new byte[1 << 16]);
    Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    ToolRun.Result r = ToolRun.run("train", "-q", "--patterns", p, "--init", m, "--out", m);
    assertEquals(0, r.status(), r::toString);
    assertFalse(Files.exists(stale));
  }

  @Test
  void anOrderThatASyncModelWouldIgnoreIsRefused() throws Exception {
    // a model file saying "sync" that also holds an order: it contradicts itself
    Path bad = dir.resolve("bad.npz");
    try (var zin = new java.util.zip.ZipFile(m);
        var zout = new java.util.zip.ZipOutputStream(Files.newOutputStream(bad))) {
      for (var e : java.util.Collections.list(zin.entries())) {
        zout.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
        zout.write(zin.getInputStream(e).readAllBytes());
        zout.closeEntry();
      }
      zout.putNextEntry(new java.util.zip.ZipEntry("order.npy"));
      zout.write(Npy.toBytes(NdArray.ofInts(order16(), 16)));
      zout.closeEntry();
    }
    fails(
        "order.npy is present, but the dynamics say update 'sync'",
        "recall",
        "--model",
        bad.toString(),
        "--queries",
        q,
        "--out",
        path("r.npy"));
  }

  @Test
  void nothingIsLeftBehindByAFailure() throws IOException {
    fails(
        "is the --model input",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("fresh/"),
        "--grid",
        m,
        "--size",
        "4x4");
    assertEquals(
        List.of(), List.of(dir.toFile().list((d, n) -> n.startsWith(".") || n.equals("fresh"))));
  }

  @Test
  void anArgumentStartingWithAnAtSignIsAFileNameNotAFileOfArguments() throws Exception {
    // picocli's argument files: '@list' was read as the arguments in the file 'list' whenever
    // 'list' existed, so this trained on the other patterns and wrote the model where 'notes' said
    float[][] other = {PATTERNS[0], PATTERNS[1]};
    Files.write(dir.resolve("other.npy"), npy(other));
    Files.writeString(dir.resolve("list"), "other.npy\n");
    Files.writeString(dir.resolve("notes"), "victim.npz\n");
    Files.copy(dir.resolve("p.npy"), dir.resolve("@list"));
    ToolRun.Result r = ToolRun.fresh(dir, "train", "-q", "--patterns", "@list", "--out", "@notes");
    assertEquals(0, r.status(), r::toString);
    assertFalse(Files.exists(dir.resolve("victim.npz")), r::toString);
    ToolRun.Result shown = ToolRun.run("inspect", path("@notes"));
    assertEquals(0, shown.status(), shown::toString);
    assertTrue(shown.out().contains("3 in 1 training call"), shown::toString);
    // a lone '@name' is an argument like any other: here one that train does not take
    ToolRun.Result stray =
        ToolRun.fresh(dir, "train", "@list", "--patterns", "p.npy", "--out", "m2.npz");
    assertEquals(2, stray.status(), stray::toString);
    assertTrue(stray.err().contains("@list"), stray::toString);
  }

  /**
   * An output in a folder of /proc, where the system makes no new file (ENOENT of a folder that is
   * there): the reason was a Java class name, "cannot write a file in /proc (NoSuchFileException)".
   */
  @Test
  void anOutputInProcIsRefusedInWords() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc");
    ToolRun.Result r =
        fails(
            "--out /proc/engram-test.npz: cannot write a file in /proc (No such file or directory:"
                + " the system makes no new file in this folder, as in /proc); no file was"
                + " changed",
            "train",
            "--patterns",
            p,
            "--out",
            "/proc/engram-test.npz");
    assertTrue(!r.err().contains("Exception"), r::toString);
  }

  /**
   * An input path that ends in / names a folder: one that names a file is refused with the option
   * and the path (Path.of dropped the /, so {@code --patterns p.npy/} read p.npy, where POSIX tools
   * say "Not a directory"); a folder given with a / is still read as a folder.
   */
  @Test
  void anInputFileWithATrailingSlashIsRefused() throws IOException {
    String r = path("r.npy");
    Files.write(dir.resolve("o.npy"), Npy.toBytes(NdArray.ofInts(new int[16], 16)));
    String o = path("o.npy");
    fails(
        "'--patterns' (FILE): '"
            + p
            + "/' ends in /, which names a folder, but "
            + p
            + " is not one",
        "train",
        "--patterns",
        p + "/",
        "--out",
        path("n.npz"));
    fails(
        "'--init': '" + m + "/' ends in /",
        "train",
        "--patterns",
        p,
        "--init",
        m + "/",
        "--out",
        m);
    fails(
        "'--model': '" + m + "/' ends in /",
        "recall",
        "--model",
        m + "/",
        "--queries",
        q,
        "--out",
        r);
    fails(
        "'--queries': '" + q + "/' ends in /",
        "recall",
        "--model",
        m,
        "--queries",
        q + "/",
        "--out",
        r);
    fails(
        "'--order': '" + o + "/' ends in /",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--order",
        o + "/",
        "--out",
        r);
    fails("(MODEL): '" + m + "/' ends in /", "inspect", m + "/");
    fails(
        "'--data': '" + p + "/' ends in /",
        "capacity",
        "--rule",
        "hebbian",
        "--neurons",
        "16",
        "--patterns",
        "1",
        "--data",
        p + "/");
    // a folder with a / is a folder: here one without images, which is named as such
    Files.createDirectory(dir.resolve("images"));
    fails(
        "no images in this folder",
        "train",
        "--patterns",
        path("images") + "/",
        "--out",
        path("n.npz"));
  }

  /**
   * An output name that ends in white space (a space, a tab, a no-break space), a quoting slip, is
   * refused naming the option and showing the name quoted: {@code --out 'm.npz '} wrote a file that
   * ls shows as m.npz and a later --model m.npz did not find. A folder of images too.
   */
  @Test
  void anOutputNameEndingInWhiteSpaceIsRefused() throws IOException {
    fails(
        "--out ' n.npz': the file name starts with a space, which is almost always a quoting slip",
        "train",
        "--patterns",
        p,
        "--out",
        " n.npz");
    fails(
        "--out '" + path(" n.npz") + "': the file name starts with a space",
        "train",
        "--patterns",
        p,
        "--out",
        path(" n.npz"));
    fails(
        "--report '\\tr.json': the file name starts with a tab",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("r.npy"),
        "--report",
        "\tr.json");
    fails(
        "--out '"
            + path("n.npz")
            + " ': the name ends in a space, which is almost always a quoting slip",
        "train",
        "--patterns",
        p,
        "--out",
        path("n.npz") + " ");
    fails(
        "--out '" + path("n.npz") + "\\t': the name ends in a tab",
        "train",
        "--patterns",
        p,
        "--out",
        path("n.npz") + "\t");
    fails(
        "ends in white space (U+00A0)",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("r.npy") + "\u00a0");
    fails(
        "--report '" + path("r.json") + " ': the name ends in a space",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("r.npy"),
        "--report",
        path("r.json") + " ");
    fails(
        "--out '" + path("imgs") + " /': the name ends in a space",
        "recall",
        "--model",
        m,
        "--queries",
        q,
        "--out",
        path("imgs") + " /");
  }

  /**
   * Every refusal of a file an option names names the option too, as {@code --order o.npy: ...}:
   * {@code --order}'s were "o.npy: file not found", "p.npy: an order must be a 1-D array" (only a
   * non-permutation named it), and those of --model, --queries, --patterns, --init, --stored named
   * only the file. inspect's MODEL is no option: its messages name the file alone, as before.
   */
  @Test
  void aFileOptionsErrorsNameTheOption() throws IOException {
    String r = path("r.npy");
    String absent = path("absent.npy");
    Files.write(dir.resolve("dup.npy"), Npy.toBytes(NdArray.ofInts(new int[] {0, 0, 1}, 3)));
    Files.write(dir.resolve("half.npy"), Npy.toBytes(NdArray.ofFloats(new float[] {0.5f}, 1)));
    String[] recall = {"recall", "--model", m, "--queries", q, "--out", r};
    fails("--order " + absent + ": file not found", cat(recall, "--order", absent));
    fails("--order " + p + ": an order must be a 1-D array, got rank 2", cat(recall, "--order", p));
    fails("--order " + m + ": not a .npy file", cat(recall, "--order", m));
    fails(
        "--order " + path("half.npy") + ": element 0 is 0.5, not an int",
        cat(recall, "--order", path("half.npy")));
    fails(
        "--order " + path("dup.npy") + ": async order is not a permutation: 0 appears twice",
        "train",
        "--patterns",
        p,
        "--out",
        path("n.npz"),
        "--order",
        path("dup.npy"));
    fails(
        "--order " + absent + ": file not found",
        "train",
        "--patterns",
        p,
        "--out",
        path("n.npz"),
        "--order",
        absent);
    fails(
        "--model " + absent + ": file not found",
        "recall",
        "--model",
        absent,
        "--queries",
        q,
        "--out",
        r);
    fails(
        "--model " + p + ": is a .npy array, not a model", "export", "--model", p, "--weights", r);
    fails(
        "--queries " + absent + ": file not found",
        "recall",
        "--model",
        m,
        "--queries",
        absent,
        "--out",
        r);
    fails(
        "--patterns " + absent + ": file not found",
        "train",
        "--patterns",
        absent,
        "--out",
        path("n.npz"));
    fails("--patterns " + absent + ": file not found", "corrupt", "--patterns", absent, "--out", r);
    fails(
        "--init " + p + ": is a .npy array, not a model",
        "train",
        "--patterns",
        p,
        "--init",
        p,
        "--out",
        path("n.npz"));
    fails("--patterns " + absent + ": file not found", "inspect", m, "--patterns", absent);
    ToolRun.Result plain = fails(": file not found", "inspect", path("absent.npz"));
    assertEquals("engram: " + path("absent.npz") + ": file not found", plain.err().strip());
  }

  private static String[] cat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
