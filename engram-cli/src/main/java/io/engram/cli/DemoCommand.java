package io.engram.cli;

import io.engram.analysis.HopfieldAnalyzer;
import io.engram.learning.HebbianTrainer;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram demo}: a self-contained example, no input needed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Store a few random +-1 patterns, corrupt copies of them, recall, and report how much came back.",
      "Needs no input and writes no files."
    },
    footer = {"", "Examples:", "  engram demo", "  engram demo --neurons 1000 --patterns 20 --noise 0.3 --seed 7"})
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--neurons", defaultValue = "400", description = "N (default: ${DEFAULT-VALUE}).")
  int neurons;

  @Option(names = "--patterns", defaultValue = "6", description = "Patterns to store (default: ${DEFAULT-VALUE}).")
  int patterns;

  @Option(names = "--noise", defaultValue = "0.25", description = "Fraction of each cue's bits flipped (default: ${DEFAULT-VALUE}).")
  double noise;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    if (neurons < 1 || neurons > 20000) {
      throw new UserError("--neurons must be in 1..20000, got " + neurons);
    }
    if (patterns < 1 || patterns > 10000) {
      throw new UserError("--patterns must be in 1..10000, got " + patterns);
    }
    if (!(noise >= 0 && noise <= 1)) {
      throw new UserError("--noise must be in [0, 1], got " + noise);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    float[][] stored = new float[patterns][neurons];
    for (float[] p : stored) {
      for (int i = 0; i < neurons; i++) {
        p[i] = rnd.nextBoolean() ? 1f : -1f;
      }
    }
    float[][] cues = new float[patterns][];
    int flips = (int) Math.round(noise * neurons);
    for (int k = 0; k < patterns; k++) {
      cues[k] = stored[k].clone();
      int[] idx = rnd.ints(0, neurons).distinct().limit(flips).toArray();
      for (int i : idx) {
        cues[k][i] = -cues[k][i];
      }
    }
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(neurons);
    HebbianTrainer trainer = HebbianTrainer.create(net);
    trainer.train(stored);
    List<RecallResult> results = net.recallBatch(cues, RecallOptions.defaults());

    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "Engram demo: %d random +-1 patterns stored in a Hopfield network of %d neurons (capacity about %d)%n",
        patterns,
        neurons,
        net.storageCapacity());
    out.printf(Locale.ROOT, "each cue has %d of %d bits flipped (%.0f%% noise)%n%n", flips, neurons, 100 * noise);
    out.println("pattern  cue overlap  recalled overlap  steps  converged");
    int exact = 0;
    double sum = 0;
    for (int k = 0; k < patterns; k++) {
      RecallResult r = results.get(k);
      double before = HopfieldAnalyzer.overlap(cues[k], stored[k]);
      double after = HopfieldAnalyzer.overlap(r.state(), stored[k]);
      exact += after == 1.0 ? 1 : 0;
      sum += after;
      out.printf(
          Locale.ROOT, "%7d  %11.3f  %16.3f  %5d  %s%n", k + 1, before, after, r.steps(), r.converged() ? "yes" : "no");
    }
    out.printf(
        Locale.ROOT,
        "%n%d of %d patterns came back exactly; mean overlap %.3f (1.0 = perfect recall)%n",
        exact,
        patterns,
        sum / patterns);
    out.flush();
    return 0;
  }

}
