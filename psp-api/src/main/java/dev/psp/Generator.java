package dev.psp;

import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed StyleGAN2 generator G (rosinality's port, as in the official pSp): W+ codes to images.
 * Thread-safe.
 */
public interface Generator {
  /**
   * Synthesises images from W+ codes ({@code input_is_latent=True}).
   *
   * @param codes {@code [B, n_styles, dim]}
   * @param noise the stored noise buffers ({@link Noise#fixed()}) or seeded random noise
   * @param size {@link OutputSize#POOLED} applies {@code face_pool}: average-pools the output to 256×256
   * @return {@code [B, 3, S, S]} (256×256 when pooled), unclamped, roughly in [-1, 1]
   */
  TensorData synthesize(LatentCode codes, Noise noise, OutputSize size);

  /** Synthesises and converts to 8-bit RGB with the official {@code tensor2im}. */
  default List<BufferedImage> synthesizeImages(LatentCode codes, Noise noise, OutputSize size) {
    TensorData t = synthesize(codes, noise, size);
    List<BufferedImage> out = new ArrayList<>();
    for (int b = 0; b < codes.batchSize(); b++) {
      out.add(dev.psp.image.ImageConversion.toImage(t, b));
    }
    return out;
  }

  /**
   * The mapping network: z {@code [B, dim]} to W+ codes (each w repeated over all rows), as the
   * official {@code input_code=True} path computes it.
   */
  LatentCode mapping(TensorData z);

  /**
   * Random W+ codes: z ~ N(0, 1) drawn from a generator seeded with {@code seed}, through the mapping
   * network. These are the official style-mixing injection codes.
   */
  LatentCode randomCodes(int count, long seed);

  /** {@code mean_latent(n)}: the average of n mapped random z (seeded), as W+ rows. */
  LatentCode meanLatent(int samples, long seed);

  /** Output resolution S. */
  int outputSize();

  /** W+ rows, {@code 2·log2(S) − 2}. */
  int nStyles();
}
