package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engram's system properties (in ENGRAM_JAVA_OPTS) set to a value they cannot have are refused
 * before the command runs, in one line naming the property, the value and what it may be, exit 2,
 * nothing written: {@code -Dengram.vectorization=foo} was a 30-line stack trace of the kernels'
 * holder with exit 1, and a mistyped threads, denseInHeap, warmup, vectorBits or fonts was silently
 * the default.
 */
class SystemPropertiesTest {

  @TempDir Path dir;

  @BeforeEach
  void model() throws IOException {
    SplittableRandom rnd = new SplittableRandom(3);
    float[] x = new float[4 * 64];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextBoolean() ? 1 : -1;
    }
    Npy.write(dir.resolve("p.npy"), NdArray.ofFloats(x, 4, 64));
    ToolRun.Result r =
        ToolRun.run(
            "train",
            "-q",
            "--weights",
            "dense",
            "--patterns",
            dir.resolve("p.npy").toString(),
            "--out",
            dir.resolve("m.npz").toString());
    assertEquals(0, r.status(), r.toString());
  }

  private ToolRun.Result recall(String... jvm) throws IOException, InterruptedException {
    return recall(List.of(), jvm);
  }

  /** The recall, in a fresh JVM with these JVM options, under {@code env} (a command prefix). */
  private ToolRun.Result recall(List<String> env, String... jvm)
      throws IOException, InterruptedException {
    return ToolRun.fresh(
        dir,
        env,
        List.of(jvm),
        "recall",
        "-q",
        "--model",
        "m.npz",
        "--queries",
        "p.npy",
        "--out",
        "r.npy");
  }

  @Test
  void aMistypedSettingIsOneLineAndNothingRuns() throws IOException, InterruptedException {
    String[][] cases = {
      {"engram.vectorization", "foo", "auto, panama or scalar"},
      {"engram.threads", "two", "a whole number of threads from 1, such as 2"},
      {"engram.threads", "0", "a whole number of threads from 1, such as 2"},
      {"engram.vectorBits", "100", "128, 256 or 512"},
      {"engram.denseInHeap", "maybe", "true or false"},
      {"engram.warmup", "no", "true or false"},
      {"engram.fonts", "Arial", "bundled (or unset: the machine's fonts, else the bundled one)"},
    };
    var before = ToolRun.snapshot(dir);
    for (String[] c : cases) {
      ToolRun.Result r = recall("-D" + c[0] + "=" + c[1]);
      assertEquals(2, r.status(), r.toString());
      assertEquals("", r.out(), r.toString());
      assertEquals(
          "engram: the setting "
              + c[0]
              + " is '"
              + c[1]
              + "', expected "
              + c[2]
              + " (a -D option of the JVM, from ENGRAM_JAVA_OPTS or JAVA_TOOL_OPTIONS)\n",
          r.err(),
          r.toString());
      assertEquals(before, ToolRun.snapshot(dir), c[0]);
    }
  }

  /**
   * ENGRAM_PROGRESS other than auto, never or always is refused the same way (a mistyped value was
   * silently the terminal test); auto, the default, runs.
   */
  @Test
  void aMistypedEngramProgressIsOneLineAndNothingRuns() throws IOException, InterruptedException {
    var before = ToolRun.snapshot(dir);
    ToolRun.Result r =
        ToolRun.fresh(
            dir,
            List.of("env", "ENGRAM_PROGRESS=sometimes"),
            List.of("-Xmx512m"),
            "recall",
            "--model",
            "m.npz",
            "--queries",
            "p.npy",
            "--out",
            "r.npy");
    assertEquals(2, r.status(), r.toString());
    assertEquals(
        "engram: ENGRAM_PROGRESS must be auto, never or always, got 'sometimes'\n",
        r.err(),
        r.toString());
    assertEquals(before, ToolRun.snapshot(dir));
    ToolRun.Result auto = recall(List.of("env", "ENGRAM_PROGRESS=auto"), "-Xmx512m");
    assertEquals(0, auto.status(), auto.toString());
    assertNull(EngramCli.progressProblem(null));
    assertNull(EngramCli.progressProblem(""));
    assertNull(EngramCli.progressProblem("never"));
    assertNull(EngramCli.progressProblem("always"));
  }

  /** Valid values, in either case, are followed; the states are those of the defaults. */
  @Test
  void validSettingsAreFollowed() throws IOException, InterruptedException {
    ToolRun.Result plain = recall();
    assertEquals(0, plain.status(), plain.toString());
    byte[] expected = Files.readAllBytes(dir.resolve("r.npy"));
    Files.delete(dir.resolve("r.npy"));
    ToolRun.Result set =
        recall(
            "-Dengram.threads=1",
            "-Dengram.denseInHeap=FALSE",
            "-Dengram.warmup=false",
            "-Dengram.vectorization=Scalar",
            "-Dengram.fonts=bundled");
    assertEquals(0, set.status(), set.toString());
    assertArrayEquals(expected, Files.readAllBytes(dir.resolve("r.npy")));
    assertFalse(set.err().contains("setting"), set.err());
    assertTrue(set.out().isEmpty(), set.out());
  }

  /**
   * Direct buffer memory used up ({@code -XX:MaxDirectMemorySize} too small for the buffers of file
   * reads and writes) is named as such, exit 1, nothing written: it was the heap's advice, "needs
   * about 12.2 MiB of heap; this JVM may use 5.89 GiB; give it more with -Xmx12g", or "the heap
   * this JVM may use is too small for Engram to run at all".
   */
  @Test
  void directBufferMemoryUsedUpIsNamedNotTheHeap() throws IOException, InterruptedException {
    ToolRun.Result r = recall("-XX:MaxDirectMemorySize=1k");
    // (Java 25's file channels read and write this recall within 1 KiB of direct buffers: there is
    // nothing to name there)
    org.junit.jupiter.api.Assumptions.assumeFalse(
        r.status() == 0 && r.err().isEmpty(),
        "this JVM needs no more than 1 KiB of direct buffers");
    assertEquals(1, r.status(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(
        r.err().startsWith("engram: out of memory: the JVM's direct buffer memory is used up ("),
        r::toString);
    assertTrue(
        r.err().contains("), not its heap: -XX:MaxDirectMemorySize (in ENGRAM_JAVA_OPTS or"),
        r::toString);
    assertFalse(r.err().contains("-Xmx"), r::toString);
    assertFalse(Files.exists(dir.resolve("r.npy")));
  }
}
