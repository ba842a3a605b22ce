package dev.psp;

import java.util.OptionalLong;

/**
 * How the generator's per-layer noise is chosen; replaces the official {@code randomize_noise} flag.
 *
 * <p>{@link #fixed()} uses the noise buffers stored in the checkpoint ({@code decoder.noises.noise_i}),
 * as the official inference script does ({@code randomize_noise=False}); results are deterministic.
 * {@link #seeded(long)} draws fresh N(0,1) noise, like {@code randomize_noise=True}, from generators
 * seeded explicitly: the same seed gives the same image on every engine. Each sample of a batch has
 * its own stream, a function of the seed and of the sample's stream number alone (b for sample b, or
 * numbered {@link #fromSample(long) from} a given number, or {@link #withStreams(long...) given} one
 * by one), so an image does not depend on what else shares its batch. There is no hidden global random
 * state.
 */
public final class Noise {
  private static final Noise FIXED = new Noise(null, 0, null);
  private final Long seed;
  private final long firstSample;
  private final long[] streams;

  private Noise(Long seed, long firstSample, long[] streams) {
    this.seed = seed;
    this.firstSample = firstSample;
    this.streams = streams;
  }

  /** The stored noise buffers (deterministic; the official inference default). */
  public static Noise fixed() {
    return FIXED;
  }

  /** Fresh Gaussian noise from {@code seed}: sample b of a batch draws from stream b of the seed. */
  public static Noise seeded(long seed) {
    return new Noise(seed, 0, null);
  }

  /**
   * This noise with the batch's samples numbered from {@code first}: sample b draws from stream {@code
   * first + b}, so a large input split into batches gets the same images whatever the batch size
   * (the batch that starts at input i takes {@code fromSample(i)}). Fixed noise is returned as it is.
   */
  public Noise fromSample(long first) {
    if (first < 0) {
      throw new IllegalArgumentException("the first sample's number must be >= 0, got " + first);
    }
    return seed == null ? this : new Noise(seed, first, null);
  }

  /**
   * This noise with sample b of the batch drawing from stream {@code numbers[b]} (the batch must have
   * {@code numbers.length} samples): for batches of inputs that are not consecutive, e.g. the ones
   * left when finished outputs are skipped. Fixed noise is returned as it is.
   */
  public Noise withStreams(long... numbers) {
    for (long n : numbers) {
      if (n < 0) {
        throw new IllegalArgumentException("stream numbers must be >= 0, got " + n);
      }
    }
    if (numbers.length == 0) {
      throw new IllegalArgumentException("withStreams needs one stream number per sample, got none");
    }
    return seed == null ? this : new Noise(seed, 0, numbers.clone());
  }

  /** The stream number of sample b of a batch of {@code batch} samples. */
  long stream(int b, int batch) {
    if (streams == null) {
      return firstSample + b;
    }
    if (streams.length != batch) {
      throw new IllegalArgumentException("the noise has " + streams.length + " stream numbers, the batch "
          + batch + " samples");
    }
    return streams[b];
  }

  /** True for the stored buffers. */
  public boolean isFixed() {
    return seed == null;
  }

  /** The seed of random noise; empty for fixed noise. */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Noise n && java.util.Objects.equals(n.seed, seed) && n.firstSample == firstSample
        && java.util.Arrays.equals(n.streams, streams);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(seed, firstSample) * 31 + java.util.Arrays.hashCode(streams);
  }

  @Override
  public String toString() {
    if (seed == null) {
      return "fixed";
    }
    return "seeded(" + seed + (streams != null ? ", streams " + java.util.Arrays.toString(streams)
        : firstSample == 0 ? "" : ", from sample " + firstSample) + ")";
  }
}
