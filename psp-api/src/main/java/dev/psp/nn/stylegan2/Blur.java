package dev.psp.nn.stylegan2;

import dev.psp.io.DType;
import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The FIR low-pass filter {@code model.Blur(kernel, pad, upsample_factor)}: {@code upfirdn2d(x,
 * make_kernel(kernel)·factor², up=1, down=1, pad)}, a per-channel true convolution. Declares the
 * {@code kernel [L,L]} buffer, but always computes with the fixed kernel (see {@link
 * StateDictSpec#validateTensors}).
 *
 * <p>Inside an upsampling {@link ModulatedConv2d} the filter runs on the interleaved phases of the
 * transposed convolution (see {@link #filter}). Immutable and thread-safe.
 */
public final class Blur implements Layer {
  private final String prefix;
  private final double[] kernel1d;
  private final int pad0;
  private final int pad1;
  private final int upsampleFactor;
  private final float[] kernel2d;

  /** {@code Blur(kernel, pad=(pad0, pad1), upsample_factor)} with its buffer at {@code prefix + "kernel"}. */
  public Blur(String prefix, double[] kernel1d, int pad0, int pad1, int upsampleFactor) {
    if (pad0 < 0 || pad1 < 0 || upsampleFactor < 1) {
      throw new IllegalArgumentException("invalid Blur configuration: pad=(" + pad0 + "," + pad1
          + ") upsample_factor=" + upsampleFactor);
    }
    this.prefix = prefix;
    this.kernel1d = kernel1d.clone();
    this.pad0 = pad0;
    this.pad1 = pad1;
    this.upsampleFactor = upsampleFactor;
    this.kernel2d = makeKernel(kernel1d, upsampleFactor);
  }

  /**
   * {@code make_kernel(k) · factor²}: the outer product of the 1-D kernel with itself, divided by its
   * sum, times {@code factor²}; row-major {@code [L,L]}.
   */
  public static float[] makeKernel(double[] k, int factor) {
    int len = k.length;
    double sum = 0;
    for (double v : k) {
      sum += v;
    }
    float[] out = new float[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = 0; j < len; j++) {
        out[i * len + j] = (float) (k[i] * k[j] / (sum * sum) * factor * factor);
      }
    }
    return out;
  }

  /** The 1-D factor of {@code make_kernel(k)·factor²}: {@code k / sum(k) · factor}. */
  static double[] separableKernel(double[] k, int factor) {
    double sum = 0;
    for (double v : k) {
      sum += v;
    }
    double[] out = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      out[i] = k[i] / sum * factor;
    }
    return out;
  }

  /** A name for the fixed kernel in messages. */
  static String describe(double[] k, int factor) {
    StringBuilder sb = new StringBuilder("make_kernel([");
    for (int i = 0; i < k.length; i++) {
      sb.append(i > 0 ? "," : "").append(k[i] == Math.rint(k[i]) ? String.valueOf((long) k[i])
          : String.valueOf(k[i]));
    }
    sb.append("])");
    if (factor > 1) {
      sb.append("×").append(factor * factor);
    }
    return sb.toString();
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    int len = kernel1d.length;
    spec.buffer(prefix + "kernel", DType.FLOAT32,
        new Init.Fixed(describe(kernel1d, upsampleFactor), kernel2d), len, len);
  }

  /** Filters x {@code [B,C,H,W]} to {@code [B,C,H+pad0+pad1-L+1,W+pad0+pad1-L+1]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    return filter(ops, x, kernel2d, kernel1d.length, pad0, pad1);
  }

  /**
   * {@code upfirdn2d(x, kernel, pad=(pad0, pad1))} without resampling: each channel of x {@code
   * [B,C,H,W]} zero-padded by pad0 before and pad1 after (both dimensions) and truly convolved with
   * the row-major {@code [L,L]} kernel. Computed as one convolution of {@code [B·C,1,H,W]} with the
   * flipped kernel and symmetric padding {@code max(pad0, pad1)}, then a slice when the pads differ.
   */
  static <T> T filter(TensorOps<T> ops, T x, float[] kernel2d, int len, int pad0, int pad1) {
    long[] s = ops.shape(x);
    long c = s[1];
    long h = s[2];
    long w = s[3];
    float[] flipped = new float[len * len];
    for (int i = 0; i < len * len; i++) {
      flipped[i] = kernel2d[len * len - 1 - i];
    }
    int pad = Math.max(pad0, pad1);
    T y = ops.conv2d(ops.reshape(x, -1, 1, h, w), ops.constant(flipped, 1, 1, len, len), null, 1,
        pad);
    long oh = h + 2L * pad - len + 1;
    long ow = w + 2L * pad - len + 1;
    if (pad0 != pad1) {
      long from = pad - pad0;
      long to = from + (h + pad0 + pad1 - len + 1);
      long fromW = pad - pad0;
      long toW = fromW + (w + pad0 + pad1 - len + 1);
      y = ops.slice(ops.slice(y, 2, from, to), 3, fromW, toW);
      oh = to - from;
      ow = toW - fromW;
    }
    return ops.reshape(y, -1, c, oh, ow);
  }

  /** The fixed kernel {@code make_kernel(kernel)·factor²}, row-major {@code [L,L]}. */
  float[] kernel2d() {
    return kernel2d.clone();
  }

  /** The kernel length L. */
  int length() {
    return kernel1d.length;
  }

  /** The leading pad. */
  int pad0() {
    return pad0;
  }

  /** The trailing pad. */
  int pad1() {
    return pad1;
  }

  @Override
  public String toString() {
    return "Blur(" + prefix + ", kernel=" + describe(kernel1d, upsampleFactor) + ", pad=(" + pad0
        + ", " + pad1 + "))";
  }
}
