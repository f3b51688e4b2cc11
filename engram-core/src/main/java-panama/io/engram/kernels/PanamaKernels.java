package io.engram.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernels on the incubating Vector API ({@code jdk.incubator.vector}). One of the two
 * files allowed to import it (a test scans the sources). Loaded only by reflection from {@link
 * Kernels}, so the library still loads when the module is absent.
 *
 * <p>The full 8 x 32 tile keeps 16 accumulators of 16 lanes in registers: per step of {@code k} it
 * loads two vectors of B, broadcasts eight values of A and issues 16 fused multiply-adds; the 8 x
 * 16 tile is the same with one vector. Both are mask-free (the drivers pad B); other shapes and
 * species other than 512 bits take the generic per-row path with masked loads.
 */
final class PanamaKernels implements KernelProvider {

  private static final VectorSpecies<Float> S = species();
  private static final int L = S.length();
  private static final boolean WIDE = L == 16;

  /**
   * The preferred species, or a narrower one when the system property {@value
   * Kernels#VECTOR_BITS_PROPERTY} asks for it (a static final, so the JIT treats it as a constant).
   */
  private static VectorSpecies<Float> species() {
    VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
    int bits = Kernels.speciesBits(preferred.vectorBitSize());
    if (bits == preferred.vectorBitSize()) {
      return preferred;
    }
    return bits == 256 ? FloatVector.SPECIES_256 : FloatVector.SPECIES_128;
  }

  /**
   * The same bits in plain Java, used instead while {@link KernelWarmup} is still getting these
   * kernels compiled (on every thread but its own): until C2 has compiled them, each vector
   * operation is a call into the Vector API's Java fallback, far slower than plain loops. The
   * choice is made outside these methods ({@link Providers#forCall}), so that their profiles, which
   * C2 compiles from, hold only the SIMD paths.
   */
  private static final PanamaTwin TWIN = new PanamaTwin(L);

  @Override
  public KernelProvider standIn() {
    return TWIN;
  }

  PanamaKernels() {
    // a smoke test, so that a broken Vector API fails here (and falls back) rather than later
    float[] x = new float[2 * L + 3];
    java.util.Arrays.fill(x, 1f);
    if (vectorDot(x, 0, x, 0, x.length) != x.length) {
      throw new IllegalStateException("Vector API self-test failed");
    }
  }

  @Override
  public String name() {
    return "panama-" + S.vectorBitSize();
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    return vectorDot(a, aOff, b, bOff, n);
  }

