package dev.psp.align.dlib;

/**
 * The singular value decomposition {@code A = U diag(s) V^T} of a small square matrix by one-sided
 * Jacobi rotations (Hestenes), in double precision, singular values sorted in descending order.
 * Accurate to a few units in the last place for the 10x10 filters it is used on. Stateless.
 */
final class JacobiSvd {
  private static final int MAX_SWEEPS = 60;

  /** The factors: {@code u[i][j]} and {@code v[i][j]} hold column {@code j}; {@code s} descending. */
  record Result(double[][] u, double[] s, double[][] v) {}

  private JacobiSvd() {}

  /** Decomposes the {@code n x n} matrix {@code a} (row-major, not modified). */
  static Result decompose(double[] a, int n) {
    double[][] w = new double[n][n]; // w[j] = column j of A V
    double[][] v = new double[n][n]; // v[j] = column j of V
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        w[j][i] = a[i * n + j];
      }
      v[j][j] = 1;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double alpha = dot(w[p], w[p]);
          double beta = dot(w[q], w[q]);
          double gamma = dot(w[p], w[q]);
          if (gamma == 0 || Math.abs(gamma) <= 1e-17 * Math.sqrt(alpha * beta)) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(1 + t * t);
          double s = c * t;
          rotate(w[p], w[q], c, s);
          rotate(v[p], v[q], c, s);
        }
      }
      if (!rotated) {
        break;
      }
    }
    double[] sv = new double[n];
    for (int j = 0; j < n; j++) {
      sv[j] = Math.sqrt(dot(w[j], w[j]));
    }
    Integer[] order = new Integer[n];
    for (int j = 0; j < n; j++) {
      order[j] = j;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
    double[][] u = new double[n][n];
    double[][] vv = new double[n][n];
    double[] s = new double[n];
    for (int k = 0; k < n; k++) {
      int j = order[k];
      s[k] = sv[j];
      for (int i = 0; i < n; i++) {
        u[i][k] = sv[j] == 0 ? 0 : w[j][i] / sv[j];
        vv[i][k] = v[j][i];
      }
    }
    return new Result(u, s, vv);
  }

  private static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  private static void rotate(double[] x, double[] y, double c, double s) {
    for (int i = 0; i < x.length; i++) {
      double a = x[i];
      double b = y[i];
      x[i] = c * a - s * b;
      y[i] = s * a + c * b;
    }
  }
}
