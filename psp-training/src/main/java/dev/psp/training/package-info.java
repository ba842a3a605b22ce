/**
 * Training pSp and StyleGAN2 in Java, on DJL's PyTorch engine with autograd, through the same
 * network definition that inference uses ({@link dev.psp.nn}).
 *
 * <p>Subpackages: {@code loss} (the paper's losses and their networks), {@code optim} (Ranger and
 * Adam), {@code data} (paired datasets and each task's transforms), {@code synthetic} (a procedural
 * face domain), {@code gan} (StyleGAN2 training).
 */
package dev.psp.training;
