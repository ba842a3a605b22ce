/**
 * The eager engine on DJL's PyTorch engine: {@link dev.psp.djl.DjlTensorOps} runs the single
 * network definition of {@link dev.psp.nn} on NDArrays (CPU, with autograd for training). DJL runs
 * offline here ({@code ai.djl.offline=true}); the native library comes from the
 * pytorch-native-cpu artifact.
 */
package dev.psp.djl;
