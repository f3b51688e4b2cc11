package io.engram.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Images as patterns, as CANNs' image example prepares them: grayscale (luma weights 0.2125 R +
 * 0.7154 G + 0.0721 B, as skimage's {@code rgb2gray}), resized to W x H with area averaging (each
 * output pixel is the mean of the input area it covers: anti-aliased when shrinking), then
 * thresholded at the image's mean to +1 (above the mean) and -1. A pattern is the image's pixels
 * row by row (N = W * H).
 */
final class Images {

  /** File name endings read as images (those the JDK's ImageIO reads). */
  static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

  /** The largest W * H accepted. */
  static final int MAX_PIXELS = 1 << 22;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * Images are coded in memory: ImageIO's default cache is a file in java.io.tmpdir, outside the
   * output folder, which a kill -9 left there, and whose shutdown hook printed a stack trace when
   * SIGTERM came during a write. Set where ImageIO is first used, not when this class is: ImageIO's
   * set-up (its registry of codecs) made every command that merely asks whether a file is an image
   * some 35 ms slower.
   */
  private static void memoryCache() {
    if (!cacheOff) {
      ImageIO.setUseCache(false);
      cacheOff = true;
    }
  }

  private static volatile boolean cacheOff;

  private Images() {}

  /** An image size, W x H. */
  record Size(int width, int height) {
    Size {
      if (width < 1 || height < 1 || (long) width * height > MAX_PIXELS) {
        throw new UserError(
            "image size "
                + width
                + "x"
                + height
                + " out of range (1x1 up to "
                + MAX_PIXELS
                + " pixels)");
      }
    }

    int pixels() {
      return width * height;
    }

    /** Parses {@code WxH} (or a single number for a square), ASCII digits only. */
    static Size parse(String s) {
      // no blanks, as every other number on the command line (" 4x4 " was trimmed where
      // --iterations " 12" is refused)
      String t = s.toLowerCase(Locale.ROOT);
      long w;
      long h;
      try {
        int x = t.indexOf('x');
        w = whole(x < 0 ? t : t.substring(0, x));
        h = x < 0 ? w : whole(t.substring(x + 1));
      } catch (NumberFormatException e) {
        throw new UserError(
            "--size must be WxH, e.g. 64x64, got '" + s + "'" + EngramCli.asciiDigitsHint(s));
      }
      // named as --size (it was "image size 0x5 out of range", no option named; a side beyond
      // an int, 2147483648x1, was "--size must be WxH", which it is)
      if (w < 1 || h < 1 || w > MAX_PIXELS || h > MAX_PIXELS || w * h > MAX_PIXELS) {
        throw new UserError(
            "--size " + s + " is out of range (1x1 up to " + MAX_PIXELS + " pixels)");
      }
      return new Size((int) w, (int) h);
    }

    /** A whole number; one of ASCII digits beyond a long's range as the long nearest it. */
    private static long whole(String s) {
      try {
        return EngramCli.wholeNumber(s, Long.MIN_VALUE, Long.MAX_VALUE);
      } catch (NumberFormatException e) {
        if (s.matches("[+-]?[0-9]+")) {
          return s.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        throw e;
      }
    }

    /** The square size for N pixels, or null when N is not a square. */
    static Size squareOf(int n) {
      int r = (int) Math.round(Math.sqrt(n));
      return r * r == n ? new Size(r, r) : null;
    }

    @Override
    public String toString() {
      return width + "x" + height;
    }
  }

  /** Whether the file name ends like an image. */
  static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(n::endsWith);
  }

  /** The image files of a folder, sorted by name (an error when there are none). */
  static List<Path> list(Path dir) throws IOException {
    List<Path> files = listAll(dir);
    if (files.isEmpty()) {
      long hidden;
      try (Stream<Path> s = Files.list(dir)) {
        hidden =
            s.filter(p -> p.getFileName().toString().startsWith("."))
                .filter(Images::isImage)
                .count();
      }
      throw new UserError(
          dir
              + ": no images in this folder (looked for "
              + String.join(" ", EXTENSIONS)
              + (hidden > 0
                  ? "; " + Words.count(hidden, "hidden file") + " with an image's name, left out"
                  : "")
              + ")");
    }
    return files;
  }

