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
 * (deleted again): train (dense and low-rank, .npy and .csv; a modern memory), recall with a
 * report, inspect, export, corrupt, the completion script, and the help and version. Not part of
 * the command line; prints nothing unless a command fails (then the build shows why, and goes on:
 * the archive is only a speed-up).
 */
public final class ArchiveWorkload {

  private ArchiveWorkload() {}

  public static void main(String[] args) throws IOException {
    EngramCli.setUp();
    // first as a command on small files starts (the plain-Java twin on demand), then as one on
    // large files (the warm-up at once), so that the classes of both ways are in the archive
    Engram.startKernelWarmup(false);
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
    command("train", "--patterns", p, "--out", low);
    command("train", "-q", "--patterns", csv.toString(), "--out", dir.resolve("c.npz").toString());
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
    Engram.startKernelWarmup(true);
    command("train", "-q", "--weights", "dense", "--patterns", p, "--out", dense);
    command("recall", "-q", "--model", dense, "--queries", q, "--out", dir + "/r.npy");
    command("inspect", dense);
    // a dense network large enough for the kernels' parallel products (1024 x 1024, 40 patterns),
    // trained over an existing model (the output's owner and mode are kept)
    int big = 1024;
    Path bigPatterns = dir.resolve("big.npy");
    Path bigQueries = dir.resolve("bigq.npy");
    Npy.write(bigPatterns, NdArray.ofFloats(signs(rnd, 40 * big), 40, big));
    Npy.write(bigQueries, NdArray.ofFloats(signs(rnd, 40 * big), 40, big));
    String bigModel = dir.resolve("big.npz").toString();
    for (int i = 0; i < 2; i++) {
      command(
          "train",
          "-q",
          "--weights",
          "dense",
          "--patterns",
          bigPatterns.toString(),
          "--out",
          bigModel);
    }
    command(
        "recall",
        "-q",
        "--model",
        bigModel,
        "--queries",
        bigQueries.toString(),
        "--out",
        dir + "/r3.npy");
    // a modern memory: stored, recalled with a report of the best matches, described
    Path stored = dir.resolve("stored.npy");
    Npy.write(stored, NdArray.ofFloats(signs(rnd, 2000 * n), 2000, n));
    String modern = dir.resolve("modern.npz").toString();
    command("train", "-q", "--memory", "modern", "--patterns", stored.toString(), "--out", modern);
    command(
        "recall",
        "-q",
        "--model",
        modern,
        "--queries",
        q,
        "--out",
        dir + "/r4.npy",
        "--report",
        dir + "/r4.json",
        "--top-k",
        "3");
    command("inspect", modern);
    // an error, as people make them (exit status 2, one line)
    command(2, "train", "--patterns", dir + "/missing.npy", "--out", dir + "/m.npz");
    command("export", "--model", low, "--weights", dir + "/w.npy");
    command("corrupt", "-q", "--patterns", p, "--flip", "0.1", "--out", dir + "/c.npy");
    command("completion");
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
