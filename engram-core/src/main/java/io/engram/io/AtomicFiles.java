package io.engram.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Atomic file replacement: content goes to a temporary file in the target's folder, is forced to
 * disk, and is then renamed over the target. A failure at any point (an exception, a full disk, a
 * killed process) leaves the old file, if any, exactly as it was.
 *
 * <p>What a target path names is decided once, by {@link #destination}: a symbolic link is followed
 * (the file it points to is replaced, the link stays); a folder or a special file (device, FIFO,
 * socket) is never replaced: writing to one is an error.
 *
 * <p>Several files are written all or nothing: every content goes to its temporary file first
 * ({@link #prepare}); only then are they renamed over their targets ({@link Prepared#commit}). If a
 * rename fails, the targets already replaced are put back from hard links made just before (where
 * the file system has them), and the exception says which files, if any, stayed replaced.
 *
 * <p>Temporary files are named {@code .NAME.engram-PID-RANDOM.tmp} (NAME: the start of the target's
 * name, so that a temporary file is never much longer than a short name and a target name of any
 * valid length works). They are removed when a write fails, and by a shutdown hook when the process
 * is interrupted or terminated; after a {@code kill -9} or a crash, the next write into the same
 * folder removes those whose process is no longer running and which have not been modified for
 * {@link #STALE_AFTER_MILLIS} ms.
 *
 * <p>A command that replaces a file it read (a model trained further into itself) gives the {@link
 * Version} it read to {@link #prepare}: the commit replaces that target only while its path still
 * leads to that very file, unchanged, and otherwise fails with {@link ReplacedException} and
 * changes nothing, leaving the other process's file in place. Two such commands of two processes
 * (both read version 1, each writes its own version 2) lost one's work to the other's rename.
 *
 * <p>Thread-safe: concurrent writes of different targets do not interfere.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** A temporary file of a process that is gone is removed once it is this old (unmodified). */
  public static final long STALE_AFTER_MILLIS = 60_000;

  /** Writes content to a stream. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** What a path names, for writing. */
  public enum Kind {
    /** Nothing yet: a new file will be made. */
    ABSENT,
    /** A regular file. */
    FILE,
    /** A folder. */
    FOLDER,
    /** A character device, such as {@code /dev/null} or a terminal. */
    DEVICE,
    /**
     * An anonymous pipe or socket reached through a process's file descriptor link ({@code
     * /dev/stdout}, {@code /dev/fd/N}, a shell's {@code >(...)}).
     */
    STREAM,
    /** A named pipe (FIFO), a socket file, a block device or anything else. */
    SPECIAL,
    /**
     * This process's standard output or error ({@code /dev/stdout}, {@code /dev/fd/1}, {@code
     * /dev/stderr}), whatever it opens: to be written through the descriptor itself ({@code
     * FileDescriptor.out} or {@code err}), never by opening the path again, which opens the file
     * anew for writing whatever the descriptor allows (a file given read-only as {@code 1<f} was
     * overwritten) and, where the caller closed the descriptor ({@code >&-}), opens what the JVM
     * itself holds at that number (its {@code lib/modules}). See {@link #standardDescriptor}.
     */
    STANDARD
  }

  /**
   * Where writing to a path lands.
   *
   * @param given the path as given
   * @param file the file itself: every symbolic link followed, the folders resolved to their real
   *     paths (for {@link Kind#STREAM}, the descriptor link)
   * @param kind what {@code file} is
   */
  public record Destination(Path given, Path file, Kind kind) {

    /** Whether an atomic replacement (or a new file) can be written here. */
    public boolean isReplaceable() {
      return kind == Kind.ABSENT || kind == Kind.FILE;
    }

    /** Whether {@code file} exists. */
    public boolean exists() {
      return kind != Kind.ABSENT;
    }
  }

  /** The most symbolic links followed for one path (as Linux's limit). */
  private static final int MAX_LINKS = 40;

  /**
   * Finds what writing to {@code target} would write to: follows symbolic links (also links whose
   * file does not exist yet) and says what the file is.
   *
   * @throws NoSuchFileException if the folder it would be in does not exist
   * @throws FileSystemException if a part of the path is not a folder, or links loop
   */
  public static Destination destination(Path target) throws IOException {
    Objects.requireNonNull(target, "target");
    Path p = target.toAbsolutePath();
    for (int links = 0; ; links++) {
      if (links > MAX_LINKS) {
        throw new FileSystemException(target.toString(), null, "too many levels of symbolic links");
      }
      Path parent = p.getParent();
      Path name = p.getFileName();
      if (parent == null || name == null) {
        return new Destination(target, p, Kind.FOLDER);
      }
      Path realParent;
      try {
        realParent = parent.toRealPath();
      } catch (NoSuchFileException e) {
        // name the folder: through a link it is not the one the target's spelling shows
        throw new NoSuchFileException(
            parent.toString(),
            null,
            "folder does not exist: "
                + parent
                + (links > 0 ? " (where the symbolic link " + target + " leads)" : ""));
      }
      if (!Files.isDirectory(realParent)) {
        throw new FileSystemException(target.toString(), null, parent + " is not a folder");
      }
      Path file = realParent.resolve(name);
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return new Destination(target, file, Kind.ABSENT);
      } catch (FileSystemException e) {
        throw tooLong(target, file, e);
      }
      if (a.isSymbolicLink()) {
        if (realParent.startsWith(PROC)) {
          // a link of /proc opens what a process has open; its text is no name to write to
          return isDescriptorFolder(realParent)
              ? descriptor(target, file, realParent)
              : processLink(target, file);
        }
        p = realParent.resolve(Files.readSymbolicLink(file));
        continue;
      }
      if (a.isDirectory()) {
        return new Destination(target, file, Kind.FOLDER);
      }
      if (a.isRegularFile()) {
        return new Destination(target, file, Kind.FILE);
      }
      return new Destination(target, file, special(file, false));
    }
  }

  /** The longest file name Linux file systems take, in bytes (NAME_MAX). */
  static final int NAME_MAX = 255;

  /** The longest path the system takes in one call, in bytes, without its final NUL (PATH_MAX). */
  static final int PATH_MAX = 4095;

  /**
   * "File name too long" said which limit: a name of more than {@link #NAME_MAX} bytes, or (the
   * paths are made absolute) a full path of more than {@link #PATH_MAX}; a short relative name in a
   * deep folder was "NAME: File name too long". Any other failure as it was.
   */
  private static FileSystemException tooLong(Path target, Path file, FileSystemException e) {
    if (!"File name too long".equals(e.getReason())) {
      return e;
    }
    int name = bytes(file.getFileName().toString());
    String why =
        name > NAME_MAX
            ? "the name is "
                + name
                + " bytes long, more than the system allows ("
                + NAME_MAX
                + " bytes); give a shorter name"
            : "the full path is "
                + bytes(file.toString())
                + " bytes long, more than the system allows ("
                + PATH_MAX
                + " bytes, PATH_MAX); write into a folder with a shorter path";
    FileSystemException t = new FileSystemException(target.toString(), null, why);
    t.initCause(e);
    return t;
  }

  /** The length of a name in bytes, as the system counts it (UTF-8). */
  static int bytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The process file system, whose links are followed by what they open ({@link #descriptor}). */
  private static final Path PROC = Path.of("/proc");

  /** Whether a folder holds a process's file descriptor links ({@code /proc/PID/fd}). */
  private static boolean isDescriptorFolder(Path realFolder) {
    return realFolder.startsWith(PROC)
        && realFolder.getFileName() != null
        && realFolder.getFileName().toString().equals("fd");
  }

  /**
   * A descriptor link ({@code /dev/stdout}, {@code /dev/fd/N}, {@code /proc/PID/fd/N}): its text is
   * not always a path ({@code pipe:[123]}), so it is classified by what it opens. This process's
   * standard output and error are {@link Kind#STANDARD}, written through the descriptor. Another
   * descriptor on a pipe, socket or device is written directly. On a regular file it is an error
   * naming the file: it may be one the JVM opened for itself (its {@code lib/modules}, the
   * application's jar: {@code /dev/fd/3} and {@code /dev/fd/4} in a JVM started from a shell), or
   * another process's file, and replacing that destroyed the Java installation ({@code recall --out
   * /dev/fd/3}, found by the hostile-input sweep of 2026-12-01).
   */
  private static Destination descriptor(Path target, Path link, Path realFolder)
      throws IOException {
    String fd = link.getFileName().toString();
    boolean own = isOwnProcess(realFolder);
    if (own && (fd.equals("1") || fd.equals("2"))) {
      return new Destination(target, link, Kind.STANDARD);
    }
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(link, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(target.toString(), null, "names a closed file descriptor");
    }
    if (!a.isRegularFile() && !a.isDirectory()) {
      return new Destination(target, link, special(link, true));
    }
    Path real = link.toRealPath();
    if (a.isDirectory()) {
      return new Destination(target, real, Kind.FOLDER);
    }
    throw new FileSystemException(
        target.toString(),
        null,
        "is file descriptor "
            + fd
            + " of "
            + (own ? "this process" : "another process")
            + ", open on the file "
            + real
            + "; it is not replaced (write to a file by its name, to standard output, or to a"
            + " pipe)");
  }

  /**
   * Any other link of /proc ({@code /proc/self/exe}, {@code /proc/PID/map_files/...}, {@code
   * /proc/PID/cwd}): a process's program, mapped library or folder, never an output to replace.
   */
  private static Destination processLink(Path target, Path link) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(link, BasicFileAttributes.class);
    } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
      throw new FileSystemException(
          target.toString(), null, "is a link of /proc that this process cannot follow");
    }
    if (a.isDirectory()) {
      return new Destination(target, link.toRealPath(), Kind.FOLDER);
    }
    if (a.isRegularFile()) {
      throw new FileSystemException(
          target.toString(),
          null,
          "is a link of /proc to a file a process has open or runs ("
              + link.toRealPath()
              + "); it is not replaced (write to a file by its name)");
    }
    return new Destination(target, link, special(link, false));
  }

  /**
   * The descriptor a {@link Kind#STANDARD} destination writes to: 1 (standard output) or 2
   * (standard error); -1 for any other destination.
   */
  public static int standardDescriptor(Destination d) {
    if (d.kind() != Kind.STANDARD) {
      return -1;
    }
    return d.file().getFileName().toString().equals("2") ? 2 : 1;
  }

  /** Whether {@code /proc/PID/...fd} is this process's ({@code /proc/self}, or a task of it). */
  private static boolean isOwnProcess(Path realFolder) {
    try {
      Path self = PROC.resolve("self").toRealPath();
      return realFolder.getNameCount() >= 2 && realFolder.getName(1).equals(self.getFileName());
    } catch (IOException e) {
      return false;
    }
  }

  private static Kind special(Path file, boolean descriptor) {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(file, "unix:mode");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Kind.SPECIAL;
    }
    int type = mode & 0170000;
    if (type == 0020000) {
      return Kind.DEVICE;
    }
    if (descriptor && (type == 0010000 || type == 0140000)) {
      return Kind.STREAM;
    }
    return Kind.SPECIAL;
  }

  /**
   * Makes a folder for outputs to be written into ({@link #prepare} of files in it), which the
   * shutdown that removes an interrupted command's temporary files removes too while it is still
   * empty: an interrupted command leaves neither (call {@link #folderWritten} once its outputs are
   * committed, or remove it when they fail).
   *
   * @throws IOException as {@link Files#createDirectory}
   */
  public static void createFolder(Path dir) throws IOException {
    TempFiles.createFolder(dir);
  }

  /** A folder of {@link #createFolder} whose outputs are written: it stays. */
  public static void folderWritten(Path dir) {
    Objects.requireNonNull(dir, "dir");
    TempFiles.folderDone(dir);
  }

  /**
   * Whether this process has begun to shut down (a signal such as SIGINT or SIGTERM, or an exit
   * from another thread): its temporary files are being removed, and a write or commit that fails
   * now fails for that reason (nothing is changed; no need to say so).
   */
  public static boolean shuttingDown() {
    return TempFiles.stopping();
  }

  /** Why a target its user may not write is not replaced (after its path and ": "). */
  public static final String READ_ONLY = "is read-only for this user; it is not replaced";

  /**
   * Why this process may not write an existing file (after its path and ": "), or null when it may:
   * {@link #READ_ONLY} for the file's permissions; a read-only file system, naming the folder and
   * where the file system is mounted; an immutable file ({@code chattr +i}), which root may not
   * write either. (All three were {@link #READ_ONLY}, "for this user", which sent root looking at
   * permissions it does not need.)
   */
  public static String notWritable(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      file.getFileSystem().provider().checkAccess(file, AccessMode.WRITE);
      return null;
    } catch (AccessDeniedException e) {
      return READ_ONLY;
    } catch (FileSystemException e) {
      String why = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
      if (why.equals("Read-only file system")) {
        Path dir = file.toAbsolutePath().getParent();
        return "its folder "
            + dir
            + " is on a read-only file system"
            + mountedAt(file)
            + NOT_REPLACED;
      }
      if (why.equals("Operation not permitted")) {
        return "the system refuses to write it (Operation not permitted: an immutable or"
            + " append-only file, see lsattr)"
            + NOT_REPLACED;
      }
      return "cannot be written (" + why + ")" + NOT_REPLACED;
    } catch (IOException e) {
      return "cannot be written (" + e + ")" + NOT_REPLACED;
    }
  }

  private static final String NOT_REPLACED = "; it is not replaced";

  /** " (mounted at /mnt/x)", or nothing where the mount point is unknown. */
  private static String mountedAt(Path file) {
    try {
      String store = Files.getFileStore(file).toString();
      // (Linux: "MOUNT_POINT (DEVICE)")
      int paren = store.lastIndexOf(" (");
      return " (mounted at " + (paren > 0 ? store.substring(0, paren) : store) + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Why a destination cannot be replaced, as an exception naming it; null when it can. */
  private static IOException notReplaceable(Destination d) {
    String what =
        switch (d.kind()) {
          case ABSENT -> null;
          // a file its user may not write is not replaced either (the folder may allow it)
          case FILE -> notWritable(d.file());
          case FOLDER -> "is a folder, expected a file path";
          case DEVICE -> "is a device, not a regular file; it is not replaced";
          case STREAM -> "is a pipe, not a regular file; it is not replaced";
          case STANDARD -> "is standard output or error, not a regular file; it is not replaced";
          case SPECIAL ->
              "is a special file (FIFO, socket or block device), not a regular file;"
                  + " it is not replaced";
        };
    return what == null ? null : new FileSystemException(d.given().toString(), null, what);
  }

  /**
   * Atomically replaces {@code target} (or the file a symbolic link there points to) with what
   * {@code writer} writes.
   *
   * @throws IOException if writing or renaming fails (the target is then unchanged), or if the
   *     target is a folder, a special file, or a file this user may not write
   */
  public static void write(Path target, Writer writer) throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(writer, "writer");
    writeAll(Map.of(target, writer));
  }

  /**
   * Writes several files, all or nothing: every content goes to its temporary file first, and only
   * when all have been written are they renamed over their targets.
   *
   * @param files targets and their writers, in order
   * @throws CommitException if a rename failed (it says which files, if any, stay replaced)
   * @throws IOException if writing failed (no target changed), or a target is a folder, a special
   *     file, a file this user may not write, or the same file as another
   */
  public static void writeAll(Map<Path, Writer> files) throws IOException {
    try (Prepared p = prepare(files)) {
      p.commit();
    }
  }

  /**
   * Writes every content to a temporary file beside its target (replacing nothing yet). The result
   * must be closed; closing it without {@link Prepared#commit} removes the temporary files.
   *
   * @throws IOException as {@link #writeAll}; temporary files already written are removed
   */
  public static Prepared prepare(Map<Path, Writer> files) throws IOException {
    return prepare(files, Map.of());
  }

  /**
   * {@link #prepare(Map)}, where some targets are files the caller read and now replaces: {@code
   * read} maps such a target (as given in {@code files}) to the {@link Version} read. The commit
   * then replaces it only while its path still leads to that version (see {@link Prepared#commit}).
   *
   * @throws IllegalArgumentException if {@code read} names a path that is not in {@code files}
   */
  public static Prepared prepare(Map<Path, Writer> files, Map<Path, Version> read)
      throws IOException {
    // before any temporary file is made
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(read, "read");
    for (Path t : read.keySet()) {
      if (!files.containsKey(t)) {
        throw new IllegalArgumentException(t + " was read but is not written");
      }
    }
    for (Map.Entry<Path, Writer> e : files.entrySet()) {
      Objects.requireNonNull(e.getKey(), "target");
      Objects.requireNonNull(e.getValue(), "writer");
    }
    Prepared p = new Prepared();
    boolean ok = false;
    try {
      Map<Object, Path> seen = new HashMap<>();
      for (Map.Entry<Path, Writer> e : files.entrySet()) {
        Destination d = destination(e.getKey());
        IOException bad = notReplaceable(d);
        if (bad != null) {
          throw bad;
        }
        // the same file under two names: the same resolved path, or (hard links) the same file key
        Path same = seen.putIfAbsent(d.file(), e.getKey());
        Object key = d.exists() ? fileKey(d.file()) : null;
        if (same == null && key != null) {
          same = seen.putIfAbsent(key, e.getKey());
        }
        if (same != null) {
          throw new FileSystemException(
              e.getKey().toString(), null, "is the same file as " + same + "; both are outputs");
        }
        Path dir = d.file().getParent();
        Folder folder = p.folders.get(dir);
        if (folder == null) {
          TempFiles.removeStale(dir);
          folder = Folder.open(dir);
          p.folders.put(dir, folder);
        }
        Path tmp = TempFiles.createTemp(dir, d);
        p.entries.add(new Entry(d, tmp, folder, read.get(e.getKey())));
        try (FileChannel ch =
                FileChannel.open(
                    tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
          e.getValue().writeTo(out);
          out.flush();
          ch.force(true);
        } catch (EngramFormatException ex) {
          // (what the writer read was bad, e.g. weights streamed from a model file: not a write)
          throw ex;
        } catch (IOException ex) {
          // (a full disk was "No space left on device", of no file)
          throw new WriteException(e.getKey(), ex);
        }
      }
      ok = true;
      return p;
    } finally {
      if (!ok) {
        p.close();
      }
    }
  }

  /** The file system's identity of an existing file (device and inode on Unix), or null. */
  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }

  private record Entry(Destination target, Path temp, Folder folder, Version read) {}

  /**
   * One version of a file, as a command read it: its identity (device and inode where the file
   * system has them), size and modification time. A file replaced by a rename (the way Engram and
   * most tools write) has another identity; one written over in place has another modification time
   * (to the nanosecond on Linux's local file systems) or size.
   *
   * @param key the file system's identity of the file, or null where it has none
   * @param size its size in bytes
   * @param modified its modification time
   */
  public record Version(Object key, long size, FileTime modified) {

    public Version {
      Objects.requireNonNull(modified, "modified");
    }

    /**
     * The version of the file at {@code file} now (links followed). Take it before reading the
     * file: a file replaced between the two is then found replaced at the commit, never missed.
     *
     * @throws IOException if the file cannot be read (it does not exist, say)
     */
    public static Version of(Path file) throws IOException {
      Objects.requireNonNull(file, "file");
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Version(a.fileKey(), a.size(), a.lastModifiedTime());
    }

    /**
     * Why the file at {@code file} is no longer this version ("was removed or renamed", "was
     * replaced", "was changed in place"), or null when it still is.
     */
    public String differs(Path file) {
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (IOException e) {
        return "was removed or renamed";
      }
      if (key != null && !key.equals(a.fileKey())) {
        return "was replaced";
      }
      if (a.size() != size || !a.lastModifiedTime().equals(modified)) {
        return "was changed in place";
      }
      return null;
    }
  }

  /**
   * A target that the command read ({@link #prepare(Map, Map)}) is no longer the file it read: it
   * was replaced, removed or changed by another process while the command ran. No target was
   * changed. {@link #getFile} is the target as given, {@link #getReason} what happened to it.
   */
  public static final class ReplacedException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    ReplacedException(Path target, String why) {
      super(target.toString(), null, why);
    }
  }

  /**
   * A folder that temporary files are written into, held open from the first one made in it until
   * they are renamed or removed (where the platform has {@link SecureDirectoryStream}, as Linux
   * does): a folder removed, renamed or replaced by another process while a command wrote into it
   * is noticed before the rename, and the temporary file is removed where the folder now is. (The
   * rename failed with "NoSuchFileException: DIR/.NAME.engram-...tmp -> DIR/NAME", and a folder
   * renamed away kept the temporary file, 67 MB for a dense model of N = 4096.) Without a handle
   * (too few file descriptors left, another platform) the folder is checked by its file key and the
   * temporary file removed by its path, as before.
   */
  private static final class Folder implements Closeable {
    private final Path path;
    private final Object key;
    private final SecureDirectoryStream<Path> handle;

    private Folder(Path path, Object key, SecureDirectoryStream<Path> handle) {
      this.path = path;
      this.key = key;
      this.handle = handle;
    }

    static Folder open(Path dir) {
      SecureDirectoryStream<Path> handle = null;
      Object key = null;
      try {
        if (!descriptorsToSpare()) {
          throw new IOException("few file descriptors left");
        }
        DirectoryStream<Path> s = Files.newDirectoryStream(dir);
        if (s instanceof SecureDirectoryStream<Path> sds) {
          handle = sds;
          key = sds.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
        } else {
          s.close();
        }
      } catch (IOException | RuntimeException e) {
        // (no descriptor to spare: the folder by its path)
      }
      if (key == null) {
        try {
          key = fileKey(dir);
        } catch (IOException | RuntimeException e) {
          // unknown: not checked
        }
      }
      return new Folder(dir, key, handle);
    }

    /**
     * Whether this process may open {@link #SPARE_DESCRIPTORS} more files besides a folder handle
     * (which takes two): under a low {@code ulimit -n} the handles took descriptors a command
     * needed later (a recall writing a folder of images, a grid, a plot and a report failed under
     * the 10 that every command works with). Read from /proc; true where it has no answer.
     */
    private static boolean descriptorsToSpare() {
      long limit = openFileLimit();
      if (limit < 0) {
        return true;
      }
      long open = 0;
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
        for (Path ignored : fds) {
          open++;
        }
      } catch (IOException | RuntimeException e) {
        return false;
      }
      return limit - open >= 2 + SPARE_DESCRIPTORS;
    }

    /** Descriptors left free for the rest of a command, besides a folder handle's two. */
    private static final int SPARE_DESCRIPTORS = 16;

    private static long openFileLimit;

    /** The soft limit on open files (/proc/self/limits), or -1 when unknown or unlimited. */
    private static synchronized long openFileLimit() {
      if (openFileLimit == 0) {
        openFileLimit = -1;
        try {
          for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
              String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
              if (soft.matches("[0-9]{1,18}")) {
                openFileLimit = Long.parseLong(soft);
              }
            }
          }
        } catch (IOException | RuntimeException e) {
          // unknown
        }
      }
      return openFileLimit;
    }

    /** Fails, naming the target, when the folder is no longer at its path. */
    void checkInPlace(Destination target) throws FileSystemException {
      if (key == null) {
        return;
      }
      Object now;
      try {
        now = fileKey(path);
      } catch (IOException e) {
        now = null;
      }
      if (!key.equals(now)) {
        throw new FileSystemException(
            target.given().toString(),
            null,
            "its folder "
                + path
                + (now == null ? " was removed or renamed" : " was replaced by another folder")
                + " while the command ran");
      }
    }

    /** Removes a file of this folder (best effort), wherever the folder now is, and forgets it. */
    void delete(Path file) {
      if (handle != null) {
        try {
          handle.deleteFile(file.getFileName());
          TempFiles.done(file);
          return;
        } catch (NoSuchFileException e) {
          TempFiles.done(file);
          return;
        } catch (IOException | RuntimeException e) {
          // by its path, below
        }
      }
      TempFiles.deleteQuietly(file);
    }

    @Override
    public void close() {
      if (handle != null) {
        try {
          handle.close();
        } catch (IOException e) {
          // nothing to do
        }
      }
    }
  }

  /** Temporary files written and not yet renamed over their targets. */
  public static final class Prepared implements Closeable {
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Path, Folder> folders = new LinkedHashMap<>();
    private boolean closed;

    private Prepared() {}

    /** The destinations, in order. */
    public List<Destination> destinations() {
      return entries.stream().map(Entry::target).toList();
    }

    /**
     * Renames every temporary file over its target. If one fails, the targets replaced before it
     * are put back (from hard links made beforehand; new files are removed).
     *
     * @throws CommitException naming the file that failed and any that stay replaced
     */
    public void commit() throws IOException {
      if (closed) {
        throw new IllegalStateException("already committed or closed");
      }
      Map<Path, Path> backups = new LinkedHashMap<>();
      List<Entry> done = new ArrayList<>();
      // (taken before the hook's lock: a wait here must not hold up a signal's clean-up)
      List<FileChannel> locks = lockRead();
      try {
        // The renames hold the lock of the shutdown hook that removes temporary files: a signal
        // (SIGINT, SIGTERM) during them no longer removed the temporary files not yet renamed, so
        // that some targets were new and the rest old. The hook waits; the commit sees that the
        // process is stopping and puts back what it replaced, from backups the hook has not
        // removed yet: an interrupted command changes no file.
        synchronized (TempFiles.LOCK) {
          // every target read still the file read, before anything is replaced
          for (Entry e : entries) {
            String why = e.read() == null ? null : e.read().differs(e.target().file());
            if (why != null) {
              throw new ReplacedException(e.target().given(), why + REPLACED);
            }
          }
          for (Entry e : entries) {
            Path f = e.target().file();
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
              Path b = TempFiles.tempName(f.getParent(), f.getFileName().toString());
              try {
                Files.createLink(b, f);
                TempFiles.live(b);
                backups.put(f, b);
              } catch (IOException | UnsupportedOperationException ex) {
                // no hard links here (or not allowed): this one cannot be put back
              }
            }
          }
          for (Entry e : entries) {
            try {
              if (TempFiles.stopping()) {
                throw new FileSystemException(e.target().given().toString(), null, SHUTTING_DOWN);
              }
              e.folder().checkInPlace(e.target());
              // again just before its rename (after the others'): the window left is this one
              String why = e.read() == null ? null : e.read().differs(e.target().file());
              if (why != null) {
                throw new FileSystemException(e.target().given().toString(), null, why + REPLACED);
              }
              move(e.temp(), e.target().file());
              TempFiles.done(e.temp());
            } catch (IOException ex) {
              throw rollback(e, ex, done, backups);
            }
            done.add(e);
          }
        }
        Set<Path> folders = new HashSet<>();
        for (Entry e : entries) {
          if (folders.add(e.target().file().getParent())) {
            syncFolder(e.target().file().getParent());
          }
        }
      } finally {
        closed = true;
        unlock(locks);
        for (Path b : backups.values()) {
          TempFiles.deleteQuietly(b);
        }
        for (Entry e : entries) {
          e.folder().delete(e.temp());
        }
        closeFolders();
      }
    }

    /** After what happened to a target that was read ({@link Version#differs}). */
    static final String REPLACED = " by another process while this command ran";

    /**
     * How long a commit waits for another process's lock on a target it read, in ms (10 s; a test
     * shortens it to see the message).
     */
    static volatile long lockWaitMillis = 10_000;

    /**
     * Locks each target that was read (a POSIX record lock on the file, for writing, as {@code
     * fcntl}), in order, for the check and the rename: two Engram processes replacing the same file
     * then check and rename one after the other, and the second finds the file replaced, however
     * close their commits come. The lock is on the file being replaced, so it leaves no file
     * behind. Where a file cannot be opened for writing or locked (a file system without locks),
     * the check alone stands. A lock held by another process is waited for up to {@link
     * #lockWaitMillis}.
     */
    private List<FileChannel> lockRead() throws IOException {
      List<FileChannel> held = new ArrayList<>();
      boolean ok = false;
      try {
        for (Entry e : entries) {
          if (e.read() == null) {
            continue;
          }
          FileChannel ch;
          try {
            ch = FileChannel.open(e.target().file(), StandardOpenOption.WRITE);
          } catch (IOException | RuntimeException ex) {
            continue; // (gone, say: the check names it)
          }
          held.add(ch);
          waitForLock(ch, e.target());
        }
        ok = true;
        return held;
      } finally {
        if (!ok) {
          unlock(held);
        }
      }
    }

    private static void waitForLock(FileChannel ch, Destination target) throws IOException {
      long wait = lockWaitMillis;
      long until = System.nanoTime() + wait * 1_000_000L;
      while (true) {
        try {
          if (ch.tryLock() != null) {
            return;
          }
        } catch (java.nio.channels.OverlappingFileLockException ex) {
          // this process holds it already (another thread): wait as for another process
        } catch (IOException ex) {
          return; // no locks here (ENOLCK): the check alone
        }
        if (System.nanoTime() - until > 0) {
          throw new FileSystemException(
              target.given().toString(),
              null,
              "another process has held a lock on it for more than "
                  + (wait % 1000 == 0 ? wait / 1000 + " s" : wait + " ms")
                  + "; it is not replaced");
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException(
              target.given() + ": interrupted while waiting for another process's lock on it");
        }
      }
    }

    private static void unlock(List<FileChannel> locks) {
      for (FileChannel ch : locks) {
        try {
          ch.close(); // (releases its lock)
        } catch (IOException ex) {
          // nothing was written through it
        }
      }
    }

    /** Why a commit stopped when the process began to shut down (a signal): nothing changed. */
    static final String SHUTTING_DOWN = "not replaced: the process is shutting down";

    private static CommitException rollback(
        Entry failed, IOException cause, List<Entry> done, Map<Path, Path> backups) {
      List<String> stillReplaced = new ArrayList<>();
      for (int i = done.size() - 1; i >= 0; i--) {
        Entry e = done.get(i);
        Path f = e.target().file();
        try {
          if (backups.containsKey(f)) {
            Path b = backups.get(f);
            try {
              move(b, f);
            } catch (IOException ex) {
              // keep the old content where it is, and say where
              backups.remove(f);
              TempFiles.done(b);
              stillReplaced.add(0, e.target().given() + " (its old content is in " + b + ")");
              continue;
            }
            TempFiles.done(b);
          } else if (e.target().kind() == Kind.ABSENT) {
            Files.delete(f);
          } else {
            stillReplaced.add(0, e.target().given().toString());
          }
        } catch (IOException ex) {
          stillReplaced.add(0, e.target().given().toString());
        }
      }
      String why =
          cause instanceof FileSystemException f && f.getReason() != null
              ? f.getReason()
              : cause.getClass().getSimpleName()
                  + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
      return new CommitException(failed.target().given(), why, stillReplaced, cause);
    }

    /** Removes the temporary files not yet renamed. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        for (Entry e : entries) {
          e.folder().delete(e.temp());
        }
        closeFolders();
      }
    }

    private void closeFolders() {
      for (Folder f : folders.values()) {
        f.close();
      }
      folders.clear();
    }
  }

  /**
   * Writing a target's temporary file failed (a full disk, a quota, the size limit of {@code ulimit
   * -f}, an I/O error, an interrupt of the writing thread): no target was changed. {@link #getFile}
   * is the target as given, {@link #getReason} the failure's own message ({@code writing was
   * interrupted (...)} for an interrupt, whose exception, the cause, has none; the thread's
   * interrupt status stays set).
   */
  public static final class WriteException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    WriteException(Path target, IOException cause) {
      // (an exception without a message by its kind: not "null"; an interrupted channel's, which
      // has none, as what happened: it was "ClosedByInterruptException", where reads of an
      // interrupted thread say "reading was interrupted")
      super(
          target.toString(),
          null,
          cause instanceof java.nio.channels.ClosedByInterruptException
              ? "writing was interrupted (the thread was interrupted, and Java closed the file it"
                  + " was writing); the file is as it was"
              : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
      initCause(cause);
    }
  }

  /**
   * No temporary file could be made in a target's folder (a read-only file system, no permission,
   * an immutable folder, no inode left): no target was changed. {@link #getFile} is the target as
   * given, {@link #getReason} "cannot write a file in DIR (WHY)".
   */
  public static final class FolderException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    FolderException(Path target, Path dir, String why, IOException cause) {
      super(target.toString(), null, "cannot write a file in " + dir + " (" + why + ")");
      initCause(cause);
    }
  }

  /**
   * A rename of several failed partway. The message names the file that could not be replaced and
   * either says that no file was changed or lists those that stay replaced.
   */
  public static final class CommitException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path failed;
    private final transient List<String> replaced;

    CommitException(Path failed, String why, List<String> replaced, Throwable cause) {
      super(
          "could not replace "
              + failed
              + " ("
              + why
              + "); "
              + (replaced.isEmpty()
                  ? "no file was changed"
                  : "already replaced (could not be put back): " + String.join(", ", replaced)),
          cause);
      this.failed = failed;
      this.replaced = List.copyOf(replaced);
    }

    /** The target that could not be replaced, as given. */
    public Path failed() {
      return failed;
    }

    /** The targets that stay replaced (as given), in order; empty when nothing changed. */
    public List<String> replaced() {
      return replaced;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException ex) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes a rename durable where the platform allows opening a folder (best effort). */
  private static void syncFolder(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      // not supported here (e.g. Windows): the rename itself is still atomic
    }
  }
}
