package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages that print a count use the singular for 1: "1 pattern", "1 training call", "1 of 1
 * pattern is a fixed point", never "1 patterns" or "call(s)".
 */
class CountWordsTest {

  @TempDir Path dir;

  @Test
  void nouns() {
    assertEquals("1 pattern", Words.count(1, "pattern"));
    assertEquals("0 patterns", Words.count(0, "pattern"));
    assertEquals("2 queries", Words.count(2, "query"));
    assertEquals("1 query", Words.count(1, "query"));
    assertEquals("3 days", Words.count(3, "day"));
  }

  @Test
  void onePatternInspectedAndCorrupted() throws IOException {
    Path p = dir.resolve("p.csv");
    Files.writeString(p, "1,-1,1,-1,1,1,-1,-1,1,-1,1,1\n");
    Path m = dir.resolve("m.npz");
    ToolRun.Result r = ToolRun.run("train", "--patterns", p.toString(), "--out", m.toString());
    assertEquals(0, r.status(), r::toString);
    r = ToolRun.run("inspect", m.toString(), "--patterns", p.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("stored patterns    1 in 1 training call\n"), r::toString);
    assertTrue(r.out().contains("capacity           about 1 pattern ("), r::toString);
    assertTrue(r.out().contains("1 of 1 pattern is a fixed point"), r::toString);
    assertFalse(r.out().contains("1 patterns"), r::toString);
    assertFalse(r.out().contains("(s)"), r::toString);

    r =
        ToolRun.run(
            "corrupt",
            "--patterns",
            p.toString(),
            "--flip",
            "0.1",
            "--out",
            dir.resolve("c.npy").toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().startsWith("flipped 1 of 12 values in the 1 pattern (seed "), r::toString);
  }

  @Test
  void oneModernPatternInspected() throws IOException {
    Path p = dir.resolve("p.csv");
    Files.writeString(p, "1,-1,1,-1,1,1,-1,-1\n");
    Path m = dir.resolve("m.npz");
    ToolRun.Result r =
        ToolRun.run(
            "train", "--memory", "modern", "--patterns", p.toString(), "--out", m.toString());
    assertEquals(0, r.status(), r::toString);
    r = ToolRun.run("inspect", m.toString(), "--patterns", p.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("1 of 1 pattern is a fixed point of one step"), r::toString);
  }

  @Test
  void oneGivenPatternInTheCapacityHeader() throws IOException {
    Path p = dir.resolve("p.csv");
    Files.writeString(p, "1,-1,1,-1,1,1,-1,-1,1,-1\n");
    ToolRun.Result r =
        ToolRun.run("capacity", "--data", p.toString(), "--patterns", "1", "--trials", "1");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains(", 1 given pattern, 1 trial per load,"), r::toString);
    r = ToolRun.run("capacity", "--data", p.toString(), "--patterns", "2", "--trials", "1");
    assertEquals(2, r.status(), r::toString);
    assertTrue(r.err().contains("--patterns 2 is more than the 1 pattern in --data"), r::toString);
  }

  @Test
  void randomDemoOfOnePatternAndOneNeuron() {
    ToolRun.Result r = ToolRun.run("demo", "--neurons", "1", "--patterns", "1");
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out()
            .startsWith(
                "Engram demo: 1 random +-1 pattern stored in a Hopfield network of" + " 1 neuron "),
        r::toString);
    assertTrue(r.out().contains(" of 1 bit flipped"), r::toString);
    assertTrue(r.out().contains(" of 1 pattern came back exactly"), r::toString);
  }
}
