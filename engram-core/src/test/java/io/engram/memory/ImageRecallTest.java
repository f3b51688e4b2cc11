package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.fixtures.DrawnImages;
import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Correlated images, where the classical network fails and modern memory does not: 20 line drawings
 * of 32 x 32 pixels ({@link DrawnImages}, N = 1024, 2% of N, far below the classical 0.14 N for
 * random patterns), each cue with 20% of its pixels flipped. Hebbian weights recall none of them
 * (the correlated images merge into mixtures); softmax retrieval with the default β = 1/√N recalls
 * all 20 in one step, and names the right stored image as the best match.
 */
class ImageRecallTest {

  private static final int SIZE = 32;
  private static final int IMAGES = 20;

  @Test
  void hebbFailsOnCorrelatedImagesAndModernMemoryRecallsAll() {
    int n = SIZE * SIZE;
    float[][] x = new float[IMAGES][];
    for (int k = 0; k < IMAGES; k++) {
      x[k] = DrawnImages.pattern(k, SIZE);
    }
    double overlap = 0;
    for (int i = 0; i < IMAGES; i++) {
      for (int j = i + 1; j < IMAGES; j++) {
        for (int t = 0; t < n; t++) {
          overlap += x[i][t] * x[j][t];
        }
      }
    }
    overlap /= n * IMAGES * (IMAGES - 1) / 2.0;
    assertTrue(overlap > 0.3, "the drawings are correlated: mean overlap " + overlap);

    Random rnd = new Random(5);
    float[][] cues = new float[IMAGES][];
    for (int k = 0; k < IMAGES; k++) {
      cues[k] = x[k].clone();
      for (int i = 0; i < n; i++) {
        if (rnd.nextFloat() < 0.2f) {
          cues[k][i] = -cues[k][i];
        }
      }
    }

    AmariHopfieldNetwork hebb = AmariHopfieldNetwork.create(n);
    HebbianTrainer.create(hebb).train(PatternBlock.of(x));
    List<RecallResult> classical = hebb.recallBatch(cues, RecallOptions.defaults());
    int hebbRecalled = 0;
    for (int k = 0; k < IMAGES; k++) {
      hebbRecalled += Arrays.equals(classical.get(k).state(), x[k]) ? 1 : 0;
    }
    assertEquals(0, hebbRecalled, "Hebb recalled " + hebbRecalled + " of " + IMAGES);

    ModernHopfieldMemory modern = ModernHopfieldMemory.softmax(n);
    modern.store(x);
    List<RecallResult> rs = modern.retrieveAll(cues);
    for (int k = 0; k < IMAGES; k++) {
      RecallResult r = rs.get(k);
      assertEquals(1, r.steps());
      assertEquals(k, r.matches().get(0).index(), "best match of cue " + k);
      assertTrue(r.matches().get(0).weight() > 0.9f, "weight " + r.matches().get(0).weight());
      float[] image = new float[n];
      for (int i = 0; i < n; i++) {
        image[i] = Math.signum(r.state()[i]);
      }
      assertArrayEquals(x[k], image, "image " + k);
    }
  }
}
