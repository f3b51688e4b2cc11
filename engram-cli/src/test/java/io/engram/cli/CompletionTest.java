package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completion script offers the values of the options that take one of a fixed set, as bash
 * completes them: the script sourced in a bash process, its function called with the words typed.
 */
class CompletionTest {

  @TempDir Path dir;

  @Test
  void offersTheValuesOfOptionsWithAFixedSet() throws IOException, InterruptedException {
    ToolRun.Result r = ToolRun.run("completion");
    assertEquals(0, r.status(), r::toString);
    Path script = dir.resolve("engram-completion.bash");
    Files.writeString(script, r.out());
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
