package io.engram.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The images of {@code engram demo --compare}: capital letters drawn at run time with Java2D as
 * thick strokes on one 4 x 6 grid (no font, nothing downloaded; the project's own work, under its
 * licence). Letters that share strokes (E, F, L; P, B, R; O, C, D, U) make a strongly correlated
 * set, as real images are, where the Hebbian rule fails long before its random-pattern capacity.
 */
final class DemoLetters {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private DemoLetters() {}

  private static final int S = DemoImages.S;

  /** The letters, in the order they are stored. */
  static final List<String> NAMES =
      List.of("E", "F", "H", "L", "T", "I", "P", "B", "D", "O", "C", "U", "J", "K", "N", "R");

  /** File names that keep the order when a folder is listed: {@code 01-E}, {@code 02-F}, …. */
  static List<String> fileNames() {
    List<String> names = new java.util.ArrayList<>();
    for (int k = 0; k < NAMES.size(); k++) {
      names.add(String.format(java.util.Locale.ROOT, "%02d-%s", k + 1, NAMES.get(k)));
    }
    return names;
  }

  /** Each letter's strokes: polylines of (x, y) points on the 4 x 6 grid. */
  private static double[][] strokes(String letter) {
    return switch (letter) {
      case "E" -> new double[][] {{4, 0, 0, 0, 0, 6, 4, 6}, {0, 3, 3, 3}};
      case "F" -> new double[][] {{4, 0, 0, 0, 0, 6}, {0, 3, 3, 3}};
      case "H" -> new double[][] {{0, 0, 0, 6}, {4, 0, 4, 6}, {0, 3, 4, 3}};
      case "L" -> new double[][] {{0, 0, 0, 6, 4, 6}};
      case "T" -> new double[][] {{0, 0, 4, 0}, {2, 0, 2, 6}};
      case "I" -> new double[][] {{1, 0, 3, 0}, {2, 0, 2, 6}, {1, 6, 3, 6}};
      case "P" -> new double[][] {{0, 6, 0, 0, 3, 0, 4, 1, 4, 2, 3, 3, 0, 3}};
      case "B" ->
          new double[][] {
            {0, 6, 0, 0, 3, 0, 4, 1, 4, 2, 3, 3, 0, 3}, {3, 3, 4, 4, 4, 5, 3, 6, 0, 6}
          };
      case "D" -> new double[][] {{0, 0, 0, 6, 2, 6, 4, 4, 4, 2, 2, 0, 0, 0}};
      case "O" -> new double[][] {{1, 0, 3, 0, 4, 1, 4, 5, 3, 6, 1, 6, 0, 5, 0, 1, 1, 0}};
      case "C" -> new double[][] {{4, 0, 1, 0, 0, 1, 0, 5, 1, 6, 4, 6}};
      case "U" -> new double[][] {{0, 0, 0, 5, 1, 6, 3, 6, 4, 5, 4, 0}};
      case "J" -> new double[][] {{4, 0, 4, 5, 3, 6, 1, 6, 0, 5}};
      case "K" -> new double[][] {{0, 0, 0, 6}, {4, 0, 0, 3, 4, 6}};
      case "N" -> new double[][] {{0, 6, 0, 0, 4, 6, 4, 0}};
      case "R" -> new double[][] {{0, 6, 0, 0, 3, 0, 4, 1, 4, 2, 3, 3, 0, 3}, {2, 3, 4, 6}};
      default -> throw new IllegalArgumentException("no strokes for " + letter);
    };
  }

  /** Letter k as grayscale values in [0, 1] (light strokes on dark), 256 x 256, row by row. */
  static float[] draw(int k) {
    BufferedImage img = new BufferedImage(S, S, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(30, 30, 30));
      g.fillRect(0, 0, S, S);
      g.setColor(new Color(235, 235, 235));
      g.setStroke(new BasicStroke(34, BasicStroke.CAP_SQUARE, BasicStroke.JOIN_MITER));
      for (double[] line : strokes(NAMES.get(k))) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < line.length; i += 2) {
          double x = 58 + 35 * line[i];
          double y = 26 + 34 * line[i + 1];
          if (i == 0) {
            path.moveTo(x, y);
          } else {
            path.lineTo(x, y);
          }
        }
        g.draw(path);
      }
    } finally {
      g.dispose();
    }
    return DemoImages.values(img);
  }

  /**
   * The first {@code count} letters as ±1 patterns of the given size (prepared like input images).
   */
  static float[][] patterns(int count, Images.Size size) {
    return DemoImages.prepare(count, DemoLetters::draw, size);
  }
}
