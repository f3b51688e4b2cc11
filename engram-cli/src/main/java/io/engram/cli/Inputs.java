package io.engram.cli;

import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import io.engram.io.Patterns;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
   * Checks that a {@code --size} has the model's N pixels.
   *
   * @throws UserError naming both otherwise
   */
  static void sizeFitsModel(Images.Size given, int n) {
    if (given.pixels() != n) {
      throw new UserError(
          "--size "
              + given
              + " has "
              + given.pixels()
              + " pixels, but the model has N = "
              + Words.count(n, "neuron"));
    }
  }

  /**
   * Patterns with what is known about them: the image size when they came from images (else null)
   * and a name per pattern (file names for images, else null).
   */
  record Data(PatternBlock block, Images.Size size, List<String> names, List<String> warnings) {

    Data(PatternBlock block, Images.Size size, List<String> names) {
      this(block, size, names, List.of());
    }

    /** Prints the warnings, one line each. */
    void warn(java.io.PrintWriter err) {
      for (String w : warnings) {
        err.println("engram: warning: " + EngramCli.printable(w));
      }
      err.flush();
    }

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
   * {@code size}, default the first image's size). All must agree on the pattern length. A file
   * that is not a regular file (a pipe such as {@code <(...)}, {@code /dev/stdin}), or standard
   * input redirected from one that is not an .npy ({@link #redirected}), is read once, and its
   * format is told by its first bytes (.npy, an image, else CSV text). Each file is read once: one
   * given twice (also under another name, through a link, or as an image of a folder given too) is
   * an error ({@link #onlyOnce}).
   */
  static Data read(List<Path> files, Images.Size size, Progress progress) throws IOException {
    return read(files, size, 0, progress);
  }

  /**
   * Reads patterns for a model of {@code neurons} neurons: as {@link #read(List, Images.Size,
   * Progress)}, images without a size given at their own size when it has N pixels, else resized to
   * the square of N ({@link Images.Collector#Collector(Images.Size, int)}).
   */
  static Data read(List<Path> files, Images.Size size, int neurons, Progress progress)
      throws IOException {
    List<PatternBlock> blocks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    boolean allImages = true;
    Images.Collector images = new Images.Collector(size, neurons);
    boolean anyImages = false;
    int n = -1;
    Path first = null;
    java.util.Set<Path> streams = new java.util.HashSet<>();
    java.util.Map<Object, Path[]> seen = new java.util.HashMap<>();
    for (Path f : files) {
      PatternBlock b;
      if (Files.exists(f) && !Files.isRegularFile(f) && !Files.isDirectory(f) && !streams.add(f)) {
        // a pipe is read once: a second read finds it empty, and its patterns would be missing
        throw new UserError(
            named(f) + " is given twice; it is a pipe or device, which can be read only once");
      }
      if (Files.isRegularFile(f) || Files.isDirectory(f)) {
        onlyOnce(seen, f, f);
      }
      if (Files.isDirectory(f) || (Files.isRegularFile(f) && Images.isImage(f))) {
        List<Path> imgs = Files.isDirectory(f) ? Images.list(f) : List.of(f);
        if (Files.isDirectory(f)) {
          for (Path i : imgs) {
            onlyOnce(seen, i, f);
          }
        }
        progress.setTotal(imgs.size());
        List<float[]> these = new ArrayList<>();
        for (Path i : imgs) {
          these.add(images.add(i.toString(), Images.read(i, images)));
          progress.step();
          names.add(i.getFileName().toString());
        }
        anyImages = true;
        b = PatternBlock.of(these);
      } else if (Files.exists(f) && (!Files.isRegularFile(f) || redirected(f))) {
        byte[] bytes = readOnce(f);
        if (Images.looksLikeImage(bytes)) {
          b =
              PatternBlock.of(
                  List.of(images.add(f.toString(), Images.read(bytes, f.toString(), images))));
          names.add(f.getFileName() == null ? f.toString() : f.getFileName().toString());
          anyImages = true;
        } else {
          allImages = false;
          b = parsePatterns(f, bytes);
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
      blocks.add(b);
    }
    if (anyImages && images.warning() != null) {
      warnings.add(images.warning());
    }
    if (anyImages && images.framesWarning() != null) {
      warnings.add(images.framesWarning());
    }
    return new Data(
        joined(blocks),
        allImages ? images.size() : null,
        allImages ? List.copyOf(names) : null,
        List.copyOf(warnings));
  }

  /**
   * Standard input redirected from a file ({@code --patterns - < p.csv}) that is not an .npy: a
   * regular file whose name ({@code /dev/stdin}) says nothing of its format, told by its first
   * bytes as a pipe's is (an .npy is read as a file, as large as it may be). It was refused as
   * "/dev/stdin: not a .npy file, and its name does not end in .csv".
   */
  private static boolean redirected(Path f) throws IOException {
    return f.equals(Path.of("/dev/stdin")) && !isNpy(f);
  }

  /** A file as the user gave it: {@code - (standard input)} for /dev/stdin, which {@code -} is. */
  static String named(Path f) {
    return f.equals(Path.of("/dev/stdin")) ? "- (standard input)" : f.toString();
  }

  /**
   * Exit 2 when {@code file} (given as {@code given}: itself, or a folder it is in) is a file read
   * before in this call; else notes it in {@code seen}. The same file given twice was read twice
   * without a word, its patterns stored twice: most likely a slip (a name repeated where another
   * was meant, a folder and an image in it), and one a model cannot undo (a modern memory, Storkey
   * and the stored-pattern count change). A file is known by its identity on disk (device and inode
   * where the system has them, else its real path), so that {@code p.npy}, {@code ./p.npy} and a
   * link to it are one file.
   */
  private static void onlyOnce(java.util.Map<Object, Path[]> seen, Path file, Path given)
      throws IOException {
    Object key =
        Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    if (key == null) {
      key = file.toRealPath();
    }
    Path[] before = seen.putIfAbsent(key, new Path[] {file, given});
    if (before == null) {
      return;
    }
    String where;
    if (before[0].equals(file) && before[1].equals(given)) {
      // (standard input from a file, < p.csv, is a regular file: "/dev/stdin is given twice" named
      // a path the user never typed)
      where = named(file) + " is given twice";
    } else if (!before[1].equals(before[0])) {
      where =
          named(file) + " is read twice: it is also in the folder " + before[1] + ", given before";
    } else if (!given.equals(file)) {
      where =
          file
              + " (in the folder "
              + given
              + ") is read twice: it is given before as "
              + named(before[0]);
    } else {
      where =
          named(file)
              + " is read twice: it is the same file as "
              + named(before[0])
              + ", given before";
    }
    throw new UserError(
        where + "; give each file once (to repeat patterns, repeat their rows in one file)");
  }

  /**
   * The blocks one after the other. One block (one pattern file, the usual case) is returned as it
   * is: its rows copied out and into a new block were two more copies of the data and a second scan
   * of it, so that a train of a 131 MB pattern file (2000 x 16384) ran out of a 600 MB heap.
   */
  private static PatternBlock joined(List<PatternBlock> blocks) {
    if (blocks.size() == 1) {
      return blocks.get(0);
    }
    List<float[]> rows = new ArrayList<>();
    for (PatternBlock b : blocks) {
      for (int k = 0; k < b.count(); k++) {
        rows.add(b.row(k));
      }
    }
    return PatternBlock.of(rows);
  }

  /**
   * Set by {@code bin/engram} where the caller closed standard input ({@code <&-}): the launcher
   * opens {@code /dev/null} there instead, so that the JVM's first file does not take descriptor 0,
   * and {@code --queries -} then said "is a device" of a device the user never gave.
   */
  static final String STDIN_CLOSED_PROPERTY = "engram.stdinClosed";

  /** The most bytes read from a pipe or device: the largest .npy array with its header. */
  static final long MAX_STREAM_BYTES = (long) Npy.MAX_ELEMENTS + Npy.MAX_HEADER_BYTES + 16;

  /**
   * Reads all bytes of a file that is not a regular one (a pipe can be read only once). A device is
   * refused: {@code /dev/zero} or {@code /dev/urandom} would never end.
   */
  static byte[] readOnce(Path file) throws IOException {
    try {
      int type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
      if (type == 0020000 || type == 0060000) {
        if (Boolean.getBoolean(STDIN_CLOSED_PROPERTY) && file.equals(Path.of("/dev/stdin"))) {
          // bin/engram gave the JVM /dev/null for it (see there): that device is no user's
          throw new UserError(
              named(file)
                  + ": is closed (<&-); give a file, or send the data to it (< FILE, or a pipe)");
        }
        throw new UserError(named(file) + ": is a device; give a file, or a pipe such as <(...)");
      }
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // no Unix file modes here: read it
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_STREAM_BYTES));
      if (in.read() >= 0) {
        throw new UserError(file + ": more than " + b.length + " bytes; too large to read");
      }
      return b;
    }
  }

  /** Patterns from the bytes of a pipe: .npy when they start like one, else CSV text. */
  private static PatternBlock parsePatterns(Path file, byte[] bytes) throws IOException {
    try {
      if (isNpy(bytes)) {
        return Patterns.fromArray(Npy.parse(bytes, named(file)));
      }
      return PatternBlock.of(
          readCsv(
              named(file),
              new BufferedReader(
                  new InputStreamReader(
                      new ByteArrayInputStream(bytes),
                      StandardCharsets.UTF_8
                          .newDecoder()
                          .onMalformedInput(CodingErrorAction.REPORT)
                          .onUnmappableCharacter(CodingErrorAction.REPORT)))));
    } catch (IllegalArgumentException e) {
      throw new UserError(named(file) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The message for a zip archive given where patterns go, or null for another file: an Engram
   * model, or numpy's {@code np.savez} arrays. Both were "not a .npy file, and its name does not
   * end in .csv", which said nothing of what the file is.
   */
  static String archiveNotPatterns(Path file) throws IOException {
    byte[] head = head(file, 4);
    if (head.length < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
      return null;
    }
    boolean model;
    try {
      ModelFile.memoryKind(file);
      model = true;
    } catch (IOException | RuntimeException e) {
      model = false;
    }
    return model
        ? file
            + ": is an Engram model, not patterns (a .npy array, a .csv file or images); a model"
            + " is read by recall --model, train --init and inspect"
        : file
            + ": is a zip archive (np.savez's arrays?), not one array of patterns; save the"
            + " patterns with np.save as a .npy file";
  }

  /** The patterns of an array read from {@code file}; a problem is named with the file. */
  static PatternBlock patternsOf(Path file, NdArray a) {
    try {
      return Patterns.fromArray(a);
    } catch (IllegalArgumentException e) {
      throw new UserError(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Exit 2 when {@code --size} was given but has nothing to resize or shape: the command's {@code
   * what} are arrays (.npy, .csv), not images ({@code train --patterns p.npy --size 4x4} passed
   * without a word, whatever N was).
   */
  static void sizeApplies(Images.Size given, boolean images, String what) {
    if (given != null && !images) {
      throw new UserError(
          "--size "
              + given
              + " resizes images, but "
              + what
              + (what.contains(" and ") ? " are arrays" : " holds arrays")
              + " (.npy, .csv); leave --size out");
    }
  }

  /** Reads one pattern file as a block: .npy (1-D or 2-D) or .csv (one pattern per line). */
  static PatternBlock readPatterns(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw Npy.notFound(file);
    }
    if (Files.isDirectory(file)) {
      throw new UserError(file + ": is a folder; give a .npy or .csv file here");
    }
    if (!Files.isRegularFile(file)) {
      return parsePatterns(file, readOnce(file));
    }
    try {
      if (isNpy(file)) {
        // more than 2 GiB of data: straight from the file into the patterns' floats
        return Patterns.beyondOneBuffer(file)
            ? Patterns.readNpy(file)
            : patternsOf(file, Npy.read(file));
      }
      if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          return PatternBlock.of(readCsv(file.toString(), r));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(file + ": " + e.getMessage(), e);
    }
    if (Files.size(file) == 0) {
      // (an empty p.npy was "not a .npy file, and its name does not end in .csv")
      throw new UserError(
          file + ": is empty (0 bytes by the size the system gives), not a .npy file");
    }
    String archive = archiveNotPatterns(file);
    if (archive != null) {
      throw new UserError(archive);
    }
    String image = imageNotPatterns(file);
    if (image != null) {
      throw new UserError(image);
    }
    throw new UserError(file + ": not a .npy file, and its name does not end in .csv");
  }

  /**
   * The message for an image given where its name does not say so, or null for another file: one
   * Engram reads under another name ({@code pic.dat}, {@code a.png.bak}), or one of a format it
   * does not read (TIFF, WebP, HEIF). Both were "not a .npy file, and its name does not end in
   * .csv".
   */
  static String imageNotPatterns(Path file) throws IOException {
    byte[] head = head(file, 12);
    String kind = Images.kindOf(head);
    if (kind == null) {
      return null;
    }
    String endings = String.join(", ", Images.EXTENSIONS);
    if (Images.looksLikeImage(head)) {
      return file
          + ": is "
          + kind
          + ", but its name does not end like one ("
          + endings
          + "), by which Engram knows images; give it a name that does";
    }
    return file
        + ": is "
        + kind
        + ", which Engram does not read (it reads PNG, JPEG, GIF and BMP); convert it, e.g. to"
        + " PNG";
  }

  /** Reads queries (B x N, at least one) from a file, an image or a folder of images. */
  static Data readQueries(Path file, Images.Size size, int neurons, Progress progress)
      throws IOException {
    Data d = read(List.of(file), size, neurons, progress);
    if (d.block().isEmpty()) {
      throw new UserError(file + ": holds no queries");
    }
    return d;
  }

  /**
   * Checks that every row is +1/-1 where the memory needs it (a modern memory with a polynomial,
   * rectified or exp separation), naming the file and the row; the memory's own check named neither
   * ("query 0 has the value 0.5", also for the patterns of engram inspect).
   *
   * @param what "query" or "pattern"
   */
  static void checkSigns(
      io.engram.network.Memory memory, PatternBlock block, Path file, String what) {
    if (!(memory instanceof io.engram.memory.ModernHopfieldMemory m)
        || !m.separation().isBinary()) {
      return;
    }
    for (int k = 0; k < block.count(); k++) {
      float[] row = block.row(k);
      for (int i = 0; i < row.length; i++) {
        if (row[i] != 1f && row[i] != -1f) {
          throw new UserError(
              file
                  + ": "
                  + what
                  + " "
                  + k
                  + " has the value "
                  + row[i]
                  + " at index "
                  + i
                  + "; "
                  + m.separation().id()
                  + " separation needs ±1 values");
        }
      }
    }
  }

  /** The rows of a block. */
  static float[][] rows(PatternBlock b) {
    float[][] q = new float[b.count()][];
    for (int k = 0; k < q.length; k++) {
      q[k] = b.row(k);
    }
    return q;
  }

  /** Reads something from a file. */
  interface Reading<T> {
    T read() throws IOException;
  }

  /**
   * {@code reading.read()}, with any refusal of the file named by the option that gave it, as
   * {@code --order o.npy: an order must be a 1-D array, got rank 2} (the line was {@code o.npy:
   * ...}, the option left to guess). See {@link #naming(String, List, Reading)}.
   */
  static <T> T naming(String option, Path file, Reading<T> reading) throws IOException {
    return naming(option, List.of(file), reading);
  }

  /**
   * {@code reading.read()} of the files an option gave, with a refusal named by the option: a
   * message that begins with one of the files (or a file in a folder given) gets the option before
   * it ({@code --model m.npz: file not found}); any other, of a single file, the option and the
   * file; one that names an option already ({@code --size ...}) is left as it is. A command's
   * positional parameter ({@code MODEL}) is no option: its messages are left as they are.
   */
  static <T> T naming(String option, List<Path> files, Reading<T> reading) throws IOException {
    try {
      return reading.read();
    } catch (IOException | RuntimeException e) {
      String m = EngramCli.describe(e);
      if (m == null || !option.startsWith("-") || m.startsWith("-") && !m.startsWith("- ")) {
        throw e;
      }
      for (Path f : files) {
        for (String name : new String[] {named(f), f.toString()}) {
          if (m.startsWith(name)
              && (m.length() == name.length() || " :/".indexOf(m.charAt(name.length())) >= 0)) {
            throw new UserError(option + " " + m, e);
          }
        }
      }
      if (files.size() == 1) {
        throw new UserError(option + " " + named(files.get(0)) + ": " + m, e);
      }
      throw e;
    }
  }

  /** Reads a permutation from a 1-D integer .npy file (or pipe). */
  static int[] readOrder(Path file) throws IOException {
    NdArray a =
        Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)
            ? Npy.parse(readOnce(file), file.toString())
            : Npy.read(file);
    if (a.rank() != 1) {
      throw new UserError(file + ": an order must be a 1-D array, got rank " + a.rank());
    }
    try {
      return a.toIntArray();
    } catch (IllegalArgumentException e) {
      throw new UserError(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a classical network from a file this command found holding one a moment before ({@link
   * MemoryKinds#of}). A model is a zip archive, read by random access: a pipe or device is refused
   * with a message saying so.
   *
   * @throws UserError where the file now holds another memory kind: another process replaced it
   *     while this command ran
   */
  static AmariHopfieldNetwork readModel(String option, Path file) throws IOException {
    return readKind(option, file, AmariHopfieldNetwork.class, MemoryKinds.CLASSICAL);
  }

  /** Reads a modern memory from a file this command found holding one, as {@link #readModel}. */
  static io.engram.memory.ModernHopfieldMemory readModern(String option, Path file)
      throws IOException {
    return readKind(option, file, io.engram.memory.ModernHopfieldMemory.class, MemoryKinds.MODERN);
  }

  private static <T extends io.engram.network.Memory> T readKind(
      String option, Path file, Class<T> type, String kind) throws IOException {
    io.engram.network.Memory m = readMemory(option, file);
    if (!type.isInstance(m)) {
      // (the kind was read from the file's metadata when the command began: a modern memory
      // swapped in since ended in a ClassCastException, "internal error")
      throw new UserError(
          option
              + " "
              + file
              + ": was replaced by another process while this command ran (it held "
              + MemoryKinds.described(kind)
              + " when the command began, and now "
              + MemoryKinds.described(MemoryKinds.of(m))
              + "); nothing was written; run the command again");
    }
    return type.cast(m);
  }

  /** Reads a model of any memory kind, checked as {@link #readModel}. */
  static io.engram.network.Memory readMemory(String option, Path file) throws IOException {
    checkModelFile(option, file);
    return naming(option, file, () -> ModelFile.readMemory(file));
  }

  /**
   * Refuses a pipe or device as a model file (it is read by random access), and a file that is
   * plainly no model: a .npy array or an image ({@code inspect p.npy}, {@code recall --model
   * cue.png}) was "not a .npz (zip) archive: zip END header not found".
   */
  static void checkModelFile(String option, Path file) {
    if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
      throw new UserError(
          option
              + " "
              + named(file)
              + ": a model must be a regular file (a .npz archive is read by random access),"
              + " not a pipe or device");
    }
    if (!Files.isRegularFile(file)) {
      return;
    }
    byte[] head;
    try {
      head = head(file, 12);
    } catch (IOException e) {
      return; // (the reading proper names the problem)
    }
    String what = isNpy(head) ? "a .npy array" : Images.kindOf(head);
    if (what != null) {
      throw new UserError(
          (option.startsWith("-") ? option + " " : "")
              + file
              + ": is "
              + what
              + ", not a model (the .npz file engram train writes: engram train --patterns "
              + file
              + " --out m.npz)");
    }
  }

  static boolean isNpy(Path file) throws IOException {
    return isNpy(head(file, 6));
  }

  /** The first {@code count} bytes of {@code file} (fewer where it is shorter). */
  private static byte[] head(Path file, int count) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(count);
    }
  }

  static boolean isNpy(byte[] magic) {
    return magic.length >= 6
        && (magic[0] & 0xFF) == 0x93
        && magic[1] == 'N'
        && magic[2] == 'U'
        && magic[3] == 'M'
        && magic[4] == 'P'
        && magic[5] == 'Y';
  }

  /** The longest value quoted in an error message. */
  private static final int QUOTE = 24;

  /** A value for an error message: control characters escaped, long values cut. */
  static String quote(String v) {
    StringBuilder sb = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < v.length() && shown < QUOTE; i++, shown++) {
      char c = v.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufeff') {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (v.length() > QUOTE) {
      sb.append("...' (").append(v.length()).append(" characters)");
    } else {
      sb.append('\'');
    }
    return sb.toString();
  }

  /**
   * The cells of the pattern line {@code t} (stripped, not empty) between separators {@code sep}
   * (",", ";", or "\\s+" for runs of white space), each stripped. A cell in double quotes (RFC
   * 4180, as a spreadsheet that quotes every field writes it: {@code "1"}, {@code "1,5"}) is one
   * cell, separators in it included, given without its quotes, its inner spaces stripped too, and
   * {@code ""} in it read as one {@code "}: a quoted {@code "1,5"} was cut at its comma into {@code
   * "1} and {@code 5"}, and the first called a header line. A quote not closed, or followed by more
   * than blanks before the next separator, leaves the cell as it was written.
   */
  static List<String> cells(String t, String sep) {
    boolean blanks = sep.equals("\\s+");
    List<String> cells = new ArrayList<>();
    int i = 0;
    int n = t.length();
    while (true) {
      int start = i;
      while (i < n && Character.isWhitespace(t.charAt(i)) && !blanks) {
        i++;
      }
      String quoted = null;
      if (i < n && t.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        int j = i + 1;
        while (j < n) {
          char c = t.charAt(j);
          if (c == '"' && j + 1 < n && t.charAt(j + 1) == '"') {
            b.append('"');
            j += 2;
          } else if (c == '"') {
            break;
          } else {
            b.append(c);
            j++;
          }
        }
        if (j < n) {
          quoted = b.toString().strip();
          i = j + 1;
        } else {
          i = n; // not closed: the rest of the line, as written
        }
      }
      int end = i;
      while (end < n && !isSeparator(t.charAt(end), sep)) {
        end++;
      }
      if (quoted != null && !t.substring(i, end).isBlank()) {
        quoted = null; // "1"x: not a quoted cell
      }
      cells.add(quoted != null ? quoted : t.substring(start, end).strip());
      if (end == n) {
        return cells;
      }
      i = end + 1;
      while (blanks && i < n && Character.isWhitespace(t.charAt(i))) {
        i++;
      }
    }
  }

  private static boolean isSeparator(char c, String sep) {
    return sep.equals("\\s+") ? Character.isWhitespace(c) : c == sep.charAt(0);
  }

  /**
   * The separator of the first pattern line {@code t}: a comma, else a semicolon, outside double
   * quotes ({@code "1,5";"2"} is separated by semicolons), else white space.
   */
  static String separator(String t) {
    boolean comma = false;
    boolean semicolon = false;
    boolean inQuotes = false; // ("" inside quotes leaves and enters them again: the same)
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '"') {
        inQuotes = !inQuotes;
      } else if (!inQuotes) {
        comma |= c == ',';
        semicolon |= c == ';';
      }
    }
    return comma ? "," : semicolon ? ";" : "\\s+";
  }

  /**
   * Why a cell that looks like a number to a reader is none here, or null: it holds a character a
   * document or another script puts where a number has an ASCII one (U+2212 MINUS SIGN or another
   * dash for -, a digit of another script, a no-break space); the first such is named.
   */
  static String lookalike(String cell) {
    int c =
        cell.codePoints()
            .filter(
                k ->
                    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d".indexOf(k) >= 0
                        || (Character.isDigit(k) && (k < '0' || k > '9'))
                        || k == 0xa0
                        || k == 0x202f
                        || k == 0x2007)
            .findFirst()
            .orElse(-1);
    if (c < 0) {
      return null;
    }
    String what =
        Character.isDigit(c) ? "write 0-9" : Character.isSpaceChar(c) ? "leave it out" : "write -";
    return String.format(
        Locale.ROOT,
        " (it holds '%s', U+%04X %s; %s)",
        new String(Character.toChars(c)),
        c,
        Character.getName(c),
        what);
  }

  /**
   * One pattern per line. The separator is that of the first pattern line: a comma, else a
   * semicolon, else white space (runs of spaces or tabs are one separator); spaces around a value
   * are ignored, and so are double quotes around it ({@code "1"}, {@code "1,5"} one cell: {@link
   * #cells}). Every cell must hold a number: an empty cell ({@code 1,,1}, or a trailing comma) is
   * an error naming its line and column, never skipped. A UTF-8 byte order mark at the start is
   * ignored; blank lines and lines starting with # are skipped.
   *
   * @param name for error messages
   */
  static List<float[]> readCsv(String name, BufferedReader r) throws IOException {
    List<float[]> rows = new ArrayList<>();
    try {
      String line;
      int lineNo = 0;
      String sep = null;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (lineNo == 1 && line.startsWith("\ufeff")) {
          line = line.substring(1);
        }
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        if (sep == null) {
          sep = separator(t);
        }
        List<String> parts = cells(t, sep);
        float[] row = new float[parts.size()];
        for (int i = 0; i < row.length; i++) {
          String cell = parts.get(i);
          String where = name + ": line " + lineNo + ", column " + (i + 1);
          if (cell.isEmpty()) {
            throw new UserError(
                where
                    + " is empty; every cell must hold a number (a pattern has one value per"
                    + " neuron)");
          }
          if (Decimals.notFinite(cell) != null) {
            throw new UserError(where + " is " + quote(cell) + ", expected a finite number");
          }
          if (!Decimals.isDecimal(cell)) {
            String hint = lookalike(cell);
            if (hint == null && cell.matches("[+-]?[0-9]+,[0-9]+")) {
              hint = " (a decimal comma? write " + cell.replace(',', '.') + ")";
            } else if (hint == null && cell.startsWith("\"") && cell.indexOf('"', 1) < 0) {
              hint = " (its double quote is not closed on its line)";
            } else if (hint == null && sep.equals(",") && cell.indexOf(';') >= 0) {
              hint =
                  " (the first line's comma made ',' the separator; with ; between values, write"
                      + " decimal points, not commas)";
            }
            throw new UserError(
                where
                    + ": "
                    + quote(cell)
                    + " is not a number"
                    + (hint != null
                        ? hint
                        : rows.isEmpty() && i == 0 ? " (a header line? start it with #)" : ""));
          }
          row[i] = Float.parseFloat(cell);
          if (!Float.isFinite(row[i])) {
            // a finite number (the pattern above admits no other) beyond float32's range
            throw new UserError(
                where
                    + " is "
                    + quote(cell)
                    + ", beyond the float32 range of pattern values (at most "
                    + Float.MAX_VALUE
                    + " in magnitude)");
          }
        }
        if (!rows.isEmpty() && row.length != rows.get(0).length) {
          throw new UserError(
              name
                  + ": line "
                  + lineNo
                  + " has "
                  + row.length
                  + " values, the first pattern has "
                  + rows.get(0).length);
        }
        rows.add(row);
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new UserError(name + ": not a text (UTF-8) CSV file", e);
    }
    return rows;
  }
}
