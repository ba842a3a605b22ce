package dev.psp.nn.stylegan2;

import dev.psp.nn.TensorOps;

/**
 * Pixel normalisation ({@code model.PixelNorm}, Karras et al. 2018): {@code x · rsqrt(mean over dim
 * 1 of x² + 1e-8)}. No state. Thread-safe.
 */
public final class PixelNorm {
  /** The epsilon inside the rsqrt. */
  public static final double EPS = 1e-8;

  /** Normalises x {@code [B,C,...]} over dim 1. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T ms = ops.mean(ops.mul(x, x), new int[] {1}, true);
    return ops.mul(x, ops.rsqrt(ops.addScalar(ms, EPS)));
  }

  @Override
  public String toString() {
    return "PixelNorm(eps=1e-8)";
  }
}
