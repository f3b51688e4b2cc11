package io.engram.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The temporary files of {@link AtomicFiles}: their names ({@code .NAME.engram-PID-RANDOM.tmp}),
 * their creation beside the target with the target's permissions, the set of this process's live
 * ones (removed by a shutdown hook), and the removal of stale ones left by processes that died.
 * Thread-safe.
 */
final class TempFiles {

  private TempFiles() {}

  /** Records a temporary file of this process (removed at shutdown unless renamed or removed). */
  static void live(Path p) {
    LIVE.add(p);
  }

  /** Forgets a temporary file that was renamed over its target (or removed). */
  static void done(Path p) {
    LIVE.remove(p);
  }

  /** Removes a temporary file (best effort) and forgets it. */
  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // left for the next write into this folder to remove (see removeStale)
    }
    LIVE.remove(p);
  }

  /** The longest part of the target's name kept in a temporary name, in characters. */
  private static final int NAME_PART = 24;

  private static final Pattern TEMP =
      Pattern.compile("\\..*\\.engram-([0-9]{1,19})-[0-9a-z]+\\.tmp");

  /**
   * A temporary name in {@code dir}: {@code .NAME.engram-PID-RANDOM.tmp}, under 160 bytes. The
   * random part needs no secret: the file is created only if no file or link of that name exists
   * ({@link #createTemp}), so a name someone guessed and took costs a retry, never a write through
   * their file. (A {@code SecureRandom} set up the JDK's security providers first: 20-50 ms of
   * every command that writes, in a fresh JVM.)
   */
  static Path tempName(Path dir, String targetName) {
    String part = targetName;
    if (part.codePointCount(0, part.length()) > NAME_PART) {
      part = part.substring(0, part.offsetByCodePoints(0, NAME_PART));
    }
    String tail =
        ".engram-"
            + ProcessHandle.current().pid()
            + "-"
            + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
            + ".tmp";
    // The full path within the system's limit where the target's is: a target whose path was a
    // few bytes short of PATH_MAX could not be written ("cannot write a file in DIR (File name too
    // long)"), its temporary name being longer than its own. The name's part goes first, down to
    // none ("..engram-PID-RANDOM.tmp", which removeStale still knows).
    int room =
        AtomicFiles.PATH_MAX
            - AtomicFiles.bytes(dir.toAbsolutePath().toString())
            - 1
            - AtomicFiles.bytes("." + tail);
    while (!part.isEmpty() && AtomicFiles.bytes(part) > room) {
      part =
          part.substring(0, part.offsetByCodePoints(0, part.codePointCount(0, part.length()) - 1));
    }
    return dir.resolve("." + part + tail);
  }

  /** Whether a file name is one of these temporary files; returns its process id or -1. */
  static long tempOwner(String fileName) {
    Matcher m = TEMP.matcher(fileName);
    if (!m.matches()) {
      return -1;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Removes the temporary files in {@code dir} left by processes that are no longer running and not
   * modified for {@link AtomicFiles#STALE_AFTER_MILLIS} ms (best effort; never follows links, never
   * removes anything else).
   */
  static void removeStale(Path dir) {
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.engram-*.tmp")) {
      for (Path f : s) {
        long pid = tempOwner(f.getFileName().toString());
        if (pid < 0 || ProcessHandle.of(pid).isPresent()) {
          continue;
        }
        BasicFileAttributes a =
            Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        FileTime t = a.lastModifiedTime();
        if (a.isRegularFile() && now - t.toMillis() >= AtomicFiles.STALE_AFTER_MILLIS) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      // cleaning up is a courtesy: a folder we cannot list or a file we cannot remove stays
    }
  }

  /** Temporary files of this process not yet renamed or removed (for the shutdown hook). */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  /**
   * Folders made for outputs not yet written ({@link AtomicFiles#createFolder}): removed at
   * shutdown when empty (once their temporary files are gone).
   */
  private static final Set<Path> FOLDERS = ConcurrentHashMap.newKeySet();

  /**
   * Held while a temporary file is made and recorded, and while the shutdown hook takes its list: a
   * file made after that is refused ({@link #closing}), so that none outlives an interrupted
   * command (a folder of images went on getting new ones while the hook removed the old: hundreds
   * were left after SIGTERM).
   */
  static final Object LOCK = new Object();

  /** Set by the shutdown hook: no temporary file is made after it. */
  private static boolean closing;

  /**
   * Set by the shutdown hook first of all, before it waits for {@link #LOCK}: a commit that holds
   * the lock sees it and puts back what it replaced ({@link AtomicFiles.Prepared#commit}).
   */
  private static volatile boolean stopping;

  /** Whether the process has begun to shut down (a signal, an exit) and removes its temporaries. */
  static boolean stopping() {
    return stopping;
  }

  /**
   * Makes a folder for outputs and records it (removed at shutdown when still empty); none is made
   * once the shutdown has taken its list (a folder made after it stayed, empty).
   */
  static void createFolder(Path dir) throws IOException {
    synchronized (LOCK) {
      if (closing) {
        throw new FileSystemException(
            dir.toString(), null, "not made: the process is shutting down");
      }
      Files.createDirectory(dir);
      FOLDERS.add(dir);
    }
  }

  /** Forgets a folder made for outputs: its outputs are written. */
  static void folderDone(Path dir) {
    FOLDERS.remove(dir);
  }

  static {
    Thread hook =
        new Thread(
            () -> {
              Path[] files;
              Path[] folders;
              stopping = true;
              // (waits for a commit under way, which then puts back what it replaced)
              synchronized (LOCK) {
                closing = true;
                files = LIVE.toArray(new Path[0]);
                folders = FOLDERS.toArray(new Path[0]);
              }
              for (Path p : files) {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException | RuntimeException e) {
                  // shutting down: the next write into that folder removes it
                }
              }
              for (Path d : folders) {
                try {
                  Files.deleteIfExists(d); // only when empty
                } catch (IOException | RuntimeException e) {
                  // not empty (a file renamed into it meanwhile), or not ours to remove
                }
              }
            },
            "engram-remove-temporary-files");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: this class was first used after a signal (inspect --heatmap got
      // SIGTERM while it computed, then began its write). No hook would remove a file made now,
      // and the JVM halts once the other hooks end: one was left (.h.png.engram-PID-X.tmp, exit
      // 143). So none is made: the write fails as any write after the shutdown began.
      stopping = true;
      closing = true;
    } catch (SecurityException e) {
      // not allowed: stale files are removed by a later write
    }
  }

  /**
   * A new empty file beside the target. Unlike {@code Files.createTempFile} (always 0600) it gets
   * the permissions a plain new file gets (the umask), or the target's when it exists, so that
   * replacing a file does not change who may read it.
   */
  static Path createTemp(Path dir, AtomicFiles.Destination target) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path tmp = tempName(dir, target.file().getFileName().toString());
      try {
        synchronized (LOCK) {
          if (closing) {
            throw new FileSystemException(
                target.given().toString(), null, "not written: the process is shutting down");
          }
          Files.createFile(tmp);
          LIVE.add(tmp);
        }
      } catch (FileAlreadyExistsException e) {
        if (attempt < 16) {
          continue;
        }
        throw e;
      } catch (IOException e) {
        // (a NoSuchFileException has no reason: it was "cannot write a file in /proc
        // (NoSuchFileException)", a class name, for a folder of /proc, which makes no new files)
        String why =
            e instanceof AccessDeniedException
                ? "permission denied"
                : e instanceof NoSuchFileException
                    ? (Files.isDirectory(dir)
                        ? "No such file or directory: the system makes no new file in this"
                            + " folder, as in /proc"
                        : "No such file or directory: the folder no longer exists")
                    : e instanceof FileSystemException f && f.getReason() != null
                        ? f.getReason()
                        : e.getClass().getSimpleName();
        throw new AtomicFiles.FolderException(target.given(), dir, why, e);
      }
      if (target.exists()) {
        try {
          Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target.file()));
        } catch (UnsupportedOperationException | IOException e) {
          // not a POSIX file system, or not ours to change: keep the default permissions
        }
      }
      return tmp;
    }
  }
}
