package dev.psp.nn.encoder;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * Squeeze-and-excitation gate ({@code helpers.SEModule(channels, reduction)}, Hu et al. 2018):
 * global average → bias-free 1×1 conv {@code fc1} to {@code channels/reduction} → ReLU → bias-free
 * 1×1 conv {@code fc2} back to {@code channels} → sigmoid → per-channel multiplication of the input.
 * The reduced width is {@code channels // reduction} (4, 8, 16, 32 in IR-SE-50; 1 for 16 channels).
 * Immutable and thread-safe.
 */
public final class SEModule implements Layer {
  private final String prefix;
  private final int channels;
  private final int reduction;
  private final Conv2d fc1;
  private final Conv2d fc2;

  /** An SE gate whose keys start with {@code prefix} (e.g. {@code encoder.body.0.res_layer.5.}). */
  public SEModule(String prefix, int channels, int reduction) {
    if (channels < 1 || reduction < 1) {
      throw new IllegalArgumentException("channels and reduction must be positive, got " + channels + ", "
          + reduction);
    }
    // channels // reduction as in the official code; at least 1 for the narrow networks of small
    // architectures (the official widths never go below 64, so this never changes them)
    int reduced = Math.max(1, channels / reduction);
    this.prefix = prefix;
    this.channels = channels;
    this.reduction = reduction;
    this.fc1 = new Conv2d(prefix + "fc1.", channels, reduced, 1, 1, 0, false);
    this.fc2 = new Conv2d(prefix + "fc2.", reduced, channels, 1, 1, 0, false);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(fc1).add(fc2);
  }

  /** The gate {@code [B,C,1,1]} for x {@code [B,C,H,W]}. */
  public <T> T gate(TensorOps<T> ops, T x) {
    T pooled = ops.mean(x, new int[] {2, 3}, true);
    return ops.sigmoid(fc2.forward(ops, ops.relu(fc1.forward(ops, pooled))));
  }

  /** {@code x · gate(x)}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    return ops.mul(x, gate(ops, x));
  }

  @Override
  public String toString() {
    return "SEModule(" + prefix + ", channels=" + channels + ", reduction=" + reduction + ")";
  }
}
