package dev.psp.nn.stylegan2;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.Collections;

/**
 * The learned constant that starts the synthesis network ({@code model.ConstantInput}): {@code
 * input [1,C,size,size]} ~ N(0,1). Immutable and thread-safe.
 */
public final class ConstantInput implements Layer {
  private final String prefix;
  private final int channel;
  private final int size;

  /** {@code ConstantInput(channel, size)} with key {@code prefix + "input"}. */
  public ConstantInput(String prefix, int channel, int size) {
    this.prefix = prefix;
    this.channel = channel;
    this.size = size;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.parameter(prefix + "input", new Init.Normal(1), 1, channel, size, size);
  }

  /**
   * The constant {@code [1,C,size,size]}. The generator relies on broadcasting: the first
   * modulated convolution multiplies it by the per-sample styles, which yields the batch.
   */
  public <T> T forward(TensorOps<T> ops) {
    return ops.param(prefix + "input");
  }

  /** The constant repeated over a batch, {@code [batch,C,size,size]}, as the official forward does. */
  public <T> T forward(TensorOps<T> ops, int batch) {
    T c = ops.param(prefix + "input");
    return batch == 1 ? c : ops.concat(Collections.nCopies(batch, c), 0);
  }

  @Override
  public String toString() {
    return "ConstantInput(" + prefix + ", " + channel + ", size=" + size + ")";
  }
}
