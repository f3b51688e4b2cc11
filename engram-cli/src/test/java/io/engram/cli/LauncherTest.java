package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/engram} as people run it: a separate process on the packaged jar, its stdout and
 * stderr written to files and read after it exits. Runs in the integration-test phase of {@code mvn
 * verify}, after the jar and the class-data archive are built (engram-cli's pom).
 */
final class LauncherTest {

  private static final List<String> JVM_ENVIRONMENT =
      List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "ENGRAM_VECTOR");

  private static Path launcher;

  @TempDir Path tmp;

  @BeforeAll
  static void built() {
    Path root = Path.of("").toAbsolutePath().getParent();
    launcher = root.resolve("bin/engram");
    assertTrue(
        Files.isRegularFile(root.resolve("engram-cli/target/engram.jar")),
        "the packaged jar is missing: this test runs after the package phase");
  }

  record Run(int status, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n", -1));
    }

    @Override
    public String toString() {
      return "exit " + status + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
    pb.environment().put("ENGRAM_JAVA_OPTS", "-Xmx256m");
    pb.environment().putAll(env);
    return pb;
  }

  private Run run(Map<String, String> env, String... args) throws Exception {
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    Process p = builder(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/engram did not finish in 60 s");
    // read at once: everything must be written by the time the caller sees the exit status
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** As {@link #run}, stderr read through a pipe to its end (its last writer gone). */
  private Run runToEnd(Map<String, String> env, String... args) throws Exception {
    Path out = tmp.resolve("stdout.txt");
    Process p = builder(env, args).redirectOutput(out.toFile()).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/engram did not finish in 60 s");
    return new Run(p.exitValue(), Files.readString(out), err);
  }

  private Path patterns() throws IOException {
    Path p = tmp.resolve("p.csv");
    Files.writeString(p, "1,-1,1,-1,1,1\n-1,-1,1,1,-1,1\n", StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void runs_through_a_chain_of_relative_symbolic_links_and_by_a_bare_name() throws Exception {
    // tmp/e1 -> a/b/e2 -> (relative) bin/engram: the launcher finds its jar from where the last
    // link points, as installing it into a bin folder on the PATH does
    Path b = Files.createDirectories(tmp.resolve("a/b"));
    Files.createSymbolicLink(b.resolve("e2"), b.relativize(launcher));
    Path e1 = Files.createSymbolicLink(tmp.resolve("e1"), tmp.relativize(b.resolve("e2")));
    String p = patterns().toString();
    for (List<String> cmd :
        List.of(
            List.of("./e1"),
            List.of(e1.toString()),
            List.of("bash", "e1"),
            List.of("sh", "-c", "cd a/b && ./e2 \"$@\"", "sh"))) {
      List<String> all = new ArrayList<>(cmd);
      all.addAll(List.of("train", "--patterns", p, "--out", "m.npz", "-q"));
      ProcessBuilder pb = new ProcessBuilder(all).directory(tmp.toFile());
      pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
      pb.redirectErrorStream(true);
      Process proc = pb.start();
      String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(proc.waitFor(60, TimeUnit.SECONDS), cmd + ": did not finish");
      assertEquals(0, proc.exitValue(), cmd + ": " + out);
      assertTrue(Files.isRegularFile(tmp.resolve(cmd.get(0).equals("sh") ? "a/b/m.npz" : "m.npz")));
    }
  }

  /**
   * bin/engram started from a folder outside the project (the test's own temporary folder) finds
   * its jar and runs a demo to the end. It was in CliContractTest, which runs before the package
   * phase: without a jar left by an earlier build it was skipped, and with one it ran that jar.
   */
  @Test
  void the_launcher_runs_from_any_folder() throws Exception {
    Run r = run(Map.of(), "demo", "--neurons", "100", "--patterns", "3");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("patterns came back exactly"), r.toString());
  }

  @Test
  void version_is_one_line_on_stdout_and_stderr_is_empty() throws Exception {
    Run r = run(Map.of(), "--version");
    assertEquals(0, r.status(), r.toString());
    assertEquals(1, r.out().strip().lines().count(), r.toString());
    // the project's version from the jar's manifest (it said "engram dev" without one)
    assertTrue(r.out().strip().matches("engram [0-9]+\\.[0-9]+\\.[0-9]+\\S*"), r.toString());
    assertEquals(r.out(), run(Map.of(), "recall", "-V").out());
    assertEquals("", r.err(), r.toString());
  }

  /**
   * Mistakes in the environment are one line: a word of ENGRAM_JAVA_OPTS that is no option (a value
   * with a blank: the JVM took it for the class to run) and no java to run are exit 2; an option
   * the JVM refuses is one line (the JVM's own status, 1, stays: the launcher has become the JVM).
   * ENGRAM_JAVA_OPTS is not globbed ({@code -Dx=*}).
   */
  private static final java.nio.file.LinkOption NOFOLLOW = java.nio.file.LinkOption.NOFOLLOW_LINKS;

  @Test
  void mistakes_in_the_environment_are_one_line() throws Exception {
    Run r = run(Map.of("ENGRAM_JAVA_OPTS", "-Dname=a b"), "inspect", "m.npz");
    assertEquals(2, r.status(), r.toString());
    assertEquals(
        List.of(
            "engram: ENGRAM_JAVA_OPTS: 'b' is not a JVM option (the options are separated by"
                + " blanks, and each starts with -; a value cannot hold a blank)",
            ""),
        r.errLines());
    // (to the end of stderr: a JVM that cannot start does not wait for bin/engram's filter, which
    // writes its line a moment later; read from a file at the exit status, it was missing under
    // load)
    r = runToEnd(Map.of("ENGRAM_JAVA_OPTS", "--garbage"), "inspect", "m.npz");
    assertEquals(1, r.status(), r.toString());
    assertEquals(
        List.of(
            "engram: the JVM refused an option of ENGRAM_JAVA_OPTS or JAVA_TOOL_OPTIONS:"
                + " Unrecognized option: --garbage",
            ""),
        r.errLines());
    Files.createFile(tmp.resolve("x.npy"));
    r = run(Map.of("ENGRAM_JAVA_OPTS", "-Xmx256m -Dengram.glob=*"), "inspect", "x.npy");
    assertEquals(2, r.status(), r.toString());
    assertEquals(1, r.errLines().size() - 1, r.toString());
    // a PATH with every program of /usr/bin and /bin but java
    Path bin = Files.createDirectory(tmp.resolve("bin-without-java"));
    for (String dir : List.of("/usr/bin", "/bin")) {
      if (Files.isDirectory(Path.of(dir))) {
        try (var list = Files.list(Path.of(dir))) {
          for (Path f : list.toList()) {
            Path link = bin.resolve(f.getFileName().toString());
            if (!f.getFileName().toString().equals("java") && !Files.exists(link, NOFOLLOW)) {
              Files.createSymbolicLink(link, f);
            }
          }
        }
      }
    }
    ProcessBuilder pb = builder(Map.of("PATH", bin.toString()), "--version");
    pb.environment().remove("JAVA_HOME");
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), err);
    assertEquals(
        "engram: java not found on PATH; install Java 17 or later, or set JAVA_HOME to one",
        err.strip());
  }

  /**
   * The JVM's other ways of refusing an option are one line on stderr too: a heap too small ("Error
   * occurred during initialization of VM" and the reason, written on stdout, where data goes, for a
   * command started without the Vector API module), a value out of its range (the range, then the
   * option), a stack too small (after a blank line); each was two to four lines, as HotSpot wrote
   * them. A warning the JVM prints on an option it accepts stays, and the line that marks the start
   * of Engram's own output (a control character) no longer follows it. ENGRAM_VECTOR with a newline
   * in it is named in one line. (stderr is read to its end, as a pipe's reader does: a JVM that
   * cannot start exits without waiting for the launcher's filter.)
   */
  @Test
  void every_option_the_jvm_refuses_is_one_line_on_stderr() throws Exception {
    String refused = "engram: the JVM refused an option of ENGRAM_JAVA_OPTS or JAVA_TOOL_OPTIONS: ";
    Map<String, String> reasons =
        Map.of(
            "-Xmx1k",
            "Too small maximum heap",
            "-XX:MaxRAMPercentage=500",
            "Improperly specified VM option 'MaxRAMPercentage=500'",
            "-Xss1k",
            "The Java thread stack size specified is too small");
    for (var e : reasons.entrySet()) {
      for (String[] args :
          List.of(
              new String[] {"inspect", "missing.npz"},
              new String[] {
                "train", "--patterns", "missing.npy", "--out", "m.npz", "--weights", "dense"
              })) {
        Run r = runToEnd(Map.of("ENGRAM_JAVA_OPTS", e.getKey()), args);
        String what = e.getKey() + " " + String.join(" ", args) + ": " + r;
        assertEquals(1, r.status(), what);
        assertEquals("", r.out(), what);
        assertEquals(1, r.errLines().size() - 1, what);
        // (a heap too small for the JVM to start is said as such, whatever option made it so)
        assertTrue(
            r.err()
                .startsWith(
                    e.getKey().startsWith("-Xmx")
                        ? "engram: out of memory: the heap this JVM may use is too small for the"
                            + " JVM to start ("
                        : refused),
            what);
        assertTrue(r.err().contains(e.getValue()), what);
      }
    }
    Run r = run(Map.of("ENGRAM_JAVA_OPTS", "-Xverify:none"), "inspect", "missing.npz");
    assertEquals(2, r.status(), r.toString());
    assertFalse(r.err().contains("\u001e"), r.toString());
    assertEquals("engram: missing.npz: file not found", r.errLines().get(1), r.toString());
    r = run(Map.of("ENGRAM_VECTOR", "on\nx"), "inspect", "missing.npz");
    assertEquals(2, r.status(), r.toString());
    assertEquals(1, r.errLines().size() - 1, r.toString());
  }

  /**
   * A heap the JVM starts with but too small for Engram (-Xmx2m) is one line naming the heap, exit
   * 1, as running out of memory in a larger one is: it was a blank line and "Exception:
   * java.lang.OutOfMemoryError thrown from the UncaughtExceptionHandler", or a stack trace of
   * picocli or of the class loader, as the advice itself ran out of memory, or the work ran out
   * before its handler.
   */
  @Test
  void a_heap_too_small_for_engram_is_one_line() throws Exception {
    Path p = patterns();
    for (String[] args :
        List.of(
            new String[] {"train", "--patterns", p.toString(), "--out", "m.npz"},
            new String[] {
              "train", "--patterns", p.toString(), "--out", "m.npz", "--weights", "dense"
            },
            new String[] {"corrupt", "--patterns", p.toString(), "--out", "c.npy"},
            new String[] {"capacity", "--neurons", "20", "--trials", "1"},
            new String[] {"--help"})) {
      Run r = runToEnd(Map.of("ENGRAM_JAVA_OPTS", "-Xmx2m"), args);
      String what = String.join(" ", args) + ": " + r;
      if (r.status() == 0) {
        continue; // (a JVM whose start leaves enough of 2 MB)
      }
      assertEquals(1, r.status(), what);
      assertEquals(1, r.errLines().size() - 1, what);
      assertTrue(r.err().startsWith("engram: out of memory"), what);
      assertTrue(r.err().contains("ENGRAM_JAVA_OPTS=-Xmx"), what);
      // nothing half-written: an output there is whole. Where the heap runs out after the output
      // was committed (in the summary line, seen once for corrupt in CI) it cannot be taken back,
      // and must be the complete file; where it runs out before, even the clean-up may fail for
      // want of heap (a temporary file was left, seen for corrupt): it is one of Engram's, named
      // for its dead process, which a later write to the folder removes once it is stale, as it
      // removes those of a killed command
      try (var files = Files.list(tmp)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".tmp")).toList()) {
          assertTrue(
              f.getFileName()
                  .toString()
                  .matches("\\.(c\\.npy|m\\.npz)\\.engram-[0-9]+-[0-9a-z]+\\.tmp"),
              what + ": " + f);
          Files.delete(f);
        }
      }
      Path c = tmp.resolve("c.npy");
      if (Files.exists(c)) {
        assertEquals(12, Npy.read(c).size(), what); // the 2 x 6 patterns
        Files.delete(c);
      }
      Path m = tmp.resolve("m.npz");
      if (Files.exists(m)) {
        assertEquals(6, io.engram.io.ModelFile.read(m).numNeurons(), what);
        Files.delete(m);
      }
    }
  }

  /**
   * A JVM that could not start where no option of the user's was given (a signal while it started:
   * "java.lang.InternalError: Bad level: 2" after "Error occurred during initialization of VM") is
   * said as such; it was "the JVM refused an option of ENGRAM_JAVA_OPTS or JAVA_TOOL_OPTIONS",
   * though there was none. A stand-in java writes HotSpot's two lines.
   */
  @Test
  void a_jvm_that_cannot_start_without_options_blames_no_option() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("jdk/bin"));
    Path java = home.resolve("java");
    Files.writeString(
        java,
        "#!/bin/sh\necho 'Error occurred during initialization of VM' >&2\n"
            + "echo 'java.lang.InternalError: Bad level: 2' >&2\nexit 1\n");
    assertTrue(java.toFile().setExecutable(true));
    String jdk = home.getParent().toString();
    Run r = runToEnd(Map.of("JAVA_HOME", jdk, "ENGRAM_JAVA_OPTS", ""), "inspect", "m.npz");
    assertEquals(1, r.status(), r.toString());
    assertEquals(
        List.of("engram: the JVM could not start: java.lang.InternalError: Bad level: 2", ""),
        r.errLines(),
        r.toString());
    r = runToEnd(Map.of("JAVA_HOME", jdk, "ENGRAM_JAVA_OPTS", "-Xss2m"), "inspect", "m.npz");
    assertEquals(
        List.of(
            "engram: the JVM refused an option of ENGRAM_JAVA_OPTS or JAVA_TOOL_OPTIONS:"
                + " java.lang.InternalError: Bad level: 2",
            ""),
        r.errLines(),
        r.toString());
  }

  /**
   * A JAVA_HOME without an executable bin/java is refused, naming it (exit 2), as Maven refuses
   * one: it was passed over without a word for the java on the PATH, another Java than the one
   * asked for.
   */
  @Test
  void a_java_home_without_java_is_named() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("no-jdk"));
    for (String home : List.of(empty.toString(), tmp.resolve("absent").toString())) {
      Run r = run(Map.of("JAVA_HOME", home), "--version");
      assertEquals(2, r.status(), r.toString());
      assertEquals("", r.out(), r.toString());
      assertEquals(
          List.of(
              "engram: JAVA_HOME is "
                  + home
                  + ", which has no executable bin/java; set it to a Java 17 or later, or unset"
                  + " it to use the java on the PATH",
              ""),
          r.errLines(),
          r.toString());
    }
    // a newline in it is shown escaped, on one line
    Run r = run(Map.of("JAVA_HOME", empty + "\nx"), "--version");
    assertEquals(2, r.status(), r.toString());
    assertEquals(2, r.errLines().size(), r.toString());
    // an empty JAVA_HOME is no JAVA_HOME
    r = run(Map.of("JAVA_HOME", ""), "--version");
    assertEquals(0, r.status(), r.toString());
  }

  @Test
  void a_user_error_is_one_line_also_when_the_jvm_announces_options_from_the_environment()
      throws Exception {
    for (Map<String, String> env :
        List.of(
            Map.<String, String>of(),
            Map.of("JAVA_TOOL_OPTIONS", "-Xss2m"),
            Map.of("JDK_JAVA_OPTIONS", "-Xss2m", "_JAVA_OPTIONS", "-Xss2m"),
            Map.of("JAVA_TOOL_OPTIONS", "-Xss2m", "ENGRAM_VECTOR", "off"))) {
      Run r = run(env, "train", "--patterns", "missing.npy", "--out", "m.npz");
      assertEquals(2, r.status(), env + ": " + r);
      assertEquals(
          List.of("engram: --patterns missing.npy: file not found", ""),
          r.errLines(),
          env + ": " + r);
      assertFalse(Files.exists(tmp.resolve("m.npz")), env + ": " + r);
    }
  }

  @Test
  void a_deleted_working_folder_is_a_user_error() throws Exception {
    // the JVM cannot start there (a stack trace, exit 1); bash itself warns first ("shell-init")
    Path gone = Files.createDirectory(tmp.resolve("gone"));
    Path model = tmp.resolve("m.npz");
    Path err = tmp.resolve("stderr.txt");
    Process p =
        builder(Map.of())
            .command(
                "bash",
                "-c",
                "cd \"$1\" && rmdir \"$1\" && exec \"$2\" train --patterns \"$3\" --out \"$4\"",
                "sh",
                gone.toString(),
                launcher.toString(),
                patterns().toString(),
                model.toString())
            .redirectError(err.toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    Run r = new Run(p.exitValue(), "", Files.readString(err));
    assertEquals(2, r.status(), r.toString());
    assertTrue(
        r.err()
            .strip()
            .endsWith("engram: the working folder no longer exists; cd to one that does"),
        r.toString());
    assertFalse(r.err().contains("java.lang.Error"), r.toString());
    assertFalse(Files.exists(model), r.toString());
  }

  @Test
  void an_unknown_kernel_setting_is_a_user_error() throws Exception {
    Run r = run(Map.of("ENGRAM_VECTOR", "maybe"), "--version");
    assertEquals(2, r.status(), r.toString());
    assertEquals(
        List.of("engram: ENGRAM_VECTOR must be auto, on or off, got 'maybe'", ""), r.errLines());
    for (String ok : List.of("auto", "on", "off")) {
      assertEquals(0, run(Map.of("ENGRAM_VECTOR", ok), "--version").status(), ok);
    }
  }

  /**
   * Under the C locale (LANG unset, as in containers and cron) the JVM decoded arguments and file
   * names as ASCII: {@code ü.csv} arrived as {@code ??.csv}, neither opened nor named. The launcher
   * gives the JVM that locale with UTF-8; a name is then read, written and named as it is. So it
   * does where a UTF-8 locale is named that the system lacks (glibc falls back to C).
   */
  @Test
  void non_ascii_file_names_work_under_the_c_locale() throws Exception {
    // this test's own JVM must be able to name the files
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding"))
            .newEncoder()
            .canEncode("üö"));
    Files.move(patterns(), tmp.resolve("ü.csv"));
    for (Map<String, String> locale :
        List.of(
            Map.of("LC_ALL", "C"),
            Map.of("LANG", "POSIX"),
            Map.<String, String>of(),
            // UTF-8 locales this system lacks (as ssh forwards them): glibc made them C
            Map.of("LANG", "xx_XX.UTF-8"),
            Map.of("LC_ALL", "xx_XX.utf8"))) {
      ProcessBuilder pb = builder(locale, "train", "-q", "--patterns", "ü.csv", "--out", "mü.npz");
      for (String v : List.of("LANG", "LC_ALL", "LC_CTYPE")) {
        if (!locale.containsKey(v)) {
          pb.environment().remove(v);
        }
      }
      Process p = pb.redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/engram did not finish in 60 s");
      assertEquals(0, p.exitValue(), locale + ": " + out);
      assertTrue(Files.isRegularFile(tmp.resolve("mü.npz")), locale + ": " + out);
      Files.delete(tmp.resolve("mü.npz"));
    }
    Run r = run(Map.of("LC_ALL", "C"), "inspect", "nö.npz");
    assertEquals(2, r.status(), r.toString());
    assertEquals(List.of("engram: nö.npz: file not found", ""), r.errLines());
  }

  @Test
  void the_library_notices_stay_off_the_command_line() throws Exception {
    // without the Vector API module the library announces its plain-Java kernels (INFO), and a
    // user's logging configuration is theirs: a WARNING-level library logger is not forced on it
    Run r =
        run(
            Map.of("ENGRAM_VECTOR", "off"),
            "train",
            "--patterns",
            patterns().toString(),
            "--out",
            "m.npz");
    assertEquals(0, r.status(), r.toString());
    assertEquals("", r.err(), r.toString());
  }

  @Test
  void output_after_the_notices_passes_through_unchanged() throws Exception {
    String p = patterns().toString();
    Run r =
        run(
            Map.of("JAVA_TOOL_OPTIONS", "-Xss2m"),
            "train",
            "--patterns",
            p,
            "--out",
            "m.npz",
            "--rule",
            "nonsense");
    assertEquals(2, r.status(), r.toString());
    assertEquals(2, r.errLines().size(), r.toString()); // one line and its newline
    assertTrue(r.err().startsWith("engram: --rule must be hebbian"), r.toString());
    Run ok = run(Map.of("JAVA_TOOL_OPTIONS", "-Xss2m"), "train", "--patterns", p, "--out", "m.npz");
    assertEquals(0, ok.status(), ok.toString());
    assertTrue(ok.out().startsWith("trained: 2 patterns of length 6"), ok.toString());
    assertEquals("", ok.err(), ok.toString());
  }

  @Test
  void binary_data_sent_to_standard_error_passes_the_filter_unchanged() throws Exception {
    // a .npy's header holds NUL bytes, which the filter's line reading dropped (two bytes short,
    // exit 0); Engram's first line on stderr now tells the filter to copy the rest as it comes
    String p = patterns().toString();
    assertEquals(0, run(Map.of(), "train", "-q", "--patterns", p, "--out", "m.npz").status());
    Run file = run(Map.of(), "recall", "-q", "--model", "m.npz", "--queries", p, "--out", "r.npy");
    assertEquals(0, file.status(), file.toString());
    Path err = tmp.resolve("err.npy");
    for (Map<String, String> env :
        List.of(Map.<String, String>of(), Map.of("JAVA_TOOL_OPTIONS", "-Xss2m"))) {
      Process pr =
          builder(env, "recall", "-q", "--model", "m.npz", "--queries", p, "--out", "/dev/stderr")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(err.toFile())
              .start();
      assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, pr.exitValue());
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve("r.npy")), Files.readAllBytes(err), env.toString());
    }
  }

  @Test
  void the_started_process_is_the_jvm_so_a_signal_to_it_ends_the_jvm() throws Exception {
    // the JVM waits at start-up until this file is deleted, so it is caught while running
    Path pause = tmp.resolve("paused");
    ProcessBuilder pb =
        builder(
            Map.of(
                "ENGRAM_JAVA_OPTS",
                "-Xmx256m -XX:+UnlockDiagnosticVMOptions -XX:+PauseAtStartup"
                    + " -XX:PauseAtStartupFile="
                    + pause),
            "--version");
    pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
    pb.redirectError(tmp.resolve("stderr.txt").toFile());
    Process p = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(pause) && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(Files.exists(pause), "the JVM did not pause at start-up");
      String command = p.info().command().orElse("");
      assertTrue(
          command.endsWith("/java"), "the launched process runs '" + command + "', not java");
      List<ProcessHandle> helpers = p.descendants().collect(Collectors.toList());
      p.destroy(); // SIGTERM, as kill does
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the JVM outlived its process");
      for (ProcessHandle h : helpers) {
        h.onExit().get(10, TimeUnit.SECONDS);
      }
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void c2_leaves_the_vector_apis_own_methods_to_the_kernels_that_inline_them() throws Exception {
    // the directives file reaches the JVM (which prints its stack when asked), the JVM's own
    // output goes to stderr, never among a command's output on stdout, and the notice of the file
    // read is dropped there (the other tests: stderr empty)
    // (with the Vector API module: help alone starts without it, and so without the directives)
    Run r =
        run(
            Map.of(
                "ENGRAM_JAVA_OPTS", "-Xmx256m -XX:+CompilerDirectivesPrint", "ENGRAM_VECTOR", "on"),
            "train",
            "--help");
    assertEquals(0, r.status(), r.toString());
    assertTrue(
        r.err().contains("matching: jdk/internal/vm/vector/*.*, jdk/incubator/vector/*.*"),
        r.toString());
    assertTrue(r.err().contains("Exclude:true"), r.toString());
    assertFalse(r.err().contains("compiler directives added"), r.toString());
    assertTrue(r.out().startsWith("Usage: engram train"), r.toString());
    assertFalse(r.out().contains("Directive"), r.toString());
  }

  @Test
  void the_jvm_maps_the_class_data_archive_the_build_made() throws Exception {
    assumeArchiveApplies();
    // with the Vector API module (engram.jsa) and without it (engram-light.jsa: help, inspect)
    for (Map<String, String> vector :
        List.of(Map.of("ENGRAM_VECTOR", "on"), Map.<String, String>of())) {
      Map<String, String> env = new java.util.HashMap<>(vector);
      env.put("ENGRAM_JAVA_OPTS", "-Xmx256m -Xlog:class+load=info");
      Run r = run(env, "inspect", "--help");
      assertEquals(0, r.status(), r.toString());
      // (a static archive, which replaces the JDK's own: no class of this project is in the JDK's,
      // so one of them from a shared objects file comes from the build's archive)
      assertTrue(
          r.out().contains("io.engram.cli.EngramCli source: shared objects file"),
          "EngramCli was not loaded from the build's archive ("
              + vector
              + "): "
              + r.out().lines().filter(l -> l.contains("EngramCli ")).collect(Collectors.toList()));
    }
  }

  @Test
  void the_commands_people_run_load_every_class_of_ours_and_picocli_from_the_archive()
      throws Exception {
    assumeArchiveApplies();
    // a lambda for one of picocli's interfaces (class file version 49), made while the archive
    // was written, kept that interface and the 56 classes implementing it out of the archive
    // (its type converters among them), and the modern memory's classes were not in it at all
    SplittableRandom rnd = new SplittableRandom(3);
    Npy.write(tmp.resolve("p.npy"), NdArray.ofFloats(signs(rnd, 12 * 256), 12, 256));
    Npy.write(tmp.resolve("q.npy"), NdArray.ofFloats(signs(rnd, 40 * 256), 40, 256));
    Npy.write(tmp.resolve("x.npy"), NdArray.ofFloats(signs(rnd, 2000 * 256), 2000, 256));
    List<List<String>> commands =
        List.of(
            List.of("train", "--patterns", "p.npy", "--out", "low.npz"),
            List.of("recall", "--model", "low.npz", "--queries", "q.npy", "--out", "r1.npy"),
            List.of("train", "--weights", "dense", "--patterns", "p.npy", "--out", "d.npz"),
            List.of("recall", "--model", "d.npz", "--queries", "q.npy", "--out", "r2.npy"),
            List.of("train", "--memory", "modern", "--patterns", "x.npy", "--out", "m.npz"),
            List.of(
                "recall",
                "--model",
                "m.npz",
                "--queries",
                "q.npy",
                "--out",
                "r3.npy",
                "--report",
                "r3.json",
                "--top-k",
                "2"),
            List.of("inspect", "m.npz"),
            List.of("train", "--help"));
    for (List<String> c : commands) {
      Run r =
          run(
              Map.of("ENGRAM_JAVA_OPTS", "-Xmx256m -Xlog:class+load=info"),
              c.toArray(String[]::new));
      assertEquals(0, r.status(), c + ": " + r);
      List<String> fromElsewhere =
          r.out()
              .lines()
              .filter(
                  l -> l.contains("[class,load] io.engram.") || l.contains("[class,load] picocli."))
              .filter(l -> !l.endsWith("source: shared objects file"))
              .filter(l -> archivable(l.substring(l.indexOf("[class,load] ") + 13).split(" ")[0]))
              .collect(Collectors.toList());
      assertEquals(List.of(), fromElsewhere, String.join(" ", c));
      assertEquals(List.of(), annotationProxies(r), String.join(" ", c));
    }
  }

  /**
   * No command reads picocli's annotations through reflection, whose proxy classes a fresh JVM
   * generates (some 40 ms of every command; {@link CommandModels}), the help of every command and
   * picocli's help command included.
   */
  @Test
  void no_command_makes_an_annotation_proxy() throws Exception {
    for (List<String> c :
        List.of(List.of("--help"), List.of("help", "recall"), List.of("completion"))) {
      Run r =
          run(
              Map.of("ENGRAM_JAVA_OPTS", "-Xmx256m -Xlog:class+load=info"),
              c.toArray(String[]::new));
      assertEquals(0, r.status(), c + ": " + r);
      assertTrue(r.out().contains("[class,load] picocli.CommandLine "), r.toString());
      assertEquals(List.of(), annotationProxies(r), String.join(" ", c));
    }
  }

  private static List<String> annotationProxies(Run r) {
    return r.out()
        .lines()
        .filter(l -> l.contains("__dynamic_proxy__"))
        .collect(Collectors.toList());
  }

  /**
   * Whether a class of ours or picocli's can be in the build's archive on this JDK: on Java 17
   * every one; Java 25 (measured) leaves picocli's class files (version 49) out of a static
   * archive, and with them our classes that extend or implement one of picocli's types.
   */
  private static boolean archivable(String className) {
    if (Runtime.version().feature() == 17) {
      return true;
    }
    if (className.startsWith("picocli.")) {
      return false;
    }
    try {
      return !dependsOnPicocli(
          Class.forName(className, false, LauncherTest.class.getClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      return true; // not ours to judge here: kept in the check
    }
  }

  private static boolean dependsOnPicocli(Class<?> c) {
    if (c == null) {
      return false;
    }
    if (c.getName().startsWith("picocli.")) {
      return true;
    }
    for (Class<?> i : c.getInterfaces()) {
      if (dependsOnPicocli(i)) {
        return true;
      }
    }
    return dependsOnPicocli(c.getSuperclass());
  }

  /** The characters besides ASCII letters and digits that a jar's path may hold (see below). */
  private static final String URL_SAFE_PUNCTUATION = "/._-~!*'()$&+,@";

  /**
   * Whether the JDK's file URL for a jar at this path is the path itself. Java 17 (measured:
   * 17.0.x) keeps no class of the class path in a class-data archive where it is not (a space, a
   * non-ASCII letter, [ ] = ; : and others; measured for every printable ASCII character: the
   * class's source is then {@code file:/a%20b/engram.jar}, which it does not match to the class
   * path entry). The build then dumps the archives with a copy of the jar in the user's cache as
   * their class path, which bin/engram runs (engram-cli/src/build/java/ArchiveClassPath.java).
   */
  static boolean urlSafe(String path) {
    if (path.isEmpty()) {
      return false;
    }
    for (char c : path.toCharArray()) {
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || URL_SAFE_PUNCTUATION.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether bin/engram finds the build's classes in its archive: the jar's path needs no encoding,
   * or the JVM is Java 25 (measured: it archives them anyway; the versions between are taken as
   * 17), or bin/engram runs the build's copy of the jar at a path that needs none.
   */
  static boolean archiveKeepsOurClasses(Path jar, int javaFeature, boolean copyInUse) {
    return javaFeature >= 25 || copyInUse || urlSafe(jar.toAbsolutePath().toString());
  }

  /** The build's copy of the jar, where bin/engram runs it (as it decides), or null. */
  private static Path copyInUse(Path target) throws IOException {
    Path pointer = target.resolve("engram-cds.jar-path");
    if (!Files.isRegularFile(pointer)) {
      return null;
    }
    Path copy = Path.of(Files.readString(pointer).strip());
    Path jar = target.resolve("engram.jar");
    if (!Files.isRegularFile(copy) || !urlSafe(copy.toString())) {
      return null;
    }
    boolean same =
        Files.isSameFile(copy, jar)
            || (Files.size(copy) == Files.size(jar)
                && Files.getLastModifiedTime(copy).equals(Files.getLastModifiedTime(jar)));
    return same ? copy : null;
  }

  private static void assumeArchiveApplies() throws IOException {
    Path target = launcher.getParent().getParent().resolve("engram-cli/target");
    Path jar = target.resolve("engram.jar").toRealPath();
    Path copy = copyInUse(target);
    int feature = Runtime.version().feature();
    if (!archiveKeepsOurClasses(jar, feature, copy != null)) {
      // a copy the build placed, since deleted from the cache or outdated by a jar built
      // otherwise: bin/engram runs the jar (the next build places it again)
      assumeFalse(
          Files.exists(target.resolve("engram-cds.jar-path")),
          "the build's copy of the jar named in engram-cds.jar-path is gone or not this jar");
      // the build places the copy wherever the user's cache allows it: only a cache whose path
      // needs encoding too, or that cannot be written, leaves it out
      String xdg = System.getenv("XDG_CACHE_HOME");
      Path cache =
          xdg != null && xdg.startsWith("/")
              ? Path.of(xdg)
              : Path.of(System.getProperty("user.home"), ".cache");
      Path existing = cache;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      assumeTrue(
          existing != null
              && Files.isWritable(existing)
              && urlSafe(cache.resolve("engram/0123456789abcdef/engram.jar").toString()),
          "Java "
              + feature
              + " keeps no class of a jar at "
              + jar
              + " (a path a file URL percent-encodes) in a class-data archive, and the cache "
              + cache
              + " cannot hold a copy of it");
      throw new AssertionError(
          "the jar's path "
              + jar
              + " needs encoding in a file URL, and the build placed no copy of it in "
              + cache
              + " for the class-data archives (engram-cli/target/engram-cds.log)");
    }
  }

  @Test
  void the_archive_is_expected_only_where_java_keeps_our_classes_in_it() {
    Path plain = Path.of("/work/p/engram-cli/target/engram.jar");
    assertTrue(archiveKeepsOurClasses(plain, 17, false));
    assertTrue(archiveKeepsOurClasses(Path.of("/h/$HOME/a-b_c.d~/(1)+!@&,'*.jar"), 17, false));
    for (String odd :
        List.of(
            "/my projects/engram.jar",
            "/é/engram.jar",
            "/a[1]/engram.jar",
            "/a=b/engram.jar",
            "/a;b/engram.jar",
            "/a:b/engram.jar",
            "/a%20b/engram.jar")) {
      assertFalse(archiveKeepsOurClasses(Path.of(odd), 17, false), odd);
      assertTrue(archiveKeepsOurClasses(Path.of(odd), 17, true), odd);
      assertTrue(archiveKeepsOurClasses(Path.of(odd), 25, false), odd);
    }
  }

  /** bin/engram's url_safe function (the pattern it decides by, without a process). */
  private static String launcherUrlSafe() throws IOException {
    String script = Files.readString(launcher);
    int from = script.indexOf("\nurl_safe() {\n");
    int to = script.indexOf("\n}\n", from);
    assertTrue(from >= 0 && to > from, "bin/engram has no url_safe function");
    return script.substring(from + 1, to + 3);
  }

  @Test
  void the_launcher_tells_a_path_that_needs_encoding_by_the_same_rule() throws Exception {
    // every character but NUL and newline (which no argument holds), in the C locale and in a
    // UTF-8 one, and a few beyond Latin-1: bin/engram's pattern against the rule measured
    List<String> paths = new ArrayList<>();
    for (char c = 1; c < 256; c++) {
      if (c != '\n') {
        paths.add("/x" + c + "y/engram.jar");
      }
    }
    paths.addAll(List.of("/a/ü/engram.jar", "/日本/engram.jar", "/ok/engram.jar", ""));
    StringBuilder script = new StringBuilder(launcherUrlSafe()).append("\n");
    script.append("while IFS= read -r p; do url_safe \"$p\" && echo 1 || echo 0; done\n");
    for (String locale : List.of("C", "C.UTF-8")) {
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", script.toString());
      pb.environment().put("LC_ALL", locale);
      Path in = tmp.resolve("paths.txt");
      Files.write(in, String.join("\n", paths).concat("\n").getBytes(StandardCharsets.UTF_8));
      Process p = pb.redirectInput(in.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), out);
      List<String> got = out.lines().collect(Collectors.toList());
      assertEquals(paths.size(), got.size(), out);
      for (int i = 0; i < paths.size(); i++) {
        assertEquals(urlSafe(paths.get(i)) ? "1" : "0", got.get(i), locale + ": " + paths.get(i));
      }
    }
  }

  /** Where this run's EngramCli came from: "shared objects file" or the jar's file URL. */
  private static String engramCliSource(Path launcherCopy) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(launcherCopy.toString(), "--version");
    pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
    pb.environment().put("ENGRAM_JAVA_OPTS", "-Xmx256m -Xlog:class+load=info");
    Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.lines()
        .filter(l -> l.contains("[class,load] io.engram.cli.EngramCli source: "))
        .map(l -> l.substring(l.indexOf(" source: ") + 9))
        .findFirst()
        .orElseThrow(() -> new AssertionError("EngramCli not loaded: " + out));
  }

  /** A tree of bin/engram and this build's jar under FOLDER (no archive: the class path shows). */
  private static Path launcherTree(Path folder) throws IOException {
    Path root = launcher.getParent().getParent();
    Files.createDirectories(folder.resolve("bin"));
    Files.createDirectories(folder.resolve("engram-cli/target"));
    Path copy = folder.resolve("bin/engram");
    Files.copy(launcher, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(
        root.resolve("engram-cli/target/engram.jar"),
        folder.resolve("engram-cli/target/engram.jar"),
        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    return copy;
  }

  /** That LAUNCHER runs EngramCli from the jar of file URL JAR (its %-escapes in either case). */
  private static void assertRunsFrom(String jar, Path launcher) throws Exception {
    String source = engramCliSource(launcher);
    assertTrue(jar.equalsIgnoreCase(source), "expected " + jar + ", was " + source);
  }

  @Test
  void where_the_path_needs_encoding_the_launcher_runs_the_builds_copy_only_while_it_is_the_jar()
      throws Exception {
    Path odd = tmp.resolve("odd é [1]");
    Path oddLauncher = launcherTree(odd);
    Path jar = odd.resolve("engram-cli/target/engram.jar");
    Path cache = Files.createDirectories(tmp.resolve("cache/engram/k"));
    Path copy = cache.resolve("engram.jar");
    Files.writeString(odd.resolve("engram-cli/target/engram-cds.jar-path"), copy + "\n");
    String fromCopy = "file:" + copy;
    String fromJar =
        "file:" + odd.toRealPath().toUri().getRawPath() + "engram-cli/target/engram.jar";
    // no copy there yet: the jar
    assertRunsFrom(fromJar, oddLauncher);
    // a hard link to the jar
    Files.createLink(copy, jar);
    assertEquals(fromCopy, engramCliSource(oddLauncher));
    // a copy with its size and modification time (a cache on another file system)
    Files.delete(copy);
    Files.copy(jar, copy);
    Files.setLastModifiedTime(copy, Files.getLastModifiedTime(jar));
    assertEquals(fromCopy, engramCliSource(oddLauncher));
    // a stale copy (the jar rebuilt since): the jar
    Files.setLastModifiedTime(
        jar,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(copy).toMillis() + 2000));
    assertRunsFrom(fromJar, oddLauncher);
    // of the same time but another size: the jar
    Files.setLastModifiedTime(copy, Files.getLastModifiedTime(jar));
    Files.write(copy, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    Files.setLastModifiedTime(copy, Files.getLastModifiedTime(jar));
    assertRunsFrom(fromJar, oddLauncher);
    // a pointer to a path that needs encoding itself: the jar
    Path oddCopy = Files.createDirectories(tmp.resolve("c d")).resolve("engram.jar");
    Files.createLink(oddCopy, jar);
    Files.writeString(odd.resolve("engram-cli/target/engram-cds.jar-path"), oddCopy + "\n");
    assertRunsFrom(fromJar, oddLauncher);
    // where the jar's path needs no encoding, the pointer is not even read
    Path plain = tmp.resolve("plain");
    Path plainLauncher = launcherTree(plain);
    Files.delete(copy);
    Files.createLink(copy, plain.resolve("engram-cli/target/engram.jar"));
    Files.writeString(plain.resolve("engram-cli/target/engram-cds.jar-path"), copy + "\n");
    assertEquals(
        "file:" + plain.toRealPath() + "/engram-cli/target/engram.jar",
        engramCliSource(plainLauncher));
  }

  private record Placed(int status, String out, String pointer, String args) {}

  /** The build's step that picks the archives' class path, on a project at ROOT. */
  private Placed placeClassPath(Path root, Path cache) throws Exception {
    Path target = Files.createDirectories(root.resolve("engram-cli/target"));
    Path jar = target.resolve("engram.jar");
    if (!Files.exists(jar)) {
      Files.writeString(jar, "a jar of " + root);
    }
    Path program =
        launcher.getParent().getParent().resolve("engram-cli/src/build/java/ArchiveClassPath.java");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            program.toString(),
            jar.toString(),
            target.toString(),
            root.toString());
    pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = p.waitFor();
    Path pointer = target.resolve("engram-cds.jar-path");
    return new Placed(
        status,
        out,
        Files.exists(pointer) ? Files.readString(pointer).strip() : null,
        Files.readString(target.resolve("engram-cds.args")));
  }

  @Test
  void the_build_places_a_jar_whose_path_needs_encoding_in_the_users_cache() throws Exception {
    Path cache = tmp.resolve("cache");
    Path odd = tmp.resolve("my é [2]").toAbsolutePath();
    Path jar = odd.resolve("engram-cli/target/engram.jar");
    Placed first = placeClassPath(odd, cache);
    assertEquals(0, first.status(), first.out());
    assertTrue(first.pointer() != null, first.out());
    Path copy = Path.of(first.pointer());
    assertTrue(copy.startsWith(cache.resolve("engram")), first.pointer());
    assertTrue(urlSafe(copy.toString()), first.pointer());
    assertTrue(Files.isSameFile(copy, jar), first.pointer());
    assertEquals("-cp\n\"" + copy + "\"\n", first.args());
    assertEquals(
        "rwx------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(copy.getParent())));
    // the jar rebuilt (a new file): the copy follows it
    Files.delete(jar);
    Files.writeString(jar, "rebuilt");
    Placed again = placeClassPath(odd, cache);
    assertEquals(first.pointer(), again.pointer(), again.out());
    assertTrue(Files.isSameFile(copy, jar));
    // another clone in another odd folder: another folder of the cache
    Placed other = placeClassPath(tmp.resolve("other é"), cache);
    assertTrue(other.pointer() != null, other.out());
    assertFalse(Path.of(other.pointer()).getParent().equals(copy.getParent()), other.pointer());
    // a path that needs no encoding: the jar itself, and nothing written outside the project
    Path safe = tmp.resolve("safe");
    List<Path> before;
    try (var files = Files.walk(cache)) {
      before = files.sorted().collect(Collectors.toList());
    }
    Placed plain = placeClassPath(safe, cache);
    assertEquals(null, plain.pointer(), plain.out());
    assertEquals(
        "-cp\n\"" + safe.resolve("engram-cli/target/engram.jar").toRealPath() + "\"\n",
        plain.args());
    try (var files = Files.walk(cache)) {
      assertEquals(before, files.sorted().collect(Collectors.toList()));
    }
    // a cache folder others may write, or a cache whose own path needs encoding: no copy, the
    // jar itself named (with the argument file's quoting), and the build goes on
    Files.setPosixFilePermissions(
        cache.resolve("engram"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    for (Path c : List.of(cache, tmp.resolve("a cache"))) {
      Placed refused = placeClassPath(odd, c);
      assertEquals(0, refused.status(), refused.out());
      assertEquals(null, refused.pointer(), refused.out());
      assertEquals("-cp\n\"" + jar.toRealPath() + "\"\n", refused.args());
    }
    assertFalse(Files.exists(tmp.resolve("a cache")));
  }

  @Test
  void the_build_removes_the_cache_folders_of_clones_that_are_gone() throws Exception {
    Path cache = tmp.resolve("cache");
    Path one = tmp.resolve("one é").toAbsolutePath();
    Path two = tmp.resolve("two é").toAbsolutePath();
    Path oneCopy = Path.of(placeClassPath(one, cache).pointer());
    Path twoCopy = Path.of(placeClassPath(two, cache).pointer());
    assertEquals(one.toRealPath() + "\n", Files.readString(oneCopy.resolveSibling("root")));
    // an earlier version's folders (no record): one whose jar has a single name and is two days
    // old, one made a moment ago
    Path old = Files.createDirectories(cache.resolve("engram/0123456789abcdef"));
    Files.writeString(old.resolve("engram.jar"), "old");
    Files.setLastModifiedTime(
        old.resolve("engram.jar"),
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * 86_400_000L));
    Path recent = Files.createDirectories(cache.resolve("engram/fedcba9876543210"));
    Files.writeString(recent.resolve("engram.jar"), "recent");
    // clone one cleaned (its jar gone); clone two's folder also holds a file of someone else's
    Files.delete(one.resolve("engram-cli/target/engram.jar"));
    Files.writeString(twoCopy.resolveSibling("notes.txt"), "mine");
    Files.delete(two.resolve("engram-cli/target/engram.jar"));
    Placed third = placeClassPath(tmp.resolve("three é"), cache);
    assertTrue(third.pointer() != null, third.out());
    assertFalse(Files.exists(oneCopy.getParent()), third.out());
    assertFalse(Files.exists(old), third.out());
    assertTrue(Files.exists(recent.resolve("engram.jar")), third.out());
    // only what the build wrote is removed: the other file and its folder stay
    assertEquals("mine", Files.readString(twoCopy.resolveSibling("notes.txt")));
    assertFalse(Files.exists(twoCopy), third.out());
    // clone one built again: a folder of its own again
    Placed back = placeClassPath(one, cache);
    assertEquals(oneCopy.toString(), back.pointer(), back.out());
    assertTrue(Files.isSameFile(oneCopy, one.resolve("engram-cli/target/engram.jar")));
  }

  /**
   * The light start needs the archive the build makes without the module (a build whose JVM could
   * not dump one, which the build tolerates, starts every command with the module).
   */
  private static void assumeLightArchive() {
    Path root = launcher.getParent().getParent();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(root.resolve("engram-cli/target/engram-light.jsa")),
        "no engram-light.jsa: bin/engram starts every command with the module");
  }

  private static float[] signs(SplittableRandom rnd, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    return v;
  }

  @Test
  void small_work_starts_without_the_vector_api_and_writes_the_same_files() throws Exception {
    assumeLightArchive();
    // a low-rank train and recall of small files: bin/engram leaves the Vector API module out
    // (the twin of the SIMD kernels for every call), ENGRAM_VECTOR=on keeps it; the same bytes
    SplittableRandom rnd = new SplittableRandom(5);
    int n = 4096;
    float[] x = signs(rnd, 4 * n);
    float[] q = x.clone();
    for (int i = 0; i < q.length; i += 3) {
      q[i] = -q[i];
    }
    Npy.write(tmp.resolve("p.npy"), NdArray.ofFloats(x, 4, n));
    Npy.write(tmp.resolve("q.npy"), NdArray.ofFloats(q, 4, n));
    Map<String, String> log = Map.of("ENGRAM_JAVA_OPTS", "-Xmx256m -Xlog:module+load=info");
    Map<String, String> module =
        Map.of("ENGRAM_JAVA_OPTS", "-Xmx256m -Xlog:module+load=info", "ENGRAM_VECTOR", "on");
    for (Map<String, String> env : List.of(log, module)) {
      String tag = env.containsKey("ENGRAM_VECTOR") ? "on" : "auto";
      Run t = run(env, "train", "--patterns", "p.npy", "--out", "m-" + tag + ".npz");
      Run r =
          run(
              env,
              "recall",
              "--model",
              "m-auto.npz",
              "--queries",
              "q.npy",
              "--out",
              "r-" + tag + ".npy");
      for (Run c : List.of(t, r)) {
        assertEquals(0, c.status(), c.toString());
        boolean vectorApi = c.out().contains("[module,load] jdk.incubator.vector ");
        assertEquals(tag.equals("on"), vectorApi, tag + ": " + c.err());
        assertFalse(c.out().contains("plain-Java kernels"), c.out());
      }
    }
    assertArrayEquals(
        Files.readAllBytes(tmp.resolve("m-on.npz")), Files.readAllBytes(tmp.resolve("m-auto.npz")));
    assertArrayEquals(
        Files.readAllBytes(tmp.resolve("r-on.npy")), Files.readAllBytes(tmp.resolve("r-auto.npy")));
    // commands that run no kernel, and help, also start without it
    for (List<String> c :
        List.of(
            List.of("inspect", "m-auto.npz"),
            List.of("corrupt", "--patterns", "p.npy", "--flip", "0.1", "--out", "c.npy"),
            List.of("train", "--help"),
            List.of("export", "--help"),
            List.of("capacity", "-h"),
            List.of("completion"))) {
      Run r = run(log, c.toArray(String[]::new));
      assertEquals(0, r.status(), c + ": " + r.err());
      assertFalse(r.out().contains("[module,load] jdk.incubator.vector "), String.join(" ", c));
    }
  }

  @Test
  void a_modern_memory_starts_without_the_vector_api_where_its_work_is_small() throws Exception {
    assumeLightArchive();
    // storing runs no kernel; a recall of B x P x N <= 2^28 (from the files' headers) runs on
    // the twin: the same bytes as with the module. 1024 queries of a memory of 2000 x 256 keep it.
    SplittableRandom rnd = new SplittableRandom(7);
    Npy.write(tmp.resolve("x.npy"), NdArray.ofFloats(signs(rnd, 2000 * 256), 2000, 256));
    Npy.write(tmp.resolve("q.npy"), NdArray.ofFloats(signs(rnd, 64 * 256), 64, 256));
    Npy.write(tmp.resolve("q1024.npy"), NdArray.ofFloats(signs(rnd, 1024 * 256), 1024, 256));
    Map<String, String> log = Map.of("ENGRAM_JAVA_OPTS", "-Xmx256m -Xlog:module+load=info");
    Map<String, String> module =
        Map.of("ENGRAM_JAVA_OPTS", "-Xmx256m -Xlog:module+load=info", "ENGRAM_VECTOR", "on");
    for (Map<String, String> env : List.of(log, module)) {
      String tag = env.containsKey("ENGRAM_VECTOR") ? "on" : "auto";
      Run t =
          run(
              env,
              "train",
              "--memory",
              "modern",
              "--patterns",
              "x.npy",
              "--out",
              "m-" + tag + ".npz");
      Run r =
          run(
              env,
              "recall",
              "--model=m-auto.npz",
              "--queries",
              "q.npy",
              "--out",
              "r-" + tag + ".npy",
              "--report",
              "r-" + tag + ".json",
              "--top-k",
              "3");
      for (Run c : List.of(t, r)) {
        assertEquals(0, c.status(), c.toString());
        assertEquals(
            tag.equals("on"), c.out().contains("[module,load] jdk.incubator.vector "), tag);
      }
    }
    for (String f : List.of("m-%s.npz", "r-%s.npy", "r-%s.json")) {
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve(String.format(f, "on"))),
          Files.readAllBytes(tmp.resolve(String.format(f, "auto"))),
          f);
    }
    Run big =
        run(log, "recall", "--model", "m-auto.npz", "--queries", "q1024.npy", "--out", "b.npy");
    assertEquals(0, big.status(), big.toString());
    assertTrue(big.out().contains("[module,load] jdk.incubator.vector "), "1024 x 2000 x 256");
  }

  /**
   * With standard input closed ({@code <&-}), descriptor 0 would be the first file the JVM opens
   * (its {@code lib/modules}), which {@code --patterns -} read as the user's data: the launcher
   * gives the JVM an empty standard input instead, and says so to it, so that the error names a
   * closed standard input (it said "is a device", of the {@code /dev/null} the launcher had
   * opened).
   */
  @Test
  void a_closed_standard_input_is_empty_not_a_file_of_the_jvm() throws Exception {
    assumeTrue(Files.exists(Path.of("/bin/sh")));
    ProcessBuilder pb = builder(Map.of(), "train", "-q", "--patterns", "-", "--out", "m.npz");
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$0\" \"$@\" <&-"));
    cmd.addAll(pb.command());
    Process p = pb.command(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), err);
    assertEquals(
        "engram: --patterns - (standard input): is closed (<&-); give a file, or send the data to"
            + " it (< FILE, or a pipe)",
        err.strip());
    assertFalse(Files.exists(tmp.resolve("m.npz")));
    // a device given as standard input is one
    List<String> devNull = new ArrayList<>(cmd);
    devNull.set(2, "exec \"$0\" \"$@\" </dev/null");
    Process q = pb.command(devNull).start();
    err = new String(q.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(q.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, q.exitValue(), err);
    assertEquals(
        "engram: --patterns - (standard input): is a device; give a file, or a pipe such as <(...)",
        err.strip());
  }

  /**
   * The launcher's estimate of a modern recall's work reads --iterations as Java does: a leading
   * zero is decimal ({@code 08} printed bash's "value too great for base" on a recall that
   * succeeded).
   */
  @Test
  void iterations_with_a_leading_zero_are_decimal_to_the_launcher_too() throws Exception {
    SplittableRandom rnd = new SplittableRandom(8);
    Npy.write(tmp.resolve("x.npy"), NdArray.ofFloats(signs(rnd, 20 * 64), 20, 64));
    Run t =
        run(Map.of(), "train", "-q", "--memory", "modern", "--patterns", "x.npy", "--out", "m.npz");
    assertEquals(0, t.status(), t.toString());
    for (String it : List.of("08", "--iterations=09", "010")) {
      String[] option = it.startsWith("--") ? new String[] {it} : new String[] {"--iterations", it};
      List<String> a =
          new ArrayList<>(List.of("recall", "-q", "--model", "m.npz", "--queries", "x.npy"));
      a.addAll(List.of(option));
      a.addAll(List.of("--out", "r.npy"));
      Run r = run(Map.of(), a.toArray(new String[0]));
      assertEquals(0, r.status(), r.toString());
      assertEquals("", r.err(), it);
    }
  }

  /**
   * The JVM's TieredStopAtLevel for a command (its final flags, which HotSpot writes to stderr).
   */
  private int compilerLevel(String... args) throws Exception {
    Run r = run(Map.of("ENGRAM_JAVA_OPTS", "-Xmx256m -XX:+PrintFlagsFinal"), args);
    assertEquals(0, r.status(), String.join(" ", args) + ": " + r);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("TieredStopAtLevel\\s+= (\\d)").matcher(r.err());
    assertTrue(m.find(), "no TieredStopAtLevel in the JVM's flags: " + r.err());
    return Integer.parseInt(m.group(1));
  }

  @Test
  void work_that_can_only_be_little_runs_on_c1_alone() throws Exception {
    assumeLightArchive();
    SplittableRandom rnd = new SplittableRandom(7);
    Npy.write(tmp.resolve("small.npy"), NdArray.ofFloats(signs(rnd, 4 * 256), 4, 256));
    // 600 KiB of patterns: more than the launcher counts as small
    Npy.write(tmp.resolve("large.npy"), NdArray.ofFloats(signs(rnd, 150 * 1024), 150, 1024));
    assertEquals(0, run(Map.of(), "train", "--patterns", "small.npy", "--out", "s.npz").status());
    Run modern =
        run(Map.of(), "train", "--memory", "modern", "--patterns", "large.npy", "--out", "l.npz");
    assertEquals(0, modern.status(), modern.toString());
    // help in any form, the completion script, and light commands of small files
    for (List<String> c :
        List.of(
            List.of("recall", "--help"),
            List.of("demo", "--help"),
            List.of("help", "train"),
            List.of("completion"),
            List.of("inspect", "s.npz"),
            List.of("train", "--patterns", "small.npy", "--out", "t.npz"),
            List.of("recall", "--model", "s.npz", "--queries", "small.npy", "--out", "r.npy"),
            List.of("corrupt", "--patterns", "small.npy", "--flip", "0.1", "--out", "c.npy"))) {
      assertEquals(1, compilerLevel(c.toArray(String[]::new)), String.join(" ", c));
    }
    // a light command with a large file (a modern memory's 600 KiB model), and heavy work, keep
    // C2
    for (List<String> c :
        List.of(
            List.of("inspect", "l.npz"),
            List.of("corrupt", "--patterns", "large.npy", "--flip", "0.1", "--out", "d.npy"),
            List.of("train", "--patterns", "large.npy", "--out", "u.npz"))) {
      assertEquals(4, compilerLevel(c.toArray(String[]::new)), String.join(" ", c));
    }
  }

  @Test
  void heavier_work_keeps_the_vector_api() throws Exception {
    SplittableRandom rnd = new SplittableRandom(6);
    Npy.write(tmp.resolve("small.npy"), NdArray.ofFloats(signs(rnd, 4 * 256), 4, 256));
    // 600 KiB of patterns: more than bin/engram starts without the module for
    Npy.write(tmp.resolve("large.npy"), NdArray.ofFloats(signs(rnd, 150 * 1024), 150, 1024));
    Map<String, String> log = Map.of("ENGRAM_JAVA_OPTS", "-Xmx256m -Xlog:module+load=info");
    for (List<String> c :
        List.of(
            List.of("train", "--weights", "dense", "--patterns", "small.npy", "--out", "a.npz"),
            List.of("train", "--rule", "storkey", "--patterns", "small.npy", "--out", "b.npz"),
            List.of("train", "--patterns", "large.npy", "--out", "d.npz"),
            List.of("recall", "--model", "d.npz", "--queries", "large.npy", "--out", "r.npy"),
            List.of("train", "--patterns", "small.npy", "--out", "e.npz"),
            List.of(
                "recall",
                "--model",
                "e.npz",
                "--queries",
                "small.npy",
                "--out",
                "s.npy",
                "--iterations",
                "50"))) {
      Run r = run(log, c.toArray(String[]::new));
      assertEquals(0, r.status(), c + ": " + r.err());
      if (c.equals(List.of("train", "--patterns", "small.npy", "--out", "e.npz"))) {
        assertFalse(r.out().contains("[module,load] jdk.incubator.vector "), "small: without");
        continue;
      }
      assertTrue(r.out().contains("[module,load] jdk.incubator.vector "), String.join(" ", c));
    }
  }

  @Test
  void a_signal_to_the_whole_job_still_ends_the_progress_bar_with_a_newline() throws Exception {
    // Ctrl-C at a terminal, or kill of a job, signals the process group: the launcher's stderr
    // filter died with the JVM's other processes, and the newline the JVM writes after a bar cut
    // short was lost, the shell's prompt coming after the bar on its line
    Path setsid = Path.of("/usr/bin/setsid");
    assumeTrue(Files.isExecutable(setsid), "setsid makes the command a process group of its own");
    List<String> cmd = new ArrayList<>(List.of(setsid.toString(), launcher.toString()));
    cmd.addAll(
        List.of(
            "capacity",
            "--neurons",
            "800",
            "--trials",
            "2000",
            "--time-limit",
            "none",
            "--json",
            "c.json"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
    pb.environment().put("ENGRAM_JAVA_OPTS", "-Xmx256m");
    pb.environment().put("ENGRAM_PROGRESS", "always");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try (java.io.InputStream err = p.getErrorStream()) {
      StringBuilder drawn = new StringBuilder();
      for (int c = err.read(); c >= 0 && c != '\r'; c = err.read()) {
        drawn.append((char) c); // the line of the time estimate, before the bar
      }
      assertTrue(p.isAlive(), "the command drew a progress bar: " + drawn);
      // (setsid ran in the started process: its id is the group's)
      Process kill = new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
      assertEquals(0, kill.exitValue());
      String bar = new String(err.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the command stopped");
      assertEquals(143, p.exitValue(), bar);
      assertTrue(bar.endsWith("\n"), "a newline after the bar cut short: " + bar);
    } finally {
      p.destroyForcibly();
    }
    assertFalse(Files.exists(tmp.resolve("c.json")));
  }

  @Test
  void a_limit_on_the_address_space_leaves_the_jvm_room_to_start() throws Exception {
    // ulimit -v 1.5 GB (shared login machines set such limits): the JVM reserved a gigabyte of
    // class space, half the limit for its heap and 64 MB of malloc arena per thread, and could not
    // start ("the JVM refused an option of ENGRAM_JAVA_OPTS or JAVA_TOOL_OPTIONS: Could not
    // allocate compressed class space", no option given); under 4 GB it crashed, leaving its
    // report hs_err_pid*.log in the working folder
    Path bash = Path.of("/bin/bash");
    assumeTrue(Files.isExecutable(bash));
    String p = patterns().toString();
    // (700 MB: a heap of a third of the limit left the JVM too little besides, and HotSpot wrote
    // its report of insufficient memory on standard output, nothing on stderr, exit 1)
    for (String limit : List.of("700000", "1500000", "3000000")) {
      Path out = tmp.resolve("out.txt");
      Path err = tmp.resolve("err.txt");
      List<String> cmd =
          List.of(
              bash.toString(),
              "-c",
              "ulimit -v " + limit + " && exec \"$0\" \"$@\"",
              launcher.toString(),
              "train",
              "--patterns",
              p,
              "--out",
              "m.npz");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
      pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
      pb.environment().remove("ENGRAM_JAVA_OPTS");
      Process pr = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
      String what = "ulimit -v " + limit + ": " + Files.readString(err) + Files.readString(out);
      assertEquals(0, pr.exitValue(), what);
      assertEquals("", Files.readString(err), what);
      try (var files = Files.list(tmp)) {
        assertEquals(
            List.of(),
            files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(),
            what);
      }
    }
    // far too little for any JVM: one line that names the limit, exit 1 (out of memory)
    List<String> cmd =
        List.of(
            bash.toString(),
            "-c",
            "ulimit -v 400000 && exec \"$0\" \"$@\"",
            launcher.toString(),
            "inspect",
            "m.npz");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
    pb.environment().remove("ENGRAM_JAVA_OPTS");
    Process pr = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(pr.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, pr.exitValue(), err);
    assertTrue(err.startsWith("engram: out of memory: the JVM could not start ("), err);
    assertTrue(
        err.endsWith(" MiB (ulimit -v), and Engram needs at least 552 MiB: raise the limit\n"),
        err);
    assertEquals(1, err.split("\n").length, err);
  }

  @Test
  void too_few_open_files_is_one_line() throws Exception {
    // ulimit -n 7: bin/engram ran, and the JDK's set-up of file channels failed with "Too many
    // open files", a stack trace of ExceptionInInitializerError (exit 1); 6 failed the launcher's
    // own redirections with two lines of bash
    Path bash = Path.of("/bin/bash");
    assumeTrue(Files.isExecutable(bash));
    String p = patterns().toString();
    Path jar = launcher.getParent().getParent().resolve("engram-cli/target/engram.jar");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    for (List<String> command :
        List.of(
            List.of(launcher.toString()),
            List.of(java.toString(), "-Xmx256m", "-jar", jar.toString()))) {
      for (String limit : List.of("7", "9")) {
        List<String> cmd =
            new ArrayList<>(
                List.of(bash.toString(), "-c", "ulimit -n " + limit + " && exec \"$@\"", "-"));
        cmd.addAll(command);
        cmd.addAll(List.of("train", "--patterns", p, "--out", "m.npz"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
        pb.environment().put("ENGRAM_JAVA_OPTS", "-Xmx256m");
        Process pr = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(pr.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
        String what = "ulimit -n " + limit + " " + command + ": " + err;
        if (command.size() > 1 && (limit.equals("9") || pr.exitValue() == 0)) {
          // the JVM alone gets by with 9 for a train (Java 25 with 7 too); the launcher refuses
          // what some command fails
          assertEquals(0, pr.exitValue(), what);
          assertTrue(Files.size(tmp.resolve("m.npz")) > 0, what);
          Files.delete(tmp.resolve("m.npz"));
          continue;
        }
        assertEquals(2, pr.exitValue(), what);
        assertEquals(1, err.split("\n").length, what);
        assertTrue(err.contains("ulimit -n") && err.contains("needs at least 10"), what);
        assertFalse(Files.exists(tmp.resolve("m.npz")), what);
      }
    }
  }

  /**
   * A limit on the stack ({@code ulimit -s}) too small for the JVM's first thread: the JVM died of
   * SIGSEGV without a word (exit 139; below some 40 KiB, at 32-34 KiB one start in a few), and
   * under 32 KiB bash itself crashed in the launcher's regular expressions before any check could
   * speak.
   */
  @Test
  void too_small_a_stack_is_one_line() throws Exception {
    Path bash = Path.of("/bin/bash");
    assumeTrue(Files.isExecutable(bash));
    String p = patterns().toString();
    for (String limit : List.of("24", "48")) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  bash.toString(),
                  "-c",
                  "ulimit -s " + limit + " && exec \"$@\"",
                  "-",
                  launcher.toString(),
                  "train",
                  "--patterns",
                  p,
                  "--out",
                  "m.npz")
              .directory(tmp.toFile());
      pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
      Process pr = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String err = new String(pr.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
      String what = "ulimit -s " + limit + ": " + err;
      assertEquals(2, pr.exitValue(), what);
      assertEquals(
          "engram: the stack of this process may hold at most "
              + limit
              + " KiB (ulimit -s "
              + limit
              + "), too little for the JVM to start (it needs some 40 KiB, and below that it dies"
              + " without a word): raise the limit (ulimit -s 8192)\n",
          err,
          what);
      assertFalse(Files.exists(tmp.resolve("m.npz")), what);
    }
  }

  /**
   * A bare environment (the environment sweep of 2026-12-03): {@code env -i} with a minimal PATH,
   * no HOME, no locale, and a TMPDIR that does not exist (the launcher names a JVM crash report
   * after it; the JVM's own temporary folder is /tmp, and Engram makes no file there) runs a train
   * to its file. Under a limit on file size ({@code ulimit -f}) the launcher itself starts (its
   * here-string and redirections write no file), and the write the JVM then cannot finish is one
   * line naming the output (HotSpot ignores SIGXFSZ: the write fails with EFBIG), exit 2, the old
   * model unchanged and no temporary file left.
   */
  @Test
  void a_bare_environment_and_a_file_size_limit_are_handled() throws Exception {
    Path bash = Path.of("/bin/bash");
    assumeTrue(Files.isExecutable(bash));
    String p = patterns().toString();
    ProcessBuilder pb =
        new ProcessBuilder(launcher.toString(), "train", "--patterns", p, "--out", "m.npz", "-q")
            .directory(tmp.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("TMPDIR", tmp.resolve("no-such-folder").toString());
    pb.environment().put("ENGRAM_JAVA_OPTS", "-Xmx256m");
    Process proc = pb.redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, proc.exitValue(), out);
    assertEquals("", out);
    byte[] model = Files.readAllBytes(tmp.resolve("m.npz"));
    assertTrue(model.length > 0);

    // 40 x 300 patterns: dense weights of 360 KB, over a limit of 64 KiB
    StringBuilder big = new StringBuilder();
    SplittableRandom rnd = new SplittableRandom(3);
    for (int r = 0; r < 40; r++) {
      for (int i = 0; i < 300; i++) {
        big.append(i == 0 ? "" : ",").append(rnd.nextBoolean() ? "1" : "-1");
      }
      big.append('\n');
    }
    Path bigPatterns = Files.writeString(tmp.resolve("big.csv"), big);
    List<String> cmd =
        new ArrayList<>(List.of(bash.toString(), "-c", "ulimit -f 64 && exec \"$@\"", "-"));
    cmd.addAll(
        List.of(
            launcher.toString(),
            "train",
            "--patterns",
            bigPatterns.toString(),
            "--weights",
            "dense",
            "--out",
            "m.npz"));
    pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().keySet().removeAll(JVM_ENVIRONMENT);
    pb.environment().put("ENGRAM_JAVA_OPTS", "-Xmx256m");
    // (stderr through a pipe: a file would be held to the limit too)
    proc = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, proc.exitValue(), err);
    assertEquals(
        "engram: --out m.npz: could not write (File too large); no file was changed\n", err);
    assertArrayEquals(model, Files.readAllBytes(tmp.resolve("m.npz")));
    try (var list = Files.list(tmp)) {
      List<String> hidden =
          list.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
      assertEquals(List.of(), hidden, "no temporary file");
    }
  }
}
