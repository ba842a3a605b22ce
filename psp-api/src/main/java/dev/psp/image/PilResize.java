package dev.psp.image;

/**
 * Pillow's {@code Image.resize(size, filter)} for 8-bit planes, reproduced to the bit (Pillow 9.4,
 * {@code libImaging/Resample.c}): the filter widened by the scale when shrinking (antialiasing),
 * coefficients normalised per output pixel and stored in 22-bit fixed point, a horizontal pass rounded
 * to 8 bits, then a vertical pass.
 *
 * <p>{@link #bilinear} is what {@code torchvision.transforms.Resize((256, 256))} does to the official
 * code's PIL inputs, so preprocessing in Java gives the tensors the official scripts feed the encoder.
 * {@link #lanczos} is Pillow's {@code LANCZOS} (alias {@code ANTIALIAS}), which the official FFHQ face
 * alignment uses to shrink large photos and to scale the aligned face to its output size.
 *
 * <p>Stateless and thread-safe.
 */
public final class PilResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  /** A Pillow resampling filter: its support (radius at scale 1) and its kernel. */
  private enum Filter {
    BILINEAR(1.0) {
      @Override
      double weight(double x) {
        double a = Math.abs(x);
        return a < 1.0 ? 1.0 - a : 0.0;
      }
    },
    LANCZOS(3.0) {
      @Override
      double weight(double x) {
        // Pillow's truncated sinc: sinc(x) * sinc(x / 3) on [-3, 3)
        return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
      }
    };

    final double support;

    Filter(double support) {
      this.support = support;
    }

    abstract double weight(double x);

    private static double sinc(double x) {
      if (x == 0.0) {
        return 1.0;
      }
      double t = x * Math.PI;
      return StrictMath.sin(t) / t;
    }
  }

  private PilResize() {}

  /**
   * Resizes one 8-bit plane as Pillow's {@code BILINEAR} does.
   *
   * @param plane {@code width*height} values 0..255, row-major
   * @return the resized plane, {@code outWidth*outHeight} values (a copy when the size is unchanged)
   */
  public static int[] bilinear(int[] plane, int width, int height, int outWidth, int outHeight) {
    return resize(plane, width, height, outWidth, outHeight, Filter.BILINEAR);
  }

  /**
   * Resizes one 8-bit plane as Pillow's {@code LANCZOS} (= {@code ANTIALIAS}) does: a 3-lobe Lanczos
   * kernel, widened by the scale when shrinking.
   *
   * @param plane {@code width*height} values 0..255, row-major
   * @return the resized plane, {@code outWidth*outHeight} values (a copy when the size is unchanged)
   */
  public static int[] lanczos(int[] plane, int width, int height, int outWidth, int outHeight) {
    return resize(plane, width, height, outWidth, outHeight, Filter.LANCZOS);
  }

  private static int[] resize(int[] plane, int width, int height, int outWidth, int outHeight, Filter filter) {
    if (plane.length != width * height) {
      throw new IllegalArgumentException("plane has " + plane.length + " values, expected " + width * height);
    }
    if (outWidth < 1 || outHeight < 1) {
      throw new IllegalArgumentException("output size must be positive, got " + outWidth + "x" + outHeight);
    }
    int[] cur = plane;
    int curW = width;
    if (outWidth != width) {
      Coeffs c = coeffs(width, outWidth, filter);
      int[] out = new int[outWidth * height];
      for (int y = 0; y < height; y++) {
        int row = y * curW;
        for (int x = 0; x < outWidth; x++) {
          int ss = 1 << (PRECISION_BITS - 1);
          int min = c.bounds[2 * x];
          int n = c.bounds[2 * x + 1];
          int k0 = x * c.ksize;
          for (int k = 0; k < n; k++) {
            ss += cur[row + min + k] * c.kk[k0 + k];
          }
          out[y * outWidth + x] = clip8(ss);
        }
      }
      cur = out;
      curW = outWidth;
    }
    if (outHeight != height) {
      Coeffs c = coeffs(height, outHeight, filter);
      int[] out = new int[curW * outHeight];
      int[] acc = new int[curW];
      for (int y = 0; y < outHeight; y++) {
        int min = c.bounds[2 * y];
        int n = c.bounds[2 * y + 1];
        java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
        // row by row: the same integer sums as Pillow's per-pixel loop, in cache order
        for (int k = 0; k < n; k++) {
          int w = c.kk[y * c.ksize + k];
          int row = (min + k) * curW;
          for (int x = 0; x < curW; x++) {
            acc[x] += cur[row + x] * w;
          }
        }
        for (int x = 0; x < curW; x++) {
          out[y * curW + x] = clip8(acc[x]);
        }
      }
      cur = out;
    }
    return cur == plane ? plane.clone() : cur;
  }

  private static int clip8(int v) {
    if (v < 0) {
      return 0;
    }
    int r = v >> PRECISION_BITS;
    return Math.min(r, 255);
  }

  private record Coeffs(int ksize, int[] bounds, int[] kk) {}

  /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
  private static Coeffs coeffs(int inSize, int outSize, Filter filter) {
    double scale = (double) inSize / outSize;
    double filterscale = Math.max(scale, 1.0);
    double support = filter.support * filterscale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[outSize * 2];
    int[] kk = new int[outSize * ksize];
    double[] k = new double[ksize];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ss = 1.0 / filterscale;
      int xmin = (int) (center - support + 0.5);
      if (xmin < 0) {
        xmin = 0;
      }
      int xmax = (int) (center + support + 0.5);
      if (xmax > inSize) {
        xmax = inSize;
      }
      xmax -= xmin;
      double ww = 0;
      for (int x = 0; x < xmax; x++) {
        double w = filter.weight((x + xmin - center + 0.5) * ss);
        k[x] = w;
        ww += w;
      }
      for (int x = 0; x < xmax; x++) {
        double w = ww == 0 ? k[x] : k[x] / ww;
        kk[xx * ksize + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS))
            : (int) (0.5 + w * (1 << PRECISION_BITS));
      }
      bounds[2 * xx] = xmin;
      bounds[2 * xx + 1] = xmax;
    }
    return new Coeffs(ksize, bounds, kk);
  }
}
