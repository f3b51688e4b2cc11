package io.engram.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Atomic file replacement: content goes to a temporary file in the target's folder, is forced to
 * disk, and is then renamed over the target. A failure at any point (an exception, a full disk, a
 * killed process) leaves the old file, if any, exactly as it was and removes the temporary file
 * where it can.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Writes content to a stream. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Atomically replaces {@code target} with what {@code writer} writes.
   *
   * @throws IOException if writing or renaming fails; the target is then unchanged
   */
  public static void write(Path target, Writer writer) throws IOException {
    writeAll(Map.of(target, writer));
  }

  /**
   * Writes several files: every content goes to its temporary file first, and only when all have
   * been written are they renamed over their targets. If any content fails, no target changes.
   *
   * @param files targets and their writers, in order
   */
  public static void writeAll(Map<Path, Writer> files) throws IOException {
    Map<Path, Path> temps = new LinkedHashMap<>();
    boolean done = false;
    try {
      for (Map.Entry<Path, Writer> e : files.entrySet()) {
        Path abs = e.getKey().toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
          throw new NoSuchFileException(
              dir.toString(), null, "folder does not exist (writing " + e.getKey() + ")");
        }
        if (Files.isDirectory(abs)) {
          throw new IOException(e.getKey() + " is a folder, expected a file path");
        }
        if (temps.containsKey(abs)) {
          throw new IOException(e.getKey() + " is given twice as an output");
        }
        Path tmp = createTemp(dir, abs);
        temps.put(abs, tmp);
        try (FileChannel ch =
                FileChannel.open(
                    tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
          e.getValue().writeTo(out);
          out.flush();
          ch.force(true);
        }
      }
      for (Map.Entry<Path, Path> e : temps.entrySet()) {
        try {
          Files.move(
              e.getValue(),
              e.getKey(),
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
          Files.move(e.getValue(), e.getKey(), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      done = true;
    } finally {
      if (!done) {
        for (Path tmp : temps.values()) {
          Files.deleteIfExists(tmp);
        }
      }
    }
  }

  /**
   * A new empty file beside the target. Unlike {@code Files.createTempFile} (always 0600) it gets
   * the permissions a plain new file gets (the umask), or the target's when it exists, so that
   * replacing a file does not change who may read it.
   */
  private static Path createTemp(Path dir, Path target) throws IOException {
    Path base = dir != null ? dir : target.getFileSystem().getPath("");
    for (int attempt = 0; ; attempt++) {
      String name =
          "." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp";
      Path tmp = base.resolve(name);
      try {
        Files.createFile(tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt < 16) {
          continue;
        }
        throw e;
      } catch (IOException e) {
        String why =
            e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                ? f.getReason()
                : e.getClass().getSimpleName();
        throw new java.nio.file.FileSystemException(
            target.toString(),
            null,
            "cannot write a file in " + base.toAbsolutePath() + " (" + why + ")");
      }
      if (Files.exists(target)) {
        try {
          Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException | IOException e) {
          // not a POSIX file system, or not ours to change: keep the default permissions
        }
      }
      return tmp;
    }
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
}
