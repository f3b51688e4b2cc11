package io.engram.bench;

import io.engram.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the comparisons run outside the JVM, in one place: a numpy baseline script (its JSON
 * answer), the C FMA-peak reference, and the machine's load average for the report.
 */
final class Baselines {

  private Baselines() {}

  /**
   * Runs a numpy baseline script, {@code python SCRIPT ARGS...}, and parses the one JSON object it
   * prints. The script is the system property {@code scriptProperty}, else {@code defaultScript}
   * (relative to the repository root). numpy gets OpenBLAS's own CPU detection, not the
   * machine-wide overrides ({@code OPENBLAS_CORETYPE}, {@code OPENBLAS_L2_SIZE} are removed).
   *
   * @throws IOException if the script is missing or exits with a non-zero status (with its output)
   */
  static Map<String, Object> numpy(
      String python, String scriptProperty, String defaultScript, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb = numpyProcess(python, scriptProperty, defaultScript, args);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    String out = output(pb.start(), "numpy baseline");
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(out.trim());
    return m;
  }

  /**
   * The value after option {@code args[i]} of a benchmark's command line, as a whole number of at
   * least {@code min}; otherwise one line on stderr naming the problem and exit status 2.
   */
  static int count(String tool, String[] args, int i, int min) {
    String v = value(tool, args, i);
    try {
      int n = Integer.parseInt(v);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw usage(tool, args[i] + " needs a whole number of at least " + min + ", got '" + v + "'");
  }

  /** The value after option {@code args[i]}; one line and exit status 2 when there is none. */
  static String value(String tool, String[] args, int i) {
    if (i + 1 >= args.length) {
      throw usage(tool, args[i] + " needs a value");
    }
    return args[i + 1];
  }

  /** Says what is wrong with a benchmark's command line on stderr and exits with status 2. */
  static IllegalStateException usage(String tool, String problem) {
    System.err.println(tool + ": " + problem);
    System.exit(2);
    return new IllegalStateException(problem); // not reached
  }

  /**
   * The process of a numpy script, as {@link #numpy} runs it (the script found the same way, the
   * same environment), not started.
   *
   * @throws IOException if the script is missing
   */
  static ProcessBuilder numpyProcess(
      String python, String scriptProperty, String defaultScript, String... args)
      throws IOException {
    Path script = Path.of(System.getProperty(scriptProperty, defaultScript));
    if (!Files.exists(script)) {
      throw new IOException(
          "numpy script not found at "
              + script.toAbsolutePath()
              + " (run from the repository root or set -D"
              + scriptProperty
              + ")");
    }
    List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("OPENBLAS_CORETYPE");
    pb.environment().remove("OPENBLAS_L2_SIZE");
    return pb;
  }

  /**
   * Runs the C FMA-peak program ({@code engram-bench/src/main/c/fma_peak.c}) with 1 and {@code
   * threads} threads: GFLOP/s of {512-bit on 1 thread, 512-bit on all threads, 256-bit on 1
   * thread}, and the clock in GHz (0 where the program printed none).
   *
   * @throws IOException if it exits with a non-zero status
   */
  static double[] fmaPeak(String binary, int threads) throws IOException, InterruptedException {
    Process proc =
        new ProcessBuilder(binary, "1", Integer.toString(threads))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = output(proc, "fma_peak");
    double[] r = new double[4];
    for (String line : out.split("\n")) {
      String v = line.substring(line.lastIndexOf('=') + 1).trim();
      if (line.startsWith("fma512 threads=1 ")) {
        r[0] = Double.parseDouble(v);
      } else if (line.startsWith("fma512 threads=" + threads + " ")) {
        r[1] = Double.parseDouble(v);
      } else if (line.startsWith("fma256 ")) {
        r[2] = Double.parseDouble(v);
      } else if (line.startsWith("clock_ghz=")) {
        r[3] = Double.parseDouble(v);
      }
    }
    if (threads == 1) {
      r[1] = r[0];
    }
    return r;
  }

  /** The JSON object {@code key} of a baseline's answer, its values as doubles. */
  static Map<String, Double> numbers(Map<String, Object> answer, String key) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) answer.get(key);
    Map<String, Double> out = new HashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      out.put(e.getKey(), ((Number) e.getValue()).doubleValue());
    }
    return out;
  }

  /** {@code /proc/loadavg}, or "unknown". */
  static String loadavg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The process's standard output, once it has exited with status 0. */
  private static String output(Process proc, String what) throws IOException, InterruptedException {
    String out;
    try (InputStream in = proc.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int rc = proc.waitFor();
    if (rc != 0) {
      throw new IOException(what + " failed with exit status " + rc + ": " + out);
    }
    return out;
  }
}
