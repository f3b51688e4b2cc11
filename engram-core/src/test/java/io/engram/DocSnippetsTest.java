package io.engram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.analysis.CapacityPoint;
import io.engram.analysis.CapacitySweep;
import io.engram.analysis.Corruption;
import io.engram.analysis.HopfieldAnalyzer;
import io.engram.analysis.MemoryFactory;
import io.engram.analysis.WorkModel;
import io.engram.io.EngramFormatException;
import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import io.engram.io.NpzFile;
import io.engram.io.Patterns;
import io.engram.learning.AntiHebbianTrainer;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.HebbianTrainer;
import io.engram.learning.LearningRule;
import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseOptions;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.learning.Trainer;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.Memory;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.UpdateMode;
import io.engram.weights.Representation;
import io.engram.weights.WeightsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of README.md, docs/USER_GUIDE.md, docs/CAPACITY.md, docs/MODEL_FORMAT.md and
 * the public classes' Javadoc, copied as written (between the {@code // ---} lines, with the
 * variables they assume defined before them), so that a renamed method or a changed result breaks
 * the build instead of the documentation.
 */
class DocSnippetsTest {

  @TempDir Path tmp;

  private static float[][] bipolar(int p, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    return x;
  }

  private static float[] flipped(float[] x, int count) {
    float[] c = x.clone();
    for (int i = 0; i < count; i++) {
      c[i] = -c[i];
    }
    return c;
  }

  /** README.md, "The Java API in one glance". */
  @Test
  void readmeJavaApiInOneGlance() {
    float[][] patterns = bipolar(5, 100, 1);
    float[] noisyCue = flipped(patterns[0], 10);
    float[][] cues = {noisyCue, flipped(patterns[1], 10)};
    // ---
    var net = AmariHopfieldNetwork.create(100); // AmariHopfieldNetwork(num_neurons=100)
    var trainer = HebbianTrainer.create(net); // HebbianTrainer(model)
    trainer.train(patterns); // trainer.train(patterns)
    RecallResult r = trainer.predict(noisyCue); // trainer.predict(noisy_cue)
    r.state();
    r.steps();
    r.converged();
    r.energy();
    List<RecallResult> all =
        trainer.predictBatch(
            cues, // trainer.predict_batch(cues, num_iter=30)
            RecallOptions.defaults().withMaxIterations(30));
    // ---
    assertArrayEquals(patterns[0], r.state());
    assertTrue(r.converged());
    assertEquals(2, all.size());
    assertArrayEquals(patterns[1], all.get(1).state());
  }

  /** Stands in for the logger of the user guide's snippet. */
  private static final class Log {
    final AtomicInteger lines = new AtomicInteger();

    void debug(String format, Object... args) {
      lines.incrementAndGet();
    }
  }

  /** USER_GUIDE.md, "Java API next to CANNs": the snippet under the table. */
  @Test
  void userGuideTrainAndAnalyze() {
    Log log = new Log();
    float[][] patterns = bipolar(5, 100, 2);
    float[][] noisy = {flipped(patterns[0], 10), flipped(patterns[3], 8)};
    // ---
    var net = AmariHopfieldNetwork.create(100);
    var trainer = HebbianTrainer.create(net);
    trainer.train(patterns); // float[P][100] of ±1
    List<RecallResult> out =
        trainer.predictBatch(
            noisy,
            RecallOptions.defaults()
                .withMaxIterations(30)
                .withStepListener(
                    (q, it, e, conv, dE) -> log.debug("query {} step {} E={}", q, it, e)));
    HopfieldAnalyzer a = HopfieldAnalyzer.of(net, PatternBlock.of(patterns));
    var diag = a.analyzeRecall(noisy[0], out.get(0).state());
    // ---
    assertEquals(0, diag.bestMatchIndex());
    assertEquals(1.0, diag.bestMatchOverlap());
    assertEquals(0.8, diag.inputOutputOverlap(), 1e-12); // 10 of 100 values differ
    assertEquals(out.get(0).energy(), diag.outputEnergy());
    assertEquals(out.get(0).steps() + out.get(1).steps(), log.lines.get());
  }

