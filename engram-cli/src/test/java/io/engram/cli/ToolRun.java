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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
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
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("engram " + String.join(" ", args) + " did not finish in 60 s");
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

  /** Every file under a folder with its size and modification time, to show nothing changed. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String key = dir.relativize(p).toString();
        m.put(
            key,
            Files.isDirectory(p)
                ? "dir"
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
