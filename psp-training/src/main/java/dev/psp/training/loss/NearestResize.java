package dev.psp.training.loss;

import dev.psp.nn.TensorOps;

/**
 * {@code F.interpolate(x, size, mode='nearest')} (PyTorch's legacy nearest, as moco_loss.py resizes
 * to 224): output index i reads input index {@code min(floor(i·scale), in−1)} with the float32
 * {@code scale = in/out}, and {@code i >> 1} when the output is exactly twice the input. Computed as
 * two constant one-hot selection matrices applied with matmul, which is exact. Stateless and
 * thread-safe.
 */
public final class NearestResize {
  private NearestResize() {}

  /** Resizes x {@code [B,C,H,W]} to {@code [B,C,outH,outW]}. */
  public static <T> T resize(TensorOps<T> ops, T x, int outH, int outW) {
    long[] s = ops.shape(x);
    if (s.length != 4) {
      throw new IllegalArgumentException("nearest resize expects [B,C,H,W], got rank " + s.length);
    }
    int h = Math.toIntExact(s[2]);
    int w = Math.toIntExact(s[3]);
    if (h == outH && w == outW) {
      return x;
    }
    T rows = ops.constant(matrix(h, outH), outH, h);
    T colsT = ops.constant(transposed(matrix(w, outW), outW, w), w, outW);
    return ops.matmul(rows, ops.matmul(x, colsT));
  }

  /** The input index that output index {@code i} reads, as PyTorch's CPU kernel computes it. */
  public static int sourceIndex(int i, int in, int out) {
    if (in == out) {
      return i;
    }
    if (out == 2 * in) {
      return i >> 1;
    }
    float scale = (float) in / (float) out;
    return Math.min((int) Math.floor((float) i * scale), in - 1);
  }

  /** The {@code [out, in]} row-major selection matrix: row i is one-hot at {@link #sourceIndex}. */
  public static float[] matrix(int in, int out) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("sizes must be positive, got in=" + in + " out=" + out);
    }
    float[] m = new float[out * in];
    for (int i = 0; i < out; i++) {
      m[i * in + sourceIndex(i, in, out)] = 1f;
    }
    return m;
  }

  private static float[] transposed(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }
}