  /** USER_GUIDE.md, "Java API next to CANNs": the table, row by row. */
  @Test
  void userGuideTableRowByRow() {
    int n = 64;
    float[][] patterns = bipolar(4, n, 3);
    float[] x = flipped(patterns[0], 6);
    float[][] xs = {x, flipped(patterns[2], 5)};

    // AmariHopfieldNetwork(num_neurons=N, asyn=False, threshold=0.0, activation="sign", ...)
    var net =
        AmariHopfieldNetwork.create(
            n, new Dynamics(Activation.SIGN, 1f, 0f, UpdateMode.synchronous()));
    assertEquals(Dynamics.DEFAULT, net.dynamics());
    assertEquals(Dynamics.DEFAULT, AmariHopfieldNetwork.create(n).dynamics());
    int[] order = new int[n];
    Arrays.setAll(order, i -> n - 1 - i);
    assertTrue(UpdateMode.asynchronous(7L).isAsynchronous());
    assertArrayEquals(order, ((UpdateMode.FixedOrder) UpdateMode.asynchronous(order)).order());

    // HebbianTrainer(model, subtract_mean=True, zero_diagonal=True, normalize_by_patterns=True,
    // preserve_on_resize=True), and its defaults
    HebbianOptions options = new HebbianOptions(true, true, true, true);
    var trainer = HebbianTrainer.create(net, options);
    assertEquals(HebbianOptions.DEFAULTS, HebbianTrainer.create(net).options());
    assertEquals("anti-hebbian", AntiHebbianTrainer.create(net, options).rule().name());

    // trainer.train(patterns): three forms, the same weights; from a numpy file
    trainer.train(patterns);
    var fromList = AmariHopfieldNetwork.create(n);
    HebbianTrainer.create(fromList).train(List.of(patterns));
    var fromRows = AmariHopfieldNetwork.create(n);
    float[] flat = new float[4 * n];
    for (int k = 0; k < 4; k++) {
      System.arraycopy(patterns[k], 0, flat, k * n, n);
    }
    HebbianTrainer.create(fromRows).train(PatternBlock.ofRows(flat, 4, n));
    assertArrayEquals(net.weightMatrix(), fromList.weightMatrix());
    assertArrayEquals(net.weightMatrix(), fromRows.weightMatrix());

    // predict, predict_batch, progress callbacks
    RecallResult r = trainer.predict(x, RecallOptions.defaults().withMaxIterations(20));
    assertArrayEquals(patterns[0], r.state());
    assertArrayEquals(patterns[0], net.state()); // the state is left at the output
    List<Object[]> steps = new ArrayList<>();
    AtomicInteger queries = new AtomicInteger();
    RecallOptions listened =
        RecallOptions.defaults()
            .withStepListener(
                (query, iteration, energy, converged, energyChange) ->
                    steps.add(new Object[] {query, iteration, energy, converged, energyChange}))
            .withQueryListener((query, done, total, result) -> queries.incrementAndGet());
    List<RecallResult> rs = trainer.predictBatch(new float[][] {x}, listened);
    assertEquals(rs.get(0).steps(), steps.size());
    assertEquals(1, queries.get());
    Object[] last = steps.get(steps.size() - 1);
    assertEquals(true, last[3]);
    assertEquals(rs.get(0).energy(), (double) last[2]);

    // training progress: the listener overload takes a PatternBlock
    var dense = AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, WeightsMode.DENSE);
    AtomicLong done = new AtomicLong();
    HebbianTrainer.create(dense)
        .train(PatternBlock.of(patterns), (d, total) -> done.set(d == total ? total : -1));
    assertEquals((long) 4 * n * (n + 1) / 2, done.get());

    // convergence_threshold, update(), energy, storage_capacity, resize, compute_overlap
    assertEquals(1e-10, RecallOptions.defaults().withEnergyTolerance(1e-10).energyTolerance());
    net.setState(x);
    assertTrue(net.step()); // the state changed
    assertEquals(net.energy(), net.energy(net.state()));
    assertEquals(8, net.storageCapacity()); // floor(0.14 * 64)
    net.resize(n, true); // same N: nothing changes
    assertArrayEquals(fromList.weightMatrix(), net.weightMatrix());
    assertEquals(1.0 - 2.0 * 6 / n, HopfieldAnalyzer.overlap(patterns[0], x), 1e-12);

    // W and s: a copy, the live weights, a copy
    assertEquals(net.weights().get(1, 2), net.weightMatrix()[n + 2]);
    float[] s = net.state();
    s[0] = 0f;
    assertTrue(net.state()[0] != 0f);

    // the analyzer
    HopfieldAnalyzer analyzer = HopfieldAnalyzer.of(net, PatternBlock.of(patterns));
    assertEquals(2, analyzer.analyzeRecall(xs[1], patterns[2]).bestMatchIndex());
    assertEquals(4, analyzer.patternEnergies().length);
    assertEquals(4, analyzer.statistics().numPatterns());
    assertEquals(8, analyzer.capacityEstimate());
    assertEquals(0.5, analyzer.capacityUsage());
    assertEquals(0.0, analyzer.symmetryError());

