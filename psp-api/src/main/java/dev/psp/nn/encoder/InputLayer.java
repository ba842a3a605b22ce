package dev.psp.nn.encoder;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The encoder stem ({@code input_layer}, psp_encoders.py:45): bias-free 3×3 conv from {@code
 * input_nc} channels (stride 1, pad 1) → BatchNorm2d → PReLU; keys {@code input_layer.0}, {@code
 * .1}, {@code .2}. Immutable and thread-safe.
 */
public final class InputLayer implements Layer {
  private final String prefix;
  private final int inputNc;
  private final int channels;
  private final Conv2d conv;
  private final BatchNorm2d bn;
  private final PReLU prelu;

  /** The official stem with 64 output channels. */
  public InputLayer(String prefix, int inputNc) {
    this(prefix, inputNc, 64);
  }

  /** A stem with {@code channels} output channels (64 in pSp). */
  public InputLayer(String prefix, int inputNc, int channels) {
    this.prefix = prefix;
    this.inputNc = inputNc;
    this.channels = channels;
    this.conv = new Conv2d(prefix + "0.", inputNc, channels, 3, 1, 1, false);
    this.bn = new BatchNorm2d(prefix + "1.", channels);
    this.prelu = new PReLU(prefix + "2.", channels);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(conv).add(bn).add(prelu);
  }

  /** Maps x {@code [B,input_nc,H,W]} to {@code [B,channels,H,W]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    return prelu.forward(ops, bn.forward(ops, conv.forward(ops, x)));
  }

  @Override
  public String toString() {
    return "InputLayer(" + prefix + ", input_nc=" + inputNc + ", channels=" + channels + ")";
  }
}
