package io.engram.spark;

import io.engram.io.ModelFile;
import io.engram.network.Memory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Engram model files on any file system Spark reaches (local, HDFS, S3, ...): a saved {@link
 * HopfieldMemoryModel} directory holds Spark's {@code metadata/} and {@value #MODEL} (exactly the
 * bytes {@link ModelFile#write} writes for the network), and a bare model file written by {@code
 * engram train} loads the same way.
 */
final class ModelFiles {

  /** The model file inside a saved model directory. */
  static final String MODEL = "data/model.npz";

  private ModelFiles() {}

  /** Writes the network's model file at {@code dir/data/model.npz} (which must not exist). */
  static void write(Configuration conf, String dir, Memory network) {
    Path p = new Path(dir, MODEL);
    try {
      FileSystem fs = p.getFileSystem(conf);
      try (OutputStream out = fs.create(p, false)) {
        ModelFile.builder(network).writeTo(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + p + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code outer} names {@code inner} or a folder above it (so that replacing {@code outer}
   * would delete {@code inner}): compared as qualified paths, and on the local file system also
   * through symbolic links.
   */
  static boolean contains(Configuration conf, String outer, String inner) {
    Path o = new Path(outer);
    Path i = new Path(inner);
    try {
      FileSystem ofs = o.getFileSystem(conf);
      FileSystem ifs = i.getFileSystem(conf);
      o = ofs.makeQualified(o);
      for (Path p = ifs.makeQualified(i); p != null; p = p.getParent()) {
        if (p.equals(o)) {
          return true;
        }
      }
      if (ofs instanceof LocalFileSystem lo && ifs instanceof LocalFileSystem li) {
        java.nio.file.Path ro = realPath(lo.pathToFile(o).toPath());
        java.nio.file.Path ri = realPath(li.pathToFile(i).toPath());
        return ro != null && ri != null && ri.startsWith(ro);
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + o + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a save to a special file (a pipe, socket or device) on the local file system, which an
   * overwrite would otherwise delete and replace with a model directory.
   *
   * @throws IllegalArgumentException naming the path
   */
  static void checkSaveTarget(Configuration conf, String path) {
    Path p = new Path(path);
    try {
      if (p.getFileSystem(conf) instanceof LocalFileSystem local) {
        java.nio.file.Path f = local.pathToFile(p).toPath();
        if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.readAttributes(
                    f,
                    java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .isOther()) {
          throw new IllegalArgumentException(
              path
                  + " is a special file (a pipe, socket or device), not a place to save; it is"
                  + " not replaced");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + p + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a save to a path that is a file (or a local link to one): a saved stage is a folder, so
   * an overwrite would delete the file (a bare model file of {@code engram train}, say, or the
   * patterns a model was fitted on) and put a folder in its place.
   *
   * @param path the path to save to, its local links resolved ({@link #throughLink})
   * @param given the path as the caller gave it, for the message
   * @throws IllegalArgumentException naming the path
   */
  static void checkNotAFile(Configuration conf, String path, String given) {
    Path p = new Path(path);
    try {
      org.apache.hadoop.fs.FileStatus st;
      try {
        st = p.getFileSystem(conf).getFileStatus(p);
      } catch (java.io.FileNotFoundException e) {
        return; // nothing there: the save creates it
      }
      if (st.isFile()) {
        throw new IllegalArgumentException(
            given
                + " is a file ("
                + st.getLen()
                + " bytes), not a folder to save a stage in; it is not replaced");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + p + ": " + e.getMessage(), e);
    }
  }

  /** The longest chain of symbolic links followed (as Linux's own limit). */
  private static final int MAX_LINKS = 40;

  /**
   * The folder a local symbolic link {@code path} names, its links resolved, as a path to save to
   * (for a link to nothing, the path its chain of links ends at, which the save makes); {@code
   * path} itself when it is not a local link.
   *
   * @throws IllegalArgumentException for a link that loops
   */
  static String throughLink(Configuration conf, String path) {
    Path p = new Path(path);
    try {
      if (p.getFileSystem(conf) instanceof LocalFileSystem local) {
        java.nio.file.Path f = local.pathToFile(p).toPath();
        if (Files.isSymbolicLink(f)) {
          java.nio.file.Path real = realPath(f);
          if (real != null) {
            return real.toUri().toString();
          }
          // a link to nothing: the path its chain of links ends at, which the save then makes
          java.nio.file.Path at = f;
          for (int hops = 0; Files.isSymbolicLink(at); hops++) {
            if (hops == MAX_LINKS) {
              throw new IllegalArgumentException(
                  path
                      + " is a symbolic link that loops (or a chain of over 40); not a place to save");
            }
            at = at.resolveSibling(Files.readSymbolicLink(at));
          }
          return at.toAbsolutePath().normalize().toUri().toString();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + p + ": " + e.getMessage(), e);
    }
    return path;
  }

  private static java.nio.file.Path realPath(java.nio.file.Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return null; // not there (or a link that loops): nothing to compare
    }
  }

  /** Whether {@code path} is a directory (a saved model) rather than a bare model file. */
  static boolean isDirectory(Configuration conf, String path) {
    Path p = new Path(path);
    try {
      return p.getFileSystem(conf).getFileStatus(p).isDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + p + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and validates the model file at {@code path}: in place on the local file system, else
   * through a local temporary copy.
   *
   * @throws UncheckedIOException naming the file, if it cannot be read or is not a valid model
   */
  static Memory read(Configuration conf, String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (fs instanceof LocalFileSystem local) {
        return ModelFile.readMemory(local.pathToFile(p).toPath());
      }
      java.nio.file.Path tmp = Files.createTempFile("engram-model-", ".npz");
      try {
        fs.copyToLocalFile(false, p, new Path(tmp.toUri()), true);
        return ModelFile.readMemory(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the model file " + p + ": " + e.getMessage(), e);
    }
  }
}
