package dev.psp.internal;

import java.util.Random;

/**
 * Seeded standard-normal draws. {@link Random#nextGaussian()} is specified to the bit by its Javadoc,
 * so a seed gives the same values on every JVM and every engine. Not API.
 */
public final class Gaussian {
  private Gaussian() {}

  /** {@code n} N(0, 1) values from a generator seeded with {@code seed}. */
  public static float[] sample(long seed, int n) {
    return sample(new Random(seed), n);
  }

  /** {@code n} N(0, 1) values drawn from {@code random}. */
  public static float[] sample(Random random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
