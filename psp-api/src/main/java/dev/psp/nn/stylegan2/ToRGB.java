package dev.psp.nn.stylegan2;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The RGB output branch ({@code model.ToRGB}): a non-demodulated 1×1 {@link ModulatedConv2d} to 3
 * channels, plus {@code bias [1,3,1,1]}, plus, when a skip is given, the {@link Upsample}d previous
 * RGB image. Keys in official order: {@code bias}, {@code upsample.kernel}, {@code conv.*}. Immutable
 * and thread-safe.
 */
public final class ToRGB implements Layer {
  private final String prefix;
  private final int inChannel;
  private final Upsample upsample;
  private final ModulatedConv2d conv;

  /** {@code ToRGB(in, style_dim, upsample)} with blur [1,3,3,1]. */
  public ToRGB(String prefix, int inChannel, int styleDim, boolean upsample) {
    this(prefix, inChannel, styleDim, upsample, StyledConv.DEFAULT_BLUR);
  }

  /** The full configuration of {@code ToRGB}. */
  public ToRGB(String prefix, int inChannel, int styleDim, boolean upsample, double[] blurKernel) {
    this.prefix = prefix;
    this.inChannel = inChannel;
    this.upsample = upsample ? new Upsample(prefix + "upsample.", blurKernel, 2) : null;
    this.conv = new ModulatedConv2d(prefix + "conv.", inChannel, 3, 1, styleDim, false, false,
        blurKernel);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.parameter(prefix + "bias", new Init.Constant(0), 1, 3, 1, 1);
    if (upsample != null) {
      spec.add(upsample);
    }
    spec.add(conv);
  }

  /**
   * The RGB image {@code [B,3,H,W]} of x {@code [B,in,H,W]}, plus the upsampled {@code skip
   * [B,3,H/2,W/2]} if it is not null.
   */
  public <T> T forward(TensorOps<T> ops, T x, T style, T skip) {
    T out = conv.forward(ops, x, style, 1, ops.reshape(ops.param(prefix + "bias"), 3));
    if (skip == null) {
      return out;
    }
    if (upsample == null) {
      throw new IllegalArgumentException(prefix + " was built without upsample and takes no skip");
    }
    return ops.add(out, upsample.forward(ops, skip));
  }

  @Override
  public String toString() {
    return "ToRGB(" + prefix + ", in_channel=" + inChannel + ", upsample=" + (upsample != null) + ")";
  }
}
