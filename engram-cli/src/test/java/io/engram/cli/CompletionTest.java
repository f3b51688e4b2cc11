package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The completion script offers the values of the options that take one of a fixed set, files for
 * those that take a path, true and false for boolean values, as bash completes them: the script
 * sourced in a bash process, its function called with the words typed.
 */
class CompletionTest {

  @TempDir Path dir;

  @Test
  void offersTheValuesOfOptionsWithAFixedSet() throws IOException, InterruptedException {
    // the words typed (the last one being completed) -> what bash offers
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("train --rule ''", "hebbian anti-hebbian storkey pseudo-inverse");
    cases.put("train --rule s", "storkey");
    cases.put("train --memory ''", "classical modern");
    cases.put("train --separation ''", "softmax polynomial rectified exp");
    cases.put("train --weights ''", "auto dense low-rank");
    cases.put("train --activation ''", "sign tanh sigmoid");
    cases.put("train --update ''", "sync async");
    cases.put("recall --activation t", "tanh");
    cases.put("recall --update ''", "sync async");
    cases.put("capacity --rule ''", "hebbian anti-hebbian storkey pseudo-inverse");
    cases.put("capacity --memory m", "modern");
    assertCompletes(cases, dir);
  }

  /**
   * Every option of every command that takes a value offers what fits it: files for each that names
   * a file or folder (the inputs, and the outputs such as train --out, which offered nothing), true
   * and false for the boolean options that take a value (listed as flags, they offered nothing),
   * the candidates of a fixed set; the options left to the user's typing are exactly the numbers,
   * sizes and durations below, so a new option is classified here.
   */
  @Test
  void offersFilesForEveryPathOptionAndTrueFalseForBooleans()
      throws IOException, InterruptedException {
    Files.writeString(dir.resolve("model.npz"), "");
    Files.createDirectory(dir.resolve("images"));
    Map<String, String> cases = new LinkedHashMap<>();
    List<String> free = new ArrayList<>();
    CommandLine root = EngramCli.withAllSubcommands();
    for (Map.Entry<String, CommandLine> c : root.getSubcommands().entrySet()) {
      for (OptionSpec o : c.getValue().getCommandSpec().options()) {
        String option = c.getKey() + " " + o.longestName();
        switch (CompletionCommand.completes(o)) {
          case "files" -> {
            cases.put(option + " mo", "model.npz");
            cases.put(option + " im", "images");
          }
          case "values" -> {
            if (o.completionCandidates() == null) {
              cases.put(option + " ''", "true false");
              cases.put(option + " f", "false");
            }
          }
          case "nothing" -> free.add(option);
          default -> {}
        }
      }
    }
    assertEquals(
        List.of(
            "train --remove",
            "train --ridge",
            "train --tolerance",
            "train --size",
            "train --beta",
            "train --degree",
            "train --temperature",
            "train --threshold",
            "train --seed",
            "recall --size",
            "recall --iterations",
            "recall --state-tolerance",
            "recall --top-k",
            "recall --energy-tolerance",
            "recall --temperature",
            "recall --threshold",
            "recall --seed",
            "inspect --size",
            "demo --size",
            "demo --patterns",
            "demo --noise",
            "demo --occlude",
            "demo --seed",
            "demo --neurons",
            "capacity --beta",
            "capacity --neurons",
            "capacity --patterns",
            "capacity --trials",
            "capacity --flip",
            "capacity --erase",
            "capacity --occlude",
            "capacity --seed",
            "capacity --iterations",
            "capacity --bias",
            "capacity --correlation",
            "capacity --size",
            "capacity --time-limit",
            "corrupt --flip",
            "corrupt --erase",
            "corrupt --occlude",
            "corrupt --seed",
            "corrupt --size"),
        free);
    // the outputs (strings: '-' is standard output) and the inputs (paths), each by name
    for (String o :
        List.of(
            "train --out",
            "train --patterns",
            "train --init",
            "train --order",
            "recall --out",
            "recall --report",
            "recall --grid",
            "recall --energy-plot",
            "recall --model",
            "recall --queries",
            "recall --stored",
            "recall --order",
            "export --model",
            "export --weights",
            "inspect --heatmap",
            "inspect --patterns",
            "demo --out",
            "demo --images",
            "capacity --json",
            "capacity --csv",
            "capacity --plot",
            "capacity --data",
            "corrupt --out",
            "corrupt --patterns")) {
      assertEquals("model.npz", cases.get(o + " mo"), o);
    }
    for (String o :
        List.of(
            "train --subtract-mean",
            "train --zero-diagonal",
            "train --normalize",
            "train --preserve-on-resize",
            "capacity --subtract-mean")) {
      assertEquals("true false", cases.get(o + " ''"), o);
    }
    // a value after a boolean option is no longer taken for a positional or a command
    cases.put("train --normalize false --o", "--out --order");
    cases.put("inspect mo", "model.npz");
    assertCompletes(cases, dir);
  }

  /**
   * Sources the script that {@code engram completion} prints in a bash process working in {@code
   * cwd}, and checks what its function offers for each case: the words typed (the last one being
   * completed) and what bash offers, space-separated.
   */
  private void assertCompletes(Map<String, String> cases, Path cwd)
      throws IOException, InterruptedException {
    ToolRun.Result r = ToolRun.run("completion");
    assertEquals(0, r.status(), r::toString);
    Path script = dir.resolve("engram-completion.bash");
    Files.writeString(script, r.out());
    StringBuilder driver = new StringBuilder();
    driver.append("source ").append(quote(script.toString())).append(" 2>/dev/null\n");
    driver.append(
        "t() { COMP_WORDS=(engram \"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));"
            + " COMPREPLY=(); _complete_engram engram \"${COMP_WORDS[-1]}\""
            + " \"${COMP_WORDS[-2]}\" 2>/dev/null; echo \"${COMPREPLY[*]}\"; }\n");
    for (String words : cases.keySet()) {
      driver.append("t ").append(words).append('\n');
    }
    Path out = dir.resolve("out.txt");
    Process p =
        new ProcessBuilder("bash", "--norc", "--noprofile", "-c", driver.toString())
            .directory(cwd.toFile())
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bash did not finish");
    }
    assertEquals(0, p.exitValue());
    String[] lines = Files.readString(out, StandardCharsets.UTF_8).split("\n", -1);
    int i = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      assertEquals(c.getValue(), lines[i++], "engram " + c.getKey());
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
