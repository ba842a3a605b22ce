package dev.psp.training.testing;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Gradient checks along one direction: the analytic slope g·d against a central difference. */
public final class Directional {
  private Directional() {}

  /** {@code n} values of N(0, 0.5²) clipped to [-1, 1], seeded: image-like test inputs. */
  public static float[] clippedGaussian(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.max(-1, Math.min(1, 0.5 * r.nextGaussian()));
    }
    return v;
  }

  /** The analytic slope: the gradient's dot product with the direction, in double. */
  public static double slope(float[] gradient, float[] direction) {
    double dot = 0;
    for (int i = 0; i < gradient.length; i++) {
      dot += (double) gradient[i] * direction[i];
    }
    return dot;
  }

  /** {@code (f(x + eps·d) − f(x − eps·d)) / 2eps}. */
  public static double centralDifference(float[] x, float[] direction, double eps, ToDoubleFunction<float[]> f) {
    double[] at = new double[2];
    for (int s = 0; s < 2; s++) {
      float[] v = x.clone();
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) ((s == 0 ? eps : -eps) * direction[i]);
      }
      at[s] = f.applyAsDouble(v);
    }
    return (at[0] - at[1]) / (2 * eps);
  }
}
