package io.engram.cli;

import io.engram.Engram;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The run from which the build makes {@code engram.jsa}, the class-data archive that {@code
 * bin/engram} hands the JVM (AppCDS): the package phase runs this class with {@code
 * -XX:DumpLoadedClassList} and then dumps the classes it loaded into a static archive ({@code
 * -Xshare:dump}), from which every later start maps them, already parsed and verified, instead of
 * loading them again from the jar.
 *
 * <p>It runs the commands people run most, in this JVM and on small inputs in a temporary folder
 * (deleted again): train (dense and low-rank, .npy and .csv), recall with a report, inspect,
 * export, and the help and version. Not part of the command line; prints nothing unless a command
 * fails (then the build shows why, and goes on: the archive is only a speed-up).
 */
public final class ArchiveWorkload {

  private ArchiveWorkload() {}

  public static void main(String[] args) throws IOException {
    EngramCli.setUp();
    Engram.startKernelWarmup(true);
    Path dir = Files.createTempDirectory("engram-archive");
    try {
      run(dir);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(ArchiveWorkload::delete);
      }
    }
  }

  private static void run(Path dir) throws IOException {
    int n = 256;
    SplittableRandom rnd = new SplittableRandom(1);
    Path patterns = dir.resolve("p.npy");
    Path queries = dir.resolve("q.npy");
    Npy.write(patterns, NdArray.ofFloats(signs(rnd, 12 * n), 12, n));
    Npy.write(queries, NdArray.ofFloats(signs(rnd, 40 * n), 40, n));
    Path csv = dir.resolve("p.csv");
    Files.writeString(csv, "1,-1,1,-1\n-1,-1,1,1\n");
    String p = patterns.toString();
    String q = queries.toString();
    String dense = dir.resolve("dense.npz").toString();
    String low = dir.resolve("low.npz").toString();
    command("--version");
    command("--help");
    command("train", "--help");
    command("recall", "--help");
    command("train", "-q", "--weights", "dense", "--patterns", p, "--out", dense);
    command("train", "--patterns", p, "--out", low);
    command("train", "-q", "--patterns", csv.toString(), "--out", dir.resolve("c.npz").toString());
    command("recall", "-q", "--model", dense, "--queries", q, "--out", dir + "/r.npy");
    command(
        "recall",
        "--model",
        low,
        "--queries",
        q,
        "--out",
        dir + "/r2.npy",
        "--report",
        dir + "/r.json");
    command("inspect", dense);
    // an error, as people make them (exit status 2, one line)
    command(2, "train", "--patterns", dir + "/missing.npy", "--out", dir + "/m.npz");
    command("export", "--model", low, "--weights", dir + "/w.npy");
  }

  private static void command(String... args) {
    command(0, args);
  }

  private static void command(int expected, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = EngramCli.run(args, new PrintWriter(out), new PrintWriter(err));
    if (status != expected) {
      System.err.println(
          "engram archive workload: 'engram "
              + String.join(" ", args)
              + "' exited with "
              + status
              + ": "
              + err);
    }
  }

  private static float[] signs(SplittableRandom rnd, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    return v;
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
