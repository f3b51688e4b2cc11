package io.engram.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of {@code docs/ARCHITECTURE.md}, checked on the main sources: every reference from one
 * Engram package to another in code (imports and fully qualified names; comments may mention any
 * layer) points down, weight representations are told apart only in {@code weights} and the codecs,
 * and memory kinds only by their own classes and the model file ({@code io}).
 */
class LayeringTest {

  /** For each package, the Engram packages it may use. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("kernels", Set.of()),
          Map.entry("internal", Set.of()),
          Map.entry("weights", Set.of("kernels")),
          Map.entry("network", Set.of("weights", "kernels")),
          Map.entry("learning", Set.of("network", "weights", "kernels")),
          Map.entry("memory", Set.of("network", "weights", "kernels")),
          Map.entry(
              "io", Set.of("memory", "learning", "network", "weights", "kernels", "internal")),
          Map.entry("analysis", Set.of("learning", "network", "weights", "kernels")),
          Map.entry("", Set.of("kernels")));

  private static final Pattern REF = Pattern.compile("\\bio\\.engram\\.([a-z]+)\\.[A-Z]");

  @Test
  void dependenciesPointDown() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path f : sources()) {
      String pkg = packageOf(f);
      Set<String> allowed = ALLOWED.get(pkg);
      if (allowed == null) {
        violations.add(f + ": package io.engram." + pkg + " has no place in the layers");
        continue;
      }
      Matcher m = REF.matcher(code(f));
      while (m.find()) {
        String used = m.group(1);
        if (!used.equals(pkg) && !allowed.contains(used)) {
          violations.add(f.getFileName() + " (" + pkg + ") uses io.engram." + used);
        }
      }
    }
    assertEquals(List.of(), violations.stream().distinct().collect(Collectors.toList()));
  }

  @Test
  void weightRepresentationsAreToldApartOnlyInWeightsAndTheCodecs() throws IOException {
    List<String> violations = new ArrayList<>();
    Pattern kindTest =
        Pattern.compile(
            "instanceof\\s+(DenseWeights|LowRankWeights|\\w+Weights)\\b"
                + "|\"(dense|low-rank|projection)\"");
    for (Path f : sources()) {
      String pkg = packageOf(f);
      String name = f.getFileName().toString();
      if (pkg.equals("weights") || name.endsWith("Codec.java")) {
        continue;
      }
      Matcher m = kindTest.matcher(code(f));
      while (m.find()) {
        violations.add(name + ": " + m.group());
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void memoryKindsAreToldApartOnlyByTheirOwnClassesAndTheModelFile() throws IOException {
    List<String> violations = new ArrayList<>();
    Pattern kindTest =
        Pattern.compile(
            "instanceof\\s+(AmariHopfieldNetwork|ModernHopfieldMemory)\\b"
                + "|\"(classical|modern)\"");
    for (Path f : sources()) {
      String pkg = packageOf(f);
      String name = f.getFileName().toString();
      Matcher m = kindTest.matcher(code(f));
      while (m.find()) {
        String owner =
            m.group().contains("modern") || m.group().contains("Modern")
                ? "ModernHopfieldMemory.java"
                : "AmariHopfieldNetwork.java";
        if (!pkg.equals("io") && !name.equals(owner)) {
          violations.add(name + ": " + m.group());
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  private static List<Path> sources() throws IOException {
    List<Path> roots = List.of(Path.of("src/main/java/io/engram"), Path.of("src/main/java-panama"));
    List<Path> all = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(p -> p.toString().endsWith(".java")).forEach(all::add);
      }
    }
    return all;
  }

  private static String packageOf(Path f) {
    Matcher m =
        Pattern.compile("^package io\\.engram\\.?([a-z]*);", Pattern.MULTILINE).matcher(read(f));
    if (!m.find()) {
      throw new IllegalStateException(f + " has no package io.engram...");
    }
    return m.group(1);
  }

  /** The source without its comments (documentation may mention any layer). */
  private static String code(Path f) {
    return read(f).replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
