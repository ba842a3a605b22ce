package dev.psp.nn.stylegan2;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * A StyleGAN2 synthesis layer ({@code model.StyledConv}): {@link ModulatedConv2d} → {@link
 * NoiseInjection} → {@link FusedLeakyReLU}; keys {@code conv.*}, {@code noise.weight}, {@code
 * activate.bias}. Immutable and thread-safe.
 */
public final class StyledConv implements Layer {
  /** The blur kernel {@code [1,3,3,1]} used throughout StyleGAN2. */
  public static final double[] DEFAULT_BLUR = {1, 3, 3, 1};

  private final String prefix;
  private final ModulatedConv2d conv;
  private final NoiseInjection noise;
  private final FusedLeakyReLU activate;

  /** {@code StyledConv(in, out, k, style_dim, upsample)} with blur [1,3,3,1], demodulated. */
  public StyledConv(String prefix, int inChannel, int outChannel, int kernelSize, int styleDim,
      boolean upsample) {
    this(prefix, inChannel, outChannel, kernelSize, styleDim, upsample, DEFAULT_BLUR, true);
  }

  /** The full configuration of {@code StyledConv}. */
  public StyledConv(String prefix, int inChannel, int outChannel, int kernelSize, int styleDim,
      boolean upsample, double[] blurKernel, boolean demodulate) {
    this.prefix = prefix;
    this.conv = new ModulatedConv2d(prefix + "conv.", inChannel, outChannel, kernelSize, styleDim,
        demodulate, upsample, blurKernel);
    this.noise = new NoiseInjection(prefix + "noise.");
    this.activate = new FusedLeakyReLU(prefix + "activate.", outChannel);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(conv).add(noise).add(activate);
  }

  /**
   * Applies the layer; noise is {@code [1 or B,1,H',W']} at the output resolution.
   *
   * <p>Computed as {@code leaky_relu(√2·conv + √2·bias + (√2·noise_weight)·noise, 0.2)}, which equals
   * the official {@code leaky_relu(conv + noise_weight·noise + bias, 0.2)·√2} up to float rounding
   * (leaky ReLU is positively homogeneous): the √2 lands on the conv's weight or coefficients and on
   * the small bias and noise-weight tensors, and the convolution adds the bias where it can, which
   * saves up to two passes over the output.
   */
  public <T> T forward(TensorOps<T> ops, T x, T style, T noiseMap) {
    double g = FusedLeakyReLU.SCALE;
    // scoped: an eager engine frees the convolution's intermediates, then the noise sum
    T y = ops.scoped(() -> conv.forward(ops, x, style, g, ops.scale(activate.bias(ops), g)));
    return ops.scoped(() -> ops.leakyRelu(noise.forward(ops, y, noiseMap, g), FusedLeakyReLU.NEGATIVE_SLOPE));
  }

  /** The modulated convolution. */
  public ModulatedConv2d conv() {
    return conv;
  }

  @Override
  public String toString() {
    return "StyledConv(" + prefix + ", " + conv + ")";
  }
}
