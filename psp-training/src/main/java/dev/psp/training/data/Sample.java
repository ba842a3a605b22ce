package dev.psp.training.data;

/**
 * One training pair as the encoder and the losses see it: the source (encoder input, {@code
 * [input_nc, 256, 256]}) and the target (the image to reproduce, {@code [3, 256, 256]} in [-1, 1]),
 * both channel-major float arrays.
 *
 * @param source the encoder input
 * @param target the target image
 */
public record Sample(float[] source, float[] target) {}
