/**
 * The StyleGAN2 generator of the rosinality port (models/stylegan2/model.py), the pSp decoder:
 * mapping network, modulated convolutions (one shared convolution per layer; upsampling in
 * polyphase form, without transposed convolution), noise injection, ToRGB with FIR-upsampled skips,
 * and the {@link dev.psp.nn.stylegan2.Generator} that derives the architecture from its size.
 */
package dev.psp.nn.stylegan2;
