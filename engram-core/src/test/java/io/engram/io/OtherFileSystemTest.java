package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianTrainer;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files on a file system other than the default one, through the Path API (the JDK's zip file
 * system): what the library writes there it reads back. A model written into a zip file system was
 * "not a .npz (zip) archive: UnsupportedOperationException" to {@code ModelFile.read}, since {@code
 * java.util.zip} takes local files only.
 */
class OtherFileSystemTest {

  @TempDir Path tmp;

  private static final float[][] PATTERNS = {
    {1, -1, 1, -1, 1, 1, -1, -1}, {-1, -1, 1, 1, -1, 1, 1, -1}, {1, 1, 1, -1, -1, -1, 1, -1}
  };

  private FileSystem zipFileSystem() throws IOException {
    return FileSystems.newFileSystem(tmp.resolve("outer.zip"), Map.of("create", "true"));
  }

  @Test
  void modelsWrittenIntoAZipFileSystemReadBackTheSame() throws IOException {
    try (FileSystem fs = zipFileSystem()) {
      for (WeightsMode mode : new WeightsMode[] {WeightsMode.DENSE, WeightsMode.LOW_RANK}) {
        AmariHopfieldNetwork net = AmariHopfieldNetwork.create(8, Dynamics.DEFAULT, mode);
        HebbianTrainer.create(net).train(PATTERNS);
        Path m = fs.getPath("/models", mode + ".npz"); // a folder of the zip file system too
        Files.createDirectories(m.getParent());
        ModelFile.write(m, net);
        AmariHopfieldNetwork back = ModelFile.read(m);
        assertEquals(mode, back.weightsMode());
        assertArrayEquals(net.weightMatrix(), back.weightMatrix());
        assertEquals(net.history(), back.history());
        try (NpzFile npz = NpzFile.open(m)) {
          assertEquals(m, npz.path()); // named as given, not as the local copy
          assertTrue(npz.contains("meta.json"), npz.memberNames().toString());
        }
      }
      ModernHopfieldMemory memory = ModernHopfieldMemory.softmax(8);
      memory.store(PATTERNS);
      Path mm = fs.getPath("modern.npz"); // relative, to the zip file system's root
      ModelFile.write(mm, memory);
      ModernHopfieldMemory back =
          assertInstanceOf(ModernHopfieldMemory.class, ModelFile.readMemory(mm));
      assertArrayEquals(memory.toArray(), back.toArray());
      assertEquals("modern", ModelFile.memoryKind(mm));
    }
  }

  @Test
  void aBadArchiveInAZipFileSystemIsNamedByItsPath() throws IOException {
    try (FileSystem fs = zipFileSystem()) {
      Path bad = fs.getPath("/bad.npz");
      Files.writeString(bad, "not a zip", StandardCharsets.US_ASCII);
      EngramFormatException e =
          assertThrows(EngramFormatException.class, () -> ModelFile.read(bad));
      assertTrue(e.getMessage().startsWith("/bad.npz: not a .npz (zip) archive"), e.getMessage());
    }
  }
}