  /**
   * The image files of a folder, sorted by name; possibly none. An entry with an image's name that
   * is no regular file (a folder, a FIFO, a link to nothing or a loop of links) is an error naming
   * it: it was skipped without a word, while a corrupt image is an error. Hidden files (names that
   * start with a dot, which {@code ls} and the shell's {@code *.png} leave out) are not images of
   * the folder: the {@code ._a.png} that macOS leaves beside each file it copies to another file
   * system (its metadata, no image) failed the whole command, and a hidden {@code .b.png} was
   * stored as one more pattern than {@code ls} shows.
   */
  static List<Path> listAll(Path dir) throws IOException {
    List<Path> named;
    try (Stream<Path> s = Files.list(dir)) {
      named =
          s.filter(p -> !p.getFileName().toString().startsWith("."))
              .filter(Images::isImage)
              .sorted()
              .toList();
    }
    for (Path p : named) {
      if (!Files.isRegularFile(p)) {
        String what =
            Files.isDirectory(p)
                ? "a folder"
                : Files.exists(p)
                    ? "a FIFO, socket or device"
                    : "a symbolic link to nothing, or a loop of links";
        throw new UserError(
            p + ": has an image's name but is " + what + "; an image folder holds image files");
      }
    }
    return named;
  }

  /** Whether bytes start like a PNG, JPEG, GIF or BMP image. */
  static boolean looksLikeImage(byte[] b) {
    return startsWith(b, 0x89, 'P', 'N', 'G')
        || startsWith(b, 0xFF, 0xD8, 0xFF)
        || startsWith(b, 'G', 'I', 'F', '8')
        || startsWith(b, 'B', 'M');
  }

  /**
   * What the first bytes of a file say it is where they are an image ({@code "a PNG image"}, also
   * of a format Engram does not read: TIFF, WebP, HEIF/AVIF), or null.
   */
  static String kindOf(byte[] b) {
    if (startsWith(b, 0x89, 'P', 'N', 'G')) {
      return "a PNG image";
    } else if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
      return "a JPEG image";
    } else if (startsWith(b, 'G', 'I', 'F', '8')) {
      return "a GIF image";
    } else if (startsWith(b, 'B', 'M')
        && b.length >= 10
        && b[6] == 0
        && b[7] == 0
        && b[8] == 0
        && b[9] == 0) { // (its reserved bytes: a text file may start with BM)
      return "a BMP image";
    } else if (startsWith(b, 'I', 'I', 42, 0) || startsWith(b, 'M', 'M', 0, 42)) {
      return "a TIFF image";
    } else if (startsWith(b, 'R', 'I', 'F', 'F')
        && b.length >= 12
        && new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("WEBP")) {
      return "a WebP image";
    } else if (b.length >= 12
        && new String(b, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ftyp")
        && List.of("heic", "heix", "mif1", "avif")
            .contains(new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1))) {
      return "a HEIF or AVIF image";
    }
    return null;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads one image as grayscale values in [0, 1].
   *
   * @return the image's own size and its W*H values, row by row
   */
  static Gray read(Path file) throws IOException {
    return read(file, null);
  }

  /**
   * Reads one image as grayscale values in [0, 1], its size checked from its header before it is
   * decoded: against the largest image read, and against {@code images}' limits (the first image
   * without --size gives N).
   */
  static Gray read(Path file, Collector images) throws IOException {
    memoryCache();
    String name = file.toString();
    if (!Files.isReadable(file)) {
      // as for any other input this user may not read (ImageIO's stream would be null, and the
      // message that of a file that is no image)
      throw new UserError(name + ": permission denied");
    }
    return gray(
        decode(
            name, () -> decodeChecked(ImageIO.createImageInputStream(file.toFile()), name, images)),
        name);
  }

  /** Reads image bytes (from a pipe, say) as grayscale values in [0, 1]. */
  static Gray read(byte[] bytes, String name) throws IOException {
    return read(bytes, name, null);
  }

