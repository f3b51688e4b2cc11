package io.engram.cli;

import io.engram.internal.Json;
import io.engram.io.AtomicFiles;
import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram recall}. */
@Command(
    name = "recall",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Recall stored patterns from cues: each query starts at its cue and runs up to --iterations",
      "update steps, stopping early at an exact fixed point (same output as running all steps).",
      "The model file is never changed."
    },
    footer = {
      "",
      "Examples:",
      "  engram recall --model model.npz --queries noisy.npy --out recalled.npy",
      "  engram recall --model model.npz --queries noisy.npy --out r.npy --report report.json",
      "  engram recall --model model.npz --queries q.npy --out r.npy --update async --seed 7",
      "  engram recall --model model.npz --queries q.npy --out r.npy --activation tanh --temperature 0.5"
    })
final class RecallCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model written by 'engram train'.")
  Path model;

  @Option(names = "--queries", required = true, paramLabel = "FILE", description = "Cues: .npy (B x N or 1-D) or .csv, each of the model's length N.")
  Path queries;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Recalled states as float32 .npy (B x N), written at exactly this path.")
  Path out;

  @Option(names = "--iterations", defaultValue = "20", paramLabel = "K", description = "At most K update steps per query (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--energy-tolerance", paramLabel = "X", description = "Also stop when a step changes the energy by less than X (for tanh/sigmoid).")
  Double energyTolerance;

  @Option(names = "--report", paramLabel = "FILE.json", description = "Write per-query steps, convergence and energy as JSON.")
  Path report;

  @Mixin DynamicsOptions dynamics;

  @Override
  public Integer call() throws Exception {
    if (iterations < 0) {
      throw new UserError("--iterations must be >= 0, got " + iterations);
    }
    AmariHopfieldNetwork net = ModelFile.read(model);
    float[][] q = Inputs.readQueries(queries);
    int n = net.numNeurons();
    for (int i = 0; i < q.length; i++) {
      if (q[i].length != n) {
        throw new UserError(
            queries + ": query " + i + " has length " + q[i].length + ", but the model has N = " + n + " neurons");
      }
    }
    Dynamics d = dynamics.apply(net.dynamics());
    RecallOptions opts = RecallOptions.defaults().withMaxIterations(iterations).withDynamics(d);
    if (energyTolerance != null) {
      opts = opts.withEnergyTolerance(energyTolerance);
    }
    List<RecallResult> results = net.recallBatch(q, opts);

    float[] flat = new float[q.length * n];
    int converged = 0;
    List<Object> entries = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      RecallResult r = results.get(i);
      System.arraycopy(r.state(), 0, flat, i * n, n);
      converged += r.converged() ? 1 : 0;
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("steps", r.steps());
      e.put("converged", r.converged());
      e.put("energy", (double) r.energy());
      entries.add(e);
    }
    NdArray outArray = NdArray.ofFloats(flat, q.length, n);
    Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
    files.put(out, s -> Npy.write(outArray, s));
    if (report != null) {
      Map<String, Object> rep = new LinkedHashMap<>();
      rep.put("model", model.toString());
      rep.put("num_neurons", n);
      rep.put("iterations", iterations);
      rep.put("queries", entries);
      byte[] bytes = (Json.writePretty(rep) + "\n").getBytes(StandardCharsets.UTF_8);
      files.put(report, s -> s.write(bytes));
    }
    AtomicFiles.writeAll(files);
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "recalled %d quer%s of N = %d: %d converged within %d steps; states written to %s%n",
            q.length,
            q.length == 1 ? "y" : "ies",
            n,
            converged,
            iterations,
            out);
    return 0;
  }
}
