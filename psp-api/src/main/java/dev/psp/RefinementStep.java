package dev.psp;

import dev.psp.io.TensorData;

/**
 * One step of ReStyle's iterative refinement ({@link PspModel#refine}): the code after the step and its
 * reconstruction, as the official {@code run_on_batch} records them.
 *
 * @param index the step, 0 for the first
 * @param code the W+ code {@code [B,n_styles,512]} (latent_avg, or the previous code, plus the encoder's residual)
 * @param image the reconstruction {@code [B,3,S,S]} at the generator's output size, unclamped
 */
public record RefinementStep(int index, LatentCode code, TensorData image) {
}
