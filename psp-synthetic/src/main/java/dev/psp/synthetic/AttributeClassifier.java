package dev.psp.synthetic;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A small image classifier for one {@link FaceAttribute}: a linear discriminant on histograms of
 * gradient orientations (HOG-like: {@value #BINS} unsigned orientations in each {@value #CELL}-pixel
 * cell) of the attribute's {@link FaceAttribute#region() region} scaled to a square of side
 * {@value #SIDE}, standardised and fitted by ridge regression to ±1 labels (solved exactly). Histograms over
 * cells forgive the few pixels by which a mouth or a pair of glasses moves from face to face; raw
 * pixels do not: on 64-pixel renders a pixel discriminant tells a smile from a flat mouth no better
 * than chance (0.45 held-out accuracy, against 0.70 with histograms). Trained on rendered synthetic
 * faces, it judges images from any source (for example edited reconstructions) without seeing
 * latent codes. Deterministic; immutable and thread-safe once trained.
 */
public final class AttributeClassifier {
  /** The side of the shrunk region the classifier reads. */
  public static final int SIDE = 32;
  /** The side of a histogram cell, in pixels of the shrunk region. */
  public static final int CELL = 4;
  /** Orientation bins over 0 to 180 degrees. */
  public static final int BINS = 9;
  private static final int CELLS = SIDE / CELL;
  private static final int FEATURES = CELLS * CELLS * BINS;

  private final double[] region;
  private final double[] mean;
  private final double[] scale;
  private final double[] weights;
  private final double bias;

  private AttributeClassifier(double[] region, double[] mean, double[] scale, double[] weights, double bias) {
    this.region = region;
    this.mean = mean;
    this.scale = scale;
    this.weights = weights;
    this.bias = bias;
  }

  /**
   * Trains on images with their labels.
   *
   * @param ridge the ridge penalty per feature (0.1 works for the synthetic faces)
   */
  public static AttributeClassifier train(FaceAttribute attribute, List<BufferedImage> images, List<Boolean> labels,
      double ridge) {
    double[] region = attribute.region();
    if (images.size() != labels.size() || images.isEmpty()) {
      throw new IllegalArgumentException("need as many labels as images, and at least one of each");
    }
    int n = images.size();
    double[][] x = new double[n][];
    IntStream.range(0, n).parallel().forEach(i -> x[i] = features(images.get(i), region)); // each row alone
    double[] mean = new double[FEATURES];
    double[] scale = new double[FEATURES];
    for (double[] row : x) {
      for (int k = 0; k < FEATURES; k++) {
        mean[k] += row[k] / n;
      }
    }
    for (double[] row : x) {
      for (int k = 0; k < FEATURES; k++) {
        scale[k] += (row[k] - mean[k]) * (row[k] - mean[k]) / n;
      }
    }
    for (int k = 0; k < FEATURES; k++) {
      scale[k] = 1 / Math.sqrt(scale[k] + 1e-6);
    }
    for (double[] row : x) {
      for (int k = 0; k < FEATURES; k++) {
        row[k] = (row[k] - mean[k]) * scale[k];
      }
    }
    // ridge regression on centred ±1 labels: (XᵀX + λ·FEATURES·I) w = Xᵀ (y - mean(y))
    double b = 0;
    for (Boolean label : labels) {
      b += (label ? 1 : -1) / (double) n;
    }
    double[][] gram = new double[FEATURES][FEATURES];
    double[] rhs = new double[FEATURES];
    for (int i = 0; i < n; i++) {
      double[] row = x[i];
      double y = (labels.get(i) ? 1 : -1) - b;
      for (int p = 0; p < FEATURES; p++) {
        rhs[p] += row[p] * y;
        double rp = row[p];
        double[] g = gram[p];
        for (int q = 0; q <= p; q++) {
          g[q] += rp * row[q];
        }
      }
    }
    for (int p = 0; p < FEATURES; p++) {
      for (int q = 0; q < p; q++) {
        gram[q][p] = gram[p][q];
      }
      gram[p][p] += ridge * FEATURES;
    }
    return new AttributeClassifier(region, mean, scale, Cholesky.solve(gram, rhs), b);
  }

  /** The logit: positive when the image shows the attribute, larger when it shows it more. */
  public double score(BufferedImage image) {
    double[] p = features(image, region);
    double s = bias;
    for (int k = 0; k < FEATURES; k++) {
      s += weights[k] * (p[k] - mean[k]) * scale[k];
    }
    return s;
  }

  /** The fraction of images whose score's sign agrees with their label. */
  public double accuracy(List<BufferedImage> images, List<Boolean> labels) {
    int ok = 0;
    for (int i = 0; i < images.size(); i++) {
      if (score(images.get(i)) > 0 == labels.get(i)) {
        ok++;
      }
    }
    return ok / (double) images.size();
  }

  /** Square roots of the L2-normalised orientation histograms of the region's luminance. */
  private static double[] features(BufferedImage image, double[] region) {
    int x0 = (int) Math.floor(region[0] * image.getWidth());
    int y0 = (int) Math.floor(region[1] * image.getHeight());
    int x1 = (int) Math.ceil(region[2] * image.getWidth());
    int y1 = (int) Math.ceil(region[3] * image.getHeight());
    BufferedImage small = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image.getSubimage(x0, y0, x1 - x0, y1 - y0), 0, 0, SIDE, SIDE, null);
    g.dispose();
    double[][] lum = new double[SIDE][SIDE];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int rgb = small.getRGB(x, y);
        lum[y][x] = (0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255)) / 255;
      }
    }
    double[] f = new double[FEATURES];
    for (int y = 1; y < SIDE - 1; y++) {
      for (int x = 1; x < SIDE - 1; x++) {
        double gx = lum[y][x + 1] - lum[y][x - 1];
        double gy = lum[y + 1][x] - lum[y - 1][x];
        double angle = Math.atan2(gy, gx);
        double bin = (angle < 0 ? angle + Math.PI : angle) / Math.PI * BINS - 0.5; // unsigned, bins centred
        int lo = (int) Math.floor(bin);
        double w = bin - lo;
        double magnitude = Math.hypot(gx, gy);
        int o = ((y / CELL) * CELLS + x / CELL) * BINS;
        f[o + Math.floorMod(lo, BINS)] += magnitude * (1 - w);
        f[o + Math.floorMod(lo + 1, BINS)] += magnitude * w;
      }
    }
    double norm = 1e-3;
    for (double v : f) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (int k = 0; k < FEATURES; k++) {
      f[k] = Math.sqrt(f[k] / norm);
    }
    return f;
  }
}
