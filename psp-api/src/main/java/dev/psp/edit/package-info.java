/**
 * Latent editing beyond a single {@link dev.psp.Direction}: GANSpace's PCA edits ({@link
 * dev.psp.edit.GanSpace}) and directions learned from labelled examples as InterFaceGAN does ({@link
 * dev.psp.edit.BoundaryLearner}).
 */
package dev.psp.edit;
