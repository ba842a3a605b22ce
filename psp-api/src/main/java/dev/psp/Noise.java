package dev.psp;

import java.util.OptionalLong;

/**
 * How the generator's per-layer noise is chosen; replaces the official {@code randomize_noise} flag.
 *
 * <p>{@link #fixed()} uses the noise buffers stored in the checkpoint ({@code decoder.noises.noise_i}),
 * as the official inference script does ({@code randomize_noise=False}); results are deterministic.
 * {@link #seeded(long)} draws fresh N(0,1) noise, like {@code randomize_noise=True}, from a generator
 * seeded explicitly: the same seed gives the same image on every engine. There is no hidden global
 * random state.
 */
public final class Noise {
  private static final Noise FIXED = new Noise(null);
  private final Long seed;

  private Noise(Long seed) {
    this.seed = seed;
  }

  /** The stored noise buffers (deterministic; the official inference default). */
  public static Noise fixed() {
    return FIXED;
  }

  /** Fresh Gaussian noise from a generator seeded with {@code seed}. */
  public static Noise seeded(long seed) {
    return new Noise(seed);
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
    return o instanceof Noise n && java.util.Objects.equals(n.seed, seed);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(seed);
  }

  @Override
  public String toString() {
    return seed == null ? "fixed" : "seeded(" + seed + ")";
  }
}
