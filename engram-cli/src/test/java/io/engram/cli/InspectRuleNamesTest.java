package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.internal.Json;
import io.engram.io.ModelFile;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.TrainingRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training call of a rule Engram does not have (a program's own {@code LearningRule}, the
 * library's extension point, whose models Engram writes and reads; or a name edited into the file)
 * is shown by inspect as such: it was printed as if Engram had the rule ("nope rule, P = 2").
 */
class InspectRuleNamesTest {

  @TempDir Path dir;

  @Test
  void aRuleEngramDoesNotHaveIsNamedSo() throws IOException {
    Path p = Files.writeString(dir.resolve("p.csv"), "1,-1,1,-1\n-1,1,1,-1\n");
    Path m = dir.resolve("m.npz");
    ToolRun.Result r =
        ToolRun.run("train", "-q", "--patterns", p.toString(), "--out", m.toString());
    assertEquals(0, r.status(), r::toString);
    r = ToolRun.run("inspect", m.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("hebbian rule, P = 2"), r::toString);
    assertFalse(r.out().contains("not one of Engram's rules"), r::toString);
    assertEquals(true, historyEntry(m).get("engram_rule"));

    AmariHopfieldNetwork net = ModelFile.read(m);
    AmariHopfieldNetwork custom =
        AmariHopfieldNetwork.restore(
            net.weights(),
            net.weightsMode(),
            net.dynamics(),
            net.state(),
            List.of(new TrainingRecord("nope", Map.of(), 2, 4, Float.NaN)));
    Path c = dir.resolve("custom.npz");
    ModelFile.write(c, custom);
    r = ToolRun.run("inspect", c.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("nope rule (not one of Engram's rules), P = 2"), r::toString);
    // the JSON marks it too, next to the name
    Map<String, Object> h = historyEntry(c);
    assertEquals("nope", h.get("rule"));
    assertEquals(false, h.get("engram_rule"));
    assertEquals(List.of("rule", "engram_rule"), List.copyOf(h.keySet()).subList(0, 2));
  }

  /** The first history entry of {@code inspect --json}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> historyEntry(Path model) {
    ToolRun.Result r = ToolRun.run("inspect", model.toString(), "--json");
    assertEquals(0, r.status(), r::toString);
    Map<String, Object> j = (Map<String, Object>) Json.parse(r.out());
    return (Map<String, Object>) ((List<Object>) j.get("history")).get(0);
  }
}
