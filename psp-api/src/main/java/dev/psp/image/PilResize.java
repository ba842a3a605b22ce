package dev.psp.image;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} for 8-bit planes, reproduced to the bit: a triangle
 * filter widened by the scale when shrinking (antialiasing), coefficients in 22-bit fixed point, a
 * horizontal pass rounded to 8 bits, then a vertical pass.
 *
 * <p>This is what {@code torchvision.transforms.Resize((256, 256))} does to the official code's PIL
 * inputs, so preprocessing in Java gives the tensors the official scripts feed the encoder.
 */
public final class PilResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PilResize() {}

  /**
   * Resizes one 8-bit plane ({@code width*height} values 0..255, row-major).
   *
   * @return the resized plane, {@code outWidth*outHeight} values
   */
  public static int[] bilinear(int[] plane, int width, int height, int outWidth, int outHeight) {
    if (plane.length != width * height) {
      throw new IllegalArgumentException("plane has " + plane.length + " values, expected " + width * height);
    }
    if (outWidth < 1 || outHeight < 1) {
      throw new IllegalArgumentException("output size must be positive, got " + outWidth + "x" + outHeight);
    }
    int[] cur = plane;
    int curW = width;
    if (outWidth != width) {
      Coeffs c = coeffs(width, outWidth);
      int[] out = new int[outWidth * height];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < outWidth; x++) {
          int ss = 1 << (PRECISION_BITS - 1);
          int min = c.bounds[2 * x];
          int n = c.bounds[2 * x + 1];
          for (int k = 0; k < n; k++) {
            ss += cur[y * curW + min + k] * c.kk[x * c.ksize + k];
          }
          out[y * outWidth + x] = clip8(ss);
        }
      }
      cur = out;
      curW = outWidth;
    }
    if (outHeight != height) {
      Coeffs c = coeffs(height, outHeight);
      int[] out = new int[curW * outHeight];
      for (int y = 0; y < outHeight; y++) {
        int min = c.bounds[2 * y];
        int n = c.bounds[2 * y + 1];
        for (int x = 0; x < curW; x++) {
          int ss = 1 << (PRECISION_BITS - 1);
          for (int k = 0; k < n; k++) {
            ss += cur[(min + k) * curW + x] * c.kk[y * c.ksize + k];
          }
          out[y * curW + x] = clip8(ss);
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

  private static Coeffs coeffs(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterscale = Math.max(scale, 1.0);
    double support = 1.0 * filterscale;
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
        double w = triangle((x + xmin - center + 0.5) * ss);
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

  private static double triangle(double x) {
    double a = Math.abs(x);
    return a < 1.0 ? 1.0 - a : 0.0;
  }
}
