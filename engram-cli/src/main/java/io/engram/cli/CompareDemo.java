package io.engram.cli;

import io.engram.analysis.HopfieldAnalyzer;
import io.engram.learning.PatternBlock;
import io.engram.network.Memory;
import io.engram.network.RecallResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code engram demo --compare}: the same correlated images stored in every memory of {@link
 * LabMemories#compareColumns}, recalled from the same noisy cues, drawn side by side with the
 * exact-recall count in each column's header.
 */
final class CompareDemo {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private CompareDemo() {}

  /**
   * What one memory did.
   *
   * @param name the column header
   * @param recalled one recalled state per cue
   * @param exact how many came back exactly (every value with the stored pattern's sign)
   * @param meanOverlap their mean overlap with the stored patterns
   */
  record Column(String name, float[][] recalled, int exact, double meanOverlap) {}

  /**
   * Stores the patterns in each memory and recalls the cues with its default recall.
   *
   * @param bar advanced once per memory
   */
  static List<Column> run(
      float[][] stored, float[][] cues, List<LabMemories.Entry> memories, Progress bar) {
    PatternBlock block = PatternBlock.of(stored);
    List<Column> columns = new ArrayList<>();
    for (LabMemories.Entry e : memories) {
      Memory m = e.factory().build(block);
      List<RecallResult> results = m.recallBatch(cues, m.defaultRecallOptions());
      float[][] states = new float[cues.length][];
      int exact = 0;
      double overlap = 0;
      for (int k = 0; k < cues.length; k++) {
        states[k] = signs(results.get(k).state());
        double o = HopfieldAnalyzer.overlap(states[k], stored[k]);
        exact += o == 1.0 ? 1 : 0;
        overlap += o / cues.length;
      }
      columns.add(new Column(e.name(), states, exact, overlap));
      bar.step();
    }
    return columns;
  }

  /** The state read through its signs, as the capacity lab reads it. */
  private static float[] signs(float[] s) {
    float[] r = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      r[i] = s[i] > 0 ? 1f : s[i] < 0 ? -1f : 0f;
    }
    return r;
  }

  private static final int PAD = 12;
  private static final int HEADER = 44;
  private static final int LABEL = 18;
  private static final int KEY = 24;

  /** A recalled pixel that is white where the stored one is black. */
  private static final int WRONG_WHITE = 0xFF8080;

  /** A recalled pixel that is black where the stored one is white. */
  private static final int WRONG_BLACK = 0xB00000;

  /**
   * The figure: a row per image (stored, cue, then each memory's recall with its overlap under it),
   * a column per memory with its name and exact-recall count on top; wrong pixels of a recall are
   * tinted red, which a key under the rows explains.
   */
  static BufferedImage figure(
      float[][] stored, float[][] cues, List<Column> columns, Images.Size size, String cueLabel) {
    int scale = Math.max(1, 96 / Math.max(size.width(), size.height()));
    int w = size.width() * scale;
    int h = size.height() * scale;
    int cell = Math.max(w, 132);
    int cols = 2 + columns.size();
    int rows = stored.length;
    int width = PAD + cols * (cell + PAD);
    int height = HEADER + rows * (h + LABEL + PAD) + KEY;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 13);
      Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
      for (int c = 0; c < cols; c++) {
        int x = PAD + c * (cell + PAD);
        String top = c == 0 ? "stored" : c == 1 ? "cue" : columns.get(c - 2).name();
        String bottom =
            c == 0
                ? Words.count(rows, "image")
                : c == 1 ? cueLabel : columns.get(c - 2).exact() + " of " + rows + " exact";
        g.setColor(Color.BLACK);
        g.setFont(bold);
        centred(g, top, x, cell, 18);
        g.setFont(plain);
        centred(g, bottom, x, cell, 34);
      }
      for (int r = 0; r < rows; r++) {
        int y = HEADER + r * (h + LABEL + PAD);
        for (int c = 0; c < cols; c++) {
          float[] v = c == 0 ? stored[r] : c == 1 ? cues[r] : columns.get(c - 2).recalled()[r];
          int x = PAD + c * (cell + PAD) + (cell - w) / 2;
          BufferedImage tile = Images.toImage(v, size);
          if (c >= 2) {
            tile = tinted(tile, v, stored[r], size);
          }
          g.drawImage(tile, x, y, w, h, null);
          g.setColor(Color.GRAY);
          g.setStroke(new BasicStroke(1));
          g.drawRect(x - 1, y - 1, w + 1, h + 1);
          g.setColor(Color.BLACK);
          g.setFont(plain);
          String label =
              c == 0
                  ? "image " + (r + 1)
                  : String.format(
                      Locale.ROOT, "overlap %.3f", HopfieldAnalyzer.overlap(v, stored[r]));
          centred(g, label, PAD + c * (cell + PAD), cell, y + h + LABEL - 4);
        }
      }
      key(g, height - KEY + 4);
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The key to the red pixels: two swatches, each with what it marks. */
  private static void key(Graphics2D g, int top) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    int x = PAD;
    String intro = "wrong pixels:";
    g.drawString(intro, x, top + 12);
    x += g.getFontMetrics().stringWidth(intro) + 8;
    String[] what = {"white where the stored image is black", "black where it is white"};
    int[] colour = {WRONG_WHITE, WRONG_BLACK};
    for (int i = 0; i < what.length; i++) {
      g.setColor(new Color(colour[i]));
      g.fillRect(x, top + 2, 12, 12);
      g.setColor(Color.GRAY);
      g.drawRect(x, top + 2, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(what[i], x + 18, top + 12);
      x += 18 + g.getFontMetrics().stringWidth(what[i]) + 16;
    }
  }

  /**
   * A colour copy of a recalled state's tile with the pixels that differ from the stored pattern in
   * red (light red where it is white instead of black, dark red the other way).
   */
  private static BufferedImage tinted(
      BufferedImage tile, float[] v, float[] stored, Images.Size size) {
    BufferedImage rgb = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.drawImage(tile, 0, 0, null);
    } finally {
      g.dispose();
    }
    for (int i = 0; i < v.length; i++) {
      if (v[i] != stored[i]) {
        rgb.setRGB(i % size.width(), i / size.width(), v[i] > 0 ? WRONG_WHITE : WRONG_BLACK);
      }
    }
    return rgb;
  }

  private static void centred(Graphics2D g, String s, int x, int width, int baseline) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(s, x + (width - fm.stringWidth(s)) / 2, baseline);
  }
}
