package dev.psp.training;

import ai.djl.ndarray.NDArray;
import dev.psp.djl.DjlTensorOps;
import java.util.Map;

/**
 * A training objective: the official {@code Coach.calc_loss} shape. It computes, with {@code ops}
 * (so autograd records it), the total loss of a batch and the values of its terms under the official
 * {@code loss_dict} names ({@code loss_l2}, {@code loss_lpips}, …, and {@code loss} for the total).
 */
@FunctionalInterface
public interface Criterion {

  /**
   * The loss of one batch.
   *
   * @param x the encoder input {@code [B, input_nc, 256, 256]}
   * @param y the targets {@code [B, 3, 256, 256]}
   * @param yHat the outputs {@code [B, 3, 256, 256]} (after {@code face_pool})
   * @param latent the codes the decoder received ({@code [B, n, d]} or {@code [B, d]})
   * @param latentAvg {@code latent_avg} ({@code [n, d]}, {@code [1, d]} or {@code [d]}), or null
   */
  Result compute(DjlTensorOps ops, NDArray x, NDArray y, NDArray yHat, NDArray latent, NDArray latentAvg);

  /**
   * A batch's loss.
   *
   * @param total the scalar to minimise (0-d)
   * @param values each term's value, and {@code loss}, the total
   */
  record Result(NDArray total, Map<String, Double> values) {}
}
