package dev.psp.nn.stylegan2;

/**
 * The polyphase form of "upsample by {@code up}, then FIR-filter" as used by StyleGAN2: a length-kw
 * filter {@code w} applied as a stride-{@code up} transposed convolution ({@code T[t] = Σ_i x[i]
 * w[t - up·i]}; zero insertion is the case {@code w = [1,0,…]} with kw = up), then {@code
 * upfirdn2d}'s pad {@code (pad0, pad1)} and a <i>true</i> convolution with the 1-D kernel {@code
 * kb}.
 *
 * <p>Writing output index {@code Y = up·m + p} and input index {@code i = m + d} gives {@code out[up·m
 * + p] = Σ_d x[m+d] · Σ_j A[p][d][j] w[j]} with {@code A[p][d][j] = kb_flipped[j - (p - pad0 -
 * up·d)]}. So each output phase p is a stride-1 correlation with taps {@code d ∈ [-R, R]}, i.e. a
 * {@code (2R+1)}-tap convolution with zero padding R, whose taps are a fixed linear function of
 * {@code w}. {@link Upsample} uses it (zero insertion, [1,3,3,1], pad (2,1): R = 1); the 2-D taps
 * are products of the 1-D ones since the kernel is separable. (The upsampling {@link
 * ModulatedConv2d} used to fold its blur into the phases this way, at 36 multiply-adds per input
 * pixel instead of 9; it now uses {@link TransposedPhases} and a separate blur.) Immutable.
 */
final class Polyphase {
  private final int up;
  private final int kw;
  private final int radius;
  private final double[][][] a;

  /**
   * @param up the upsampling factor
   * @param kw the length of the transposed-convolution filter
   * @param kb the 1-D blur kernel as upfirdn2d receives it (true convolution; scaled)
   * @param pad0 upfirdn2d's leading pad
   * @param pad1 upfirdn2d's trailing pad
   */
  Polyphase(int up, int kw, double[] kb, int pad0, int pad1) {
    int len = kb.length;
    if (kw + pad0 + pad1 - len + 1 != up) {
      throw new IllegalArgumentException("the output of this upsampling is not " + up
          + "x the input (kw=" + kw + ", pad=(" + pad0 + "," + pad1 + "), kernel length " + len
          + "); only exact factor-" + up + " upsampling has a polyphase form here");
    }
    this.up = up;
    this.kw = kw;
    double[] kf = new double[len];
    for (int i = 0; i < len; i++) {
      kf[i] = kb[len - 1 - i];
    }
    int lim = len + kw + up;
    int dMin = Integer.MAX_VALUE;
    int dMax = Integer.MIN_VALUE;
    for (int p = 0; p < up; p++) {
      for (int d = -lim; d <= lim; d++) {
        for (int j = 0; j < kw; j++) {
          int idx = j - (p - pad0 - up * d);
          if (idx >= 0 && idx < len) {
            dMin = Math.min(dMin, d);
            dMax = Math.max(dMax, d);
          }
        }
      }
    }
    this.radius = Math.max(0, Math.max(-dMin, dMax));
    int taps = 2 * radius + 1;
    this.a = new double[up][taps][kw];
    for (int p = 0; p < up; p++) {
      for (int t = 0; t < taps; t++) {
        int d = t - radius;
        for (int j = 0; j < kw; j++) {
          int idx = j - (p - pad0 - up * d);
          if (idx >= 0 && idx < len) {
            a[p][t][j] = kf[idx];
          }
        }
      }
    }
  }

  /** The upsampling factor. */
  int up() {
    return up;
  }

  /** The padding R of each phase's stride-1 convolution. */
  int radius() {
    return radius;
  }

  /** The number of taps per phase, 2R+1. */
  int taps() {
    return 2 * radius + 1;
  }

  /** A[p][t][j]: the weight of filter tap j in tap t (offset t-R) of output phase p. */
  double tap(int p, int t, int j) {
    return a[p][t][j];
  }

  /**
   * The {@code [up², 1, K, K]} phase kernels for zero-insertion upsampling (filter tap j = 0 only),
   * as a row-major array.
   */
  float[] zeroInsertionKernels() {
    int k = taps();
    float[] m = new float[up * up * k * k];
    for (int py = 0; py < up; py++) {
      for (int px = 0; px < up; px++) {
        for (int ty = 0; ty < k; ty++) {
          for (int tx = 0; tx < k; tx++) {
            m[((py * up + px) * k + ty) * k + tx] = (float) (a[py][ty][0] * a[px][tx][0]);
          }
        }
      }
    }
    return m;
  }
}
