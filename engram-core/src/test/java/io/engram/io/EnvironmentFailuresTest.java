package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicFiles} when the environment fails under it (the environment sweep of 2026-12-03): a
 * disk that fills up mid-write, an output folder removed or renamed by another process while a
 * command writes into it, names and paths at the system's limits (NAME_MAX, PATH_MAX). Each leaves
 * the old files as they were and no temporary file behind.
 */
class EnvironmentFailuresTest {

  @TempDir Path dir;

  private static List<String> entries(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * A full disk mid-write, as the file system reports it (ENOSPC from a write of the temporary
   * file): the failure names the target with the system's words, the old file is intact and the
   * temporary file removed. (The real thing, a small tmpfs, is in engram-cli's EnvironmentSweepTest
   * where the test may mount one.)
   */
  @Test
  void aDiskThatFillsUpMidWriteChangesNothing() throws IOException {
    Path target = Files.writeString(dir.resolve("m.npz"), "old model");
    byte[] chunk = new byte[1 << 16];
    AtomicFiles.WriteException e =
        assertThrows(
            AtomicFiles.WriteException.class,
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      for (int i = 0; i < 8; i++) {
                        out.write(chunk);
                      }
                      throw new IOException("No space left on device");
                    }));
    assertEquals(target.toString(), e.getFile());
    assertEquals("No space left on device", e.getReason());
    assertEquals("old model", Files.readString(target));
    assertEquals(List.of("m.npz"), entries(dir));
  }

  /**
   * The output folder renamed away while the content is written (another process's {@code mv}): the
   * commit names the folder, and the temporary file goes with the folder and is removed there. It
   * was "could not replace OUT (NoSuchFileException: DIR/.NAME.engram-...tmp -> DIR/NAME)", and the
   * renamed folder kept the temporary file (67 MB for a dense model of N = 4096).
   */
  @Test
  void aFolderRenamedDuringTheWriteIsNamedAndKeepsNoTemporaryFile() throws IOException {
    Path out = Files.createDirectory(dir.resolve("out"));
    Path moved = dir.resolve("moved");
    Files.writeString(out.resolve("old.txt"), "kept");
    Path target = out.resolve("m.npz");
    Path real = out.toRealPath();
    AtomicFiles.CommitException e =
        assertThrows(
            AtomicFiles.CommitException.class,
            () ->
                AtomicFiles.write(
                    target,
                    o -> {
                      o.write("new".getBytes(StandardCharsets.UTF_8));
                      Files.move(out, moved);
                    }));
    assertEquals(
        "could not replace "
            + target
            + " (its folder "
            + real
            + " was removed or renamed while the command ran); no file was changed",
        e.getMessage());
    assertEquals(List.of("old.txt"), entries(moved), "no temporary file in the renamed folder");
    assertEquals("kept", Files.readString(moved.resolve("old.txt")));
    assertFalse(Files.exists(out));
  }

  /**
   * A folder replaced by another of the same name (renamed away, a new one made): nothing is
   * written into either, the new one is not taken for the old, and neither keeps a temporary file.
   */
  @Test
  void aFolderReplacedDuringTheWriteIsNamed() throws IOException {
    Path out = Files.createDirectory(dir.resolve("out"));
    Path moved = dir.resolve("moved");
    Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
    files.put(out.resolve("a.npy"), o -> o.write(1));
    files.put(
        out.resolve("b.npy"),
        o -> {
          o.write(2);
          Files.move(out, moved);
          Files.createDirectory(out);
        });
    AtomicFiles.CommitException e =
        assertThrows(AtomicFiles.CommitException.class, () -> AtomicFiles.writeAll(files));
    assertTrue(e.getMessage().contains("was replaced by another folder"), e.getMessage());
    assertEquals(List.of(), entries(out));
    assertEquals(List.of(), entries(moved));
  }

  /** A folder of {@code length} bytes' absolute path under {@link #dir}, made level by level. */
  private Path folderOfLength(int length) throws IOException {
    Path p = dir.toRealPath();
    int left = length - p.toString().length();
    assumeTrue(left > 2, "the temporary folder's path is short enough");
    while (left > 0) {
      int seg = Math.min(200, left - 1);
      if (left - 1 - seg == 1) {
        seg--; // (one byte left would be a '/' without a name)
      }
      p = Files.createDirectory(p.resolve("d".repeat(seg)));
      left -= seg + 1;
    }
    assertEquals(length, p.toString().length());
    return p;
  }

  /**
   * A target whose full path is exactly PATH_MAX (4095 bytes) is written: its temporary name, which
   * was longer than the target's, is cut to fit ("cannot write a file in DIR (File name too long)"
   * for paths up to some 60 bytes short of the limit). One byte more is refused naming the limit,
   * where the system's words were "File name too long" of a name of 45 bytes.
   */
  @Test
  void aPathOfExactlyPathMaxIsWrittenAndOneByteMoreIsNamed() throws IOException {
    // (a name of at least 36 bytes: the temporary name's own part, ".engram-PID-RANDOM.tmp", is
    // up to 35 bytes, and with a shorter name it does not fit beside a path of PATH_MAX)
    String name = "m".repeat(44) + ".npz";
    Path folder = folderOfLength(AtomicFiles.PATH_MAX - 1 - name.length());
    Path target = folder.resolve(name);
    assertEquals(AtomicFiles.PATH_MAX, target.toString().length());
    AtomicFiles.write(target, o -> o.write(7));
    assertEquals(1, Files.size(target));
    assertEquals(List.of(name), entries(folder));
    AtomicFiles.write(target, o -> o.write(new byte[] {1, 2})); // replacing it too
    assertEquals(2, Files.size(target));
    assertEquals(List.of(name), entries(folder));
    FileSystemException e =
        assertThrows(
            FileSystemException.class,
            () -> AtomicFiles.write(folder.resolve("x" + name), o -> o.write(7)));
    assertEquals(
        "the full path is 4096 bytes long, more than the system allows (4095 bytes, PATH_MAX);"
            + " write into a folder with a shorter path",
        e.getReason());
    assertEquals(List.of(name), entries(folder));
  }

  /** A name of exactly NAME_MAX (255 bytes, here UTF-8 of 2 bytes a letter) works; 256 is named. */
  @Test
  void aNameOfExactlyNameMaxIsWrittenAndOneByteMoreIsNamed() throws IOException {
    String name = "ü".repeat(125) + "a.npz"; // 250 + 5 bytes
    assertEquals(255, AtomicFiles.bytes(name));
    Path target = dir.resolve(name);
    AtomicFiles.write(target, o -> o.write(7));
    AtomicFiles.write(target, o -> o.write(8));
    assertEquals(List.of(name), entries(dir));
    FileSystemException e =
        assertThrows(
            FileSystemException.class,
            () -> AtomicFiles.write(dir.resolve("b" + name), o -> o.write(7)));
    assertEquals(
        "the name is 256 bytes long, more than the system allows (255 bytes); give a shorter name",
        e.getReason());
    assertEquals(List.of(name), entries(dir));
  }
}
