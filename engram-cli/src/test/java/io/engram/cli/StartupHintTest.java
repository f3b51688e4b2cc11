package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the command line starts compiling the SIMD kernels at once (heavy work) or on demand. */
class StartupHintTest {

  @TempDir Path tmp;

  private Path sized(String name, long bytes) throws IOException {
    Path f = tmp.resolve(name);
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(bytes); // sparse: no 8 MiB written
    }
    return f;
  }

  @Test
  void denseTrainingIsHeavy() {
    assertTrue(EngramCli.heavyKernelWork(new String[] {"train", "--weights", "dense"}));
    assertTrue(EngramCli.heavyKernelWork(new String[] {"train", "--out", "m", "--weights=dense"}));
    assertFalse(EngramCli.heavyKernelWork(new String[] {"train", "--weights", "low-rank"}));
    assertFalse(EngramCli.heavyKernelWork(new String[] {"train", "--weights"}));
  }

  @Test
  void storingInAModernMemoryRunsNoKernels() throws IOException {
    String big = sized("big.npy", 8L << 20).toString();
    assertFalse(
        EngramCli.heavyKernelWork(
            new String[] {"train", "--memory", "modern", "--patterns", big, "--out", "m"}));
    assertFalse(
        EngramCli.heavyKernelWork(new String[] {"train", "--patterns", big, "--memory=modern"}));
    assertTrue(
        EngramCli.heavyKernelWork(
            new String[] {"train", "--memory", "classical", "--patterns", big, "--out", "m"}));
    // a recall of a modern memory retrieves: its model's size still counts
    assertTrue(EngramCli.heavyKernelWork(new String[] {"recall", "--model", big}));
  }

  @Test
  void aLargeModelOrPatternFileIsHeavy() throws IOException {
    String big = sized("big.npz", 8L << 20).toString();
    String small = sized("small.npz", (8L << 20) - 1).toString();
    assertTrue(EngramCli.heavyKernelWork(new String[] {"recall", "--model", big}));
    assertTrue(EngramCli.heavyKernelWork(new String[] {"recall", "--model=" + big}));
    assertTrue(EngramCli.heavyKernelWork(new String[] {"train", "--init", big, "--out", "m"}));
    assertTrue(
        EngramCli.heavyKernelWork(new String[] {"train", "--patterns", small, "--patterns", big}));
    assertFalse(EngramCli.heavyKernelWork(new String[] {"recall", "--model", small}));
    // the size of a file named by another option, a folder, a missing file: no hint
    assertFalse(EngramCli.heavyKernelWork(new String[] {"recall", "--queries", big}));
    Path dir = tmp.resolve("images");
    assertTrue(dir.toFile().mkdir());
    assertFalse(EngramCli.heavyKernelWork(new String[] {"train", "--patterns", dir.toString()}));
    assertFalse(
        EngramCli.heavyKernelWork(
            new String[] {"recall", "--model", tmp.resolve("none").toString()}));
  }

  /**
   * A modern memory's model counts by the work of its step over the queries, B x P x N, not by its
   * size: a light recall warms its kernels up on demand; an unknown one (queries that are not a
   * file, a model that is not a modern one) by the size rule.
   */
  @Test
  void aModernModelCountsByItsWorkOverTheQueries() throws IOException {
    int p = 8300;
    int n = 256; // X of 8.5 MB: a large file
    io.engram.memory.ModernHopfieldMemory m = io.engram.memory.ModernHopfieldMemory.softmax(n);
    m.storeRows(new float[p * n], p);
    Path model = tmp.resolve("modern.npz");
    io.engram.io.ModelFile.write(model, m);
    String mf = model.toString();
    assertTrue(new java.io.File(mf).length() >= 8L << 20);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {p, n}, EngramCli.modernShape(mf));
    // 64 queries: 64 x 8300 x 256 = 136 M multiply-adds; 1024: 2.2 G
    String few = sized("few.npy", 64L * n * 4 + 128).toString();
    String many = sized("many.npy", 1024L * n * 4 + 128).toString();
    assertFalse(
        EngramCli.heavyKernelWork(new String[] {"recall", "--model", mf, "--queries", few}));
    assertFalse(
        EngramCli.heavyKernelWork(new String[] {"recall", "--queries=" + few, "--model=" + mf}));
    assertTrue(
        EngramCli.heavyKernelWork(new String[] {"recall", "--model", mf, "--queries", many}));
    assertTrue(
        EngramCli.heavyKernelWork(
            new String[] {"recall", "--model", mf, "--queries", tmp.toString()}));
    assertTrue(EngramCli.heavyKernelWork(new String[] {"recall", "--model", mf}));
    // storing more in it computes nothing
    assertFalse(EngramCli.heavyKernelWork(new String[] {"train", "--init", mf, "--out", mf}));
    // not a modern model, not a model at all
    String big = sized("big.npz", 8L << 20).toString();
    assertTrue(EngramCli.modernShape(big) == null);
    assertTrue(
        EngramCli.heavyKernelWork(new String[] {"recall", "--model", big, "--queries", few}));
  }

  /**
   * A low-rank model below the size rule counts by the work of its recall's first four steps over
   * the queries, 2 B P N each: heavy from as many multiply-adds as the twin does on demand before
   * the warm-up starts (2^28); fewer steps where --iterations says so. Without the Vector API
   * module (-Pno-simd) there is nothing to warm up: never heavy then.
   */
  @Test
  void aLowRankModelCountsByItsRecallsWorkOverTheQueries() throws IOException {
    int p = 64;
    int n = 256;
    Path patterns = tmp.resolve("p.npy");
    io.engram.io.Npy.write(patterns, io.engram.io.NdArray.ofFloats(new float[p * n], p, n));
    String model = tmp.resolve("lr.npz").toString();
    String dense = tmp.resolve("dense.npz").toString();
    String pf = patterns.toString();
    assertTrue(
        ToolRun.run("train", "-q", "--patterns", pf, "--out", model, "--weights", "low-rank")
                .status()
            == 0);
    assertTrue(
        ToolRun.run("train", "-q", "--patterns", pf, "--out", dense, "--weights", "dense").status()
            == 0);
    assertEquals(p, EngramCli.lowRankRows(model));
    assertEquals(0, EngramCli.lowRankRows(dense));
    // 4 steps x 2 x (B N) x P >= 2^28: B N >= 2^19 values, a queries file of 2 MiB
    long values = 1L << 19;
    String many = sized("many.npy", values * 4).toString();
    String few = sized("few.npy", values * 4 - 4).toString();
    boolean simd = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(
        simd,
        EngramCli.heavyKernelWork(new String[] {"recall", "--model", model, "--queries", many}));
    assertEquals(
        simd,
        EngramCli.heavyKernelWork(
            new String[] {"recall", "--queries=" + many, "--model=" + model}));
    assertFalse(
        EngramCli.heavyKernelWork(new String[] {"recall", "--model", model, "--queries", few}));
    // fewer steps: less work
    assertFalse(
        EngramCli.heavyKernelWork(
            new String[] {"recall", "--model", model, "--queries", many, "--iterations", "3"}));
    assertEquals(
        simd,
        EngramCli.heavyKernelWork(
            new String[] {"recall", "--model", model, "--queries", many, "--iterations=20"}));
    assertFalse(
        EngramCli.heavyKernelWork(
            new String[] {"recall", "--model", model, "--queries", many, "--iterations", "x"}));
    // a dense model of that size, queries that are not a file, training: the other rules
    assertFalse(
        EngramCli.heavyKernelWork(new String[] {"recall", "--model", dense, "--queries", many}));
    assertFalse(
        EngramCli.heavyKernelWork(
            new String[] {"recall", "--model", model, "--queries", tmp.toString()}));
    assertFalse(EngramCli.heavyKernelWork(new String[] {"recall", "--model", model}));
    assertFalse(
        EngramCli.heavyKernelWork(new String[] {"train", "--init", model, "--patterns", many}));
  }

  /** A large model read by the command: its scan is compiled before the warm-up starts. */
  @Test
  void aLargeModelReadIsNoticed() throws IOException {
    String big = sized("big.npz", 8L << 20).toString();
    String small = sized("small.npz", (8L << 20) - 1).toString();
    assertTrue(EngramCli.readsLargeModel(new String[] {"recall", "--model", big}));
    assertTrue(EngramCli.readsLargeModel(new String[] {"recall", "--model=" + big}));
    assertTrue(EngramCli.readsLargeModel(new String[] {"train", "--init", big, "--out", "m"}));
    assertFalse(EngramCli.readsLargeModel(new String[] {"recall", "--model", small}));
    assertFalse(EngramCli.readsLargeModel(new String[] {"train", "--patterns", big}));
    assertFalse(EngramCli.readsLargeModel(new String[] {"recall", "--model"}));
    assertFalse(EngramCli.readsLargeModel(new String[] {"recall", "--model", tmp.toString()}));
    io.engram.weights.DenseWeights.prepareScan(); // (throws if the scan of zeros found other)
  }

  @Test
  void manyPatternsReadAreNoticed() throws IOException {
    String big = sized("p.npy", 1L << 20).toString();
    String small = sized("few.npy", (1L << 20) - 1).toString();
    assertTrue(EngramCli.readsManyPatterns(new String[] {"train", "--patterns", big}));
    assertTrue(EngramCli.readsManyPatterns(new String[] {"train", "--patterns=" + big}));
    assertTrue(EngramCli.readsManyPatterns(new String[] {"recall", "--queries", big}));
    assertFalse(EngramCli.readsManyPatterns(new String[] {"train", "--patterns", small}));
    assertFalse(EngramCli.readsManyPatterns(new String[] {"recall", "--model", big}));
    assertFalse(EngramCli.readsManyPatterns(new String[] {"train", "--patterns"}));
    assertFalse(EngramCli.readsManyPatterns(new String[] {"train", "--patterns", tmp.toString()}));
    io.engram.learning.PatternBlock.prepareScan(); // (throws if the scan of ones failed)
  }

  /**
   * picocli is told not to set up its converters for java.sql and java.time types (a start-up
   * cost): no option or parameter of any command may have such a type, or it would fail to parse.
   */
  @Test
  void noOptionNeedsAConverterThatIsNotSetUp() {
    java.util.regex.Pattern excluded = java.util.regex.Pattern.compile("java\\.(sql|time)\\..*");
    EngramCli.excludeUnusedConverters();
    assertTrue(
        excluded.pattern().equals(System.getProperty(EngramCli.CONVERTER_EXCLUDES)),
        "the property as main() sets it");
    picocli.CommandLine all = EngramCli.withAllSubcommands();
    int args = 0;
    for (picocli.CommandLine c : all.getSubcommands().values()) {
      for (picocli.CommandLine.Model.ArgSpec a : c.getCommandSpec().args()) {
        args++;
        java.util.List<Class<?>> types = new java.util.ArrayList<>();
        types.add(a.type());
        types.addAll(java.util.Arrays.asList(a.auxiliaryTypes()));
        for (Class<?> t : types) {
          assertFalse(
              excluded.matcher(t.getName()).matches(),
              c.getCommandName() + " " + a + " has type " + t.getName());
        }
      }
    }
    assertTrue(args > 50, "options seen: " + args);
  }
}
