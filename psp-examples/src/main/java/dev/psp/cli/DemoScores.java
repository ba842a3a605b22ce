package dev.psp.cli;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The held-out scores that {@code psp demo} writes to {@code scores.json}: how close a model's outputs
 * are to the ground truths, and how much they follow their inputs.
 *
 * <ul>
 *   <li>{@code l2}: the official {@code loss_l2}, the mean squared error with pixels in [-1, 1], the
 *       truths area-averaged to the output's size (as {@code face_pool} does), or outputs larger than
 *       their truths (an official 1024-px model on 256-px faces) area-averaged to the truths' size;
 *   <li>{@code psnr}: {@code 10 log10(4 / l2)} in dB (null when l2 is 0);
 *   <li>{@code input_following}: the mean RMS distance between the outputs of two different inputs,
 *       over the same mean for their ground truths. Near 0, every input gets the same output; near 1,
 *       outputs differ as much as the faces they should show.
 * </ul>
 *
 * @param l2 mean squared error in [-1, 1] units
 * @param psnr peak signal-to-noise ratio in dB, infinite for identical images
 * @param inputFollowing mean pairwise output distance over mean pairwise truth distance
 * @param pairs held-out pairs scored
 */
record DemoScores(double l2, double psnr, double inputFollowing, int pairs) {
  /** Scores outputs against their truths (same count, at least two; sides that divide one another). */
  static DemoScores of(List<BufferedImage> outputs, List<BufferedImage> truths) {
    if (outputs.size() != truths.size() || outputs.size() < 2) {
      throw new IllegalArgumentException("need at least two outputs and as many truths, got "
          + outputs.size() + " and " + truths.size());
    }
    int n = outputs.size();
    float[][] out = new float[n][];
    float[][] truth = new float[n][];
    for (int i = 0; i < n; i++) {
      BufferedImage o = outputs.get(i);
      int side = Math.min(o.getWidth(), truths.get(i).getWidth());
      out[i] = pixels(o, side);
      truth[i] = pixels(truths.get(i), side);
      if (out[i].length != out[0].length) {
        throw new IllegalArgumentException("outputs differ in size");
      }
    }
    double se = 0;
    for (int i = 0; i < n; i++) {
      se += meanSquare(out[i], truth[i]);
    }
    double l2 = se / n;
    double outDist = 0;
    double truthDist = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        outDist += Math.sqrt(meanSquare(out[i], out[j]));
        truthDist += Math.sqrt(meanSquare(truth[i], truth[j]));
      }
    }
    return new DemoScores(l2, 10 * Math.log10(4 / l2), outDist / truthDist, n);
  }

  /** The mean of each score over {@code runs} (same pair count). */
  static DemoScores mean(List<DemoScores> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no scores to average");
    }
    double l2 = 0;
    double following = 0;
    for (DemoScores s : runs) {
      if (s.pairs != runs.get(0).pairs) {
        throw new IllegalArgumentException("scores of " + s.pairs + " and " + runs.get(0).pairs + " pairs");
      }
      l2 += s.l2 / runs.size();
      following += s.inputFollowing / runs.size();
    }
    return new DemoScores(l2, 10 * Math.log10(4 / l2), following, runs.get(0).pairs);
  }

  /** {@code {"name": {"l2": .., "psnr": .., "input_following": .., "pairs": ..}, ...}}. */
  static String json(Map<String, DemoScores> scores) {
    StringBuilder sb = new StringBuilder("{\n");
    int k = 0;
    for (Map.Entry<String, DemoScores> e : scores.entrySet()) {
      DemoScores s = e.getValue();
      sb.append(String.format(Locale.ROOT, "  \"%s\": {\"l2\": %.6f, \"psnr\": %s, \"input_following\": %.4f, \"pairs\": %d}%s%n",
          e.getKey(), s.l2, Double.isFinite(s.psnr) ? String.format(Locale.ROOT, "%.3f", s.psnr) : "null",
          s.inputFollowing, s.pairs, ++k < scores.size() ? "," : ""));
    }
    return sb.append("}\n").toString();
  }

  /** RGB in [-1, 1], area-averaged to size x size (the image's side must be a multiple of it). */
  static float[] pixels(BufferedImage img, int size) {
    int w = img.getWidth();
    if (img.getHeight() != w || w % size != 0) {
      throw new IllegalArgumentException("a " + w + "x" + img.getHeight() + " image cannot be area-averaged to " + size);
    }
    int f = w / size;
    float[] p = new float[3 * size * size];
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        int o = (y / f) * size + x / f;
        p[o] += (rgb >> 16) & 0xff;
        p[size * size + o] += (rgb >> 8) & 0xff;
        p[2 * size * size + o] += rgb & 0xff;
      }
    }
    float area = f * f;
    for (int i = 0; i < p.length; i++) {
      p[i] = p[i] / area / 127.5f - 1f;
    }
    return p;
  }

  /** The mean of (a - b)² over equal-length arrays: the L2 of one pair. */
  static double meanSquare(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return s / a.length;
  }
}
