package dev.psp.training.gan;

import dev.psp.nn.TensorOps;
import dev.psp.nn.stylegan2.Generator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Mixing regularisation (Karras et al. 2019, §3.1; {@code mixing_noise} of rosinality's train.py
 * and the two-style branch of {@code Generator.forward}): with probability p a batch uses two
 * latents z1, z2 and a crossover index i drawn uniformly from [1, n_latent - 1]; W+ rows before i
 * come from w1 = mapping(z1), the rest from w2 = mapping(z2). One index per batch, as in the
 * official code. Stateless and thread-safe.
 */
public final class MixingNoise {
  /** StyleGAN2's mixing probability. */
  public static final double STYLEGAN2_PROBABILITY = 0.9;

  private MixingNoise() {}

  /**
   * The latents of one batch.
   *
   * @param batch the batch size B
   * @param z1 the first latents, {@code [B,style_dim]} row-major
   * @param z2 the second latents, or null without mixing
   * @param injectIndex the crossover row in [1, n_latent - 1] when mixing, n_latent otherwise
   */
  public record Latents(int batch, float[] z1, float[] z2, int injectIndex) {
    /** True when this batch mixes two styles. */
    public boolean mixing() {
      return z2 != null;
    }
  }

  /**
   * Draws the latents of a batch from {@code rng}: first the mixing decision, then z1 and z2
   * (standard normal), then the crossover index.
   */
  public static Latents sample(RandomGenerator rng, int batch, int styleDim, int nLatent,
      double probability) {
    if (batch < 1 || styleDim < 1 || nLatent < 2 || !(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("invalid mixing request: batch=" + batch + " style_dim="
          + styleDim + " n_latent=" + nLatent + " probability=" + probability);
    }
    boolean mix = probability > 0 && rng.nextDouble() < probability;
    float[] z1 = gaussian(rng, batch * styleDim);
    float[] z2 = mix ? gaussian(rng, batch * styleDim) : null;
    int index = mix ? 1 + rng.nextInt(nLatent - 1) : nLatent;
    return new Latents(batch, z1, z2, index);
  }

  /** {@code n} standard normal floats. */
  static float[] gaussian(RandomGenerator rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  /**
   * The generator's input for mapped latents: w1 {@code [B,style_dim]} alone when w2 is null (every
   * row the same), else W+ {@code [B,n_latent,style_dim]} with rows {@code [0, injectIndex)} from
   * w1 and the rest from w2.
   */
  public static <T> T codes(TensorOps<T> ops, Generator g, T w1, T w2, int injectIndex) {
    if (w2 == null) {
      return w1;
    }
    int n = g.nLatent();
    if (injectIndex < 1 || injectIndex >= n) {
      throw new IllegalArgumentException("inject index must be in [1, " + (n - 1) + "], got "
          + injectIndex);
    }
    return ops.concat(List.of(rows(ops, g, w1, injectIndex), rows(ops, g, w2, n - injectIndex)), 1);
  }

  /** w {@code [B,S]} repeated as {@code [B,k,S]}. */
  private static <T> T rows(TensorOps<T> ops, Generator g, T w, int k) {
    int s = g.styleDim();
    return ops.add(ops.reshape(w, -1, 1, s), ops.constant(new float[k * s], 1, k, s));
  }
}
