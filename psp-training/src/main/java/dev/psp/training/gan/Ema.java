package dev.psp.training.gan;

import ai.djl.ndarray.NDArray;
import java.util.Collection;
import java.util.Map;

/**
 * The exponential moving average of generator weights (Karras et al. 2018; {@code accumulate} of
 * rosinality's train.py): {@code ema = decay·ema + (1-decay)·model}, in place, for the given keys
 * (the parameters; buffers are not averaged). Call it outside any GradientCollector. Stateless and
 * thread-safe; the arrays are not.
 */
public final class Ema {
  /** StyleGAN2's decay per step, {@code 0.5^(32/10000)}: a half-life of 10k images at batch 32. */
  public static final double STYLEGAN2_DECAY = Math.pow(0.5, 32.0 / (10 * 1000));

  private Ema() {}

  /**
   * Moves each {@code ema[k]} towards {@code model[k]}: {@code decay = 0} copies, {@code decay = 1}
   * keeps.
   *
   * @throws IllegalArgumentException if decay is outside [0, 1] or a key or shape is missing
   */
  public static void accumulate(Map<String, NDArray> ema, Map<String, NDArray> model,
      Collection<String> keys, double decay) {
    if (!(decay >= 0 && decay <= 1)) {
      throw new IllegalArgumentException("decay must be in [0, 1], got " + decay);
    }
    for (String k : keys) {
      NDArray e = ema.get(k);
      NDArray m = model.get(k);
      if (e == null || m == null || !e.getShape().equals(m.getShape())) {
        throw new IllegalArgumentException("cannot average " + k + ": ema "
            + (e == null ? "missing" : e.getShape()) + ", model " + (m == null ? "missing" : m.getShape()));
      }
      try (NDArray detached = m.stopGradient(); NDArray part = detached.mul((float) (1 - decay))) {
        e.muli((float) decay).addi(part);
      }
    }
  }
}