  private static float vectorDot(float[] a, int aOff, float[] b, int bOff, int n) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int j = 0;
    int bound4 = n - 4 * L;
    for (; j <= bound4; j += 4 * L) {
      s0 = FloatVector.fromArray(S, a, aOff + j).fma(FloatVector.fromArray(S, b, bOff + j), s0);
      s1 =
          FloatVector.fromArray(S, a, aOff + j + L)
              .fma(FloatVector.fromArray(S, b, bOff + j + L), s1);
      s2 =
          FloatVector.fromArray(S, a, aOff + j + 2 * L)
              .fma(FloatVector.fromArray(S, b, bOff + j + 2 * L), s2);
      s3 =
          FloatVector.fromArray(S, a, aOff + j + 3 * L)
              .fma(FloatVector.fromArray(S, b, bOff + j + 3 * L), s3);
    }
    for (; j <= n - L; j += L) {
      s0 = FloatVector.fromArray(S, a, aOff + j).fma(FloatVector.fromArray(S, b, bOff + j), s0);
    }
    float acc = sumLanes(s0.add(s1).add(s2.add(s3)));
    for (; j < n; j++) {
      acc = Math.fma(a[aOff + j], b[bOff + j], acc);
    }
    return acc;
  }

  @Override
  public float laneDot(float[] a, int aOff, float[] b, int bOff, int n) {
    FloatVector acc = FloatVector.zero(S);
    int j = 0;
    for (; j <= n - L; j += L) {
      acc = FloatVector.fromArray(S, a, aOff + j).fma(FloatVector.fromArray(S, b, bOff + j), acc);
    }
    return tail(sumLanes(acc), a, aOff, b, bOff, j, n);
  }

  @Override
  public void dot4x4(float[] a, int[] aOff, float[][] b, int[] bOff, int n, float[] out) {
    // one accumulator per product, all sixteen in registers: every row is read once
    int r0 = aOff[0];
    int r1 = aOff[1];
    int r2 = aOff[2];
    int r3 = aOff[3];
    float[] q0 = b[0];
    float[] q1 = b[1];
    float[] q2 = b[2];
    float[] q3 = b[3];
    int o0 = bOff[0];
    int o1 = bOff[1];
    int o2 = bOff[2];
    int o3 = bOff[3];
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c03 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    FloatVector c13 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c22 = c00;
    FloatVector c23 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c32 = c00;
    FloatVector c33 = c00;
    int j = 0;
    for (; j <= n - L; j += L) {
      FloatVector u0 = FloatVector.fromArray(S, a, r0 + j);
      FloatVector u1 = FloatVector.fromArray(S, a, r1 + j);
      FloatVector u2 = FloatVector.fromArray(S, a, r2 + j);
      FloatVector u3 = FloatVector.fromArray(S, a, r3 + j);
      FloatVector v = FloatVector.fromArray(S, q0, o0 + j);
      c00 = u0.fma(v, c00);
      c10 = u1.fma(v, c10);
      c20 = u2.fma(v, c20);
      c30 = u3.fma(v, c30);
      v = FloatVector.fromArray(S, q1, o1 + j);
      c01 = u0.fma(v, c01);
      c11 = u1.fma(v, c11);
      c21 = u2.fma(v, c21);
      c31 = u3.fma(v, c31);
      v = FloatVector.fromArray(S, q2, o2 + j);
      c02 = u0.fma(v, c02);
      c12 = u1.fma(v, c12);
      c22 = u2.fma(v, c22);
      c32 = u3.fma(v, c32);
      v = FloatVector.fromArray(S, q3, o3 + j);
      c03 = u0.fma(v, c03);
      c13 = u1.fma(v, c13);
      c23 = u2.fma(v, c23);
      c33 = u3.fma(v, c33);
    }
    // the lanes summed from an array, in sumLanes' order (a call of sumLanes per product, not
    // inlined into a method this large, boxed each vector)
    float[] acc = new float[16 * L];
    c00.intoArray(acc, 0 * L);
    c01.intoArray(acc, 1 * L);
    c02.intoArray(acc, 2 * L);
    c03.intoArray(acc, 3 * L);
    c10.intoArray(acc, 4 * L);
    c11.intoArray(acc, 5 * L);
    c12.intoArray(acc, 6 * L);
    c13.intoArray(acc, 7 * L);
    c20.intoArray(acc, 8 * L);
    c21.intoArray(acc, 9 * L);
    c22.intoArray(acc, 10 * L);
    c23.intoArray(acc, 11 * L);
    c30.intoArray(acc, 12 * L);
    c31.intoArray(acc, 13 * L);
    c32.intoArray(acc, 14 * L);
    c33.intoArray(acc, 15 * L);
    int[] rowOff = {r0, r1, r2, r3};
    for (int i = 0; i < 4; i++) {
      for (int c = 0; c < 4; c++) {
        out[4 * i + c] = tail(sumLanes(acc, (4 * i + c) * L), a, rowOff[i], b[c], bOff[c], j, n);
      }
    }
  }

  /** A dot product's scalar tail: {@code acc} continued with {@code fma} over {@code j..n-1}. */
  private static float tail(float acc, float[] a, int aOff, float[] b, int bOff, int j, int n) {
    for (; j < n; j++) {
      acc = Math.fma(a[aOff + j], b[bOff + j], acc);
    }
    return acc;
  }

  /** Rotations by L/2, L/4, L/8, L/16 lanes (constants, so that the JIT emits plain permutes). */
  private static final VectorShuffle<Float> ROT1 = rotation(L / 2);

  private static final VectorShuffle<Float> ROT2 = rotation(L / 4);
  private static final VectorShuffle<Float> ROT3 = rotation(L / 8);
  private static final VectorShuffle<Float> ROT4 = rotation(L / 16);

  private static VectorShuffle<Float> rotation(int by) {
    return VectorShuffle.fromOp(S, lane -> (lane + by) & (L - 1));
  }

  /**
   * The sum of the lanes in one fixed order (a tree of lane-wise adds). {@code reduceLanes(ADD)}
   * leaves the order of a float sum to the implementation, and the JIT's intrinsic and the
   * interpreter's fallback differ: the same recall gave different last bits before and after
   * compilation (seen on Java 25).
   */
  private static float sumLanes(FloatVector v) {
    if (WIDE) {
      v = v.add(v.rearrange(ROT1));
      v = v.add(v.rearrange(ROT2));
      v = v.add(v.rearrange(ROT3));
      v = v.add(v.rearrange(ROT4));
      return v.lane(0);
    }
    float acc = 0f;
    for (int i = 0; i < L; i++) {
      acc += v.lane(i);
    }
    return acc;
  }

  /**
   * {@link #sumLanes(FloatVector)} of the vector stored at {@code a[off..off+L)}, the same bits:
   * for 16 lanes the tree of rotations written out for its lane 0 (lane l plus lane l + 8, then +
   * 4, + 2, + 1), else the lanes in order from 0.
   */
  private static float sumLanes(float[] a, int off) {
    if (WIDE) {
      return (((a[off] + a[off + 8]) + (a[off + 4] + a[off + 12]))
              + ((a[off + 2] + a[off + 10]) + (a[off + 6] + a[off + 14])))
          + (((a[off + 1] + a[off + 9]) + (a[off + 5] + a[off + 13]))
              + ((a[off + 3] + a[off + 11]) + (a[off + 7] + a[off + 15])));
    }
    float acc = 0f;
    for (int i = 0; i < L; i++) {
      acc += a[off + i];
    }
    return acc;
  }

  @Override
  public void divide(float[] v, int off, int n, float d) {
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector.fromArray(S, v, off + i).div(d).intoArray(v, off + i);
    }
    for (; i < n; i++) {
      v[off + i] = v[off + i] / d;
    }
  }

  @Override
  public void add(float[] src, int sOff, float[] dst, int dOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector.fromArray(S, dst, dOff + i)
          .add(FloatVector.fromArray(S, src, sOff + i))
          .intoArray(dst, dOff + i);
    }
    for (; i < n; i++) {
      dst[dOff + i] += src[sOff + i];
    }
  }

  @Override
  public void maxMin(float[] v, int off, int ld, int rows, int n, float[] max, float[] min) {
    for (int r = 0, o = off; r < rows; r++, o += ld) {
      int i = 0;
      for (; i <= n - L; i += L) {
        FloatVector x = FloatVector.fromArray(S, v, o + i);
        FloatVector.fromArray(S, max, i).max(x).intoArray(max, i);
        FloatVector.fromArray(S, min, i).min(x).intoArray(min, i);
      }
      for (; i < n; i++) {
        float x = v[o + i];
        max[i] = Math.max(max[i], x);
        min[i] = Math.min(min[i], x);
      }
    }
  }

  @Override
  public void expShift(
      float[] v, int off, int ld, int rows, int n, float beta, float[] shift, float[] sum) {
    for (int r = 0, o = off; r < rows; r++, o += ld) {
      int i = 0;
      for (; i <= n - L; i += L) {
        FloatVector x =
            FloatVector.fromArray(S, v, o + i).mul(beta).sub(FloatVector.fromArray(S, shift, i));
        FloatVector e = exp(x);
        e.intoArray(v, o + i);
        FloatVector.fromArray(S, sum, i).add(e).intoArray(sum, i);
      }
      for (; i < n; i++) {
        // the same operations as the lanes above (Exp.exp is their scalar twin)
        float e = Exp.exp(beta * v[o + i] - shift[i]);
        v[o + i] = e;
        sum[i] += e;
      }
    }
  }

  /**
   * The zero and the flush bound of {@link #exp} as vectors made once: with the scalars broadcast
   * in the loop (as {@code x.lt(LOW)}) its loop took 1.7x as long, measured.
   */
  private static final FloatVector EXP_ZERO = FloatVector.zero(S);

  private static final FloatVector EXP_LOW = FloatVector.broadcast(S, Exp.LOW);

  /**
   * The bits of {@code v} as ints. Java 17's {@code reinterpretAsInts} is declared to return a
   * {@code Vector<Integer>}, later JDKs' an {@code IntVector}: through a variable of the wider type
   * the cast compiles without a warning on both (a redundant cast broke the build on Java 25).
   */
  private static IntVector ints(FloatVector v) {
    Vector<Integer> bits = v.reinterpretAsInts();
    return (IntVector) bits;
  }

  /** {@link Exp#exp} lane by lane, the same operations in the same order. */
  private static FloatVector exp(FloatVector x) {
    // min(x, 0) on the bits, as Exp.exp does: a positive x becomes +0 (its sign, spread by the
    // arithmetic shift, masks it out), any other stays; Java's min (NaN and -0 handled) made this
    // kernel 1.4x as long, measured
    IntVector bits = ints(x);
    x = bits.and(bits.lanewise(VectorOperators.ASHR, 31)).reinterpretAsFloats();
    FloatVector t = x.fma(Exp.LOG2E, Exp.ROUND);
    FloatVector kf = t.sub(Exp.ROUND);
    FloatVector r = kf.fma(FloatVector.broadcast(S, Exp.NEG_LN2_HI), x);
    r = kf.fma(FloatVector.broadcast(S, Exp.NEG_LN2_LO), r);
    FloatVector p = FloatVector.broadcast(S, Exp.C7).fma(r, FloatVector.broadcast(S, Exp.C6));
    p = p.fma(r, FloatVector.broadcast(S, Exp.C5));
    p = p.fma(r, FloatVector.broadcast(S, Exp.C4));
    p = p.fma(r, FloatVector.broadcast(S, Exp.C3));
    p = p.fma(r, FloatVector.broadcast(S, Exp.C2));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    FloatVector scale =
        ints(t).add(Exp.EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return p.mul(scale).blend(EXP_ZERO, x.compare(VectorOperators.LT, EXP_LOW));
  }

  @Override
  public void scale(float[] v, int off, int n, float f) {
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector.fromArray(S, v, off + i).mul(f).intoArray(v, off + i);
    }
    for (; i < n; i++) {
      v[off + i] = v[off + i] * f;
    }
  }

  @Override
  public void axpby(float a, float[] x, int xOff, float b, float[] y, int yOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i).mul(b);
      FloatVector.fromArray(S, x, xOff + i)
          .fma(FloatVector.broadcast(S, a), yv)
          .intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(a, x[xOff + i], b * y[yOff + i]);
    }
  }

  @Override
  public void axpyRows(
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[] y,
      int yOff,
      int n) {
    // y read and written once per four rows (then two, then one), the weights broadcast once
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      axpy4(w, wOff + r * wStride, wStride, x, xOff + r * ldx, ldx, y, yOff, n);
    }
    if (r + 2 <= rows) {
      axpy2(w, wOff + r * wStride, wStride, x, xOff + r * ldx, ldx, y, yOff, n);
      r += 2;
    }
    if (r < rows) {
      axpby(w[wOff + r * wStride], x, xOff + r * ldx, 1f, y, yOff, n);
    }
  }

  @Override
  public void axpyRowsEach(
      int m,
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[] y,
      int yOff,
      int ldy,
      int n) {
    rowsEach(m, rows, w, wOff, wStride, x, xOff, ldx, y, yOff, ldy, n, false);
  }

  @Override
  public void axpyRowsEachInto(
      int m,
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[] y,
      int yOff,
      int ldy,
      int n) {
    rowsEach(m, rows, w, wOff, wStride, x, xOff, ldx, y, yOff, ldy, n, true);
  }

  /**
   * {@link #axpyRowsEach}, or with {@code fresh} {@link #axpyRowsEachInto}: the first four-row pass
   * of every four outputs starts from zero in the registers instead of reading y (the same bits as
   * y zeroed first: {@code fma(w, x, +0)}); outputs with no such pass are zeroed first.
   */
  private void rowsEach(
      int m,
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[] y,
      int yOff,
      int ldy,
      int n,
      boolean fresh) {
    // four outputs at a time over four rows at a time, each output's rows in axpyRows' order (its
    // four-row passes, then what is left of its rows as axpyRows takes them)
    int j = 0;
    for (; j + 4 <= m; j += 4) {
      int o = yOff + j * ldy;
      rowsEach4(
          rows,
          w,
          wOff + j,
          wStride,
          x,
          xOff,
          ldx,
          y,
          o,
          y,
          o + ldy,
          y,
          o + 2 * ldy,
          y,
          o + 3 * ldy,
          n,
          fresh);
    }
    for (; j < m; j++) {
      if (fresh) {
        java.util.Arrays.fill(y, yOff + j * ldy, yOff + j * ldy + n, 0f);
      }
      axpyRows(rows, w, wOff + j, wStride, x, xOff, ldx, y, yOff + j * ldy, n);
    }
  }

  @Override
  public void axpyRowsInto(
      int m,
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[][] y,
      int n) {
    if (m == 4) {
      rowsEach4(rows, w, wOff, wStride, x, xOff, ldx, y[0], 0, y[1], 0, y[2], 0, y[3], 0, n, true);
      return;
    }
    // fewer outputs than a four: each on its own
    for (int j = 0; j < m; j++) {
      rowsEach(1, rows, w, wOff + j, wStride, x, xOff, ldx, y[j], 0, n, n, true);
    }
  }

  /**
   * Four outputs of {@link #rowsEach} (each its own array and offset; output j's weights the j-th
   * of each row of w): their four-row passes over x ({@link #axpy4x4}, the first from zero when
   * {@code fresh}), then what is left of the rows output by output as {@link #axpyRows} takes them
   * (outputs with no four-row pass zeroed first when {@code fresh}).
   */
  private void rowsEach4(
      int rows,
      float[] w,
      int wOff,
      int wStride,
      float[] x,
      int xOff,
      int ldx,
      float[] y0,
      int o0,
      float[] y1,
      int o1,
      float[] y2,
      int o2,
      float[] y3,
      int o3,
      int n,
      boolean fresh) {
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      axpy4x4(
          w,
          wOff + r * wStride,
          wStride,
          x,
          xOff + r * ldx,
          ldx,
          y0,
          o0,
          y1,
          o1,
          y2,
          o2,
          y3,
          o3,
          n,
          fresh && r == 0);
    }
    float[][] ys = {y0, y1, y2, y3};
    int[] os = {o0, o1, o2, o3};
    for (int jj = 0; jj < 4; jj++) {
      if (fresh && r == 0) {
        java.util.Arrays.fill(ys[jj], os[jj], os[jj] + n, 0f);
      }
      if (r < rows) {
        axpyRows(
            rows - r,
            w,
            wOff + jj + r * wStride,
            wStride,
            x,
            xOff + r * ldx,
            ldx,
            ys[jj],
            os[jj],
            n);
      }
    }
  }

  /**
   * {@link #axpy4} for four outputs (each its own array and offset; their weights the four
   * consecutive values of each row of w): each vector of x loaded once for the four; every output
   * element gets axpy4's operations in its order.
   */
  private static void axpy4x4(
      float[] w,
      int wOff,
      int ws,
      float[] x,
      int xOff,
      int ldx,
      float[] y0,
      int o0,
      float[] y1,
      int o1,
      float[] y2,
      int o2,
      float[] y3,
      int o3,
      int n,
      boolean fresh) {
    FloatVector v00 = FloatVector.broadcast(S, w[wOff + 0 + 0 * ws]);
    FloatVector v01 = FloatVector.broadcast(S, w[wOff + 0 + 1 * ws]);
    FloatVector v02 = FloatVector.broadcast(S, w[wOff + 0 + 2 * ws]);
    FloatVector v03 = FloatVector.broadcast(S, w[wOff + 0 + 3 * ws]);
    FloatVector v10 = FloatVector.broadcast(S, w[wOff + 1 + 0 * ws]);
    FloatVector v11 = FloatVector.broadcast(S, w[wOff + 1 + 1 * ws]);
    FloatVector v12 = FloatVector.broadcast(S, w[wOff + 1 + 2 * ws]);
    FloatVector v13 = FloatVector.broadcast(S, w[wOff + 1 + 3 * ws]);
    FloatVector v20 = FloatVector.broadcast(S, w[wOff + 2 + 0 * ws]);
    FloatVector v21 = FloatVector.broadcast(S, w[wOff + 2 + 1 * ws]);
    FloatVector v22 = FloatVector.broadcast(S, w[wOff + 2 + 2 * ws]);
    FloatVector v23 = FloatVector.broadcast(S, w[wOff + 2 + 3 * ws]);
    FloatVector v30 = FloatVector.broadcast(S, w[wOff + 3 + 0 * ws]);
    FloatVector v31 = FloatVector.broadcast(S, w[wOff + 3 + 1 * ws]);
    FloatVector v32 = FloatVector.broadcast(S, w[wOff + 3 + 2 * ws]);
    FloatVector v33 = FloatVector.broadcast(S, w[wOff + 3 + 3 * ws]);
    int x1 = xOff + ldx;
    int x2 = x1 + ldx;
    int x3 = x2 + ldx;
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector a0 = FloatVector.fromArray(S, x, xOff + i);
      FloatVector a1 = FloatVector.fromArray(S, x, x1 + i);
      FloatVector a2 = FloatVector.fromArray(S, x, x2 + i);
      FloatVector a3 = FloatVector.fromArray(S, x, x3 + i);
      FloatVector acc0 = fresh ? zero : FloatVector.fromArray(S, y0, o0 + i);
      acc0 = a0.fma(v00, acc0);
      acc0 = a1.fma(v01, acc0);
      acc0 = a2.fma(v02, acc0);
      acc0 = a3.fma(v03, acc0);
      acc0.intoArray(y0, o0 + i);
      FloatVector acc1 = fresh ? zero : FloatVector.fromArray(S, y1, o1 + i);
      acc1 = a0.fma(v10, acc1);
      acc1 = a1.fma(v11, acc1);
      acc1 = a2.fma(v12, acc1);
      acc1 = a3.fma(v13, acc1);
      acc1.intoArray(y1, o1 + i);
      FloatVector acc2 = fresh ? zero : FloatVector.fromArray(S, y2, o2 + i);
      acc2 = a0.fma(v20, acc2);
      acc2 = a1.fma(v21, acc2);
      acc2 = a2.fma(v22, acc2);
      acc2 = a3.fma(v23, acc2);
      acc2.intoArray(y2, o2 + i);
      FloatVector acc3 = fresh ? zero : FloatVector.fromArray(S, y3, o3 + i);
      acc3 = a0.fma(v30, acc3);
      acc3 = a1.fma(v31, acc3);
      acc3 = a2.fma(v32, acc3);
      acc3 = a3.fma(v33, acc3);
      acc3.intoArray(y3, o3 + i);
    }
    // each output's last n - i < L values: axpy4's scalar tail
    tail4(w, wOff, ws, x, xOff, ldx, y0, o0, i, n, fresh);
    tail4(w, wOff + 1, ws, x, xOff, ldx, y1, o1, i, n, fresh);
    tail4(w, wOff + 2, ws, x, xOff, ldx, y2, o2, i, n, fresh);
    tail4(w, wOff + 3, ws, x, xOff, ldx, y3, o3, i, n, fresh);
  }

  /** {@link #axpy4x4}'s tail for one output: values {@code i..n-1}, from zero when fresh. */
  private static void tail4(
      float[] w,
      int wOff,
      int ws,
      float[] x,
      int xOff,
      int ldx,
      float[] y,
      int yOff,
      int i,
      int n,
      boolean fresh) {
    if (fresh) {
      java.util.Arrays.fill(y, yOff + i, yOff + n, 0f);
    }
    axpy4(w, wOff, ws, x, xOff + i, ldx, y, yOff + i, n - i);
  }

  private static void axpy4(
      float[] w, int wOff, int ws, float[] x, int xOff, int ldx, float[] y, int yOff, int n) {
    float w0 = w[wOff];
    float w1 = w[wOff + ws];
    float w2 = w[wOff + 2 * ws];
    float w3 = w[wOff + 3 * ws];
    FloatVector v0 = FloatVector.broadcast(S, w0);
    FloatVector v1 = FloatVector.broadcast(S, w1);
    FloatVector v2 = FloatVector.broadcast(S, w2);
    FloatVector v3 = FloatVector.broadcast(S, w3);
    int x1 = xOff + ldx;
    int x2 = x1 + ldx;
    int x3 = x2 + ldx;
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector acc = FloatVector.fromArray(S, y, yOff + i);
      acc = FloatVector.fromArray(S, x, xOff + i).fma(v0, acc);
      acc = FloatVector.fromArray(S, x, x1 + i).fma(v1, acc);
      acc = FloatVector.fromArray(S, x, x2 + i).fma(v2, acc);
      acc = FloatVector.fromArray(S, x, x3 + i).fma(v3, acc);
      acc.intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      float acc = Math.fma(w0, x[xOff + i], y[yOff + i]);
      acc = Math.fma(w1, x[x1 + i], acc);
      acc = Math.fma(w2, x[x2 + i], acc);
      y[yOff + i] = Math.fma(w3, x[x3 + i], acc);
    }
  }

  private static void axpy2(
      float[] w, int wOff, int ws, float[] x, int xOff, int ldx, float[] y, int yOff, int n) {
    float w0 = w[wOff];
    float w1 = w[wOff + ws];
    FloatVector v0 = FloatVector.broadcast(S, w0);
    FloatVector v1 = FloatVector.broadcast(S, w1);
    int x1 = xOff + ldx;
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector acc = FloatVector.fromArray(S, y, yOff + i);
      acc = FloatVector.fromArray(S, x, xOff + i).fma(v0, acc);
      acc = FloatVector.fromArray(S, x, x1 + i).fma(v1, acc);
      acc.intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(w1, x[x1 + i], Math.fma(w0, x[xOff + i], y[yOff + i]));
    }
  }

  @Override
  public boolean fusedTiles() {
    return true;
  }

  @Override
  public int tallRows() {
    // the 12-row tiles are 512-bit only, and not in a process that warms up (see fullInto)
    return WIDE && !KernelWarmup.warmsUp() ? TALL : MR;
  }

  @Override
  public void tileInto(
      int mr,
      int nr,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      float[] scratch) {
    if (fullInto(mr, nr, k, b, bOff, ldb, c, cOff, ldc)) {
      fullTileInto(mr, k, a, aOff, aRs, aCs, b, bOff, c, cOff, ldc);
    } else {
      KernelProvider.super.tileInto(
          mr, nr, k, a, aOff, aRs, aCs, b, bOff, ldb, c, cOff, ldc, scratch);
    }
  }

  @Override
  public void tileAddInto(
      int mr,
      int nr,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      float[] scratch) {
    // the tile stored into scratch, then added row by row: a tile method with the additions in
    // its own epilogue (72 more Vector API calls) outgrew what C2 inlines into one compilation in
    // some runs, and the calls it left out boxed every vector (580 MB per retrieval, measured)
    if (fullInto(mr, nr, k, b, bOff, ldb, scratch, 0, NR)) {
      fullTileInto(mr, k, a, aOff, aRs, aCs, b, bOff, scratch, 0, NR);
      for (int r = 0; r < mr; r++) {
        add(scratch, r * NR, c, cOff + r * ldc, NR);
      }
    } else {
      KernelProvider.super.tileAddInto(
          mr, nr, k, a, aOff, aRs, aCs, b, bOff, ldb, c, cOff, ldc, scratch);
    }
  }

  /** The full tile of {@code mr} rows (8 or {@value #TALL}) stored into C. */
  private static void fullTileInto(
      int mr,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      float[] c,
      int cOff,
      int ldc) {
    if (mr == TALL && aRs == 1) {
      tile12x32ColsInto(k, a, aOff, aCs, b, bOff, c, cOff, ldc);
    } else if (mr == TALL) {
      tile12x32Into(k, a, aOff, aRs, aCs, b, bOff, c, cOff, ldc);
    } else {
      tile8x32Into(k, a, aOff, aRs, aCs, b, bOff, c, cOff, ldc);
    }
  }

  /**
   * Whether a tile into C is a full one (8 or {@value #TALL} rows, 32 columns) on B packed 32 wide,
   * every row of C in bounds and apart, in a process that does not warm up; any other takes the
   * default path (through the scratch tile and {@link #tile}). In a process that warms up ({@link
   * KernelWarmup#warmsUp}) the warm-up compiles {@link #tile8x32} but not these tiles' own methods,
   * which would run the Vector API's uncompiled fallback until C2 got to them.
   */
  private static boolean fullInto(
      int mr, int nr, int k, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    return WIDE
        && !KernelWarmup.warmsUp()
        && (mr == MR || mr == TALL)
        && nr == NR
        && ldb == NR
        && bOff >= 0
        && bOff + (long) k * ldb <= b.length
        && cOff >= 0
        && ldc >= NR
        && cOff + (long) (mr - 1) * ldc + NR <= c.length;
  }

  @Override
  public void tile(
      int mr,
      int nr,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] out,
      boolean add) {
    // Rows of B that are exactly one tile wide (the drivers' packed, padded panels) are read
    // whole: the extra columns only reach entries of out outside mr x nr, which are unspecified.
    boolean whole = WIDE && mr == MR && bOff + (long) k * ldb <= b.length;
    if (whole && ldb == NR) {
      tile8x32(k, a, aOff, aRs, aCs, b, bOff, out, add);
    } else if (whole && ldb == NR / 2) {
      tile8x16(k, a, aOff, aRs, aCs, b, bOff, out, add);
    } else if (mr <= TALL
        && vectorsFor(nr) * L >= nr
        && readable(k, b, bOff, ldb, vectorsFor(nr) * L)) {
      // any other row count (a short batch, the rest of a block), panel width or vector size
      // (every tile of the 256-bit kernels), on B rows that can be read whole: four rows at a
      // time, no masks (the masked loads of generic are not compiled to SIMD by Java 17's C2:
      // every vector boxed, 7 GFLOP/s for one query against 10,000 patterns, 22 GFLOP/s for the
      // 256-bit kernels on a batch, measured)
      int v = vectorsFor(nr);
      for (int r0 = 0; r0 < mr; r0 += 4) {
        int rows = Math.min(4, mr - r0);
        if (v == 1) {
          rows4v1(rows, k, a, aOff, aRs, aCs, b, bOff, ldb, out, r0, add);
        } else if (v == 2) {
          rows4v2(rows, k, a, aOff, aRs, aCs, b, bOff, ldb, out, r0, add);
        } else {
          rows4v4(rows, k, a, aOff, aRs, aCs, b, bOff, ldb, out, r0, add);
        }
      }
    } else {
      generic(mr, nr, k, a, aOff, aRs, aCs, b, bOff, ldb, out, add);
    }
  }

  /**
   * Vectors per row for {@code nr} columns: 1, 2 or 4 (4 only for vectors under 16 lanes; with 4
   * lanes they may not cover the 32 columns, which then take the masked loop).
   */
  private static int vectorsFor(int nr) {
    return nr <= L ? 1 : nr <= 2 * L ? 2 : 4;
  }

  /**
   * Whether k rows of B, {@code ldb} apart from {@code bOff}, can each be read {@code width} wide.
   */
  private static boolean readable(int k, float[] b, int bOff, int ldb, int width) {
    return k == 0 || (bOff >= 0 && ldb >= 0 && bOff + (long) (k - 1) * ldb + width <= b.length);
  }

  /**
   * Rows {@code r0 .. r0+rows-1} (1 to 4) of a tile two vectors wide (32 columns of 16 lanes), each
   * B row read whole: every element one fused multiply-add chain over k, as {@link #generic}
   * computes it; a row missing from the four repeats the last (computed, not stored).
   */
  private static void rows4v2(
      int rows,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] out,
      int r0,
      boolean add) {
    int r1 = r0 + Math.min(1, rows - 1);
    int r2 = r0 + Math.min(2, rows - 1);
    int r3 = r0 + Math.min(3, rows - 1);
    int o0 = aOff + r0 * aRs;
    int o1 = aOff + r1 * aRs;
    int o2 = aOff + r2 * aRs;
    int o3 = aOff + r3 * aRs;
    FloatVector c00 = start(out, r0 * NR, add);
    FloatVector c01 = start(out, r0 * NR + L, add);
    FloatVector c10 = start(out, r1 * NR, add);
    FloatVector c11 = start(out, r1 * NR + L, add);
    FloatVector c20 = start(out, r2 * NR, add);
    FloatVector c21 = start(out, r2 * NR + L, add);
    FloatVector c30 = start(out, r3 * NR, add);
    FloatVector c31 = start(out, r3 * NR + L, add);
    for (int step = 0, pb = bOff, q = 0; step < k; step++, pb += ldb, q += aCs) {
      FloatVector b0 = FloatVector.fromArray(S, b, pb);
      FloatVector b1 = FloatVector.fromArray(S, b, pb + L);
      FloatVector x = FloatVector.broadcast(S, a[q + o0]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[q + o1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[q + o2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[q + o3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(out, r0 * NR);
    c01.intoArray(out, r0 * NR + L);
    if (rows > 1) {
      c10.intoArray(out, r1 * NR);
      c11.intoArray(out, r1 * NR + L);
    }
    if (rows > 2) {
      c20.intoArray(out, r2 * NR);
      c21.intoArray(out, r2 * NR + L);
    }
    if (rows > 3) {
      c30.intoArray(out, r3 * NR);
      c31.intoArray(out, r3 * NR + L);
    }
  }

  /** {@link #rows4v2} for a tile four vectors wide (32 columns of 8 lanes). */
  private static void rows4v4(
      int rows,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] out,
      int r0,
      boolean add) {
    int r1 = r0 + Math.min(1, rows - 1);
    int r2 = r0 + Math.min(2, rows - 1);
    int r3 = r0 + Math.min(3, rows - 1);
    int o0 = aOff + r0 * aRs;
    int o1 = aOff + r1 * aRs;
    int o2 = aOff + r2 * aRs;
    int o3 = aOff + r3 * aRs;
    FloatVector c00 = start(out, r0 * NR, add);
    FloatVector c01 = start(out, r0 * NR + L, add);
    FloatVector c02 = start(out, r0 * NR + 2 * L, add);
    FloatVector c03 = start(out, r0 * NR + 3 * L, add);
    FloatVector c10 = start(out, r1 * NR, add);
    FloatVector c11 = start(out, r1 * NR + L, add);
    FloatVector c12 = start(out, r1 * NR + 2 * L, add);
    FloatVector c13 = start(out, r1 * NR + 3 * L, add);
    FloatVector c20 = start(out, r2 * NR, add);
    FloatVector c21 = start(out, r2 * NR + L, add);
    FloatVector c22 = start(out, r2 * NR + 2 * L, add);
    FloatVector c23 = start(out, r2 * NR + 3 * L, add);
    FloatVector c30 = start(out, r3 * NR, add);
    FloatVector c31 = start(out, r3 * NR + L, add);
    FloatVector c32 = start(out, r3 * NR + 2 * L, add);
    FloatVector c33 = start(out, r3 * NR + 3 * L, add);
    for (int step = 0, pb = bOff, q = 0; step < k; step++, pb += ldb, q += aCs) {
      FloatVector b0 = FloatVector.fromArray(S, b, pb);
      FloatVector b1 = FloatVector.fromArray(S, b, pb + L);
      FloatVector b2 = FloatVector.fromArray(S, b, pb + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, b, pb + 3 * L);
      FloatVector x = FloatVector.broadcast(S, a[q + o0]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      c02 = x.fma(b2, c02);
      c03 = x.fma(b3, c03);
      x = FloatVector.broadcast(S, a[q + o1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      c12 = x.fma(b2, c12);
      c13 = x.fma(b3, c13);
      x = FloatVector.broadcast(S, a[q + o2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      c22 = x.fma(b2, c22);
      c23 = x.fma(b3, c23);
      x = FloatVector.broadcast(S, a[q + o3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      c32 = x.fma(b2, c32);
      c33 = x.fma(b3, c33);
    }
    c00.intoArray(out, r0 * NR);
    c01.intoArray(out, r0 * NR + L);
    c02.intoArray(out, r0 * NR + 2 * L);
    c03.intoArray(out, r0 * NR + 3 * L);
    if (rows > 1) {
      c10.intoArray(out, r1 * NR);
      c11.intoArray(out, r1 * NR + L);
      c12.intoArray(out, r1 * NR + 2 * L);
      c13.intoArray(out, r1 * NR + 3 * L);
    }
    if (rows > 2) {
      c20.intoArray(out, r2 * NR);
      c21.intoArray(out, r2 * NR + L);
      c22.intoArray(out, r2 * NR + 2 * L);
      c23.intoArray(out, r2 * NR + 3 * L);
    }
    if (rows > 3) {
      c30.intoArray(out, r3 * NR);
      c31.intoArray(out, r3 * NR + L);
      c32.intoArray(out, r3 * NR + 2 * L);
      c33.intoArray(out, r3 * NR + 3 * L);
    }
  }

  /** {@link #rows4v2} for a tile one vector wide. */
  private static void rows4v1(
      int rows,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] out,
      int r0,
      boolean add) {
    int r1 = r0 + Math.min(1, rows - 1);
    int r2 = r0 + Math.min(2, rows - 1);
    int r3 = r0 + Math.min(3, rows - 1);
    int o0 = aOff + r0 * aRs;
    int o1 = aOff + r1 * aRs;
    int o2 = aOff + r2 * aRs;
    int o3 = aOff + r3 * aRs;
    FloatVector c0 = start(out, r0 * NR, add);
    FloatVector c1 = start(out, r1 * NR, add);
    FloatVector c2 = start(out, r2 * NR, add);
    FloatVector c3 = start(out, r3 * NR, add);
    for (int step = 0, pb = bOff, q = 0; step < k; step++, pb += ldb, q += aCs) {
      FloatVector b0 = FloatVector.fromArray(S, b, pb);
      c0 = FloatVector.broadcast(S, a[q + o0]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, a[q + o1]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, a[q + o2]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, a[q + o3]).fma(b0, c3);
    }
    c0.intoArray(out, r0 * NR);
    if (rows > 1) {
      c1.intoArray(out, r1 * NR);
    }
    if (rows > 2) {
      c2.intoArray(out, r2 * NR);
    }
    if (rows > 3) {
      c3.intoArray(out, r3 * NR);
    }
  }

  /**
   * Eight rows, 32 columns, no masks: the drivers pack B into panels one tile wide (its rows {@code
   * NR} apart), so this hot loop never sees a partial tile (a masked variant in the same method let
   * the JIT's profile of narrow products slow down the wide ones, 3-6x).
   */
  private static void tile8x32(
      int k,
      float[] a_,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      float[] out,
      boolean add) {
    FloatVector c00 = start(out, 0, add), c01 = start(out, 16, add);
    FloatVector c10 = start(out, 32, add), c11 = start(out, 48, add);
    FloatVector c20 = start(out, 64, add), c21 = start(out, 80, add);
    FloatVector c30 = start(out, 96, add), c31 = start(out, 112, add);
    FloatVector c40 = start(out, 128, add), c41 = start(out, 144, add);
    FloatVector c50 = start(out, 160, add), c51 = start(out, 176, add);
    FloatVector c60 = start(out, 192, add), c61 = start(out, 208, add);
    FloatVector c70 = start(out, 224, add), c71 = start(out, 240, add);
    final int o0 = aOff + 0 * aRs;
    final int o1 = aOff + 1 * aRs;
    final int o2 = aOff + 2 * aRs;
    final int o3 = aOff + 3 * aRs;
    final int o4 = aOff + 4 * aRs;
    final int o5 = aOff + 5 * aRs;
    final int o6 = aOff + 6 * aRs;
    final int o7 = aOff + 7 * aRs;
    int q = 0;
    for (int step = 0; step < k; step++) {
      // B's row from the step times the constant width (not a running sum of ldb): the JIT then
      // proves every load of the loop in bounds before it, 5-10% faster measured
      int pb = bOff + step * NR;
      FloatVector b0 = FloatVector.fromArray(S, b, pb);
      FloatVector b1 = FloatVector.fromArray(S, b, pb + 16);
      FloatVector a;
      a = FloatVector.broadcast(S, a_[q + o0]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, a_[q + o1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, a_[q + o2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, a_[q + o3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(S, a_[q + o4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, a_[q + o5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(S, a_[q + o6]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(S, a_[q + o7]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
      q += aCs;
    }
    c00.intoArray(out, 0);
    c01.intoArray(out, 16);
    c10.intoArray(out, 32);
    c11.intoArray(out, 48);
    c20.intoArray(out, 64);
    c21.intoArray(out, 80);
    c30.intoArray(out, 96);
    c31.intoArray(out, 112);
    c40.intoArray(out, 128);
    c41.intoArray(out, 144);
    c50.intoArray(out, 160);
    c51.intoArray(out, 176);
    c60.intoArray(out, 192);
    c61.intoArray(out, 208);
    c70.intoArray(out, 224);
    c71.intoArray(out, 240);
  }

  /**
   * Twelve rows, 32 columns, from zero, stored straight into C's rows ({@code ldc} apart): 24
   * accumulators, each broadcast of A used for two fused multiply-adds as in {@link #tile8x32},
   * each pair of B's vectors for 24 instead of 16. Every element gets the operations of {@link
   * #tile}. In the retrieval's two products, with operands streaming from L2, 4-7% faster than the
   * 8-row tile (measured on this machine).
   */
  private static void tile12x32Into(
      int k,
      float[] a_,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      float[] c,
      int cOff,
      int ldc) {
    // one zero for every accumulator: each Vector API call site C2 inlines costs nodes, and a
    // tile near C2's limits can leave calls out and box their vectors (one benchmark run allocated
    // 620 MB per retrieval call)
    final FloatVector z = FloatVector.zero(S);
    FloatVector c000 = z, c001 = z;
    FloatVector c010 = z, c011 = z;
    FloatVector c020 = z, c021 = z;
    FloatVector c030 = z, c031 = z;
    FloatVector c040 = z, c041 = z;
    FloatVector c050 = z, c051 = z;
    FloatVector c060 = z, c061 = z;
    FloatVector c070 = z, c071 = z;
    FloatVector c080 = z, c081 = z;
    FloatVector c090 = z, c091 = z;
    FloatVector c100 = z, c101 = z;
    FloatVector c110 = z, c111 = z;
    final int o00 = aOff + 0 * aRs;
    final int o01 = aOff + 1 * aRs;
    final int o02 = aOff + 2 * aRs;
    final int o03 = aOff + 3 * aRs;
    final int o04 = aOff + 4 * aRs;
    final int o05 = aOff + 5 * aRs;
    final int o06 = aOff + 6 * aRs;
    final int o07 = aOff + 7 * aRs;
    final int o08 = aOff + 8 * aRs;
    final int o09 = aOff + 9 * aRs;
    final int o10 = aOff + 10 * aRs;
    final int o11 = aOff + 11 * aRs;
    int q = 0;
    for (int step = 0; step < k; step++) {
      int pb = bOff + step * NR;
      FloatVector b0 = FloatVector.fromArray(S, b, pb);
      FloatVector b1 = FloatVector.fromArray(S, b, pb + 16);
      FloatVector a;
      a = FloatVector.broadcast(S, a_[q + o00]);
      c000 = a.fma(b0, c000);
      c001 = a.fma(b1, c001);
      a = FloatVector.broadcast(S, a_[q + o01]);
      c010 = a.fma(b0, c010);
      c011 = a.fma(b1, c011);
      a = FloatVector.broadcast(S, a_[q + o02]);
      c020 = a.fma(b0, c020);
      c021 = a.fma(b1, c021);
      a = FloatVector.broadcast(S, a_[q + o03]);
      c030 = a.fma(b0, c030);
      c031 = a.fma(b1, c031);
      a = FloatVector.broadcast(S, a_[q + o04]);
      c040 = a.fma(b0, c040);
      c041 = a.fma(b1, c041);
      a = FloatVector.broadcast(S, a_[q + o05]);
      c050 = a.fma(b0, c050);
      c051 = a.fma(b1, c051);
      a = FloatVector.broadcast(S, a_[q + o06]);
      c060 = a.fma(b0, c060);
      c061 = a.fma(b1, c061);
      a = FloatVector.broadcast(S, a_[q + o07]);
      c070 = a.fma(b0, c070);
      c071 = a.fma(b1, c071);
      a = FloatVector.broadcast(S, a_[q + o08]);
      c080 = a.fma(b0, c080);
      c081 = a.fma(b1, c081);
      a = FloatVector.broadcast(S, a_[q + o09]);
      c090 = a.fma(b0, c090);
      c091 = a.fma(b1, c091);
      a = FloatVector.broadcast(S, a_[q + o10]);
      c100 = a.fma(b0, c100);
      c101 = a.fma(b1, c101);
      a = FloatVector.broadcast(S, a_[q + o11]);
      c110 = a.fma(b0, c110);
      c111 = a.fma(b1, c111);
      q += aCs;
    }
    int o = cOff;
    c000.intoArray(c, o);
    c001.intoArray(c, o + 16);
    o += ldc;
    c010.intoArray(c, o);
    c011.intoArray(c, o + 16);
    o += ldc;
    c020.intoArray(c, o);
    c021.intoArray(c, o + 16);
    o += ldc;
    c030.intoArray(c, o);
    c031.intoArray(c, o + 16);
    o += ldc;
    c040.intoArray(c, o);
    c041.intoArray(c, o + 16);
    o += ldc;
    c050.intoArray(c, o);
    c051.intoArray(c, o + 16);
    o += ldc;
    c060.intoArray(c, o);
    c061.intoArray(c, o + 16);
    o += ldc;
    c070.intoArray(c, o);
    c071.intoArray(c, o + 16);
    o += ldc;
    c080.intoArray(c, o);
    c081.intoArray(c, o + 16);
    o += ldc;
    c090.intoArray(c, o);
    c091.intoArray(c, o + 16);
    o += ldc;
    c100.intoArray(c, o);
    c101.intoArray(c, o + 16);
    o += ldc;
    c110.intoArray(c, o);
    c111.intoArray(c, o + 16);
  }

  /**
   * {@link #tile12x32Into} for A read down its columns ({@code aRs == 1}, the weights of 12
   * consecutive queries): the 12 elements of a step at constant offsets from one index, so the JIT
   * checks the first and the last instead of all 12. The same operations in the same order.
   */
  private static void tile12x32ColsInto(
      int k, float[] a_, int aOff, int aCs, float[] b, int bOff, float[] c, int cOff, int ldc) {
    // one zero for every accumulator: each Vector API call site C2 inlines costs nodes, and a
    // tile near C2's limits can leave calls out and box their vectors (one benchmark run allocated
    // 620 MB per retrieval call)
    final FloatVector z = FloatVector.zero(S);
    FloatVector c000 = z, c001 = z;
    FloatVector c010 = z, c011 = z;
    FloatVector c020 = z, c021 = z;
    FloatVector c030 = z, c031 = z;
    FloatVector c040 = z, c041 = z;
    FloatVector c050 = z, c051 = z;
    FloatVector c060 = z, c061 = z;
    FloatVector c070 = z, c071 = z;
    FloatVector c080 = z, c081 = z;
    FloatVector c090 = z, c091 = z;
    FloatVector c100 = z, c101 = z;
    FloatVector c110 = z, c111 = z;
    int q = aOff;
    for (int step = 0; step < k; step++) {
      int pb = bOff + step * NR;
      FloatVector b0 = FloatVector.fromArray(S, b, pb);
      FloatVector b1 = FloatVector.fromArray(S, b, pb + 16);
      FloatVector a;
      a = FloatVector.broadcast(S, a_[q]);
      c000 = a.fma(b0, c000);
      c001 = a.fma(b1, c001);
      a = FloatVector.broadcast(S, a_[q + 1]);
      c010 = a.fma(b0, c010);
      c011 = a.fma(b1, c011);
      a = FloatVector.broadcast(S, a_[q + 2]);
      c020 = a.fma(b0, c020);
      c021 = a.fma(b1, c021);
      a = FloatVector.broadcast(S, a_[q + 3]);
      c030 = a.fma(b0, c030);
      c031 = a.fma(b1, c031);
      a = FloatVector.broadcast(S, a_[q + 4]);
      c040 = a.fma(b0, c040);
      c041 = a.fma(b1, c041);
      a = FloatVector.broadcast(S, a_[q + 5]);
      c050 = a.fma(b0, c050);
      c051 = a.fma(b1, c051);
      a = FloatVector.broadcast(S, a_[q + 6]);
      c060 = a.fma(b0, c060);
      c061 = a.fma(b1, c061);
      a = FloatVector.broadcast(S, a_[q + 7]);
      c070 = a.fma(b0, c070);
      c071 = a.fma(b1, c071);
      a = FloatVector.broadcast(S, a_[q + 8]);
      c080 = a.fma(b0, c080);
      c081 = a.fma(b1, c081);
      a = FloatVector.broadcast(S, a_[q + 9]);
      c090 = a.fma(b0, c090);
      c091 = a.fma(b1, c091);
      a = FloatVector.broadcast(S, a_[q + 10]);
      c100 = a.fma(b0, c100);
      c101 = a.fma(b1, c101);
      a = FloatVector.broadcast(S, a_[q + 11]);
      c110 = a.fma(b0, c110);
      c111 = a.fma(b1, c111);
      q += aCs;
    }
    int o = cOff;
    c000.intoArray(c, o);
    c001.intoArray(c, o + 16);
    o += ldc;
    c010.intoArray(c, o);
    c011.intoArray(c, o + 16);
    o += ldc;
    c020.intoArray(c, o);
    c021.intoArray(c, o + 16);
    o += ldc;
    c030.intoArray(c, o);
    c031.intoArray(c, o + 16);
    o += ldc;
    c040.intoArray(c, o);
    c041.intoArray(c, o + 16);
    o += ldc;
    c050.intoArray(c, o);
    c051.intoArray(c, o + 16);
    o += ldc;
    c060.intoArray(c, o);
    c061.intoArray(c, o + 16);
    o += ldc;
    c070.intoArray(c, o);
    c071.intoArray(c, o + 16);
    o += ldc;
    c080.intoArray(c, o);
    c081.intoArray(c, o + 16);
    o += ldc;
    c090.intoArray(c, o);
    c091.intoArray(c, o + 16);
    o += ldc;
    c100.intoArray(c, o);
    c101.intoArray(c, o + 16);
    o += ldc;
    c110.intoArray(c, o);
    c111.intoArray(c, o + 16);
  }

  /**
   * {@link #tile8x32} from zero, its rows stored straight into C ({@code ldc} apart) from the
   * registers. A method of its own: the same loop with a choice of stores after it (one method for
   * both, or an output offset in {@code tile8x32}) was compiled 1.8x slower by Java 17's C2,
   * measured.
   */
  private static void tile8x32Into(
      int k,
      float[] a_,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      float[] c,
      int cOff,
      int ldc) {
    // one zero for every accumulator: each Vector API call site C2 inlines costs nodes, and a
    // tile near C2's limits can leave calls out and box their vectors (one benchmark run allocated
    // 620 MB per retrieval call)
    final FloatVector z = FloatVector.zero(S);
    FloatVector c00 = z, c01 = z;
    FloatVector c10 = z, c11 = z;
    FloatVector c20 = z, c21 = z;
    FloatVector c30 = z, c31 = z;
    FloatVector c40 = z, c41 = z;
    FloatVector c50 = z, c51 = z;
    FloatVector c60 = z, c61 = z;
    FloatVector c70 = z, c71 = z;
    final int o0 = aOff + 0 * aRs;
    final int o1 = aOff + 1 * aRs;
    final int o2 = aOff + 2 * aRs;
    final int o3 = aOff + 3 * aRs;
    final int o4 = aOff + 4 * aRs;
    final int o5 = aOff + 5 * aRs;
    final int o6 = aOff + 6 * aRs;
    final int o7 = aOff + 7 * aRs;
    int q = 0;
    for (int step = 0; step < k; step++) {
      // B's row from the step times the constant width (not a running sum of ldb): the JIT then
      // proves every load of the loop in bounds before it, 5-10% faster measured
      int pb = bOff + step * NR;
      FloatVector b0 = FloatVector.fromArray(S, b, pb);
      FloatVector b1 = FloatVector.fromArray(S, b, pb + 16);
      FloatVector a;
      a = FloatVector.broadcast(S, a_[q + o0]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, a_[q + o1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, a_[q + o2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, a_[q + o3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(S, a_[q + o4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, a_[q + o5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(S, a_[q + o6]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(S, a_[q + o7]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
      q += aCs;
    }
    int o = cOff;
    c00.intoArray(c, o);
    c01.intoArray(c, o + 16);
    o += ldc;
    c10.intoArray(c, o);
    c11.intoArray(c, o + 16);
    o += ldc;
    c20.intoArray(c, o);
    c21.intoArray(c, o + 16);
    o += ldc;
    c30.intoArray(c, o);
    c31.intoArray(c, o + 16);
    o += ldc;
    c40.intoArray(c, o);
    c41.intoArray(c, o + 16);
    o += ldc;
    c50.intoArray(c, o);
    c51.intoArray(c, o + 16);
    o += ldc;
    c60.intoArray(c, o);
    c61.intoArray(c, o + 16);
    o += ldc;
    c70.intoArray(c, o);
    c71.intoArray(c, o + 16);
  }

  /**
   * Eight rows, 16 columns (B packed 16 wide by the drivers, its rows {@code NR / 2} apart): one
   * vector per row, no masks.
   */
  private static void tile8x16(
      int k,
      float[] a_,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      float[] out,
      boolean add) {
    FloatVector c0 = start(out, 0, add);
    FloatVector c1 = start(out, 32, add);
    FloatVector c2 = start(out, 64, add);
    FloatVector c3 = start(out, 96, add);
    FloatVector c4 = start(out, 128, add);
    FloatVector c5 = start(out, 160, add);
    FloatVector c6 = start(out, 192, add);
    FloatVector c7 = start(out, 224, add);
    final int o0 = aOff + 0 * aRs;
    final int o1 = aOff + 1 * aRs;
    final int o2 = aOff + 2 * aRs;
    final int o3 = aOff + 3 * aRs;
    final int o4 = aOff + 4 * aRs;
    final int o5 = aOff + 5 * aRs;
    final int o6 = aOff + 6 * aRs;
    final int o7 = aOff + 7 * aRs;
    int q = 0;
    for (int step = 0; step < k; step++) {
      int pb = bOff + step * (NR / 2);
      FloatVector b0 = FloatVector.fromArray(S, b, pb);
      c0 = FloatVector.broadcast(S, a_[q + o0]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, a_[q + o1]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, a_[q + o2]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, a_[q + o3]).fma(b0, c3);
      c4 = FloatVector.broadcast(S, a_[q + o4]).fma(b0, c4);
      c5 = FloatVector.broadcast(S, a_[q + o5]).fma(b0, c5);
      c6 = FloatVector.broadcast(S, a_[q + o6]).fma(b0, c6);
      c7 = FloatVector.broadcast(S, a_[q + o7]).fma(b0, c7);
      q += aCs;
    }
    c0.intoArray(out, 0);
    c1.intoArray(out, 32);
    c2.intoArray(out, 64);
    c3.intoArray(out, 96);
    c4.intoArray(out, 128);
    c5.intoArray(out, 160);
    c6.intoArray(out, 192);
    c7.intoArray(out, 224);
  }

  /** An accumulator: zero, or (when {@code add}) the vector of {@code out} at {@code off}. */
  private static FloatVector start(float[] out, int off, boolean add) {
    return add ? FloatVector.fromArray(S, out, off) : FloatVector.zero(S);
  }

  /** Any tile, one row at a time, column vectors masked at the edge. */
  private static void generic(
      int mr,
      int nr,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int ldb,
      float[] out,
      boolean add) {
    for (int r = 0; r < mr; r++) {
      for (int c = 0; c < nr; c += L) {
        VectorMask<Float> m = S.indexInRange(c, nr);
        FloatVector acc = add ? FloatVector.fromArray(S, out, r * NR + c, m) : FloatVector.zero(S);
        int pa = aOff + r * aRs;
        int pb = bOff + c;
        for (int step = 0; step < k; step++) {
          acc = FloatVector.broadcast(S, a[pa]).fma(FloatVector.fromArray(S, b, pb, m), acc);
          pa += aCs;
          pb += ldb;
        }
        acc.intoArray(out, r * NR + c, m);
      }
    }
  }

  @Override
  public void storkeyRow(
      float[] w,
      int off,
      int j0,
      int j1,
      float xi,
      float ui,
      float ri,
      float[] x,
      float[] u,
      float[] r,
      float invN) {
    // plain lane-wise mul/add (no fma): the same bits as the scalar loop, symmetric in i and j
    FloatVector vxi = FloatVector.broadcast(S, xi);
    FloatVector vui = FloatVector.broadcast(S, ui);
    FloatVector vri = FloatVector.broadcast(S, ri);
    FloatVector vinv = FloatVector.broadcast(S, invN);
    int j = j0;
    int bound = j1 - L;
    for (; j <= bound; j += L) {
      FloatVector v = FloatVector.fromArray(S, w, off + j);
      FloatVector xj = FloatVector.fromArray(S, x, j);
      FloatVector uj = FloatVector.fromArray(S, u, j);
      FloatVector s = vri.add(FloatVector.fromArray(S, r, j));
      FloatVector t = vui.mul(xj).add(vxi.mul(uj));
      v.add(v.mul(s)).add(vxi.mul(xj).add(t).mul(vinv)).intoArray(w, off + j);
    }
    for (; j < j1; j++) {
      float v = w[off + j];
      w[off + j] = (v + v * (ri + r[j])) + (xi * x[j] + (ui * x[j] + xi * u[j])) * invN;
    }
  }
}
