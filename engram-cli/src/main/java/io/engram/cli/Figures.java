package io.engram.cli;

import io.engram.analysis.HopfieldAnalyzer;
import io.engram.weights.Weights;
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
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG figures: the recall grid (Java2D), the energy plot and the weight heat map (JFreeChart).
 */
final class Figures {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Figures() {}

  /** At most this many queries are drawn in the energy plot and the recall grid. */
  static final int MAX_ROWS = 50;

  /**
   * The words of the recall figure: a title line, the column titles, and a name per row for the
   * stored and the cue column (a file name, or "row k" of an array file).
   */
  record GridText(
      String title,
      String storedTitle,
      String cueTitle,
      List<String> storedNames,
      List<String> cueNames) {

    /** Names "row 0", "row 1", ... or the file names when there are enough of them. */
    static List<String> names(List<String> files, int count) {
      List<String> r = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        // 0-based, as numpy indexes an array and as the report ("best"), train --remove and
        // the messages name rows (it said "row 1" for the report's pattern 0)
        r.add(files != null && k < files.size() ? files.get(k) : "row " + k);
      }
      return r;
    }

    /**
     * The labels under row r's cells: the name of the first column's pattern, then each other
     * cell's overlap with the stored pattern (without stored patterns: with the cue).
     */
    String[] labels(int r, double cueOverlap, double recalledOverlap, boolean withStored) {
      if (withStored) {
        return new String[] {
          storedNames.get(r),
          String.format(Locale.ROOT, "overlap with stored %.3f", cueOverlap),
          String.format(Locale.ROOT, "overlap with stored %.3f", recalledOverlap)
        };
      }
      return new String[] {
        cueNames.get(r), String.format(Locale.ROOT, "overlap with cue %.3f", recalledOverlap)
      };
    }
  }

  /**
   * Where the recall grid puts things: row r, column c has its image's top-left pixel at {@link
   * #x(int)}, {@link #y(int)}, each pattern pixel drawn as a {@code scale x scale} block.
   */
  record GridLayout(int columns, int rows, Images.Size size, int scale, int minCellWidth) {
    static final int PAD = 12;
    static final int TITLE = 26;
    static final int HEADER = 22;
    static final int LABEL = 20;

    static GridLayout of(int columns, int rows, Images.Size size, int minCellWidth) {
      int scale = Math.max(1, 128 / Math.max(size.width(), size.height()));
      return new GridLayout(columns, rows, size, scale, minCellWidth);
    }

    int cellWidth() {
      return Math.max(size.width() * scale, Math.max(96, minCellWidth));
    }

    int cellHeight() {
      return size.height() * scale;
    }

    int x(int column) {
      return PAD + column * (cellWidth() + PAD);
    }

    int y(int row) {
      return TITLE + HEADER + row * (cellHeight() + LABEL + PAD);
    }

    int width() {
      return x(columns);
    }

    int height() {
      return y(rows);
    }
  }

  /**
   * JFreeChart's standard look with {@link Fonts#font} fonts; applied to a chart first, before any
   * colour is set.
   */
  private static StandardChartTheme theme() {
    StandardChartTheme t = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
    t.setExtraLargeFont(Fonts.font(Font.BOLD, 18));
    t.setLargeFont(Fonts.font(Font.BOLD, 14));
    t.setRegularFont(Fonts.font(Font.PLAIN, 12));
    t.setSmallFont(Fonts.font(Font.PLAIN, 10));
    return t;
  }

  /**
   * The recall figure, one row per query (at most {@link #MAX_ROWS}): the stored pattern (when
   * known), the cue and the recalled state, as CANNs' example shows them. Under each cell: the name
   * of its pattern, and the overlap {@code (1/N) sum a_i b_i} of the cue and of the recalled state
   * with the stored pattern (without stored patterns: of the recalled state with the cue), saying
   * which.
   *
   * @param stored one stored pattern per query, or null
   */
  static BufferedImage recallGrid(
      float[][] stored, float[][] cues, float[][] recalled, Images.Size size, GridText text) {
    Font titleFont = Fonts.font(Font.BOLD, 14);
    Font headerFont = Fonts.font(Font.BOLD, 13);
    Font labelFont = Fonts.font(Font.PLAIN, 12);
    int rows = Math.min(cues.length, MAX_ROWS);
    boolean withStored = stored != null;
    String[] titles =
        withStored
            ? new String[] {text.storedTitle(), text.cueTitle(), "recalled"}
            : new String[] {text.cueTitle(), "recalled"};
    String[][] labels = new String[rows][];
    int widest = 0;
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D m = scratch.createGraphics();
    try {
      textHints(m);
      FontMetrics fm = m.getFontMetrics(labelFont);
      for (int r = 0; r < rows; r++) {
        double cueOverlap = withStored ? HopfieldAnalyzer.overlap(cues[r], stored[r]) : 1;
        double recOverlap = HopfieldAnalyzer.overlap(recalled[r], withStored ? stored[r] : cues[r]);
        labels[r] = text.labels(r, cueOverlap, recOverlap, withStored);
        for (String label : labels[r]) {
          widest = Math.max(widest, Math.min(fm.stringWidth(label), 240) + 8);
        }
      }
    } finally {
      m.dispose();
    }
    GridLayout g = GridLayout.of(titles.length, rows, size, widest);
    BufferedImage img = new BufferedImage(g.width(), g.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D gr = img.createGraphics();
    try {
      gr.setColor(Color.WHITE);
      gr.fillRect(0, 0, g.width(), g.height());
      textHints(gr);
      gr.setColor(Color.BLACK);
      gr.setFont(titleFont);
      String title =
          text.title() + (rows < cues.length ? " (first " + rows + " of " + cues.length + ")" : "");
      gr.drawString(fit(gr, title, g.width() - 2 * GridLayout.PAD), GridLayout.PAD, 18);
      gr.setFont(headerFont);
      for (int c = 0; c < titles.length; c++) {
        centred(gr, titles[c], g.x(c), g.cellWidth(), GridLayout.TITLE + GridLayout.HEADER - 7);
      }
      gr.setFont(labelFont);
      for (int r = 0; r < rows; r++) {
        float[][] cells =
            withStored
                ? new float[][] {stored[r], cues[r], recalled[r]}
                : new float[][] {cues[r], recalled[r]};
        for (int c = 0; c < cells.length; c++) {
          int x0 = g.x(c) + (g.cellWidth() - size.width() * g.scale()) / 2;
          int y0 = g.y(r);
          gr.drawImage(
              Images.toImage(cells[c], size),
              x0,
              y0,
              size.width() * g.scale(),
              size.height() * g.scale(),
              null);
          gr.setColor(Color.GRAY);
          gr.setStroke(new BasicStroke(1));
          gr.drawRect(x0 - 1, y0 - 1, size.width() * g.scale() + 1, size.height() * g.scale() + 1);
          gr.setColor(Color.BLACK);
          centred(gr, labels[r][c], g.x(c), g.cellWidth(), y0 + g.cellHeight() + 15);
        }
      }
    } finally {
      gr.dispose();
    }
    return img;
  }

  /**
   * Anti-aliased text with fractional metrics (which also makes Java2D embolden the bundled font
   * for bold text, see {@link Fonts}).
   */
  private static void textHints(Graphics2D g) {
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
  }

  /**
   * The text, cut with an ellipsis in the middle to fit the width: whole words where it has several
   * (a cut through a word could turn {@code 30%} into {@code 3…}), else characters (a file name).
   */
  static String fit(Graphics2D g, String s, int width) {
    FontMetrics fm = g.getFontMetrics();
    if (fm.stringWidth(s) <= width) {
      return s;
    }
    String[] words = s.split(" ", -1);
    for (int keep = words.length - 1; keep >= 2; keep--) {
      int head = (keep + 1) / 2;
      String t =
          String.join(" ", java.util.Arrays.asList(words).subList(0, head))
              + " \u2026 "
              + String.join(
                  " ",
                  java.util.Arrays.asList(words)
                      .subList(words.length - (keep - head), words.length));
      if (fm.stringWidth(t) <= width) {
        return t;
      }
    }
    int keep = s.length();
    String t = s;
    while (keep > 2 && fm.stringWidth(t) > width) {
      keep--;
      int head = keep / 2;
      t = s.substring(0, head) + "\u2026" + s.substring(s.length() - (keep - head));
    }
    return t;
  }

  private static void centred(Graphics2D g, String s, int x, int width, int baseline) {
    String t = fit(g, s, width);
    FontMetrics fm = g.getFontMetrics();
    g.drawString(t, x + (width - fm.stringWidth(t)) / 2, baseline);
  }

  /**
   * A query's energies as the plot gets them: the steps in increasing order (step 0 is the cue) and
   * the energy after each. Every step of a short recall; of a long one, what {@link
   * RecallCommand.EnergyTrace} kept (the first and last step and the envelope between them).
   */
  record Trace(int[] steps, double[] energies) {

    /** Every step of a recall: the energy after step t at index t. */
    static Trace whole(double[] energies) {
      int[] steps = new int[energies.length];
      for (int t = 0; t < steps.length; t++) {
        steps[t] = t;
      }
      return new Trace(steps, energies);
    }
  }

  /**
   * Energy per step, one line per query (step 0 is the cue), at most {@link #MAX_ROWS} queries.
   *
   * @param energies per query, the energy after each step, starting with the cue's
   */
  static BufferedImage energyPlot(List<Trace> energies, String formula) {
    XYSeriesCollection data = energySeries(energies);
    int shown = data.getSeriesCount();
    long longest = 0;
    for (int q = 0; q < shown; q++) {
      int n = energies.get(q).steps().length;
      longest = Math.max(longest, n == 0 ? 0 : energies.get(q).steps()[n - 1] + 1L);
    }
    String title =
        "Energy during recall"
            + (shown < energies.size() ? " (first " + Words.count(shown, "query") + ")" : "");
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title,
            "step",
            "energy " + formula,
            data,
            PlotOrientation.VERTICAL,
            shown <= 12,
            false,
            false);
    theme().apply(chart);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    // a mark per step while they can be told apart; lines alone beyond
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, longest <= ENERGY_MARKS);
    for (int q = 0; q < shown; q++) {
      r.setSeriesPaint(q, LINES[q % LINES.length]);
      r.setSeriesStroke(q, new java.awt.BasicStroke(1.5f));
    }
    plot.setRenderer(r);
    ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    return chart.createBufferedImage(800, 500);
  }

  /**
   * The energy plot's lines, at most {@link #MAX_ROWS}: "query 0", "query 1", ..., 0-based as the
   * report, the messages and the grid's rows count queries (the legend said "query 1" for the
   * report's query 0).
   */
  static XYSeriesCollection energySeries(List<Trace> energies) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (int q = 0; q < Math.min(energies.size(), MAX_ROWS); q++) {
      XYSeries s = new XYSeries("query " + q, false, true);
      Trace e = energies.get(q);
      addThinned(s, e.steps(), e.energies(), e.steps().length);
      data.addSeries(s);
    }
    return data;
  }

  /**
   * The energy plot's line colours, one per query, each dark enough to see on white: the Okabe-Ito
   * colours (safe for colour blindness) but their yellow, then further dark ones. JFreeChart's own
   * palette drew the fourth query in yellow and others in pale cyan and pink, lines hard to find.
   */
  static final Color[] LINES = {
    new Color(0, 114, 178),
    new Color(213, 94, 0),
    new Color(0, 158, 115),
    new Color(204, 121, 167),
    new Color(230, 159, 0),
    new Color(86, 180, 233),
    Color.BLACK,
    new Color(140, 86, 75),
    new Color(127, 127, 127),
    new Color(148, 103, 189),
    new Color(107, 142, 35),
    new Color(136, 34, 85)
  };

  /** The most steps of a query the energy plot marks one by one (800 pixels wide). */
  static final int ENERGY_MARKS = 200;

  /** Steps beyond which a query's energies are drawn as the lowest and highest of each bucket. */
  static final int ENERGY_POINTS = 2000;

  /**
   * The energies {@code e} (after step t at index t) into {@code s}: all of them up to {@link
   * #ENERGY_POINTS}; beyond, for each of {@code ENERGY_POINTS / 2} runs of steps, the lowest and
   * the highest in step order, so that the line keeps its envelope (a cycle of two energies
   * alternating for 40,000 steps drew 40,000 marks per query, 10 s for 50 queries).
   */
  static void addThinned(XYSeries s, double[] e) {
    Trace t = Trace.whole(e);
    addThinned(s, t.steps(), e, e.length);
  }

  /**
   * {@link #addThinned(XYSeries, double[])} for the first {@code n} energies {@code e} after the
   * steps {@code steps} (increasing): the runs are of steps, from the first to the last.
   */
  static void addThinned(XYSeries s, int[] steps, double[] e, int n) {
    if (n <= ENERGY_POINTS) {
      for (int i = 0; i < n; i++) {
        s.add(steps[i], e[i]);
      }
      return;
    }
    int kept = envelope(steps, e, n, 0, ENERGY_POINTS / 2, (step, energy) -> s.add(step, energy));
    // the last step always, where the recall ended
    if (kept == 0 || s.getX(s.getItemCount() - 1).intValue() != steps[n - 1]) {
      s.add(steps[n - 1], e[n - 1]);
    }
  }

  /** Where {@link #envelope} puts the points it keeps, in step order. */
  interface PointSink {
    void add(int step, double energy);
  }

  /**
   * The points {@code from..n-1} of the energies {@code e} after the steps {@code steps}
   * (increasing), as {@code buckets} runs of steps of equal length from {@code steps[from]} to
   * {@code steps[n - 1]}: of each run its lowest and its highest energy (one point where they are
   * the same), in step order, given to {@code sink}; returns how many. The sink may write into
   * {@code steps} and {@code e} at the index of the point it gets and below (a run's points are
   * read before any of them is given).
   */
  static int envelope(int[] steps, double[] e, int n, int from, int buckets, PointSink sink) {
    long first = steps[from];
    long span = (long) steps[n - 1] + 1 - first;
    int kept = 0;
    int i = from;
    for (int b = 0; b < buckets && i < n; b++) {
      long to = first + span * (b + 1) / buckets; // steps of this run: below `to`
      if (steps[i] >= to) {
        continue; // no point in this run
      }
      int lo = i;
      int hi = i;
      for (i++; i < n && steps[i] < to; i++) {
        if (e[i] < e[lo]) {
          lo = i;
        }
        if (e[i] > e[hi]) {
          hi = i;
        }
      }
      int a = Math.min(lo, hi);
      int z = Math.max(lo, hi);
      int stepA = steps[a];
      double energyA = e[a];
      int stepZ = steps[z];
      double energyZ = e[z];
      sink.add(stepA, energyA);
      kept++;
      if (a != z) {
        sink.add(stepZ, energyZ);
        kept++;
      }
    }
    return kept;
  }

  /** The largest heat map drawn cell for cell; larger N are shown as block means. */
  static final int HEATMAP_CELLS = 256;

  /**
   * The weight matrix as a heat map (blue negative, white zero, red positive). For N above {@link
   * #HEATMAP_CELLS}, each cell is the mean of a block of weights.
   */
  static BufferedImage weightHeatmap(Weights w) {
    int n = w.size();
    int cells = Math.min(n, HEATMAP_CELLS);
    double[] xs = new double[cells * cells];
    double[] ys = new double[cells * cells];
    double[] zs = blockMeans(w, cells);
    double max = 0;
    for (int a = 0; a < cells; a++) {
      for (int b = 0; b < cells; b++) {
        int k = a * cells + b;
        xs[k] = (int) ((long) b * n / cells);
        ys[k] = (int) ((long) a * n / cells);
        max = Math.max(max, Math.abs(zs[k]));
      }
    }
    if (max == 0) {
      max = 1;
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("W", new double[][] {xs, ys, zs});
    NumberAxis x = new NumberAxis("j (presynaptic)");
    NumberAxis y = new NumberAxis("i (postsynaptic)");
    x.setRange(0, n);
    y.setRange(0, n);
    y.setInverted(true);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYBlockRenderer r = new XYBlockRenderer();
    r.setBlockWidth((double) n / cells);
    r.setBlockHeight((double) n / cells);
    r.setBlockAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_LEFT);
    LookupPaintScale scale = new LookupPaintScale(-max, max, Color.WHITE);
    int steps = 64;
    for (int s = 0; s < steps; s++) {
      double v = -max + 2 * max * s / steps;
      double t = (v + max) / (2 * max); // 0 blue .. 0.5 white .. 1 red
      Color c =
          t < 0.5
              ? mix(new Color(33, 102, 172), Color.WHITE, t * 2)
              : mix(Color.WHITE, new Color(178, 24, 43), (t - 0.5) * 2);
      scale.add(v, c);
    }
    r.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, r);
    String title = "Weights W (" + n + " x " + n + (cells < n ? ", block means" : "") + ")";
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    NumberAxis legendAxis = new NumberAxis("weight");
    legendAxis.setRange(-max, max);
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 40, 4);
    chart.addSubtitle(legend);
    theme().apply(chart);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    chart.setBackgroundPaint(Color.WHITE);
    return chart.createBufferedImage(720, 640);
  }

  /**
   * The means of W over {@code cells x cells} blocks (row-major; block a spans rows {@code a N /
   * cells} to {@code (a+1) N / cells}, likewise the columns). Dense weights are summed entry by
   * entry; other weights through products with the blocks' indicator columns, {@code W S} a few
   * columns at a time, whose cost is that of the weights' product (R N per column for low-rank
   * weights): entry by entry, each of a low-rank W's N² entries cost R, and a heat map of N = 65536
   * took 48 s. The products sum in float32, the blocks in float64: the same means to float32's
   * precision.
   */
  static double[] blockMeans(Weights w, int cells) {
    int n = w.size();
    double[] z = new double[cells * cells];
    int[] start = new int[cells + 1];
    for (int a = 0; a <= cells; a++) {
      start[a] = (int) ((long) a * n / cells);
    }
    if (w.isDense() || n <= cells) {
      for (int a = 0; a < cells; a++) {
        for (int b = 0; b < cells; b++) {
          double sum = 0;
          for (int i = start[a]; i < start[a + 1]; i++) {
            for (int j = start[b]; j < start[b + 1]; j++) {
              sum += w.get(i, j);
            }
          }
          z[a * cells + b] = sum;
        }
      }
    } else {
      int chunk = Math.max(1, Math.min(cells, (int) ((32L << 20) / 4 / 2 / n)));
      for (int b0 = 0; b0 < cells; b0 += chunk) {
        int l = Math.min(chunk, cells - b0);
        float[] s = new float[n * l];
        for (int c = 0; c < l; c++) {
          for (int j = start[b0 + c]; j < start[b0 + c + 1]; j++) {
            s[j * l + c] = 1f;
          }
        }
        float[] out = new float[n * l];
        w.multiplyColumns(s, l, out);
        for (int a = 0; a < cells; a++) {
          for (int i = start[a]; i < start[a + 1]; i++) {
            for (int c = 0; c < l; c++) {
              z[a * cells + b0 + c] += out[i * l + c];
            }
          }
        }
      }
    }
    for (int a = 0; a < cells; a++) {
      for (int b = 0; b < cells; b++) {
        z[a * cells + b] /= (double) (start[a + 1] - start[a]) * (start[b + 1] - start[b]);
      }
    }
    return z;
  }

  private static Color mix(Color a, Color b, double t) {
    return new Color(
        (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }
}
