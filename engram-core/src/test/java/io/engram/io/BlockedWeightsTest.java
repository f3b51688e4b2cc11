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
import java.util.Map;
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

  /**
   * The manifest's training entry is checked on read as a model's history entry is (types, ranges,
   * finite numbers), refused naming the field: it was written but never read, so a hand-edited or
   * corrupted one was accepted without a word. One that Engram writes, none, and null still read.
   */
  @Test
  void aTrainingEntryThatIsNoTrainingCallIsRefusedNamingTheField() throws Exception {
    AmariHopfieldNetwork net = trained(10);
    BlockedWeights.write(dir, net.weights(), 4, net.history().get(0));
    Path mf = dir.resolve(BlockedWeights.MANIFEST);
    String written = Files.readString(mf, StandardCharsets.UTF_8);
    DenseWeights w = BlockedWeights.read(dir);
    String ok =
        "{\"rule\": \"hebbian\", \"options\": {\"subtract_mean\": \"true\"},"
            + " \"patterns\": 4, \"rho\": 0.25}";
    String expectedObject =
        ", expected an object (the training call: rule, options, patterns, rho)";
    String noValue = ", not a value (a string such as \"true\")";
    String count = ", expected a count: out of range 0.." + Integer.MAX_VALUE;
    String[][] cases = {
      {"5", ": training is 5" + expectedObject},
      {"[1, 2]", ": training is a list" + expectedObject},
      {"\"hebbian\"", ": training is \"hebbian\"" + expectedObject},
      {ok.replace("\"rule\": \"hebbian\", ", ""), ": training: missing 'rule'"},
      {ok.replace("\"hebbian\"", "5"), ": training: 'rule' is 5, expected a string"},
      {ok.replace("\"hebbian\"", "null"), ": training: missing 'rule'"},
      {
        ok.replace("{\"subtract_mean\": \"true\"}", "[1]"),
        ": training: 'options' is a list, expected an object"
      },
      {ok.replace("\"true\"}", "NaN}"), ": training: option 'subtract_mean' is NaN" + noValue},
      {
        ok.replace("\"true\"}", "-1e999}"),
        ": training: option 'subtract_mean' is -Infinity" + noValue
      },
      {ok.replace("\"true\"}", "null}"), ": training: option 'subtract_mean' is null" + noValue},
      {
        ok.replace("\"true\"}", "{\"a\": 1}}"),
        ": training: option 'subtract_mean' is an object" + noValue
      },
      {ok.replace("\"true\"}", "[]}"), ": training: option 'subtract_mean' is a list" + noValue},
      {ok.replace(" \"patterns\": 4,", ""), ": training: missing 'patterns'"},
      {ok.replace("\"patterns\": 4", "\"patterns\": -1"), ": training: 'patterns' is -1" + count},
      {
        ok.replace("\"patterns\": 4", "\"patterns\": 1e30"),
        ": training: 'patterns' is 1.0E30" + count
      },
      {
        ok.replace("\"patterns\": 4", "\"patterns\": 2.5"),
        ": training: 'patterns' is 2.5, expected an integer"
      },
      {
        ok.replace("\"patterns\": 4", "\"patterns\": \"4\""),
        ": training: 'patterns' is \"4\", expected an integer"
      },
      {
        ok.replace("0.25", "NaN"),
        ": training: 'rho' is NaN, expected a finite number (or null for none)"
      },
      {
        ok.replace("0.25", "1e999"),
        ": training: 'rho' is Infinity, expected a finite number (or null for none)"
      },
      {
        ok.replace("0.25", "1e300"),
        ": training: 'rho' is 1.0E300, beyond float32 (at most 3.4028235E38 in magnitude)"
      },
      {
        ok.replace("0.25", "\"x\""),
        ": training: 'rho' is \"x\", expected a number (or null for none)"
      },
    };
    for (String[] c : cases) {
      Files.writeString(mf, manifest(c[0]), StandardCharsets.UTF_8);
      EngramFormatException e =
          assertThrows(EngramFormatException.class, () -> BlockedWeights.read(dir), c[0]);
      assertEquals(mf + c[1], e.getMessage(), c[0]);
    }
    for (String fine :
        new String[] {
          ok,
          ok.replace("0.25", "null"),
          ok.replace(", \"rho\": 0.25", ""),
          ok.replace("\"options\": {\"subtract_mean\": \"true\"}, ", ""),
          ok.replace("\"true\"}", "true, \"ridge\": 0.5}"),
          ok.replace("\"patterns\": 4", "\"patterns\": 0"),
          "null"
        }) {
      Files.writeString(mf, manifest(fine), StandardCharsets.UTF_8);
      assertArrayEquals(w.toDenseArray(), BlockedWeights.read(dir).toDenseArray(), fine);
    }
    // without the entry (a folder written without a record), and as Engram writes it
    Files.writeString(mf, manifest(null), StandardCharsets.UTF_8);
    assertArrayEquals(w.toDenseArray(), BlockedWeights.read(dir).toDenseArray());
    Files.writeString(mf, written, StandardCharsets.UTF_8);
    assertArrayEquals(w.toDenseArray(), BlockedWeights.read(dir).toDenseArray());
    // a call that did not centre (rho NaN) is written with a null rho, which reads
    BlockedWeights.write(
        dir, net.weights(), 4, new TrainingRecord("storkey", Map.of(), 2, 10, Float.NaN));
    assertTrue(Files.readString(mf, StandardCharsets.UTF_8).contains("\"rho\": null"));
    assertArrayEquals(w.toDenseArray(), BlockedWeights.read(dir).toDenseArray());
  }

  /** A manifest of the folder written above (N = 10, blocks of 4) with this training entry. */
  private static String manifest(String training) {
    return "{\"format\": \"engram-blocked-weights\", \"version\": 1, \"neurons\": 10,"
        + " \"block_size\": 4, \"layout\": \"upper\""
        + (training == null ? "" : ", \"training\": " + training)
        + "}";
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
