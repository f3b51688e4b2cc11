package io.engram.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The special functions against Python: math.erf, math.erfc, math.lgamma, scipy.stats.t. */
class SpecialFunctionsTest {

  private static void close(double expected, double actual, double rel) {
    assertEquals(expected, actual, Math.abs(expected) * rel + Double.MIN_NORMAL);
  }

  @Test
  void erfAndErfcMatchReferenceValues() {
    double[][] ref = {
      {0.1, 0.1124629160182849, 0.8875370839817152},
      {0.5, 0.5204998778130465, 0.4795001221869535},
      {1, 0.8427007929497149, 0.15729920705028513},
      {1.5, 0.9661051464753108, 0.033894853524689274},
      {2, 0.9953222650189527, 0.004677734981047265},
      {2.5, 0.999593047982555, 0.0004069520174449589},
      {2.9, 0.9999589021219005, 4.109787809945886e-05},
      {3, 0.9999779095030014, 2.2090496998585438e-05},
      {3.5, 0.9999992569016276, 7.430983723414128e-07},
      {4, 0.9999999845827421, 1.541725790028002e-08},
      {5, 0.9999999999984626, 1.5374597944280351e-12},
      {6, 1.0, 2.1519736712498916e-17},
      {10, 1.0, 2.088487583762545e-45}
    };
    for (double[] r : ref) {
      close(r[1], SpecialFunctions.erf(r[0]), 1e-14);
      close(-r[1], SpecialFunctions.erf(-r[0]), 1e-14);
      close(r[2], SpecialFunctions.erfc(r[0]), 1e-13);
      close(2 - r[2], SpecialFunctions.erfc(-r[0]), 1e-14);
    }
    assertEquals(0, SpecialFunctions.erf(0));
    assertEquals(1, SpecialFunctions.erfc(0));
    assertEquals(0, SpecialFunctions.erfc(Double.POSITIVE_INFINITY));
    assertEquals(-1, SpecialFunctions.erf(Double.NEGATIVE_INFINITY));
    assertEquals(Double.NaN, SpecialFunctions.erfc(Double.NaN));
  }

  @Test
  void lnGammaMatchesReferenceValuesAndFactorials() {
    close(12.801827480081467, SpecialFunctions.lnGamma(10), 1e-14);
    close(0.5723649429247004, SpecialFunctions.lnGamma(0.5), 1e-13);
    close(-0.12078223763524543, SpecialFunctions.lnGamma(1.5), 1e-12);
    close(1.4280723266653883, SpecialFunctions.lnGamma(3.7), 1e-13);
    close(359.1342053695754, SpecialFunctions.lnGamma(100), 1e-14);
    close(1051287.7089736566, SpecialFunctions.lnGamma(1e5), 1e-14);
    double logFactorial = 0;
    for (int k = 1; k <= 30; k++) {
      logFactorial += Math.log(k);
      close(logFactorial, SpecialFunctions.lnGamma(k + 1), 1e-13);
    }
    assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.lnGamma(0));
  }

  @Test
  void fairBinomialTailMatchesExactSums() {
    // small m: exact sums of binomial coefficients
    for (int m = 0; m <= 60; m++) {
      for (int k = -1; k <= m + 1; k++) {
        double exact = 0;
        for (int j = Math.max(k, 0); j <= m; j++) {
          exact += binomial(m, j);
        }
        exact /= Math.pow(2, m);
        close(exact, SpecialFunctions.fairBinomialUpperTail(m, k), 1e-12);
      }
    }
    // a large m (values from an independent log-space sum in Python)
    close(0.0034913082126534, SpecialFunctions.fairBinomialUpperTail(136863, 68931), 1e-9);
  }

  @Test
  void studentQuantilesMatchTables() {
    double[][] table = { // scipy.stats.t.ppf(0.975, nu)
      {1, 12.706204736174694},
      {2, 4.302652729749462},
      {3, 3.1824463052837078},
      {4, 2.7764451051977934},
      {9, 2.262157162798205},
      {19, 2.0930240544083087},
      {100, 1.9839715185235518}
    };
    for (double[] r : table) {
      close(r[1], SpecialFunctions.studentQuantile(0.95, (int) r[0]), 1e-9);
    }
  }

  private static double binomial(int m, int j) {
    double c = 1;
    for (int i = 1; i <= j; i++) {
      c = c * (m - j + i) / i;
    }
    return c;
  }
}
