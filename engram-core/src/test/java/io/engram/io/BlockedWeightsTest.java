package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.TrainingRecord;
import io.engram.weights.DenseWeights;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockedWeightsTest {

  @TempDir Path dir;

  private static AmariHopfieldNetwork trained(int n) {
    SplittableRandom r = new SplittableRandom(n);
    float[] d = new float[4 * n];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextGaussian();
    }
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    HebbianRule.hebbian(HebbianOptions.DEFAULTS)
        .train(net, PatternBlock.ofRows(d, 4, n), true, null);
    return net;
  }

  @Test
  void roundTripsForBlockSizesThatDoAndDoNotDivideN() throws Exception {
    for (int b : new int[] {1, 3, 8, 17, 40}) {
      AmariHopfieldNetwork net = trained(17);
      Path d = Files.createDirectory(dir.resolve("b" + b));
      TrainingRecord rec = net.history().get(0);
      BlockedWeights.write(d, net.weights(), b, rec);
      DenseWeights w = BlockedWeights.read(d);
      assertArrayEquals(net.weightMatrix(), w.toDenseArray(), "block size " + b);
      int g = BlockedWeights.gridSize(17, b);
      try (var files = Files.list(d)) {
        assertEquals(g * (g + 1) / 2 + 1, files.count(), "upper blocks plus the manifest");
      }
    }
    String m = Files.readString(dir.resolve("b8").resolve(BlockedWeights.MANIFEST));
    assertTrue(m.contains("\"rule\": \"hebbian\""), m);
  }

  @Test
  void rejectsMissingMalformedAndMisshapenFolders() throws Exception {
    AmariHopfieldNetwork net = trained(10);
    BlockedWeights.write(dir, net.weights(), 4, null);
    BlockedWeights.read(dir);

    Path block = dir.resolve(BlockedWeights.blockFileName(0, 2));
    byte[] good = Files.readAllBytes(block);
    Npy.writeFloats(block, new float[4 * 3], 4, 3);
    assertThrows(
        EngramFormatException.class, () -> BlockedWeights.read(dir)); // shape (4, 2) expected
    Files.delete(block);
    assertThrows(EngramFormatException.class, () -> BlockedWeights.read(dir)); // missing
    Files.write(block, good);

    Path diag = dir.resolve(BlockedWeights.blockFileName(1, 1));
    float[] asym = new float[16];
    asym[1] = 1f;
    Npy.writeFloats(diag, asym, 4, 4);
    assertThrows(EngramFormatException.class, () -> BlockedWeights.read(dir));

    Path mf = dir.resolve(BlockedWeights.MANIFEST);
    Files.writeString(
        mf,
        "{\"format\": \"engram-blocked-weights\", \"version\": 1, \"neurons\": 0,"
            + " \"block_size\": 4, \"layout\": \"upper\"}",
        StandardCharsets.UTF_8);
    assertThrows(EngramFormatException.class, () -> BlockedWeights.read(dir));
    // a number written as a string is shown as the string it is, not as the number it spells
    Files.writeString(
        mf,
        "{\"format\": \"engram-blocked-weights\", \"version\": 1, \"neurons\": \"10\","
            + " \"block_size\": 4, \"layout\": \"upper\"}",
        StandardCharsets.UTF_8);
    EngramFormatException quoted =
        assertThrows(EngramFormatException.class, () -> BlockedWeights.read(dir));
    assertTrue(
        quoted.getMessage().endsWith(": neurons is \"10\", expected an integer in 1..46340"),
        quoted.getMessage());
    Files.writeString(mf, "{not json", StandardCharsets.UTF_8);
    assertThrows(EngramFormatException.class, () -> BlockedWeights.read(dir));
    Files.writeString(mf, "{\"format\": \"other\"}", StandardCharsets.UTF_8);
    assertThrows(EngramFormatException.class, () -> BlockedWeights.read(dir));
    Files.delete(mf);
    assertThrows(EngramFormatException.class, () -> BlockedWeights.read(dir));
  }

  @Test
  void writeBlockChecksTheGrid() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BlockedWeights.writeBlock(dir, 10, 4, 1, 0, new float[16]));
    assertThrows(
        IllegalArgumentException.class,
        () -> BlockedWeights.writeBlock(dir, 10, 4, 0, 3, new float[16]));
    assertThrows(
        IllegalArgumentException.class,
        () -> BlockedWeights.writeBlock(dir, 10, 4, 0, 2, new float[16]));
  }
}
