package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.fixtures.ShutdownBegun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process whose first write begins after a signal (the shutdown under way, as {@code inspect
 * --heatmap} that got SIGTERM while it computed) makes no temporary file and no folder: the class
 * that removes them at shutdown could no longer register its hook then, and the temporary file
 * stayed.
 */
class WriteDuringShutdownTest {

  @TempDir Path dir;

  /**
   * Run in a child JVM: begins the shutdown (exit 143, another hook keeping it going for a while),
   * then uses the atomic writes for the first time: a file args[0] whose writer stalls, a folder
   * args[1]. Prints what happened.
   */
  public static final class FirstWriteAfterTheSignal {
    public static void main(String[] args) throws Exception {
      ShutdownBegun.begin(143, 1500);
      Writes.run(Path.of(args[0]), Path.of(args[1]));
      Thread.sleep(60_000); // (the JVM halts once the hook ends)
    }
  }

  /** The first use of {@link AtomicFiles} in the child (its own class: loaded only here). */
  static final class Writes {
    static void run(Path file, Path folder) {
      try {
        AtomicFiles.createFolder(folder);
        System.out.println("folder made");
      } catch (IOException e) {
        System.out.println("folder refused: " + e.getMessage());
      }
      System.out.flush();
      try {
        AtomicFiles.write(
            file,
            out -> {
              out.write("new".getBytes(StandardCharsets.UTF_8));
              try {
                Thread.sleep(10_000); // past the halt
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
        System.out.println("written");
      } catch (IOException e) {
        System.out.println("refused: " + e.getMessage());
      }
      System.out.flush();
    }
  }

  @Test
  void aWriteBegunAfterTheSignalLeavesNothing() throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                AtomicWriteTest.classPath(),
                FirstWriteAfterTheSignal.class.getName(),
                dir.resolve("h.png").toString(),
                dir.resolve("imgs").toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(143, p.exitValue(), said);
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.toList(), said);
    }
    assertTrue(said.contains("folder refused: "), said);
  }
}
