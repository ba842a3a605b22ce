package dev.psp.nn.stylegan2;

import dev.psp.io.DType;
import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The ×2 FIR upsampler of the ToRGB skip path ({@code model.Upsample(kernel, factor=2)}): {@code
 * upfirdn2d(x, make_kernel(kernel)·factor², up=factor, pad=(pad0, pad1))} with {@code p = L -
 * factor}, {@code pad0 = (p+1)//2 + factor - 1}, {@code pad1 = p//2}; (2,1) for [1,3,3,1].
 *
 * <p>Computed in polyphase form, without zero insertion: x is reshaped to {@code [B·C,1,H,W]}, one
 * 3×3 convolution (pad 1) produces the {@code factor²} output phases as channels, and a pixel
 * shuffle interleaves them. For [1,3,3,1] the 1-D phase taps are {@code [1/4, 3/4, 0]} (even) and
 * {@code [0, 3/4, 1/4]} (odd). Declares the {@code kernel} buffer but computes with the fixed
 * kernel. Immutable and thread-safe.
 */
public final class Upsample implements Layer {
  private final String prefix;
  private final double[] kernel1d;
  private final int factor;
  private final int pad0;
  private final int pad1;
  private final Polyphase polyphase;
  private final float[] phaseKernels;

  /** {@code Upsample(kernel, factor)} with its buffer at {@code prefix + "kernel"}. */
  public Upsample(String prefix, double[] kernel1d, int factor) {
    this.prefix = prefix;
    this.kernel1d = kernel1d.clone();
    this.factor = factor;
    int p = kernel1d.length - factor;
    this.pad0 = Math.floorDiv(p + 1, 2) + factor - 1;
    this.pad1 = Math.floorDiv(p, 2);
    this.polyphase = new Polyphase(factor, factor, Blur.separableKernel(kernel1d, factor), pad0, pad1);
    this.phaseKernels = polyphase.zeroInsertionKernels();
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    int len = kernel1d.length;
    spec.buffer(prefix + "kernel", DType.FLOAT32,
        new Init.Fixed(Blur.describe(kernel1d, factor), Blur.makeKernel(kernel1d, factor)), len, len);
  }

  /** Upsamples x {@code [B,C,H,W]} to {@code [B,C,factor·H,factor·W]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    long[] s = ops.shape(x);
    long c = s[1];
    long h = s[2];
    long w = s[3];
    int k = polyphase.taps();
    T weight = ops.constant(phaseKernels, (long) factor * factor, 1, k, k);
    T y = ops.conv2d(ops.reshape(x, -1, 1, h, w), weight, null, 1, polyphase.radius());
    y = ops.reshape(y, -1, c, factor, factor, h, w);
    // [B, C, py, px, H, W] -> [B, C, H, py, W, px]
    y = ops.permute(y, 0, 1, 4, 2, 5, 3);
    return ops.reshape(y, -1, c, h * factor, w * factor);
  }

  @Override
  public String toString() {
    return "Upsample(" + prefix + ", kernel=" + Blur.describe(kernel1d, factor) + ", factor=" + factor
        + ", pad=(" + pad0 + ", " + pad1 + "), polyphase " + polyphase.taps() + "x"
        + polyphase.taps() + ")";
  }
}
