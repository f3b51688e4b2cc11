package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engram capacity} tells a sweep's time before it starts and refuses one beyond {@code
 * --time-limit} (default an hour): quickly, with one line naming the estimate, where the work is
 * and what to do, writing nothing; the option accepts a longer sweep; the documented examples still
 * run without it.
 */
class CapacityTimeLimitTest {

  @TempDir Path dir;

  @Test
  void aSweepOfDaysIsRefusedAtOnceWritingNothing() throws Exception {
    long t0 = System.nanoTime();
    // N = 2000, 100,000 trials: some 6e16 multiply-adds, weeks on two cores
    ToolRun.Result r =
        ToolRun.fresh(
            dir,
            "capacity",
            "--neurons",
            "2000",
            "--trials",
            "100000",
            "--json",
            "c.json",
            "--plot",
            "c.png");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(2, r.status(), r::toString);
    assertEquals(1, r.err().strip().lines().count(), r::toString);
    String e = r.err().strip();
    assertTrue(
        e.startsWith(
            "engram: this capacity sweep (hebbian, N = 2000, 14 loads up to P = 1220, 100000"
                + " trials) would take about "),
        e);
    assertTrue(e.contains("more than the limit of 1 hour; "), e);
    assertTrue(e.contains("% of it is the recall at P = 1220."), e);
    assertTrue(e.contains("(--neurons, --patterns, --trials), or give --time-limit "), e);
    assertTrue(e.matches(".* (days|years), .*"), e);
    assertEquals("", r.out());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "nothing written");
    }
    // a JVM's start and a calibration of at most a few seconds, not the sweep
    assertTrue(ms < 20_000, "refused after " + ms + " ms");
  }

  /**
   * --compare over the limit: refused once, with the four sweeps' time in all and the one that
   * takes most of it (the first sweep over the limit was refused alone, with a --time-limit
   * suggestion under which the next was refused in turn).
   */
  @Test
  void compareIsRefusedWithTheTimeOfAllItsSweeps() throws Exception {
    Path json = dir.resolve("c.json");
    ToolRun.Result r =
        ToolRun.run(
            "capacity",
            "--compare",
            "--neurons",
            "300",
            "--patterns",
            "30,60",
            "--trials",
            "2",
            "--json",
            json.toString(),
            "--time-limit",
            "1ms");
    assertEquals(2, r.status(), r::toString);
    assertEquals(1, r.err().strip().lines().count(), r::toString);
    String e = r.err().strip();
    assertTrue(
        e.startsWith(
            "engram: these 4 capacity sweeps (N = 300, 2 loads up to P = 60, 2 trials each) would"
                + " take about "),
        e);
    assertTrue(
        e.matches(".* in all, more than the limit of 1 ms; \\d+% of it is the [a-z-]+ sweep\\. .*"),
        e);
    assertTrue(e.contains("or give --time-limit "), e);
    assertFalse(Files.exists(json));
  }

  @Test
  void theLimitIsAnOptionThatAcceptsALongerSweep() throws Exception {
    String[] sweep = {
      "capacity", "--neurons", "300", "--patterns", "30,60", "--trials", "2", "--json"
    };
    // a limit far below the sweep's time: refused, nothing written
    Path json = dir.resolve("c.json");
    ToolRun.Result refused = ToolRun.run(cat(sweep, json.toString(), "--time-limit", "1ms"));
    assertEquals(2, refused.status(), refused::toString);
    assertTrue(refused.err().contains("more than the limit of 1 ms; "), refused::toString);
    assertTrue(refused.err().contains("or give --time-limit "), refused::toString);
    assertEquals(1, refused.err().strip().lines().count(), refused::toString);
    assertFalse(Files.exists(json));
    // the same sweep with a limit it fits in, or none: it runs
    for (String limit : new String[] {"10m", "none", "PT1H", "1.5h"}) {
      ToolRun.Result ran = ToolRun.run(cat(sweep, json.toString(), "--time-limit", limit, "-q"));
      assertEquals(0, ran.status(), ran::toString);
      assertEquals("", ran.err(), ran::toString);
      assertTrue(Files.exists(json));
      Files.delete(json);
    }
  }

  @Test
  void aLimitThatIsNoDurationIsRefused() {
    for (String bad : new String[] {"5", "soon", "3 weeks", "", "-none", "--1h"}) {
      ToolRun.Result r = ToolRun.run("capacity", "--neurons", "50", "--time-limit", bad);
      assertEquals(2, r.status(), bad + ": " + r);
      assertEquals(
          "engram: --time-limit must be a duration such as 90s, 30m, 6h or 2d, or none; got '"
              + bad
              + "'",
          r.err().strip(),
          bad);
    }
  }

  /**
   * A duration of 0 or less, or beyond 10^12 seconds, is a duration: named for what is wrong with
   * it ('0s' was told it "must be a duration such as 90s").
   */
  @Test
  void aLimitOfZeroOrLessOrTooLongSaysWhatIsWrong() {
    for (String bad :
        new String[] {
          "0s", "0ms", "0.0h", "PT0S", "-1h", "- 5m", "-PT1H", "-0s", "0e5s", "1e-400s"
        }) {
      ToolRun.Result r = ToolRun.run("capacity", "--neurons", "50", "--time-limit", bad);
      assertEquals(2, r.status(), bad + ": " + r);
      assertEquals(
          "engram: --time-limit must be more than 0 (or none for no limit); got '" + bad + "'",
          r.err().strip(),
          bad);
    }
    for (String bad : new String[] {"99999999999999d", "1000000000001s", "1e400s", "2e12s"}) {
      ToolRun.Result r = ToolRun.run("capacity", "--neurons", "50", "--time-limit", bad);
      assertEquals(2, r.status(), bad + ": " + r);
      assertEquals(
          "engram: --time-limit must be at most 10^12 seconds (some 31,700 years; or none for no"
              + " limit); got '"
              + bad
              + "'",
          r.err().strip(),
          bad);
    }
    assertEquals(1e12, CapacityCommand.parseLimit("1000000000000s"));
    assertEquals(0.001, CapacityCommand.parseLimit("1ms"));
    assertEquals(1e-4, CapacityCommand.parseLimit("PT0.0001S")); // less than a millisecond
  }

  @Test
  void theDocumentedExamplesRunWithoutTheOption() {
    // the build's plain-Java run (-Pno-simd) took 100 s for these sweeps, a tenth of the suite on
    // a slow machine; what is checked (the default limit lets them run) is the same in either run
    assumeFalse(
        "scalar".equals(System.getProperty("engram.vectorization")),
        "the SIMD run checks the documented sweeps");
    // docs/CLI.md and --help: the default sweep and a custom one, as they are
    ToolRun.Result d = ToolRun.run("capacity", "--rule", "hebbian", "--neurons", "1000", "-q");
    assertEquals(0, d.status(), d::toString);
    assertTrue(d.out().contains("N = 1000"), d::toString);
    ToolRun.Result c =
        ToolRun.run(
            "capacity",
            "--neurons",
            "500",
            "--patterns",
            "25,50,75,100",
            "--trials",
            "20",
            "--flip",
            "0.2");
    assertEquals(0, c.status(), c::toString);
    assertFalse(c.err().contains("would take"), c::toString);
  }

  /**
   * A sweep long enough for its time to be told, refused for its output: the refusal alone, one
   * line (the time it "should take" came first, and the command then refused to start).
   */
  @Test
  void aRefusedSweepDoesNotTellItsTimeFirst() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("a-folder"));
    ToolRun.Result r =
        ToolRun.run("capacity", "--neurons", "1500", "--trials", "40", "--json", folder.toString());
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: --json " + folder + ": is a folder; give a file path",
        r.err().strip(),
        r::toString);
    // refused for its time as well (a limit no sweep meets; on a loaded machine the default hour
    // was, and the output was not named): the output is checked first
    r =
        ToolRun.run(
            "capacity",
            "--neurons",
            "1500",
            "--trials",
            "40",
            "--time-limit",
            "1ms",
            "--json",
            folder.toString());
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: --json " + folder + ": is a folder; give a file path",
        r.err().strip(),
        r::toString);
  }

  @Test
  void durationsReadAsAUserWritesThem() {
    assertEquals(3600, CapacityCommand.parseLimit("1h"));
    assertEquals(5400, CapacityCommand.parseLimit("1.5h"));
    assertEquals(90, CapacityCommand.parseLimit("90s"));
    assertEquals(1800, CapacityCommand.parseLimit("30m"));
    assertEquals(1800, CapacityCommand.parseLimit("30min"));
    assertEquals(2 * 86400, CapacityCommand.parseLimit("2d"));
    assertEquals(0.25, CapacityCommand.parseLimit("250ms"));
    assertEquals(7200, CapacityCommand.parseLimit("PT2H"));
    assertEquals(Double.POSITIVE_INFINITY, CapacityCommand.parseLimit("none"));
    // a number in exponent form, as printed by programs (1e-9s was "must be a duration")
    assertEquals(1e4, CapacityCommand.parseLimit("1e4s"));
    assertEquals(1e-9, CapacityCommand.parseLimit("1e-9s"));
    assertEquals(150, CapacityCommand.parseLimit("2.5E+0min"));
    assertEquals("10000 s", CapacityCommand.limit(CapacityCommand.parseLimit("1e4s")));
    assertEquals("5 ms", CapacityCommand.duration(0.005));
    assertEquals("4.2 s", CapacityCommand.duration(4.2));
    assertEquals("40 s", CapacityCommand.duration(40));
    assertEquals("12 min", CapacityCommand.duration(720));
    assertEquals("1 hour", CapacityCommand.duration(3600));
    assertEquals("3.5 hours", CapacityCommand.duration(3.5 * 3600));
    assertEquals("4.0 days", CapacityCommand.duration(4 * 86400));
    // a limit is said as it was given, not rounded as an estimate is ("the limit of 2 min" for 90s)
    assertEquals("90 s", CapacityCommand.limit(CapacityCommand.parseLimit("90s")));
    assertEquals("100 s", CapacityCommand.limit(CapacityCommand.parseLimit("100s")));
    assertEquals("90 min", CapacityCommand.limit(CapacityCommand.parseLimit("1.5h")));
    assertEquals("30 min", CapacityCommand.limit(CapacityCommand.parseLimit("30min")));
    assertEquals("1 hour", CapacityCommand.limit(CapacityCommand.parseLimit("PT1H")));
    assertEquals("6 hours", CapacityCommand.limit(CapacityCommand.parseLimit("6h")));
    assertEquals("2 days", CapacityCommand.limit(CapacityCommand.parseLimit("2d")));
    assertEquals("250 ms", CapacityCommand.limit(CapacityCommand.parseLimit("250ms")));
    assertEquals("1 ms", CapacityCommand.limit(CapacityCommand.parseLimit("1ms")));
    // one no unit holds whole keeps its decimals, in ms below a millisecond (0.0001ms and 0.5ms
    // were "1 ms", 1.5ms "2 ms", 1.2345678s "1.2 s")
    assertEquals("0.0001 ms", CapacityCommand.limit(CapacityCommand.parseLimit("0.0001ms")));
    assertEquals("0.5 ms", CapacityCommand.limit(CapacityCommand.parseLimit("0.5ms")));
    assertEquals("1.5 ms", CapacityCommand.limit(CapacityCommand.parseLimit("1.5ms")));
    assertEquals("0.1 ms", CapacityCommand.limit(CapacityCommand.parseLimit("PT0.0001S")));
    assertEquals("1.2345678 s", CapacityCommand.limit(CapacityCommand.parseLimit("1.2345678s")));
    assertEquals("75 min", CapacityCommand.limit(CapacityCommand.parseLimit("1.25h")));
    assertEquals("36 hours", CapacityCommand.limit(CapacityCommand.parseLimit("1.5d")));
    assertEquals(
        "1.0000000001 days", CapacityCommand.limit(CapacityCommand.parseLimit("1.0000000001d")));
    assertEquals("1000000000000 s", CapacityCommand.limit(CapacityCommand.MAX_LIMIT_SECONDS));
    assertEquals("45m", CapacityCommand.suggestedLimit(1800));
    assertEquals("2h", CapacityCommand.suggestedLimit(3000));
    assertEquals("4h", CapacityCommand.suggestedLimit(2.5 * 3600));
    assertEquals("5d", CapacityCommand.suggestedLimit(3 * 86400));
  }

  @Test
  void theRefusalNamesTheLimitAsGiven() {
    var work =
        new io.engram.analysis.SweepWork(
            "hebbian", new int[] {100}, 10, 20, new double[] {1e9}, new double[] {4e9});
    // an estimate of 100 s against --time-limit 90s: both read "2 min" before
    String line =
        CapacityCommand.refusal("hebbian", work, 1000, 100, CapacityCommand.parseLimit("90s"));
    assertTrue(line.contains("would take about 2 min, more than the limit of 90 s; "), line);
  }

  private static String[] cat(String[] head, String... tail) {
    String[] all = new String[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  /**
   * A first estimate over the limit is timed again, as a cold calibration on a busy machine put
   * sweeps at 5 to 20 times their time: while it is over and the last calibration brought it down
   * by a fifth or more, up to three times; the least estimate stands, and one that does not fall is
   * not timed a third time.
   */
  @Test
  void anEstimateOverTheLimitIsTimedAgainWhileItFalls() {
    assertEquals(30, retimed(120, 45, 30, 99, 99), 0);
    assertEquals(50, retimed(120, 45, 90, 60, 50, 10), 0); // (three at most)
    assertEquals(110, retimed(120, 45, 110, 1), 0); // (did not fall by a fifth: stops)
    assertEquals(120, retimed(120, 45, 130, 1), 0);
    assertEquals(40, retimed(40, 45, 1), 0); // (within the limit: not timed again)
    assertEquals(
        120,
        CapacityCommand.retimed(
            () -> {
              throw new IllegalStateException("a calibration that fails");
            },
            120,
            45),
        0);
  }

  private static double retimed(double first, double limit, double... next) {
    java.util.concurrent.atomic.AtomicInteger k = new java.util.concurrent.atomic.AtomicInteger();
    double r = CapacityCommand.retimed(() -> next[k.getAndIncrement()], first, limit);
    assertTrue(k.get() <= CapacityCommand.RETIMINGS);
    return r;
  }
}
