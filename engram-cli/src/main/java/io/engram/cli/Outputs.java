package io.engram.cli;

import io.engram.io.AtomicFiles;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The files one command writes, collected first and then written all together ({@link
 * AtomicFiles#writeAll}): a failure leaves every existing file as it was and adds none.
 */
final class Outputs {

  private final Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
  private Path folderToCreate;

  /**
   * Whether an output path names a folder of images: an existing folder, or a path ending in a
   * separator ({@code out/}).
   */
  static boolean isFolder(String path) {
    return path.endsWith("/") || path.endsWith(File.separator) || Files.isDirectory(Path.of(path));
  }

  /** Adds a file. */
  Outputs add(Path file, AtomicFiles.Writer writer) {
    if (files.containsKey(file.toAbsolutePath().normalize())) {
      throw new UserError(file + " is given twice as an output");
    }
    files.put(file.toAbsolutePath().normalize(), writer);
    return this;
  }

  /** Adds a float32 .npy of the rows (B x N). */
  Outputs addRows(Path file, float[][] rows, int n) {
    float[] flat = new float[rows.length * n];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * n, n);
    }
    NdArray a = NdArray.ofFloats(flat, rows.length, n);
    return add(file, s -> Npy.write(a, s));
  }

  /** Adds rows as .csv (one per line) when the name ends in .csv, else as float32 .npy. */
  Outputs addRowsByName(Path file, float[][] rows, int n) {
    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
      return addRows(file, rows, n);
    }
    StringBuilder sb = new StringBuilder();
    for (float[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        sb.append(i == 0 ? "" : ",")
            .append(r[i] == Math.rint(r[i]) ? String.valueOf((int) r[i]) : String.valueOf(r[i]));
      }
      sb.append('\n');
    }
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    return add(file, s -> s.write(b));
  }

  /** Adds a PNG. */
  Outputs addPng(Path file, BufferedImage img) throws IOException {
    byte[] b = Images.png(img);
    return add(file, s -> s.write(b));
  }

  /** Adds one PNG per row into a folder (created when the files are written). */
  Outputs addImages(
      String folder, float[][] rows, Images.Size size, Inputs.Data names, String prefix)
      throws IOException {
    Path dir = Path.of(folder);
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new UserError(folder + ": its parent folder does not exist");
      }
      if (Files.exists(dir)) {
        throw new UserError(folder + ": exists and is not a folder");
      }
      folderToCreate = dir;
    }
    for (int k = 0; k < rows.length; k++) {
      String name =
          names == null ? String.format(Locale.ROOT, "%s-%03d", prefix, k) : names.name(k, prefix);
      addPng(dir.resolve(name + ".png"), Images.toImage(rows[k], size));
    }
    return this;
  }

  /** Writes everything, or nothing. */
  void write() throws IOException {
    boolean created = false;
    if (folderToCreate != null && !Files.isDirectory(folderToCreate)) {
      Files.createDirectory(folderToCreate);
      created = true;
    }
    try {
      AtomicFiles.writeAll(files);
      created = false;
    } finally {
      if (created) {
        Files.deleteIfExists(folderToCreate);
      }
    }
  }
}
