package dev.psp.nn.stylegan2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The interleaved phase correlations reproduce, in 1-D, the transposed convolution computed
 * literally, followed by exactly {@code extra} zeros; and the fold matrix selects the same taps.
 */
class TransposedPhasesTest {

  static double[] transposed(double[] x, double[] w, int up) {
    double[] t = new double[up * (x.length - 1) + w.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < w.length; j++) {
        t[up * i + j] += x[i] * w[j];
      }
    }
    return t;
  }

  static double[] phases(TransposedPhases tp, double[] x, double[] w) {
    int up = tp.up();
    int k = tp.taps();
    int len = x.length + k - 1;
    double[] out = new double[up * len];
    for (int m = 0; m < len; m++) {
      for (int p = 0; p < up; p++) {
        double acc = 0;
        for (int t = 0; t < k; t++) {
          int i = m + t - tp.padding();
          int j = tp.filterTap(p, t);
          if (i >= 0 && i < x.length && j >= 0) {
            acc += x[i] * w[j];
          }
        }
        out[up * m + p] = acc;
      }
    }
    return out;
  }

  @Test
  void interleavedPhasesAreTheTransposedConvolutionThenZeros() {
    Random rng = new Random(1);
    for (int up : new int[] {1, 2, 3}) {
      for (int kw : new int[] {1, 2, 3, 4, 5}) {
        TransposedPhases tp = new TransposedPhases(up, kw);
        for (int p = 0; p < up; p++) {
          for (int t = 0; t < tp.taps(); t++) {
            assertThat(tp.filterTap(p, t) >= 0).as("tap %d of phase %d", t, p)
                .isEqualTo(t >= tp.firstTap(p));
          }
        }
        for (int n : new int[] {1, 2, 7}) {
          double[] x = rng.doubles(n, -1, 1).toArray();
          double[] w = rng.doubles(kw, -1, 1).toArray();
          double[] ref = transposed(x, w, up);
          double[] got = phases(tp, x, w);
          assertThat(got).as("up %d kw %d n %d", up, kw, n).hasSize(ref.length + tp.extra());
          assertThat(Arrays.copyOf(got, ref.length)).containsExactly(ref);
          for (int i = ref.length; i < got.length; i++) {
            assertThat(got[i]).isZero();
          }
        }
      }
    }
  }

  @Test
  void stylegan2Taps() {
    TransposedPhases tp = new TransposedPhases(2, 3);
    assertThat(tp.taps()).isEqualTo(2);
    assertThat(tp.extra()).isEqualTo(1);
    // even phase (w[2], w[0]), odd phase (0, w[1])
    assertThat(new int[] {tp.filterTap(0, 0), tp.filterTap(0, 1), tp.filterTap(1, 0),
        tp.filterTap(1, 1)}).containsExactly(2, 0, -1, 1);
    assertThat(new int[] {tp.firstTap(0), tp.firstTap(1)}).containsExactly(0, 1);
    // phase (0,1): taps (w[2][1], w[0][1]) as a 2×1 kernel
    float[] m = tp.phaseFold(0, 1);
    assertThat(m).hasSize(9 * 2);
    assertThat(m[(2 * 3 + 1) * 2 + 0]).isEqualTo(1f);
    assertThat(m[(0 * 3 + 1) * 2 + 1]).isEqualTo(1f);
    // every filter tap lands in exactly one phase kernel
    int ones = 0;
    for (int py = 0; py < 2; py++) {
      for (int px = 0; px < 2; px++) {
        for (float v : tp.phaseFold(py, px)) {
          ones += v == 1f ? 1 : 0;
        }
      }
    }
    assertThat(ones).isEqualTo(9);
  }
}
