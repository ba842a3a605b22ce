package dev.psp.training.parser;

/**
 * Class weights for label maps where some classes cover few pixels: each class gets the inverse
 * square root of its pixel share, scaled so the mean weight per pixel is 1, and an absent class 0.
 * The parser's training and the label-consistency loss weight their cross-entropies with them.
 */
final class ClassWeights {
  private ClassWeights() {}

  /** The weights of classes that cover {@code pixels[c]} pixels (or fractions of pixels). */
  static float[] of(double[] pixels) {
    double total = 0;
    for (double p : pixels) {
      total += p;
    }
    double[] w = new double[pixels.length];
    double mean = 0;
    for (int c = 0; c < pixels.length; c++) {
      double share = pixels[c] / total;
      w[c] = share > 0 ? 1 / Math.sqrt(share) : 0;
      mean += share * w[c];
    }
    float[] out = new float[pixels.length];
    for (int c = 0; c < pixels.length; c++) {
      out[c] = (float) (w[c] / mean);
    }
    return out;
  }
}
