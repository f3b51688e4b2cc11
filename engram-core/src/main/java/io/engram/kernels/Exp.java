package io.engram.kernels;

/**
 * {@code e^min(x, 0)} in float32, written out (range reduction and a polynomial) so that the
 * plain-Java and the Vector API kernels compute it the same way, bit for bit, interpreted or
 * compiled: every step is an IEEE operation or a fused multiply-add ({@code Math.fma}, {@code
 * FloatVector.fma}), never a library {@code exp} whose last bits may differ between the
 * interpreter, the JIT's intrinsic and another JDK. Softmax weights only ever need arguments {@code
 * <= 0} (scores minus their maximum).
 *
 * <p>Method: {@code x = k ln 2 + r} with {@code k = rint(x log2 e)} and {@code |r| <= ln 2 / 2}
 * (Cody-Waite reduction with ln 2 split in two, each product fused), {@code e^r} by its Taylor
 * polynomial of degree 7 (remainder below {@code 0.35^8 / 8! < 6e-9}), then {@code 2^k} built from
 * its exponent bits (k read from the bits of the rounding sum: the Vector API's float-to-int
 * conversion is not compiled to SIMD on Java 17). Error about 2 ulp. Results below {@code 2^-126}
 * (arguments below about -87.34) are flushed to +0, never subnormal; {@code -∞} gives +0.
 *
 * <p>{@code min(x, 0)} is taken on the bits (a positive x, sign bit clear, becomes +0; any other
 * stays), as the SIMD kernels do it, where Java's {@code min} cost a third of the softmax weights'
 * time. It differs from {@code Math.min} only for a NaN with its sign bit clear, which gives 1
 * instead of NaN (a NaN with the sign bit set still gives NaN): the retrieval checks every score
 * finite before it takes weights, so no NaN reaches this.
 */
final class Exp {

  private Exp() {}

  static final float LOG2E = 1.44269504f;

  /**
   * {@code 1.5 * 2^23}: adding it rounds to the nearest integer k (even on ties) and leaves k in
   * the low bits ({@code bits(ROUND + k) = bits(ROUND) + k} for {@code |k| < 2^22}).
   */
  static final float ROUND = 12582912f;

  /**
   * {@code 127 - bits(ROUND)}: added to {@code bits(ROUND + k)} gives the biased exponent of 2^k.
   */
  static final int EXPONENT_BIAS = 127 - Float.floatToRawIntBits(ROUND);

  /** {@code -ln 2} rounded to float32, and the rest of {@code -ln 2}. */
  static final float NEG_LN2_HI = -0.6931472f;

  static final float NEG_LN2_LO = (float) (-Math.log(2) - (double) NEG_LN2_HI);

  /** Taylor coefficients {@code 1/k!}, k = 7 down to 2. */
  static final float C7 = 1f / 5040f;

  static final float C6 = 1f / 720f;
  static final float C5 = 1f / 120f;
  static final float C4 = 1f / 24f;
  static final float C3 = 1f / 6f;
  static final float C2 = 0.5f;

  /** Below this the result would be subnormal: flushed to zero ({@code ln 2^-126}). */
  static final float LOW = -87.33654f;

  /** {@code e^min(x, 0)}; see the class comment. */
  static float exp(float x) {
    int bits = Float.floatToRawIntBits(x);
    x = Float.intBitsToFloat(bits & (bits >> 31)); // min(x, 0) on the bits (see the class comment)
    float t = Math.fma(x, LOG2E, ROUND);
    float kf = t - ROUND;
    float r = Math.fma(kf, NEG_LN2_HI, x);
    r = Math.fma(kf, NEG_LN2_LO, r);
    float p = Math.fma(C7, r, C6);
    p = Math.fma(p, r, C5);
    p = Math.fma(p, r, C4);
    p = Math.fma(p, r, C3);
    p = Math.fma(p, r, C2);
    p = Math.fma(p, r, 1f);
    p = Math.fma(p, r, 1f);
    float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) + EXPONENT_BIAS) << 23);
    float e = p * scale;
    return x < LOW ? 0f : e;
  }
}
