/**
 * Images in and out, exactly as the official scripts do it: Pillow-exact bilinear resizing, per-task
 * normalisation, one-hot label maps, the super-resolution degradation, and the output conversion to
 * 8-bit RGB. Files are decoded by the caller (e.g. {@code javax.imageio.ImageIO}).
 */
package dev.psp.image;
