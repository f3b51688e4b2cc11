package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that a command read and now replaces ({@code train --init M --out M}) is replaced only
 * while its path still leads to the version read: two such commands at once lost one's work to the
 * other's rename.
 */
class ReplaceWhatWasReadTest {

  @TempDir Path dir;

  private static AtomicFiles.Writer text(String s) {
    return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private AtomicFiles.Prepared prepare(Path target, String content, AtomicFiles.Version read)
      throws IOException {
    return AtomicFiles.prepare(Map.of(target, text(content)), Map.of(target, read));
  }

  @Test
  void anUnchangedFileIsReplaced() throws IOException {
    Path m = Files.writeString(dir.resolve("m.npz"), "v1");
    AtomicFiles.Version v = AtomicFiles.Version.of(m);
    assertNull(v.differs(m));
    try (AtomicFiles.Prepared p = prepare(m, "v1+a", v)) {
      p.commit();
    }
    assertEquals("v1+a", Files.readString(m));
    assertEquals(List.of("m.npz"), names());
  }

  @Test
  void aFileReplacedSinceTheReadIsLeftAsTheOtherProcessWroteIt() throws IOException {
    Path m = Files.writeString(dir.resolve("m.npz"), "v1");
    AtomicFiles.Version v = AtomicFiles.Version.of(m);
    // the other process: read v1 too, wrote v1+b by a rename (a new file, the same size)
    AtomicFiles.write(m, text("v1+b"));
    AtomicFiles.ReplacedException e;
    try (AtomicFiles.Prepared p = prepare(m, "v1+a", v)) {
      e = assertThrows(AtomicFiles.ReplacedException.class, p::commit);
    }
    assertEquals(m.toString(), e.getFile());
    assertEquals("was replaced by another process while this command ran", e.getReason());
    assertEquals("v1+b", Files.readString(m));
    assertEquals(List.of("m.npz"), names()); // no temporary file, no backup left
  }

  @Test
  void aFileChangedInPlaceOrRemovedIsNotReplacedEither() throws IOException {
    Path m = Files.writeString(dir.resolve("m.npz"), "v1");
    AtomicFiles.Version v = AtomicFiles.Version.of(m);
    // written over in place, same size, and given a later time (as any write gives it)
    Files.writeString(m, "v2", StandardOpenOption.TRUNCATE_EXISTING);
    Files.setLastModifiedTime(
        m, FileTime.fromMillis(v.modified().toMillis() + 1000)); // (coarse clocks)
    try (AtomicFiles.Prepared p = prepare(m, "v1+a", v)) {
      AtomicFiles.ReplacedException e =
          assertThrows(AtomicFiles.ReplacedException.class, p::commit);
      assertTrue(e.getReason().startsWith("was changed in place"), e.getReason());
    }
    assertEquals("v2", Files.readString(m));
    AtomicFiles.Version v2 = AtomicFiles.Version.of(m);
    Files.delete(m);
    try (AtomicFiles.Prepared p = prepare(m, "v2+a", v2)) {
      AtomicFiles.ReplacedException e =
          assertThrows(AtomicFiles.ReplacedException.class, p::commit);
      assertTrue(e.getReason().startsWith("was removed or renamed"), e.getReason());
    }
    assertEquals(List.of(), names());
  }

  @Test
  void withSeveralOutputsAReplacedInputChangesNoneOfThem() throws IOException {
    Path m = Files.writeString(dir.resolve("m.npz"), "v1");
    Path report = Files.writeString(dir.resolve("r.json"), "old report");
    AtomicFiles.Version v = AtomicFiles.Version.of(m);
    AtomicFiles.write(m, text("other"));
    Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
    files.put(report, text("new report"));
    files.put(m, text("v1+a"));
    try (AtomicFiles.Prepared p = AtomicFiles.prepare(files, Map.of(m, v))) {
      assertThrows(AtomicFiles.ReplacedException.class, p::commit);
    }
    assertEquals("old report", Files.readString(report));
    assertEquals("other", Files.readString(m));
    assertEquals(List.of("m.npz", "r.json"), names());
  }

  @Test
  void aReadVersionOfAFileNotWrittenIsAnError() throws IOException {
    Path m = Files.writeString(dir.resolve("m.npz"), "v1");
    AtomicFiles.Version v = AtomicFiles.Version.of(m);
    assertThrows(
        IllegalArgumentException.class,
        () -> AtomicFiles.prepare(Map.of(dir.resolve("other"), text("x")), Map.of(m, v)));
    assertEquals(List.of("m.npz"), names());
  }

  /**
   * Two commits of the same read version, racing from two threads (each its own lock channel, as
   * two processes would have): exactly one replaces the file, the other finds it replaced; many
   * rounds, so that the commits overlap.
   */
  @Test
  void ofTwoRacingCommitsOfOneReadVersionExactlyOneWins() throws Exception {
    Path m = dir.resolve("m.npz");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 200; round++) {
        Files.writeString(m, "v" + round);
        AtomicFiles.Version v = AtomicFiles.Version.of(m);
        AtomicFiles.Prepared a = prepare(m, "a" + round, v);
        AtomicFiles.Prepared b = prepare(m, "b" + round, v);
        CountDownLatch go = new CountDownLatch(1);
        Future<Boolean> fa = pool.submit(() -> commits(a, go));
        Future<Boolean> fb = pool.submit(() -> commits(b, go));
        go.countDown();
        boolean wonA = fa.get();
        boolean wonB = fb.get();
        assertTrue(wonA ^ wonB, "round " + round + ": a " + wonA + ", b " + wonB);
        assertEquals((wonA ? "a" : "b") + round, Files.readString(m));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of("m.npz"), names());
  }

