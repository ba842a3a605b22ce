/**
 * Files in and out: the safe pure-Java reader of PyTorch {@code .pt} checkpoints and the NumPy
 * {@code .npy} codec. No native code, no Python.
 */
package dev.psp.io;
