package dev.psp.nn.stylegan2;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.Objects;

/**
 * Per-pixel noise ({@code model.NoiseInjection}): {@code x + weight·noise} with a scalar {@code
 * weight [1]} (initialised to 0) and noise {@code [1 or B, 1, H, W]} broadcast over channels. The
 * noise is always an argument; callers pass stored buffers or seeded random maps. Immutable and
 * thread-safe.
 */
public final class NoiseInjection implements Layer {
  private final String prefix;

  /** A noise injection with key {@code prefix + "weight"}. */
  public NoiseInjection(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.parameter(prefix + "weight", new Init.Constant(0), 1);
  }

  /** Adds the weighted noise to x. */
  public <T> T forward(TensorOps<T> ops, T x, T noise) {
    Objects.requireNonNull(noise, () -> "noise for " + prefix + " (pass a stored buffer or seeded noise)");
    return ops.add(x, ops.mul(ops.param(prefix + "weight"), noise));
  }

  /** {@code x + (gain·weight)·noise}. */
  <T> T forward(TensorOps<T> ops, T x, T noise, double gain) {
    Objects.requireNonNull(noise, () -> "noise for " + prefix + " (pass a stored buffer or seeded noise)");
    T weight = ops.param(prefix + "weight");
    return ops.add(x, ops.mul(gain == 1 ? weight : ops.scale(weight, gain), noise));
  }

  @Override
  public String toString() {
    return "NoiseInjection(" + prefix + ")";
  }
}
