package dev.psp.nn.encoder;

import dev.psp.io.DType;
import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * {@code torch.nn.BatchNorm2d(C)} in eval mode: {@code (x - running_mean) / sqrt(running_var + eps)
 * * weight + bias}, computed as {@code x·a + c} with per-channel {@code a = weight·rsqrt(var+eps)}
 * and {@code c = bias - mean·a}. Keys {@code weight, bias} (parameters), {@code running_mean,
 * running_var} and the int64 0-d {@code num_batches_tracked} (buffers). Immutable and thread-safe.
 */
public final class BatchNorm2d implements Layer {
  /** PyTorch's default epsilon. */
  public static final double EPS = 1e-5;

  private final String prefix;
  private final int channels;

  /** A BatchNorm over {@code channels} whose keys start with {@code prefix}. */
  public BatchNorm2d(String prefix, int channels) {
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be positive, got " + channels);
    }
    this.prefix = prefix;
    this.channels = channels;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.parameter(prefix + "weight", new Init.Constant(1), channels);
    spec.parameter(prefix + "bias", new Init.Constant(0), channels);
    spec.buffer(prefix + "running_mean", DType.FLOAT32, new Init.Constant(0), channels);
    spec.buffer(prefix + "running_var", DType.FLOAT32, new Init.Constant(1), channels);
    spec.buffer(prefix + "num_batches_tracked", DType.INT64, new Init.Constant(0));
  }

  /** Normalises x {@code [B,C,H,W]} with the running statistics. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T a = ops.mul(ops.param(prefix + "weight"),
        ops.rsqrt(ops.addScalar(ops.param(prefix + "running_var"), EPS)));
    T c = ops.sub(ops.param(prefix + "bias"), ops.mul(ops.param(prefix + "running_mean"), a));
    return ops.add(ops.mul(x, ops.reshape(a, 1, channels, 1, 1)), ops.reshape(c, 1, channels, 1, 1));
  }

  @Override
  public String toString() {
    return "BatchNorm2d(" + prefix + ", " + channels + ", eps=" + EPS + ", eval)";
  }
}
