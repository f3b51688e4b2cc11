package io.engram.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianTrainer;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.Trainer;
import io.engram.weights.ProjectionWeights;
import io.engram.weights.Weights;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments to the network's public API: named by an IllegalArgumentException, no change. */
class HostileApiTest {

  private static final float[] A = {1, -1, 1, -1, 1, 1};
  private static final float[] B = {-1, -1, 1, 1, -1, 1};

  private static void assertRefusedUnchanged(AmariHopfieldNetwork net, int n, boolean preserve) {
    Weights before = net.weights();
    float[] w = net.weightMatrix();
    float[] state = net.state();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> net.resize(n, preserve));
    assertTrue(e.getMessage().contains("more than a Java array holds"), e.getMessage());
    assertSame(before, net.weights());
    assertArrayEquals(w, net.weightMatrix());
    assertArrayEquals(state, net.state());
  }

  /**
   * An energy that overflows names the weights' magnitude too: it blamed "values up to 1.0 in the
   * state" alone, where the weights were what was too large.
   */
  @Test
  void anOverflowingEnergyNamesTheWeightsToo() {
    // weights at the limit a network takes, MAX_WEIGHT = 8.5E37: each field 6.8E38, past float32
    float[] w = new float[64];
    Arrays.fill(w, (float) AmariHopfieldNetwork.MAX_WEIGHT);
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.of(io.engram.weights.DenseWeights.of(8, w), Dynamics.DEFAULT);
    float[] ones = new float[8];
    Arrays.fill(ones, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> net.energy(ones));
    assertTrue(
        e.getMessage()
            .endsWith(
                "(values up to 1.0 in the state, weights up to "
                    + (float) AmariHopfieldNetwork.MAX_WEIGHT
                    + " in magnitude)"),
        e.getMessage());
  }

  @Test
  void sizesNoArrayHoldsAreNamedNotNegativeArraySizesOrOutOfMemory() {
    // N = 2^31 - 1: one float vector of it exceeds the VM's array limit
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AmariHopfieldNetwork.create(Integer.MAX_VALUE));
    assertTrue(e.getMessage().contains("N = 2147483647"), e.getMessage());

    AmariHopfieldNetwork lowRank = AmariHopfieldNetwork.create(6);
    HebbianTrainer.create(lowRank).train(A, B);
    assertRefusedUnchanged(lowRank, Integer.MAX_VALUE, false);
    // 2 stored rows kept at N = 2^30: 2^31 values, whose int product wrapped negative
    assertRefusedUnchanged(lowRank, 1 << 30, true);

    AmariHopfieldNetwork projection = AmariHopfieldNetwork.create(6);
    Trainer.of(projection, PseudoInverseRule.create(), true).train(A, B);
    assertTrue(projection.weights() instanceof ProjectionWeights);
    assertRefusedUnchanged(projection, 1 << 30, true);
    assertEquals(6, projection.numNeurons());
  }

  /**
   * The energy of a finite state whose fields overflow float32 is refused, as recall refuses the
   * state, not returned as NaN; a default β for N below 1 is refused, not returned as infinite.
   */
  @Test
  void anEnergyThatOverflowsAndADefaultBetaForNoNeuronsAreRefused() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(4);
    HebbianTrainer.create(net).train(new float[][] {{1, -1, 1, -1}, {1, 1, -1, -1}});
    float[] huge = {3e38f, -3e38f, 3e38f, -3e38f};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> net.energy(huge));
    assertTrue(e.getMessage().contains("overflow float32"), e.getMessage());
    assertTrue(Float.isFinite(net.energy(new float[] {1, -1, 1, -1})));
    for (int n : new int[] {0, -1}) {
      IllegalArgumentException b =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  io.engram.memory.ModernHopfieldMemory.defaultBeta(
                      io.engram.memory.Separation.SOFTMAX, n));
      assertTrue(b.getMessage().contains("N >= 1"), b.getMessage());
    }
    assertEquals(
        0.5f,
        io.engram.memory.ModernHopfieldMemory.defaultBeta(io.engram.memory.Separation.SOFTMAX, 4));
  }

  /**
   * A training record a model file could not hold is refused when made: saved, it made a file that
   * refused to load ("missing 'rule'", "'patterns' is -1") or loaded changed.
   */
  @Test
  void aTrainingRecordAModelFileCannotHoldIsRefused() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("k", null);
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "v");
    Object[][] cases = {
      {
        "option 'k' has a null value",
        (Executable) () -> new TrainingRecord("x", nullValue, 1, 6, 0)
      },
      {"option key is null", (Executable) () -> new TrainingRecord("x", nullKey, 1, 6, 0)},
      {
        "patterns and neurons must be >= 0, got P = -1, N = 6",
        (Executable) () -> new TrainingRecord("x", Map.of(), -1, 6, 0)
      },
      {
        "patterns and neurons must be >= 0, got P = 1, N = -6",
        (Executable) () -> new TrainingRecord("x", Map.of(), 1, -6, 0)
      },
      {
        "rho must be finite (or NaN for none), got Infinity",
        (Executable) () -> new TrainingRecord("x", Map.of(), 1, 6, Float.POSITIVE_INFINITY)
      },
    };
    for (Object[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, (Executable) c[1]);
      assertEquals(c[0], e.getMessage());
    }
    // a null argument is a NullPointerException naming it (NullArgumentsTest)
    assertEquals(
        "rule",
        assertThrows(
                NullPointerException.class,
                () -> new TrainingRecord(null, Map.of(), 1, 6, Float.NaN))
            .getMessage());
    assertEquals(
        "options",
        assertThrows(
                NullPointerException.class, () -> new TrainingRecord("x", null, 1, 6, Float.NaN))
            .getMessage());
    assertEquals(0, new TrainingRecord("x", Map.of(), 0, 0, Float.NaN).patterns());
    // a null entry was taken, and a NullPointerException in storedPatterns() and on saving
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AmariHopfieldNetwork.restore(
                    io.engram.weights.DenseWeights.zeros(2),
                    io.engram.weights.WeightsMode.AUTO,
                    Dynamics.DEFAULT,
                    new float[2],
                    Arrays.asList(new TrainingRecord("x", Map.of(), 1, 2, 0), null)));
    assertEquals("history entry 1 is null", e.getMessage());
  }

  /** The recall engine and the network's retrieval steps name a null or misfit argument. */
  @Test
  void recallEngineAndRetrievalStepsNameNullsAndMisfitCues() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6);
    HebbianTrainer.create(net).train(A, B);
    RecallOptions o = RecallOptions.defaults();
    RetrievalStep step = net.retrievalStep(o);
    // each was a NullPointerException from inside the engine
    NullPointerException n =
        assertThrows(
            NullPointerException.class, () -> RecallEngine.run(null, new float[][] {A}, o));
    assertEquals("step", n.getMessage());
    n =
        assertThrows(
            NullPointerException.class, () -> RecallEngine.run(step, new float[][] {A}, null));
    assertEquals("options", n.getMessage());
    n = assertThrows(NullPointerException.class, () -> net.retrievalStep((Dynamics) null));
    assertEquals("dynamics", n.getMessage());
    n = assertThrows(NullPointerException.class, () -> RecallEngine.run(step, null, o));
    assertEquals("cues", n.getMessage());
    IllegalArgumentException e;
    // these were the weights' "states must be N x L = 6 x 1 arrays, got lengths null and 6"
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecallEngine.run(step, new float[][] {A, null}, o));
    assertEquals("query 1 is null", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecallEngine.run(step, new float[][] {new float[2]}, 4, o));
    assertEquals("query 4 has length 2, expected 6", e.getMessage());
    // null options: no overrides, as modern memory's retrievalStep(null) (was a
    // NullPointerException from options.dynamics())
    RetrievalStep own = net.retrievalStep((RecallOptions) null);
    assertArrayEquals(
        RecallEngine.run(step, new float[][] {A}, o).get(0).state(),
        RecallEngine.run(own, new float[][] {A}, o).get(0).state());
  }

  @Test
  void storageCapacityIsForNetworksOfOneNeuronOrMore() {
    // CANNs' storage_capacity is a network's (N >= 1); for 0 or -5 neurons the formula said 1
    for (int n : new int[] {0, -5, Integer.MIN_VALUE}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> AmariHopfieldNetwork.storageCapacity(n));
      assertEquals("storage capacity needs N >= 1 neurons, got " + n, e.getMessage());
    }
    assertEquals(1, AmariHopfieldNetwork.storageCapacity(1));
    assertEquals(14, AmariHopfieldNetwork.storageCapacity(100));
    assertEquals(300647710, AmariHopfieldNetwork.storageCapacity(Integer.MAX_VALUE));
  }

  /**
   * A bad state given to setState is named as the state, as energy(float[]) names it: it was "query
   * 0 has length 3, expected 6", though no query was asked.
   */
  @Test
  void aBadStateIsNamedAsTheState() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6);
    assertEquals(
        "state has length 3, expected 6",
        assertThrows(IllegalArgumentException.class, () -> net.setState(new float[3]))
            .getMessage());
    float[] nan = {1, 1, Float.NaN, 1, 1, 1};
    assertEquals(
        "state has a non-finite value NaN at index 2",
        assertThrows(IllegalArgumentException.class, () -> net.setState(nan)).getMessage());
    assertEquals(
        "state", assertThrows(NullPointerException.class, () -> net.setState(null)).getMessage());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, net.state());
  }

  /**
   * A resize keeps an explicit asynchronous order fitting N: it kept its old length, so that a
   * network trained on longer patterns could neither recall, step nor be saved ("async order has
   * length 3, expected N = 4"); a failed call leaves the order as it was.
   */
  @Test
  void aResizeKeepsAnExplicitOrderFittingTheNetwork() {
    Dynamics d = Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(new int[] {3, 1, 0, 2}));
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(4, d);
    HebbianTrainer trainer = HebbianTrainer.create(net);
    trainer.train(new float[][] {{1, -1, 1, -1, 1, 1}}); // N 4 -> 6
    assertEquals(6, net.numNeurons());
    assertArrayEquals(
        new int[] {3, 1, 0, 2, 4, 5},
        ((UpdateMode.FixedOrder) net.dynamics().updateMode()).order());
    assertEquals(6, net.recall(new float[] {1, -1, 1, -1, 1, -1}).state().length);
    net.step();

    float[][] bad = {{1, -1, Float.NaN}};
    Dynamics before = net.dynamics();
    assertThrows(IllegalArgumentException.class, () -> trainer.train(bad));
    assertSame(before, net.dynamics());
    assertEquals(6, net.numNeurons());

    net.resize(3, true); // the neurons kept, in their order
    assertArrayEquals(
        new int[] {1, 0, 2}, ((UpdateMode.FixedOrder) net.dynamics().updateMode()).order());
    assertEquals(3, net.recall(new float[] {1, -1, 1}).state().length);

    // a recall that throws after predict's resize leaves the order as it was, with N and W
    Dynamics three = net.dynamics();
    RecallOptions throwing =
        RecallOptions.defaults()
            .withDynamics(Dynamics.DEFAULT)
            .withStepListener(
                (q, it, e, c, dE) -> {
                  throw new IllegalStateException("stop");
                });
    assertThrows(
        IllegalStateException.class,
        () -> net.predictBatch(new float[][] {{1, 1, 1, 1, 1}}, throwing, true));
    assertSame(three, net.dynamics());
    assertEquals(3, net.numNeurons());
  }

  /**
   * An explicit order that fits no network is refused when it is made, naming the problem: an empty
   * one was taken and refused only on use ("async order has length 0, expected N = 4"). One of
   * another length than N can be known only on use, and is refused there.
   */
  @Test
  void anOrderThatFitsNoNetworkIsRefusedWhenMade() {
    assertEquals(
        "async order is empty; it must be a permutation of 0..N-1, and N is at least 1",
        assertThrows(IllegalArgumentException.class, () -> UpdateMode.asynchronous(new int[0]))
            .getMessage());
    assertEquals(
        "async order entry 1 is 3, expected 0..2",
        assertThrows(
                IllegalArgumentException.class, () -> UpdateMode.asynchronous(new int[] {0, 3, 1}))
            .getMessage());
    assertEquals(
        "async order entry 2 is -1, expected 0..2",
        assertThrows(
                IllegalArgumentException.class, () -> UpdateMode.asynchronous(new int[] {0, 1, -1}))
            .getMessage());
    assertEquals(
        "async order is not a permutation: 1 appears twice",
        assertThrows(
                IllegalArgumentException.class, () -> UpdateMode.asynchronous(new int[] {1, 1, 0}))
            .getMessage());
    assertEquals(
        "order",
        assertThrows(NullPointerException.class, () -> UpdateMode.asynchronous((int[]) null))
            .getMessage());
    UpdateMode three = UpdateMode.asynchronous(new int[] {2, 0, 1});
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(4);
    assertEquals(
        "async order has length 3, expected N = 4",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    net.recall(
                        A4,
                        RecallOptions.defaults()
                            .withDynamics(Dynamics.DEFAULT.withUpdateMode(three))))
            .getMessage());
  }

  private static final float[] A4 = {1, -1, 1, -1};

  /**
   * predictBatch with cues of another length resizes the network as training does, its own explicit
   * order with it (it was refused: "async order has length 4, expected N = 6"); an order given in
   * the options is for the cues' length (one of that length was refused too, checked against the N
   * before the resize), and one of another length is refused saying what to give.
   */
  @Test
  void predictBatchResizesAnExplicitOrderAsTrainingDoes() {
    int[] order = {3, 1, 0, 2};
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(
            4, Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(order)));
    HebbianTrainer.create(net).train(new float[][] {A4});
    float[][] six = {A, B};
    List<RecallResult> r = net.predictBatch(six, RecallOptions.defaults(), true);
    assertEquals(6, net.numNeurons());
    assertArrayEquals(
        new int[] {3, 1, 0, 2, 4, 5},
        ((UpdateMode.FixedOrder) net.dynamics().updateMode()).order());
    // the same as a network resized first and recalled with the resized order
    AmariHopfieldNetwork twin =
        AmariHopfieldNetwork.create(
            4, Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(order)));
    HebbianTrainer.create(twin).train(new float[][] {A4});
    twin.resize(6, true);
    assertArrayEquals(
        twin.recallBatch(six, RecallOptions.defaults()).get(1).state(), r.get(1).state());
    assertArrayEquals(r.get(1).state(), net.state());

    // an order in the options is for the cues' length: 3 neurons now
    RecallOptions forThree =
        RecallOptions.defaults()
            .withDynamics(
                Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(new int[] {2, 0, 1})));
    assertEquals(
        3, net.predictBatch(new float[][] {{1, -1, 1}}, forThree, true).get(0).state().length);
    assertEquals(3, net.numNeurons());
    // one that does not fit the cues is refused, and nothing changes
    Weights w = net.weights();
    Dynamics d = net.dynamics();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> net.predictBatch(new float[][] {A}, forThree, true));
    assertEquals(
        "async order of the options has length 3, but the cues have length 6 (the network is"
            + " resized to them from N = 3); give an order of length 6, or no dynamics in the"
            + " options to use the network's own order, resized with it",
        e.getMessage());
    assertSame(w, net.weights());
    assertSame(d, net.dynamics());
    assertEquals(3, net.numNeurons());
  }

  /**
   * A step or query listener that trains, resizes or converts the network being recalled is
   * refused, and the recall runs on the weights it started with: dense training updates W in place,
   * under the recall reading it, and later queries were recalled from other weights than earlier
   * ones.
   */
  @Test
  void aRecallListenerCannotTrainTheNetworkBeingRecalled() {
    float[][] cues = {A.clone(), B.clone(), A.clone()};
    for (io.engram.weights.WeightsMode mode : io.engram.weights.WeightsMode.values()) {
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6, Dynamics.DEFAULT, mode);
      HebbianTrainer trainer = HebbianTrainer.create(net);
      trainer.train(A, B);
      java.util.List<RecallResult> expected = net.recallBatch(cues, RecallOptions.defaults());
      float[] w = net.weightMatrix();
      java.util.List<String> refused = new java.util.ArrayList<>();
      Runnable[] calls = {
        () -> trainer.train(new float[] {1, 1, -1, -1, 1, -1}),
        () -> net.resize(4, true),
        () -> net.setWeightsMode(io.engram.weights.WeightsMode.DENSE)
      };
      QueryListener query =
          (q, done, total, r) -> {
            for (Runnable call : calls) {
              try {
                call.run();
              } catch (IllegalStateException e) {
                refused.add(e.getMessage());
              }
            }
          };
      assertEquals(
          expected, net.recallBatch(cues, RecallOptions.defaults().withQueryListener(query)));
      assertEquals(
          expected.get(0), net.recall(cues[0], RecallOptions.defaults().withQueryListener(query)));
      assertEquals(
          expected,
          net.recallBatch(
              cues,
              RecallOptions.defaults().withQueryListener(query),
              new float[][] {new float[6], new float[6], new float[6]}));
      assertEquals(3 * (3 + 1 + 3), refused.size(), mode + ": " + refused);
      assertEquals(
          "cannot train the network while one of its recalls runs (a step or query listener that"
              + " calls back into it, or a recall with a listener in another thread): do it after"
              + " the recall returns",
          refused.get(0));
      // a step listener's refusal, uncaught, ends the recall; nothing changed
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  net.recall(
                      cues[0],
                      RecallOptions.defaults()
                          .withStepListener((q, it, en, c, dE) -> calls[1].run())));
      assertTrue(e.getMessage().startsWith("cannot resize the network while"), e.getMessage());
      assertArrayEquals(w, net.weightMatrix());
      assertEquals(1, net.history().size());
      assertEquals(6, net.numNeurons());
      trainer.train(new float[] {1, 1, -1, -1, 1, -1}); // after the recalls, as usual
      assertEquals(2, net.history().size());
    }
  }

  /** A temperature that float32 rounds to 0 is named as given: it was "got 0.0". */
  @Test
  void aTemperatureBelowFloat32IsNamedAsGiven() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Dynamics.DEFAULT.withTemperature(1e-50));
    assertEquals(
        "temperature must be a finite number > 0 in float32, got 1.0E-50, which float32 rounds to"
            + " 0 (its smallest positive value is 1.4E-45)",
        e.getMessage());
    assertEquals(
        "temperature must be a finite number > 0, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> Dynamics.DEFAULT.withTemperature(0))
            .getMessage());
    assertEquals(Float.MIN_VALUE, Dynamics.DEFAULT.withTemperature(Float.MIN_VALUE).temperature());
  }

  /**
   * Weights no training makes and no model file holds (low-rank factors whose sum overflows
   * float32, a dense entry beyond {@link AmariHopfieldNetwork#MAX_WEIGHT}) made a network: its
   * recall failed naming the cue ("the cue values are too large for these weights"), and the model
   * file written from it was refused by its own reader. A factor whose rows are not of unit length
   * made a "projection" that the reader refused too.
   */
  @Test
  void weightsNoModelFileHoldsMakeNoNetwork() {
    io.engram.weights.LowRankWeights over =
        io.engram.weights.LowRankWeights.of(
            2,
            List.of(
                new io.engram.weights.LowRankWeights.Factor(
                    new float[] {3e38f, -3e38f}, 1, 1f, false, false)),
            new float[2]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AmariHopfieldNetwork.of(over, Dynamics.DEFAULT));
    assertEquals(
        "the weights can reach Infinity in magnitude, beyond the float32 limit "
            + (float) AmariHopfieldNetwork.MAX_WEIGHT
            + " that training keeps to (no model file holds such weights)",
        e.getMessage());
    io.engram.weights.DenseWeights big =
        io.engram.weights.DenseWeights.of(2, new float[] {0, 3e38f, 3e38f, 0});
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AmariHopfieldNetwork.restore(
                    big,
                    io.engram.weights.WeightsMode.DENSE,
                    Dynamics.DEFAULT,
                    new float[] {1, 1},
                    List.of()));
    assertTrue(e.getMessage().startsWith("the weights can reach 3.0E38 in magnitude"), e::toString);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProjectionWeights.of(2, new float[] {3, 0}, 1, 0, false));
    assertEquals(
        "row 0 of the factor has squared length 9.0, expected 1 (the pseudo-inverse factor's rows"
            + " are orthonormal)",
        e.getMessage());
    // shorter rows are what a ridge makes; weights at the limit make a network
    assertEquals(1, ProjectionWeights.of(2, new float[] {0.5f, 0}, 1, 0.5, false).rank());
    float m = (float) AmariHopfieldNetwork.MAX_WEIGHT;
    AmariHopfieldNetwork atLimit =
        AmariHopfieldNetwork.of(
            io.engram.weights.DenseWeights.of(2, new float[] {0, m, m, 0}), Dynamics.DEFAULT);
    assertEquals(m, atLimit.weights().get(0, 1));
  }

  /**
   * An energy beyond float32 of a state whose fields are finite (threshold 3e38 times N = 16):
   * recall reports it as the float32 rounding, -Infinity, as RecallResult documents (the CLI names
   * such an energy to the user), while energy(state) refuses the same state; energy()'s Javadoc
   * said recall refused it too.
   */
  @Test
  void anEnergyBeyondFloat32IsReportedAsInfinityAndRefusedByEnergy() {
    float[] ones = new float[16];
    Arrays.fill(ones, 1);
    float[] minus = new float[16];
    Arrays.fill(minus, -1);
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(16, Dynamics.DEFAULT.withThreshold(3e38));
    HebbianTrainer.create(net).train(ones);
    RecallResult r = net.recall(ones);
    assertArrayEquals(minus, r.state());
    assertEquals(Double.NEGATIVE_INFINITY, r.energy());
    assertThrows(IllegalArgumentException.class, () -> net.energy(minus));
  }
}
