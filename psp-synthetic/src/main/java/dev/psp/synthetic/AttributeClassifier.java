package dev.psp.synthetic;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A small image classifier for one {@link FaceAttribute}: a linear discriminant on the pixels of the
 * attribute's {@link FaceAttribute#region() region} scaled to {@value #SIDE}×{@value #SIDE} RGB,
 * standardised, fitted by ridge regression to ±1 labels (solved exactly, in its dual form). Trained on rendered synthetic faces, it judges images from any
 * source (for example edited reconstructions) without seeing latent codes. Deterministic; immutable
 * and thread-safe once trained.
 */
public final class AttributeClassifier {
  /** The side of the shrunk image the classifier reads. */
  public static final int SIDE = 32;
  private static final int FEATURES = SIDE * SIDE * 3;

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
    for (int i = 0; i < n; i++) {
      x[i] = pixels(images.get(i), region);
    }
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
    // ridge regression on ±1 labels in its dual form: (X Xᵀ + λ I) α = y - mean(y), w = Xᵀ α
    double[] y = new double[n];
    double b = 0;
    for (int i = 0; i < n; i++) {
      y[i] = labels.get(i) ? 1 : -1;
      b += y[i] / n;
    }
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        k[i][j] = dot(x[i], x[j]);
        k[j][i] = k[i][j];
      }
      k[i][i] += ridge * FEATURES;
    }
    double[] target = new double[n];
    for (int i = 0; i < n; i++) {
      target[i] = y[i] - b;
    }
    double[] alpha = Cholesky.solve(k, target);
    double[] w = new double[FEATURES];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < FEATURES; f++) {
        w[f] += alpha[i] * x[i][f];
      }
    }
    return new AttributeClassifier(region, mean, scale, w, b);
  }

  /** The logit: positive when the image shows the attribute, larger when it shows it more. */
  public double score(BufferedImage image) {
    double[] p = pixels(image, region);
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

  private static double[] pixels(BufferedImage image, double[] region) {
    int x0 = (int) Math.floor(region[0] * image.getWidth());
    int y0 = (int) Math.floor(region[1] * image.getHeight());
    int x1 = (int) Math.ceil(region[2] * image.getWidth());
    int y1 = (int) Math.ceil(region[3] * image.getHeight());
    BufferedImage crop = image.getSubimage(x0, y0, x1 - x0, y1 - y0);
    BufferedImage small = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    // area-average first so that every source pixel counts, then the exact size
    g.drawImage(crop.getScaledInstance(SIDE, SIDE, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
    g.dispose();
    double[] f = new double[FEATURES];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int rgb = small.getRGB(x, y);
        int o = (y * SIDE + x) * 3;
        f[o] = ((rgb >> 16) & 255) / 255.0;
        f[o + 1] = ((rgb >> 8) & 255) / 255.0;
        f[o + 2] = (rgb & 255) / 255.0;
      }
    }
    return f;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
