package dev.psp.training.data;

import dev.psp.image.Planes;
import dev.psp.training.data.ImageSource;
import dev.psp.synthetic.SyntheticFaces;

/**
 * Faces of the synthetic domain as StyleGAN2 training images: image {@code i} is {@link
 * SyntheticFaces#sample}{@code (seed, i, size)} in [-1, 1], rendered on access.
 */
public final class SyntheticImages implements ImageSource {
  private final long seed;
  private final int count;
  private final int size;

  /** {@code count} faces of {@code seed} at {@code size} px. */
  public SyntheticImages(long seed, int count, int size) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    this.seed = seed;
    this.count = count;
    this.size = size;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public int resolution() {
    return size;
  }

  @Override
  public float[] image(int index) {
    int[][] planes = Planes.rgb(SyntheticFaces.sample(seed, index, size).image());
    int plane = size * size;
    float[] out = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        // ToTensor and Normalize((0.5,), (0.5,)) in float32, as Preprocessing.rgb
        out[c * plane + i] = ((planes[c][i] / 255f) - 0.5f) / 0.5f;
      }
    }
    return out;
  }
}
