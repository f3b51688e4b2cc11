package io.engram.io;

import io.engram.weights.LowRankWeights;
import io.engram.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Low-rank Hebbian weights in a model file: {@code T0.npy, T1.npy, ...} (float32 P_k x N, the
 * centred patterns of training call k), {@code base_diagonal.npy} (float32 N), and in {@code
 * meta.json} a list {@code factors} with each call's {@code rows}, {@code divisor}, {@code negate}
 * and {@code zero_diagonal_after}.
 */
final class LowRankCodec implements WeightsCodec {

  static final LowRankCodec INSTANCE = new LowRankCodec();

  private static final Pattern FACTOR = Pattern.compile("T(0|[1-9][0-9]{0,3})\\.npy");
  private static final String BASE = "base_diagonal.npy";

  /** The most factors (training calls) a low-rank model may hold. */
  private static final int MAX_FACTORS = NpzFile.MAX_MEMBERS - 8;

  private LowRankCodec() {}

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a call's factor is more than one member can hold ({@link
   *     ModelFile#MAX_MEMBER_BYTES}), which {@link #read} would refuse; checked before any copy
   */
  @Override
  public void write(NpzFile.Builder archive, Map<String, Object> meta, Weights w) {
    LowRankWeights lr = (LowRankWeights) w;
    int n = w.size();
    for (int k = 0; k < lr.blockCount(); k++) {
      ModelFile.checkMember("low-rank factor T" + k + ": ", lr.factorRows(k), n, "patterns");
    }
    List<Object> list = new ArrayList<>();
    for (int k = 0; k < lr.blockCount(); k++) {
      int call = k;
      // streamed from the weights a block at a time: no copy of the call's patterns
      archive.putFloatRows(
          "T" + k,
          lr.factorRows(k),
          n,
          (from, count, dst) -> lr.copyFactorRows(call, from, count, dst));
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("rows", lr.factorRows(k));
      e.put("divisor", lr.factorDivisor(k));
      e.put("negate", lr.factorNegated(k));
      e.put("zero_diagonal_after", lr.zeroesDiagonalAfter(k));
      list.add(e);
    }
    archive.put("base_diagonal", NdArray.ofFloats(lr.baseDiagonal(), n));
    meta.put("factors", list);
  }

  @Override
  public boolean owns(String member) {
    return BASE.equals(member) || FACTOR.matcher(member).matches();
  }

  @Override
  public Weights read(NpzFile npz, Map<String, Object> meta, int n, Path file) throws IOException {
    Object fo = meta.get("factors");
    if (!(fo instanceof List<?> list)) {
      throw new EngramFormatException(file + ": low-rank model without a 'factors' list");
    }
    if (list.size() > MAX_FACTORS) {
      throw new EngramFormatException(
          file + ": " + list.size() + " factors, more than " + MAX_FACTORS);
    }
    for (String name : npz.memberNames()) {
      Matcher mt = FACTOR.matcher(name);
      if (mt.matches() && Integer.parseInt(mt.group(1)) >= list.size()) {
        throw new EngramFormatException(file + ": member '" + name + "' has no entry in 'factors'");
      }
    }
    List<LowRankWeights.Factor> factors = new ArrayList<>();
    for (int k = 0; k < list.size(); k++) {
      if (!(list.get(k) instanceof Map)) {
        throw new EngramFormatException(file + ": factor " + k + " is not an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> f = (Map<String, Object>) list.get(k);
      int rows = Members.count(f, "rows");
      String member = "T" + k + ".npy";
      ModelFile.checkStoredMember(file, member + ": ", rows, n, "patterns");
      if (!npz.contains(member)) {
        throw new EngramFormatException(file + ": low-rank model lacks '" + member + "'");
      }
      // straight into the factor's array, a block at a time (no byte copy of the member first)
      float[] t = npz.floatRows(member, rows, n);
      factors.add(
          new LowRankWeights.Factor(
              t,
              rows,
              (float) Members.number(f, "divisor"),
              Members.bool(f, "negate"),
              Members.bool(f, "zero_diagonal_after")));
    }
    if (!npz.contains(BASE)) {
      throw new EngramFormatException(file + ": low-rank model lacks '" + BASE + "'");
    }
    NdArray base = npz.array(BASE, 4L * n);
    Members.expectShape(base, file, BASE, n);
    Members.expectDType(base, file, BASE, DType.FLOAT32);
    return LowRankWeights.of(n, factors, base.toFloatArray());
  }

  @Override
  public Map<String, Object> describe(Weights w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rank", w.rank());
    m.put("factors", ((LowRankWeights) w).blockCount());
    return m;
  }
}
