package dev.psp.nn.encoder;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * {@code torch.nn.Linear(in, out)}: {@code x·Wᵀ + b}, keys {@code weight [out,in]} and {@code bias
 * [out]}. Used by {@code output_layer_2}; the StyleGAN2-style layers use {@link
 * dev.psp.nn.stylegan2.EqualLinear}. Immutable and thread-safe.
 */
public final class Linear implements Layer {
  private final String prefix;
  private final int inFeatures;
  private final int outFeatures;

  /** A linear layer whose keys start with {@code prefix}. */
  public Linear(String prefix, int inFeatures, int outFeatures) {
    if (inFeatures < 1 || outFeatures < 1) {
      throw new IllegalArgumentException(
          "invalid Linear configuration: in=" + inFeatures + " out=" + outFeatures);
    }
    this.prefix = prefix;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    Init u = new Init.Uniform(1.0 / Math.sqrt(inFeatures));
    spec.parameter(prefix + "weight", u, outFeatures, inFeatures);
    spec.parameter(prefix + "bias", u, outFeatures);
  }

  /** Maps x {@code [B,in]} to {@code [B,out]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T w = ops.param(prefix + "weight");
    return ops.add(ops.matmul(x, ops.permute(w, 1, 0)), ops.param(prefix + "bias"));
  }

  @Override
  public String toString() {
    return "Linear(" + prefix + ", in_features=" + inFeatures + ", out_features=" + outFeatures + ")";
  }
}
