package dev.psp.nn.stylegan2;

/**
 * The polyphase form of a stride-{@code up} transposed convolution ({@code conv_transpose2d},
 * padding 0) with a {@code kw×kw} filter: {@code T[t] = Σ_i x[i]·w[t - up·i]}, of length {@code
 * up·(n-1) + kw} for n inputs.
 *
 * <p>Output phase {@code p} ({@code t = up·m + p}) is a stride-1 correlation of x, zero-padded by
 * {@code K-1}, with the {@code K = ceil(kw/up)} taps {@code w[p + up·(K-1-t)]} (t = 0 … K-1; taps
 * past the filter are 0). Each phase yields {@code n + K - 1} outputs, so the interleaved phases
 * hold T followed by {@link #extra} samples that are exactly 0 (they only see padding). For the
 * 3×3 filters of StyleGAN2 (up 2, K 2) the even phase has the taps {@code (w[2], w[0])}, the odd
 * phase {@code (0, w[1])}: in 2-D, 2×2, 2×1, 1×2 and 1×1 kernels, 9 multiply-adds per input pixel
 * like the transposed convolution itself. Immutable.
 */
final class TransposedPhases {
  private final int up;
  private final int kw;
  private final int taps;

  TransposedPhases(int up, int kw) {
    if (up < 1 || kw < 1) {
      throw new IllegalArgumentException("invalid transposed convolution: up=" + up + " kw=" + kw);
    }
    this.up = up;
    this.kw = kw;
    this.taps = (kw + up - 1) / up;
  }

  /** The upsampling factor (the transposed convolution's stride). */
  int up() {
    return up;
  }

  /** K, the taps per phase and dimension. */
  int taps() {
    return taps;
  }

  /** The zero padding of each phase's correlation, K-1. */
  int padding() {
    return taps - 1;
  }

  /** The filter tap read by tap t of phase p, or -1 for a zero tap. */
  int filterTap(int p, int t) {
    int j = p + up * (taps - 1 - t);
    return j < kw ? j : -1;
  }

  /** The exact zeros after T in the interleaved phases: {@code up·K - kw}. */
  int extra() {
    return up * taps - kw;
  }

  /**
   * The first non-zero tap of phase p: the zero taps (those past the filter) are the leading ones,
   * so phase p is a correlation with the {@code K - firstTap(p)} taps {@code firstTap(p) … K-1}.
   */
  int firstTap(int p) {
    int t = 0;
    while (t < taps && filterTap(p, t) < 0) {
      t++;
    }
    return t;
  }

  /**
   * The {@code [kw·kw, ny·nx]} row-major 0/1 matrix that maps a flattened filter {@code w[jy,jx]}
   * to the kernel of phase {@code (py,px)} without its zero taps, {@code ny = K - firstTap(py)} by
   * {@code nx = K - firstTap(px)}: column {@code ty'·nx + tx'} is tap {@code (firstTap(py) + ty',
   * firstTap(px) + tx')}. Each column has exactly one 1, so the product only selects weights and
   * is exact.
   */
  float[] phaseFold(int py, int px) {
    int y0 = firstTap(py);
    int x0 = firstTap(px);
    int ny = taps - y0;
    int nx = taps - x0;
    float[] m = new float[kw * kw * ny * nx];
    for (int ty = 0; ty < ny; ty++) {
      for (int tx = 0; tx < nx; tx++) {
        int jy = filterTap(py, y0 + ty);
        int jx = filterTap(px, x0 + tx);
        m[(jy * kw + jx) * ny * nx + ty * nx + tx] = 1;
      }
    }
    return m;
  }
}
