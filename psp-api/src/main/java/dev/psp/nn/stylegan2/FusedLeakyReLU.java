package dev.psp.nn.stylegan2;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * {@code FusedLeakyReLU(C)} (op/fused_act.py): add {@code bias [C]} along dim 1, leaky ReLU with
 * slope 0.2, multiply by √2. Key {@code bias} (initialised to zeros). Immutable and thread-safe.
 */
public final class FusedLeakyReLU implements Layer {
  /** The negative slope. */
  public static final double NEGATIVE_SLOPE = 0.2;
  /** The gain applied after the activation. */
  public static final double SCALE = Math.sqrt(2);

  private final String prefix;
  private final int channels;

  /** The activation over {@code channels}, key {@code prefix + "bias"}. */
  public FusedLeakyReLU(String prefix, int channels) {
    this.prefix = prefix;
    this.channels = channels;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.parameter(prefix + "bias", new Init.Constant(0), channels);
  }

  /** Applies the activation with this layer's bias. */
  public <T> T forward(TensorOps<T> ops, T x) {
    return apply(ops, x, ops.param(prefix + "bias"));
  }

  /** This layer's bias {@code [C]}. */
  <T> T bias(TensorOps<T> ops) {
    return ops.param(prefix + "bias");
  }

  /** {@code fused_leaky_relu(x, bias)}: bias {@code [C]} added along dim 1 of x {@code [B,C,...]}. */
  public static <T> T apply(TensorOps<T> ops, T x, T bias) {
    int rank = ops.shape(x).length;
    T b = bias;
    if (rank > 2) {
      long[] s = new long[rank];
      java.util.Arrays.fill(s, 1);
      s[1] = -1;
      b = ops.reshape(bias, s);
    }
    return ops.scale(ops.leakyRelu(ops.add(x, b), NEGATIVE_SLOPE), SCALE);
  }

  @Override
  public String toString() {
    return "FusedLeakyReLU(" + prefix + ", " + channels + ", slope=0.2, scale=√2)";
  }
}
