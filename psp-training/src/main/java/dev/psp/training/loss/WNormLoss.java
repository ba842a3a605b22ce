package dev.psp.training.loss;

import dev.psp.nn.TensorOps;
import java.util.Arrays;

/**
 * The W-norm regulariser of w_norm.py: {@code Σ_b ‖latent_b − latent_avg‖_F / B} over a W+ code
 * {@code [B, n_styles, D]}, or {@code Σ_b ‖latent_b‖_F / B} when the encoder does not start from the
 * average latent ({@code start_from_latent_avg=False}). Immutable and thread-safe.
 */
public final class WNormLoss {
  // sqrt(max(s, MIN_NORMAL)): equal to sqrt(s) for every s > 1.2e-38, and keeps the gradient finite
  // (0, like torch.norm's) when a code equals the average exactly, where sqrt would give 0·inf = NaN
  private static final float SMALLEST_SQUARED_NORM = Float.MIN_NORMAL;

  private final boolean startFromLatentAvg;

  /** The loss; {@code startFromLatentAvg} is the official option of the same name. */
  public WNormLoss(boolean startFromLatentAvg) {
    this.startFromLatentAvg = startFromLatentAvg;
  }

  /** Whether the average latent is subtracted first. */
  public boolean startFromLatentAvg() {
    return startFromLatentAvg;
  }

  /**
   * The 0-d loss of {@code latent [B, n_styles, D]}; {@code latentAvg} ({@code [n_styles, D]} or
   * {@code [D]}) is required with start_from_latent_avg and ignored otherwise.
   */
  public <T> T forward(TensorOps<T> ops, T latent, T latentAvg) {
    long[] s = ops.shape(latent);
    if (s.length != 3) {
      throw new IllegalArgumentException("the W-norm loss takes a W+ code [B, n_styles, D], got shape "
          + Arrays.toString(s));
    }
    T d = latent;
    if (startFromLatentAvg) {
      if (latentAvg == null) {
        throw new IllegalArgumentException("latentAvg is required with start_from_latent_avg");
      }
      d = ops.sub(latent, latentAvg);
    }
    T squared = ops.sum(ops.mul(d, d), new int[] {1, 2}, false);
    T norms = ops.sqrt(ops.maximum(squared, ops.constant(new float[] {SMALLEST_SQUARED_NORM})));
    return ops.div(ops.sum(norms, new int[] {0}, false), ops.constant(new float[] {(float) s[0]}));
  }

  @Override
  public String toString() {
    return "WNormLoss(start_from_latent_avg=" + startFromLatentAvg + ")";
  }
}
