package io.engram.spark;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Memory;
import io.engram.network.TrainingRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.json4s.JInt;
import org.json4s.JObject;
import org.json4s.JString;
import org.json4s.JValue;
import scala.Tuple2;

/**
 * That a saved model's {@code data/model.npz} is the file saved with its {@code metadata/}: the
 * metadata records what the file held (field {@code modelFile}: the memory kind, N, and the last
 * training call's rule for a network or the separation for a modern memory), and a load compares
 * the file it reads with that record. A file swapped for another model's loaded without a word, and
 * the model's parameters then described the file it replaced (its {@code rule}, say).
 */
final class ModelFileCheck {

  /** The metadata's field that records the model file. */
  static final String FIELD = "modelFile";

  private ModelFileCheck() {}

  /** What {@code m} is: memory kind, N, and the rule (network) or separation (modern memory). */
  static Map<String, Object> facts(Memory m) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("memory", m.kind());
    f.put("numNeurons", (long) m.numNeurons());
    if (m instanceof AmariHopfieldNetwork net) {
      List<TrainingRecord> h = net.history();
      if (!h.isEmpty() && MemoryParams.RULES.contains(h.get(h.size() - 1).rule())) {
        f.put("rule", h.get(h.size() - 1).rule());
      }
    } else if (m instanceof ModernHopfieldMemory mm) {
      f.put("separation", mm.separation().id());
    }
    return f;
  }

  /** The metadata field that records {@code m}, for {@code DefaultParamsWriter.saveMetadata}. */
  static JObject record(Memory m) {
    List<Tuple2<String, JValue>> fields = new ArrayList<>();
    for (Map.Entry<String, Object> e : facts(m).entrySet()) {
      JValue v =
          e.getValue() instanceof Long n
              ? new JInt(scala.math.BigInt.apply(n))
              : new JString((String) e.getValue());
      fields.add(new Tuple2<>(e.getKey(), v));
    }
    JObject inner = new JObject(scala.jdk.javaapi.CollectionConverters.asScala(fields).toList());
    return new JObject(
        scala.jdk.javaapi.CollectionConverters.asScala(
                List.<Tuple2<String, JValue>>of(new Tuple2<>(FIELD, inner)))
            .toList());
  }

  /**
   * The problem, or null: where the metadata records the model file (saves of this version) each
   * recorded fact must be the file's; where it does not (earlier saves), the parameters {@code
   * memory} and (for a network whose last training call names a rule) {@code rule} must be the
   * file's.
   */
  static String mismatch(DefaultParamsReader.Metadata meta, Memory file) {
    Map<String, Object> is = facts(file);
    Map<String, Object> said = new LinkedHashMap<>();
    JValue recorded = field(meta.metadata(), FIELD);
    if (recorded instanceof JObject) {
      for (String k : List.of("memory", "numNeurons", "rule", "separation")) {
        Object v = value(field(recorded, k));
        if (v != null) {
          said.put(k, v);
        }
      }
    } else {
      for (String k : List.of("memory", "rule")) {
        Object v = value(field(meta.params(), k));
        said.put(k, v != null ? v : value(field(meta.defaultParams(), k)));
      }
      if (!"classical".equals(said.get("memory")) || !is.containsKey("rule")) {
        said.remove("rule"); // a modern memory's rule, or a network no rule trained: not recorded
      }
      said.values().removeIf(java.util.Objects::isNull);
    }
    for (Map.Entry<String, Object> e : said.entrySet()) {
      if (!e.getValue().equals(is.get(e.getKey()))) {
        return ModelFiles.MODEL
            + " holds "
            + describe(is)
            + ", but metadata/ says "
            + describe(said)
            + "; was the file replaced? metadata/ and data/ are written together: save the model"
            + " again, or load the file alone (HopfieldMemoryModel.load of the .npz file)";
      }
    }
    return null;
  }

  /** "a storkey network of N = 16", "a modern memory (softmax) of N = 8", "a hebbian network". */
  private static String describe(Map<String, Object> f) {
    boolean modern = "modern".equals(f.get("memory"));
    String what =
        modern
            ? "a modern memory"
                + (f.containsKey("separation") ? " (" + f.get("separation") + ")" : "")
            : f.containsKey("rule")
                ? "a " + f.get("rule") + " network"
                : f.containsKey("memory") ? "a " + f.get("memory") + " network" : "a model";
    return what + (f.containsKey("numNeurons") ? " of N = " + f.get("numNeurons") : "");
  }

  /** Field {@code name} of JSON object {@code v}, or null. */
  private static JValue field(JValue v, String name) {
    if (v instanceof JObject obj) {
      scala.collection.Iterator<Tuple2<String, JValue>> it = obj.obj().iterator();
      while (it.hasNext()) {
        Tuple2<String, JValue> e = it.next();
        if (e._1().equals(name)) {
          return e._2();
        }
      }
    }
    return null;
  }

  /** A JSON string or integer as a String or Long, else null. */
  private static Object value(JValue v) {
    if (v instanceof JString s) {
      return s.s();
    }
    if (v instanceof JInt i && i.num().isValidLong()) {
      return i.num().toLong();
    }
    return null;
  }
}
