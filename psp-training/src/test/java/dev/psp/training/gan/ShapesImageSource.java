package dev.psp.training.gan;

import dev.psp.training.data.ImageSource;
import java.util.SplittableRandom;

/**
 * A fixed toy image distribution for GAN tests: on a uniform background of one colour, one disc
 * or axis-aligned square of a random colour, position and size; values in [-1, 1]. Image i is
 * drawn from a generator seeded by (seed, i), so the source is deterministic.
 */
final class ShapesImageSource implements ImageSource {
  /** The background colour, far from the grey 0 an untrained generator's outputs average to. */
  static final float[] BACKGROUND = {0.7f, -0.6f, 0.3f};

  private final int count;
  private final int size;
  private final long seed;

  ShapesImageSource(int count, int size, long seed) {
    this.count = count;
    this.size = size;
    this.seed = seed;
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
    SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
    float[] colour = {(float) rng.nextDouble(-1, 1), (float) rng.nextDouble(-1, 1),
        (float) rng.nextDouble(-1, 1)};
    double radius = size * rng.nextDouble(0.15, 0.35);
    double cx = rng.nextDouble(radius, size - radius);
    double cy = rng.nextDouble(radius, size - radius);
    boolean disc = rng.nextBoolean();
    float[] img = new float[3 * size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        boolean inside = disc ? dx * dx + dy * dy <= radius * radius
            : Math.abs(dx) <= radius && Math.abs(dy) <= radius;
        for (int c = 0; c < 3; c++) {
          img[(c * size + y) * size + x] = inside ? colour[c] : BACKGROUND[c];
        }
      }
    }
    return img;
  }

  /** The mean of each channel over all images. */
  double[] channelMeans() {
    double[] m = new double[3];
    int plane = size * size;
    for (int i = 0; i < count; i++) {
      float[] img = image(i);
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < plane; p++) {
          m[c] += img[c * plane + p];
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      m[c] /= (double) count * plane;
    }
    return m;
  }
}
