package dev.psp.training.data;

/**
 * Training images for {@link dev.psp.training.gan.StyleGan2Trainer}: a fixed-size indexed collection of RGB images in
 * CHW order with values in [-1, 1] (what {@code transforms.Normalize((0.5,)*3, (0.5,)*3)} gives in
 * rosinality's train.py). Implementations must return the same image for the same index; they
 * are called from the training thread only.
 */
public interface ImageSource {

  /** The number of images (at least 1). */
  int count();

  /** The side length S of every image. */
  int resolution();

  /** Image {@code index} (0 ≤ index &lt; count) as {@code [3,S,S]} floats in [-1, 1]. */
  float[] image(int index);
}
