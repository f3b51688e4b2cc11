package io.engram.cli;

import io.engram.analysis.CapacityPoint;
import io.engram.analysis.CapacityTheory;
import io.engram.analysis.Estimate;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The figure of {@code engram capacity --plot}: three panels over the load P/N (recall, one-step
 * error on a log scale, final overlap), the measured points with their 95% intervals, and the
 * theory beside them where it exists (the one-step error {@code ½ erfc(√(N/2P))} and its exact
 * finite-N tail, the AGS overlap, the capacities of McEliece et al., of Storkey and of the
 * pseudo-inverse rule as vertical lines).
 */
final class CapacityChart {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private CapacityChart() {}

  /** Colours of the measured curves, one per memory (Okabe-Ito, safe for colour blindness). */
  private static final Color[] COLOURS = {
    new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167)
  };

  private static final Color THEORY = new Color(90, 90, 90);

  /** The smallest error the log axis shows; measured zeros lie below it and are not drawn. */
  static final double MIN_ERROR = 1e-5;

  /** One measured curve: a memory's name and its points. */
  record Curve(String name, List<CapacityPoint> points) {}

  /**
   * The top of the one-step error axis: 0.5, or above the largest error measured (its interval's
   * top) where that is more. The axis stopped at 0.5, so that errors up to 1 (the anti-Hebbian rule
   * flips every bit of a stored pattern) were not drawn: an empty panel beside a table of 1.00000.
   */
  static double errorTop(List<Curve> curves) {
    double top = 0.5;
    for (Curve c : curves) {
      for (CapacityPoint p : c.points()) {
        Estimate e = p.oneStepError();
        double hi = Double.isNaN(e.high()) ? e.mean() : e.high();
        if (hi * 1.3 > top) {
          top = Math.min(1.5, hi * 1.3);
        }
      }
    }
    return top;
  }

  /** The figure of one run. */
  static BufferedImage draw(CapacityCommand.Run run) {
    String title =
        String.format(
            Locale.ROOT,
            "Capacity of %s: N = %d, %s, %s, cues with %s",
            run.memoryKind().equals(MemoryKinds.CLASSICAL)
                ? "the " + run.entry().name() + " rule"
                : run.memoryKind() + " memory" + CapacityReport.beta(run),
            run.neurons(),
            run.source(),
            Words.count(run.trials(), "trial"),
            CapacityReport.flipped(run));
    return draw(
        title,
        run.neurons(),
        List.of(new Curve(run.entry().name(), run.points())),
        CapacityReport.hebbianTheory(run),
        CapacityReport.capacities(run),
        run.source().kind().equals("data"));
  }

  /** The figure of {@code capacity --compare}: one curve per memory, the same N, loads and cues. */
  static BufferedImage drawCompared(List<CapacityCommand.Run> runs) {
    CapacityCommand.Run first = runs.get(0);
    String title =
        String.format(
            Locale.ROOT,
            "Which memory holds the most: N = %d, %s, %s, cues with %s",
            first.neurons(),
            first.source(),
            Words.count(first.trials(), "trial"),
            CapacityReport.flipped(first));
    List<Curve> curves = new ArrayList<>();
    for (CapacityCommand.Run run : runs) {
      curves.add(new Curve(run.entry().name(), run.points()));
    }
    return draw(
        title, first.neurons(), curves, false, Map.of(), first.source().kind().equals("data"));
  }

  /**
   * The figure of several measured curves over the same N.
   *
   * @param hebbianTheory draw the one-step error and AGS curves (Hebbian rule, random patterns)
   * @param capacities vertical lines: name (as in the JSON) and number of patterns
   * @param byCount the x axis counts patterns (P) instead of the load P / N (for given data, where
   *     "how many of mine" is the question)
   */
  static BufferedImage draw(
      String title,
      int n,
      List<Curve> curves,
      boolean hebbianTheory,
      Map<String, Double> capacities,
      boolean byCount) {
    ToDoubleFunction<CapacityPoint> at = byCount ? p -> p.patterns() : CapacityPoint::load;
    double scale = byCount ? n : 1; // x of a load
    double maxX = 0;
    double minX = Double.POSITIVE_INFINITY;
    boolean anyError = false; // a one-step error above 0 anywhere (a log axis cannot show zeros)
    for (Curve c : curves) {
      for (CapacityPoint p : c.points()) {
        maxX = Math.max(maxX, at.applyAsDouble(p));
        minX = Math.min(minX, at.applyAsDouble(p));
        anyError |= p.oneStepError().mean() > 0;
      }
    }
    double right = maxX * 1.04;
    String label = byCount ? "patterns stored P (N = " + n + ")" : "load P / N";
    // loads spread over many octaves (modern memory: 0.5 N to 256 N) read on a log axis
    boolean logX = minX > 0 && maxX / minX >= 32;
    org.jfree.chart.axis.ValueAxis x;
    if (logX) {
      LogAxis lx = new LogAxis(label + " (log scale)");
      lx.setBase(2);
      lx.setTickUnit(new NumberTickUnit(1)); // one tick per octave
      lx.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
      lx.setRange(minX / 1.3, maxX * 1.3);
      right = maxX * 1.3;
      x = lx;
    } else {
      NumberAxis nx = new NumberAxis(label);
      if (byCount && maxX <= 40) {
        nx.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      }
      nx.setRange(0, right);
      x = nx;
    }
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
    plot.setGap(12);

    XYPlot recall =
        panel(
            curves,
            List.of(
                new Quantity("stable", CapacityPoint::stableFraction),
                new Quantity("recalled from cues", CapacityPoint::recalledFraction)),
            new NumberAxis("share of patterns"),
            false,
            0,
            at);
    ((NumberAxis) recall.getRangeAxis()).setRange(-0.03, 1.03);
    ((NumberAxis) recall.getRangeAxis()).setTickUnit(new NumberTickUnit(0.2));
    int shown = 0;
    for (Map.Entry<String, Double> e : capacities.entrySet()) {
      double load = e.getValue() / n * scale;
      if (load <= right) {
        // labels staggered down the panel, so that neighbouring lines do not overwrite them
        recall.addDomainMarker(
            marker(
                load, CapacityReport.names(e.getKey())[1], 90 + 22 * shown++, load > 0.8 * right));
      }
    }

    LogAxis errorAxis = new LogAxis("one-step error (share of bits flipped)");
    errorAxis.setRange(MIN_ERROR, errorTop(curves));
    errorAxis.setBase(10);
    errorAxis.setTickUnit(new NumberTickUnit(1)); // one tick per decade
    errorAxis.setNumberFormatOverride(new java.text.DecimalFormat("0.#####"));
    XYPlot error =
        panel(
            curves,
            List.of(new Quantity("one-step error", CapacityPoint::oneStepError)),
            errorAxis,
            true,
            2,
            at);
    if (!anyError) {
      // a log axis cannot show zeros: say so instead of leaving the panel blank
      XYTextAnnotation none =
          new XYTextAnnotation(
              "0 at every load: one step never flips a bit",
              logX ? Math.sqrt(minX * maxX) : right / 2,
              1e-3);
      none.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      none.setPaint(THEORY);
      error.addAnnotation(none);
    }
    if (hebbianTheory) {
      XYSeries limit = new XYSeries("theory: ½ erfc(√(N/2P)), N → ∞");
      XYSeries exact = new XYSeries("theory: exact tail at N = " + n);
      int steps = 200;
      for (int i = 1; i <= steps; i++) {
        double load = right * i / steps;
        int p = Math.max(1, (int) Math.round(load * n));
        double e1 = CapacityTheory.oneStepError(n, p);
        double e2 = CapacityTheory.oneStepErrorExact(n, p);
        if (e1 >= MIN_ERROR) {
          limit.add((double) p / n, e1);
        }
        if (e2 >= MIN_ERROR) {
          exact.add((double) p / n, e2);
        }
      }
      addTheory(error, List.of(limit, exact));
    }

    XYPlot overlap =
        panel(
            curves,
            List.of(new Quantity("final overlap", CapacityPoint::meanOverlap)),
            new NumberAxis("overlap with the stored pattern"),
            false,
            3,
            at);
    double lowest = 0;
    for (Curve c : curves) {
      for (CapacityPoint p : c.points()) {
        Estimate m = p.meanOverlap();
        lowest = Math.min(lowest, Double.isNaN(m.low()) ? m.mean() : m.low());
      }
    }
    ((NumberAxis) overlap.getRangeAxis()).setRange(lowest - 0.03, 1.03);
    if (hebbianTheory) {
      XYSeries ags = new XYSeries("theory: AGS m(α), α_c = 0.138", false, true);
      double ac = CapacityTheory.AGS_CRITICAL_LOAD;
      for (int i = 0; i <= 200; i++) {
        double load = Math.min(ac, right) * i / 200;
        ags.add(load, CapacityTheory.agsOverlap(load));
      }
      if (right > ac) {
        ags.add(ac, null); // the jump: no retrieval state above α_c
        ags.add(ac, 0.0);
        ags.add(right, 0.0);
      }
      addTheory(overlap, List.of(ags));
      overlap.addDomainMarker(marker(ac, "", 0, false));
    }

    plot.add(recall, 3);
    plot.add(error, 3);
    plot.add(overlap, 3);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return chart.createBufferedImage(900, 1050);
  }

  /** A measured quantity of a point, and its name in the legend. */
  private record Quantity(String name, Function<CapacityPoint, Estimate> of) {}

  /** One panel: each quantity of each curve as points with 95% error bars, joined by lines. */
  private static XYPlot panel(
      List<Curve> curves,
      List<Quantity> quantities,
      org.jfree.chart.axis.ValueAxis axis,
      boolean log,
      int firstQuantity,
      ToDoubleFunction<CapacityPoint> at) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    List<Paint> paints = new ArrayList<>();
    List<java.awt.Shape> shapes = new ArrayList<>();
    List<Float> strokes = new ArrayList<>();
    for (int c = 0; c < curves.size(); c++) {
      // several memories: each drawn over the one before it, a size smaller, so that curves that
      // coincide (the pseudo-inverse rule and modern memory at 1.0) show as rings, not one colour
      int larger = curves.size() - 1 - c;
      for (int q = 0; q < quantities.size(); q++) {
        Curve curve = curves.get(c);
        String name =
            curves.size() == 1
                ? quantities.get(q).name()
                : curve.name() + ": " + quantities.get(q).name();
        YIntervalSeries s = new YIntervalSeries(name);
        for (CapacityPoint p : curve.points()) {
          Estimate e = quantities.get(q).of().apply(p);
          double lo = Double.isNaN(e.low()) ? e.mean() : e.low();
          double hi = Double.isNaN(e.high()) ? e.mean() : e.high();
          if (log) {
            if (e.mean() < MIN_ERROR) {
              continue; // not drawable on a log axis
            }
            lo = Math.max(lo, MIN_ERROR);
          }
          s.add(at.applyAsDouble(p), e.mean(), lo, hi);
        }
        data.addSeries(s);
        // one memory: a colour per quantity; several: a colour per memory, a shape per quantity
        paints.add(COLOURS[(curves.size() == 1 ? firstQuantity + q : c) % COLOURS.length]);
        // a smaller square drawn over a larger circle: both stay visible where they coincide
        double d = (q == 0 ? 9 : 5) + 2.5 * larger;
        shapes.add(
            q == 0
                ? new java.awt.geom.Ellipse2D.Double(-d / 2, -d / 2, d, d)
                : new java.awt.geom.Rectangle2D.Double(-d / 2, -d / 2, d, d));
        strokes.add(1.6f + 0.7f * larger);
      }
    }
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDrawXError(false);
    r.setDefaultLinesVisible(true);
    r.setCapLength(5);
    r.setErrorStroke(new BasicStroke(1.2f));
    for (int i = 0; i < paints.size(); i++) {
      r.setSeriesPaint(i, paints.get(i));
      r.setSeriesShape(i, shapes.get(i));
      r.setSeriesStroke(i, new BasicStroke(strokes.get(i)));
    }
    XYPlot p = new XYPlot(data, null, axis, r);
    p.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
    p.setBackgroundPaint(Color.WHITE);
    p.setDomainGridlinePaint(new Color(220, 220, 220));
    p.setRangeGridlinePaint(new Color(220, 220, 220));
    p.setAxisOffset(RectangleInsets.ZERO_INSETS);
    return p;
  }

  /** Adds theory curves (grey, dashed after the first) as a second dataset of the panel. */
  private static void addTheory(XYPlot p, List<XYSeries> series) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < series.size(); i++) {
      data.addSeries(series.get(i));
      r.setSeriesPaint(i, THEORY);
      r.setSeriesStroke(
          i,
          i == 0
              ? new BasicStroke(1.8f)
              : new BasicStroke(
                  1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    }
    p.setDataset(1, data);
    p.setRenderer(1, r);
  }

  /**
   * A dotted vertical line at {@code load}, its label {@code labelTop} pixels down the panel, to
   * the right of the line (or to its left near the panel's right edge, where it would be cut).
   */
  private static ValueMarker marker(double load, String label, double labelTop, boolean labelLeft) {
    ValueMarker m =
        new ValueMarker(
            load,
            THEORY,
            new BasicStroke(
                1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 3}, 0));
    if (!label.isEmpty()) {
      m.setLabel(label);
      m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      m.setLabelPaint(THEORY);
      m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
      if (labelLeft) {
        m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        m.setLabelOffset(new RectangleInsets(labelTop, 0, 0, 3));
      } else {
        m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        m.setLabelOffset(new RectangleInsets(labelTop, 3, 0, 0));
      }
    }
    return m;
  }
}
