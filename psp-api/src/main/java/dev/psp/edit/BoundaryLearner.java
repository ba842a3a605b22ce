package dev.psp.edit;

import dev.psp.Direction;
import dev.psp.LatentCode;
import java.util.Random;

/**
 * Learns an editing direction from labelled codes as InterFaceGAN does (Shen et al., CVPR 2020,
 * {@code train_boundary}): a linear SVM separates the codes with the attribute from those without,
 * and the unit normal of its hyperplane, pointing to the attribute, is the direction. The SVM is the
 * L2-regularised hinge-loss one ({@code C = 1}, bias learned), solved by dual coordinate descent
 * (Hsieh et al., ICML 2008) with a seeded visiting order, so the result is deterministic. Immutable
 * and thread-safe.
 */
public final class BoundaryLearner {
  /** Where the boundary lives. */
  public enum Space {
    /** One w per sample: the mean of its code's rows; the direction has one row and moves every row. */
    W,
    /** The whole W+ code; the direction has one row per W+ row. */
    W_PLUS
  }

  /** The result: the direction, and how well its hyperplane separates the examples. */
  public record Boundary(Direction direction, double bias, double trainingAccuracy, int epochs) {
  }

  private static final int MAX_EPOCHS = 2000;
  private static final double TOLERANCE = 1e-3;

  private final Space space;
  private final double c;
  private final long seed;

  /** A learner in a space with the SVM's penalty {@code c} (InterFaceGAN: 1) and a seed for the visiting order. */
  public BoundaryLearner(Space space, double c, long seed) {
    if (!(c > 0) || !Double.isFinite(c)) {
      throw new IllegalArgumentException("C must be positive and finite, got " + c);
    }
    this.space = space;
    this.c = c;
    this.seed = seed;
  }

  /** InterFaceGAN's settings in W: {@code C = 1}. */
  public static BoundaryLearner interFaceGan() {
    return new BoundaryLearner(Space.W, 1.0, 0L);
  }

  /**
   * The boundary between codes with the attribute ({@code positives}) and without ({@code negatives}).
   *
   * @throws IllegalArgumentException if a set is empty or the codes' shapes differ
   */
  public Boundary learn(LatentCode positives, LatentCode negatives) {
    if (positives.batchSize() < 1 || negatives.batchSize() < 1) {
      throw new IllegalArgumentException("both sets need at least one example");
    }
    if (positives.nStyles() != negatives.nStyles() || positives.dim() != negatives.dim()) {
      throw new IllegalArgumentException("the two sets have codes of different shapes");
    }
    int rows = space == Space.W ? 1 : positives.nStyles();
    int dim = positives.dim();
    int features = rows * dim;
    int n = positives.batchSize() + negatives.batchSize();
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      boolean pos = i < positives.batchSize();
      x[i] = features(pos ? positives : negatives, pos ? i : i - positives.batchSize(), rows, dim);
      y[i] = pos ? 1 : -1;
    }
    // dual coordinate descent on the bias-augmented problem (feature index `features` is the constant 1)
    double[] w = new double[features + 1];
    double[] alpha = new double[n];
    double[] qii = new double[n];
    for (int i = 0; i < n; i++) {
      qii[i] = dot(x[i], x[i]) + 1;
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    int epoch = 0;
    while (epoch < MAX_EPOCHS) {
      epoch++;
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      double maxPg = Double.NEGATIVE_INFINITY;
      double minPg = Double.POSITIVE_INFINITY;
      for (int i : order) {
        double g = y[i] * (dot(w, x[i]) + w[features]) - 1;
        double pg = alpha[i] == 0 ? Math.min(g, 0) : alpha[i] == c ? Math.max(g, 0) : g;
        maxPg = Math.max(maxPg, pg);
        minPg = Math.min(minPg, pg);
        if (pg != 0) {
          double old = alpha[i];
          alpha[i] = Math.min(Math.max(old - g / qii[i], 0), c);
          double d = (alpha[i] - old) * y[i];
          for (int k = 0; k < features; k++) {
            w[k] += d * x[i][k];
          }
          w[features] += d;
        }
      }
      if (maxPg - minPg < TOLERANCE) {
        break;
      }
    }
    double norm = Math.sqrt(dot(w, w) - w[features] * w[features]);
    if (norm == 0) {
      throw new IllegalArgumentException("the two sets cannot be told apart: the learned normal is zero");
    }
    int correct = 0;
    for (int i = 0; i < n; i++) {
      if (y[i] * (dot(w, x[i]) + w[features]) > 0) {
        correct++;
      }
    }
    float[] normal = new float[features];
    for (int k = 0; k < features; k++) {
      normal[k] = (float) (w[k] / norm);
    }
    return new Boundary(Direction.of(normal, rows, dim), w[features] / norm, correct / (double) n, epoch);
  }

  private static double[] features(LatentCode code, int b, int rows, int dim) {
    double[] f = new double[rows * dim];
    int n = code.nStyles();
    for (int r = 0; r < n; r++) {
      float[] row = code.row(b, r);
      for (int k = 0; k < dim; k++) {
        if (rows == 1) {
          f[k] += row[k] / (double) n;
        } else {
          f[r * dim + k] = row[k];
        }
      }
    }
    return f;
  }

  /** The dot product over the first {@code b.length} entries (w may carry the bias after them). */
  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < b.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
