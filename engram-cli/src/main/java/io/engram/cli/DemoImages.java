package io.engram.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The demo's built-in images, drawn at run time with Java2D (so nothing is downloaded or shipped;
 * they are the project's own work, under the project's licence): a letter, a ring, a star and a
 * striped square, each drawn in gray levels at 256 x 256 and then prepared like any input image.
 */
final class DemoImages {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** The names of the images, in order. */
  static final List<String> NAMES = List.of("letter", "ring", "star", "stripes");

  /** The side of every drawing, in pixels. */
  static final int S = 256;

  private DemoImages() {}

  /** Image k (0..3) as grayscale values in [0, 1], 256 x 256, row by row. */
  static float[] draw(int k) {
    BufferedImage img = new BufferedImage(S, S, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(40, 40, 40));
      g.fillRect(0, 0, S, S);
      g.setColor(new Color(230, 230, 230));
      switch (k) {
        case 0 -> {
          // a bold E made of rectangles (no font needed)
          g.fillRect(48, 24, 56, 208);
          g.fillRect(48, 24, 168, 52);
          g.fillRect(48, 102, 136, 52);
          g.fillRect(48, 180, 168, 52);
        }
        case 1 -> {
          // dark on light: a ring and its centre
          g.fillRect(0, 0, S, S);
          g.setColor(new Color(40, 40, 40));
          g.setStroke(new BasicStroke(52));
          g.draw(new Ellipse2D.Double(52, 52, 152, 152));
          g.fill(new Ellipse2D.Double(108, 108, 40, 40));
        }
        case 2 -> {
          // a star, light on the lower half's dark and dark on the upper half's light
          g.fillRect(0, 0, S, S / 2);
          g.setXORMode(new Color(40, 40, 40));
          Polygon star = new Polygon();
          for (int i = 0; i < 10; i++) {
            double a = -Math.PI / 2 + i * Math.PI / 5;
            double r = i % 2 == 0 ? 124 : 52;
            star.addPoint(
                (int) Math.round(128 + r * Math.cos(a)), (int) Math.round(134 + r * Math.sin(a)));
          }
          g.fill(star);
        }
        default -> {
          for (int i = -S; i < S; i += 64) {
            g.fillPolygon(new int[] {i, i + 32, i + 32 + S, i + S}, new int[] {0, 0, S, S}, 4);
          }
        }
      }
    } finally {
      g.dispose();
    }
    return values(img);
  }

  /** The gray values of a drawing in [0, 1], row by row. */
  static float[] values(BufferedImage img) {
    int w = img.getWidth();
    float[] v = new float[w * img.getHeight()];
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        v[y * w + x] = img.getRaster().getSample(x, y, 0) / 255f;
      }
    }
    return v;
  }

  /** The images as ±1 patterns of the given size (resized and thresholded like input images). */
  static float[][] patterns(int count, Images.Size size) {
    return prepare(count, DemoImages::draw, size);
  }

  /**
   * Drawings 0 .. count-1 (each {@value #S} x {@value #S} gray values) as ±1 patterns of the given
   * size, resized and thresholded like input images.
   */
  static float[][] prepare(int count, IntFunction<float[]> drawing, Images.Size size) {
    float[][] p = new float[count][];
    for (int k = 0; k < count; k++) {
      p[k] = Images.thresholdAtMean(Images.resize(drawing.apply(k), S, S, size));
    }
    return p;
  }
}
