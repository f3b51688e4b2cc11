package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link AtomicFiles} writes to: links are written through, folders and special files are
 * never replaced, several files are all or nothing, and its temporary files are bounded in length
 * and cleaned up.
 */
class AtomicFilesTest {

  @TempDir Path dir;

  private static AtomicFiles.Writer text(String s) {
    return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> hidden() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  @Test
  void aSymlinkIsWrittenThroughAndStaysALink() throws IOException {
    Path real = Files.writeString(dir.resolve("real.txt"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real.getFileName());
    Path linkToLink = Files.createSymbolicLink(dir.resolve("link2.txt"), link);
    AtomicFiles.write(linkToLink, text("new"));
    assertTrue(Files.isSymbolicLink(link));
    assertTrue(Files.isSymbolicLink(linkToLink));
    assertEquals("new", Files.readString(real));
    assertEquals(real.toRealPath(), AtomicFiles.destination(linkToLink).file());
    // a link whose file does not exist yet: the file is made where it points
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("made.txt"));
    assertEquals(AtomicFiles.Kind.ABSENT, AtomicFiles.destination(dangling).kind());
    AtomicFiles.write(dangling, text("made"));
    assertTrue(Files.isSymbolicLink(dangling));
    assertEquals("made", Files.readString(dir.resolve("made.txt")));
    // a folder reached through a link: the file is made in the real folder
    Files.createDirectory(dir.resolve("sub"));
    Path subLink = Files.createSymbolicLink(dir.resolve("here"), dir.resolve("sub"));
    AtomicFiles.write(subLink.resolve("x.txt"), text("x"));
    assertEquals("x", Files.readString(dir.resolve("sub/x.txt")));
    assertEquals(List.of(), hidden());
  }

  @Test
  void linkLoopsAndMissingFoldersAreErrors() throws IOException {
    Path a = dir.resolve("a");
    Files.createSymbolicLink(a, dir.resolve("b"));
    Files.createSymbolicLink(dir.resolve("b"), a);
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> AtomicFiles.write(a, text("x")));
    assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
    NoSuchFileException n =
        assertThrows(
            NoSuchFileException.class,
            () -> AtomicFiles.write(dir.resolve("nowhere/x.txt"), text("x")));
    assertTrue(n.getMessage().contains("folder does not exist"), n.getMessage());
    Path file = Files.writeString(dir.resolve("file"), "f");
    assertThrows(
        FileSystemException.class, () -> AtomicFiles.write(file.resolve("x.txt"), text("x")));
    assertEquals("f", Files.readString(file));
  }

