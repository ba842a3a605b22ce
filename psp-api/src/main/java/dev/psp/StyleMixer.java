package dev.psp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-modal synthesis by style mixing (paper §4.2): keep the coarse rows of an input's code and
 * take the chosen rows from a random w, blended by alpha — the official {@code latent_mask},
 * {@code inject_latent} and {@code mix_alpha}. Immutable and thread-safe.
 */
public final class StyleMixer {
  private final int[] layers;
  private final double alpha;

  private StyleMixer(int[] layers, double alpha) {
    this.layers = layers;
    this.alpha = alpha;
  }

  /**
   * A mixer for the given W+ rows (0-based, like the official {@code latent_mask}).
   *
   * @param alpha weight of the injected code, in [0, 1]; 1 replaces the rows
   */
  public static StyleMixer of(int[] layers, double alpha) {
    if (layers.length == 0) {
      throw new IllegalArgumentException("layers must not be empty");
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
    for (int l : layers) {
      if (l < 0) {
        throw new IllegalArgumentException("layers must be >= 0, got " + l);
      }
    }
    return new StyleMixer(layers.clone(), alpha);
  }

  /** Rows {@code from..to} inclusive, e.g. {@code range(8, 17, 1.0)} as the official sketch and segmentation demos use. */
  public static StyleMixer range(int from, int to, double alpha) {
    if (to < from) {
      throw new IllegalArgumentException("empty layer range " + from + "-" + to);
    }
    int[] l = new int[to - from + 1];
    for (int i = 0; i < l.length; i++) {
      l[i] = from + i;
    }
    return of(l, alpha);
  }

  /**
   * Parses {@code "8-17"} or {@code "8,9,12-15"}.
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static int[] parseLayers(String spec) {
    List<Integer> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      try {
        int dash = p.indexOf('-', 1);
        if (dash > 0) {
          int a = Integer.parseInt(p.substring(0, dash).trim());
          int b = Integer.parseInt(p.substring(dash + 1).trim());
          if (b < a) {
            throw new IllegalArgumentException("empty layer range '" + p + "'");
          }
          for (int i = a; i <= b; i++) {
            out.add(i);
          }
        } else {
          out.add(Integer.parseInt(p));
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad layer list '" + spec + "' at '" + p + "'; use e.g. 8-17 or 3,5,8-10");
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The mixed rows. */
  public int[] layers() {
    return layers.clone();
  }

  /** Weight of the injected code. */
  public double alpha() {
    return alpha;
  }

  /**
   * Mixes {@code inject} into {@code codes}: row i becomes {@code alpha·inject[i] + (1−alpha)·codes[i]}.
   *
   * @throws IllegalArgumentException if a layer is not a row of the codes
   */
  public LatentCode mix(LatentCode codes, LatentCode inject) {
    for (int l : layers) {
      if (l >= codes.nStyles()) {
        throw new IllegalArgumentException(
            "layer " + l + " is not a W+ row; the model has rows 0.." + (codes.nStyles() - 1));
      }
    }
    return codes.mixRows(inject, layers, alpha);
  }

  /**
   * {@code samples} variants of each code, each mixed with a random code of the generator (seeded with
   * {@code seed + k} for variant k, so variants are reproducible one by one).
   */
  public List<LatentCode> variants(Generator generator, LatentCode codes, int samples, long seed) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be >= 1, got " + samples);
    }
    List<LatentCode> out = new ArrayList<>();
    for (int k = 0; k < samples; k++) {
      out.add(mix(codes, generator.randomCodes(1, seed + k)));
    }
    return out;
  }

  @Override
  public String toString() {
    return "StyleMixer[layers=" + Arrays.toString(layers) + ", alpha=" + alpha + "]";
  }
}
