package io.engram.cli;

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
}
