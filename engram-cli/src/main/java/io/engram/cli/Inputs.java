package io.engram.cli;

import io.engram.io.NdArray;
import io.engram.io.Npy;
import io.engram.io.Patterns;
import io.engram.learning.PatternBlock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads patterns and queries from {@code .npy} and {@code .csv} files, images and folders of
 * images.
 */
final class Inputs {

  private Inputs() {}

  /**
   * Patterns with what is known about them: the image size when they came from images (else null)
   * and a name per pattern (file names for images, else null).
   */
  record Data(PatternBlock block, Images.Size size, List<String> names) {

    /** The image size to draw these patterns at: theirs, the one given, or a square. */
    Images.Size imageSize(Images.Size given, String option) {
      if (given != null) {
        if (given.pixels() != block.length()) {
          throw new UserError(
              option
                  + " "
                  + given
                  + " has "
                  + given.pixels()
                  + " pixels, but the patterns have length "
                  + block.length());
        }
        return given;
      }
      if (size != null) {
        return size;
      }
      Images.Size sq = Images.Size.squareOf(block.length());
      if (sq == null) {
        throw new UserError(
            "patterns of length "
                + block.length()
                + " are not square images; give their shape with "
                + option
                + " WxH");
      }
      return sq;
    }

    /** The name of pattern k for an output file, without extension. */
    String name(int k, String prefix) {
      if (names != null && k < names.size()) {
        String n = names.get(k);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
      }
      return String.format(Locale.ROOT, "%s-%03d", prefix, k);
    }
  }

  /**
   * Reads patterns from files and folders: .npy, .csv, an image, or a folder of images (resized to
   * {@code size}, default the first image's size). All must agree on the pattern length.
   */
  static Data read(List<Path> files, Images.Size size, Progress progress) throws IOException {
    List<float[]> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    boolean allImages = true;
    Images.Size imageSize = size;
    int n = -1;
    Path first = null;
    for (Path f : files) {
      PatternBlock b;
      if (Files.isDirectory(f) || (Files.isRegularFile(f) && Images.isImage(f))) {
        List<Path> imgs = Files.isDirectory(f) ? Images.list(f) : List.of(f);
        progress.setTotal(imgs.size());
        Images.Loaded l = Images.readPatterns(imgs, imageSize, progress);
        imageSize = l.size();
        b = PatternBlock.of(l.rows());
        for (Path i : imgs) {
          names.add(i.getFileName().toString());
        }
      } else {
        allImages = false;
        b = readPatterns(f);
      }
      if (b.isEmpty()) {
        continue;
      }
      if (n >= 0 && b.length() != n) {
        throw new UserError(
            f + ": patterns have length " + b.length() + ", but " + first + " has length " + n);
      }
      n = b.length();
      first = first == null ? f : first;
      for (int k = 0; k < b.count(); k++) {
        rows.add(b.row(k));
      }
    }
    return new Data(
        PatternBlock.of(rows), allImages ? imageSize : null, allImages ? List.copyOf(names) : null);
  }

  /** Reads one pattern file as a block: .npy (1-D or 2-D) or .csv (one pattern per line). */
  static PatternBlock readPatterns(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    if (Files.isDirectory(file)) {
      throw new UserError(file + ": is a folder; give a .npy or .csv file here");
    }
    try {
      if (isNpy(file)) {
        return Patterns.fromArray(Npy.read(file));
      }
      if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
        return PatternBlock.of(readCsv(file));
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(file + ": " + e.getMessage(), e);
    }
    throw new UserError(file + ": not a .npy file, and its name does not end in .csv");
  }

  /** Reads queries (B x N, at least one) from a file, an image or a folder of images. */
  static Data readQueries(Path file, Images.Size size, Progress progress) throws IOException {
    Data d = read(List.of(file), size, progress);
    if (d.block().isEmpty()) {
      throw new UserError(file + ": holds no queries");
    }
    return d;
  }

  /** The rows of a block. */
  static float[][] rows(PatternBlock b) {
    float[][] q = new float[b.count()][];
    for (int k = 0; k < q.length; k++) {
      q[k] = b.row(k);
    }
    return q;
  }

  /** Reads a permutation from a 1-D integer .npy file. */
  static int[] readOrder(Path file) throws IOException {
    NdArray a = Npy.read(file);
    if (a.rank() != 1) {
      throw new UserError(file + ": an order must be a 1-D array, got rank " + a.rank());
    }
    try {
      return a.toIntArray();
    } catch (IllegalArgumentException e) {
      throw new UserError(file + ": " + e.getMessage(), e);
    }
  }

  static boolean isNpy(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(6);
      return magic.length == 6
          && (magic[0] & 0xFF) == 0x93
          && magic[1] == 'N'
          && magic[2] == 'U'
          && magic[3] == 'M'
          && magic[4] == 'P'
          && magic[5] == 'Y';
    }
  }

  /**
   * One pattern per line; values separated by commas, semicolons or whitespace; blank lines and
   * lines starting with # are skipped.
   */
  static List<float[]> readCsv(Path file) throws IOException {
    List<float[]> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] parts = t.split("[,;\\s]+");
        float[] row = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
          try {
            row[i] = Float.parseFloat(parts[i]);
          } catch (NumberFormatException e) {
            throw new UserError(
                file
                    + ": line "
                    + lineNo
                    + ", value "
                    + (i + 1)
                    + " '"
                    + parts[i]
                    + "' is not a number");
          }
          if (!Float.isFinite(row[i])) {
            throw new UserError(
                file
                    + ": line "
                    + lineNo
                    + ", value "
                    + (i + 1)
                    + " is "
                    + parts[i]
                    + ", expected a finite number");
          }
        }
        if (!rows.isEmpty() && row.length != rows.get(0).length) {
          throw new UserError(
              file
                  + ": line "
                  + lineNo
                  + " has "
                  + row.length
                  + " values, the first pattern has "
                  + rows.get(0).length);
        }
        rows.add(row);
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new UserError(file + ": not a text (UTF-8) CSV file", e);
    }
    return rows;
  }
}