    // noisy and partial cues, as engram corrupt makes them
    float[] cue = patterns[1].clone();
    Corruption.of(0.1, 0.2, 0.25).apply(cue, new SplittableRandom(42));
    int zeros = 0;
    int negated = 0;
    for (int i = 0; i < n; i++) {
      zeros += cue[i] == 0f ? 1 : 0;
      negated += cue[i] == -patterns[1][i] ? 1 : 0;
    }
    assertEquals(16 + 13, zeros); // round(0.25 N) occluded + round(0.2 N) erased
    assertEquals(6, negated); // round(0.1 N)
    for (int i = n - 16; i < n; i++) {
      assertEquals(0f, cue[i]);
    }
    CapacitySweep partial =
        CapacitySweep.builder(MemoryFactory.classical(HebbianRule.hebbian(options)), 100)
            .loads(5, 10)
            .trials(2)
            .erase(0.1)
            .occlude(0.2)
            .build();
    assertEquals(Corruption.of(0.1, 0.1, 0.2), partial.corruption()); // flip: 0.1 by default
    assertEquals(2, partial.run().size());

    // a rule of one's own
    LearningRule rule = HebbianRule.hebbian(options);
    var custom = AmariHopfieldNetwork.create(n);
    Trainer.of(custom, rule, true).train(patterns);
    var direct = AmariHopfieldNetwork.create(n);
    rule.train(direct, PatternBlock.of(patterns), true, null);
    assertArrayEquals(fromList.weightMatrix(), custom.weightMatrix());
    assertArrayEquals(fromList.weightMatrix(), direct.weightMatrix());
  }

  /** USER_GUIDE.md, "Errors": the messages, word for word. */
  @Test
  void userGuideErrors() {
    var net = AmariHopfieldNetwork.create(100);
    var trainer = HebbianTrainer.create(net);
    float[][] ragged = bipolar(5, 100, 4);
    ragged[3] = new float[99];
    assertEquals(
        "pattern 3 has length 99, expected 100 (as pattern 0)",
        assertThrows(IllegalArgumentException.class, () -> trainer.train(ragged)).getMessage());
    float[][] nan = bipolar(2, 100, 5);
    nan[0][7] = Float.NaN;
    assertEquals(
        "pattern 0 has a non-finite value NaN at index 7",
        assertThrows(IllegalArgumentException.class, () -> trainer.train(nan)).getMessage());
    assertEquals(
        "temperature must be a finite number > 0, got 0.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> new Dynamics(Activation.TANH, 0f, 0f, UpdateMode.synchronous()))
            .getMessage());
    assertEquals(0, net.history().size()); // the network exactly as it was
    assertArrayEquals(new float[100 * 100], net.weightMatrix());
  }

  /** USER_GUIDE.md, "Learning rules": the pseudo-inverse and Storkey snippet. */
  @Test
  void userGuideRules() {
    float[][] letters = bipolar(10, 1024, 6);
    float[][] more = bipolar(3, 1024, 7);
    float[][] patterns = bipolar(10, 100, 8);
    // ---
    var net = AmariHopfieldNetwork.create(1024);
    var rule = PseudoInverseRule.create(); // or create(PseudoInverseOptions.DEFAULTS.withRidge(10))
    rule.train(net, PatternBlock.of(letters), true, null); // preserveOnResize, progress listener
    Trainer.of(net, rule, true).train(more); // a second call adds rows
    net.history().get(1).options().get("effective_rank");
    var other = AmariHopfieldNetwork.create(100);
    StorkeyRule.create().train(other, PatternBlock.of(patterns), true, null); // dense weights
    // ---
    assertEquals("13", net.history().get(1).options().get("effective_rank"));
    assertEquals(10.0, PseudoInverseOptions.DEFAULTS.withRidge(10).ridge());
    assertEquals(Representation.DENSE, other.weights().representation());
    for (float[] x : letters) {
      assertArrayEquals(x, net.recall(x).state()); // every stored pattern a fixed point
    }
  }

  /** USER_GUIDE.md, "Modern memory", and ModernHopfieldMemory's class comment. */
  @Test
  void userGuideModernMemory() throws Exception {
    float[][] patterns = bipolar(20, 256, 9);
    float[] one = bipolar(1, 256, 10)[0];
    float[] noisyCue = flipped(patterns[2], 40);
    float[][] cues = {noisyCue, flipped(patterns[5], 30)};
    Path path = tmp.resolve("m.npz");
    // ---
    var memory = ModernHopfieldMemory.softmax(256); // β = 1/√N; or softmax(N, β)
    memory.store(patterns); // appends; returns the first new index
    memory.store(new float[][] {one}); // one at a time is fine: amortised O(N)
    RecallResult r = memory.retrieve(noisyCue); // one step
    r.state();
    r.energy();
    r.matches().get(0).index(); // best match and its softmax weight
    memory.retrieveAll(cues, memory.defaultRecallOptions().withTopK(3).withMaxIterations(5));
    memory.remove(3); // forget pattern 3; later ones move up
    memory.remove(new int[] {0, 5, 9}); // several in one pass over X
    var binary = ModernHopfieldMemory.polynomial(100, 3); // or rectified(N, n), exponential(N, β)
    ModelFile.write(path, memory);
    Memory m = ModelFile.readMemory(path); // any kind
    // ---
    assertEquals(2, r.matches().get(0).index());
    assertTrue(r.matches().get(0).weight() > 0.99f, "weight " + r.matches().get(0).weight());
    assertTrue(r.energy() >= 0, "E >= 0: " + r.energy()); // as the class comment says
    assertEquals(1f / 16, ModernHopfieldMemory.softmax(256).beta());
    List<RecallResult> top3 =
        memory.retrieveAll(cues, memory.defaultRecallOptions().withTopK(3).withMaxIterations(5));
    assertEquals(3, top3.get(0).matches().size());
    assertEquals(17, memory.size());
    assertEquals("modern", m.kind());
    assertEquals("polynomial", binary.separation().id());
    assertEquals(362, Math.round(ModernHopfieldMemory.polynomialCapacity(100, 3)));
  }

  /** HebbianTrainer's and AntiHebbianTrainer's class comments, and the latter's claim. */
  @Test
  void trainerJavadoc() {
    float[][] patterns = bipolar(6, 100, 11);
    float[] noisy = flipped(patterns[4], 9);
    // --- HebbianTrainer
    var net = AmariHopfieldNetwork.create(100);
    var trainer = HebbianTrainer.create(net); // HebbianTrainer(model)
    trainer.train(patterns); // trainer.train(patterns)
    RecallResult r = trainer.predict(noisy); // trainer.predict(noisy)
    // ---
    assertArrayEquals(patterns[4], r.state());
    float[][] spuriousStates = patterns;
    var fresh = AmariHopfieldNetwork.create(100);
    HebbianTrainer.create(fresh).train(patterns);
    net = fresh;
    // --- AntiHebbianTrainer
    var unlearn = AntiHebbianTrainer.create(net); // AntiHebbianTrainer(model)
    unlearn.train(spuriousStates);
    // ---
    // "on the same patterns with the same options it exactly cancels a HebbianTrainer call made on
    // fresh weights"; and unlearning stores nothing
    assertArrayEquals(new float[100 * 100], net.weightMatrix());
    assertEquals(6, net.storedPatterns());
  }

  /** docs/CAPACITY.md (the library's sweep) and MemoryFactory's class comment. */
  @Test
  void capacitySweepFromJava() {
    LearningRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    int n = 100;
    // --- CAPACITY.md
    MemoryFactory factory = MemoryFactory.classical(rule);
    List<CapacityPoint> points =
        CapacitySweep.builder(factory, n).loads(5, 10, 20).trials(3).build().run();
    // --- MemoryFactory: another memory kind is a lambda, told its cost
    MemoryFactory modern =
        patterns -> {
          var m = ModernHopfieldMemory.softmax(patterns.length());
          m.storeRows(patterns.rows(), patterns.count());
          return m;
        };
    List<CapacityPoint> modernPoints =
        CapacitySweep.builder(modern.withWork(WorkModel.modern()), n)
            .loads(5, 50)
            .trials(2)
            .build()
            .run();
    // ---
    assertEquals(3, points.size());
    assertEquals(1.0, points.get(0).stableFraction().mean());
    assertEquals(1.0, modernPoints.get(1).recalledFraction().mean());
  }

  /** docs/MODEL_FORMAT.md, "The .npy/.npz library", and the Patterns reader of the table. */
  @Test
  void npyAndNpzLibrary() throws Exception {
    Path npy = tmp.resolve("a.npy");
    Path npz = tmp.resolve("w.npz");
    NdArray a = NdArray.ofFloats(new float[] {1, -1, 1, 1, 1, -1}, 2, 3);
    // ---
    Npy.write(npy, a);
    NdArray back = Npy.read(npy);
    NpzFile.builder().put("W", a).write(npz);
    Map<String, NdArray> all = NpzFile.readAll(npz, 1 << 20);
    try (NpzFile z = NpzFile.open(npz)) {
      assertArrayEquals(new int[] {2, 3}, z.shape("W"));
    }
    PatternBlock p = Patterns.readNpy(npy);
    // ---
    assertArrayEquals(a.toFloatArray(), back.toFloatArray());
    assertArrayEquals(a.toFloatArray(), all.get("W").toFloatArray());
    assertEquals(2, p.count());
    assertEquals(3, p.length());
    Files.writeString(tmp.resolve("junk.npz"), "junk");
    EngramFormatException e =
        assertThrows(EngramFormatException.class, () -> ModelFile.read(tmp.resolve("junk.npz")));
    assertInstanceOf(java.io.IOException.class, e);
    assertTrue(e.getMessage().startsWith(tmp.resolve("junk.npz").toString()), e.getMessage());
  }
}
