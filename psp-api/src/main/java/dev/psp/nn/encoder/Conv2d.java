package dev.psp.nn.encoder;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * {@code torch.nn.Conv2d(in, out, kernel, stride, padding, bias)} with square kernels and one group;
 * keys {@code weight [out,in,k,k]} and, with bias, {@code bias [out]}. Immutable and thread-safe.
 */
public final class Conv2d implements Layer {
  private final String prefix;
  private final int inChannels;
  private final int outChannels;
  private final int kernelSize;
  private final int stride;
  private final int padding;
  private final boolean bias;

  /** A convolution whose keys start with {@code prefix} (e.g. {@code encoder.latlayer1.}). */
  public Conv2d(
      String prefix, int inChannels, int outChannels, int kernelSize, int stride, int padding,
      boolean bias) {
    if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0) {
      throw new IllegalArgumentException("invalid Conv2d configuration: in=" + inChannels + " out="
          + outChannels + " kernel=" + kernelSize + " stride=" + stride + " padding=" + padding);
    }
    this.prefix = prefix;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
    this.bias = bias;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    // PyTorch default init: kaiming_uniform(a=sqrt(5)) = U(±1/sqrt(fan_in)), bias the same bound
    Init u = new Init.Uniform(1.0 / Math.sqrt((double) inChannels * kernelSize * kernelSize));
    spec.parameter(prefix + "weight", u, outChannels, inChannels, kernelSize, kernelSize);
    if (bias) {
      spec.parameter(prefix + "bias", u, outChannels);
    }
  }

  /** Convolves x {@code [B,in,H,W]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T b = bias ? ops.param(prefix + "bias") : null;
    return ops.conv2d(x, ops.param(prefix + "weight"), b, stride, padding);
  }

  /** Output channels. */
  public int outChannels() {
    return outChannels;
  }

  @Override
  public String toString() {
    return "Conv2d(" + prefix + ", " + inChannels + ", " + outChannels + ", kernel_size="
        + kernelSize + ", stride=" + stride + ", padding=" + padding + ", bias=" + bias + ")";
  }
}
