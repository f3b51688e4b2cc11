package io.engram.bench;

import io.engram.Engram;
import io.engram.io.Npy;
import io.engram.io.Patterns;
import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.weights.WeightsMode;
import java.nio.file.Path;
import java.util.List;

/**
 * The dense workload of whole_process.py in one fresh JVM through the library: read the patterns,
 * train dense Hebbian weights, read the cues, recall them synchronously (up to 20 steps, each
 * stopping at its fixed point), write the states; no model file in between. What a command that
 * trained and recalled in one process could at best do, for issue 9 section 3 (BENCHMARKS.md, Run
 * W23). Usage: {@code OneProcess PATTERNS.npy QUERIES.npy OUT.npy}.
 */
public final class OneProcess {
  private OneProcess() {}

  public static void main(String[] a) throws Exception {
    if (a.length != 3) {
      throw new IllegalArgumentException("usage: OneProcess PATTERNS.npy QUERIES.npy OUT.npy");
    }
    Engram.startKernelWarmup(true);
    PatternBlock p = Patterns.readNpy(Path.of(a[0]));
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(p.length(), Dynamics.DEFAULT, WeightsMode.DENSE);
    HebbianTrainer.create(net).train(p);
    PatternBlock qb = Patterns.readNpy(Path.of(a[1]));
    float[][] q = new float[qb.count()][];
    for (int i = 0; i < q.length; i++) q[i] = qb.row(i);
    List<RecallResult> rs = net.recallBatch(q, RecallOptions.defaults());
    float[] out = new float[q.length * p.length()];
    for (int i = 0; i < q.length; i++)
      System.arraycopy(rs.get(i).state(), 0, out, i * p.length(), p.length());
    Npy.writeFloats(Path.of(a[2]), out, q.length, p.length());
  }
}