  /**
   * Reads image bytes (from a pipe, say), its size checked first as {@link #read(Path, Collector)}.
   */
  static Gray read(byte[] bytes, String name, Collector images) throws IOException {
    memoryCache();
    return gray(
        decode(
            name,
            () ->
                decodeChecked(
                    new javax.imageio.stream.MemoryCacheImageInputStream(
                        new java.io.ByteArrayInputStream(bytes)),
                    name,
                    images)),
        name);
  }

  /**
   * Decodes the first image of a stream as {@code ImageIO.read} does, after checking the size its
   * header gives: a small file can declare an image far too large (a 1 MB PNG of 12000 x 12000
   * pixels took 20 s and a gigabyte of heap to decode before it was refused); null when no reader
   * takes the stream.
   */
  private static BufferedImage decodeChecked(
      javax.imageio.stream.ImageInputStream in, String name, Collector images) throws IOException {
    if (in == null) {
      return null;
    }
    try (in) {
      java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      javax.imageio.ImageReader reader = readers.next();
      try {
        // a GIF may be animated: its frames are counted after the first is read, which needs
        // the stream's start again (a file, or bytes already in memory)
        boolean gif = "gif".equalsIgnoreCase(reader.getFormatName());
        reader.setInput(in, !gif, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        tooLarge(name, w, h);
        if (images != null) {
          images.check(name, w, h);
        }
        BufferedImage img = reader.read(0, reader.getDefaultReadParam());
        if (gif && images != null) {
          images.frames(name, reader.getNumImages(true));
        }
        return img;
      } finally {
        reader.dispose();
      }
    }
  }

  /** Refuses an image larger than any that is read (also when resized by --size). */
  private static void tooLarge(String name, int w, int h) {
    if ((long) w * h > 64L * MAX_PIXELS) {
      throw new UserError(name + ": image of " + w + "x" + h + " pixels is too large");
    }
  }

  /** Reads an image. */
  @FunctionalInterface
  private interface Decoder {
    BufferedImage decode() throws IOException;
  }

  private static BufferedImage decode(String name, Decoder d) {
    BufferedImage img;
    try {
      img = d.decode();
    } catch (UserError e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new UserError(name + ": not a readable image (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new UserError(name + ": not a readable PNG, JPEG, GIF or BMP image");
    }
    return img;
  }

  private static Gray gray(BufferedImage img, String name) {
    int w = img.getWidth();
    int h = img.getHeight();
    tooLarge(name, w, h);
    float[] g = new float[w * h];
    java.awt.image.ColorModel cm = img.getColorModel();
    if (!(cm instanceof java.awt.image.IndexColorModel)
        && cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY) {
      // a gray image (PNG of 1 to 16 bits, with or without alpha; grayscale JPEG): its own levels
      // (over white where it has alpha), as skimage reads them. getRGB would convert them from
      // linear gray to sRGB first, which brightens the mid grays (50 of 255 becomes 124) and
      // moves the threshold at the mean: the same picture saved as RGB gave other pixels.
      java.awt.image.Raster raster = img.getRaster();
      double max = (1L << cm.getComponentSize(0)) - 1;
      int alphaBand = cm.hasAlpha() ? cm.getNumComponents() - 1 : -1;
      double alphaMax = alphaBand < 0 ? 1 : (1L << cm.getComponentSize(alphaBand)) - 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double v = raster.getSample(x, y, 0) / max;
          if (alphaBand >= 0) {
            v = overWhite(v, raster.getSample(x, y, alphaBand) / alphaMax);
          }
          g[y * w + x] = (float) v;
        }
      }
      return new Gray(w, h, g);
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = img.getRGB(x, y);
        int r = (argb >> 16) & 0xFF;
        int gr = (argb >> 8) & 0xFF;
        int b = argb & 0xFF;
        // the weights sum to 1, so the gray of the colour over white is the gray over white
        double level = (0.2125 * r + 0.7154 * gr + 0.0721 * b) / 255.0;
        g[y * w + x] = (float) overWhite(level, (argb >>> 24) / 255.0);
      }
    }
    return new Gray(w, h, g);
  }

  /**
   * A level in [0, 1] of a pixel of opacity {@code alpha} in [0, 1], shown over white as a web page
   * or skimage's {@code rgba2rgb} shows it: a transparent pixel is white whatever colour it stores.
   * The stored colour alone made a black letter on a transparent background (stored as transparent
   * black, as many tools save it) one black image: every value -1, the letter lost.
   */
  static double overWhite(double level, double alpha) {
    return alpha >= 1 ? level : level * alpha + (1 - alpha);
  }

  /** Grayscale pixels of one image. */
  record Gray(int width, int height, float[] values) {}

  /**
   * Area-averaging resize: output pixel (x, y) is the mean of the input over the rectangle it
   * covers, with fractional weights at the edges. Enlarging repeats pixels (nearest).
   */
  static float[] resize(float[] src, int width, int height, Size to) {
    if (width == to.width() && height == to.height()) {
      return src.clone();
    }
    float[] tmp = resample(src, width, height, to.width(), true);
    return resample(tmp, to.width(), height, to.height(), false);
  }

  /** Resamples along one axis (rows when {@code horizontal}, else columns). */
  private static float[] resample(float[] src, int w, int h, int newLen, boolean horizontal) {
    int oldLen = horizontal ? w : h;
    int other = horizontal ? h : w;
    float[] out = new float[horizontal ? newLen * h : w * newLen];
    double scale = (double) oldLen / newLen;
    for (int o = 0; o < other; o++) {
      for (int k = 0; k < newLen; k++) {
        double a = k * scale;
        double b = (k + 1) * scale;
        double sum = 0;
        for (int i = (int) Math.floor(a); i < Math.min(oldLen, (int) Math.ceil(b)); i++) {
          double weight = Math.min(b, i + 1) - Math.max(a, i);
          float v = horizontal ? src[o * w + i] : src[i * w + o];
          sum += weight * v;
        }
        float r = (float) (sum / (b - a));
        if (horizontal) {
          out[o * newLen + k] = r;
        } else {
          out[k * w + o] = r;
        }
      }
    }
    return out;
  }

  /**
   * +1 where a value is above the mean, -1 elsewhere (CANNs: {@code img > threshold_mean(img)}).
   */
  static float[] thresholdAtMean(float[] values) {
    double mean = 0;
    for (float v : values) {
      mean += v;
    }
    mean /= values.length;
    float[] r = new float[values.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = values[i] > mean ? 1f : -1f;
    }
    return r;
  }

  /** Turns images into patterns one by one, all at one size. */
  static final class Collector {
    private boolean sizeGiven;
    private final int neurons;
    private final List<float[]> rows = new ArrayList<>();
    private Size target;
    private String first;
    private int resized;
    private String example;
    private boolean reshaped;

    /** The size is the square of the model's N, not the user's --size: resizing is said. */
    private boolean fitted;

    private int animated;
    private String animatedExample;

    /** Patterns of the given size, or (null) of the first image's size. */
    Collector(Size size) {
      this(size, 0);
    }

    /**
     * Patterns of the given size, or (null) for a model of {@code neurons} neurons (0: none): the
     * first image's size when it has that many pixels (a 16x4 image for N = 64), else the square of
     * N where there is one (images of another resolution resized to it, as asked), else the first
     * image's size.
     */
    Collector(Size size, int neurons) {
      this.target = size;
      this.sizeGiven = size != null;
      this.neurons = neurons;
    }

    /** The square of N that images of another pixel count are resized to, or null. */
    private Size square(int w, int h) {
      return neurons > 0 && (long) w * h != neurons ? Size.squareOf(neurons) : null;
    }

    /**
     * Refuses an image of {@code w x h} pixels that would be the first one without a size given,
     * and is too large to be N (before it is decoded: {@link #read(Path, Collector)}).
     */
    void check(String name, int w, int h) {
      if (target == null && square(w, h) == null && (long) w * h > MAX_PIXELS) {
        throw new UserError(
            name + ": " + w + "x" + h + " pixels is too many neurons; give a smaller --size");
      }
    }

    /** Notes an image's frame count: only the first frame of an animated GIF is read. */
    void frames(String name, int count) {
      if (count > 1) {
        animated++;
        if (animatedExample == null) {
          animatedExample = name + " has " + count + " frames";
        }
      }
    }

    /** A line saying which images had more frames than the one read, or null when none had. */
    String framesWarning() {
      if (animated == 0) {
        return null;
      }
      return animated == 1
          ? animatedExample + " (an animated GIF); only the first was read"
          : animated
              + " images have more than one frame ("
              + animatedExample
              + "); only the first frame of each was read";
    }

    /** Adds an image; returns its pattern. */
    float[] add(String name, Gray g) {
      if (target == null) {
        check(name, g.width(), g.height());
        Size square = square(g.width(), g.height());
        // the model's square was the size of every image before, whatever their shape: a 16x4
        // cue of a model of 16x4 images was squeezed into 8x8, and recalled as noise
        sizeGiven = square != null;
        fitted = square != null;
        target = square != null ? square : new Size(g.width(), g.height());
        first = name;
        if (fitted) {
          resizedOne(name, g);
        }
      } else if ((fitted || !sizeGiven)
          && (g.width() != target.width() || g.height() != target.height())) {
        resizedOne(name, g);
      }
      float[] row = thresholdAtMean(resize(g.values(), g.width(), g.height(), target));
      rows.add(row);
      return row;
    }

    private void resizedOne(String name, Gray g) {
      resized++;
      if (example == null) {
        example = name + " is " + g.width() + "x" + g.height();
      }
      reshaped |= (long) g.width() * target.height() != (long) g.height() * target.width();
    }

    /** The common size (null before the first image, when none was given). */
    Size size() {
      return target;
    }

    /** A line saying which images were resized, or null when none was. */
    String warning() {
      String warning = null;
      if (resized > 0 && fitted) {
        // cues of another resolution than the model's images: resized to N's square, as before,
        // but no longer without a word
        warning =
            (resized == 1 ? example : resized + " of " + rows.size() + " images, e.g. " + example)
                + ", not "
                + target
                + " (the model's N = "
                + neurons
                + "); resized to "
                + target
                + (reshaped ? ", distorting its shape" : "")
                + " (--size WxH gives another shape of N pixels)";
      } else if (resized > 0) {
        warning =
            resized
                + " of "
                + rows.size()
                + (resized == 1 ? " images is not " : " images are not ")
                + target
                + " like the first, "
                + first
                + " ("
                + example
                + (resized == 1 ? "); it was resized to " : "); they were resized to ")
                + target
                + (reshaped
                    ? resized == 1
                        ? ", distorting its shape"
                        : ", distorting those of another shape"
                    : "")
                + ". Give --size WxH to choose the size";
      }
      return warning;
    }
  }

  /**
   * A pattern as a grayscale image: -1 (or less) is black, +1 (or more) white, values between
   * linearly gray.
   */
  static BufferedImage toImage(float[] pattern, Size size) {
    if (pattern.length != size.pixels()) {
      throw new UserError(
          "a pattern of length "
              + pattern.length
              + " is not a "
              + size
              + " image ("
              + size.pixels()
              + " pixels)");
    }
    BufferedImage img =
        new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < size.height(); y++) {
      for (int x = 0; x < size.width(); x++) {
        img.getRaster().setSample(x, y, 0, gray(pattern[y * size.width() + x]));
      }
    }
    return img;
  }

  /** The 0..255 gray level of a value in [-1, 1]. */
  static int gray(float v) {
    double g = (Math.max(-1f, Math.min(1f, v)) + 1) / 2 * 255;
    return (int) Math.round(g);
  }

  /** PNG bytes of an image. */
  static byte[] png(BufferedImage img) throws IOException {
    memoryCache();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", out)) {
      throw new IOException("no PNG writer available");
    }
    return out.toByteArray();
  }
}
