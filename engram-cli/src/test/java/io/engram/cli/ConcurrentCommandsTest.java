package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that run at the same time as others on the same files: a command that replaces the model
 * it read ({@code train --init M --out M}) never overwrites a version it did not read (two such
 * trainings at once each read the old model, and the later rename silently dropped the other call's
 * patterns, exit 0).
 */
class ConcurrentCommandsTest {

  @TempDir Path dir;

  private static final int N = 16;

  private static void patterns(Path file, int p, long seed) throws IOException {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] x = new float[p * N];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextBoolean() ? 1f : -1f;
    }
    Npy.write(file, NdArray.ofFloats(x, p, N));
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  @BeforeEach
  void models() throws IOException {
    patterns(dir.resolve("a.npy"), 3, 1);
    patterns(dir.resolve("b.npy"), 3, 2);
    int[] order = new int[N];
    for (int i = 0; i < N; i++) {
      order[i] = N - 1 - i;
    }
    Npy.write(dir.resolve("order.npy"), NdArray.ofInts(order, N));
    assertEquals(
        0,
        ToolRun.run("train", "-q", "--patterns", path("a.npy"), "--out", path("m.npz")).status());
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path fifo(String name) throws Exception {
    Path fifo = dir.resolve(name);
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo works");
    return fifo;
  }

  /**
   * Runs the command on a thread of its own while it reads {@code fifo}: once the command opens the
   * pipe, {@code model} is replaced by a copy of {@code by} (a rename, as another Engram process
   * commits), then the pipe is given {@code fed}'s bytes.
   */
  private ToolRun.Result replacedWhileReadingPipe(
      Path fifo, Path model, Path by, Path fed, String... args) throws Exception {
    AtomicReference<ToolRun.Result> result = new AtomicReference<>();
    Thread command = new Thread(() -> result.set(ToolRun.run(args)));
    command.start();
    // opening the pipe returns once the command opens it to read
    try (OutputStream o = Files.newOutputStream(fifo)) {
      Files.copy(by, dir.resolve("replacement"));
      Files.move(dir.resolve("replacement"), model, StandardCopyOption.ATOMIC_MOVE);
      o.write(Files.readAllBytes(fed));
    }
    command.join(60_000);
    return result.get();
  }

  /**
   * The training reads the model, then waits for its {@code --order} on a named pipe; meanwhile
   * another process replaces the model (here: a model of two calls, renamed over it, as a second
   * {@code train --init m.npz --out m.npz} would). The training then fails (exit 2, one line), and
   * the other process's model stays, byte for byte; no temporary file is left.
   */
  @Test
  void aTrainingWhoseInitModelWasReplacedMeanwhileWritesNothing() throws Exception {
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "-q",
                "--patterns",
                path("b.npy"),
                "--init",
                path("m.npz"),
                "--out",
                path("other.npz"))
            .status());
    byte[] other = Files.readAllBytes(dir.resolve("other.npz"));
    Path fifo = fifo("order-pipe");
    // the training reads the model, then its --order from the pipe
    ToolRun.Result r =
        replacedWhileReadingPipe(
            fifo,
            dir.resolve("m.npz"),
            dir.resolve("other.npz"),
            dir.resolve("order.npy"),
            "train",
            "-q",
            "--patterns",
            path("b.npy"),
            "--init",
            path("m.npz"),
            "--order",
            fifo.toString(),
            "--out",
            path("m.npz"));
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: --out "
            + path("m.npz")
            + ": was replaced by another process while this command ran (after this command read"
            + " it as --init); nothing was written, and that process's file stays; run the"
            + " command again to build on it\n",
        r.err());
    assertArrayEquals(other, Files.readAllBytes(dir.resolve("m.npz")));
    assertEquals(6, ModelFile.read(dir.resolve("m.npz")).storedPatterns());
    assertEquals(
        List.of("a.npy", "b.npy", "m.npz", "order-pipe", "order.npy", "other.npz"), names());
  }

  /** Without another process, the same training replaces its --init model (the usual case). */
  @Test
  void aTrainingIntoItsOwnInitModelStillReplacesIt() throws Exception {
    ToolRun.Result r =
        ToolRun.run(
            "train",
            "-q",
            "--patterns",
            path("b.npy"),
            "--init",
            path("m.npz"),
            "--order",
            path("order.npy"),
            "--out",
            path("m.npz"));
    assertEquals(0, r.status(), r::toString);
    assertEquals(6, ModelFile.read(dir.resolve("m.npz")).storedPatterns());
    assertEquals(List.of("a.npy", "b.npy", "m.npz", "order.npy"), names());
  }

  /**
   * The training found its --init model of one memory kind, then waits for its --patterns on a
   * named pipe; meanwhile another process puts a model of the other kind in its place. The training
   * then fails (exit 2, one line naming both kinds), writes nothing, and the other process's file
   * stays. (A classical model swapped for a modern one was refused with a hint at the Java API, and
   * a modern one swapped for a classical one was a ClassCastException: "internal error".)
   */
  @Test
  void aTrainingWhoseInitModelBecameAnotherKindMeanwhileWritesNothing() throws Exception {
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "-q",
                "--memory",
                "modern",
                "--patterns",
                path("b.npy"),
                "--out",
                path("mm.npz"))
            .status());
    Path fifo = fifo("patterns-pipe");
    String[][] cases = {
      {"m.npz", "mm.npz", "a classical network", "a modern memory"},
      {"mm.npz", "m.npz", "a modern memory", "a classical network"}
    };
    for (String[] c : cases) {
      Path init = dir.resolve("init.npz");
      Files.copy(dir.resolve(c[0]), init, StandardCopyOption.REPLACE_EXISTING);
      byte[] other = Files.readAllBytes(dir.resolve(c[1]));
      // the training reads the model's kind, then its --patterns from the pipe
      ToolRun.Result r =
          replacedWhileReadingPipe(
              fifo,
              init,
              dir.resolve(c[1]),
              dir.resolve("a.npy"),
              "train",
              "-q",
              "--patterns",
              fifo.toString(),
              "--init",
              init.toString(),
              "--out",
              path("out.npz"));
      assertEquals(2, r.status(), r::toString);
      assertEquals(
          "engram: --init "
              + init
              + ": was replaced by another process while this command ran (it held "
              + c[2]
              + " when the command began, and now "
              + c[3]
              + "); nothing was written; run the command again\n",
          r.err());
      assertArrayEquals(other, Files.readAllBytes(init));
      assertTrue(Files.notExists(dir.resolve("out.npz")), c[0]);
    }
    assertEquals(
        List.of("a.npy", "b.npy", "init.npz", "m.npz", "mm.npz", "order.npy", "patterns-pipe"),
        names());
  }

  /**
   * Run in a child JVM: begins the shutdown (as a signal does; another hook keeps it going), then
   * sets the command up, as a signal while the JVM started finds it.
   */
  public static final class SetUpAfterTheSignal {
    public static void main(String[] args) throws Exception {
      io.engram.fixtures.ShutdownBegun.begin(130, 1000);
      EngramCli.setUp();
      System.out.println("set up");
      System.out.flush();
      Thread.sleep(60_000); // (the JVM halts once the hook ends)
    }
  }

  /**
   * A signal that comes before the command registers its shutdown hook (SIGINT 0.8 s into a train
   * on a busy machine) ends it with 128+signal and no stack trace ("IllegalStateException: Shutdown
   * in progress" at EngramCli.setUp, found by the signal sweep of 2026-12-03).
   */
  @Test
  void aSignalBeforeTheCommandIsSetUpEndsItWithoutAStackTrace() throws Exception {
    Process p =
        new ProcessBuilder(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                ToolRun.classPath(),
                SetUpAfterTheSignal.class.getName())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String said =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(130, p.exitValue(), said);
    assertEquals("set up\n", said);
  }
}
