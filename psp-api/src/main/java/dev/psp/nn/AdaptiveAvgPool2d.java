package dev.psp.nn;

/**
 * {@code torch.nn.AdaptiveAvgPool2d((outH, outW))}: output cell {@code (i, j)} is the mean of input
 * rows {@code [floor(i·H/outH), ceil((i+1)·H/outH))} and the same columns; windows may overlap
 * (16 → 7 gives [0,3) [2,5) [4,7) [6,10) [9,12) [11,14) [13,16)).
 *
 * <p>When the input size is a multiple of the output size (face_pool 1024 → 256, 512 → 256) the
 * windows are disjoint blocks and the pool is computed as a reshape and a mean; otherwise as two
 * constant pooling matrices applied with matmul. Both are exact and engine independent. No
 * state_dict entries. Immutable and thread-safe.
 */
public final class AdaptiveAvgPool2d implements Layer {
  private final int outH;
  private final int outW;

  /** A pool to {@code outH × outW}. */
  public AdaptiveAvgPool2d(int outH, int outW) {
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException("output size must be positive, got " + outH + "x" + outW);
    }
    this.outH = outH;
    this.outW = outW;
  }

  /** Output height. */
  public int outH() {
    return outH;
  }

  /** Output width. */
  public int outW() {
    return outW;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    // no parameters or buffers
  }

  /** Pools x {@code [B,C,H,W]} to {@code [B,C,outH,outW]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    long[] s = ops.shape(x);
    if (s.length != 4) {
      throw new IllegalArgumentException("AdaptiveAvgPool2d expects [B,C,H,W], got rank " + s.length);
    }
    int h = Math.toIntExact(s[2]);
    int w = Math.toIntExact(s[3]);
    if (h == outH && w == outW) {
      return x;
    }
    if (h % outH == 0 && w % outW == 0) {
      T blocks = ops.reshape(x, -1, s[1], outH, h / outH, outW, w / outW);
      return ops.mean(blocks, new int[] {3, 5}, false);
    }
    T ph = ops.constant(windowMatrix(h, outH), outH, h);
    T pwT = ops.constant(transpose(windowMatrix(w, outW), outW, w), w, outW);
    return ops.matmul(ph, ops.matmul(x, pwT));
  }

  /**
   * The {@code [out, in]} row-major averaging matrix of a 1-D adaptive average pool: row i holds
   * {@code 1/len} on its window.
   */
  public static float[] windowMatrix(int in, int out) {
    float[] m = new float[out * in];
    for (int i = 0; i < out; i++) {
      int start = (int) Math.floorDiv((long) i * in, out);
      int end = (int) -Math.floorDiv(-(long) (i + 1) * in, out);
      float v = 1.0f / (end - start);
      for (int j = start; j < end; j++) {
        m[i * in + j] = v;
      }
    }
    return m;
  }

  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }

  @Override
  public String toString() {
    return "AdaptiveAvgPool2d(output_size=(" + outH + ", " + outW + "))";
  }
}