  @Test
  void foldersAndSpecialFilesAreNeverReplaced() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("folder"));
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> AtomicFiles.write(folder, text("x")));
    assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
    assertTrue(Files.isDirectory(folder));
    assertEquals(AtomicFiles.Kind.FOLDER, AtomicFiles.destination(Path.of("/")).kind());

    Path devNull = Path.of("/dev/null");
    assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull), "a Unix /dev/null");
    assertEquals(AtomicFiles.Kind.DEVICE, AtomicFiles.destination(devNull).kind());
    // through a link, as /dev/stdout is one
    Path toNull = Files.createSymbolicLink(dir.resolve("null-link"), devNull);
    assertEquals(AtomicFiles.Kind.DEVICE, AtomicFiles.destination(toNull).kind());
    e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(toNull, text("x")));
    assertTrue(e.getMessage().contains("is a device"), e.getMessage());
    assertTrue(Files.isSymbolicLink(toNull));
    Files.delete(toNull); // (JUnit would warn about a link leaving its folder)

    Path fifo = dir.resolve("fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo works");
    assertEquals(AtomicFiles.Kind.SPECIAL, AtomicFiles.destination(fifo).kind());
    e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(fifo, text("x")));
    assertTrue(e.getMessage().contains("is a special file"), e.getMessage());
    assertEquals(
        0010000,
        ((Integer) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000);
    assertEquals(List.of(), hidden());
  }

  @Test
  void aLongNameWorksBecauseTemporaryNamesAreBounded() throws IOException {
    // 255 bytes is the longest name most file systems allow; the temporary name must fit too
    String name = "m".repeat(251) + ".npz";
    Path f = dir.resolve(name);
    AtomicFiles.write(f, text("long"));
    assertEquals("long", Files.readString(f));
    String multiByte = "\u00e9".repeat(120) + ".npz"; // 244 bytes in UTF-8
    AtomicFiles.write(dir.resolve(multiByte), text("accents"));
    assertEquals("accents", Files.readString(dir.resolve(multiByte)));
    Path t = TempFiles.tempName(dir, name);
    assertTrue(
        t.getFileName().toString().getBytes(StandardCharsets.UTF_8).length < 160, t.toString());
    assertEquals(ProcessHandle.current().pid(), TempFiles.tempOwner(t.getFileName().toString()));
    assertEquals(-1, TempFiles.tempOwner(".model.npz.x3k9.tmp"));
    assertEquals(-1, TempFiles.tempOwner("model.npz"));
    assertEquals(List.of(), hidden());
  }

  @Test
  void theSameFileTwiceIsAnErrorAndChangesNothing() throws IOException {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    Path hard = Files.createLink(dir.resolve("hard.txt"), a);
    Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
    files.put(a, text("1"));
    files.put(hard, text("2"));
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> AtomicFiles.writeAll(files));
    assertTrue(e.getMessage().contains("is the same file as " + a), e.getMessage());
    files.clear();
    files.put(dir.resolve("new.txt"), text("1"));
    files.put(dir.resolve("sub/../new.txt"), text("2"));
    Files.createDirectory(dir.resolve("sub"));
    e = assertThrows(FileSystemException.class, () -> AtomicFiles.writeAll(files));
    assertTrue(
        e.getMessage().contains("is the same file as " + dir.resolve("new.txt")), e.getMessage());
    assertEquals("a", Files.readString(a));
    assertFalse(Files.exists(dir.resolve("new.txt")));
    assertEquals(List.of(), hidden());
  }

  @Test
  void aFailedCommitPutsBackWhatItReplaced() throws IOException {
    Path a = Files.writeString(dir.resolve("a.txt"), "old a");
    Path fresh = dir.resolve("fresh.txt");
    Path b = Files.writeString(dir.resolve("b.txt"), "old b");
    Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
    files.put(a, text("new a"));
    files.put(fresh, text("new"));
    files.put(b, text("new b"));
    AtomicFiles.CommitException e;
    try (AtomicFiles.Prepared p = AtomicFiles.prepare(files)) {
      assertEquals(3, p.destinations().size());
      assertEquals("old a", Files.readString(a));
      // b turns into a folder that is not empty after preparing: its rename must fail
      Files.delete(b);
      Files.createDirectories(b.resolve("inside"));
      e = assertThrows(AtomicFiles.CommitException.class, p::commit);
    }
    assertTrue(e.getMessage().startsWith("could not replace " + b + " ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("no file was changed"), e.getMessage());
    assertEquals(b, e.failed());
    assertEquals(List.of(), e.replaced());
    assertEquals("old a", Files.readString(a));
    assertFalse(Files.exists(fresh));
    assertEquals(List.of(), hidden());
  }

  @Test
  void aFailingWriterChangesNothing() throws IOException {
    Path a = Files.writeString(dir.resolve("a.txt"), "old");
    Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
    files.put(a, text("new"));
    files.put(
        dir.resolve("b.txt"),
        out -> {
          throw new IOException("no space left (simulated)");
        });
    // (named by its target: it was the writer's message alone, of no file)
    AtomicFiles.WriteException e =
        assertThrows(AtomicFiles.WriteException.class, () -> AtomicFiles.writeAll(files));
    assertEquals(dir.resolve("b.txt").toString(), e.getFile());
    assertEquals("no space left (simulated)", e.getReason());
    assertEquals("old", Files.readString(a));
    assertEquals(List.of(), hidden());
    // a failure without a message is named by its kind, not "null"
    files.put(
        dir.resolve("b.txt"),
        out -> {
          throw new java.nio.channels.ClosedByInterruptException();
        });
    e = assertThrows(AtomicFiles.WriteException.class, () -> AtomicFiles.writeAll(files));
    assertEquals(
        "writing was interrupted (the thread was interrupted, and Java closed the file it was"
            + " writing); the file is as it was",
        e.getReason());
    files.put(
        dir.resolve("b.txt"),
        out -> {
          throw new java.nio.channels.AsynchronousCloseException();
        });
    e = assertThrows(AtomicFiles.WriteException.class, () -> AtomicFiles.writeAll(files));
    assertEquals("AsynchronousCloseException", e.getReason());
    // what the writer read was bad (a model streamed from its file): that, not a failed write
    files.put(
        dir.resolve("b.txt"),
        out -> {
          throw new EngramFormatException("m.npz: member 'W.npy' is corrupt (simulated)");
        });
    EngramFormatException bad =
        assertThrows(EngramFormatException.class, () -> AtomicFiles.writeAll(files));
    assertEquals("m.npz: member 'W.npy' is corrupt (simulated)", bad.getMessage());
    assertEquals("old", Files.readString(a));
    assertEquals(List.of(), hidden());
  }

  @Test
  void staleTemporaryFilesOfGoneProcessesAreRemovedOnTheNextWrite() throws Exception {
    Process gone = new ProcessBuilder(javaBinary(), "-version").start();
    assertTrue(gone.waitFor(60, TimeUnit.SECONDS));
    long deadPid = gone.pid();
    assumeTrue(ProcessHandle.of(deadPid).isEmpty(), "the finished process's id is free");
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 2 * 60_000);
    Path stale = Files.write(dir.resolve(".model.npz.engram-" + deadPid + "-abc.tmp"), new byte[9]);
    Files.setLastModifiedTime(stale, old);
    Path recent =
        Files.write(dir.resolve(".model.npz.engram-" + deadPid + "-def.tmp"), new byte[9]);
    Path ours =
        Files.write(
            dir.resolve(".model.npz.engram-" + ProcessHandle.current().pid() + "-ghi.tmp"),
            new byte[9]);
    Files.setLastModifiedTime(ours, old);
    Path foreign = Files.write(dir.resolve(".model.npz.x3k9.tmp"), new byte[9]);
    Files.setLastModifiedTime(foreign, old);
    Path staleLink =
        Files.createSymbolicLink(dir.resolve(".x.engram-" + deadPid + "-jk.tmp"), stale);

    AtomicFiles.write(dir.resolve("other.txt"), text("x"));
    assertFalse(Files.exists(stale), "a stale temporary file is removed");
    assertTrue(Files.exists(recent), "one modified within the last minute stays");
    assertTrue(Files.exists(ours), "one of a running process stays");
    assertTrue(Files.exists(foreign), "a file of another naming stays");
    assertTrue(Files.isSymbolicLink(staleLink), "a link is never removed");
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void writesWithoutTargetsAreAllowed() throws IOException {
    AtomicFiles.writeAll(Map.of());
    byte[] b = {1, 2, 3};
    AtomicFiles.write(dir.resolve("b.bin"), out -> out.write(b));
    assertArrayEquals(b, Files.readAllBytes(dir.resolve("b.bin")));
  }

  /**
   * A file its user may not write is not replaced, although its folder would allow the rename (the
   * temporary file took the target's read-only permissions and failed, naming itself). Root may
   * write any file: there the case cannot arise, and the test does not run.
   */
  @Test
  void aReadOnlyFileIsNotReplaced() throws IOException {
    Path f = Files.writeString(dir.resolve("kept.txt"), "old");
    assumeTrue(f.toFile().setWritable(false, false) && !Files.isWritable(f), "a read-only file");
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> AtomicFiles.write(f, out -> out.write('x')));
    assertEquals(f + ": " + AtomicFiles.READ_ONLY, e.getMessage());
    assertEquals("old", Files.readString(f));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList());
    }
  }

  /**
   * A descriptor link to a regular file other than this process's standard output or error (which
   * the JVM itself may have opened: {@code recall --out /dev/fd/3} replaced the JDK's {@code
   * lib/modules} in a JVM started from a shell), and any other link of /proc to a file ({@code
   * /proc/self/exe}: the java binary), is an error that names the file; the file stays as it was.
   * Here the descriptor is one this test opens on a file of its own, so a regression replaces only
   * that file.
   */
  @Test
  void aDescriptorOfThisProcessOnAFileIsNotReplaced() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds), "a Linux /proc");
    Path precious = dir.resolve("precious.bin");
    Files.writeString(precious, "keep me");
    try (java.nio.channels.FileChannel open = java.nio.channels.FileChannel.open(precious)) {
      String fd = null;
      try (Stream<Path> links = Files.list(fds)) {
        for (Path l : (Iterable<Path>) links::iterator) {
          try {
            if (Files.readSymbolicLink(l).equals(precious.toRealPath())) {
              fd = l.getFileName().toString();
            }
          } catch (IOException e) {
            // a descriptor closed while listed
          }
        }
      }
      assumeTrue(fd != null && open.isOpen(), "the open file's descriptor is listed");
      Path viaLink = Files.createSymbolicLink(dir.resolve("to-fd"), fds.resolve(fd));
      for (Path target : List.of(fds.resolve(fd), Path.of("/dev/fd", fd), viaLink)) {
        FileSystemException e =
            assertThrows(FileSystemException.class, () -> AtomicFiles.destination(target));
        assertEquals(
            target
                + ": is file descriptor "
                + fd
                + " of this process, open on the file "
                + precious.toRealPath()
                + "; it is not replaced (write to a file by its name, to standard output, or to a"
                + " pipe)",
            e.getMessage());
        assertThrows(FileSystemException.class, () -> AtomicFiles.write(target, text("lost")));
        assertEquals("keep me", Files.readString(precious));
      }
      Files.delete(viaLink);
    }
    FileSystemException e =
        assertThrows(
            FileSystemException.class, () -> AtomicFiles.destination(Path.of("/proc/self/exe")));
    assertTrue(
        e.getMessage().contains("is a link of /proc to a file a process has open or runs ("));
    // this process's standard output and error, whatever they open, are written through them
    for (String name : List.of("/dev/stdout", "/proc/self/fd/1", "/dev/fd/2", "/dev/stderr")) {
      AtomicFiles.Destination d = AtomicFiles.destination(Path.of(name));
      assertEquals(AtomicFiles.Kind.STANDARD, d.kind(), name);
      assertEquals(
          name.endsWith("2") || name.endsWith("err") ? 2 : 1,
          AtomicFiles.standardDescriptor(d),
          name);
      assertFalse(d.isReplaceable(), name);
    }
    assertEquals(-1, AtomicFiles.standardDescriptor(AtomicFiles.destination(precious)));
    // a process's folder links are folders, as their real paths are
    assertEquals(
        AtomicFiles.Kind.FOLDER, AtomicFiles.destination(Path.of("/proc/self/cwd")).kind());
    assertEquals(
        AtomicFiles.Kind.ABSENT,
        AtomicFiles.destination(Path.of("/proc/self/cwd").resolve(dir.resolve("new.npy"))).kind());
  }
}
