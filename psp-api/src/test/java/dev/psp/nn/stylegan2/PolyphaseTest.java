package dev.psp.nn.stylegan2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The polyphase taps reproduce, in 1-D, the official "transposed convolution (or zero insertion),
 * pad, true convolution with the FIR kernel" computed literally.
 */
class PolyphaseTest {

  /** upfirdn-style reference: T = x ↑up * w (full), pad (pad0,pad1), true convolution with kb. */
  static double[] reference(double[] x, double[] w, int up, double[] kb, int pad0, int pad1) {
    int tl = up * (x.length - 1) + w.length;
    double[] t = new double[tl];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < w.length; j++) {
        t[up * i + j] += x[i] * w[j];
      }
    }
    double[] p = new double[tl + pad0 + pad1];
    System.arraycopy(t, 0, p, pad0, tl);
    int len = kb.length;
    double[] out = new double[p.length - len + 1];
    for (int y = 0; y < out.length; y++) {
      for (int a = 0; a < len; a++) {
        out[y] += p[y + a] * kb[len - 1 - a];
      }
    }
    return out;
  }

  static double[] polyphase(Polyphase pp, double[] x, double[] w) {
    int up = pp.up();
    int r = pp.radius();
    double[] out = new double[up * x.length];
    for (int m = 0; m < x.length; m++) {
      for (int p = 0; p < up; p++) {
        double acc = 0;
        for (int t = 0; t < pp.taps(); t++) {
          int i = m + t - r;
          if (i < 0 || i >= x.length) {
            continue;
          }
          for (int j = 0; j < w.length; j++) {
            acc += x[i] * pp.tap(p, t, j) * w[j];
          }
        }
        out[up * m + p] = acc;
      }
    }
    return out;
  }

  @Test
  void modulatedConvUpsamplingMatchesTransposedConvPlusBlur() {
    Random rng = new Random(1);
    // ModulatedConv2d(k=3, upsample): conv_transpose stride 2, Blur(make_kernel*4, pad (1,1))
    double[] kb = Blur.separableKernel(new double[] {1, 3, 3, 1}, 2);
    Polyphase pp = new Polyphase(2, 3, kb, 1, 1);
    assertThat(pp.radius()).isEqualTo(1);
    for (int n : new int[] {1, 2, 5, 8}) {
      double[] x = rng.doubles(n, -1, 1).toArray();
      double[] w = rng.doubles(3, -1, 1).toArray();
      assertThat(polyphase(pp, x, w)).containsExactly(reference(x, w, 2, kb, 1, 1), within(1e-12));
    }
  }

  @Test
  void upsampleMatchesZeroInsertionPlusFir() {
    Random rng = new Random(2);
    double[] kb = Blur.separableKernel(new double[] {1, 3, 3, 1}, 2);
    Polyphase pp = new Polyphase(2, 2, kb, 2, 1);
    double[] x = rng.doubles(6, -1, 1).toArray();
    assertThat(polyphase(pp, x, new double[] {1, 0}))
        .containsExactly(reference(x, new double[] {1, 0}, 2, kb, 2, 1), within(1e-12));
    // even phase [1/4, 3/4, 0], odd phase [0, 3/4, 1/4]
    assertThat(new double[] {pp.tap(0, 0, 0), pp.tap(0, 1, 0), pp.tap(0, 2, 0)})
        .containsExactly(0.25, 0.75, 0);
    assertThat(new double[] {pp.tap(1, 0, 0), pp.tap(1, 1, 0), pp.tap(1, 2, 0)})
        .containsExactly(0, 0.75, 0.25);
  }

  @Test
  void asymmetricKernelsAreFlippedLikeATrueConvolution() {
    Random rng = new Random(3);
    double[] kb = {0.1, 0.5, 0.3, 0.9};
    Polyphase pp = new Polyphase(2, 3, kb, 1, 1);
    double[] x = rng.doubles(7, -1, 1).toArray();
    double[] w = rng.doubles(3, -1, 1).toArray();
    assertThat(polyphase(pp, x, w)).containsExactly(reference(x, w, 2, kb, 1, 1), within(1e-12));
  }
}
