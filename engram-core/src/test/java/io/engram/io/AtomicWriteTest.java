package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.AmariHopfieldNetwork;
import java.io.BufferedReader;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails or is killed midway leaves the old model exactly as it was. */
class AtomicWriteTest {

  @TempDir Path dir;

  private static AmariHopfieldNetwork model(int n, float value) {
    float[] w = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        w[i * n + j] = i == j ? 0 : value;
      }
    }
    return AmariHopfieldNetwork.of(
        io.engram.weights.DenseWeights.of(n, w), io.engram.network.Dynamics.DEFAULT);
  }

  @Test
  void aFailingWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path f = dir.resolve("model.npz");
    ModelFile.write(f, model(8, 0.5f));
    byte[] before = Files.readAllBytes(f);
    AtomicFiles.WriteException e =
        assertThrows(
            AtomicFiles.WriteException.class,
            () ->
                AtomicFiles.write(
                    f,
                    out -> {
                      ModelFile.builder(model(8, 0.25f)).writeTo(new FailAfter(out, 500));
                    }));
    assertEquals(f.toString(), e.getFile());
    assertEquals("disk full (simulated)", e.getReason());
    assertArrayEquals(before, Files.readAllBytes(f));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList());
    }
  }

  /** Fails like a full disk after {@code limit} bytes. */
  static final class FailAfter extends FilterOutputStream {
    private long left;

    FailAfter(OutputStream out, long limit) {
      super(out);
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      if (--left < 0) {
        throw new IOException("disk full (simulated)");
      }
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = 0; i < len; i++) {
        write(b[off + i]);
      }
    }
  }

  /** Run in a child JVM: starts writing a big model over args[0], says so, then stalls. */
  public static void main(String[] args) throws IOException {
    AtomicFiles.write(
        Path.of(args[0]),
        out ->
            ModelFile.builder(model(1500, 0.125f))
                .writeTo(
                    new FilterOutputStream(out) {
                      long written;

                      @Override
                      public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        written += len;
                        if (written > (1 << 20)) {
                          out.flush();
                          System.out.println("writing");
                          System.out.flush();
                          try {
                            Thread.sleep(60_000);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }
                      }
                    }));
  }

  static String classPath() {
    try {
      Path core =
          Path.of(ModelFile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path tests =
          Path.of(
              AtomicWriteTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return core + java.io.File.pathSeparator + tests;
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** Starts a child JVM writing a big model over {@code f}; returns once it is writing. */
  private static Process startWriting(Path f) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-cp",
                classPath(),
                AtomicWriteTest.class.getName(),
                f.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("writing", r.readLine());
    return p;
  }

  private List<Path> temporaries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(x -> x.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  @Test
  void aKilledWriteLeavesTheOldModelIntactAndTheNextWriteRemovesItsTemporaryFile()
      throws Exception {
    Path f = dir.resolve("model.npz");
    ModelFile.write(f, model(16, 0.5f));
    byte[] before = Files.readAllBytes(f);
    Process p = startWriting(f);
    try {
      // the temporary file is there, half written
      assertEquals(1, temporaries().size());
      p.destroyForcibly(); // kill -9: no shutdown hook runs
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertArrayEquals(before, Files.readAllBytes(f));
    assertEquals(16, ModelFile.read(f).numNeurons());
    List<Path> left = temporaries();
    assertEquals(1, left.size(), "kill -9 leaves the temporary file");
    // a minute later (here: its time set back), the next write into the folder removes it
    Files.setLastModifiedTime(
        left.get(0),
        java.nio.file.attribute.FileTime.fromMillis(
            System.currentTimeMillis() - AtomicFiles.STALE_AFTER_MILLIS - 1000));
    AtomicFiles.write(dir.resolve("other.txt"), out -> out.write('x'));
    assertEquals(List.of(), temporaries());
  }

  @Test
  void anInterruptedWriteRemovesItsTemporaryFileOnTheWayOut() throws Exception {
    Path f = dir.resolve("model.npz");
    ModelFile.write(f, model(16, 0.5f));
    byte[] before = Files.readAllBytes(f);
    Process p = startWriting(f);
    try {
      assertEquals(1, temporaries().size());
      p.destroy(); // SIGTERM (as Ctrl-C's SIGINT): the shutdown hook runs
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertArrayEquals(before, Files.readAllBytes(f));
    assertEquals(List.of(), temporaries());
  }

  /**
   * Run in a child JVM: writes "new" over the files args[1..] (which hold "old") all together, and
   * exits with args[0] (as a signal ends the JVM: the shutdown hooks run while the commit goes on)
   * as soon as the first of them is replaced.
   */
  public static final class ExitMidCommit {
    public static void main(String[] args) throws Exception {
      int status = Integer.parseInt(args[0]);
      java.util.Map<Path, AtomicFiles.Writer> files = new java.util.LinkedHashMap<>();
      for (int i = 1; i < args.length; i++) {
        files.put(Path.of(args[i]), out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
      }
      Path first = Path.of(args[1]);
      Object before =
          Files.readAttributes(first, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
      try (AtomicFiles.Prepared p = AtomicFiles.prepare(files)) {
        Thread exit =
            new Thread(
                () -> {
                  try {
                    while (Files.readAttributes(
                            first, java.nio.file.attribute.BasicFileAttributes.class)
                        .fileKey()
                        .equals(before)) {
                      Thread.onSpinWait();
                    }
                  } catch (IOException e) {
                    // (renamed over at that very moment: replaced)
                  }
                  System.exit(status);
                });
        exit.setDaemon(true);
        exit.start();
        p.commit();
        // the exit began during the commit: it ends the JVM (this waits for it)
        exit.join();
        Thread.sleep(60_000);
      }
    }
  }

  @Test
  void aSignalDuringTheCommitOfSeveralFilesReplacesAllOrNone() throws Exception {
    // SIGTERM while many outputs were being renamed into place (corrupt --out DIR/ of 5000
    // images): the shutdown hook removed the temporary files not yet renamed, so that some
    // hundred images were new and the rest old, exit 143
    int count = 1000;
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                classPath(),
                ExitMidCommit.class.getName(),
                "143"));
    for (int i = 0; i < count; i++) {
      Path f = dir.resolve(String.format("f%04d.txt", i));
      Files.writeString(f, "old");
      command.add(f.toString());
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(143, p.exitValue(), said);
    java.util.Map<String, Integer> contents = new java.util.TreeMap<>();
    for (int i = 0; i < count; i++) {
      contents.merge(Files.readString(dir.resolve(String.format("f%04d.txt", i))), 1, Integer::sum);
    }
    assertEquals(1, contents.size(), "all old or all new, got " + contents);
    assertEquals(List.of(), temporaries());
  }
}
