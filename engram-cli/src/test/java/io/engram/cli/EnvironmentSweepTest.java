package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on file systems that fail them, for real: a small tmpfs mounted in a mount namespace
 * of the test's own ({@code unshare -m}, gone when the script ends), filled up, made immutable
 * ({@code chattr +i}) and remounted read-only. Needs root (or the capability to mount) and
 * util-linux; where the namespace or the mount is refused (an unprivileged CI runner) the test
 * skips itself. The same failures at the write layer, without root, are engram-core's
 * EnvironmentFailuresTest; docs/CLI.md describes what a user sees.
 */
class EnvironmentSweepTest {

  @TempDir Path dir;

  /** The script's status when it could not set its file system up: the test is skipped. */
  private static final int NO_MOUNT = 97;

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** The shell words that run engram in a fresh JVM with this test run's classes. */
  private static String engram(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(ToolRun.classPath());
    cmd.add(EngramCli.class.getName());
    cmd.addAll(List.of(args));
    return String.join(" ", cmd.stream().map(EnvironmentSweepTest::quote).toList());
  }

  private Path csv(String name, int rows, int n, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : ",").append(rnd.nextBoolean() ? "1" : "-1");
      }
      sb.append('\n');
    }
    return Files.writeString(dir.resolve(name), sb.toString(), StandardCharsets.UTF_8);
  }

  private String read(Path res, String name) throws IOException {
    Path p = res.resolve(name);
    return Files.exists(p) ? Files.readString(p).strip() : "";
  }

  /**
   * On a 1 MiB tmpfs holding an old model: a dense model of N = 600 (1.4 MB) does not fit, and the
   * command says so naming the output, exit 2, the old model intact, no temporary file, and all the
   * space free again (a command afterwards writes). The same model made immutable is refused naming
   * that (it was "is read-only for this user", to root); the file system remounted read-only is
   * named with its folder (also "read-only for this user"), and a new file there names the option
   * (it was "PATH: cannot write a file in DIR (Read-only file system)").
   */
  @Test
  void aFullImmutableAndReadOnlyFileSystemChangeNothingAndSaySo() throws Exception {
    Path unshare = Path.of("/usr/bin/unshare");
    assumeTrue(Files.isExecutable(unshare), "util-linux unshare");
    // (an unprivileged user: "unshare failed: Operation not permitted", status 1)
    Process probe =
        new ProcessBuilder(unshare.toString(), "-m", "true").redirectErrorStream(true).start();
    probe.getInputStream().readAllBytes();
    assumeTrue(
        probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "a mount namespace of our own");
    Path big = csv("big.csv", 3, 600, 1);
    Path small = csv("small.csv", 2, 16, 2);
    Path old = dir.resolve("old.npz");
    ToolRun.Result made =
        ToolRun.run("train", "--patterns", small.toString(), "--out", old.toString(), "-q");
    assertEquals(0, made.status(), made::toString);
    Path fs = Files.createDirectory(dir.resolve("fs"));
    Path res = Files.createDirectory(dir.resolve("res"));
    String m = fs.resolve("m.npz").toString();
    String d = quote(fs.toString());
    String r = res.toString() + "/";
    String script =
        String.join(
            "\n",
            "mount -t tmpfs -o size=1m tmpfs " + d + " 2>/dev/null || exit " + NO_MOUNT,
            "cp " + quote(old.toString()) + " " + quote(m) + " || exit " + NO_MOUNT,
            "free0=$(stat -f -c %a " + d + ")",
            // 1: the disk fills up mid-write
            engram("train", "--patterns", big.toString(), "--weights", "dense", "--out", m)
                + " >/dev/null 2>"
                + quote(r + "err1")
                + "; echo $? >"
                + quote(r + "rc1"),
            "ls -A " + d + " >" + quote(r + "ls1"),
            "cmp -s "
                + quote(old.toString())
                + " "
                + quote(m)
                + " && echo same >"
                + quote(r + "cmp1"),
            "[ \"$(stat -f -c %a " + d + ")\" = \"$free0\" ] && echo freed >" + quote(r + "free1"),
            // 2: a command afterwards works
            engram("train", "--patterns", small.toString(), "--out", fs.resolve("s.npz").toString())
                + " -q >/dev/null 2>&1; echo $? >"
                + quote(r + "rc2"),
            // 3: an immutable output (where this file system takes chattr +i)
            "if chattr +i " + quote(m) + " 2>/dev/null; then",
            engram("train", "--patterns", small.toString(), "--out", m)
                + " >/dev/null 2>"
                + quote(r + "err3")
                + "; echo $? >"
                + quote(r + "rc3"),
            "chattr -i " + quote(m) + "; fi",
            // 4: the file system read-only: an existing output, and a new one
            "mount -o remount,ro " + d + " || exit " + NO_MOUNT,
            engram("train", "--patterns", small.toString(), "--out", m)
                + " >/dev/null 2>"
                + quote(r + "err4")
                + "; echo $? >"
                + quote(r + "rc4"),
            engram(
                    "train",
                    "--patterns",
                    small.toString(),
                    "--out",
                    fs.resolve("new.npz").toString())
                + " >/dev/null 2>"
                + quote(r + "err5")
                + "; echo $? >"
                + quote(r + "rc5"),
            "ls -A " + d + " >" + quote(r + "ls5"),
            "cmp -s "
                + quote(old.toString())
                + " "
                + quote(m)
                + " && echo same >"
                + quote(r + "cmp5"),
            "exit 0");
    Process p =
        new ProcessBuilder(unshare.toString(), "-m", "/bin/sh", "-c", script)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script did not finish");
    assumeTrue(p.exitValue() != NO_MOUNT, "no mount namespace or tmpfs here: " + out);
    assertEquals(0, p.exitValue(), out);

    assertEquals("2", read(res, "rc1"), out);
    assertEquals(
        "engram: --out " + m + ": could not write (No space left on device); no file was changed",
        read(res, "err1"));
    assertEquals("m.npz", read(res, "ls1"), "only the old model, no temporary file");
    assertEquals("same", read(res, "cmp1"), "the old model is intact");
    assertEquals("freed", read(res, "free1"), "the temporary file's space is free again");
    assertEquals("0", read(res, "rc2"), "a command afterwards writes");

    if (!read(res, "rc3").isEmpty()) {
      assertEquals("2", read(res, "rc3"));
      assertEquals(
          "engram: --out "
              + m
              + ": the system refuses to write it (Operation not permitted: an immutable or"
              + " append-only file, see lsattr); it is not replaced",
          read(res, "err3"));
    }

    assertEquals("2", read(res, "rc4"));
    assertEquals(
        "engram: --out "
            + m
            + ": its folder "
            + fs.toRealPath()
            + " is on a read-only file system (mounted at "
            + fs.toRealPath()
            + "); it is not replaced",
        read(res, "err4"));
    assertEquals("2", read(res, "rc5"));
    assertEquals(
        "engram: --out "
            + fs.resolve("new.npz")
            + ": cannot write a file in "
            + fs.toRealPath()
            + " (Read-only file system); no file was changed",
        read(res, "err5"));
    assertEquals("m.npz\ns.npz", read(res, "ls5"));
    assertEquals("same", read(res, "cmp5"));
  }
}
