package dev.psp.nn;

/**
 * Bilinear resizing with {@code align_corners=True} ({@code F.interpolate(x, size,
 * mode='bilinear', align_corners=True)}), as the FPN of the GradualStyleEncoder uses it: output
 * index i reads source coordinate {@code i·(in-1)/(out-1)}.
 *
 * <p>Computed as two constant interpolation matrices applied with matmul. The coordinates and
 * weights are computed in float32 exactly as PyTorch's CPU kernel does, so the only difference to
 * PyTorch is the summation order. Stateless and thread-safe.
 */
public final class BilinearResize {
  private BilinearResize() {}

  /** Resizes x {@code [B,C,H,W]} to {@code [B,C,outH,outW]}. */
  public static <T> T resize(TensorOps<T> ops, T x, int outH, int outW) {
    long[] s = ops.shape(x);
    if (s.length != 4) {
      throw new IllegalArgumentException("bilinear resize expects [B,C,H,W], got rank " + s.length);
    }
    int h = Math.toIntExact(s[2]);
    int w = Math.toIntExact(s[3]);
    T mh = ops.constant(matrix(h, outH), outH, h);
    T mwT = ops.constant(AdaptiveAvgPool2d.transpose(matrix(w, outW), outW, w), w, outW);
    return ops.matmul(mh, ops.matmul(x, mwT));
  }

  /**
   * The {@code [out, in]} row-major interpolation matrix for one axis (align_corners=True), with
   * PyTorch's float32 arithmetic: {@code scale = (in-1)/(out-1)}, {@code src = scale·i},
   * {@code i0 = floor(src)}, {@code λ1 = src - i0}, {@code λ0 = 1 - λ1}.
   */
  public static float[] matrix(int in, int out) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("sizes must be positive, got in=" + in + " out=" + out);
    }
    float[] m = new float[out * in];
    if (in == out) {
      for (int i = 0; i < out; i++) {
        m[i * in + i] = 1f;
      }
      return m;
    }
    float scale = out > 1 ? (float) (in - 1) / (float) (out - 1) : 0f;
    for (int i = 0; i < out; i++) {
      float src = scale * i;
      int i0 = Math.min((int) Math.floor(src), in - 1);
      float l1 = Math.min(Math.max(src - i0, 0f), 1f);
      int i1 = i0 < in - 1 ? i0 + 1 : i0;
      float l0 = 1f - l1;
      m[i * in + i0] += l0;
      m[i * in + i1] += l1;
    }
    return m;
  }
}
