package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A shard of ±1 patterns packs its bits on the executor by its fourth batch (or a large one), and
 * its partial results stay those of the batches before, bit for bit; other values never pack.
 */
class PatternShardBitsTest {

  @Test
  void partialsAreTheSameBeforeAndAfterTheBitsAreMade() {
    Random rnd = new Random(3);
    int count = 300;
    int n = 256;
    int b = 40;
    float[] rows = new float[count * n];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    float[] q = new float[b * n];
    for (int j = 0; j < b; j++) {
      for (int i = 0; i < n; i++) {
        float v = rows[(j % count) * n + i];
        q[j * n + i] = rnd.nextInt(5) == 0 ? -v : v;
      }
    }
    for (Separation s : new Separation[] {Separation.SOFTMAX, Separation.POLYNOMIAL}) {
      float beta = ModernHopfieldMemory.defaultBeta(s, n);
      int degree = s == Separation.SOFTMAX ? 0 : 3;
      PatternShard shard = PatternShard.of(100, count, rows.clone(), n, s, beta, degree);
      ShardPartial first = shard.partial(q, b, s, beta, 3, 2, true);
      assertNull(shard.bitsFor(1), "no bits for single states");
      for (int call = 2; call <= PatternShard.BITS_AFTER_BATCHES + 1; call++) {
        ShardPartial again = shard.partial(q, b, s, beta, 3, 2, true);
        assertArrayEquals(first.out, again.out, s + " call " + call);
        assertArrayEquals(first.lse, again.lse);
        assertArrayEquals(first.diagonal, again.diagonal);
        assertArrayEquals(first.energy, again.energy);
        assertArrayEquals(first.topIndex, again.topIndex);
        assertArrayEquals(first.topScore, again.topScore);
      }
      assertNotNull(shard.bitsFor(b), "packed by the fourth batch");
    }
    float[] real = new float[count * n];
    for (int i = 0; i < real.length; i++) {
      real[i] = (float) rnd.nextGaussian();
    }
    PatternShard shard = PatternShard.of(0, count, real, n, Separation.SOFTMAX, 0.0625f, 0);
    for (int call = 0; call <= PatternShard.BITS_AFTER_BATCHES; call++) {
      shard.partial(q, b, Separation.SOFTMAX, 0.0625f, 3, 1, true);
    }
    assertNull(shard.bitsFor(b), "values other than ±1 never pack");
  }
}
