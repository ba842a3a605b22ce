/**
 * pSp for Java: the user-facing API. Start at {@link dev.psp.Psp}.
 *
 * <p>pSp (pixel2style2pixel) encodes an image into the W+ latent space of a fixed StyleGAN2 generator
 * and decodes it: {@code pSp(x) = G(E(x) + w_avg)} (Richardson et al., "Encoding in Style: a StyleGAN
 * Encoder for Image-to-Image Translation", CVPR 2021).
 */
package dev.psp;
