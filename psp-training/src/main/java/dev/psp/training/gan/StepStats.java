package dev.psp.training.gan;

import java.util.Locale;

/**
 * What one {@link StyleGan2Trainer#step} measured.
 *
 * @param step the index of the step (0 for the first)
 * @param dLoss the discriminator's logistic loss
 * @param gLoss the generator's non-saturating loss
 * @param r1 the R1 penalty on the real batch, or NaN on steps without R1
 * @param realScore the mean logit of the real batch
 * @param fakeScore the mean logit of the generated batch (discriminator step)
 * @param millis the wall time of the step
 */
public record StepStats(long step, double dLoss, double gLoss, double r1, double realScore,
    double fakeScore, double millis) {

  /** A one-line progress report, e.g. {@code step 12: d 1.312 g 0.801 r1 0.0041 real 0.21 fake -0.18 (45 ms)}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "step %d: d %.4f g %.4f r1 %s real %.3f fake %.3f (%.0f ms)",
        step, dLoss, gLoss, Double.isNaN(r1) ? "-" : String.format(Locale.ROOT, "%.4g", r1),
        realScore, fakeScore, millis);
  }
}
