package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * engram-spark's classes stay readable: none over 500 lines (docs/ARCHITECTURE.md, build hygiene).
 * The estimator and the model keep their parameter fields in {@code HopfieldMemoryBase} and {@code
 * HopfieldMemoryModelBase}, fitting, transforming and persistence in classes of their own.
 */
class SourceSizeTest {

  private static final int MAX_LINES = 500;

  @Test
  void noMainSourceIsOver500Lines() throws IOException {
    List<String> over = new ArrayList<>();
    int seen = 0;
    try (var files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        seen++;
        long lines = Files.readAllLines(f).size();
        if (lines > MAX_LINES) {
          over.add(f + ": " + lines + " lines");
        }
      }
    }
    assertEquals(List.of(), over);
    assertTrue(seen > 20, "read " + seen + " sources");
  }
}
