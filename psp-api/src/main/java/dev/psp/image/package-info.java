/**
 * Images in and out, exactly as the official scripts do it: Pillow-compatible decoding and bilinear
 * resizing, per-task normalisation, one-hot label maps, and the output conversion to 8-bit RGB.
 */
package dev.psp.image;
