/**
 * Images in and out, exactly as the official scripts do it: Pillow-exact bilinear resizing, per-task
 * normalisation, one-hot label maps, the super-resolution degradation, and the output conversion to
 * 8-bit RGB; and the decoding of untrusted image files within limits ({@link dev.psp.image.ImageFiles}).
 */
package dev.psp.image;
