package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.RecallResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What recall --energy-plot keeps of every step: the traces of the queries the plot draws. */
class EnergyTraceTest {

  @Test
  void keepsEveryStepOfTheDrawnQueriesAndTheFinalEnergyOfTheRest() {
    int queries = Figures.MAX_ROWS + 10;
    int steps = 100;
    RecallCommand.EnergyTrace trace = new RecallCommand.EnergyTrace(queries);
    List<RecallResult> results = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      for (int it = 1; it <= steps; it++) {
        // energy after step it: -(q + it); before it: -(q + it - 1)
        trace.onStep(q, it, -(q + it), it == steps, -1);
      }
      results.add(new RecallResult(new float[1], steps, true, -(q + steps)));
    }
    List<Figures.Trace> e = trace.energies(results);
    assertEquals(queries, e.size());
    for (int q = 0; q < queries; q++) {
      if (q < Figures.MAX_ROWS) {
        double[] want = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
          want[t] = -(q + t);
        }
        assertArrayEquals(want, e.get(q).energies(), "query " + q);
        assertArrayEquals(Figures.Trace.whole(want).steps(), e.get(q).steps(), "query " + q);
      } else {
        assertArrayEquals(new double[] {-(q + steps)}, e.get(q).energies(), "query " + q);
      }
    }
  }

  /**
   * The plot's lines are named from "query 0", as the report, the messages ("query 0 has length 5")
   * and the grid's rows count queries; the legend started at "query 1", so that its query 1 was the
   * report's query 0.
   */
  @Test
  void theLinesAreNamedFromQuery0AsTheReportCountsQueries() {
    List<Figures.Trace> traces = new ArrayList<>();
    for (int q = 0; q < Figures.MAX_ROWS + 3; q++) {
      traces.add(Figures.Trace.whole(new double[] {-q, -q - 1}));
    }
    var data = Figures.energySeries(traces);
    assertEquals(Figures.MAX_ROWS, data.getSeriesCount());
    assertEquals("query 0", data.getSeriesKey(0));
    assertEquals("query 1", data.getSeriesKey(1));
    assertEquals(-1.0, data.getSeries(0).getY(1).doubleValue());
    assertEquals("query " + (Figures.MAX_ROWS - 1), data.getSeriesKey(Figures.MAX_ROWS - 1));
  }

  /**
   * A long trace is drawn from the lowest and highest energy of each run of steps: at most {@link
   * Figures#ENERGY_POINTS} points, in step order, its envelope and its first and last step kept.
   */
  @Test
  void aLongTraceIsThinnedToItsEnvelope() {
    double[] e = new double[40_001];
    for (int t = 0; t < e.length; t++) {
      e[t] = t < 10 ? 10 - t : (t & 1) == 0 ? 0.5 : 0.25; // a transient, then a cycle of two
    }
    e[25_000] = -3; // one dip
    org.jfree.data.xy.XYSeries s = new org.jfree.data.xy.XYSeries("q", false, true);
    Figures.addThinned(s, e);
    assertTrue(s.getItemCount() <= Figures.ENERGY_POINTS + 1, "points: " + s.getItemCount());
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < s.getItemCount(); i++) {
      int t = s.getX(i).intValue();
      assertEquals(e[t], s.getY(i).doubleValue(), "step " + t);
      if (i > 0) {
        assertTrue(t > s.getX(i - 1).intValue(), "steps in order at " + i);
      }
      min = Math.min(min, e[t]);
      max = Math.max(max, e[t]);
    }
    assertEquals(-3, min);
    assertEquals(10, max);
    assertEquals(0, s.getX(0).intValue());
    assertEquals(e.length - 1, s.getX(s.getItemCount() - 1).intValue());
    // short traces are drawn whole
    org.jfree.data.xy.XYSeries whole = new org.jfree.data.xy.XYSeries("w", false, true);
    Figures.addThinned(whole, new double[] {3, 2, 1});
    assertEquals(3, whole.getItemCount());
    // and the plot of 50 such traces is drawn
    List<Figures.Trace> many = new ArrayList<>();
    for (int q = 0; q < 60; q++) {
      many.add(Figures.Trace.whole(e));
    }
    assertEquals(800, Figures.energyPlot(many, "E").getWidth());
  }

  @Test
  void aQueryOfNoStepsHasItsFinalEnergy() {
    RecallCommand.EnergyTrace trace = new RecallCommand.EnergyTrace(2);
    trace.onStep(1, 1, -5, true, -2);
    List<Figures.Trace> e =
        trace.energies(
            List.of(
                new RecallResult(new float[1], 0, false, -7),
                new RecallResult(new float[1], 1, true, -5)));
    assertArrayEquals(new double[] {-7}, e.get(0).energies());
    assertArrayEquals(new double[] {-3, -5}, e.get(1).energies());
    assertArrayEquals(new int[] {0, 1}, e.get(1).steps());
  }

  /**
   * A recall of millions of steps (a cycle of two states with --energy-plot, which follows every
   * step) kept every energy of every drawn query: 8 bytes a step, so that {@code --iterations
   * 20000000} ran out of memory in a heap of 300 MB, and the advice named the reading of the input.
   * The trace keeps at most {@link RecallCommand.EnergyTrace#KEPT} points a query: the first and
   * the last step, and the lowest and highest energy of each run of steps between them.
   */
  @Test
  void aTraceOfMillionsOfStepsKeepsItsEnvelopeInBoundedSpace() {
    int steps = 3_000_000;
    RecallCommand.EnergyTrace trace = new RecallCommand.EnergyTrace(2);
    for (int it = 1; it <= steps; it++) {
      // a transient, then a cycle of two energies, with one dip and one peak
      double e =
          it == 1_234_567
              ? -9
              : it == 2_345_678 ? 7 : it < 10 ? 10 - it : (it & 1) == 0 ? 0.5 : 0.25;
      trace.onStep(0, it, e, false, it == 1 ? -1 : 0);
    }
    trace.onStep(1, 1, -5, true, -2);
    List<Figures.Trace> e =
        trace.energies(
            List.of(
                new RecallResult(new float[1], steps, false, 0.5),
                new RecallResult(new float[1], 1, true, -5)));
    int[] st = e.get(0).steps();
    double[] en = e.get(0).energies();
    assertTrue(st.length <= RecallCommand.EnergyTrace.KEPT, "points kept: " + st.length);
    assertTrue(st.length > Figures.ENERGY_POINTS, "points kept: " + st.length);
    assertEquals(0, st[0]);
    assertEquals(10, en[0]); // the cue: the first step's energy 9 less its change -1
    assertEquals(steps, st[st.length - 1]);
    assertEquals(0.5, en[en.length - 1]);
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < st.length; i++) {
      if (i > 0) {
        assertTrue(st[i] > st[i - 1], "steps in order at " + i);
      }
      min = Math.min(min, en[i]);
      max = Math.max(max, en[i]);
      if (st[i] == 1_234_567) {
        assertEquals(-9, en[i]);
      }
    }
    assertEquals(-9, min);
    assertEquals(10, max);
    assertTrue(java.util.Arrays.stream(st).anyMatch(t -> t == 2_345_678), "the peak is kept");
    // the other query, short, is whole
    assertArrayEquals(new double[] {-3, -5}, e.get(1).energies());
    // and the plot draws it, its last step where the recall ended
    org.jfree.data.xy.XYSeries s = new org.jfree.data.xy.XYSeries("q", false, true);
    Figures.addThinned(s, st, en, st.length);
    assertTrue(s.getItemCount() <= Figures.ENERGY_POINTS + 1, "points: " + s.getItemCount());
    assertEquals(steps, s.getX(s.getItemCount() - 1).intValue());
    assertEquals(800, Figures.energyPlot(e, "E").getWidth());
  }

  /**
   * Every query's line is drawn in a colour that stands out on white (contrast at least 2:1, as
   * WCAG counts it), each its own up to twelve queries: JFreeChart's palette drew the fourth in
   * yellow (1.07:1) and others in pale cyan and pink.
   */
  @Test
  void everyLineHasAColourThatShowsOnWhite() {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (java.awt.Color c : Figures.LINES) {
      double contrast = 1.05 / (luminance(c) + 0.05);
      assertTrue(contrast >= 2, c + ": contrast " + contrast);
      assertTrue(seen.add(c.getRGB()), c + " twice");
    }
    assertTrue(Figures.LINES.length >= 12);
    List<Figures.Trace> twelve = new ArrayList<>();
    for (int q = 0; q < 12; q++) {
      twelve.add(Figures.Trace.whole(new double[] {-q, -2 * q - 1, -3 * q - 2}));
    }
    java.awt.image.BufferedImage img = Figures.energyPlot(twelve, "E");
    java.util.Set<Integer> drawn = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        drawn.add(img.getRGB(x, y) | 0xFF000000);
      }
    }
    for (java.awt.Color c : Figures.LINES) {
      assertTrue(drawn.contains(c.getRGB()), "no line in " + c);
    }
    assertFalse(drawn.contains(0xFFFFFF55), "JFreeChart's yellow");
  }

  /** Relative luminance (WCAG 2). */
  private static double luminance(java.awt.Color c) {
    double[] v = {c.getRed() / 255.0, c.getGreen() / 255.0, c.getBlue() / 255.0};
    for (int i = 0; i < 3; i++) {
      v[i] = v[i] <= 0.03928 ? v[i] / 12.92 : Math.pow((v[i] + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }
}
