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

/** Reads patterns and queries from {@code .npy} and {@code .csv} files. */
final class Inputs {

  private Inputs() {}

  /** Reads one pattern file as a block: .npy (1-D or 2-D) or .csv (one pattern per line). */
  static PatternBlock readPatterns(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    if (Files.isDirectory(file)) {
      throw new UserError(file + ": is a folder; give a .npy or .csv file");
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

  /** Reads several files as one block (they must agree on the pattern length). */
  static PatternBlock readPatterns(List<Path> files) throws IOException {
    if (files.size() == 1) {
      return readPatterns(files.get(0));
    }
    List<float[]> rows = new ArrayList<>();
    int n = -1;
    Path first = null;
    for (Path f : files) {
      PatternBlock b = readPatterns(f);
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
    return PatternBlock.of(rows);
  }

  /** Reads query rows (B x N). */
  static float[][] readQueries(Path file) throws IOException {
    PatternBlock b = readPatterns(file);
    if (b.isEmpty()) {
      throw new UserError(file + ": holds no queries");
    }
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
                file + ": line " + lineNo + ", value " + (i + 1) + " '" + parts[i] + "' is not a number");
          }
          if (!Float.isFinite(row[i])) {
            throw new UserError(
                file + ": line " + lineNo + ", value " + (i + 1) + " is " + parts[i] + ", expected a finite number");
          }
        }
        if (!rows.isEmpty() && row.length != rows.get(0).length) {
          throw new UserError(
              file + ": line " + lineNo + " has " + row.length + " values, the first pattern has "
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
