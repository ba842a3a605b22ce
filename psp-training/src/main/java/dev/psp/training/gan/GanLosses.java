package dev.psp.training.gan;

import ai.djl.ndarray.NDArray;

/**
 * The logistic GAN losses of StyleGAN2 (Goodfellow et al. 2014; Karras et al. 2019, as in
 * rosinality's train.py), on discriminator logits {@code [B,1]}. Results are scalars attached to
 * the manager of the first logits; they carry gradients when the logits do. Stateless and
 * thread-safe.
 */
public final class GanLosses {
  private GanLosses() {}

  /**
   * The discriminator's loss {@code softplus(-real).mean() + softplus(fake).mean()}: {@code
   * d_logistic_loss}.
   */
  public static NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
    try (NDArray negReal = realLogits.neg();
        NDArray realTerm = negReal.getNDArrayInternal().softPlus();
        NDArray fakeTerm = fakeLogits.getNDArrayInternal().softPlus();
        NDArray realMean = realTerm.mean();
        NDArray fakeMean = fakeTerm.mean()) {
      NDArray loss = realMean.add(fakeMean);
      loss.attach(realLogits.getManager());
      return loss;
    }
  }

  /** The generator's non-saturating loss {@code softplus(-fake).mean()}: {@code g_nonsaturating_loss}. */
  public static NDArray generator(NDArray fakeLogits) {
    try (NDArray neg = fakeLogits.neg(); NDArray term = neg.getNDArrayInternal().softPlus()) {
      NDArray loss = term.mean();
      loss.attach(fakeLogits.getManager());
      return loss;
    }
  }
}
