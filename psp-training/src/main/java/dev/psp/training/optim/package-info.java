/**
 * Optimizers over named DJL parameters: {@link dev.psp.training.optim.Adam} and the official
 * Ranger, with exportable state for exact resume.
 */
package dev.psp.training.optim;
