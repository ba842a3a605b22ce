package dev.psp.nn.encoder;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * {@code torch.nn.PReLU(C)} with one slope per channel: {@code max(x,0) + weight·min(x,0)}. Key
 * {@code weight [C]}. Immutable and thread-safe.
 */
public final class PReLU implements Layer {
  private final String prefix;
  private final int channels;

  /** A PReLU over {@code channels} whose key starts with {@code prefix}. */
  public PReLU(String prefix, int channels) {
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be positive, got " + channels);
    }
    this.prefix = prefix;
    this.channels = channels;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.parameter(prefix + "weight", new Init.Constant(0.25), channels);
  }

  /** Applies the activation to x {@code [B,C,H,W]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T zero = ops.constant(new float[] {0f});
    T a = ops.reshape(ops.param(prefix + "weight"), 1, channels, 1, 1);
    return ops.add(ops.maximum(x, zero), ops.mul(a, ops.minimum(x, zero)));
  }

  @Override
  public String toString() {
    return "PReLU(" + prefix + ", num_parameters=" + channels + ")";
  }
}
