package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.AmariHopfieldNetwork;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java blocks of README.md and docs/USER_GUIDE.md compile against today's API and run: each
 * block, as written, becomes the body of a method whose only additions are the inputs the block
 * names without making them ({@code patterns}, {@code noisyCue}, {@code cues}, {@code letters},
 * {@code more}, {@code one}, {@code path} (in a folder of the test's), {@code noisy}, {@code log}:
 * a logger that drops what it is given): random ±1 patterns of the N the block's last {@code
 * create(N)} or {@code softmax(N)} gives (1024 for {@code letters} and {@code more}, as the guide's
 * network of letters). javac runs as a process of this JDK, and the compiled blocks run in this
 * JVM.
 */
class DocJavaSnippetsTest {

  @TempDir Path tmp;

  static final List<String> DOCS = List.of("README.md", "docs/USER_GUIDE.md");

  static final String IMPORTS =
      "import io.engram.*;\n"
          + "import io.engram.analysis.*;\n"
          + "import io.engram.io.*;\n"
          + "import io.engram.learning.*;\n"
          + "import io.engram.memory.*;\n"
          + "import io.engram.network.*;\n"
          + "import java.nio.file.*;\n"
          + "import java.util.*;\n";

  /** The inputs a block uses without making them, for patterns of length n. */
  static String inputs(int n) {
    return String.join(
        "\n",
        "float[][] patterns = Inputs.signs(10, " + n + ", 1);",
        "float[] noisyCue = Inputs.flipped(patterns[0], 2);",
        "float[][] cues = {noisyCue, Inputs.flipped(patterns[1], 3)};",
        "float[][] noisy = cues;",
        "float[] one = Inputs.signs(1, " + n + ", 4)[0];",
        "float[][] letters = Inputs.signs(20, 1024, 5);",
        "float[][] more = Inputs.signs(5, 1024, 6);",
        "Path path = snippetDir.resolve(\"snippet.npz\");",
        "var log = new Object() { void debug(String format, Object... args) {} };",
        "");
  }

  static final String HELPERS =
      "final class Inputs {\n"
          + "  static float[][] signs(int p, int n, long seed) {\n"
          + "    var r = new SplittableRandom(seed);\n"
          + "    float[][] x = new float[p][n];\n"
          + "    for (float[] row : x) for (int i = 0; i < n; i++) row[i] = r.nextBoolean() ? 1 : -1;\n"
          + "    return x;\n"
          + "  }\n"
          + "  static float[] flipped(float[] x, long seed) {\n"
          + "    float[] c = x.clone();\n"
          + "    var r = new SplittableRandom(seed);\n"
          + "    for (int i = 0; i < c.length; i++) if (r.nextInt(10) == 0) c[i] = -c[i];\n"
          + "    return c;\n"
          + "  }\n"
          + "}\n";

  private static final Pattern SIZE = Pattern.compile("(?:create|softmax)\\((\\d+)");

  @Test
  void everyJavaBlockCompilesAndRuns() throws Exception {
    StringBuilder source = new StringBuilder(IMPORTS).append("\npublic final class Snippets {\n");
    List<String> methods = new ArrayList<>();
    for (String doc : DOCS) {
      for (DocCommandsTest.Block b : DocCommandsTest.blocks(doc)) {
        if (!b.lang().equals("java")) {
          continue;
        }
        int n = 0;
        Matcher m = SIZE.matcher(b.text());
        while (m.find()) {
          n = Integer.parseInt(m.group(1));
        }
        assertTrue(n > 0, b.where(0) + ": no create(N) or softmax(N) to size its inputs");
        String name = "block" + methods.size();
        methods.add(name);
        source
            .append("  // ")
            .append(b.where(0))
            .append("\n  public static void ")
            .append(name)
            .append("(Path snippetDir) throws Exception {\n")
            .append(inputs(n))
            .append(b.text())
            .append("  }\n");
      }
    }
    source.append("}\n").append(HELPERS);
    assertTrue(methods.size() >= 4, "java blocks: " + methods);
    Path src = Files.createDirectories(tmp.resolve("src")).resolve("Snippets.java");
    Files.writeString(src, source);
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path core =
        Path.of(
            AmariHopfieldNetwork.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
    Process p =
        new ProcessBuilder(
                javac.toString(),
                "-nowarn",
                "-cp",
                core.toString(),
                "-d",
                out.toString(),
                src.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "javac did not finish");
    assertEquals(0, p.exitValue(), "a doc's Java block does not compile:\n" + log);
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> c = loader.loadClass("Snippets");
      for (String name : methods) {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Method m = c.getMethod(name, Path.class);
        m.invoke(null, dir);
      }
    }
  }
}
