package dev.psp.training.gan;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The discriminator's residual block ({@code model.ResBlock}): {@code conv1} (3×3, in → in),
 * {@code conv2} (blur, 3×3 stride 2, in → out) and the linear {@code skip} (blur, 1×1 stride 2, no
 * bias), summed and divided by √2. Halves the resolution. Immutable and thread-safe.
 */
public final class ResBlock implements Layer {
  private static final double INV_SQRT2 = 1 / Math.sqrt(2);

  private final String prefix;
  private final ConvLayer conv1;
  private final ConvLayer conv2;
  private final ConvLayer skip;

  /** {@code ResBlock(in, out, blur_kernel)} with keys under {@code prefix}. */
  public ResBlock(String prefix, int inChannels, int outChannels, double[] blurKernel) {
    this.prefix = prefix;
    this.conv1 = new ConvLayer(prefix + "conv1.", inChannels, inChannels, 3, false, blurKernel, true,
        true);
    this.conv2 = new ConvLayer(prefix + "conv2.", inChannels, outChannels, 3, true, blurKernel, true,
        true);
    this.skip = new ConvLayer(prefix + "skip.", inChannels, outChannels, 1, true, blurKernel, false,
        false);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(conv1).add(conv2).add(skip);
  }

  /** Maps x {@code [B,in,H,W]} to {@code [B,out,H/2,W/2]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T out = conv2.forward(ops, conv1.forward(ops, x));
    return ops.scale(ops.add(out, skip.forward(ops, x)), INV_SQRT2);
  }

  @Override
  public String toString() {
    return "ResBlock(" + prefix + ", " + conv1 + ", " + conv2 + ", " + skip + ")";
  }
}
