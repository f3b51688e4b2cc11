package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the incubating Vector API confined to one file (it may change between JDKs). */
class IncubatorImportsTest {

  @Test
  void onlyPanamaKernelsUsesTheIncubatorModule() throws IOException {
    List<String> users;
    try (Stream<Path> files = Files.walk(Path.of("src"))) {
      users =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> read(f).contains("import " + "jdk.incubator"))
              .map(f -> f.getFileName().toString())
              .sorted()
              .collect(Collectors.toList());
    }
    assertEquals(List.of("PanamaKernels.java"), users);
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
