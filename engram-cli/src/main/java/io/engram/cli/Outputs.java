package io.engram.cli;

import io.engram.io.AtomicFiles;
import io.engram.io.Npy;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The files one command reads and writes. Outputs are collected first and then written all
 * together: every regular file goes to a temporary file, devices and descriptors ({@code
 * /dev/null}, {@code /dev/stdout}) are written directly, and only then are the temporary files
 * renamed over their targets ({@link AtomicFiles#prepare}). A failure before the renames leaves
 * every existing file as it was and adds none.
 *
 * <p>Files are compared by identity (the same file after resolving links, or a hard link of it),
 * not by spelling: an output that is one of the command's inputs is an error (except where a
 * command allows it, as {@code train --init M --out M}), and so are two outputs that are one file.
 * An output that is a folder, a named pipe, a socket or a block device is an error.
 */
final class Outputs {

  /** An input: the option that names it and the path. */
  private record Input(String option, Path path) {}

  /** An output: the option that names it, the path as given, and what writes its content. */
  private record Output(String option, Path path, AtomicFiles.Writer writer) {}

  private final List<Input> inputs = new ArrayList<>();
  private final List<Output> files = new ArrayList<>();
  private final List<String[]> allowed = new ArrayList<>();
  private Map<Object, Input> inputKeys;

  /**
   * The outputs that replace an input the command reads ({@link #allowSame}: {@code train --init M
   * --out M}), each with that input and its version: taken by {@link #reading} just before the
   * command reads it (or, where a command does not call that, when the output is first checked,
   * earlier); the commit replaces it only while it is still that version ({@link
   * AtomicFiles#prepare(Map, Map)}).
   */
  private final Map<Path, Input> replacesInput = new HashMap<>();

  private final Map<Path, AtomicFiles.Version> readVersions = new HashMap<>();
  private Path folderToCreate;

  /** The option that names {@link #folderToCreate}, and the folder as given. */
  private String folderOption;

  private String folderGiven;

  /**
   * Set once a command writes an output's data to standard output: its summary line then goes to
   * standard error ({@link EngramCli#main}), so that standard output holds exactly the file ({@code
   * export --weights - > W.npy} had "wrote the 64 x 64 weights to -" after the .npy).
   */
  static volatile boolean dataOnStandardOutput;

  /**
   * The files the {@link #write}s of this command committed, each as its option names it ({@code
   * --out m.npz}): where printing the summary line then fails ({@code train ... > /dev/full}), the
   * error says that they were written all the same, so that a script that runs a failed {@code
   * train --init m.npz --out m.npz} again does not store its patterns twice unawares.
   */
  static volatile List<String> committed = List.of();

  /**
   * Outputs as {@link #committed} names them, those of one option together: {@code --out m.npz,
   * --images d/a.png and 3 more}.
   */
  static String byOption(List<String> outputs) {
    Map<String, List<String>> of = new LinkedHashMap<>();
    for (String o : outputs) {
      of.computeIfAbsent(o.substring(0, Math.max(0, o.indexOf(' '))), k -> new ArrayList<>())
          .add(o);
    }
    List<String> parts = new ArrayList<>();
    for (List<String> same : of.values()) {
      parts.add(same.get(0) + (same.size() > 1 ? " and " + (same.size() - 1) + " more" : ""));
    }
    return String.join(", ", parts);
  }

  /** The path that names standard output for an output ({@code -}; standard input for an input). */
  static final String STANDARD = "-";

  /**
   * An output as a summary line names it: {@code standard output} for {@code -} (the line said
   * "states written to -"), else the name as given, printable.
   */
  static String written(String given) {
    return STANDARD.equals(given) ? "standard output" : EngramCli.printable(given);
  }

  /** Where an output named {@link #STANDARD} goes. */
  static final Path STDOUT = Path.of("/dev/stdout");

  /**
   * Whether an output path names a folder of images: an existing folder, or a path ending in a
   * separator ({@code out/}). Not an empty path ({@code Path.of("")} is the working folder, where
   * an empty {@code --out} wrote its images): that one is refused as a file's.
   */
  static boolean isFolder(String path) {
    return !path.isEmpty()
        && !path.equals(STANDARD)
        && (endsWithSeparator(path) || Files.isDirectory(Path.of(path)));
  }

  static boolean endsWithSeparator(String path) {
    return path.endsWith("/") || path.endsWith(File.separator);
  }

  /**
   * The path of an output file given to {@code option}. A path ending in a separator names a
   * folder, which is an error here ({@code Path.of} would drop the separator and write a file of
   * the folder's name).
   */
  static Path file(String option, String value) {
    if (value.isEmpty()) {
      throw new UserError(option + " is empty; give a file path");
    }
    if (value.equals(STANDARD)) {
      return STDOUT;
    }
    if (endsWithSeparator(value)) {
      throw new UserError(
          option + " " + value + ": ends in " + File.separator + ", a folder; give a file path");
    }
    return Path.of(nameable(option, value));
  }

  /** Names of image files, which a data output would only pretend to be. */
  private static final List<String> IMAGE_ENDINGS =
      List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp");

  /** Names of data files, which a drawn figure would only pretend to be. */
  private static final List<String> DATA_ENDINGS = List.of(".npy", ".npz", ".csv", ".json");

  /**
   * Names of files of formats no Engram output is written in (tab-separated text, compressed files,
   * other tools' arrays), which a data output would only pretend to be: {@code recall --out r.tsv}
   * or {@code r.csv.gz} wrote a binary .npy under that name, exit 0.
   */
  private static final List<String> FOREIGN_DATA_ENDINGS =
      List.of(
          ".tsv",
          ".gz",
          ".bz2",
          ".xz",
          ".zst",
          ".h5",
          ".hdf5",
          ".mat",
          ".pkl",
          ".pickle",
          ".pt",
          ".pth",
          ".parquet",
          ".xlsx",
          ".xls");

  /**
   * Names of pictures in formats other than PNG, which a drawn figure (always PNG) would only
   * pretend to be: {@code --grid g.svg} or {@code g.pdf} wrote a PNG under that name, exit 0.
   */
  private static final List<String> OTHER_PICTURE_ENDINGS =
      List.of(
          ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".svg", ".pdf", ".eps", ".ps");

  /** The ending of {@code value} among {@code endings} (case ignored), as typed; or null. */
  private static String ending(String value, List<String> endings) {
    String lower = value.toLowerCase(Locale.ROOT);
    for (String e : endings) {
      if (lower.endsWith(e)) {
        return value.substring(value.length() - e.length());
      }
    }
    return null;
  }

  /**
   * An output name the JVM can write as given: a name with bytes that are not valid in the locale's
   * character set reaches Java with U+FFFD in their place, and would be created under that other
   * name (the bytes of U+FFFD), not the one the user typed.
   */
  static String nameable(String option, String value) {
    Path name = value.isBlank() ? null : Path.of(value).getFileName();
    if (value.isBlank() || (name != null && name.toString().isBlank())) {
      // (an output named ' ' was written as a file of that name: a variable of blanks, or a
      // quoted space, where a name was meant)
      throw new UserError(
          option + " '" + value + "': the name is only blanks (spaces, tabs); give a name");
    }
    if (lostBytes(value)) {
      throw new UserError(
          option
              + " "
              + value
              + ": "
              + LOST_BYTES
              + "; Java cannot write a name with such bytes: give another name");
    }
    String tilde = unexpandedTilde(option, value);
    if (tilde != null) {
      throw new UserError(option + " " + value + ": " + tilde);
    }
    int end = name == null ? 0 : name.toString().codePointBefore(name.toString().length());
    if (Character.isWhitespace(end) || Character.isSpaceChar(end)) {
      // (--out 'm.npz ' wrote a file whose name ends in a space, which ls shows as m.npz and
      // 'engram recall --model m.npz' then did not find: a quoting slip, not a name anyone wants)
      throw new UserError(
          option
              + " '"
              + value
              + "': the name ends in "
              + whiteSpace(end)
              + ", which is almost always a quoting slip; give the name without it");
    }
    int start = name == null ? 0 : name.toString().codePointAt(0);
    if (Character.isWhitespace(start) || Character.isSpaceChar(start)) {
      // (--out ' m.npz' wrote a file whose name starts with a space, which 'engram recall --model
      // m.npz' then did not find: the same slip at the other end)
      throw new UserError(
          option
              + " '"
              + value
              + "': the file name starts with "
              + whiteSpace(start)
              + ", which is almost always a quoting slip; give the name without it");
    }
    if (value.length() > 1 && value.startsWith("-")) {
      // (picocli takes a word that is not one of the command's options as the value before it:
      // 'train ... --out --report' wrote a model named '--report', a slip, not a name anyone wants)
      throw new UserError(
          option
              + " "
              + value
              + ": the name starts with '-', as an option does (was a value left out before it?);"
              + " to write a file of that name, give ./"
              + value);
    }
    return value;
  }

  /** A white-space character as a message names it: "a space", "a tab", "white space (U+00A0)". */
  private static String whiteSpace(int c) {
    return c == ' '
        ? "a space"
        : c == '\t' ? "a tab" : String.format(Locale.ROOT, "white space (U+%04X)", c);
  }

  /**
   * Why a path that starts with an unexpanded {@code ~} names no file, or null: the shell expands
   * {@code ~} only at the start of a word, so {@code --out=~/m.npz} or {@code --patterns "~/p.npy"}
   * reached Engram as written, and was "folder does not exist: /work/~" or "file not found". Null
   * where a file or folder of that first name is here (then the path means it).
   */
  static String unexpandedTilde(String option, String value) {
    if (!value.startsWith("~")) {
      return null;
    }
    int slash = value.indexOf('/');
    String first = slash < 0 ? value : value.substring(0, slash);
    try {
      if (Files.exists(Path.of(first), LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
    String rest = slash < 0 ? "" : value.substring(slash);
    String home = first.equals("~") ? "$HOME" + rest : "the full path";
    String named = option == null ? "--option" : option;
    return "starts with "
        + first
        + ", which the shell did not expand (it expands ~ only at the start of a word: not after"
        + " "
        + named
        + "=, nor inside quotes), and nothing here is named "
        + first
        + "; write "
        + (option == null ? "the option, a space and " + value : option + " " + value)
        + " (no quotes) or "
        + home;
  }

  /**
   * Whether a path holds U+FFFD and names no file: bytes not valid in the locale's character set
   * reach Java as U+FFFD, and such a name can be neither opened nor created as typed (inputs and
   * outputs alike; a file whose name really holds U+FFFD exists, and passes).
   */
  static boolean lostBytes(String value) {
    return value.indexOf('\uFFFD') >= 0 && !Files.exists(Path.of(value), LinkOption.NOFOLLOW_LINKS);
  }

  /** Why a name with U+FFFD ({@link #lostBytes}) is refused. */
  static final String LOST_BYTES =
      "the name holds \uFFFD, which stands for bytes that are not valid "
          + System.getProperty("sun.jnu.encoding", "in this locale");

  /** Registers an input (a file or a folder; for a folder, the images in it are the inputs). */
  Outputs input(String option, Path path) {
    if (path != null) {
      inputs.add(new Input(option, path));
      inputKeys = null;
    }
    return this;
  }

  /**
   * Notes that the command now reads the input of {@code inOption}: an output that replaces it is
   * written only while the input is still the version it reads now. Call it just before the read (a
   * version taken earlier makes a replacement before the read, of a file the command then reads
   * whole, a conflict too).
   */
  void reading(String inOption) {
    for (Map.Entry<Path, Input> e : replacesInput.entrySet()) {
      if (e.getValue().option().equals(inOption)) {
        try {
          readVersions.put(e.getKey(), AtomicFiles.Version.of(e.getValue().path()));
        } catch (IOException ex) {
          readVersions.remove(e.getKey()); // gone: the read says so
        }
      }
    }
  }

  /** Registers several inputs of one option. */
  Outputs inputs(String option, List<Path> paths) {
    if (paths != null) {
      for (Path p : paths) {
        input(option, p);
      }
    }
    return this;
  }

  /** Allows the output of {@code outOption} to be the input of {@code inOption}. */
  Outputs allowSame(String outOption, String inOption) {
    allowed.add(new String[] {outOption, inOption});
    return this;
  }

  /**
   * Checks an output path now, before any work: that it can be written (not a folder or special
   * file, its folder exists) and is neither an input nor another output. {@link #write} checks
   * every output again.
   */
  Outputs expect(String option, Path path) throws IOException {
    if (path != null) {
      check(new Output(option, path, null), new HashMap<>());
    }
    return this;
  }

  /**
   * {@link #expect}, for an output that gets data, not a picture: a name ending in an image's
   * extension ({@code recall --out r.png}, which wrote a .npy under that name), or in the extension
   * of another of the data files Engram reads and writes than those in {@code fits} ({@code train
   * --out p.csv}, which wrote an .npz archive over a CSV of patterns), is an error saying what the
   * file would hold ({@code holds}) and what to give instead ({@code instead} for an image's name,
   * the endings that fit for a data file's); checked after the paths, so that an output that is an
   * input is named as such first.
   */
  Outputs expectData(String option, Path path, String holds, String instead, String... fits)
      throws IOException {
    expect(option, path);
    if (path == null || path == STDOUT) {
      return this;
    }
    String e = ending(path.toString(), IMAGE_ENDINGS);
    if (e != null) {
      throw new UserError(
          option + " " + path + " names a " + e + " image, but " + holds + "; " + instead);
    }
    List<String> others = new ArrayList<>(DATA_ENDINGS);
    others.removeAll(List.of(fits));
    e = ending(path.toString(), others);
    if (e == null) {
      List<String> foreign = new ArrayList<>(FOREIGN_DATA_ENDINGS);
      if (List.of(fits).contains(".npy") || List.of(fits).contains(".npz")) {
        foreign.add(".txt"); // (binary: a .txt name promises text)
      }
      e = ending(path.toString(), foreign);
    }
    if (e != null) {
      throw misnamed(option, path, e, holds, Words.alternatives(List.of(fits)));
    }
    return this;
  }

  /**
   * {@code --grid g.npy names a .npy file, but --grid draws a PNG image; give a name ending in
   * .png}.
   */
  private static UserError misnamed(
      String option, Path path, String ending, String holds, String endings) {
    return new UserError(
        option
            + " "
            + path
            + " names a "
            + ending
            + " file, but "
            + holds
            + "; give a name ending in "
            + endings);
  }

  /**
   * {@link #expect}, for a drawn figure (always PNG): a name ending in a data file's extension
   * ({@code --grid g.npy}) is an error.
   */
  Outputs expectPng(String option, Path path) throws IOException {
    expect(option, path);
    String e = path == null || path == STDOUT ? null : ending(path.toString(), DATA_ENDINGS);
    if (e == null && path != null && path != STDOUT) {
      e = ending(path.toString(), OTHER_PICTURE_ENDINGS);
    }
    if (e != null) {
      throw misnamed(option, path, e, option + " draws a PNG image", ".png");
    }
    return this;
  }

  /** Adds a file. */
  Outputs add(String option, Path file, AtomicFiles.Writer writer) {
    files.add(new Output(option, file, Objects.requireNonNull(writer)));
    return this;
  }

  /**
   * Adds a float32 .npy of the rows (B x N), streamed from them ({@link #npyRows}): no flat copy of
   * the rows and no array of all their bytes, so any size is written (the format has no limit; 8200
   * x 65536 floats, 2.0 GiB, overflowed an int in one buffer of them).
   */
  Outputs addRows(String option, Path file, float[][] rows, int n) {
    return add(option, file, npyRows(rows, n));
  }

  /** The bytes of a float32 .npy of the rows (B x N), written a block of rows at a time. */
  static AtomicFiles.Writer npyRows(float[][] rows, int n) {
    return s ->
        Npy.writeFloatRows(
            s,
            rows.length,
            n,
            (from, count, dst) -> {
              for (int k = 0; k < count; k++) {
                System.arraycopy(rows[from + k], 0, dst, k * n, n);
              }
            });
  }

  /** Adds rows as .csv (one per line) when the name ends in .csv, else as float32 .npy. */
  Outputs addRowsByName(String option, Path file, float[][] rows, int n) {
    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
      return addRows(option, file, rows, n);
    }
    return add(option, file, csvRows(rows));
  }

  /**
   * The text of rows as .csv, one line per row, written a line at a time (one string of all of them
   * is limited to 2^31 characters, which patterns of 2^29 values reach).
   */
  static AtomicFiles.Writer csvRows(float[][] rows) {
    return s -> {
      StringBuilder sb = new StringBuilder();
      for (float[] r : rows) {
        sb.setLength(0);
        for (int i = 0; i < r.length; i++) {
          sb.append(i == 0 ? "" : ",")
              .append(r[i] == Math.rint(r[i]) ? String.valueOf((int) r[i]) : String.valueOf(r[i]));
        }
        sb.append('\n');
        s.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  /** Adds a PNG. */
  Outputs addPng(String option, Path file, BufferedImage img) throws IOException {
    byte[] b = Images.png(img);
    return add(option, file, s -> s.write(b));
  }

  /** Adds one PNG per row into a folder (created when the files are written). */
  Outputs addImages(
      String option,
      String folder,
      float[][] rows,
      Images.Size size,
      Inputs.Data names,
      String prefix)
      throws IOException {
    if (folder.isEmpty()) {
      // Path.of("") is the working folder: an unset shell variable would write into it
      throw new UserError(option + " is empty; give a folder path");
    }
    if (folder.equals(STANDARD)) {
      // (demo --images - made a folder named "-")
      throw new UserError(
          option + " -: standard output is one stream, not a folder of images; give a folder path");
    }
    Path dir = Path.of(nameable(option, folder));
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        if (Files.exists(parent)) {
          // (it was "its parent folder does not exist", of a parent that is a file)
          throw new UserError(option + " " + folder + ": " + parent + " is not a folder");
        }
        throw new UserError(option + " " + folder + ": its parent folder does not exist");
      }
      if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
        // (a link to nothing was "exists and is not a folder")
        Path target = Files.readSymbolicLink(dir);
        throw new UserError(
            option
                + " "
                + folder
                + ": is a symbolic link to "
                + target
                + ", which does not exist"
                + (Files.isSymbolicLink(dir.resolveSibling(target)) ? " (or links that loop)" : "")
                + "; give a folder");
      }
      if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new UserError(option + " " + folder + ": exists and is not a folder");
      }
      folderToCreate = dir;
      folderOption = option;
      folderGiven = folder;
    }
    Map<String, Integer> taken = new HashMap<>();
    List<String> writing = new ArrayList<>();
    for (int k = 0; k < rows.length; k++) {
      String name =
          names == null ? String.format(Locale.ROOT, "%s-%03d", prefix, k) : names.name(k, prefix);
      Integer before = taken.putIfAbsent(name.toLowerCase(Locale.ROOT), k);
      if (before != null) {
        throw new UserError(
            option
                + " "
                + folder
                + ": patterns "
                + (before + 1)
                + " and "
                + (k + 1)
                + " would both be written as "
                + name
                + ".png");
      }
      addPng(option, dir.resolve(name + ".png"), Images.toImage(rows[k], size));
      writing.add(name + ".png");
    }
    if (Files.isDirectory(dir)) {
      staleImages(option, folder, dir, writing);
    }
    return this;
  }

  /**
   * Warns of the images an existing output folder holds beside those this command writes: a command
   * that reads the folder ({@code recall --queries noisy/}) reads them too, and a second {@code
   * corrupt --out noisy/} of fewer patterns left the first one's extra cues there without a word,
   * to be recalled with the new ones.
   */
  private static void staleImages(String option, String folder, Path dir, List<String> writing) {
    List<Path> there;
    try {
      there = Images.listAll(dir);
    } catch (IOException | UserError e) {
      return; // (not readable as an image folder: nothing reads it as one either)
    }
    java.util.Set<String> written = new java.util.HashSet<>();
    for (String w : writing) {
      written.add(w.toLowerCase(Locale.ROOT));
    }
    List<String> others = new ArrayList<>();
    for (Path p : there) {
      String name = p.getFileName().toString();
      if (!written.contains(name.toLowerCase(Locale.ROOT))) {
        others.add(name);
      }
    }
    if (!others.isEmpty()) {
      HeldWarnings.warn(
          option
              + " "
              + folder
              + " also holds "
              + Words.count(others.size(), "image")
              + " this command does not write ("
              + String.join(", ", others.subList(0, Math.min(3, others.size())))
              + (others.size() > 3 ? ", ..." : "")
              + "); a command that reads the folder reads "
              + (others.size() == 1 ? "it" : "them")
              + " beside the new ones");
    }
  }

  /** The identities of the input files, computed once (links followed; folders' images). */
  private Map<Object, Input> inputKeys() throws IOException {
    if (inputKeys == null) {
      inputKeys = new HashMap<>();
      for (Input in : inputs) {
        List<Path> paths =
            Files.isDirectory(in.path()) ? Images.listAll(in.path()) : List.of(in.path());
        for (Path p : paths) {
          Object key = key(p);
          if (key != null) {
            inputKeys.putIfAbsent(key, new Input(in.option(), p));
          }
        }
      }
    }
    return inputKeys;
  }

  /** The file system's identity of an existing file (links followed), or null. */
  private static Object key(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.fileKey() != null ? a.fileKey() : p.toRealPath();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private boolean isAllowed(String outOption, String inOption) {
    for (String[] a : allowed) {
      if (a[0].equals(outOption) && a[1].equals(inOption)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks one output and records it in {@code seen} (resolved path or identity to the output that
   * has it); returns where it lands.
   */
  private AtomicFiles.Destination check(Output o, Map<Object, Output> seen) throws IOException {
    String what = o.option() + " " + o.path();
    AtomicFiles.Destination d;
    try {
      d = AtomicFiles.destination(o.path());
    } catch (FileSystemException e) {
      throw new UserError(
          what
              + ": "
              + (e.getReason() != null
                  ? e.getReason()
                  : e instanceof java.nio.file.AccessDeniedException
                      ? "permission denied (on " + e.getFile() + ")"
                      : e.getMessage()));
    }
    switch (d.kind()) {
      case FOLDER -> throw new UserError(what + ": is a folder; give a file path");
      case FILE -> {
        String notWritable = AtomicFiles.notWritable(d.file());
        if (notWritable != null) {
          throw new UserError(what + ": " + notWritable);
        }
      }
      case SPECIAL ->
          throw new UserError(
              what
                  + ": is a named pipe, socket or block device; outputs are regular files, or"
                  + " written directly to a character device or /dev/stdout");
      default -> {}
    }
    if (d.kind() == AtomicFiles.Kind.DEVICE) {
      return d; // /dev/null twice, or as an input too, harms nothing
    }
    // (standard output on a file: that file's identity, through the descriptor's link)
    Object key = d.exists() ? key(d.file()) : null;
    if (key != null) {
      Input in = inputKeys().get(key);
      if (in != null && isAllowed(o.option(), in.option()) && !readVersions.containsKey(o.path())) {
        try {
          readVersions.put(o.path(), AtomicFiles.Version.of(in.path()));
          replacesInput.put(o.path(), in);
        } catch (IOException e) {
          // gone since: reading it says so
        }
      }
      if (in != null && !isAllowed(o.option(), in.option())) {
        throw new UserError(
            what
                + " is "
                + (in.path().equals(o.path())
                    ? "the " + in.option() + " input"
                    : "the same file as the " + in.option() + " input " + in.path())
                + "; an output must not replace an input");
      }
    }
    for (Object id : key == null ? List.of(d.file()) : List.of(d.file(), key)) {
      Output other = seen.putIfAbsent(id, o);
      int fd = AtomicFiles.standardDescriptor(d);
      if (other != null && other != o && fd > 0) {
        // '--csv - --json -' was "--csv /dev/stdout is given twice", a path the user never typed
        // ("-" is /dev/stdout by the time it is here)
        throw new UserError(
            other.option()
                + " and "
                + o.option()
                + " both write to standard "
                + (fd == 2 ? "error" : "output")
                + "; give one of them a file");
      }
      if (other != null && other != o) {
        throw new UserError(
            what
                + (other.path().equals(o.path())
                    ? " is given twice as an output ("
                        + other.option()
                        + (other.option().equals(o.option()) ? "" : " and " + o.option())
                        + ")"
                    : " is the same file as "
                        + other.option()
                        + " "
                        + other.path()
                        + "; each output must be a file of its own"));
      }
    }
    return d;
  }

  /** Writes everything, or (as far as files allow) nothing. */
  void write() throws IOException {
    boolean created = false;
    if (folderToCreate != null) {
      // a file of the folder's own name: it was "--out x: is a folder", the folder this command
      // had just made for its images (demo --out x --images x/)
      Path f = folderToCreate.toAbsolutePath().normalize();
      for (Output o : files) {
        if (o.path() != STDOUT && o.path().toAbsolutePath().normalize().equals(f)) {
          throw new UserError(
              folderOption
                  + " "
                  + folderGiven
                  + ": its name is also that of the "
                  + o.option()
                  + " file "
                  + o.path()
                  + "; each output must be a path of its own");
        }
      }
    }
    if (folderToCreate != null && !Files.isDirectory(folderToCreate)) {
      // (removed by the shutdown of an interrupted command as well, once empty)
      try {
        AtomicFiles.createFolder(folderToCreate);
      } catch (FileSystemException e) {
        // (a name too long for the system was "NAME: File name too long", the option not named as
        // for every other output)
        throw new UserError(
            folderOption
                + " "
                + folderGiven
                + ": "
                + (e.getReason() != null ? e.getReason() : e.getMessage()),
            e);
      }
      created = true;
    }
    try {
      Map<Object, Output> seen = new HashMap<>();
      Map<Path, AtomicFiles.Writer> atomic = new LinkedHashMap<>();
      Map<Output, AtomicFiles.Destination> direct = new LinkedHashMap<>();
      List<String> names = new ArrayList<>();
      for (Output o : files) {
        AtomicFiles.Destination d = check(o, seen);
        if (d.isReplaceable()) {
          atomic.put(o.path(), o.writer());
          names.add(o.option() + " " + EngramCli.printable(o.path().toString()));
        } else {
          direct.put(o, d);
        }
      }
      Map<Path, AtomicFiles.Version> read = new HashMap<>(readVersions);
      read.keySet().retainAll(atomic.keySet());
      try (AtomicFiles.Prepared prepared = prepare(atomic, read)) {
        List<String> written = new ArrayList<>();
        for (Map.Entry<Output, AtomicFiles.Destination> e : direct.entrySet()) {
          writeDirectly(e.getKey(), e.getValue(), written);
          written.add(e.getKey().path().toString());
        }
        try {
          prepared.commit();
          List<String> all = new ArrayList<>(committed);
          all.addAll(names);
          committed = List.copyOf(all);
        } catch (AtomicFiles.ReplacedException ex) {
          throw replaced(ex, written);
        } catch (AtomicFiles.CommitException ex) {
          if (written.isEmpty()) {
            throw ex;
          }
          throw new UserError(
              ex.getMessage() + "; written directly before: " + String.join(", ", written), ex);
        }
      }
      if (created) {
        AtomicFiles.folderWritten(folderToCreate);
      }
      created = false;
    } finally {
      if (created) {
        AtomicFiles.folderWritten(folderToCreate); // (removed here when empty)
        try (var s = Files.list(folderToCreate)) {
          if (s.findAny().isEmpty()) {
            Files.deleteIfExists(folderToCreate);
          }
        }
      }
    }
  }

  /**
   * {@link AtomicFiles#prepare}, a write the disk refused (full, over a quota) named by its option,
   * as {@link #writeDirectly} names one.
   */
  private AtomicFiles.Prepared prepare(
      Map<Path, AtomicFiles.Writer> atomic, Map<Path, AtomicFiles.Version> read)
      throws IOException {
    try {
      return AtomicFiles.prepare(atomic, read);
    } catch (AtomicFiles.WriteException e) {
      for (Output o : files) {
        if (o.path().toString().equals(e.getFile())) {
          throw new UserError(
              o.option()
                  + " "
                  + o.path()
                  + ": could not write ("
                  + e.getReason()
                  + "); no file was changed",
              e);
        }
      }
      throw e;
    } catch (AtomicFiles.FolderException e) {
      // (a read-only file system, an immutable folder, no inode left: it was "PATH: cannot write a
      // file in DIR (...)", the option not named as for every other output)
      for (Output o : files) {
        if (o.path().toString().equals(e.getFile())) {
          throw new UserError(
              o.option() + " " + o.path() + ": " + e.getReason() + "; no file was changed", e);
        }
      }
      throw e;
    }
  }

  /**
   * An output that replaces an input ({@code --init M --out M}) found replaced, removed or changed
   * by another process since this command read it: {@code --out m.npz: was replaced by another
   * process while this command ran (after this command read it as --init); nothing was written, and
   * that process's file stays}. (Two trainings of one model at once each read the old model, and
   * the later rename silently dropped the other's patterns, exit 0.)
   */
  private UserError replaced(AtomicFiles.ReplacedException ex, List<String> written) {
    for (Output o : files) {
      if (o.path().toString().equals(ex.getFile())) {
        Input in = replacesInput.get(o.path());
        return new UserError(
            o.option()
                + " "
                + o.path()
                + ": "
                + ex.getReason()
                + (in == null ? "" : " (after this command read it as " + in.option() + ")")
                + "; "
                + (written.isEmpty()
                    ? "nothing was written"
                    : "no file was replaced (written directly before: "
                        + String.join(", ", written)
                        + ")")
                + ", and that process's file stays; run the command again to build on it",
            ex);
      }
    }
    return new UserError(ex.getMessage(), ex);
  }

  /**
   * Writes to a device or a descriptor (appending, as a shell's {@code >>} would); standard output
   * and error through their descriptors as they are (a read-only or closed one is an error).
   */
  private static void writeDirectly(Output o, AtomicFiles.Destination d, List<String> before)
      throws IOException {
    int fd = AtomicFiles.standardDescriptor(d);
    if (fd == 1) {
      dataOnStandardOutput = true; // before the data: the summary line must not follow it there
    }
    long[] reached = {0}; // bytes the destination took before a failure
    try (OutputStream out =
        new BufferedOutputStream(
            fd < 0
                ? new CountedStream(
                    java.nio.channels.FileChannel.open(
                        d.file(), StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                    true,
                    reached)
                : new StandardStream(fd, reached),
            1 << 16)) {
      o.writer().writeTo(out);
    } catch (IOException e) {
      if (fd == 1 && "Broken pipe".equals(e.getMessage())) {
        throw new ReaderLeft(e);
      }
      String why =
          e instanceof FileSystemException f && f.getReason() != null
              ? f.getReason()
              : e.getMessage();
      // (a write cut short there, 'ulimit -f' with '> file', said "no file was changed" after 1
      // KiB had reached the file; and "-" was named "/dev/stdout", a path the user never typed)
      throw new UserError(
          o.option()
              + " "
              + (o.path() == STDOUT ? "- (standard output)" : o.path())
              + ": could not write ("
              + why
              + ")"
              + (reached[0] > 0
                  ? " after "
                      + reached[0]
                      + " bytes had reached it: what it holds of this output is incomplete; no"
                      + " other file was changed"
                  : "; no file was changed")
              + (before.isEmpty() ? "" : ", but " + String.join(", ", before) + " were written"),
          e);
    }
  }

  /**
   * The reader of standard output left before an output's data were all written there ({@code --out
   * - | head -c 1}): the command ends quietly with {@link EngramCli#BROKEN_PIPE_STATUS}, as one
   * whose printed text met a broken pipe does, not with an error (no file is changed).
   */
  static final class ReaderLeft extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReaderLeft(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Standard output or error through its descriptor, flushed but never closed (the summary line and
   * the error messages still go there). Writes go straight to the descriptor, not through {@code
   * System.out}, whose {@code PrintStream} would swallow a failed write.
   */
  private static final class StandardStream extends CountedStream {
    StandardStream(int fd, long[] reached) {
      // (the descriptor stays open: closing the stream or its channel would close it)
      super(
          new java.io.FileOutputStream(
                  fd == 2 ? java.io.FileDescriptor.err : java.io.FileDescriptor.out)
              .getChannel(),
          false,
          reached);
      if (fd == 2) {
        System.err.flush();
      } else {
        System.out.flush();
      }
    }
  }

  /**
   * Writes to a channel, counting into {@code reached[0]} the bytes it took, exactly: a write cut
   * short (the file size limit, a full disk) takes part of a buffer before it fails, which a
   * stream's write does not tell.
   */
  private static class CountedStream extends OutputStream {
    private final java.nio.channels.WritableByteChannel channel;
    private final boolean closes;
    private final long[] reached;

    CountedStream(java.nio.channels.WritableByteChannel channel, boolean closes, long[] reached) {
      this.channel = channel;
      this.closes = closes;
      this.reached = reached;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * The most bytes given to the channel at once: it copies a heap buffer into a direct one of the
     * same size, which it may keep (a whole dense W would stay in native memory).
     */
    private static final int CHUNK = 1 << 20;

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int done = 0; done < len; ) {
        java.nio.ByteBuffer buf =
            java.nio.ByteBuffer.wrap(b, off + done, Math.min(CHUNK, len - done));
        while (buf.hasRemaining()) {
          int k = channel.write(buf);
          reached[0] += k;
          done += k;
        }
      }
    }

    @Override
    public void close() throws IOException {
      if (closes) {
        channel.close();
      }
    }
  }
}
