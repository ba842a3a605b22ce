package dev.psp.edit;

import dev.psp.Generator;
import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.function.ToDoubleFunction;

/**
 * The examples InterFaceGAN learns a boundary from when what is at hand is a judge of images, not
 * labelled codes (Shen et al., CVPR 2020: sample z, synthesise, score with an attribute predictor,
 * keep the highest- and the lowest-scored): draws codes from the generator's mapping network,
 * renders them, scores each image and returns the w of the top and the bottom fraction, ready for
 * {@link BoundaryLearner} in {@link BoundaryLearner.Space#W}. The direction then lies where the
 * generator draws the attribute, whatever an encoder does with it. Deterministic for a seed.
 */
public final class ScoredSamples {
  private static final int BATCH = 8;

  /**
   * The scored samples.
   *
   * @param positives the w ({@code [k, 1, dim]}) of the {@code k} highest-scored samples
   * @param negatives the w of the {@code k} lowest-scored samples
   * @param samples the w of every sample, in drawing order
   * @param scores every sample's score, in drawing order
   */
  public record Examples(LatentCode positives, LatentCode negatives, LatentCode samples, double[] scores) {
    /** The standard deviation of the samples' projections on a (unit) direction: a natural unit of strength. */
    public double spread(float[] direction) {
      double sum = 0;
      double sq = 0;
      int n = samples.batchSize();
      for (int i = 0; i < n; i++) {
        float[] w = samples.row(i, 0);
        double p = 0;
        for (int k = 0; k < w.length; k++) {
          p += w[k] * direction[k];
        }
        sum += p;
        sq += p * p;
      }
      return Math.sqrt(Math.max(sq / n - (sum / n) * (sum / n), 0));
    }
  }

  private ScoredSamples() {
  }

  /** {@link #draw(Generator, ToDoubleFunction, int, double, long, IntConsumer)} without progress reports. */
  public static Examples draw(Generator generator, ToDoubleFunction<BufferedImage> score, int samples,
      double fraction, long seed) {
    return draw(generator, score, samples, fraction, seed, done -> { });
  }

  /**
   * Draws, renders (stored noise, full size) and scores {@code samples} codes.
   *
   * @param score larger where the image shows the attribute more (for example a classifier's logit)
   * @param fraction the share of samples kept on each side, in (0, 0.5]; InterFaceGAN keeps 2 % of
   *     500,000, a small generator needs a larger share of fewer samples
   * @param progress called with the number of samples scored so far, after each batch
   * @throws IllegalArgumentException if fewer than one sample per side would be kept, or a score is not finite
   */
  public static Examples draw(Generator generator, ToDoubleFunction<BufferedImage> score, int samples,
      double fraction, long seed, IntConsumer progress) {
    return drawAll(generator, List.of(score), samples, fraction, seed, progress).get(0);
  }

  /**
   * Draws and renders {@code samples} codes once and scores each image with every one of {@code
   * scores}: one {@link Examples} per score, in their order, each equal to what {@link #draw} gives
   * for that score and seed. Learning several attributes' boundaries then costs one synthesis.
   *
   * @throws IllegalArgumentException if {@code scores} is empty, fewer than one sample per side
   *     would be kept, or a score is not finite
   */
  public static List<Examples> drawAll(Generator generator, List<? extends ToDoubleFunction<BufferedImage>> scores,
      int samples, double fraction, long seed, IntConsumer progress) {
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("no score to draw samples for: pass at least one");
    }
    if (!(fraction > 0 && fraction <= 0.5)) {
      throw new IllegalArgumentException("fraction must be in (0, 0.5], got " + fraction);
    }
    int kept = (int) Math.floor(samples * fraction);
    if (kept < 1) {
      throw new IllegalArgumentException(samples + " samples × fraction " + fraction
          + " keeps no example per side: draw more samples or keep a larger fraction");
    }
    SplittableRandom seeds = new SplittableRandom(seed);
    List<LatentCode> ws = new ArrayList<>();
    double[][] scored = new double[scores.size()][samples];
    for (int i = 0; i < samples; i += BATCH) {
      int n = Math.min(BATCH, samples - i);
      LatentCode codes = generator.randomCodes(n, seeds.nextLong());
      List<BufferedImage> images = generator.synthesizeImages(codes, Noise.fixed(), OutputSize.FULL);
      for (int b = 0; b < n; b++) {
        for (int k = 0; k < scores.size(); k++) {
          double s = scores.get(k).applyAsDouble(images.get(b));
          if (!Double.isFinite(s)) {
            throw new IllegalArgumentException("the score of sample " + (i + b) + " is " + s
                + (scores.size() > 1 ? " (score " + k + ")" : "") + "; scores must be finite");
          }
          scored[k][i + b] = s;
        }
        ws.add(LatentCode.of(codes.row(b, 0), 1, 1, codes.dim()));
      }
      progress.accept(i + n);
    }
    LatentCode all = LatentCode.concat(ws);
    List<Examples> out = new ArrayList<>();
    for (double[] s : scored) {
      out.add(extremes(ws, all, s, kept));
    }
    return out;
  }

  /** The {@code kept} highest- and lowest-scored of the samples. */
  private static Examples extremes(List<LatentCode> ws, LatentCode all, double[] scores, int kept) {
    int samples = scores.length;
    Integer[] order = new Integer[samples];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a])); // stable: ties keep drawing order
    List<LatentCode> positives = new ArrayList<>();
    List<LatentCode> negatives = new ArrayList<>();
    for (int i = 0; i < kept; i++) {
      positives.add(ws.get(order[i]));
      negatives.add(ws.get(order[samples - 1 - i]));
    }
    return new Examples(LatentCode.concat(positives), LatentCode.concat(negatives), all, scores);
  }
}
