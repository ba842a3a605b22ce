package dev.psp.nn.encoder;

import dev.psp.nn.AdaptiveAvgPool2d;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The head of the naive W+ encoder ({@code output_layer_2}, psp_encoders.py:166): BatchNorm2d(C) →
 * AdaptiveAvgPool2d((7,7)) (overlapping windows on a 16×16 map) → flatten in C,H,W order → plain
 * {@code nn.Linear(C·49, out)}. Keys {@code output_layer_2.0} (BatchNorm) and {@code
 * output_layer_2.3} (Linear). Immutable and thread-safe.
 */
public final class OutputLayer2 implements Layer {
  private final String prefix;
  private final int channels;
  private final int outFeatures;
  private final BatchNorm2d bn;
  private final AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(7, 7);
  private final Linear linear;

  /** The head over {@code channels} (512 in pSp) with {@code outFeatures} outputs (512). */
  public OutputLayer2(String prefix, int channels, int outFeatures) {
    this.prefix = prefix;
    this.channels = channels;
    this.outFeatures = outFeatures;
    this.bn = new BatchNorm2d(prefix + "0.", channels);
    this.linear = new Linear(prefix + "3.", channels * 49, outFeatures);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(bn).add(linear);
  }

  /** Maps x {@code [B,C,H,W]} to {@code [B,out]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T pooled = pool.forward(ops, bn.forward(ops, x));
    return linear.forward(ops, ops.reshape(pooled, -1, (long) channels * 49));
  }

  @Override
  public String toString() {
    return "OutputLayer2(" + prefix + ", channels=" + channels + ", pool=7x7, out_features="
        + outFeatures + ")";
  }
}
