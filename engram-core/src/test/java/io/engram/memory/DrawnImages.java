package io.engram.memory;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Small line drawings made at test time with Java2D (nothing downloaded or shipped, no fonts):
 * image k is three strokes (lines, ellipses, half arcs) drawn 3 pixels wide on black, from a seed
 * fixed by k. Like real pictures they are strongly correlated: mostly background, so two of them
 * agree on about 70% of their pixels (overlap about 0.4), which is what defeats Hebbian weights.
 * Shared with engram-cli's tests through the test jar.
 */
public final class DrawnImages {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private DrawnImages() {}

  /** Image k, {@code size x size}, 8-bit gray. */
  // java.desktop is read by the tests only (engram.core.testReads), never by the module
  @SuppressWarnings("exports")
  public static BufferedImage image(int k, int size) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, size, size);
      g.setColor(Color.WHITE);
      g.setStroke(new BasicStroke(size / 10f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      Random r = new Random(1000 + k);
      double u = size / 32.0;
      for (int s = 0; s < 3; s++) {
        int kind = r.nextInt(3);
        double x0 = u * (4 + r.nextInt(24));
        double y0 = u * (4 + r.nextInt(24));
        double x1 = u * (4 + r.nextInt(24));
        double y1 = u * (4 + r.nextInt(24));
        double left = Math.min(x0, x1);
        double top = Math.min(y0, y1);
        if (kind == 0) {
          g.draw(new Line2D.Double(x0, y0, x1, y1));
        } else if (kind == 1) {
          g.draw(
              new Ellipse2D.Double(
                  left, top, Math.abs(x1 - x0) + 4 * u, Math.abs(y1 - y0) + 4 * u));
        } else {
          g.draw(
              new Arc2D.Double(
                  left,
                  top,
                  Math.abs(x1 - x0) + 6 * u,
                  Math.abs(y1 - y0) + 6 * u,
                  r.nextInt(360),
                  180,
                  Arc2D.OPEN));
        }
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * Image k as a ±1 pattern, row by row: +1 where the gray level is above the image's mean, as
   * {@code engram train} prepares images.
   */
  public static float[] pattern(int k, int size) {
    BufferedImage img = image(k, size);
    float[] v = new float[size * size];
    double mean = 0;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        v[y * size + x] = img.getRaster().getSample(x, y, 0) / 255f;
        mean += v[y * size + x];
      }
    }
    mean /= v.length;
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] > mean ? 1f : -1f;
    }
    return v;
  }
}