  private static boolean commits(AtomicFiles.Prepared p, CountDownLatch go) throws Exception {
    go.await();
    try (p) {
      p.commit();
      return true;
    } catch (AtomicFiles.ReplacedException e) {
      return false;
    }
  }

  @Test
  void aLockHeldByAnotherProcessIsWaitedFor() throws Exception {
    Path m = Files.writeString(dir.resolve("m.npz"), "v1");
    AtomicFiles.Version v = AtomicFiles.Version.of(m);
    // (a lock of this JVM on another channel stands for another process's)
    FileChannel other = FileChannel.open(m, StandardOpenOption.WRITE);
    FileLock held = other.lock();
    Thread release =
        new Thread(
            () -> {
              try {
                Thread.sleep(200);
                held.release();
                other.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    long t0 = System.nanoTime();
    release.start();
    try (AtomicFiles.Prepared p = prepare(m, "v1+a", v)) {
      p.commit();
    }
    release.join();
    assertTrue(System.nanoTime() - t0 >= 150_000_000L, "did not wait for the lock");
    assertEquals("v1+a", Files.readString(m));
  }

  /**
   * A lock another process holds past the wait fails the commit, naming the file and the wait;
   * nothing is replaced and no temporary file stays (the 10 s wait, shortened here).
   */
  @Test
  void aLockHeldPastTheWaitFailsTheCommitAndChangesNothing() throws Exception {
    Path m = Files.writeString(dir.resolve("m.npz"), "v1");
    AtomicFiles.Version v = AtomicFiles.Version.of(m);
    long wait = AtomicFiles.Prepared.lockWaitMillis;
    AtomicFiles.Prepared.lockWaitMillis = 300;
    try (FileChannel other = FileChannel.open(m, StandardOpenOption.WRITE);
        FileLock held = other.lock()) {
      java.nio.file.FileSystemException e;
      long t0 = System.nanoTime();
      try (AtomicFiles.Prepared p = prepare(m, "v1+a", v)) {
        e = assertThrows(java.nio.file.FileSystemException.class, p::commit);
      }
      assertTrue(System.nanoTime() - t0 >= 250_000_000L, "did not wait for the lock");
      assertEquals(m.toString(), e.getFile());
      assertEquals(
          "another process has held a lock on it for more than 300 ms; it is not replaced",
          e.getReason());
      assertTrue(held.isValid());
    } finally {
      AtomicFiles.Prepared.lockWaitMillis = wait;
    }
    assertEquals("v1", Files.readString(m));
    assertEquals(List.of("m.npz"), names());
  }
}
