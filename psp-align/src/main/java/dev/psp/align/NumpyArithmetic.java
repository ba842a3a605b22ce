package dev.psp.align;

/**
 * The few floating-point primitives whose last bit the official alignment takes from numpy or the C
 * library, reproduced so that Java computes the same doubles: {@code np.hypot} (glibc's libm) and
 * numpy's pairwise summation ({@code ndarray.sum}).
 *
 * <p>Stateless and thread-safe.
 */
final class NumpyArithmetic {
  private static final double EPS = 0x1p-54;
  private static final double LARGE = 0x1p+511;
  private static final double TINY = 0x1p-459;
  private static final int PAIRWISE_BLOCK = 128;

  private NumpyArithmetic() {}

  /**
   * {@code sqrt(x*x + y*y)} as glibc 2.35+ computes it (what {@code np.hypot} calls on Debian 12): the
   * correction step of C. F. Borges, "An Improved Algorithm for hypot(a,b)", arXiv:1904.09481 (2019), in
   * the variant without fused multiply-add. {@link Math#hypot} differs in the last bit for about one input
   * in eight.
   */
  static double hypot(double x, double y) {
    double ax = Math.max(Math.abs(x), Math.abs(y));
    double ay = Math.min(Math.abs(x), Math.abs(y));
    if (!Double.isFinite(ax) || ax > LARGE || ay < TINY && ay != 0) {
      return Math.hypot(x, y); // infinities, NaN and extreme ranges: never reached by pixel coordinates
    }
    if (ay <= ax * EPS) {
      return ax + ay;
    }
    double h = Math.sqrt(ax * ax + ay * ay);
    double t1;
    double t2;
    if (h <= 2.0 * ay) {
      double delta = h - ay;
      t1 = ax * (2.0 * delta - ax);
      t2 = (delta - 2.0 * (ax - ay)) * delta;
    } else {
      double delta = h - ax;
      t1 = 2.0 * delta * (ax - 2.0 * ay);
      t2 = (4.0 * delta - ay) * ay + delta * delta;
    }
    return h - (t1 + t2) / (2.0 * h);
  }

  /** The sum of {@code a[from..from+n)} in numpy's pairwise order (blocks of 8 partial sums up to 128). */
  static double pairwiseSum(double[] a, int from, int n) {
    if (n < 8) {
      double s = 0.0;
      for (int i = 0; i < n; i++) {
        s += a[from + i];
      }
      return s;
    }
    if (n <= PAIRWISE_BLOCK) {
      double[] r = new double[8];
      System.arraycopy(a, from, r, 0, 8);
      int i = 8;
      for (; i < n - n % 8; i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        s += a[from + i];
      }
      return s;
    }
    int n2 = n / 2;
    n2 -= n2 % 8;
    return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
  }
}
