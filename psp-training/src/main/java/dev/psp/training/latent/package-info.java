/**
 * Optimization after encoding: gradient steps on an encoder's W+ codes that bring the frozen
 * generator's output closer to a target image ({@link dev.psp.training.latent.LatentOptimizer}).
 */
package dev.psp.training.latent;
