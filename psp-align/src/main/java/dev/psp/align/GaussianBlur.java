package dev.psp.align;

/**
 * {@code scipy.ndimage.gaussian_filter(img, [sigma, sigma, 0])} on one float32 plane, as scipy 1.10
 * computes it: a kernel of radius {@code int(4 sigma + 0.5)} with weights {@code exp(-x^2 / (2 sigma^2))}
 * divided by their numpy (pairwise) sum; mode {@code 'reflect'} (the edge sample is repeated:
 * {@code c b a | a b c | c b a}); the rows axis filtered first, then the columns axis; each pass sums in
 * double precision in scipy's order for symmetric kernels (centre first, then the pairs from the outermost
 * inwards) and stores float32.
 *
 * <p>The exponential is {@link StrictMath#exp}; numpy's vectorised {@code exp} may differ from it in the
 * last bit of a weight, which moves a result by about 1e-16 relative, far below float32 resolution.
 *
 * <p>Stateless and thread-safe.
 */
final class GaussianBlur {
  private static final double TRUNCATE = 4.0;

  private GaussianBlur() {}

  /**
   * Filters a {@code width x height} plane (row-major). Outputs inside the optional rectangle
   * {@code [skipX0, skipX1) x [skipY0, skipY1)} are not needed by the caller and are left unspecified,
   * which saves the work there; pass an empty rectangle to filter everything.
   */
  static float[] filter(float[] plane, int width, int height, double sigma,
      int skipX0, int skipY0, int skipX1, int skipY1) {
    if (!(sigma > 1e-15)) {
      return plane.clone(); // scipy skips axes whose sigma is (nearly) zero
    }
    double[] w = weights(sigma);
    int r = w.length - 1;
    boolean skip = skipX0 < skipX1 && skipY0 < skipY1;
    float[] tmp = new float[plane.length];
    // pass 1: along the rows axis (axis 0), every row, and for rows crossing the skipped rectangle only
    // the columns that pass 2 reads for its needed outputs (one reflection suffices when r < width)
    boolean narrow = skip && r < width && skipX0 + r < skipX1 - r;
    double[] acc = new double[width];
    for (int y = 0; y < height; y++) {
      if (narrow && y >= skipY0 && y < skipY1) {
        rowsPass(plane, tmp, width, height, y, w, acc, 0, skipX0 + r);
        rowsPass(plane, tmp, width, height, y, w, acc, skipX1 - r, width);
      } else {
        rowsPass(plane, tmp, width, height, y, w, acc, 0, width);
      }
    }
    // pass 2: along the columns axis (axis 1)
    float[] out = new float[plane.length];
    double[] line = new double[width + 2 * r];
    for (int y = 0; y < height; y++) {
      int row = y * width;
      for (int i = -r; i < width + r; i++) {
        line[i + r] = tmp[row + index(i, width)];
      }
      if (skip && y >= skipY0 && y < skipY1) {
        columnsPass(line, out, row, w, acc, 0, Math.min(skipX0, width));
        columnsPass(line, out, row, w, acc, Math.max(skipX1, 0), width);
      } else {
        columnsPass(line, out, row, w, acc, 0, width);
      }
    }
    return out;
  }

  /** The kernel's centre and one side: {@code w[j]} weighs offsets {@code +j} and {@code -j}. */
  static double[] weights(double sigma) {
    int r = (int) (TRUNCATE * sigma + 0.5);
    double c = -0.5 / (sigma * sigma);
    double[] phi = new double[2 * r + 1];
    for (int i = 0; i <= 2 * r; i++) {
      long x = i - r;
      phi[i] = StrictMath.exp(c * (double) (x * x));
    }
    double sum = NumpyArithmetic.pairwiseSum(phi, 0, phi.length);
    double[] w = new double[r + 1];
    for (int j = 0; j <= r; j++) {
      w[j] = phi[r + j] / sum;
    }
    return w;
  }

  private static void rowsPass(float[] in, float[] out, int width, int height, int y, double[] w,
      double[] acc, int x0, int x1) {
    if (x0 >= x1) {
      return;
    }
    int r = w.length - 1;
    int row = y * width;
    for (int x = x0; x < x1; x++) {
      acc[x] = in[row + x] * w[0];
    }
    for (int j = r; j >= 1; j--) {
      int above = index(y - j, height) * width;
      int below = index(y + j, height) * width;
      double wj = w[j];
      for (int x = x0; x < x1; x++) {
        acc[x] += ((double) in[above + x] + (double) in[below + x]) * wj;
      }
    }
    for (int x = x0; x < x1; x++) {
      out[row + x] = (float) acc[x];
    }
  }

  /**
   * Pass 2 over one extended row: the same per-pixel order as {@link #rowsPass} (centre, then the pairs
   * from the outermost in), looped over pixels innermost so the independent sums run side by side.
   */
  private static void columnsPass(double[] line, float[] out, int row, double[] w, double[] acc, int x0, int x1) {
    if (x0 >= x1) {
      return;
    }
    int r = w.length - 1;
    for (int x = x0; x < x1; x++) {
      acc[x] = line[x + r] * w[0];
    }
    for (int j = r; j >= 1; j--) {
      double wj = w[j];
      int left = r - j;
      int right = r + j;
      for (int x = x0; x < x1; x++) {
        acc[x] += (line[x + left] + line[x + right]) * wj;
      }
    }
    for (int x = x0; x < x1; x++) {
      out[row + x] = (float) acc[x];
    }
  }

  /** The sample scipy's {@code 'reflect'} mode reads for index {@code i} of a line of {@code n} (period 2n). */
  static int index(int i, int n) {
    int m = Math.floorMod(i, 2 * n);
    return m < n ? m : 2 * n - 1 - m;
  }
}
