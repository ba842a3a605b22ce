/**
 * The StyleGAN2 generator of the rosinality port (models/stylegan2/model.py), the pSp decoder:
 * mapping network, modulated convolutions (one shared convolution per layer, or the per-sample
 * weight for a single sample; the upsampling transposed convolution in polyphase form, then the
 * blur), noise injection, ToRGB with FIR-upsampled skips,
 * and the {@link dev.psp.nn.stylegan2.Generator} that derives the architecture from its size.
 */
package dev.psp.nn.stylegan2;
