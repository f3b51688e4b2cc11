package io.engram.cli;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes sure text can be drawn. Java2D finds fonts through fontconfig; on a headless machine
 * without fontconfig or without fonts, drawing the first text fails ("Fontconfig head is null").
 * Then the JDK is pointed at the font bundled in this jar (DejaVu Sans, see {@code
 * fonts/README.md}) through its font configuration file property {@code sun.awt.fontconfig}, and
 * text is drawn with it ({@link #font} gives the fonts to draw with, bold included). Where the
 * machine has fonts, nothing changes.
 *
 * <p>The system property {@code engram.fonts=bundled} uses the bundled font from the start (for
 * tests, and for figures that look the same on every machine).
 */
final class Fonts {

  /** The bundled font, a resource of this class. */
  static final String RESOURCE = "fonts/DejaVuSans.ttf";

  /** Why fonts could not be set up: the machine has none, and the fallback failed too. */
  static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static Boolean bundled;

  /** The bundled font when it is used (bold is then drawn by emboldening it), else null. */
  private static Font base;

  private Fonts() {}

  /** The system property that asks for the bundled font everywhere: {@code bundled}. */
  static final String PROPERTY = "engram.fonts";

  /**
   * Whether {@link #PROPERTY} asks for the bundled font: {@code bundled} in any case; unset or
   * blank, the machine's fonts come first. Any other value is refused (it was compared with
   * "bundled" alone, and any other value, a mistyped "Bundled" too, silently meant the machine's
   * fonts).
   *
   * @throws IllegalStateException naming the value
   */
  private static boolean bundledAsked() {
    String v = System.getProperty(PROPERTY);
    if (v == null || v.isBlank()) {
      return false;
    }
    if (v.trim().equalsIgnoreCase("bundled")) {
      return true;
    }
    throw new IllegalStateException(
        "the setting "
            + PROPERTY
            + " is "
            + Inputs.quote(v)
            + ", expected bundled (or unset: the machine's fonts, else the bundled one)");
  }

  /**
   * Checks {@link #PROPERTY} ({@link #bundledAsked}), as the command line does at its start.
   *
   * @throws IllegalStateException naming the value
   */
  static void checkSetting() {
    bundledAsked();
  }

  /**
   * Makes text drawable; returns whether the bundled font is used.
   *
   * @throws Unavailable if neither the machine's fonts nor the bundled one can be used
   */
  static synchronized boolean ensure() {
    if (bundled != null) {
      return bundled;
    }
    System.setProperty("java.awt.headless", "true");
    if (bundledAsked()) {
      useBundled();
      probe();
      return bundled = true;
    }
    try {
      probe();
      return bundled = false;
    } catch (RuntimeException | LinkageError | InternalError first) {
      try {
        useBundled();
        probe();
        return bundled = true;
      } catch (RuntimeException | LinkageError | InternalError second) {
        second.addSuppressed(first);
        throw new Unavailable(
            "cannot draw text for the figures: this machine has no usable fonts ("
                + first.getMessage()
                + "), and the bundled font could not be used ("
                + second
                + "); install fontconfig and a font, e.g. fonts-dejavu-core",
            second);
      }
    }
  }

  /**
   * A sans-serif font: the platform's (with its fallback for characters it lacks), or the bundled
   * one.
   */
  static Font font(int style, float size) {
    ensure();
    return base != null
        ? base.deriveFont(style, size)
        : new Font(Font.SANS_SERIF, style, Math.round(size));
  }

  /** Draws text once, which makes the JDK load its fonts (or fail). */
  private static void probe() {
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString("x", 0, 3);
      g.getFontMetrics().stringWidth("x");
    } finally {
      g.dispose();
    }
  }

  /** An unchecked error reading or writing the font files. */
  private static final class IOError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IOError(IOException e) {
      super(e.toString(), e);
    }
  }

  /**
   * Copies the bundled font to a temporary folder (removed when the program ends) and writes a JDK
   * font configuration that maps every logical font (serif, sans-serif, monospaced, dialog) to it.
   */
  private static void useBundled() {
    try {
      Path dir = Files.createTempDirectory("engram-fonts");
      dir.toFile().deleteOnExit();
      Path ttf = dir.resolve("DejaVuSans.ttf");
      try (InputStream in = Fonts.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IOException("resource " + RESOURCE + " is missing from the jar");
        }
        Files.copy(in, ttf);
      }
      ttf.toFile().deleteOnExit();
      StringBuilder sb = new StringBuilder("version=1\n");
      for (String family :
          new String[] {"serif", "sansserif", "monospaced", "dialog", "dialoginput"}) {
        for (String style : new String[] {"plain", "bold", "italic", "bolditalic"}) {
          sb.append(family).append('.').append(style).append(".latin-1=DejaVu Sans\n");
        }
      }
      sb.append("sequence.allfonts=latin-1\n");
      // the file name is a properties value: escape backslashes (Windows paths)
      sb.append("filename.DejaVu_Sans=")
          .append(ttf.toAbsolutePath().toString().replace("\\", "\\\\"))
          .append('\n');
      Path props = dir.resolve("fontconfig.properties");
      Files.writeString(props, sb.toString(), StandardCharsets.ISO_8859_1);
      props.toFile().deleteOnExit();
      System.setProperty("sun.awt.fontconfig", props.toString());
      // (made from a stream, not the file: only then does Java2D embolden it for bold text)
      try (InputStream in = Files.newInputStream(ttf)) {
        base = Font.createFont(Font.TRUETYPE_FONT, in);
      } catch (java.awt.FontFormatException e) {
        throw new IOException(RESOURCE + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new IOError(e);
    }
  }
}
