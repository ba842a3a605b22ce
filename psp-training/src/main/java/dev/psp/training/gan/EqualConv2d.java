package dev.psp.training.gan;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The equalized-learning-rate convolution ({@code model.EqualConv2d}, Karras et al. 2018): stored
 * weight {@code [out,in,k,k]} ~ N(0,1), used as {@code weight / sqrt(in·k²)}; optional bias {@code
 * [out]} (zeros). Keys {@code weight}, {@code bias}. Immutable and thread-safe.
 */
public final class EqualConv2d implements Layer {
  private final String prefix;
  private final int inChannels;
  private final int outChannels;
  private final int kernelSize;
  private final int stride;
  private final int padding;
  private final boolean bias;
  private final double scale;

  /** {@code EqualConv2d(in, out, kernel_size, stride, padding, bias)} with keys under {@code prefix}. */
  public EqualConv2d(String prefix, int inChannels, int outChannels, int kernelSize, int stride,
      int padding, boolean bias) {
    if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0) {
      throw new IllegalArgumentException("invalid EqualConv2d configuration: in=" + inChannels
          + " out=" + outChannels + " kernel=" + kernelSize + " stride=" + stride + " padding="
          + padding);
    }
    this.prefix = prefix;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
    this.bias = bias;
    this.scale = 1 / Math.sqrt((double) inChannels * kernelSize * kernelSize);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.parameter(prefix + "weight", new Init.Normal(1), outChannels, inChannels, kernelSize,
        kernelSize);
    if (bias) {
      spec.parameter(prefix + "bias", new Init.Constant(0), outChannels);
    }
  }

  /** Convolves x {@code [B,in,H,W]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T w = ops.scale(ops.param(prefix + "weight"), scale);
    return ops.conv2d(x, w, bias ? ops.param(prefix + "bias") : null, stride, padding);
  }

  /** Output channels. */
  public int outChannels() {
    return outChannels;
  }

  @Override
  public String toString() {
    return "EqualConv2d(" + prefix + ", " + inChannels + ", " + outChannels + ", " + kernelSize
        + ", stride=" + stride + ", padding=" + padding + ", bias=" + bias + ")";
  }
}
