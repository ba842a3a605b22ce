package dev.psp.nn.encoder;

import dev.psp.io.DType;
import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * {@code torch.nn.BatchNorm2d(C)}. In eval mode: {@code (x - running_mean) / sqrt(running_var + eps)
 * * weight + bias}, computed as {@code x·a + c} with per-channel {@code a = weight·rsqrt(var+eps)}
 * and {@code c = bias - mean·a}. In training mode ({@link TensorOps#training()}) it normalises with
 * the batch mean and biased variance over {@code (B,H,W)} and reports the new running statistics
 * ({@code 0.9·old + 0.1·batch}, the variance unbiased) through {@link TensorOps#updateBuffer}; the
 * trainer increments {@code num_batches_tracked} with every {@code running_mean} it receives. Keys {@code weight, bias} (parameters), {@code running_mean,
 * running_var} and the int64 0-d {@code num_batches_tracked} (buffers). Immutable and thread-safe.
 */
public final class BatchNorm2d implements Layer {
  /** PyTorch's default epsilon. */
  public static final double EPS = 1e-5;
  /** PyTorch's default momentum of the running statistics. */
  public static final double MOMENTUM = 0.1;

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

  /** Normalises x {@code [B,C,H,W]} with the running statistics, or the batch's in training mode. */
  public <T> T forward(TensorOps<T> ops, T x) {
    if (ops.training()) {
      return forwardTraining(ops, x);
    }
    T a = ops.mul(ops.param(prefix + "weight"),
        ops.rsqrt(ops.addScalar(ops.param(prefix + "running_var"), EPS)));
    T c = ops.sub(ops.param(prefix + "bias"), ops.mul(ops.param(prefix + "running_mean"), a));
    return ops.add(ops.mul(x, ops.reshape(a, 1, channels, 1, 1)), ops.reshape(c, 1, channels, 1, 1));
  }

  private <T> T forwardTraining(TensorOps<T> ops, T x) {
    long[] s = ops.shape(x);
    long n = s[0] * s[2] * s[3];
    if (n < 2) {
      throw new IllegalArgumentException("BatchNorm2d " + prefix + " in training mode needs more than"
          + " one value per channel, got input " + java.util.Arrays.toString(s)
          + "; use a batch of at least 2");
    }
    int[] axes = {0, 2, 3};
    T mean = ops.mean(x, axes, true);
    T centred = ops.sub(x, mean);
    T var = ops.mean(ops.mul(centred, centred), axes, true);
    T a = ops.mul(ops.reshape(ops.param(prefix + "weight"), 1, channels, 1, 1),
        ops.rsqrt(ops.addScalar(var, EPS)));
    T y = ops.add(ops.mul(centred, a), ops.reshape(ops.param(prefix + "bias"), 1, channels, 1, 1));
    T runMean = ops.add(ops.scale(ops.param(prefix + "running_mean"), 1 - MOMENTUM),
        ops.scale(ops.reshape(mean, channels), MOMENTUM));
    T runVar = ops.add(ops.scale(ops.param(prefix + "running_var"), 1 - MOMENTUM),
        ops.scale(ops.reshape(var, channels), MOMENTUM * n / (n - 1.0)));
    ops.updateBuffer(prefix + "running_mean", runMean);
    ops.updateBuffer(prefix + "running_var", runVar);
    return y;
  }

  @Override
  public String toString() {
    return "BatchNorm2d(" + prefix + ", " + channels + ", eps=" + EPS + ")";
  }
}
