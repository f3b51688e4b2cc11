package io.engram.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the engram command in-process or in a fresh JVM, and snapshots folders. */
final class ToolRun {

  /** Exit status, stdout and stderr. */
  record Result(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private ToolRun() {}

  /** In this JVM (working folder: this process's). */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = EngramCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  /** In a fresh JVM with this test run's class path, in folder {@code dir}. */
  static Result fresh(Path dir, String... args) throws IOException, InterruptedException {
    return fresh(dir, List.of(), List.of("-Xmx512m"), args);
  }

  /**
   * This test run's classes as one class path, for a fresh JVM that runs the command as the shipped
   * jar does (on the class path): the module path (the CLI and its dependencies; surefire runs the
   * tests inside module io.engram.cli) and the class path.
   */
  static String classPath() {
    StringBuilder cp = new StringBuilder();
    for (String key : List.of("jdk.module.path", "java.class.path")) {
      String v = System.getProperty(key);
      if (v != null && !v.isEmpty()) {
        cp.append(cp.length() == 0 ? "" : java.io.File.pathSeparator).append(v);
      }
    }
    return cp.toString();
  }

  /**
   * In a fresh JVM with this test run's class path and the given JVM options, in folder {@code
   * dir}, the java command prefixed by {@code prefix} (e.g. a wrapper that changes its
   * environment).
   */
  static Result fresh(Path dir, List<String> prefix, List<String> jvm, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(EngramCli.class.getName());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("engram-out", ".txt");
    Path err = Files.createTempFile("engram-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("engram " + String.join(" ", args) + " did not finish in 120 s");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Every file under a folder with its size, modification time and content (links, folders and
   * special files by what they are), to show nothing changed.
   */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String key = dir.relativize(p).toString();
        m.put(
            key,
            Files.isSymbolicLink(p)
                ? "link to " + Files.readSymbolicLink(p)
                : Files.isDirectory(p)
                    ? "dir"
                    : !Files.isRegularFile(p)
                        ? "special" // never opened: a pipe without a writer would block
                        : Files.size(p)
                            + "@"
                            + Files.getLastModifiedTime(p).toMillis()
                            + "#"
                            + java.util.Arrays.hashCode(Files.readAllBytes(p)));
      }
    }
    return m;
  }
}
