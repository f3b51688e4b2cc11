import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The class path of the build's class-data archives (engram-cli's pom runs this single-file program
 * in the package phase, before it dumps them; never part of the jar).
 *
 * <p>Java 17 keeps no class of a jar in a class-data archive where the jar's path holds a character
 * that the JDK percent-encodes in the jar's file URL (a space, a non-ASCII letter, [ ] = ; : and
 * others): the class's source, {@code file:/a%20b/engram.jar}, does not match the class path entry,
 * and every command then starts some 50 ms slower. For such a path this program places the jar (a
 * hard link where the file system allows, a copy with the jar's size and modification time
 * otherwise) at a path that needs no encoding, in the user's cache, {@code
 * ${XDG_CACHE_HOME:-$HOME/.cache}/engram/KEY/engram.jar} (KEY from the project root's real path),
 * and the archives are dumped with that path as their class path; bin/engram runs that file where
 * it is exactly the current jar. Where the cache's path itself needs encoding, or its folders
 * cannot be made, or belong to another user or can be written by others, the archives name the jar
 * itself, as before (no gain, no failure). A path that needs no encoding writes nothing outside the
 * project.
 *
 * <p>Each cache folder records its project's root ({@code root}, one line). A build that places a
 * copy first removes the folders of clones that are gone: those whose root holds no {@code
 * engram-cli/target/engram.jar} any more (the clone deleted, or cleaned and not built since), and
 * those without a record (made by an earlier version) whose jar has a single name and is a day old
 * (a hard link that outlived the jar; a copy on another file system looks alike, and that clone's
 * next build makes it again). It removes only the files it writes itself ({@code engram.jar},
 * {@code root}, its temporary names) and then the folder if that leaves it empty; a folder it
 * cannot judge is left as it is.
 *
 * <p>Writes {@code TARGET/engram-cds.args}, a java argument file that names the class path for the
 * dumps ({@code -cp PATH}), and, only where the copy is used, {@code TARGET/engram-cds.jar-path}
 * (the copy's path, one line), which bin/engram reads. Always exits 0: the build goes on.
 *
 * <p>Usage: {@code java ArchiveClassPath.java JAR TARGET ROOT}
 */
public final class ArchiveClassPath {

  /** The characters (besides ASCII letters and digits) that a jar's path may hold. */
  static final String SAFE_PUNCTUATION = "/._-~!*'()$&+,@";

  private ArchiveClassPath() {}

  /**
   * Whether the JDK's file URL for this absolute path is the path itself, measured on Java 17 for
   * every printable ASCII punctuation character, a tab and é (and the same rule as bin/engram's
   * url_safe): letters, digits and {@code / . _ - ~ ! * ' ( ) $ & + , @}. The rest are encoded
   * ({@code = ;} too, which a URI leaves as they are) or, {@code :}, split the class path.
   */
  static boolean urlSafe(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || SAFE_PUNCTUATION.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return !path.isEmpty();
  }

  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]).toAbsolutePath().normalize();
    Path target = Path.of(args[1]);
    Path root = Path.of(args[2]);
    Path pointer = target.resolve("engram-cds.jar-path");
    Path argFile = target.resolve("engram-cds.args");
    // (neither left from an earlier build: without the argument file the dumps fail, which the
    // build tolerates, and bin/engram starts without an archive)
    Files.deleteIfExists(pointer);
    Files.deleteIfExists(argFile);
    Path classPath = jar;
    try {
      classPath = jar.toRealPath();
      if (!urlSafe(classPath.toString())) {
        Path copy = placeCopy(classPath, root.toRealPath());
        if (copy != null) {
          classPath = copy;
          Files.writeString(pointer, copy + "\n", StandardCharsets.UTF_8);
        }
      }
    } catch (IOException | RuntimeException e) {
      System.out.println("engram: no copy of the jar for the class-data archives: " + e);
    }
    Files.writeString(
        argFile, "-cp\n" + argFileQuoted(classPath.toString()) + "\n", StandardCharsets.UTF_8);
    System.out.println("class path of the class-data archives: " + classPath);
  }

  /** ARG in double quotes, as a java argument file reads it back. */
  static String argFileQuoted(String arg) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : arg.toCharArray()) {
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\f' -> sb.append("\\f");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /**
   * The jar placed in the user's cache (a hard link, or a copy with its size and modification
   * time), or null where the cache's path needs encoding or is not the user's alone.
   */
  static Path placeCopy(Path jar, Path root) throws IOException {
    String xdg = System.getenv("XDG_CACHE_HOME");
    // (a relative XDG_CACHE_HOME is to be ignored, says the XDG base directory specification)
    Path cache =
        xdg != null && xdg.startsWith("/")
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    Path folder = cache.resolve("engram").resolve(key(root)).toAbsolutePath().normalize();
    if (!urlSafe(folder.resolve("engram.jar").toString())) {
      System.out.println("engram: the cache folder's path needs encoding too: " + folder);
      return null;
    }
    if (!Files.isDirectory(cache)) {
      Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(ownerOnly()));
    }
    for (Path dir : new Path[] {folder.getParent(), folder}) {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ownerOnly()));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another build made it: checked below as any other
        }
      }
      if (!usersAlone(dir)) {
        System.out.println("engram: not a folder of this user's alone, left unused: " + dir);
        return null;
      }
    }
    Path copy = folder.resolve("engram.jar");
    if (!urlSafe(folder.toRealPath().resolve("engram.jar").toString())) {
      return null;
    }
    Path record = folder.resolve("root");
    String rootLine = root + "\n";
    if (!Files.exists(record, LinkOption.NOFOLLOW_LINKS)
        || !Files.readString(record, StandardCharsets.UTF_8).equals(rootLine)) {
      Path recordTmp = folder.resolve("root." + ProcessHandle.current().pid() + ".tmp");
      Files.writeString(recordTmp, rootLine, StandardCharsets.UTF_8);
      Files.move(recordTmp, record, StandardCopyOption.REPLACE_EXISTING);
    }
    pruneGone(folder.getParent(), folder);
    if (Files.exists(copy, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(copy, jar)) {
      return copy;
    }
    Path tmp = folder.resolve("engram.jar." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      try {
        Files.createLink(tmp, jar);
      } catch (FileSystemException | UnsupportedOperationException noLink) {
        // another file system (a cache on another disk): a copy
        Files.copy(jar, tmp, StandardCopyOption.COPY_ATTRIBUTES);
        Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(jar));
        if (Files.size(tmp) != Files.size(jar)
            || !Files.getLastModifiedTime(tmp).equals(Files.getLastModifiedTime(jar))) {
          System.out.println("engram: the copy of the jar did not keep its size and time");
          return null;
        }
      }
      try {
        Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return copy;
  }

  /**
   * Removes the cache folders (siblings of {@code keep}, named as {@link #key} names them) of
   * clones that are gone; see the class comment. Never fails the build: a folder that cannot be
   * read or removed stays.
   */
  static void pruneGone(Path cacheRoot, Path keep) {
    try (var folders = Files.newDirectoryStream(cacheRoot, "[0-9a-f]*")) {
      for (Path dir : folders) {
        if (dir.equals(keep) || dir.getFileName().toString().length() != 16 || !usersAlone(dir)) {
          continue;
        }
        try {
          if (gone(dir)) {
            for (String name : new String[] {"engram.jar", "root"}) {
              Files.deleteIfExists(dir.resolve(name));
            }
            try (var temps = Files.newDirectoryStream(dir, "{engram.jar,root}.*.tmp")) {
              for (Path t : temps) {
                Files.deleteIfExists(t);
              }
            }
            Files.delete(dir); // fails, and stays, where something else is inside
            System.out.println("engram: removed the jar's copy of a clone that is gone: " + dir);
          }
        } catch (IOException | RuntimeException e) {
          // left as it is
        }
      }
    } catch (IOException | RuntimeException e) {
      // nothing removed
    }
  }

  /** Whether a cache folder belongs to a clone that is gone. */
  private static boolean gone(Path dir) throws IOException {
    Path record = dir.resolve("root");
    Path jar = dir.resolve("engram.jar");
    if (Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
      String line = Files.readString(record, StandardCharsets.UTF_8);
      if (!line.endsWith("\n") || line.indexOf('\n') != line.length() - 1) {
        return false; // not a record this program wrote
      }
      Path root = Path.of(line.substring(0, line.length() - 1));
      return root.isAbsolute() && !Files.exists(root.resolve("engram-cli/target/engram.jar"));
    }
    // an earlier version's folder: gone where its hard link is the jar's last name
    return !Files.exists(record, LinkOption.NOFOLLOW_LINKS)
        && Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS)
        && ((Number) Files.getAttribute(jar, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue()
            == 1
        && Files.getLastModifiedTime(jar).toMillis() < System.currentTimeMillis() - 86_400_000L;
  }

  private static Set<PosixFilePermission> ownerOnly() {
    return PosixFilePermissions.fromString("rwx------");
  }

  /** A folder (no link) of the user who runs the build, which no one else may write. */
  private static boolean usersAlone(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (!Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS)
        .getName()
        .equals(System.getProperty("user.name"))) {
      return false;
    }
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    return !p.contains(PosixFilePermission.GROUP_WRITE)
        && !p.contains(PosixFilePermission.OTHERS_WRITE);
  }

  /** 16 hex digits of the SHA-256 of the project root's real path: a folder per clone. */
  static String key(Path root) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(root.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
