package dev.psp.training.gan;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.stylegan2.Blur;
import dev.psp.nn.stylegan2.FusedLeakyReLU;
import dev.psp.nn.stylegan2.StyledConv;

/**
 * The discriminator's convolution block ({@code model.ConvLayer}, an {@code nn.Sequential}):
 * optionally a {@link Blur} followed by a stride-2 convolution (downsampling), an {@link
 * EqualConv2d}, then a {@link FusedLeakyReLU} (with bias) or a parameter-free scaled leaky ReLU.
 * Keys are numbered like the Sequential: {@code 0.kernel, 1.weight, 2.bias} when downsampling,
 * {@code 0.weight, 1.bias} otherwise. Immutable and thread-safe.
 */
public final class ConvLayer implements Layer {
  private final String prefix;
  private final Blur blur;
  private final EqualConv2d conv;
  private final FusedLeakyReLU fused;
  private final boolean activate;

  /** {@code ConvLayer(in, out, kernel_size)}: no downsampling, bias and activation. */
  public ConvLayer(String prefix, int inChannels, int outChannels, int kernelSize) {
    this(prefix, inChannels, outChannels, kernelSize, false, StyledConv.DEFAULT_BLUR, true, true);
  }

  /**
   * {@code ConvLayer(in, out, kernel_size, downsample, blur_kernel, bias, activate)}. Downsampling
   * blurs with pads {@code ((p+1)/2, p/2)}, {@code p = len(blur_kernel) - 2 + kernel_size - 1}, and
   * convolves with stride 2 and no padding; otherwise the padding is {@code kernel_size / 2}. The
   * convolution has a bias only without activation ({@code bias and not activate}).
   */
  public ConvLayer(String prefix, int inChannels, int outChannels, int kernelSize,
      boolean downsample, double[] blurKernel, boolean bias, boolean activate) {
    this.prefix = prefix;
    this.activate = activate;
    int index = 0;
    if (downsample) {
      int p = blurKernel.length - 2 + kernelSize - 1;
      this.blur = new Blur(prefix + index++ + ".", blurKernel, (p + 1) / 2, p / 2, 1);
    } else {
      this.blur = null;
    }
    this.conv = new EqualConv2d(prefix + index++ + ".", inChannels, outChannels, kernelSize,
        downsample ? 2 : 1, downsample ? 0 : kernelSize / 2, bias && !activate);
    this.fused = activate && bias ? new FusedLeakyReLU(prefix + index + ".", outChannels) : null;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    if (blur != null) {
      spec.add(blur);
    }
    spec.add(conv);
    if (fused != null) {
      spec.add(fused);
    }
  }

  /** Applies the block to x {@code [B,in,H,W]}; downsampling halves H and W. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T y = blur == null ? x : blur.forward(ops, x);
    y = conv.forward(ops, y);
    if (fused != null) {
      return fused.forward(ops, y);
    }
    if (activate) {
      // ScaledLeakyReLU(0.2)
      return ops.scale(ops.leakyRelu(y, FusedLeakyReLU.NEGATIVE_SLOPE), FusedLeakyReLU.SCALE);
    }
    return y;
  }

  /** Output channels. */
  public int outChannels() {
    return conv.outChannels();
  }

  @Override
  public String toString() {
    return "ConvLayer(" + prefix + ", " + (blur != null ? blur + " -> " : "") + conv
        + (fused != null ? " -> fused_lrelu" : activate ? " -> scaled_lrelu" : "") + ")";
  }
}
